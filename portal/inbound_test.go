package portal

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors/webhook"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// inboundMapping maps dealer-a's own stock JSON: nested item codes,
// its own field names.
const inboundMapping = `version: 1
doctype: stock_level
fields:
  sku: {column: item.code}
  location: {column: wh}
  on_hand: {column: qty}
  unit: {column: uom}
  as_of: {column: counted_at}
`

const inboundConfig = `version: 1
partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    inbound:
      secret: ${INBOUND_TEST_SECRET}
      records: data.items
    mappings:
      - {name: own-stock, file: stock.yaml, default: true}
`

// TestInboundPartnerJSON: a partner's own JSON, signed, becomes canonical
// stock levels through its mapping, a bad record is rejected with its
// JSON pointer, and a post with a wrong, stale or missing signature is
// 401 with nothing stored.
func TestInboundPartnerJSON(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stock.yaml"), []byte(inboundMapping), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hub.yaml"), []byte(inboundConfig), 0o600))
	t.Setenv("INBOUND_TEST_SECRET", "s3cret")
	cfg, err := config.Load(filepath.Join(dir, "hub.yaml"), os.LookupEnv)
	require.NoError(t, err)
	env := newSpreadsheetEnv(t, hubtest.Options{Config: cfg}, Options{}, cfg)

	body := `{"data":{"items":[
		{"item":{"code":"A-1"},"wh":"WH","qty":12,"uom":"个","counted_at":"2026-11-25T08:00:00+08:00"},
		{"item":{"code":"B-2"},"wh":"WH","qty":"3.5","uom":"PCS","counted_at":"2026-11-25T08:00:00+08:00"},
		{"item":{"code":"C-3"},"wh":"WH","qty":"lots","uom":"PCS","counted_at":"2026-11-25T08:00:00+08:00"}
	]},"meta":{"page":1}}`
	sign := func(ts int64, b string) map[string]string {
		return map[string]string{"X-Dealerhub-Timestamp": strconv.FormatInt(ts, 10), "X-Dealerhub-Signature": webhook.Sign("s3cret", ts, []byte(b))}
	}
	now := time.Now().Unix()
	bad := sign(now, body)
	bad["X-Dealerhub-Signature"] = webhook.Sign("wrong", now, []byte(body))
	env.run(t, []scenario{
		{name: "a wrong signature stores nothing", method: http.MethodPost, url: "/api/v1/inbound/stock_level", who: "dealer-a", body: body, header: bad,
			status: http.StatusUnauthorized, fields: map[string]string{"error.code": "bad_signature"}, contains: []string{"does not match"}},
		{name: "a missing signature stores nothing", method: http.MethodPost, url: "/api/v1/inbound/stock_level", who: "dealer-a", body: body,
			status: http.StatusUnauthorized, fields: map[string]string{"error.code": "bad_signature"}},
		{name: "a stale signature stores nothing", method: http.MethodPost, url: "/api/v1/inbound/stock_level", who: "dealer-a", body: body, header: sign(now-3600, body),
			status: http.StatusUnauthorized, contains: []string{"away from the hub's clock"}},
	})
	msgs, _, err := env.Store.ListMessages(context.Background(), store.OperatorScope(), store.MessageFilter{Partner: "dealer-a"})
	require.NoError(t, err)
	require.Empty(t, msgs, "nothing stored for a bad signature")

	env.run(t, []scenario{
		{name: "signed: two records stored, the bad one named by its pointer", method: http.MethodPost, url: "/api/v1/inbound/stock_level?wait=30s",
			who: "dealer-a", body: body, header: sign(now, body), status: http.StatusCreated,
			fields:   map[string]string{"status": "done", "message.document_ids.#": "2", "message.errors.0.pointer": "/2/qty", "message.errors.0.code": "record"},
			contains: []string{`lots`}},
		{name: "an operator cannot post a partner's records", method: http.MethodPost, url: "/api/v1/inbound/stock_level", who: "operator", body: body,
			status: http.StatusForbidden},
		{name: "a doctype no mapping makes", method: http.MethodPost, url: "/api/v1/inbound/order", who: "dealer-a", body: `[]`, header: sign(now, `[]`),
			status: http.StatusBadRequest},
	})
	docs, _, err := env.Hub.ListDocuments(context.Background(), env.Principal("dealer-a"), store.DocumentFilter{Doctype: "stock_level"})
	require.NoError(t, err)
	require.Len(t, docs, 2)
	got := map[string]string{}
	for _, d := range docs {
		got[d.ExternalID] = string(d.Body)
	}
	require.Contains(t, got["WH:A-1"], `"on_hand":"12"`)
	require.Contains(t, got["WH:A-1"], `"unit":"PCE"`)
	require.Contains(t, got["WH:B-2"], `"on_hand":"3.5"`)
}
