package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

// receiver is a partner's webhook endpoint that counts what it got.
type receiver struct {
	mu    sync.Mutex
	byKey map[string]int // Idempotency-Key → requests
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.byKey[req.Header.Get("Idempotency-Key")]++
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (r *receiver) distinct() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.byKey)
}

type listPage struct {
	Items      []json.RawMessage `json:"items"`
	NextCursor string            `json:"next_cursor"`
}

func listAll(t *testing.T, url, key string) []json.RawMessage {
	var all []json.RawMessage
	cursor := ""
	sep := "?"
	if bytes.ContainsRune([]byte(url), '?') {
		sep = "&"
	}
	for {
		var p listPage
		status := api(t, http.MethodGet, url+sep+"limit=1000&cursor="+cursor, key, nil, &p)
		require.Equal(t, http.StatusOK, status)
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			return all
		}
		cursor = p.NextCursor
	}
}

// TestKillDuringIngestAndRestart SIGKILLs serve while batches are being
// posted, restarts it, and checks that every message that got a 202 ends
// done exactly once, no document is duplicated, and every delivery resumes.
func TestKillDuringIngestAndRestart(t *testing.T) {
	for _, pg := range []bool{false, true} {
		name := "sqlite"
		if pg {
			name = "postgres"
		}
		t.Run(name, func(t *testing.T) { killRestart(t, pg) })
	}
}

func killRestart(t *testing.T, pg bool) {
	rcv := &receiver{byKey: map[string]int{}}
	hook := httptest.NewServer(rcv)
	defer hook.Close()

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(fmt.Sprintf(`
partners:
  - {id: dealer-k, name: Dealer K, roles: [dealer]}
  - id: supplier-k
    name: Supplier K
    roles: [supplier]
    routes:
      - {doctype: order, channel: webhook, webhook: {url: %q, secret: "${KILL_TEST_SECRET}"}}
delivery: {max_attempts: 20, initial_backoff: 100ms, max_backoff: 1s}
`, hook.URL)), 0o600))
	t.Setenv("KILL_TEST_SECRET", "k1ll")
	args := []string{"--data-dir", filepath.Join(dir, "data"), "--config", cfgPath, "--ack-wait", "2s"}
	storeArgs := []string{"--data-dir", filepath.Join(dir, "data")}
	if pg {
		u := pgtest.NewSchemaURL(t)
		args = append(args, "--database-url", u)
		storeArgs = []string{"--database-url", u}
	}

	srv := startServe(t, args...)
	dealerKey := lines(cli(t, append([]string{"apikey", "create", "--partner", "dealer-k"}, storeArgs...)...))[0]
	opKey := lines(cli(t, append([]string{"apikey", "create", "--operator"}, storeArgs...)...))[0]

	// Post batches of 20 orders from 4 clients until the process dies.
	var (
		mu       sync.Mutex
		accepted = map[string]bool{} // message ids that got a 202
		next     atomic.Int64
		wg       sync.WaitGroup
	)
	post := func(url string) bool {
		n := next.Add(1) - 1
		batch := make([]map[string]any, 20)
		for i := range batch {
			batch[i] = map[string]any{
				"external_id": fmt.Sprintf("PO-%05d-%02d", n, i), "receiver": "supplier-k", "status": "sent",
				"order_date": "2026-11-25",
				"lines":      []map[string]any{{"line_no": 1, "sku": "SKU-1", "quantity": "2", "unit": "EA"}},
			}
		}
		b, _ := json.Marshal(batch)
		req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/documents/order", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+dealerKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return false
		}
		var out struct {
			Messages []struct{ ID string } `json:"messages"`
		}
		if json.NewDecoder(resp.Body).Decode(&out) != nil {
			return false
		}
		mu.Lock()
		for _, m := range out.Messages {
			accepted[m.ID] = true
		}
		mu.Unlock()
		return true
	}
	for range 4 {
		wg.Go(func() {
			for post(srv.url) {
			}
		})
	}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(accepted) >= 400
	}, 60*time.Second, 5*time.Millisecond)
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGKILL))
	<-srv.done
	wg.Wait()
	mu.Lock()
	ids := make([]string, 0, len(accepted))
	for id := range accepted {
		ids = append(ids, id)
	}
	mu.Unlock()
	t.Logf("%d messages accepted before SIGKILL", len(ids))

	srv = startServe(t, args...)
	// Every accepted message ends done.
	for _, id := range ids {
		require.Eventually(t, func() bool {
			var m struct{ Status string }
			return api(t, http.MethodGet, srv.url+"/api/v1/messages/"+id, opKey, nil, &m) == http.StatusOK && m.Status == "done"
		}, 60*time.Second, 20*time.Millisecond, "message %s", id)
	}
	// No document twice: external ids are unique and cover every accepted message.
	docs := listAll(t, srv.url+"/api/v1/documents/order", opKey)
	seen := map[string]bool{}
	for _, raw := range docs {
		var d struct {
			ExternalID string `json:"external_id"`
			Version    int    `json:"version"`
		}
		require.NoError(t, json.Unmarshal(raw, &d))
		require.False(t, seen[d.ExternalID], "document %s stored twice", d.ExternalID)
		require.Equal(t, 1, d.Version, "document %s has a second version", d.ExternalID)
		seen[d.ExternalID] = true
	}
	require.GreaterOrEqual(t, len(docs), len(ids))

	// Every document has exactly one delivery, and all of them arrive.
	if !assert.Eventually(t, func() bool {
		ds := listAll(t, srv.url+"/api/v1/deliveries?status=delivered", opKey)
		return len(ds) == len(docs)
	}, 90*time.Second, 100*time.Millisecond, "all deliveries delivered") {
		byStatus := map[string]int{}
		for _, raw := range listAll(t, srv.url+"/api/v1/deliveries", opKey) {
			var d struct {
				Status    string `json:"status"`
				Attempts  int    `json:"attempts"`
				LastError string `json:"last_error"`
			}
			require.NoError(t, json.Unmarshal(raw, &d))
			byStatus[fmt.Sprintf("%s attempts=%d %s", d.Status, d.Attempts, d.LastError)]++
		}
		t.Fatalf("deliveries by status: %v", byStatus)
	}
	require.Len(t, listAll(t, srv.url+"/api/v1/deliveries", opKey), len(docs))
	require.Equal(t, len(docs), rcv.distinct(), "the endpoint saw each delivery")
}
