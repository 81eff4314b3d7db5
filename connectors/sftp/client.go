package sftp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/dealerhub/dealerhub/connectors"
)

// Client is one logged-in SFTP session. Every operation takes a context and
// is bounded by the connection's timeout; an operation that runs out of
// time closes the connection, so the caller dials again.
type Client struct {
	ssh     *ssh.Client
	sftp    *sftp.Client
	conn    net.Conn
	addr    string
	timeout time.Duration
	dead    chan struct{}
}

// Close ends the session and the connection.
func (c *Client) Close() error {
	if c.sftp != nil {
		c.sftp.Close()
	}
	return c.ssh.Close()
}

// Alive reports whether the connection is still up.
func (c *Client) Alive() bool {
	select {
	case <-c.dead:
		return false
	default:
		return true
	}
}

// do runs f with the operation timeout; when ctx ends first, the connection
// is closed to unblock f.
func (c *Client) do(ctx context.Context, what string, f func() error) error {
	octx, cancel := context.WithTimeoutCause(ctx, c.timeout, fmt.Errorf("%w: no answer within %s", ErrTimeout, c.timeout))
	defer cancel()
	stop := context.AfterFunc(octx, func() { c.conn.Close() })
	err := f()
	if !stop() {
		return fmt.Errorf("%s on %s: %w", what, c.addr, context.Cause(octx))
	}
	if err != nil {
		return fmt.Errorf("%s on %s: %w", what, c.addr, classify(err))
	}
	return nil
}

// classify marks refusals that retrying cannot fix as permanent.
func classify(err error) error {
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, sftp.ErrSSHFxPermissionDenied) {
		return connectors.Permanent(err)
	}
	return err
}

// IsNotExist reports whether err says that a remote file or folder does not
// exist.
func IsNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, sftp.ErrSSHFxNoSuchFile)
}

// ErrTimeout says that the server did not answer an operation in time; the
// connection is closed and the next operation dials again.
var ErrTimeout = errors.New("sftp operation timed out")

// connectionLost reports whether err comes from a dropped or timed-out
// connection rather than from the server's answer.
func connectionLost(err error) bool {
	return errors.Is(err, sftp.ErrSSHFxConnectionLost) || errors.Is(err, ErrTimeout) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF)
}

// ReadDir lists a remote folder.
func (c *Client) ReadDir(ctx context.Context, dir string) ([]os.FileInfo, error) {
	var list []os.FileInfo
	err := c.do(ctx, fmt.Sprintf("listing %s", dir), func() (err error) {
		list, err = c.sftp.ReadDir(dir)
		return err
	})
	return list, err
}

// Stat returns a remote file's attributes.
func (c *Client) Stat(ctx context.Context, p string) (os.FileInfo, error) {
	var fi os.FileInfo
	err := c.do(ctx, fmt.Sprintf("reading the attributes of %s", p), func() (err error) {
		fi, err = c.sftp.Stat(p)
		return err
	})
	return fi, err
}

// chunk is the unit of a download; the timeout restarts with each.
const chunk = 1 << 20

// SizeError says a download did not read the listed number of bytes.
type SizeError struct {
	Path       string
	Want, Read int64
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("%s: read %d bytes, but the listing said %d (the file changed or the transfer was cut)", e.Path, e.Read, e.Want)
}

// Download reads a whole remote file and checks that it holds exactly size
// bytes, so a cut transfer or a file still growing never passes for a
// complete one.
func (c *Client) Download(ctx context.Context, p string, size int64) ([]byte, error) {
	var f *sftp.File
	if err := c.do(ctx, fmt.Sprintf("opening %s", p), func() (err error) {
		f, err = c.sftp.Open(p)
		return err
	}); err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 0, min(size, 64<<20)+1)
	part := make([]byte, chunk)
	for {
		var n int
		var rerr error
		err := c.do(ctx, fmt.Sprintf("reading %s", p), func() error {
			n, rerr = f.Read(part)
			if rerr == io.EOF {
				return nil
			}
			return rerr
		})
		buf = append(buf, part[:n]...)
		if err != nil {
			return nil, err
		}
		if rerr == io.EOF || int64(len(buf)) > size {
			break
		}
	}
	if int64(len(buf)) != size {
		return nil, &SizeError{Path: p, Want: size, Read: int64(len(buf))}
	}
	return buf, nil
}

// Rename moves a file, failing when to exists.
func (c *Client) Rename(ctx context.Context, from, to string) error {
	return c.do(ctx, fmt.Sprintf("renaming %s to %s", from, to), func() error {
		return c.sftp.Rename(from, to)
	})
}

// Remove deletes a file.
func (c *Client) Remove(ctx context.Context, p string) error {
	return c.do(ctx, fmt.Sprintf("removing %s", p), func() error {
		return c.sftp.Remove(p)
	})
}

// MkdirAll creates a folder and its parents.
func (c *Client) MkdirAll(ctx context.Context, dir string) error {
	return c.do(ctx, fmt.Sprintf("creating %s", dir), func() error {
		return c.sftp.MkdirAll(dir)
	})
}

// WriteFile writes body to p, replacing it.
func (c *Client) WriteFile(ctx context.Context, p string, body []byte) error {
	var f *sftp.File
	if err := c.do(ctx, fmt.Sprintf("creating %s", p), func() (err error) {
		f, err = c.sftp.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
		return err
	}); err != nil {
		return err
	}
	for off := 0; off < len(body) || off == 0; off += chunk {
		part := body[off:min(off+chunk, len(body))]
		if err := c.do(ctx, fmt.Sprintf("writing %s", p), func() error {
			_, err := f.Write(part)
			return err
		}); err != nil {
			f.Close()
			return err
		}
		if len(body) == 0 {
			break
		}
	}
	if _, ok := c.sftp.HasExtension("fsync@openssh.com"); ok {
		if err := c.do(ctx, fmt.Sprintf("syncing %s", p), f.Sync); err != nil {
			f.Close()
			return err
		}
	}
	return c.do(ctx, fmt.Sprintf("closing %s", p), f.Close)
}

// Replace moves from onto to, replacing to if it exists: atomically with
// posix-rename@openssh.com, else by removing to and renaming (to is absent
// for a moment, but never partial).
func (c *Client) Replace(ctx context.Context, from, to string, posix bool) error {
	if posix {
		if _, ok := c.sftp.HasExtension("posix-rename@openssh.com"); ok {
			return c.do(ctx, fmt.Sprintf("renaming %s to %s", from, to), func() error {
				return c.sftp.PosixRename(from, to)
			})
		}
	}
	if err := c.Remove(ctx, to); err != nil && !IsNotExist(err) {
		return err
	}
	return c.Rename(ctx, from, to)
}

// join is path.Join for remote paths.
func join(dir, name string) string { return path.Join(dir, name) }
