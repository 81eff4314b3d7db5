// Package sftptest runs an SFTP server in-process for tests: an SSH server
// on 127.0.0.1 serving pkg/sftp's request server over a temporary folder,
// with OpenSSH's rename semantics (rename refuses an existing target,
// posix-rename@openssh.com replaces it). It accepts one generated client key
// and presents a generated host key, so a client must verify it.
//
//	srv := sftptest.Start(t)
//	srv.WriteFile("/outbox/prices.csv", "SKU,Price\nA-1,9.50\n")
//	conn := sftp.Connection{Host: srv.Host, Port: srv.Port, User: srv.User,
//		Key: string(srv.ClientKeyPEM), HostKey: srv.HostKeyLine}
//
// For a real OpenSSH server, see connectors/sftp/sshtest.
package sftptest

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
	"strings"
	"sync"
	"testing"

	"github.com/pkg/sftp"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Server is a running in-process SFTP server. Its fields are read-only.
type Server struct {
	// Addr is host:port; Host is 127.0.0.1 and Port the chosen port.
	Addr string
	Host string
	Port int
	// User is the login name the server expects (any name is accepted).
	User string
	// Root is the local folder the server serves as "/".
	Root string
	// HostKeyLine is the server's host key in authorized_keys form
	// ("ssh-ed25519 AAAA…"), for a pinned host_key.
	HostKeyLine string
	// KnownHostsFile is a known_hosts file listing the host key at Addr.
	KnownHostsFile string
	// ClientKeyPEM is the accepted client's private key (OpenSSH PEM,
	// unencrypted); ClientKeyFile holds it (mode 0600).
	ClientKeyPEM  []byte
	ClientKeyFile string

	t       testing.TB
	hostKey ssh.Signer
	client  ssh.PublicKey
	mu      sync.Mutex
	conns   []net.Conn
	wg      sync.WaitGroup
}

// Start runs a server for the test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	dir := t.TempDir()
	s := &Server{t: t, Host: "127.0.0.1", User: "partner", Root: filepath.Join(dir, "root")}
	require.NoError(t, os.Mkdir(s.Root, 0o755))
	s.hostKey, _ = newKey(t)
	var clientSigner ssh.Signer
	clientSigner, s.ClientKeyPEM = newKey(t)
	s.client = clientSigner.PublicKey()
	s.HostKeyLine = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.hostKey.PublicKey())))
	s.ClientKeyFile = filepath.Join(dir, "client_ed25519")
	require.NoError(t, os.WriteFile(s.ClientKeyFile, s.ClientKeyPEM, 0o600))

	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(key.Marshal(), s.client.Marshal()) {
				return nil, nil
			}
			return nil, errors.New("unknown key")
		},
	}
	cfg.AddHostKey(s.hostKey)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.Addr = ln.Addr().String()
	s.Port = ln.Addr().(*net.TCPAddr).Port
	s.KnownHostsFile = filepath.Join(dir, "known_hosts")
	line := knownhosts.Line([]string{knownhosts.Normalize(s.Addr)}, s.hostKey.PublicKey())
	require.NoError(t, os.WriteFile(s.KnownHostsFile, []byte(line+"\n"), 0o600))

	s.wg.Add(1)
	go s.accept(ln, cfg)
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

func (s *Server) accept(ln net.Listener, cfg *ssh.ServerConfig) {
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
}

func (s *Server) serveConn(c net.Conn, cfg *ssh.ServerConfig) {
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
					h := &handler{root: s.Root}
					srv := sftp.NewRequestServer(ch, sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h})
					srv.Serve()
					srv.Close()
				}
			}
		}()
	}
}

// Path maps a remote path ("/outbox/a.csv") to the local file.
func (s *Server) Path(p string) string { return filepath.Join(s.Root, filepath.FromSlash(p)) }

// WriteFile puts a file on the server, making its folders.
func (s *Server) WriteFile(p, body string) {
	s.t.Helper()
	require.NoError(s.t, os.MkdirAll(filepath.Dir(s.Path(p)), 0o755))
	require.NoError(s.t, os.WriteFile(s.Path(p), []byte(body), 0o644))
}

// Mkdir makes a folder on the server, with its parents.
func (s *Server) Mkdir(p string) {
	s.t.Helper()
	require.NoError(s.t, os.MkdirAll(s.Path(p), 0o755))
}

// ReadFile returns a file's content, or "" and false when it is absent.
func (s *Server) ReadFile(p string) (string, bool) {
	b, err := os.ReadFile(s.Path(p))
	return string(b), err == nil
}

// Names lists a folder's entries in name order (none when it is absent).
func (s *Server) Names(p string) []string {
	s.t.Helper()
	es, err := os.ReadDir(s.Path(p))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	require.NoError(s.t, err)
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// newKey returns a fresh ed25519 signer and its private key's PEM text.
func newKey(t testing.TB) (ssh.Signer, []byte) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	signer, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	block, err := ssh.MarshalPrivateKey(priv, "")
	require.NoError(t, err)
	return signer, pem.EncodeToMemory(block)
}

// handler serves root with OpenSSH's semantics where they matter: rename
// refuses an existing target, posix-rename replaces it.
type handler struct{ root string }

func (h *handler) path(p string) string { return filepath.Join(h.root, filepath.FromSlash(p)) }

func (h *handler) Fileread(r *sftp.Request) (io.ReaderAt, error) { return os.Open(h.path(r.Filepath)) }

func (h *handler) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	fl := r.Pflags()
	flags := os.O_WRONLY
	if fl.Creat {
		flags |= os.O_CREATE
	}
	if fl.Trunc {
		flags |= os.O_TRUNC
	}
	if fl.Excl {
		flags |= os.O_EXCL
	}
	return os.OpenFile(h.path(r.Filepath), flags, 0o644)
}

func (h *handler) Filecmd(r *sftp.Request) error {
	p := h.path(r.Filepath)
	switch r.Method {
	case "Setstat":
		if r.AttrFlags().Size {
			return os.Truncate(p, int64(r.Attributes().Size))
		}
		return nil
	case "Rename":
		if _, err := os.Lstat(h.path(r.Target)); err == nil {
			return sftp.ErrSSHFxFailure
		}
		return os.Rename(p, h.path(r.Target))
	case "Rmdir", "Remove":
		return os.Remove(p)
	case "Mkdir":
		return os.Mkdir(p, 0o755)
	}
	return sftp.ErrSSHFxOpUnsupported
}

// PosixRename replaces the target, as OpenSSH's posix-rename@openssh.com.
func (h *handler) PosixRename(r *sftp.Request) error {
	return os.Rename(h.path(r.Filepath), h.path(r.Target))
}

func (h *handler) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	p := h.path(r.Filepath)
	switch r.Method {
	case "List":
		es, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var list listing
		for _, e := range es {
			if fi, err := e.Info(); err == nil {
				list = append(list, fi)
			}
		}
		return list, nil
	case "Stat":
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		return listing{fi}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

type listing []os.FileInfo

func (l listing) ListAt(out []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(out, l[off:])
	if n < len(out) {
		return n, io.EOF
	}
	return n, nil
}
