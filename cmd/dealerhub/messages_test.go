package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMessagesCommandsWhileServing lists, shows and replays a failed message
// with the CLI while serve runs on the same data dir.
func TestMessagesCommandsWhileServing(t *testing.T) {
	dd := filepath.Join(t.TempDir(), "data")
	cli(t, "partners", "add", "north", "--roles", "dealer", "--data-dir", dd)
	srv := startServe(t, "--data-dir", dd)
	key := lines(cli(t, "apikey", "create", "--partner", "north", "--data-dir", dd))[0]

	var resp struct {
		Messages []struct{ ID string } `json:"messages"`
	}
	order := map[string]any{"external_id": "PO-X", "receiver": "acme", "status": "sent", "order_date": "2026-11-25",
		"lines": []map[string]any{{"line_no": 1, "sku": "A", "quantity": "1", "unit": "EA"}}}
	require.Equal(t, http.StatusAccepted, api(t, http.MethodPost, srv.url+"/api/v1/documents/order", key, order, &resp))
	id := resp.Messages[0].ID

	// acme does not exist yet: the message fails with the reason.
	require.Eventually(t, func() bool {
		var ms []map[string]any
		return json.Unmarshal([]byte(cli(t, "messages", "list", "--json", "--status", "failed", "--data-dir", dd)), &ms) == nil && len(ms) == 1
	}, 20*time.Second, 50*time.Millisecond)
	show := cli(t, "messages", "show", id, "--data-dir", dd)
	require.Contains(t, show, "status:    failed")
	require.Contains(t, show, `no partner "acme"`)

	cli(t, "partners", "add", "acme", "--roles", "supplier", "--data-dir", dd)
	require.Contains(t, cli(t, "messages", "replay", id, "--data-dir", dd), "queued again")
	require.Eventually(t, func() bool {
		var m struct{ Status string }
		return json.Unmarshal([]byte(cli(t, "messages", "show", id, "--json", "--data-dir", dd)), &m) == nil && m.Status == "done"
	}, 20*time.Second, 50*time.Millisecond)
}
