package sqlitestore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

func benchStore(b *testing.B) *sqlitestore.Store {
	b.Helper()
	st, err := sqlitestore.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	b.Cleanup(func() { _ = st.Close() })
	for _, id := range []string{"sup", "dlr"} {
		_, err := st.UpsertPartner(b.Context(), store.Partner{ID: id, Name: id, Enabled: true})
		require.NoError(b, err)
	}
	return st
}

func benchDoc(i int, deliveries ...store.NewDelivery) store.DocumentInput {
	body := fmt.Sprintf(`{"sku":"SKU-%07d","price":"%d.50","currency":"EUR"}`, i, i%1000)
	sum := sha256.Sum256([]byte(body))
	return store.DocumentInput{
		Doctype: "product", Sender: "sup", ExternalID: fmt.Sprintf("SKU-%07d", i),
		Body: []byte(body), ContentHash: hex.EncodeToString(sum[:]), Deliveries: deliveries,
	}
}

func inboundRow(id string) store.NewOutbox {
	return store.NewOutbox{Subject: "dealerhub.inbound", MsgID: id, Payload: []byte(id)}
}

// BenchmarkInsertMessage is the ingest path: one transaction per message
// (message row + outbox row).
func BenchmarkInsertMessage(b *testing.B) {
	st := benchStore(b)
	for i := 0; b.Loop(); i++ {
		_, _, err := st.InsertMessage(b.Context(), store.NewMessage{
			Partner: "sup", Doctype: "order", Format: "json", Body: fmt.Appendf(nil, `{"i":%d}`, i),
		}, inboundRow)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitMessage commits one document with one delivery per
// message, the common order path.
func BenchmarkCommitMessage(b *testing.B) {
	st := benchStore(b)
	for i := 0; b.Loop(); i++ {
		m, _, err := st.InsertMessage(b.Context(), store.NewMessage{
			Partner: "sup", Doctype: "product", Format: "json", Body: fmt.Appendf(nil, `{"i":%d}`, i),
		}, inboundRow)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.CommitMessage(b.Context(), m.ID, []store.DocumentInput{
			benchDoc(i, store.NewDelivery{Receiver: "dlr", Channel: "inbox", Format: "json"}),
		}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitMessageBulk commits 1000 documents in one message (a
// spreadsheet of products): one transaction, prepared statements.
func BenchmarkCommitMessageBulk(b *testing.B) {
	const perMessage = 1000
	st := benchStore(b)
	for n := 0; b.Loop(); n++ {
		m, _, err := st.InsertMessage(b.Context(), store.NewMessage{
			Partner: "sup", Doctype: "product", Format: "csv", Body: fmt.Appendf(nil, "batch %d", n),
		}, inboundRow)
		if err != nil {
			b.Fatal(err)
		}
		docs := make([]store.DocumentInput, perMessage)
		for i := range docs {
			docs[i] = benchDoc(n*perMessage + i)
		}
		if _, err := st.CommitMessage(b.Context(), m.ID, docs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*perMessage)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkInsertMessages is the API's array submission: 1000 raw messages
// (and their outbox rows) in one transaction.
func BenchmarkInsertMessages(b *testing.B) {
	const perBatch = 1000
	st := benchStore(b)
	inbound := func(_ int, id string) store.NewOutbox { return inboundRow(id) }
	for n := 0; b.Loop(); n++ {
		ms := make([]store.NewMessage, perBatch)
		for i := range ms {
			ms[i] = store.NewMessage{Partner: "sup", Doctype: "order", Format: "json",
				Body: fmt.Appendf(nil, `{"external_id":"PO-%d-%d"}`, n, i)}
		}
		if _, _, err := st.InsertMessages(b.Context(), ms, inbound); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*perBatch)/b.Elapsed().Seconds(), "msgs/s")
}
