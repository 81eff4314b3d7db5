package odoofake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp/odoo"
)

// Fixed facts of the fake database.
const (
	// Database is the database name the fake serves.
	Database = "fake"
	// User is the only login; Password its API key until RevokeKey.
	User     = "hub@dealer.example"
	Password = "fake-api-key"
	// UID is the user id common.login answers.
	UID = 2
)

// Server is the fake Odoo. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's address, for odoo.Config.URL.
	URL string
	srv *httptest.Server

	mu         sync.Mutex
	models     map[string]*table
	password   string
	failN      int
	failStatus int
	retryAfter int
	expireN    int
	errNext    map[string]rpcErr
	lose       map[string]int
	calls      []string
}

// rpcErr is an exception ErrorNext queued.
type rpcErr struct{ name, message string }

// New starts a fake with one warehouse "WH" (its stock location
// "WH/Stock"), the units "Units" and "kg", vendor and customer locations,
// and no products. Close it when done.
func New() *Server {
	s := &Server{password: Password, errNext: map[string]rpcErr{}, lose: map[string]int{}, retryAfter: 1}
	s.models = newModels()
	s.AddWarehouse("WH")
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Config returns a client configuration for the fake.
func (s *Server) Config() odoo.Config {
	return odoo.Config{URL: s.URL, Database: Database, User: User, Password: Password, Timeout: 10 * time.Second}
}

// FailNext answers the next n requests with the HTTP status (429, 500,
// 502, 503…) and an HTML body instead of handling them; 429 and 503 carry
// Retry-After (SetRetryAfter).
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failStatus = n, status
}

// SetRetryAfter sets the Retry-After seconds of 429 and 503 answers (1 by
// default; 0 leaves the header out).
func (s *Server) SetRetryAfter(seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryAfter = seconds
}

// ExpireSession makes the next execute_kw call answer Odoo's "Odoo Session
// Expired" error object (code 100, odoo.http.SessionExpiredException).
// Each call queues one more: called twice, the next two calls expire.
func (s *Server) ExpireSession() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireN++
}

// RevokeKey replaces the user's API key: calls with the old one answer
// AccessDenied, and logging in with it answers false.
func (s *Server) RevokeKey(newKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.password = newKey
}

// ErrorNext answers the next execute_kw of model.method with Odoo's error
// object for the exception ("odoo.exceptions.AccessError", or a short name
// such as "ValidationError", taken from odoo.exceptions) and message.
func (s *Server) ErrorNext(model, method, exception, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errNext[model+"."+method] = rpcErr{exceptionName(exception), message}
}

// LoseReplyNext handles the next execute_kw of model.method (a create
// makes its record) but answers it with the HTTP status and an HTML body,
// like a proxy that timed out while Odoo was working.
func (s *Server) LoseReplyNext(model, method string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lose[model+"."+method] = status
}

// Calls returns what was called so far, in order, failed calls included:
// "common.login", "stock.quant.search_read", "purchase.order.create".
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// CallCount returns how often name (as in Calls) was called.
func (s *Server) CallCount(name string) int {
	n := 0
	for _, c := range s.Calls() {
		if c == name {
			n++
		}
	}
	return n
}

// request is a JSON-RPC request to /jsonrpc.
type request struct {
	JSONRPC string          `json:"jsonrpc"`
	Method  string          `json:"method"`
	ID      json.RawMessage `json:"id"`
	Params  struct {
		Service string            `json:"service"`
		Method  string            `json:"method"`
		Args    []json.RawMessage `json:"args"`
	} `json:"params"`
}

// serve answers one request.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/jsonrpc" {
		http.NotFound(w, r)
		return
	}
	var req request
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil || req.JSONRPC != "2.0" || req.Method != "call" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	name := req.Params.Service + "." + req.Params.Method
	var model, method string
	if req.Params.Service == "object" && req.Params.Method == "execute_kw" && len(req.Params.Args) >= 5 {
		_ = json.Unmarshal(req.Params.Args[3], &model)
		_ = json.Unmarshal(req.Params.Args[4], &method)
		name = model + "." + method
	}
	s.mu.Lock()
	s.calls = append(s.calls, name)
	fail, status, retryAfter := s.failN > 0, s.failStatus, s.retryAfter
	if fail {
		s.failN--
	}
	s.mu.Unlock()
	if fail {
		if retryAfter > 0 && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
		return
	}
	switch name {
	case "common.login":
		s.login(w, req)
		return
	case "common.version":
		writeResult(w, req.ID, map[string]any{"server_version": "17.0", "server_serie": "17.0", "protocol_version": 1})
		return
	}
	if req.Params.Service != "object" || req.Params.Method != "execute_kw" {
		writeError(w, req.ID, 200, "Odoo Server Error", "builtins.KeyError", fmt.Sprintf("odoofake does not serve %s", name))
		return
	}
	s.executeKW(w, req, model, method)
}

// login answers the user id, or false for wrong credentials.
func (s *Server) login(w http.ResponseWriter, req request) {
	var db, login, password string
	if len(req.Params.Args) != 3 || json.Unmarshal(req.Params.Args[0], &db) != nil ||
		json.Unmarshal(req.Params.Args[1], &login) != nil || json.Unmarshal(req.Params.Args[2], &password) != nil {
		writeError(w, req.ID, 200, "Odoo Server Error", "builtins.TypeError", "login() takes 3 positional arguments")
		return
	}
	s.mu.Lock()
	ok := db == Database && login == User && password == s.password
	s.mu.Unlock()
	if !ok {
		writeResult(w, req.ID, false)
		return
	}
	writeResult(w, req.ID, UID)
}

// executeKW checks the credentials and the queued errors, then runs the
// model method.
func (s *Server) executeKW(w http.ResponseWriter, req request, model, method string) {
	a := req.Params.Args
	var db, password string
	var uid int
	if len(a) < 6 || json.Unmarshal(a[0], &db) != nil || json.Unmarshal(a[1], &uid) != nil || json.Unmarshal(a[2], &password) != nil {
		writeError(w, req.ID, 200, "Odoo Server Error", "builtins.TypeError", "execute_kw() missing required positional arguments")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.expireN > 0 {
		s.expireN--
		writeError(w, req.ID, 100, "Odoo Session Expired", "odoo.http.SessionExpiredException", "Session expired")
		return
	}
	if db != Database {
		writeError(w, req.ID, 200, "Odoo Server Error", "psycopg2.OperationalError", fmt.Sprintf("connection to server failed: FATAL:  database %q does not exist", db))
		return
	}
	if uid != UID || password != s.password {
		writeError(w, req.ID, 200, "Odoo Server Error", "odoo.exceptions.AccessDenied", "Access Denied")
		return
	}
	if e, ok := s.errNext[model+"."+method]; ok {
		delete(s.errNext, model+"."+method)
		writeError(w, req.ID, 200, "Odoo Server Error", e.name, e.message)
		return
	}
	var args []json.RawMessage
	if err := json.Unmarshal(a[5], &args); err != nil {
		writeError(w, req.ID, 200, "Odoo Server Error", "builtins.TypeError", "args must be a list")
		return
	}
	kwargs := map[string]json.RawMessage{}
	if len(a) > 6 {
		_ = json.Unmarshal(a[6], &kwargs)
	}
	result, err := s.dispatch(model, method, args, kwargs)
	if status, ok := s.lose[model+"."+method]; ok {
		delete(s.lose, model+"."+method)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
		return
	}
	if err != nil {
		var oe *odooError
		if !asOdooError(err, &oe) {
			oe = &odooError{name: "builtins.ValueError", message: err.Error()}
		}
		writeError(w, req.ID, 200, "Odoo Server Error", oe.name, oe.message)
		return
	}
	writeResult(w, req.ID, result)
}

// writeResult writes {"jsonrpc":"2.0","id":…,"result":…}.
func writeResult(w http.ResponseWriter, id json.RawMessage, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": id, "result": result})
}

// writeError writes Odoo's error object, HTTP 200 like Odoo.
func writeError(w http.ResponseWriter, id json.RawMessage, code int, message, name, text string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{
		"code": code, "message": message,
		"data": map[string]any{
			"name": name, "message": text, "arguments": []any{text}, "context": map[string]any{},
			"debug": "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/odoo/http.py\", line 1775, in _serve_db\n" + name + ": " + text + "\n",
		},
	}})
}
