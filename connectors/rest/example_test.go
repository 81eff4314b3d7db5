package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/dealerhub/dealerhub/connectors/rest"
)

// A cursor-paginated stock API behind OAuth2, pulled incrementally.
func Example() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, `{"access_token":"t1","token_type":"bearer","expires_in":3600}`)
	})
	pages := map[string]string{
		"":   `{"data":[{"sku":"A-1","qty":"5","updated_at":"2024-05-01T08:00:00Z"}],"meta":{"next_cursor":"p2"}}`,
		"p2": `{"data":[{"sku":"A-2","qty":"0","updated_at":"2024-05-02T08:00:00Z"}],"meta":{"next_cursor":null}}`,
	}
	mux.HandleFunc("GET /v1/stock", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t1" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = fmt.Fprint(w, pages[r.URL.Query().Get("cursor")])
	})
	api := httptest.NewServer(mux)
	defer api.Close()

	cfg := rest.Config{
		URL:     api.URL + "/v1/stock",
		Doctype: "stock_level",
		Auth: &rest.Auth{Type: rest.AuthOAuth2, TokenURL: api.URL + "/oauth/token",
			ClientID: "dealerhub", ClientSecret: "from-env"},
		Pagination: rest.Pagination{Type: rest.PageCursor, CursorPath: "meta.next_cursor"},
		Records:    "data",
		Watermark:  &rest.Watermark{Param: "updated_since", Field: "updated_at", Initial: "2020-01-01T00:00:00Z"},
	}
	src, err := rest.New("acme", cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	state := rest.NewMemoryState()
	res, err := src.Run(context.Background(), state, func(_ context.Context, p rest.Page) error {
		fmt.Printf("page %d: %d record(s), watermark %s\n", p.Number, len(p.Records), p.Watermark)
		return nil // the hub stores p here
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cp, _ := state.Load(context.Background(), "acme")
	fmt.Println("done:", res.Done, "next run asks updated_since =", cp.Watermark)
	// Output:
	// page 1: 1 record(s), watermark 2024-05-01T08:00:00Z
	// page 2: 1 record(s), watermark 2024-05-02T08:00:00Z
	// done: true next run asks updated_since = 2024-05-02T08:00:00Z
}
