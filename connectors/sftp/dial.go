package sftp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/dealerhub/dealerhub/connectors"
)

// AuthError says that the server refused the credentials. It is permanent.
type AuthError struct {
	Addr    string
	User    string
	Methods []string
	Err     error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("login to %s as %q refused (tried %s): check the user, key and password: %v",
		e.Addr, e.User, strings.Join(e.Methods, ", "), e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

// Dial connects and logs in to the server, verifies its host key, and opens
// an SFTP session. Host key and login failures are permanent
// (connectors.IsPermanent) and wrap *HostKeyError or *AuthError; network
// failures are not.
func Dial(ctx context.Context, c Connection) (*Client, error) {
	c = c.withDefaults()
	timeout := time.Duration(c.Timeout)
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	auth, methods, err := authMethods(c)
	if err != nil {
		return nil, connectors.Permanent(fmt.Errorf("sftp %s: %w", addr, err))
	}
	var hostKeyErr error
	check, algos, err := hostKeyCheck(c, addr)
	if err != nil {
		return nil, connectors.Permanent(fmt.Errorf("sftp %s: %w", addr, err))
	}
	cfg := &ssh.ClientConfig{
		User: c.User,
		Auth: auth,
		HostKeyCallback: func(hostname string, remote net.Addr, key ssh.PublicKey) error {
			hostKeyErr = check(hostname, remote, key)
			return hostKeyErr
		},
		HostKeyAlgorithms: algos,
		Timeout:           timeout,
	}

	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connecting to sftp %s: %w", addr, err)
	}
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	sconn, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if !stop() {
		if err == nil {
			sconn.Close()
		}
		return nil, fmt.Errorf("logging in to sftp %s: %w", addr, context.Cause(dctx))
	}
	if err != nil {
		conn.Close()
		var hk *HostKeyError
		switch {
		case errors.As(hostKeyErr, &hk):
			return nil, connectors.Permanent(hostKeyErr)
		case hostKeyErr != nil:
			return nil, fmt.Errorf("sftp %s: %w", addr, hostKeyErr)
		case strings.Contains(err.Error(), "unable to authenticate"):
			return nil, connectors.Permanent(&AuthError{Addr: addr, User: c.User, Methods: methods, Err: err})
		}
		return nil, fmt.Errorf("ssh handshake with %s: %w", addr, err)
	}
	sc := ssh.NewClient(sconn, chans, reqs)
	cl, err := newClient(ctx, sc, conn, addr, timeout)
	if err != nil {
		sc.Close()
		return nil, err
	}
	return cl, nil
}

// newClient opens the sftp subsystem on an SSH connection.
func newClient(ctx context.Context, sc *ssh.Client, conn net.Conn, addr string, timeout time.Duration) (*Client, error) {
	cl := &Client{ssh: sc, conn: conn, addr: addr, timeout: timeout, dead: make(chan struct{})}
	err := cl.do(ctx, "opening the sftp subsystem", func() error {
		s, err := sftp.NewClient(sc, sftp.UseConcurrentWrites(false))
		if err != nil {
			if strings.Contains(err.Error(), "subsystem request failed") {
				return connectors.Permanent(err)
			}
			return err
		}
		cl.sftp = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	go func() {
		sc.Wait()
		close(cl.dead)
	}()
	return cl, nil
}

// authMethods builds the login methods: the key first, then the password.
func authMethods(c Connection) ([]ssh.AuthMethod, []string, error) {
	var auth []ssh.AuthMethod
	var names []string
	if c.KeyFile != "" || c.Key != "" {
		pemBytes := []byte(c.Key)
		where := "key"
		if c.KeyFile != "" {
			b, err := os.ReadFile(c.KeyFile)
			if err != nil {
				return nil, nil, fmt.Errorf("reading key_file: %w", err)
			}
			pemBytes, where = b, "key_file "+c.KeyFile
		}
		var signer ssh.Signer
		var err error
		if c.KeyPassphrase != "" {
			signer, err = ssh.ParsePrivateKeyWithPassphrase(pemBytes, []byte(c.KeyPassphrase))
		} else {
			signer, err = ssh.ParsePrivateKey(pemBytes)
		}
		var missing *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &missing):
			return nil, nil, fmt.Errorf("%s is encrypted: set key_passphrase", where)
		case err != nil:
			return nil, nil, fmt.Errorf("reading %s: %w", where, err)
		}
		auth = append(auth, ssh.PublicKeys(signer))
		names = append(names, "publickey "+describeKey(signer.PublicKey()))
	}
	if c.Password != "" {
		pw := c.Password
		auth = append(auth, ssh.Password(pw), ssh.KeyboardInteractive(
			func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range answers {
					answers[i] = pw
				}
				return answers, nil
			}))
		names = append(names, "password")
	}
	return auth, names, nil
}
