package tryton

import (
	"encoding/json"
	"fmt"
	"strings"
)

// RPCError is an error reply from Tryton (HTTP 200 with an "error" member):
// a user error such as a missing required field, or a server exception.
type RPCError struct {
	// Method is the JSON-RPC method called ("model.purchase.purchase.create").
	Method string
	// Class is Tryton's exception class for user-facing errors ("UserError",
	// "UserWarning", "AccessError", "ConcurrencyException"); empty for a
	// server exception, whose text is in Message.
	Class string
	// Message is Tryton's own message.
	Message string
}

// Error returns the method and Tryton's message.
func (e *RPCError) Error() string {
	if e.Class == "" {
		return fmt.Sprintf("tryton %s: %s", e.Method, e.Message)
	}
	return fmt.Sprintf("tryton %s: %s: %s", e.Method, e.Class, e.Message)
}

// Retryable reports whether calling again may succeed: only for a
// ConcurrencyException (two writers touched the same record).
func (e *RPCError) Retryable() bool { return e.Class == "ConcurrencyException" }

// parseRPCError reads Tryton's error member. User-facing exceptions come
// as [class, [message, description, …]]; any other exception as
// [str(exception), traceback].
func parseRPCError(method string, raw json.RawMessage) *RPCError {
	e := &RPCError{Method: method}
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) == 0 {
		e.Message = strings.TrimSpace(string(raw))
		return e
	}
	var first string
	if err := json.Unmarshal(parts[0], &first); err != nil {
		first = string(parts[0])
	}
	var args []json.RawMessage
	if len(parts) > 1 && json.Unmarshal(parts[1], &args) == nil {
		e.Class = first
		var texts []string
		for i, a := range args {
			var s string
			if i > 1 || json.Unmarshal(a, &s) != nil || s == "" {
				continue
			}
			texts = append(texts, s)
		}
		e.Message = strings.Join(texts, ": ")
		if e.Message == "" {
			e.Message = first
		}
		return e
	}
	e.Message = first
	return e
}
