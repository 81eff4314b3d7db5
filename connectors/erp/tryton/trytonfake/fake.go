package trytonfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
)

// Fixed facts of the fake database.
const (
	// Database is the database name the fake serves.
	Database = "fake"
	// User and Password are the only credentials it accepts.
	User     = "admin"
	Password = "admin"
	// CompanyID and CurrencyID are the company and its currency (USD).
	CompanyID  = 1
	CurrencyID = 1
	userID     = 1
)

// Product is one product of the fake; an empty Code is a product without a
// code. Unit defaults to "u".
type Product struct {
	Code string
	Name string
	Unit string
}

// Sale is one sale line; State defaults to "processing" (confirmed).
type Sale struct {
	Date      string // YYYY-MM-DD
	Warehouse string // warehouse code
	Code      string
	Quantity  float64
	State     string
}

// Purchase is a purchase made through the fake.
type Purchase struct {
	ID        int
	Number    string
	State     string
	Reference string
	Party     int
	Warehouse int
	Date      string
	Lines     []PurchaseLine
}

// PurchaseLine is one line of a Purchase.
type PurchaseLine struct {
	Code      string
	Quantity  float64
	UnitPrice string
}

type warehouse struct {
	id   int
	code string
}

type qtyKey struct{ product, warehouse int }

// Server is the fake Tryton. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's address (no database), for tryton.Config.URL.
	URL string
	srv *httptest.Server

	mu         sync.Mutex
	warehouses []warehouse
	products   []Product // id = index+1
	units      []string  // id = index+1
	byCode     map[string]int
	qty        map[qtyKey]float64
	sales      []Sale
	purchases  []Purchase
	parties    map[int]party
	sessions   map[string]bool
	nextKey    int
	failN      int
	failStatus int
	retryAfter int
	delay      time.Duration
	errNext    map[string]rpcErr
	calls      []string
}

type party struct {
	name      string
	addresses []int
}

type rpcErr struct{ class, message string }

// New starts a fake with one warehouse "WH" (id 5), the unit "u", and no
// products. Close it when done.
func New() *Server {
	s := &Server{
		warehouses: []warehouse{{id: 5, code: "WH"}},
		units:      []string{"u"},
		byCode:     map[string]int{},
		qty:        map[qtyKey]float64{},
		parties:    map[int]party{1: {name: "Fake Co"}},
		sessions:   map[string]bool{},
		errNext:    map[string]rpcErr{},
		retryAfter: 1,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Config returns a client configuration for the fake.
func (s *Server) Config() tryton.Config {
	return tryton.Config{URL: s.URL, Database: Database, User: User, Password: Password, Timeout: 10 * time.Second}
}

// AddWarehouse adds a warehouse and returns its id.
func (s *Server) AddWarehouse(code string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.warehouses[len(s.warehouses)-1].id + 10
	s.warehouses = append(s.warehouses, warehouse{id: id, code: code})
	return id
}

// SetProducts replaces the products; their ids are 1, 2, … in order.
func (s *Server) SetProducts(products ...Product) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products = append([]Product(nil), products...)
	s.byCode = make(map[string]int, len(products))
	s.qty = map[qtyKey]float64{}
	for i, p := range s.products {
		if p.Unit == "" {
			s.products[i].Unit = "u"
		}
		if p.Code != "" {
			s.byCode[p.Code] = i + 1
		}
	}
}

// SetQuantity sets the quantity of the product with code at the warehouse.
func (s *Server) SetQuantity(code, warehouseCode string, qty float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.qty[qtyKey{s.byCode[code], s.warehouseID(warehouseCode)}] = qty
}

// AddSale adds a sale line.
func (s *Server) AddSale(sale Sale) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sale.State == "" {
		sale.State = "processing"
	}
	s.sales = append(s.sales, sale)
}

// AddParty adds a party (with one address when withAddress) and returns its id.
func (s *Server) AddParty(name string, withAddress bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := len(s.parties) + 1
	p := party{name: name}
	if withAddress {
		p.addresses = []int{100 + id}
	}
	s.parties[id] = p
	return id
}

// Purchases returns the purchases made so far.
func (s *Server) Purchases() []Purchase {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Purchase, len(s.purchases))
	for i, p := range s.purchases {
		out[i] = p
		out[i].Lines = append([]PurchaseLine(nil), p.Lines...)
	}
	return out
}

// FailNext answers the next n calls with the HTTP status (401, 429, 500,
// 503…) instead of handling them; 429 and 503 carry Retry-After. A 401
// refuses sessions: logins and the preferences read right after them
// still succeed and are not counted (refused credentials are a wrong
// password).
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failStatus = n, status
}

// SetRetryAfter sets the Retry-After seconds of 429 and 503 answers (1 by default).
func (s *Server) SetRetryAfter(seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryAfter = seconds
}

// SetDelay makes every call wait d before it is answered.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// ErrorNext answers the next call of method with a Tryton error reply:
// [class, [message, ""]] when class is set (a UserError…), else a server
// exception [message, traceback].
func (s *Server) ErrorNext(method, class, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errNext[method] = rpcErr{class, message}
}

// ExpireSession forgets every session: the next call with one gets HTTP 401.
func (s *Server) ExpireSession() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions = map[string]bool{}
}

// Calls returns the methods called so far, in order, failed ones included.
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// CallCount returns how often method was called.
func (s *Server) CallCount(method string) int {
	n := 0
	for _, m := range s.Calls() {
		if m == method {
			n++
		}
	}
	return n
}

// warehouseID returns the id of the warehouse code (0 when unknown); mu held.
func (s *Server) warehouseID(code string) int {
	for _, w := range s.warehouses {
		if w.code == code {
			return w.id
		}
	}
	return 0
}

// request is a JSON-RPC request.
type request struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

// serve answers one call.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	var req request
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, req.Method)
	delay := s.delay
	fail, status, retryAfter := s.failN > 0, s.failStatus, s.retryAfter
	if fail && status == http.StatusUnauthorized && (req.Method == "common.db.login" || req.Method == "model.res.user.get_preferences") {
		fail = false // a refused session, not refused credentials
	}
	if fail {
		s.failN--
	}
	e, hasErr := s.errNext[req.Method]
	if hasErr && !fail {
		delete(s.errNext, req.Method)
	}
	s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if fail {
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><body>%d %s</body></html>", status, http.StatusText(status))
		return
	}
	if r.URL.Path != "/"+Database+"/" {
		http.NotFound(w, r)
		return
	}
	if hasErr {
		if e.class != "" {
			writeJSON(w, req.ID, nil, []any{e.class, []any{e.message, "", nil}})
		} else {
			writeJSON(w, req.ID, nil, []any{e.message, ""})
		}
		return
	}
	if req.Method == "common.db.login" {
		s.login(w, req)
		return
	}
	if !s.authorized(r.Header.Get("Authorization")) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, "<html><body>401 Unauthorized</body></html>")
		return
	}
	result, err := s.dispatch(req.Method, req.Params)
	if err != nil {
		writeJSON(w, req.ID, nil, []any{err.Error(), ""})
		return
	}
	writeJSON(w, req.ID, result, nil)
}

// writeJSON writes a reply with result or error.
func writeJSON(w http.ResponseWriter, id json.RawMessage, result, rpcError any) {
	w.Header().Set("Content-Type", "application/json")
	reply := map[string]any{"id": id}
	if rpcError != nil {
		reply["error"] = rpcError
	} else {
		reply["result"] = result
	}
	_ = json.NewEncoder(w).Encode(reply)
}

// login checks the credentials and opens a session.
func (s *Server) login(w http.ResponseWriter, req request) {
	var user string
	var pw struct {
		Password string `json:"password"`
	}
	if len(req.Params) < 2 || json.Unmarshal(req.Params[0], &user) != nil || json.Unmarshal(req.Params[1], &pw) != nil ||
		user != User || pw.Password != Password {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, "<html><body>401 Unauthorized</body></html>")
		return
	}
	s.mu.Lock()
	s.nextKey++
	key := fmt.Sprintf("key%04d", s.nextKey)
	s.sessions[key] = true
	s.mu.Unlock()
	writeJSON(w, req.ID, []any{userID, key}, nil)
}

// authorized checks a "Session base64(user:id:key)" header.
func (s *Server) authorized(h string) bool {
	raw, ok := strings.CutPrefix(h, "Session ")
	if !ok {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return false
	}
	parts := strings.SplitN(string(b), ":", 3)
	if len(parts) != 3 || parts[0] != User || parts[1] != strconv.Itoa(userID) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[parts[2]]
}
