package sftp

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/sftp/sshtest"
)

// realConnection is how the connector reaches the test's OpenSSH server:
// key login, host key from a known_hosts file.
func realConnection(srv *sshtest.Server) Connection {
	return Connection{Host: srv.Host, Port: srv.Port, User: srv.User, KeyFile: srv.ClientKeyFile, KnownHosts: srv.KnownHostsFile}
}

// TestOpenSSH runs the connector against a real OpenSSH sftp server
// (internal-sftp), started privately on loopback.
func TestOpenSSH(t *testing.T) {
	srv := sshtest.Start(t)
	ctx := context.Background()

	t.Run("host key checked", func(t *testing.T) {
		c, err := Dial(ctx, realConnection(srv))
		require.NoError(t, err)
		require.NoError(t, c.Close())

		wrong := realConnection(srv)
		wrong.KnownHosts = ""
		wrong.HostKey = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
		_, err = Dial(ctx, wrong)
		var hke *HostKeyError
		require.ErrorAs(t, err, &hke)
		require.ErrorContains(t, err, "ssh-ed25519")
	})

	t.Run("poller imports, archives and reports failures", func(t *testing.T) {
		srv.MkdirAll(t, "outbox")
		srv.WriteFile(t, "outbox/prices.csv", []byte("货号,单价,单位\nA-1,10.00,个\n"))
		srv.WriteFile(t, "outbox/broken.csv", []byte("not,a,price,list\n"))
		hub := newFakeHub()
		hub.verdict = func(id string) (string, []string, error) {
			// Each file here is new, so the n-th request is message msg-n.
			for i, r := range hub.requests() {
				if id == fmt.Sprintf("msg-%d", i+1) && strings.Contains(string(r.Body), "not,a,price") {
					return StatusFailed, []string{"no header row found"}, nil
				}
			}
			return StatusDone, nil, nil
		}
		p, err := NewPoller("acme", Config{Connection: realConnection(srv), Poll: &Poll{Dir: "outbox", Doctype: "price_list"}}, hub, nil)
		require.NoError(t, err)
		t.Cleanup(p.Close)

		rep, err := p.PollOnce(ctx, hub)
		require.NoError(t, err)
		require.Equal(t, 2, rep.Waiting, "a file is taken only once it is seen unchanged twice")
		require.Zero(t, hub.messages())
		rep, err = p.PollOnce(ctx, hub)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Imported, "%+v", rep)
		require.Equal(t, 1, rep.Failed, "%+v", rep)

		require.Equal(t, []string{"archive/", "error/"}, srv.List(t, "outbox"))
		require.Equal(t, []string{"prices.csv"}, srv.List(t, "outbox/archive"))
		require.Equal(t, []string{"broken.csv", "broken.csv.error.txt"}, srv.List(t, "outbox/error"))
		require.Contains(t, string(srv.ReadFile(t, "outbox/error/broken.csv.error.txt")), "no header row found")
		for _, r := range hub.requests() {
			require.Equal(t, "csv", r.Format)
			require.True(t, strings.HasPrefix(r.Source, "sftp:acme/"), r.Source)
		}
	})

	t.Run("sink renames complete files into place", func(t *testing.T) {
		srv.MkdirAll(t, "inbound")
		sink := NewSink(func(partner string) (Connection, bool) { return realConnection(srv), partner == "acme" }, nil)
		out := connectors.Outbound{DeliveryID: "d-1", Attempt: 1, Sender: "north", Receiver: "acme", Doctype: "order",
			ExternalID: "PO-7", Format: "json", Body: []byte(`{"external_id":"PO-7"}`), Config: []byte(`{"dir":"inbound"}`)}
		require.NoError(t, sink.Deliver(ctx, out))
		out.Attempt, out.Body = 2, []byte(`{"external_id":"PO-7","retry":true}`)
		require.NoError(t, sink.Deliver(ctx, out), "a retry overwrites the same name")
		require.Equal(t, []string{"order-PO-7-d-1.json"}, srv.List(t, "inbound"))
		require.Equal(t, `{"external_id":"PO-7","retry":true}`, string(srv.ReadFile(t, "inbound/order-PO-7-d-1.json")))

		none := NewSink(func(string) (Connection, bool) { return Connection{}, false }, nil)
		err := none.Deliver(ctx, out)
		require.Error(t, err)
		require.True(t, connectors.IsPermanent(err), "no connection for the receiver is permanent: %v", err)
	})
}

// TestOpenSSHMaxSize: a file over poll.max_size is not downloaded; it goes
// to the error folder with the reason.
func TestOpenSSHMaxSize(t *testing.T) {
	srv := sshtest.Start(t)
	ctx := context.Background()
	srv.MkdirAll(t, "outbox")
	srv.WriteFile(t, "outbox/huge.csv", make([]byte, 2048))
	hub := newFakeHub()
	p, err := NewPoller("acme", Config{Connection: realConnection(srv), Poll: &Poll{Dir: "outbox", Doctype: "price_list", MaxSize: 1024}}, hub, nil)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	for range 2 {
		_, err = p.PollOnce(ctx, hub)
		require.NoError(t, err)
	}
	require.Zero(t, hub.messages(), "nothing handed to the hub")
	require.Equal(t, []string{"huge.csv", "huge.csv.error.txt"}, srv.List(t, "outbox/error"))
	require.Contains(t, string(srv.ReadFile(t, "outbox/error/huge.csv.error.txt")), "huge.csv is 2048 bytes; the largest file taken is 1024 bytes (poll.max_size")
}
