package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/schemas"
)

// failingService is the tiny fake the error-mapping test needs: it
// authenticates "good" and fails Submit and Ready with a chosen error. Every
// other method panics through the nil embedded interface, so the test
// notices if the API calls something unexpected.
type failingService struct {
	hub.Service
	err error
}

func (s failingService) Authenticate(_ context.Context, key string) (hub.Principal, error) {
	if key != "good" {
		return hub.Principal{}, fmt.Errorf("%w: unknown API key", hub.ErrUnauthorized)
	}
	return hub.Principal{KeyID: "k1", Partner: "dealer-a"}, nil
}

func (s failingService) Submit(context.Context, hub.Principal, string, []json.RawMessage) ([]connectors.Receipt, error) {
	return nil, s.err
}

func (s failingService) Ready(context.Context) error { return s.err }

// TestErrorTable checks that every error the service can return becomes the
// agreed status, code and message, and that internal errors leak nothing.
func TestErrorTable(t *testing.T) {
	t.Parallel()
	secret := "pq: connection to 10.0.0.7 refused (password=hunter2)"
	cases := []struct {
		name    string
		err     error
		status  int
		code    string
		message string // substring
		details []ErrorDetail
	}{
		{"unauthorized", fmt.Errorf("wrapped: %w", hub.ErrUnauthorized), 401, CodeUnauthorized, "Bearer", nil},
		{"forbidden", fmt.Errorf("%w: document 0 claims sender %q", hub.ErrForbidden, "dealer-b"), 403, CodeForbidden, `claims sender "dealer-b"`, nil},
		{"not found", fmt.Errorf("getting x: %w", hub.ErrNotFound), 404, CodeNotFound, "not found", nil},
		{"unknown doctype", fmt.Errorf("%w: %q", hub.ErrUnknownDoctype, "invoice2"), 404, CodeUnknownDoctype, "invoice2", nil},
		{"conflict", fmt.Errorf("%w: being processed", hub.ErrConflict), 409, CodeConflict, "being processed", nil},
		{"bad request", fmt.Errorf("%w: no documents", hub.ErrBadRequest), 400, CodeBadRequest, "no documents", nil},
		{"unsupported format", fmt.Errorf("importing: %w: %q is a PDF document", hub.ErrUnsupportedFormat, "p.pdf"), 422, CodeUnsupportedFormat, "PDF document", nil},
		{"no error workbook", fmt.Errorf("%w: message m1 is a json message", hub.ErrNoErrorWorkbook), 404, CodeNotFound, "not read from a csv or xlsx file", nil},
		{"validation", fmt.Errorf("submitting: %w", &hub.ValidationError{Violations: []schemas.Violation{
			{Pointer: "/lines/3/unit_price", Reason: "must be a decimal string"},
			{Pointer: "/currency", Reason: "required"},
		}}), 422, CodeValidationFailed, "2 schema violation(s)", []ErrorDetail{
			{Pointer: "/lines/3/unit_price", Reason: "must be a decimal string"},
			{Pointer: "/currency", Reason: "required"},
		}},
		{"api error passes through", &Error{Status: 413, Code: CodeBodyTooLarge, Message: "too big"}, 413, CodeBodyTooLarge, "too big", nil},
		{"internal", fmt.Errorf("storing message: %w", errors.New(secret)), 500, CodeInternal, "request id", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			api := NewAPI(failingService{err: tc.err}, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			req := httptest.NewRequest(http.MethodPost, "/api/v1/documents/order", strings.NewReader(`{"external_id":"PO-1"}`))
			req.Header.Set("Authorization", "Bearer good")
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Request-Id", "req-"+strings.ReplaceAll(tc.name, " ", "-"))
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, req)

			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			require.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			require.Equal(t, "req-"+strings.ReplaceAll(tc.name, " ", "-"), rec.Header().Get("X-Request-Id"))
			var body struct {
				Error Error `json:"error"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			require.Equal(t, tc.code, body.Error.Code)
			require.Contains(t, body.Error.Message, tc.message)
			require.Equal(t, tc.details, body.Error.Details)
			require.NotContains(t, rec.Body.String(), "hunter2")
			require.NotContains(t, rec.Body.String(), "10.0.0.7")
			if tc.status == 401 {
				require.Contains(t, rec.Header().Get("WWW-Authenticate"), "Bearer")
			}
			if tc.status == 500 {
				// The cause is logged for the operator, with the request id.
				require.Contains(t, logs.String(), "hunter2")
				require.Contains(t, logs.String(), "req-internal")
			}
			// One access-log line per request, with who and how it went.
			require.Contains(t, logs.String(), `"msg":"http request"`)
			require.Contains(t, logs.String(), `"method":"POST","path":"/api/v1/documents/order","status":`+strconv.Itoa(tc.status))
			if tc.status != 401 {
				require.Contains(t, logs.String(), `"partner":"dealer-a"`)
			}
			require.NotContains(t, logs.String(), "PO-1", "payloads are never logged")
			require.NotContains(t, logs.String(), "Bearer good", "keys are never logged")
		})
	}
}

// TestReadyzReportsTheReason checks /readyz with a failing and a healthy
// service, and that probes need no key.
func TestReadyzReportsTheReason(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err    error
		status int
		want   string
	}{
		{errors.New("nats: no servers available"), 503, `"reason":"nats: no servers available"`},
		{nil, 200, `"status":"ok"`},
	} {
		api := NewAPI(failingService{err: tc.err}, Options{})
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		require.Equal(t, tc.status, rec.Code)
		require.Contains(t, rec.Body.String(), tc.want)

		rec = httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		require.Equal(t, 200, rec.Code)
		require.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
	}
}

// TestSplitDocuments checks the body rules that need no hub: where malformed
// JSON is, what counts as a document.
func TestSplitDocuments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		body    string
		docs    int
		message string // substring of the 400 message; empty means success
		pointer string
	}{
		{"object", ` {"a":1} `, 1, "", ""},
		{"array", `[{"a":1},{"b":2}]`, 2, "", ""},
		{"bom", "\xef\xbb\xbf{\"a\":1}", 1, "", ""},
		{"empty body", "  \n", 0, "empty", ""},
		{"empty array", `[ ]`, 0, "array is empty", ""},
		{"scalar", `"order"`, 0, "object or an array", ""},
		{"array of scalars", `[{"a":1}, 2]`, 0, "must be a JSON object", "/1"},
		{"bad token on line 3", "{\n  \"a\": 1,\n  \"b\": }\n", 0, "line 3, column 8 (byte offset 19)", ""},
		{"truncated", `{"a": [1, 2`, 0, "line 1, column 11", ""},
		{"trailing data", `{"a":1} {"b":2}`, 0, "line 1, column 9", ""},
		{"invalid utf-8", "{\"a\":\"\xff\"}", 0, "not valid UTF-8 at line 1, column 7 (byte offset 6)", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := splitDocuments([]byte(tc.body))
			if tc.message == "" {
				require.NoError(t, err)
				require.Len(t, docs, tc.docs)
				for _, d := range docs {
					require.True(t, json.Valid(d))
				}
				return
			}
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, http.StatusBadRequest, apiErr.Status)
			require.Contains(t, apiErr.Message, tc.message)
			if tc.pointer != "" {
				require.Equal(t, tc.pointer, apiErr.Details[0].Pointer)
			}
		})
	}
}
