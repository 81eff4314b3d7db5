package portal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/webhook"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// ediConfig: the hub has its own X12 id; dealer-a sends X12 and wants
// 997s, delivered to its webhook as X12; supplier-a receives orders as
// X12 850s on its webhook.
const ediConfig = `version: 1
edi:
  x12: {qualifier: ZZ, id: DEALERHUB}
partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    edi:
      x12: {qualifier: ZZ, id: DEALERA, ack: true}
    routes:
      - {doctype: acknowledgment, channel: webhook, format: x12, webhook: {url: "%s/dealer-a"}}
  - id: supplier-a
    name: Supplier A
    roles: [supplier]
    edi:
      x12: {qualifier: "01", id: "123456789", app_id: SUPA, line_breaks: true}
    routes:
      - {doctype: order, channel: webhook, format: x12, webhook: {url: "%s/supplier-a"}}
`

// inbound850 is dealer-a's purchase order to supplier-a, addressed by
// supplier-a's own interchange id; ISA13 and the date vary per test.
const inbound850 = "ISA*00*          *00*          *ZZ*DEALERA        *01*123456789      *%s*0930*U*00401*000000777*0*P*>~" +
	"GS*PO*DEALERA*SUPA*20261125*0930*4711*X*004010~" +
	"ST*850*0001~" +
	"BEG*00*SA*PO-EDI-1**20261125~" +
	"CUR*BY*CNY~" +
	"DTM*002*20261210~" +
	"PO1*1*100*EA*6.80**VN*S-A*BP*SKU-A~" +
	"PID*F****Widget A~" +
	"PO1*2*5*EA*29.00**VN*S-B~" +
	"CTT*2~" +
	"SE*9*0001~" +
	"GE*1*4711~" +
	"IEA*1*000000777~"

// hookRecorder keeps what each webhook path received.
type hookRecorder struct {
	mu     sync.Mutex
	bodies map[string][][]byte
}

// newEDIEnv starts a webhook endpoint that records what each path gets,
// and a hub and API whose config is configYAML with the endpoint's URL
// in both of its %s.
func newEDIEnv(t *testing.T, configYAML string) (*hookRecorder, *config.Config, *apiEnv) {
	t.Helper()
	rec := &hookRecorder{bodies: map[string][][]byte{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.bodies[r.URL.Path] = append(rec.bodies[r.URL.Path], b)
		rec.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	cfg, err := config.Parse(fmt.Appendf(nil, configYAML, srv.URL, srv.URL), "hub.yaml", os.LookupEnv)
	require.NoError(t, err)
	env := newAPIEnv(t, hubtest.Options{Config: cfg, Sinks: map[string]connectors.Sink{"webhook": webhook.New(nil)}}, Options{})
	return rec, cfg, env
}

func (h *hookRecorder) get(path string) [][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]byte(nil), h.bodies[path]...)
}

func (h *hookRecorder) wait(t *testing.T, path string, n int) [][]byte {
	t.Helper()
	require.Eventually(t, func() bool { return len(h.get(path)) >= n }, 30*time.Second, 20*time.Millisecond,
		"%d deliveries to %s", n, path)
	return h.get(path)
}

// TestX12ThroughThePipeline: an 850 uploaded by dealer-a becomes an order
// for supplier-a and a 997 back to dealer-a whose AK1 names the 850's
// GS06; the order leaves for supplier-a as an 850 numbered by the
// partnership's counters; the same interchange sent again is reported,
// not imported; an interchange from an unknown id is held with the ids
// named.
func TestX12ThroughThePipeline(t *testing.T) {
	rec, cfg, env := newEDIEnv(t, ediConfig)

	upload := func(t *testing.T, name, edi string) response {
		ct, body := multipartForm(t, filePart(name, []byte(edi)))
		return env.do(t, http.MethodPost, "/api/v1/imports?wait=30s", "dealer-a", ct, body, nil)
	}

	// The 850 comes in; no doctype is needed: the interchange says it.
	r := upload(t, "po-1.edi", fmt.Sprintf(inbound850, "261125"))
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	require.Equal(t, "done", jsonField(t, r.body, "message.status"), "body: %s", r.body)
	require.Equal(t, "order", jsonField(t, r.body, "message.doctype"))
	require.Equal(t, "x12", jsonField(t, r.body, "message.format"))
	orderID := jsonField(t, r.body, "message.document_ids.0")
	env.run(t, []scenario{
		{name: "the order", url: "/api/v1/documents/order/" + orderID, who: "supplier-a", status: http.StatusOK,
			fields: map[string]string{"body.external_id": "PO-EDI-1", "body.sender": "dealer-a", "body.receiver": "supplier-a",
				"body.order_date": "2026-11-25", "body.currency": "CNY", "body.requested_date": "2026-12-10",
				"body.lines.#": "2", "body.lines.0.sku": "S-A", "body.lines.0.buyer_sku": "SKU-A", "body.lines.0.quantity": "100",
				"body.lines.0.unit_price": "6.80", "body.lines.1.quantity": "5"}},
	})

	// The 997 leaves over dealer-a's route, as X12 from the id it addressed.
	acks := rec.wait(t, "/dealer-a", 1)
	f, err := x12.ReadBytes(acks[0], x12.Options{})
	require.NoError(t, err, "%s", acks[0])
	require.NoError(t, f.Err())
	ic := f.Interchanges[0]
	require.Equal(t, "123456789", ic.Sender.ID, "the 997 comes from the id the 850 was sent to")
	require.Equal(t, "DEALERA", ic.Receiver.ID)
	set := ic.Groups[0].Sets[0]
	require.Equal(t, "997", set.Type)
	require.Equal(t, "FA", ic.Groups[0].FunctionalID)
	ak1 := segment(t, set.EDITransaction, "AK1")
	require.Equal(t, "PO", ak1.Value(1))
	require.Equal(t, "4711", ak1.Value(2), "AK1 names the 850's GS06")
	require.Equal(t, "A", segment(t, set.EDITransaction, "AK5").Value(1))
	require.Equal(t, "A", segment(t, set.EDITransaction, "AK9").Value(1))

	// The order leaves for supplier-a as an 850 with the partnership's
	// first control numbers; the next order gets the next ones.
	pos := rec.wait(t, "/supplier-a", 1)
	first := readOne(t, pos[0])
	require.Equal(t, "000000001", first.Control)
	require.Equal(t, "1", first.Groups[0].Control)
	require.Equal(t, "0001", first.Groups[0].Sets[0].ControlNumber)
	require.Equal(t, "123456789", first.Receiver.ID)
	require.Equal(t, "DEALERA", first.Sender.ID, "dealer-a's own id, not the hub's")
	require.Equal(t, "SUPA", first.Groups[0].AppReceiver)
	beg := segment(t, first.Groups[0].Sets[0].EDITransaction, "BEG")
	require.Equal(t, "PO-EDI-1", beg.Value(3))
	require.Contains(t, string(pos[0]), "~\n", "supplier-a wants line breaks")

	r = env.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", `{"external_id":"PO-API-2","receiver":"supplier-a","status":"sent","order_date":"2026-11-25",`+
		`"lines":[{"line_no":1,"sku":"S-C","quantity":"3","unit":"EA","unit_price":"1.50"}]}`, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	pos = rec.wait(t, "/supplier-a", 2)
	second := readOne(t, pos[1])
	require.Equal(t, "000000002", second.Control)
	require.Equal(t, "2", second.Groups[0].Control)
	require.Equal(t, "0002", second.Groups[0].Sets[0].ControlNumber)

	// A route to the inbox with format x12 keeps the order for the
	// supplier to fetch, as an 850 with the partnership's numbers, the
	// same each time it is fetched.
	env.Hub.SetConfig(inboxX12(t, cfg))
	r = env.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", `{"external_id":"PO-API-3","receiver":"supplier-a","status":"sent","order_date":"2026-11-25",`+
		`"lines":[{"line_no":1,"sku":"S-D","quantity":"1","unit":"EA","unit_price":"9.90"}]}`, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	env.WaitMessage(t, jsonField(t, r.body, "messages.0.id"), store.StatusDone)
	inbox := env.do(t, http.MethodGet, "/api/v1/inbox", "supplier-a", "", "", nil)
	require.Equal(t, http.StatusOK, inbox.status, "body: %s", inbox.body)
	require.Equal(t, "PO-API-3", jsonField(t, inbox.body, "items.0.external_id"), "body: %s", inbox.body)
	url := "/api/v1/inbox/" + jsonField(t, inbox.body, "items.0.delivery_id") + "/body"
	got := env.do(t, http.MethodGet, url, "supplier-a", "", "", nil)
	require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	require.Equal(t, "application/edi-x12", got.header.Get("Content-Type"))
	third := readOne(t, got.body)
	require.Equal(t, "000000003", third.Control)
	require.Equal(t, "PO-API-3", segment(t, third.Groups[0].Sets[0].EDITransaction, "BEG").Value(3))
	again := env.do(t, http.MethodGet, url, "supplier-a", "", "", nil)
	require.Equal(t, "000000003", readOne(t, again.body).Control, "fetched again: the same numbers")
	require.Equal(t, http.StatusNotFound, env.do(t, http.MethodGet, url, "dealer-b", "", "", nil).status, "another partner's inbox")
	env.Hub.SetConfig(cfg)

	// The same interchange again (same ISA13 from the same sender, other
	// bytes): reported, not imported.
	r = upload(t, "po-1-again.edi", fmt.Sprintf(inbound850, "261126"))
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, "failed", jsonField(t, r.body, "message.status"), "body: %s", r.body)
	require.Equal(t, "duplicate_interchange", jsonField(t, r.body, "message.errors.0.code"))
	require.Contains(t, jsonField(t, r.body, "message.errors.0.reason"), "received before, in message")
	docs, _, err := env.Store.ListDocuments(t.Context(), store.OperatorScope(), store.DocumentFilter{Doctype: "order"})
	require.NoError(t, err)
	require.Len(t, docs, 3, "the duplicate added no order")
	acks = rec.wait(t, "/dealer-a", 2)
	dup := readOne(t, acks[1])
	require.Equal(t, "R", segment(t, dup.Groups[0].Sets[0].EDITransaction, "AK5").Value(1), "the duplicate is rejected in its 997")
	require.Len(t, dup.Acks, 1, "and by a TA1")
	require.Equal(t, "000000777", dup.Acks[0].Value(1))
	require.Equal(t, "R", dup.Acks[0].Value(4))
	require.Equal(t, "025", dup.Acks[0].Value(5), "duplicate interchange control number")

	// A truncated interchange (no IEA) is rejected whole, with a TA1 023.
	r = upload(t, "po-2-truncated.edi", strings.Replace(strings.TrimSuffix(fmt.Sprintf(inbound850, "261127"), "IEA*1*000000777~"), "000000777", "000000778", 1))
	require.Equal(t, "failed", jsonField(t, r.body, "message.status"), "body: %s", r.body)
	require.Equal(t, "truncated", jsonField(t, r.body, "message.errors.0.code"))
	acks = rec.wait(t, "/dealer-a", 3)
	cut := readOne(t, acks[2])
	require.Equal(t, "023", cut.Acks[0].Value(5))
	require.Equal(t, "R", segment(t, cut.Groups[0].Sets[0].EDITransaction, "AK5").Value(1))

	// An interchange from an id no partner has is held, naming the ids.
	r = upload(t, "stranger.edi", strings.ReplaceAll(fmt.Sprintf(inbound850, "261125"), "ZZ*DEALERA        ", "ZZ*STRANGER       "))
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, "failed", jsonField(t, r.body, "message.status"))
	require.Equal(t, "unknown_partner", jsonField(t, r.body, "message.errors.0.code"))
	reason := jsonField(t, r.body, "message.errors.0.reason")
	require.Contains(t, reason, "ZZ:STRANGER")
	require.Contains(t, reason, "ZZ:DEALERA (dealer-a)")
	require.Contains(t, reason, "replay")
}

// inboxX12 is cfg with supplier-a's order route moved to its inbox, still
// as x12.
func inboxX12(t *testing.T, cfg *config.Config) *config.Config {
	t.Helper()
	c := *cfg
	c.Partners = append([]config.Partner(nil), cfg.Partners...)
	for i, p := range c.Partners {
		if p.ID == "supplier-a" {
			c.Partners[i].Routes = []config.Route{{Doctype: "order", Channel: "inbox", Format: "x12"}}
		}
	}
	return &c
}

// readOne reads an interchange the hub wrote and requires it clean.
func readOne(t *testing.T, b []byte) x12.Interchange {
	t.Helper()
	f, err := x12.ReadBytes(b, x12.Options{})
	require.NoError(t, err, "%s", b)
	require.NoError(t, f.Err(), "%s", b)
	require.Len(t, f.Interchanges, 1)
	return f.Interchanges[0]
}

// segment returns the first segment of a set with the tag.
func segment(t *testing.T, tx connectors.EDITransaction, tag string) connectors.EDISegment {
	t.Helper()
	for _, s := range tx.Segments {
		if s.Tag == tag {
			return s
		}
	}
	t.Fatalf("set %s %s has no %s segment", tx.Type, tx.ControlNumber, tag)
	return connectors.EDISegment{}
}

// ediFACTConfig: dealer-a sends EDIFACT and wants CONTRL; supplier-a
// receives orders as ORDERS in UNOY (its names are Chinese).
const edifactConfig = `version: 1
edi:
  edifact: {qualifier: "14", id: "5790000000001"}
partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    edi:
      edifact: {qualifier: "14", id: "5400110000009", ack: true}
    routes:
      - {doctype: acknowledgment, channel: webhook, format: edifact, webhook: {url: "%s/dealer-a"}}
  - id: supplier-a
    name: Supplier A
    roles: [supplier]
    edi:
      edifact: {qualifier: "14", id: "5013546107732", syntax: UNOY}
    routes:
      - {doctype: order, channel: webhook, format: edifact, webhook: {url: "%s/supplier-a"}}
`

// TestEDIFACTThroughThePipeline: the shared ORDERS sample (UNG group,
// D96B) from dealer-a becomes an order for supplier-a and a CONTRL back;
// an order with Chinese text leaves for supplier-a as ORDERS in UNOY.
func TestEDIFACTThroughThePipeline(t *testing.T) {
	sample, err := os.ReadFile(ediSample(t, "ORDERS", "staedi__orders-with-group.edi"))
	require.NoError(t, err)
	rec, _, env := newEDIEnv(t, edifactConfig)

	upload := func(name string, b []byte) response {
		ct, body := multipartForm(t, filePart(name, b))
		return env.do(t, http.MethodPost, "/api/v1/imports?wait=30s", "dealer-a", ct, body, nil)
	}
	// The sample's UNT says 21 segments where the message has 18: the
	// interchange is rejected, the CONTRL says so (UCM action 4, code 29).
	r := upload("orders.edi", sample)
	require.Equal(t, "failed", jsonField(t, r.body, "message.status"), "body: %s", r.body)
	require.Equal(t, "count_mismatch", jsonField(t, r.body, "message.errors.0.code"))
	require.Contains(t, jsonField(t, r.body, "message.errors.0.location"), "segment 20 (UNT) element 1")
	require.NotContains(t, string(r.body), "errors.xlsx", "an EDI file has no error workbook")
	rejected := rec.wait(t, "/dealer-a", 1)
	f, err := edifact.Read(bytes.NewReader(rejected[0]), edifact.Options{})
	require.NoError(t, err, "%s", rejected[0])
	ucm := segment(t, f.Interchanges[0].Messages()[0].EDITransaction, "UCM")
	require.Equal(t, "4", ucm.Value(3), "the message is rejected: %s", rejected[0])
	require.Equal(t, "29", ucm.Value(4), "control count does not match")

	// Fixed and sent again under the same reference: imported (a rejected
	// interchange does not count as received).
	r = upload("orders-fixed.edi", bytes.Replace(sample, []byte("UNT+21+1'"), []byte("UNT+18+1'"), 1))
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	require.Equal(t, "done", jsonField(t, r.body, "message.status"), "body: %s", r.body)
	env.run(t, []scenario{
		{name: "the order", url: "/api/v1/documents/order/" + jsonField(t, r.body, "message.document_ids.0"), who: "supplier-a", status: http.StatusOK,
			fields: map[string]string{"body.external_id": "C1441747", "body.sender": "dealer-a", "body.receiver": "supplier-a",
				"body.order_date": "2001-05-02", "body.lines.0.gtin": "5400111864181", "body.lines.0.quantity": "288", "body.lines.0.unit_price": "12.80"}},
	})
	contrl := rec.wait(t, "/dealer-a", 2)
	f, err = edifact.Read(bytes.NewReader(contrl[1]), edifact.Options{})
	require.NoError(t, err, "%s", contrl[1])
	require.NoError(t, f.Err(), "%s", contrl[1])
	msg := f.Interchanges[0].Messages()[0]
	require.Equal(t, "CONTRL", msg.Type)
	uci := segment(t, msg.EDITransaction, "UCI")
	require.Equal(t, "2722166169492", uci.Value(1), "UCI names the interchange")
	require.Equal(t, "7", uci.Value(4), "acknowledged")

	r = env.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", `{"external_id":"PO-中文-1","receiver":"supplier-a","status":"sent","order_date":"2026-11-25",`+
		`"lines":[{"line_no":1,"sku":"S-A","description":"不锈钢螺丝 M6","quantity":"3","unit":"EA","unit_price":"1.50"}]}`, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	out := rec.wait(t, "/supplier-a", 2)
	var orders []byte
	for _, b := range out {
		if bytes.Contains(b, []byte("PO-中文-1")) {
			orders = b
		}
	}
	require.NotNil(t, orders, "the Chinese order reached supplier-a: %q", out)
	f, err = edifact.Read(bytes.NewReader(orders), edifact.Options{})
	require.NoError(t, err, "%s", orders)
	require.NoError(t, f.Err(), "%s", orders)
	ic := f.Interchanges[0]
	require.Equal(t, "UNOY", ic.Syntax)
	require.Equal(t, "5013546107732", ic.Receiver.ID)
	require.Equal(t, "5400110000009", ic.Sender.ID, "dealer-a's own id")
	require.Contains(t, string(orders), "不锈钢螺丝 M6")
}

// ediSample is the path of a shared EDI sample; CI must have them.
func ediSample(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "edi-samples", dir, name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the shared EDI samples are missing (%v): ../shared/edi-samples must sit beside the project", err)
		}
		t.Skipf("the shared EDI samples are not beside the project (%v)", err)
	}
	return p
}

// TestX12PriceListThroughThePipeline: an 832 from supplier-a publishes a
// price list like a spreadsheet does (its header, lines and tiers).
func TestX12PriceListThroughThePipeline(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "canonical", "price_list", "valid", "acme_q2_cny.json"))
	require.NoError(t, err)
	var pl map[string]any
	require.NoError(t, json.Unmarshal(raw, &pl))
	out, err := x12map.FromCanonical("price_list", pl, x12map.Options{})
	require.NoError(t, err)
	var edi bytes.Buffer
	require.NoError(t, x12.Write(&edi, x12.Envelope{
		Sender: connectors.EDIParty{Qualifier: "01", ID: "123456789"}, Receiver: connectors.EDIParty{Qualifier: "ZZ", ID: "DEALERHUB"},
		AppReceiver: "DEALERA", InterchangeControl: 31, GroupControl: 31,
	}, []x12.OutSet{{Type: out.Type, Body: out.Body}}))

	_, _, env := newEDIEnv(t, ediConfig)
	ct, body := multipartForm(t, filePart("prices.edi", edi.Bytes()))
	r := env.do(t, http.MethodPost, "/api/v1/imports?wait=30s", "supplier-a", ct, body, nil)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	require.Equal(t, "done", jsonField(t, r.body, "message.status"), "body: %s", r.body)
	require.Equal(t, "price_list", jsonField(t, r.body, "message.doctype"))
	id := jsonField(t, r.body, "price_list.id")
	env.run(t, []scenario{
		{name: "the published list", url: "/api/v1/price-lists/" + id + "/lines", who: "supplier-a", status: http.StatusOK,
			fields: map[string]string{"items.#": fmt.Sprint(len(pl["lines"].([]any))), "items.0.sku": "AT-DRL-18V-01", "items.0.unit_price": "399.00"}},
	})
}
