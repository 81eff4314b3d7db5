package sftp

import (
	"context"
	"encoding/json"
	"net"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/dealerhub/dealerhub/connectors"
)

func sinkOutbound(t *testing.T, cfg SinkConfig, body string) connectors.Outbound {
	t.Helper()
	raw, err := json.Marshal(cfg)
	require.NoError(t, err)
	return connectors.Outbound{
		DeliveryID: "d-42", Attempt: 1, Sender: "dealer-a", Receiver: "acme", Doctype: "order",
		DocumentID: "doc-1", Version: 1, ExternalID: "PO/2026/7", Format: "x12-850",
		Body: []byte(body), Config: raw,
	}
}

func lookup(srv *testServer) ConnectionLookup {
	return func(partner string) (Connection, bool) {
		if partner != "acme" {
			return Connection{}, false
		}
		return srv.conn(), true
	}
}

func TestSinkWritesUnderATemporaryNameThenRenames(t *testing.T) {
	t.Parallel()
	for _, posix := range []bool{true, false} {
		name := map[bool]string{true: "posix-rename", false: "remove and rename"}[posix]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			srv.write("/inbox/.keep", "")
			sink := NewSink(lookup(srv), nil)
			sink.noPosixRename = !posix
			const final = "/inbox/order-PO_2026_7-d-42.x12"

			// Whenever a byte is written, the final name holds nothing or
			// the whole body of an earlier attempt: never a partial file.
			var mu sync.Mutex
			var writes, partial []string
			var whole string
			srv.hook(func() {
				srv.onWrite = func(p string) {
					mu.Lock()
					defer mu.Unlock()
					writes = append(writes, p)
					if got, ok := srv.read(final); ok && got != whole {
						partial = append(partial, got)
					}
				}
			})
			body := strings.Repeat("ISA*00*~", 300_000) // 2.4 MB: several writes
			out := sinkOutbound(t, SinkConfig{Upload: Upload{Dir: "/inbox"}}, body)
			require.NoError(t, sink.Deliver(context.Background(), out))
			got, _ := srv.read(final)
			require.True(t, got == body)
			require.ElementsMatch(t, []string{".keep", path.Base(final)}, srv.names("/inbox"))
			require.Greater(t, len(writes), 1)
			require.Equal(t, "/inbox/.order-PO_2026_7-d-42.x12.tmp", writes[0])
			require.Empty(t, partial, "the final name held a partial file")

			// A retry of the same delivery overwrites the same name.
			mu.Lock()
			whole, writes = body, nil
			mu.Unlock()
			out.Attempt = 2
			require.NoError(t, sink.Deliver(context.Background(), out))
			require.ElementsMatch(t, []string{".keep", path.Base(final)}, srv.names("/inbox"))
			got, _ = srv.read(final)
			require.True(t, got == body)
			mu.Lock()
			defer mu.Unlock()
			require.Empty(t, partial, "the final name held a partial file during the retry")
		})
	}
}

func TestSinkUsesTheRouteSettings(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.write("/in/.keep", "")
	sink := NewSink(lookup(srv), nil)
	var mu sync.Mutex
	var written []string
	srv.hook(func() {
		srv.onWrite = func(p string) {
			mu.Lock()
			defer mu.Unlock()
			written = append(written, p)
		}
	})
	out := sinkOutbound(t, SinkConfig{Connection: "acme", Upload: Upload{
		Dir: "/in", Name: "{sender}_{document_id}_v{version}.{ext}", TempPrefix: "tmp-", TempSuffix: ".part",
	}}, `{"a":1}`)
	out.Receiver, out.Format = "someone-else", "json"
	require.NoError(t, sink.Deliver(context.Background(), out))
	got, ok := srv.read("/in/dealer-a_doc-1_v1.json")
	require.True(t, ok, "%v", srv.names("/in"))
	require.Equal(t, `{"a":1}`, got)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, "/in/tmp-dealer-a_doc-1_v1.json.part", written[0])
}

func TestSinkClassifiesFailures(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.write("/readonly/.keep", "")
	other, _ := newKey(t)
	cases := []struct {
		name      string
		cfg       string
		conn      func(*Connection)
		permanent bool
		want      string
	}{
		{"unknown setting", `{"dir":"/inbox","nme":"x"}`, nil, true, `unknown field "nme"`},
		{"no dir", `{}`, nil, true, "sftp.upload.dir: is required"},
		{"bad template", `{"dir":"/inbox","name":"{doctype}.{ext}"}`, nil, true, "must contain {delivery_id} or {document_id}"},
		{"no connection", `{"dir":"/inbox","connection":"nobody"}`, nil, true, `partner "nobody" has no sftp connection`},
		{"host key changed", `{"dir":"/inbox"}`, func(c *Connection) { c.HostKey = ssh.FingerprintSHA256(other.PublicKey()) }, true, "does not match"},
		{"login refused", `{"dir":"/inbox"}`, func(c *Connection) { c.Key, c.Password = "", "nope" }, true, "refused"},
		{"permission denied", `{"dir":"/readonly"}`, nil, true, "permission denied"},
		{"missing folder", `{"dir":"/nowhere"}`, nil, false, "/nowhere/.order-PO_2026_7-d-42.x12.tmp"},
		{"server down", `{"dir":"/inbox"}`, func(c *Connection) { c.Port = closedPort(t) }, false, "connecting to sftp"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sink := NewSink(func(p string) (Connection, bool) {
				c := srv.conn()
				if tc.conn != nil {
					tc.conn(&c)
				}
				return c, p == "acme"
			}, nil)
			out := sinkOutbound(t, SinkConfig{}, "x")
			out.Config = []byte(tc.cfg)
			err := sink.Deliver(context.Background(), out)
			require.Error(t, err)
			require.Contains(t, strings.ToLower(err.Error()), strings.ToLower(tc.want))
			require.Equal(t, tc.permanent, connectors.IsPermanent(err), "%v", err)
		})
	}
	require.Equal(t, []string{".keep"}, srv.names("/readonly"))
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return port
}
