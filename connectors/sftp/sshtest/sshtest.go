package sshtest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// installHint tells a developer how to get sshd.
const installHint = "install it with: apt-get install -y openssh-server"

// startTimeout bounds how long Start waits for sshd to listen and greet.
const startTimeout = 20 * time.Second

// bindAttempts is how often Start picks another port when the one it chose
// was taken between choosing and sshd binding it.
const bindAttempts = 5

// Server is a running private sshd. Its fields are read-only.
type Server struct {
	// Addr is host:port of the server, e.g. "127.0.0.1:40123".
	Addr string
	// Host is the address sshd listens on: 127.0.0.1.
	Host string
	// Port is the TCP port sshd listens on.
	Port int
	// User is the OS user the client logs in as: the one running the test.
	User string
	// HostKey is the server's ed25519 host key.
	HostKey ssh.PublicKey
	// KnownHostsLine is a known_hosts line for HostKey at Addr
	// ("[127.0.0.1]:40123 ssh-ed25519 AAAA…").
	KnownHostsLine string
	// KnownHostsFile is a known_hosts file holding KnownHostsLine.
	KnownHostsFile string
	// ClientKeyPEM is the authorized client's ed25519 private key in
	// OpenSSH PEM form, unencrypted.
	ClientKeyPEM []byte
	// ClientKeyFile is a file (mode 0600) holding ClientKeyPEM.
	ClientKeyFile string
	// ClientSigner signs with the client key.
	ClientSigner ssh.Signer
	// DataDir is the folder SFTP sessions start in, with symlinks resolved.
	DataDir string
	// ConfigFile is the sshd_config the server runs with.
	ConfigFile string
	// LogFile receives sshd's log (LogLevel VERBOSE); tests print it when
	// they fail.
	LogFile string

	dir      string
	sshdPath string
	cmd      *exec.Cmd
	exited   chan struct{} // closed when cmd.Wait returned
	stopOnce sync.Once
	stopErr  error
}

// Start runs a private sshd for the test and stops it, with every session
// it forked, when the test ends. It skips the test when sshd is missing, or
// fails it when CI=true.
func Start(t testing.TB) *Server {
	t.Helper()
	sshdPath, err := findSSHD()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("sshtest: %v; %s", err, installHint)
		}
		t.Skipf("sshtest: %v; %s", err, installHint)
	}
	s, err := newServer(t, sshdPath)
	if err != nil {
		t.Fatalf("sshtest: %v", err)
	}
	for attempt := 1; ; attempt++ {
		var port int
		if port, err = freePort(); err == nil {
			err = s.run(port)
		}
		if err == nil {
			break
		}
		stopErr := s.Stop()
		if errors.Is(err, errPortTaken) && attempt < bindAttempts {
			s.reset()
			continue
		}
		t.Fatalf("sshtest: starting sshd: %v (stop: %v)\n%s", err, stopErr, s.logTail())
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("sshtest: stopping sshd: %v", err)
		}
		if t.Failed() {
			t.Logf("sshtest: sshd log %s:\n%s", s.LogFile, s.logTail())
		}
	})
	return s
}

// findSSHD returns the absolute path of sshd: sshd re-executes itself and
// refuses to run from a relative path.
func findSSHD() (string, error) {
	const debianPath = "/usr/sbin/sshd"
	if _, err := os.Stat(debianPath); err == nil {
		return debianPath, nil
	}
	p, err := exec.LookPath("sshd")
	if err != nil {
		return "", fmt.Errorf("sshd is not installed (not at %s nor on PATH)", debianPath)
	}
	return filepath.Abs(p)
}

// newServer creates the temporary folder with keys, authorized_keys and the
// data folder; the folder is removed when the test ends.
func newServer(t testing.TB, sshdPath string) (*Server, error) {
	u, err := user.Current()
	if err != nil {
		return nil, fmt.Errorf("looking up the current user: %w", err)
	}
	if os.Geteuid() == 0 {
		// Debian's sshd, run as root, insists on its privilege-separation
		// folder; the system service normally creates it at boot.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			return nil, fmt.Errorf("creating sshd's privilege-separation folder: %w", err)
		}
	}
	dir, err := os.MkdirTemp("", "sshtest-")
	if err != nil {
		return nil, fmt.Errorf("creating the server folder: %w", err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("sshtest: removing %s: %v", dir, err)
		}
	})
	if dir, err = filepath.EvalSymlinks(dir); err != nil {
		return nil, fmt.Errorf("resolving the server folder: %w", err)
	}
	if strings.ContainsAny(dir, "\"\\%\n\r\t ") {
		return nil, fmt.Errorf("temporary folder %q has characters sshd_config cannot carry; set TMPDIR", dir)
	}
	s := &Server{
		Host:       "127.0.0.1",
		User:       u.Username,
		DataDir:    filepath.Join(dir, "data"),
		ConfigFile: filepath.Join(dir, "sshd_config"),
		LogFile:    filepath.Join(dir, "sshd.log"),
		dir:        dir,
		sshdPath:   sshdPath,
	}
	if err := os.Mkdir(s.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the data folder: %w", err)
	}
	if err := s.writeKeys(); err != nil {
		return nil, err
	}
	return s, nil
}

// errPortTaken reports that another process bound the chosen port first.
var errPortTaken = errors.New("the chosen port was taken")

// run writes the config and known_hosts for port, starts sshd and waits
// until it listens and greets. It returns errPortTaken when sshd could not
// bind the port.
func (s *Server) run(port int) error {
	s.Port = port
	s.Addr = net.JoinHostPort(s.Host, strconv.Itoa(port))
	s.KnownHostsLine = knownhosts.Line([]string{s.Addr}, s.HostKey)
	s.KnownHostsFile = filepath.Join(s.dir, "known_hosts")
	if err := os.WriteFile(s.KnownHostsFile, []byte(s.KnownHostsLine+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing known_hosts: %w", err)
	}
	conf, err := s.config()
	if err != nil {
		return err
	}
	if err := os.WriteFile(s.ConfigFile, []byte(conf), 0o600); err != nil {
		return fmt.Errorf("writing sshd_config: %w", err)
	}
	logf, err := os.OpenFile(s.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("opening the sshd log: %w", err)
	}
	defer logf.Close() // the child holds its own descriptor
	s.cmd = exec.Command(s.sshdPath, "-D", "-e", "-f", s.ConfigFile)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = procAttr()
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("running %s: %w", s.sshdPath, err)
	}
	exited := make(chan struct{})
	s.exited = exited
	go func(cmd *exec.Cmd) {
		_ = cmd.Wait() // the exit is reported through the log
		close(exited)
	}(s.cmd)
	return s.waitReady()
}

// reset forgets a stopped attempt so run can start another.
func (s *Server) reset() {
	s.cmd, s.exited = nil, nil
	s.stopOnce = sync.Once{}
	s.stopErr = nil
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls until sshd logs that it listens on the port and a
// connection to it gets an SSH banner. Seeing our own "listening" line first
// makes sure the banner comes from our sshd, not from another process that
// took the port.
func (s *Server) waitReady() error {
	listening := fmt.Sprintf("Server listening on %s port %d.", s.Host, s.Port)
	deadline := time.Now().Add(startTimeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.exited:
			log := s.logTail()
			if strings.Contains(log, "Cannot bind any address") || strings.Contains(log, "Address already in use") {
				return fmt.Errorf("port %d: %w", s.Port, errPortTaken)
			}
			return fmt.Errorf("sshd exited: %s", s.cmd.ProcessState)
		case <-tick.C:
		}
		if strings.Contains(s.logTail(), listening) {
			if err := readBanner(s.Addr); err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sshd did not greet on %s within %s", s.Addr, startTimeout)
		}
	}
}

// readBanner connects to addr and reads the SSH identification line.
func readBanner(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return err
	}
	buf := make([]byte, 8)
	if _, err := io.ReadFull(conn, buf); err != nil {
		return fmt.Errorf("reading the banner: %w", err)
	}
	if string(buf) != "SSH-2.0-" {
		return fmt.Errorf("unexpected banner %q", buf)
	}
	return nil
}

// ClientConfig returns a client config for User with the client key that
// accepts only HostKey.
func (s *Server) ClientConfig() *ssh.ClientConfig {
	return &ssh.ClientConfig{
		User:            s.User,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(s.ClientSigner)},
		HostKeyCallback: ssh.FixedHostKey(s.HostKey),
		Timeout:         10 * time.Second,
	}
}

// PID returns the process id of the listening sshd.
func (s *Server) PID() int {
	return s.cmd.Process.Pid
}

// logTail returns the last 16 KiB of the sshd log.
func (s *Server) logTail() string {
	b, err := os.ReadFile(s.LogFile)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", s.LogFile, err)
	}
	const max = 16 << 10
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return string(b)
}

// opensshVersion matches sshd -V output such as "OpenSSH_9.2p1 Debian-2".
var opensshVersion = regexp.MustCompile(`OpenSSH_(\d+)\.(\d+)`)

// sshdVersion returns sshd's major and minor version, or 0, 0 when it
// cannot tell.
func sshdVersion(sshdPath string) (major, minor int) {
	out, _ := exec.Command(sshdPath, "-V").CombinedOutput() // -V exits non-zero on some versions
	m := opensshVersion.FindSubmatch(out)
	if m == nil {
		return 0, 0
	}
	major, _ = strconv.Atoi(string(m[1]))
	minor, _ = strconv.Atoi(string(m[2]))
	return major, minor
}
