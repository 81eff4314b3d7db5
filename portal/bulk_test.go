package portal

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// TestAPIBulkSubmitTwiceConcurrently posts the same 1,000-order array twice at
// once: every order becomes exactly one message, one document and one
// delivery, counted through the API with pagination.
func TestAPIBulkSubmitTwiceConcurrently(t *testing.T) {
	t.Parallel()
	const n = 1000
	e := newAPIEnv(t, hubtest.Options{}, Options{})

	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(orderJSON(fmt.Sprintf("PO-BULK-%04d", i)))
	}
	b.WriteByte(']')
	body := b.String()

	// Both posts start together; require must not run off the test
	// goroutine, so errors are collected and checked after.
	var wg sync.WaitGroup
	results := make([]response, 2)
	errs := make([]error, 2)
	start := make(chan struct{})
	for i := range results {
		wg.Go(func() {
			<-start
			results[i], errs[i] = e.post("/api/v1/documents/order", "dealer-a", body)
		})
	}
	close(start)
	wg.Wait()
	require.NoError(t, errors.Join(errs...))

	var receipts [2]SubmitResponse
	for i, r := range results {
		require.Equal(t, http.StatusAccepted, r.status, "body: %.500s", r.body)
		decode(t, r, &receipts[i])
		require.Len(t, receipts[i].Messages, n)
	}
	created := 0
	msgIDs := map[string]bool{}
	for i := range n {
		first, second := receipts[0].Messages[i], receipts[1].Messages[i]
		require.Equal(t, first.MessageID, second.MessageID, "order %d maps to one message", i)
		require.False(t, msgIDs[first.MessageID], "order %d has its own message", i)
		msgIDs[first.MessageID] = true
		if !first.Duplicate {
			created++
		}
		if !second.Duplicate {
			created++
		}
	}
	require.Equal(t, n, created, "each order is stored once; the other post sees a duplicate")

	for id := range msgIDs {
		e.WaitMessage(t, id, store.StatusDone)
	}

	docs := e.listAll(t, "/api/v1/documents/order?sender=dealer-a", "operator", 300)
	require.Len(t, docs, n)
	require.Len(t, unique(ids(t, docs, "id")), n)
	require.Len(t, unique(ids(t, docs, "external_id")), n)

	dlvs := e.listAll(t, "/api/v1/deliveries?receiver=supplier-a", "dealer-a", 300)
	require.Len(t, dlvs, n)
	require.Len(t, unique(ids(t, dlvs, "document_id")), n)

	inbox := e.listAll(t, "/api/v1/inbox", "supplier-a", 1000)
	require.Len(t, inbox, n)
	require.Len(t, unique(ids(t, inbox, "delivery_id")), n)

	msgs := e.listAll(t, "/api/v1/messages?status=done", "dealer-a", 250)
	require.Len(t, msgs, n)
}

// unique returns the distinct values of s.
func unique(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}
