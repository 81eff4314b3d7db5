package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
	"github.com/dealerhub/dealerhub/portal/web"
)

// The portal over an embedded store: a Chinese browser gets the login page
// in Chinese, and an anonymous visit to an admin page goes to the login.
func ExampleNew() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "dealerhub-web-example-")
	defer os.RemoveAll(dir)
	st, _ := sqlitestore.Open(ctx, filepath.Join(dir, "dealerhub.db"))
	defer st.Close()
	st.UpsertPartner(ctx, store.Partner{ID: "acme", Name: "ACME", Roles: []string{"supplier"}, Enabled: true})

	acc, _ := hub.NewAccounts(st, hub.AccountOptions{})
	_, invite, _ := acc.AddUser(ctx, hub.NewUser{Partner: "acme", Email: "ann@acme.test", Role: store.RoleAdmin})
	acc.AcceptInvite(ctx, invite, "a long enough password")

	p, _ := web.New(acc, web.Options{})
	srv := httptest.NewServer(p)
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/login", nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Language"))

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ = noFollow.Get(srv.URL + "/admin/users")
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.SplitN(resp.Header.Get("Location"), "?", 2)[0])
	// Output:
	// 200 zh-CN
	// 303 /login
}
