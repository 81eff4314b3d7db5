package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/portal"
	"github.com/dealerhub/dealerhub/portal/web"
)

// orderSKU is user text with markup: every page must escape it.
const orderSKU = `<script>alert("sku")</script>`

// setupOrders is setup with the order pages mounted over the hub, a user
// per partner (dealer-a, supplier-a, dealer-b) and one order from
// dealer-a to supplier-a; it returns the order's id.
func setupOrders(t *testing.T) (*bundle, string) {
	t.Helper()
	env := hubtest.New(t)
	acc, err := hub.NewAccounts(env.Store, hub.AccountOptions{})
	require.NoError(t, err)
	p, err := web.New(acc, web.Options{Orders: env.Hub})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/api/", portal.NewAPI(env.Hub, portal.Options{}))
	mux.Handle("/", p)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	b := &bundle{env: env, acc: acc, srv: srv, ctx: t.Context()}
	for _, partner := range []string{"dealer-a", "supplier-a", "dealer-b"} {
		b.user(t, partner, "u@"+partner+".test", "User of "+partner, store.RoleMember)
	}
	order := `{"receiver":"supplier-a","external_id":"PO-<b>7</b>","status":"sent","order_date":"2026-01-15",` +
		`"currency":"CNY","lines":[{"line_no":1,"sku":` + jsonString(t, orderSKU) + `,"quantity":"12","unit":"EA","unit_price":"0.35"},` +
		`{"line_no":2,"sku":"NUT-M8","quantity":"12.5","unit":"KGM","unit_price":"19.90"}]}`
	rs, err := env.Hub.Submit(b.ctx, env.Principal("dealer-a"), "order", []json.RawMessage{json.RawMessage(order)})
	require.NoError(t, err)
	m := env.WaitMessage(t, rs[0].MessageID, store.StatusDone)
	require.Len(t, m.DocumentIDs, 1)
	return b, m.DocumentIDs[0]
}

func jsonString(t *testing.T, s string) string {
	t.Helper()
	out, err := json.Marshal(s)
	require.NoError(t, err)
	return string(out)
}

// as is a logged-in browser of partner's user.
func (b *bundle) as(t *testing.T, partner string) *browser {
	t.Helper()
	br := b.browser(t)
	br.login("u@" + partner + ".test")
	return br
}

// lineSection is the part of an order page about one line.
func lineSection(t *testing.T, body, lineNo string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `id="line-`+lineNo+`"`)
	require.True(t, ok, "no line %s on the page", lineNo)
	sec, _, _ := strings.Cut(rest, "</section>")
	return sec
}

// stepItem is the timeline entry of a step in a line's section.
func stepItem(t *testing.T, section, step string) string {
	t.Helper()
	_, rest, ok := strings.Cut(section, `class="step step-`+step+`"`)
	require.True(t, ok, "no %s step in the timeline", step)
	item, _, _ := strings.Cut(rest, "</li>")
	return item
}

// TestOrderPagesFlow goes through an order in the browser: the supplier
// answers each line with a promised date, ships the confirmed quantities,
// and the dealer records the receipt; every step shows in the timeline
// and the user's text stays escaped.
func TestOrderPagesFlow(t *testing.T) {
	t.Parallel()
	b, id := setupOrders(t)
	orderURL := "/orders/" + id
	supplier, dealer := b.as(t, "supplier-a"), b.as(t, "dealer-a")

	list := supplier.get("/orders")
	require.Equal(t, http.StatusOK, list.status, list.body)
	require.Contains(t, list.body, `href="/orders/`+id+`"`)
	require.Contains(t, list.body, "PO-&lt;b&gt;7&lt;/b&gt;")
	filtered := supplier.get("/orders?status=cancelled")
	require.Equal(t, http.StatusOK, filtered.status)
	require.NotContains(t, filtered.body, id, "the status filter leaves the sent order out")
	require.Contains(t, dealer.get("/orders?status=sent").body, id)
	require.Contains(t, supplier.get("/orders?partner=dealer-a").body, id)
	require.NotContains(t, supplier.get("/orders?partner=dealer-b").body, id, "the partner filter")

	before := dealer.get(orderURL)
	require.Equal(t, http.StatusOK, before.status, before.body)
	require.NotContains(t, before.body, `action="`+orderURL+`/response"`, "the dealer gets no answer form")

	steps := []struct {
		name string
		// prepare runs before the form is sent.
		prepare   func(t *testing.T)
		who       *browser
		action    string
		form      url.Values
		done      string
		line      string
		wantStep  string
		wantTexts []string
	}{
		{name: "the supplier confirms line 1 and changes line 2", who: supplier, action: orderURL + "/response",
			form: url.Values{"line": {"1", "2"}, "response_1": {"accepted"}, "promised_date_1": {"2026-02-01"},
				"response_2": {"changed"}, "quantity_2": {"10"}, "unit_price_2": {"19.50"}, "promised_date_2": {"2026-02-05"},
				"reason_2": {`<script>alert("reason")</script>`}},
			done: "response", line: "1", wantStep: "confirmed", wantTexts: []string{"quantity 12", "date 2026-02-01"}},
		{name: "the supplier ships the confirmed quantities", who: supplier, action: orderURL + "/shipments",
			form: url.Values{"line": {"1", "2"}, "ship_1": {"12"}, "ship_2": {"10"}, "external_id": {"ASN-7"},
				"carrier": {"carrier-a"}, "tracking_number": {"SF123"}},
			done: "shipment", line: "2", wantStep: "shipped", wantTexts: []string{"ASN-7", "quantity 10"}},
		{name: "the dealer records the receipt after the carrier's events", prepare: postTracking(b), who: dealer, action: orderURL + "/receipt",
			form: url.Values{"shipment": {"ASN-7"}, "received_on": {"2026-02-06"}},
			done: "receipt", line: "1", wantStep: "received", wantTexts: []string{"ASN-7"}},
	}
	for _, st := range steps {
		if st.prepare != nil {
			st.prepare(t)
		}
		res := st.who.submit(orderURL, st.action, st.form)
		require.Equal(t, http.StatusSeeOther, res.status, "%s: %s", st.name, res.body)
		require.Equal(t, orderURL+"?done="+st.done, res.header.Get("Location"), st.name)
		after := st.who.get(res.header.Get("Location"))
		require.Equal(t, http.StatusOK, after.status, st.name)
		item := stepItem(t, lineSection(t, after.body, st.line), st.wantStep)
		for _, want := range st.wantTexts {
			require.Contains(t, item, want, st.name)
		}
	}

	final := dealer.get(orderURL)
	require.NotContains(t, final.body, `action="`+orderURL+`/shipments"`, "the dealer gets no ship form")
	require.NotContains(t, supplier.get(orderURL).body, `action="`+orderURL+`/receipt"`, "the supplier gets no receipt form")
	require.Contains(t, final.body, `class="progress">Received<`)
	line2 := lineSection(t, final.body, "2")
	for _, step := range []string{"step-ordered", "step-changed", "step-shipped", "step-received"} {
		require.Contains(t, line2, step)
	}
	require.Contains(t, line2, "2026-02-05", "the promised date of the change")
	line1 := lineSection(t, final.body, "1")
	require.Contains(t, stepItem(t, line1, "tracking"), "In transit")
	require.Contains(t, line1, "Delivered")
	require.Contains(t, line1, "In transit (arrived late; the status did not go back)")
	require.Contains(t, line2, "19.50")
	for _, p := range []page{list, before, final, supplier.get(orderURL), supplier.get("/dashboard")} {
		require.NotContains(t, p.body, "<script>", "user text is escaped")
	}
	require.Contains(t, final.body, "&lt;script&gt;alert(&#34;reason&#34;)&lt;/script&gt;")
	require.Contains(t, final.body, "&lt;script&gt;alert(&#34;sku&#34;)&lt;/script&gt;")
}

// postTracking posts the carrier's events for ASN-7, the last one late.
func postTracking(b *bundle) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		var evs []json.RawMessage
		for _, ev := range []string{
			`{"shipment_external_id":"ASN-7","status":"in_transit","occurred_at":"2026-02-04T08:00:00+08:00"}`,
			`{"shipment_external_id":"ASN-7","status":"delivered","occurred_at":"2026-02-05T10:00:00+08:00"}`,
			`{"shipment_external_id":"ASN-7","status":"in_transit","occurred_at":"2026-02-05T12:00:00+08:00"}`,
		} {
			evs = append(evs, json.RawMessage(ev))
		}
		_, err := b.env.Hub.PostTrackingEvents(b.ctx, b.env.Principal("carrier-a"), evs)
		require.NoError(t, err)
	}
}

// TestOrderPagesRefuse: other partners get 404, forms without the CSRF
// token 403, wrong answers 422 with the hub's reasons, anonymous visitors
// the login page.
func TestOrderPagesRefuse(t *testing.T) {
	t.Parallel()
	b, id := setupOrders(t)
	orderURL := "/orders/" + id
	supplier, dealer, other := b.as(t, "supplier-a"), b.as(t, "dealer-a"), b.as(t, "dealer-b")
	answer := url.Values{"line": {"1"}, "response_1": {"accepted"}, "promised_date_1": {"2026-02-01"}}
	withToken := func(br *browser, form url.Values) url.Values {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("csrf_token", br.csrf("/account"))
		return f
	}
	tests := []struct {
		name     string
		who      *browser
		method   string
		path     string
		form     url.Values
		status   int
		contains string
	}{
		{"another partner's order is not found", other, http.MethodGet, orderURL, nil, 404, "Not found."},
		{"another partner cannot answer it", other, http.MethodPost, orderURL + "/response", withToken(other, answer), 404, ""},
		{"another partner cannot record a receipt", other, http.MethodPost, orderURL + "/receipt",
			withToken(other, url.Values{"shipment": {"X"}}), 404, ""},
		{"the dealer cannot answer its own order", dealer, http.MethodPost, orderURL + "/response", withToken(dealer, answer), 404, ""},
		{"an unknown order is not found", supplier, http.MethodGet, "/orders/nope", nil, 404, ""},
		{"another partner's list leaves it out", other, http.MethodGet, "/orders", nil, 200, "No orders."},
		{"a form without the CSRF token is refused", supplier, http.MethodPost, orderURL + "/response", answer, 403, ""},
		{"a form with a wrong CSRF token is refused", supplier, http.MethodPost, orderURL + "/response",
			func() url.Values {
				f := withToken(supplier, answer)
				f.Set("csrf_token", "x"+f.Get("csrf_token"))
				return f
			}(), 403, ""},
		{"a bad promised date names the line", supplier, http.MethodPost, orderURL + "/response",
			withToken(supplier, url.Values{"line": {"1"}, "response_1": {"accepted"}, "promised_date_1": {"tomorrow"}}),
			422, "/lines/0/promised_date"},
		{"an answer to no line is refused", supplier, http.MethodPost, orderURL + "/response",
			withToken(supplier, url.Values{"line": {"1"}}), 422, "Choose an answer for at least one line."},
		{"shipping an unconfirmed line is refused", supplier, http.MethodPost, orderURL + "/shipments",
			withToken(supplier, url.Values{"line": {"1"}, "ship_1": {"1"}}), 422, "/packages/0/lines/0"},
		{"anonymous visitors go to the login page", b.browser(t), http.MethodGet, orderURL, nil, 303, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p page
			if tc.method == http.MethodGet {
				p = tc.who.get(tc.path)
			} else {
				p = tc.who.post(tc.path, tc.form)
			}
			require.Equal(t, tc.status, p.status, p.body)
			require.Contains(t, p.body, tc.contains)
		})
	}
	o, err := b.env.Hub.GetOrder(b.ctx, b.env.Principal("supplier-a"), id)
	require.NoError(t, err)
	require.Empty(t, o.Responses, "no refused form reached the hub")
}

// TestOrderPagesChinese: the pages follow Accept-Language.
func TestOrderPagesChinese(t *testing.T) {
	t.Parallel()
	b, id := setupOrders(t)
	supplier := b.as(t, "supplier-a")
	supplier.lang = "zh-CN,zh;q=0.9"
	tests := []struct {
		path string
		want []string
	}{
		{"/orders", []string{"订单号", "已发送"}},
		{"/orders/" + id, []string{"答复订单", "下单", "承诺交期"}},
		{"/dashboard", []string{"未完成的订单"}},
	}
	for _, tc := range tests {
		p := supplier.get(tc.path)
		require.Equal(t, http.StatusOK, p.status, p.body)
		require.Equal(t, "zh-CN", p.header.Get("Content-Language"), tc.path)
		require.Contains(t, p.body, `<html lang="zh-CN">`)
		for _, w := range tc.want {
			require.Contains(t, p.body, w, tc.path)
		}
	}
}
