package portal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/stretchr/testify/require"
)

// registeredPatterns reads the route patterns NewAPI registers from
// api.go's source: the string literals passed to a.handle and
// a.mux.Handle/HandleFunc.
func registeredPatterns(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "api.go", nil, 0)
	require.NoError(t, err)
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !slices.Contains([]string{"handle", "Handle", "HandleFunc"}, sel.Sel.Name) {
			return true
		}
		switch arg := call.Args[0].(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(arg.Value)
			require.NoError(t, err)
			out = append(out, s)
		case *ast.BinaryExpr: // "GET " + OpenAPIPath
			out = append(out, "GET "+OpenAPIPath)
		}
		return true
	})
	sort.Strings(out)
	return out
}

// documentedPatterns lists "METHOD path" of every operation in the
// served document.
func documentedPatterns(t *testing.T, doc []byte) []string {
	t.Helper()
	var d struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	require.Equal(t, "3.1.0", d.OpenAPI)
	var out []string
	for path, item := range d.Paths {
		for method := range item {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIRoutes: every route the mux has is in the document and every
// route of the document exists in the mux (a request built from it
// reaches that very pattern).
func TestOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, hubtest.Options{}, Options{Metrics: http.NotFoundHandler()})
	r := e.do(t, http.MethodGet, OpenAPIPath, "", "", "", nil)
	require.Equal(t, http.StatusOK, r.status)
	doc := documentedPatterns(t, r.body)
	reg := registeredPatterns(t)
	require.NotEmpty(t, reg)
	require.Equal(t, reg, doc, "routes registered in api.go and documented in %s differ", OpenAPIPath)

	a := NewAPI(nil, Options{Metrics: http.NotFoundHandler()}).(*api)
	for _, pattern := range doc {
		method, path, _ := strings.Cut(pattern, " ")
		url := strings.NewReplacer("{doctype}", "order", "{id}", "x1").Replace(path)
		_, got := a.mux.Handler(httptest.NewRequest(method, url, nil))
		require.Equal(t, pattern, got, "the document's %s does not reach its own route", pattern)
	}
}

// TestOpenAPIValidatesBadResponses shows the hook rejects what the
// document does not allow.
func TestOpenAPIValidatesBadResponses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, url string
		status            int
		body              string
		want              string // "" means valid
	}{
		{"a valid list", "GET", "/api/v1/orders", 200, `{"items":[],"next_cursor":""}`, ""},
		{"a list without its cursor", "GET", "/api/v1/orders", 200, `{"items":[]}`, "next_cursor"},
		{"an order summary with a number for a string", "GET", "/api/v1/orders", 200,
			`{"items":[{"id":1,"external_id":"","dealer":"","supplier":"","status":"","lines":1,"version":1,"updated_at":"2026-01-01T00:00:00Z"}],"next_cursor":""}`, "id"},
		{"an extra field", "GET", "/healthz", 200, `{"status":"ok","extra":1}`, "extra"},
		{"a valid error", "GET", "/api/v1/orders/x", 404, `{"error":{"code":"not_found","message":"not found"}}`, ""},
		{"an error without a message", "POST", "/api/v1/shipments", 422, `{"error":{"code":"validation_failed"}}`, "message"},
		{"an unknown route answers an error", "GET", "/nowhere", 404, `{"error":{"code":"not_found","message":"no such endpoint"}}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkResponse(tc.method, tc.url, tc.status, []byte(tc.body))
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// openAPIValidator compiles the response schemas of the document once.
var openAPIValidator = sync.OnceValues(func() (*openAPICheck, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(OpenAPIDocument()))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(openAPIURL, doc); err != nil {
		return nil, err
	}
	var d struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPIDocument(), &d); err != nil {
		return nil, err
	}
	return &openAPICheck{c: c, doc: d.Paths, mux: NewAPI(nil, Options{Metrics: http.NotFoundHandler()}).(*api).mux, compiled: map[string]*jsonschema.Schema{}}, nil
})

const openAPIURL = "https://dealerhub.dev/api/openapi.json"

type openAPICheck struct {
	mu  sync.Mutex
	c   *jsonschema.Compiler
	doc map[string]map[string]struct {
		Responses map[string]struct {
			Content map[string]json.RawMessage `json:"content"`
		} `json:"responses"`
	}
	mux      *http.ServeMux
	compiled map[string]*jsonschema.Schema
}

func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1", "{", "%7B", "}", "%7D").Replace(s)
}

// schemaFor compiles the JSON schema of a route's response with status.
func (o *openAPICheck) schemaFor(pattern string, status int) (*jsonschema.Schema, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ptr := "#/components/schemas/ErrorResponse"
	if pattern != "" {
		method, path, _ := strings.Cut(pattern, " ")
		op, ok := o.doc[path][strings.ToLower(method)]
		if !ok {
			return nil, fmt.Errorf("route %s is not in the OpenAPI document", pattern)
		}
		key := strconv.Itoa(status)
		if _, ok := op.Responses[key]; !ok {
			key = "default"
		}
		if _, ok := op.Responses[key].Content["application/json"]; !ok {
			return nil, fmt.Errorf("route %s: status %d has no application/json response in the OpenAPI document", pattern, status)
		}
		ptr = "#/paths/" + pointerEscape(path) + "/" + strings.ToLower(method) + "/responses/" + key + "/content/application~1json/schema"
	}
	if s, ok := o.compiled[ptr]; ok {
		return s, nil
	}
	s, err := o.c.Compile(openAPIURL + ptr)
	if err != nil {
		return nil, fmt.Errorf("compiling %s: %w", ptr, err)
	}
	o.compiled[ptr] = s
	return s, nil
}

// checkResponse validates a JSON response body against the document's
// schema for the route the request reached and the status.
func checkResponse(method, url string, status int, body []byte) error {
	o, err := openAPIValidator()
	if err != nil {
		return fmt.Errorf("loading the OpenAPI document: %w", err)
	}
	_, pattern := o.mux.Handler(httptest.NewRequest(method, url, nil))
	s, err := o.schemaFor(pattern, status)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s answered %d with invalid JSON: %w", method, url, status, err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("%s %s (route %q) answered %d against the OpenAPI document: %v\nbody: %.2000s", method, url, pattern, status, err, body)
	}
	return nil
}

// checkOpenAPI is the hook apiEnv.do calls on every JSON response.
func checkOpenAPI(t *testing.T, method, url string, status int, contentType string, body []byte) {
	t.Helper()
	if !strings.Contains(contentType, "application/json") || len(bytes.TrimSpace(body)) == 0 {
		return
	}
	require.NoError(t, checkResponse(method, url, status, body))
}
