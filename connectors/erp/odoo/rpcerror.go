package odoo

import (
	"encoding/json"
	"fmt"
	"strings"
)

// RPCError is an error object from Odoo (HTTP 200 with an "error" member):
//
//	{"code":200,"message":"Odoo Server Error","data":{"name":"odoo.exceptions.AccessError",
//	 "message":"You are not allowed to access 'Product' (product.product) records.", …}}
type RPCError struct {
	// Call is what was called: "product.product.search_read" or "common.login".
	Call string
	// Code is the JSON-RPC error code: 200 for a server error, 100 for an
	// expired session.
	Code int
	// Name is the exception's full name ("odoo.exceptions.AccessError").
	Name string
	// Message is Odoo's own message (data.message), else the envelope's.
	Message string
}

// Error shows the call, the exception's short name and Odoo's message.
func (e *RPCError) Error() string {
	if short := e.ShortName(); short != "" {
		return fmt.Sprintf("odoo %s: %s: %s", e.Call, short, e.Message)
	}
	return fmt.Sprintf("odoo %s: %s", e.Call, e.Message)
}

// ShortName is the last part of Name: "AccessError", "ValidationError",
// "UserError", "MissingError", "SessionExpiredException".
func (e *RPCError) ShortName() string {
	return e.Name[strings.LastIndex(e.Name, ".")+1:]
}

// SessionExpired reports an error that a new login may cure: Odoo's
// "Odoo Session Expired" (code 100, odoo.http.SessionExpiredException) or
// an AccessDenied on a call (a key revoked or a password changed since the
// login; the login itself then says whether the credentials still work).
func (e *RPCError) SessionExpired() bool {
	return e.Code == 100 || strings.HasSuffix(e.Name, "SessionExpiredException") || e.Name == "odoo.exceptions.AccessDenied"
}

// Retryable reports whether calling again later may succeed: a database
// serialization failure or lock timeout that outlasted Odoo's own retries.
func (e *RPCError) Retryable() bool {
	return strings.Contains(e.Name, "SerializationFailure") || strings.Contains(e.Name, "LockNotAvailable")
}

// rpcErrorObject is the error member as Odoo writes it.
type rpcErrorObject struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Name    string `json:"name"`
		Message string `json:"message"`
		Debug   string `json:"debug"`
	} `json:"data"`
}

// parseRPCError reads Odoo's error member; the traceback (data.debug) is
// dropped: it is long, and for the operator's log, not the partner's.
func parseRPCError(call string, raw json.RawMessage) *RPCError {
	var o rpcErrorObject
	if err := json.Unmarshal(raw, &o); err != nil {
		return &RPCError{Call: call, Message: strings.TrimSpace(string(raw))}
	}
	e := &RPCError{Call: call, Code: o.Code, Name: o.Data.Name, Message: strings.TrimSpace(o.Data.Message)}
	if e.Message == "" {
		e.Message = o.Message
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("error code %d", o.Code)
	}
	return e
}
