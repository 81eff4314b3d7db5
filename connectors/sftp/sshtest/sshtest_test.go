package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/pkg/sftp"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// dialSFTP opens an SFTP client to srv with cfg; both close when the test
// ends.
func dialSFTP(t *testing.T, srv *Server, cfg *ssh.ClientConfig) *sftp.Client {
	t.Helper()
	conn, err := ssh.Dial("tcp", srv.Addr, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	c, err := sftp.NewClient(conn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// otherKey returns a fresh ed25519 signer that the server does not know.
func otherKey(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	s, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	return s
}

func TestSFTPSessionWritesReadsRenamesAndLists(t *testing.T) {
	t.Parallel()
	srv := Start(t)
	c := dialSFTP(t, srv, srv.ClientConfig())

	wd, err := c.Getwd()
	require.NoError(t, err)
	require.Equal(t, srv.DataDir, wd, "the session starts in DataDir")

	// A client upload is seen by the test under DataDir.
	require.NoError(t, c.MkdirAll("inbound"))
	f, err := c.Create("inbound/order.x12.part")
	require.NoError(t, err)
	_, err = f.Write([]byte("ISA*00*~"))
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, c.Rename("inbound/order.x12.part", "inbound/order.x12"))
	require.Equal(t, []string{"order.x12"}, srv.List(t, "inbound"))
	require.Equal(t, "ISA*00*~", string(srv.ReadFile(t, "inbound/order.x12")))

	// A file the test drops is seen by the client.
	srv.WriteFile(t, "outbound/prices.csv", []byte("sku,price\nA-1,12.50\n"))
	r, err := c.Open("outbound/prices.csv")
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.Equal(t, "sku,price\nA-1,12.50\n", string(got))
	infos, err := c.ReadDir(".")
	require.NoError(t, err)
	var names []string
	for _, fi := range infos {
		names = append(names, fi.Name())
	}
	require.ElementsMatch(t, []string{"inbound", "outbound"}, names)
	require.Equal(t, []string{"inbound/", "outbound/"}, srv.List(t, ""))
	require.Equal(t, []string{}, srv.List(t, "missing"))

	// Plain SFTP rename refuses to replace a file; posix-rename@openssh.com
	// replaces it, which a sink that retries relies on.
	srv.WriteFile(t, "inbound/order.x12.tmp", []byte("ISA*01*~"))
	require.Error(t, c.Rename("inbound/order.x12.tmp", "inbound/order.x12"))
	require.NoError(t, c.PosixRename("inbound/order.x12.tmp", "inbound/order.x12"))
	require.Equal(t, "ISA*01*~", string(srv.ReadFile(t, "inbound/order.x12")))
	require.Equal(t, []string{"order.x12"}, srv.List(t, "inbound"))
}

func TestHostKeyVerification(t *testing.T) {
	t.Parallel()
	srv := Start(t)
	stranger := otherKey(t).PublicKey()
	strangerFile := filepath.Join(t.TempDir(), "known_hosts")
	require.NoError(t, os.WriteFile(strangerFile, []byte(knownhosts.Line([]string{srv.Addr}, stranger)+"\n"), 0o600))
	emptyFile := filepath.Join(t.TempDir(), "known_hosts")
	require.NoError(t, os.WriteFile(emptyFile, nil, 0o600))

	tests := []struct {
		name     string
		callback func(t *testing.T) ssh.HostKeyCallback
		wantErr  string // empty: the handshake succeeds
		wantKey  bool   // a knownhosts.KeyError that names a different key
	}{
		{name: "pinned key", callback: func(*testing.T) ssh.HostKeyCallback { return ssh.FixedHostKey(srv.HostKey) }},
		{name: "known_hosts file", callback: knownHosts(srv.KnownHostsFile)},
		{name: "wrong pinned key", callback: func(*testing.T) ssh.HostKeyCallback { return ssh.FixedHostKey(stranger) },
			wantErr: "ssh: host key mismatch"},
		{name: "known_hosts with another key", callback: knownHosts(strangerFile), wantErr: "key mismatch", wantKey: true},
		{name: "host not in known_hosts", callback: knownHosts(emptyFile), wantErr: "key is unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := srv.ClientConfig()
			cfg.HostKeyCallback = tt.callback(t)
			conn, err := ssh.Dial("tcp", srv.Addr, cfg)
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.NoError(t, conn.Close())
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
			var keyErr *knownhosts.KeyError
			if tt.wantKey {
				require.True(t, errors.As(err, &keyErr))
				require.Len(t, keyErr.Want, 1)
				require.Equal(t, stranger.Marshal(), keyErr.Want[0].Key.Marshal())
			}
		})
	}
}

// knownHosts returns a callback maker reading the known_hosts file at path.
func knownHosts(path string) func(t *testing.T) ssh.HostKeyCallback {
	return func(t *testing.T) ssh.HostKeyCallback {
		cb, err := knownhosts.New(path)
		require.NoError(t, err)
		return cb
	}
}

func TestClientAuthentication(t *testing.T) {
	t.Parallel()
	srv := Start(t)
	keyFromFile := func(t *testing.T) ssh.AuthMethod {
		pemBytes, err := os.ReadFile(srv.ClientKeyFile)
		require.NoError(t, err)
		require.Equal(t, srv.ClientKeyPEM, pemBytes)
		signer, err := ssh.ParsePrivateKey(pemBytes)
		require.NoError(t, err)
		return ssh.PublicKeys(signer)
	}
	tests := []struct {
		name    string
		user    string
		auth    func(t *testing.T) ssh.AuthMethod
		wantErr bool
	}{
		{name: "client key file", user: srv.User, auth: keyFromFile},
		{name: "wrong client key", user: srv.User, wantErr: true,
			auth: func(t *testing.T) ssh.AuthMethod { return ssh.PublicKeys(otherKey(t)) }},
		{name: "password", user: srv.User, wantErr: true,
			auth: func(*testing.T) ssh.AuthMethod { return ssh.Password("secret") }},
		{name: "other user with the client key", user: srv.User + "x", auth: keyFromFile, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := srv.ClientConfig()
			cfg.User = tt.user
			cfg.Auth = []ssh.AuthMethod{tt.auth(t)}
			conn, err := ssh.Dial("tcp", srv.Addr, cfg)
			if tt.wantErr {
				require.ErrorContains(t, err, "ssh: unable to authenticate")
				return
			}
			require.NoError(t, err)
			require.NoError(t, conn.Close())
		})
	}
	info, err := os.Stat(srv.ClientKeyFile)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func TestStopEndsServerAndSessions(t *testing.T) {
	t.Parallel()
	srv := Start(t)
	c := dialSFTP(t, srv, srv.ClientConfig())
	_, err := c.Getwd()
	require.NoError(t, err)
	var sessions []int
	for _, level := range descendants(srv.PID()) {
		sessions = append(sessions, level...)
	}
	if runtime.GOOS == "linux" {
		require.NotEmpty(t, sessions, "an open connection has its own sshd processes")
	}

	require.NoError(t, srv.Stop())
	require.NoError(t, srv.Stop(), "a second Stop returns the first result")
	require.Empty(t, waitGone(append(sessions, srv.PID()), 0), "no sshd process remains")
	_, err = c.Getwd()
	require.Error(t, err, "the session ended with the server")
	conn, err := net.Dial("tcp", srv.Addr)
	if err == nil {
		_ = conn.Close()
	}
	require.Error(t, err, "nothing listens on the port any more")
}

func TestParallelServersGetTheirOwnPorts(t *testing.T) {
	var mu sync.Mutex
	ports := map[int]string{}
	t.Run("group", func(t *testing.T) {
		for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := Start(t)
				mu.Lock()
				ports[srv.Port] = name
				mu.Unlock()
				srv.WriteFile(t, name+".txt", []byte(name))
				c := dialSFTP(t, srv, srv.ClientConfig())
				f, err := c.Open(name + ".txt")
				require.NoError(t, err)
				got, err := io.ReadAll(f)
				require.NoError(t, err)
				require.NoError(t, f.Close())
				require.Equal(t, name, string(got))
			})
		}
	})
	require.Len(t, ports, 6, "each server has a port of its own: %v", ports)
}

func TestRunReportsATakenPort(t *testing.T) {
	t.Parallel()
	srv := Start(t)
	second, err := newServer(t, srv.sshdPath)
	require.NoError(t, err)
	err = second.run(srv.Port)
	require.NoError(t, second.Stop())
	require.ErrorIs(t, err, errPortTaken, "Start picks another port on this error")
	require.Contains(t, second.logTail(), "Cannot bind any address")

	// The first server still answers with its own host key.
	c := dialSFTP(t, srv, srv.ClientConfig())
	_, err = c.Getwd()
	require.NoError(t, err)
}
