package sftp

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pkg/sftp"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// testServer is an SSH server on loopback that serves pkg/sftp's request
// server over a folder (its root), with hooks to misbehave on cue.
type testServer struct {
	t        *testing.T
	addr     string
	root     string
	hostKey  ssh.Signer
	userKey  ssh.Signer // the one client key the server accepts
	userPEM  []byte
	password string

	mu    sync.Mutex
	conns []net.Conn
	// beforeRead runs when a client opens root-relative path p for reading.
	beforeRead func(p string)
	// wrapRead may replace the reader of a download; conn is the client's
	// connection, to cut it.
	wrapRead func(p string, r io.ReaderAt, conn net.Conn) io.ReaderAt
	// onWrite runs before each write to p.
	onWrite func(p string)
	wg      sync.WaitGroup
}

// newKey returns a fresh ed25519 signer and its private key's PEM text.
func newKey(t *testing.T) (ssh.Signer, []byte) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	signer, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	block, err := ssh.MarshalPrivateKey(priv, "")
	require.NoError(t, err)
	return signer, pem.EncodeToMemory(block)
}

func startServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{t: t, root: t.TempDir(), password: "pa55word"}
	s.hostKey, _ = newKey(t)
	s.userKey, s.userPEM = newKey(t)
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(key.Marshal(), s.userKey.PublicKey().Marshal()) {
				return nil, nil
			}
			return nil, errors.New("unknown key")
		},
		PasswordCallback: func(_ ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if string(pw) == s.password {
				return nil, nil
			}
			return nil, errors.New("wrong password")
		},
	}
	cfg.AddHostKey(s.hostKey)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.addr = ln.Addr().String()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serveConn(c, cfg)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *testServer) serveConn(c net.Conn, cfg *ssh.ServerConfig) {
	defer c.Close()
	_, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "session only")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			for req := range creqs {
				ok := req.Type == "subsystem" && len(req.Payload) > 4 && string(req.Payload[4:]) == "sftp"
				req.Reply(ok, nil)
				if ok {
					srv := sftp.NewRequestServer(ch, s.handlers(c))
					srv.Serve()
					srv.Close()
				}
			}
		}()
	}
}

// port returns the server's port.
func (s *testServer) port() int { return s.addrPort().Port }

func (s *testServer) addrPort() *net.TCPAddr {
	a, err := net.ResolveTCPAddr("tcp", s.addr)
	require.NoError(s.t, err)
	return a
}

// knownHosts writes a known_hosts file listing key for the server.
func (s *testServer) knownHosts(key ssh.PublicKey) string {
	p := filepath.Join(s.t.TempDir(), "known_hosts")
	line := knownhosts.Line([]string{knownhosts.Normalize(s.addr)}, key)
	require.NoError(s.t, os.WriteFile(p, []byte(line+"\n"), 0o600))
	return p
}

// conn returns a Connection that trusts the server and logs in with the
// accepted key.
func (s *testServer) conn() Connection {
	return Connection{
		Host: "127.0.0.1", Port: s.port(), User: "partner", Key: string(s.userPEM),
		HostKey: string(ssh.MarshalAuthorizedKey(s.hostKey.PublicKey())),
	}
}

// path maps a remote path to the local file.
func (s *testServer) path(p string) string { return filepath.Join(s.root, filepath.FromSlash(p)) }

// write puts a file under root.
func (s *testServer) write(p, body string) {
	require.NoError(s.t, os.MkdirAll(filepath.Dir(s.path(p)), 0o755))
	require.NoError(s.t, os.WriteFile(s.path(p), []byte(body), 0o644))
}

// read returns a file's content under root, or "" and false.
func (s *testServer) read(p string) (string, bool) {
	b, err := os.ReadFile(s.path(p))
	return string(b), err == nil
}

// names lists a folder under root.
func (s *testServer) names(p string) []string {
	es, err := os.ReadDir(s.path(p))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	require.NoError(s.t, err)
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// newEncryptedKey returns a fresh key's signer and its PEM text encrypted
// with passphrase.
func newEncryptedKey(t *testing.T, passphrase string) (ssh.Signer, []byte, error) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	signer, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte(passphrase))
	return signer, pem.EncodeToMemory(block), err
}

// hook changes the server's hooks under its lock.
func (s *testServer) hook(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}
