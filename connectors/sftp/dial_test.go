package sftp

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/dealerhub/dealerhub/connectors"
)

func TestDialVerifiesTheHostKey(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	other, _ := newKey(t)
	offered := "ssh-ed25519 " + ssh.FingerprintSHA256(srv.hostKey.PublicKey())
	cases := []struct {
		name string
		edit func(*Connection)
		want []string // substrings of the error; nil: the dial succeeds
	}{
		{"pinned key", func(c *Connection) {}, nil},
		{"pinned fingerprint", func(c *Connection) { c.HostKey = ssh.FingerprintSHA256(srv.hostKey.PublicKey()) }, nil},
		{"known_hosts", func(c *Connection) { c.HostKey, c.KnownHosts = "", srv.knownHosts(srv.hostKey.PublicKey()) }, nil},
		{"pinned key mismatch", func(c *Connection) { c.HostKey = string(ssh.MarshalAuthorizedKey(other.PublicKey())) },
			[]string{"host key of " + srv.addr + " does not match", "offered " + offered, "host_key expects ssh-ed25519 " + ssh.FingerprintSHA256(other.PublicKey())}},
		{"fingerprint mismatch", func(c *Connection) { c.HostKey = ssh.FingerprintSHA256(other.PublicKey()) },
			[]string{"does not match", offered, "expects " + ssh.FingerprintSHA256(other.PublicKey())}},
		{"known_hosts mismatch", func(c *Connection) { c.HostKey, c.KnownHosts = "", srv.knownHosts(other.PublicKey()) },
			[]string{"host key of " + srv.addr + " does not match", offered, ssh.FingerprintSHA256(other.PublicKey()), "known_hosts:1"}},
		{"unknown host", func(c *Connection) {
			c.HostKey = ""
			c.KnownHosts = filepath.Join(t.TempDir(), "empty")
			require.NoError(t, os.WriteFile(c.KnownHosts, nil, 0o600))
		}, []string{"host key of " + srv.addr + " refused", "not in", offered}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := srv.conn()
			tc.edit(&c)
			cl, err := Dial(context.Background(), c)
			if tc.want == nil {
				require.NoError(t, err)
				require.NoError(t, cl.Close())
				return
			}
			require.Error(t, err)
			var hk *HostKeyError
			require.True(t, errors.As(err, &hk), "%v", err)
			require.True(t, connectors.IsPermanent(err))
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestDialRefusesWrongCredentials(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	_, wrongPEM := newKey(t)
	keyFile := filepath.Join(t.TempDir(), "id_ed25519")
	require.NoError(t, os.WriteFile(keyFile, srv.userPEM, 0o600))
	cases := []struct {
		name string
		edit func(*Connection)
		ok   bool
	}{
		{"key", func(c *Connection) {}, true},
		{"key file", func(c *Connection) { c.Key, c.KeyFile = "", keyFile }, true},
		{"password", func(c *Connection) { c.Key, c.Password = "", srv.password }, true},
		{"wrong key, right password", func(c *Connection) { c.Key, c.Password = string(wrongPEM), srv.password }, true},
		{"wrong key", func(c *Connection) { c.Key = string(wrongPEM) }, false},
		{"wrong password", func(c *Connection) { c.Key, c.Password = "", "guess" }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := srv.conn()
			tc.edit(&c)
			cl, err := Dial(context.Background(), c)
			if tc.ok {
				require.NoError(t, err)
				require.NoError(t, cl.Close())
				return
			}
			var ae *AuthError
			require.True(t, errors.As(err, &ae), "%v", err)
			require.True(t, connectors.IsPermanent(err))
			require.Contains(t, err.Error(), `login to `+srv.addr+` as "partner" refused`)
		})
	}
}

func TestDialReportsKeyProblems(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	_, priv, err := newEncryptedKey(t, "secret")
	require.NoError(t, err)

	c := srv.conn()
	c.Key = string(priv)
	_, err = Dial(context.Background(), c)
	require.ErrorContains(t, err, "key is encrypted: set key_passphrase")
	require.True(t, connectors.IsPermanent(err))

	c.KeyPassphrase = "secret"
	_, err = Dial(context.Background(), c) // the key parses, but the server does not know it
	var ae *AuthError
	require.True(t, errors.As(err, &ae), "%v", err)

	c = srv.conn()
	c.Key, c.KeyFile = "", filepath.Join(t.TempDir(), "missing")
	_, err = Dial(context.Background(), c)
	require.ErrorContains(t, err, "reading key_file")
}

func TestDialTimesOutOnASilentServer(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() { // accept and say nothing
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	srv := startServer(t)
	c := srv.conn()
	c.Port = ln.Addr().(*net.TCPAddr).Port
	c.Timeout = Duration(100 * time.Millisecond)
	_, err = Dial(context.Background(), c)
	require.Error(t, err)
	require.False(t, connectors.IsPermanent(err))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Timeout = 0
	_, err = Dial(ctx, c)
	require.ErrorIs(t, err, context.Canceled)
}
