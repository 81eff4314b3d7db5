package portal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// Error codes of the API, stable for clients.
const (
	CodeBadRequest           = "bad_request"
	CodeUnauthorized         = "unauthorized"
	CodeBadSignature         = "bad_signature"
	CodeForbidden            = "forbidden"
	CodeNotFound             = "not_found"
	CodeUnknownDoctype       = "unknown_doctype"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeConflict             = "conflict"
	CodeBodyTooLarge         = "body_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeUnsupportedFormat    = "unsupported_format"
	CodeValidationFailed     = "validation_failed"
	CodeInternal             = "internal"
	CodeUnavailable          = "unavailable"
)

// Error is the body of every API error response:
//
//	{"error":{"code":"…","message":"…","details":[{"pointer":"/lines/3/unit_price","reason":"…"}]}}
type Error struct {
	// Status is the HTTP status; it is not part of the JSON body.
	Status int `json:"-"`
	// Code is machine-readable and stable (see the Code constants).
	Code string `json:"code"`
	// Message is for people.
	Message string `json:"message"`
	// Details lists every individual problem, with where it is.
	Details []ErrorDetail `json:"details,omitempty"`
}

// ErrorDetail is one problem of a request, located by a JSON pointer into the
// submitted body.
type ErrorDetail struct {
	Pointer string `json:"pointer,omitempty"`
	Reason  string `json:"reason"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// errorRule is one row of the error table: an error the hub (or this
// package) returns and the response it becomes.
type errorRule struct {
	target  error
	status  int
	code    string
	message string // fixed message; empty means the error's own text
}

// errorTable is the one mapping from errors to API responses. Order matters:
// the first rule whose target matches wins. 401, 404 and 500 use fixed
// messages so that they leak neither existence nor internals.
func errorTable() []errorRule {
	return []errorRule{
		{target: hub.ErrBadSignature, status: http.StatusUnauthorized, code: CodeBadSignature},
		{target: hub.ErrUnauthorized, status: http.StatusUnauthorized, code: CodeUnauthorized, message: "a valid API key is required (Authorization: Bearer <key>)"},
		{target: hub.ErrForbidden, status: http.StatusForbidden, code: CodeForbidden},
		{target: hub.ErrUnknownDoctype, status: http.StatusNotFound, code: CodeUnknownDoctype},
		// Only for a message the caller may see, so the reason leaks nothing.
		{target: hub.ErrNoErrorWorkbook, status: http.StatusNotFound, code: CodeNotFound,
			message: "the message was not read from a csv or xlsx file, so it has no error workbook"},
		{target: hub.ErrNotFound, status: http.StatusNotFound, code: CodeNotFound, message: "not found"},
		{target: hub.ErrConflict, status: http.StatusConflict, code: CodeConflict},
		{target: hub.ErrBadRequest, status: http.StatusBadRequest, code: CodeBadRequest},
		{target: hub.ErrUnsupportedFormat, status: http.StatusUnprocessableEntity, code: CodeUnsupportedFormat},
		{target: store.ErrInvalidCursor, status: http.StatusBadRequest, code: CodeBadRequest, message: "cursor is not one this API returned; pass next_cursor from the previous page"},
	}
}

// toAPIError maps any error to the response the client gets. Errors that
// match no rule are internal: logged in full, answered with a fixed message.
func toAPIError(ctx context.Context, log *slog.Logger, err error) *Error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var verr *hub.ValidationError
	if errors.As(err, &verr) {
		e := &Error{
			Status:  http.StatusUnprocessableEntity,
			Code:    CodeValidationFailed,
			Message: verr.Error(),
			Details: make([]ErrorDetail, 0, len(verr.Violations)),
		}
		for _, v := range verr.Violations {
			e.Details = append(e.Details, ErrorDetail{Pointer: v.Pointer, Reason: v.Reason})
		}
		return e
	}
	for _, rule := range errorTable() {
		if !errors.Is(err, rule.target) {
			continue
		}
		msg := rule.message
		if msg == "" {
			msg = err.Error()
		}
		return &Error{Status: rule.status, Code: rule.code, Message: msg}
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// The client went away; nobody reads the answer.
		log.LogAttrs(ctx, slog.LevelDebug, "request cancelled by the client", slog.String("request_id", requestID(ctx)))
		return &Error{Status: 499, Code: CodeInternal, Message: "request cancelled"}
	}
	log.LogAttrs(ctx, slog.LevelError, "internal error",
		slog.String("request_id", requestID(ctx)),
		slog.String("error", err.Error()))
	return &Error{
		Status:  http.StatusInternalServerError,
		Code:    CodeInternal,
		Message: "internal error; quote request id " + requestID(ctx) + " when reporting it",
	}
}

// writeError answers with err mapped through the error table.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := toAPIError(r.Context(), a.log, err)
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="dealerhub"`)
	}
	writeJSON(w, e.Status, struct {
		Error *Error `json:"error"`
	}{e})
}

// badRequest builds a 400 naming what is wrong.
func badRequest(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

// badParam builds a 400 naming the query parameter at fault.
func badParam(name, want string) *Error {
	return badRequest("invalid query parameter %s: %s", name, want)
}
