package sftp

import (
	"io"
	"net"
	"os"
	"strings"

	"github.com/pkg/sftp"
)

// rootHandler serves a local folder to pkg/sftp's request server, with
// OpenSSH's semantics where they matter here: rename refuses an existing
// target, posix-rename replaces it.
type rootHandler struct {
	s    *testServer
	conn net.Conn
}

func (s *testServer) handlers(c net.Conn) sftp.Handlers {
	h := &rootHandler{s: s, conn: c}
	return sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}
}

func (h *rootHandler) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	h.s.mu.Lock()
	before, wrap := h.s.beforeRead, h.s.wrapRead
	h.s.mu.Unlock()
	if before != nil {
		before(r.Filepath)
	}
	f, err := os.Open(h.s.path(r.Filepath))
	if err != nil {
		return nil, err
	}
	if wrap != nil {
		return closingReader{wrap(r.Filepath, f, h.conn), f}, nil
	}
	return f, nil
}

// closingReader closes the file under a wrapped reader.
type closingReader struct {
	io.ReaderAt
	f *os.File
}

func (c closingReader) Close() error { return c.f.Close() }

func (h *rootHandler) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	if strings.HasPrefix(r.Filepath, "/readonly/") {
		return nil, sftp.ErrSSHFxPermissionDenied
	}
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
	f, err := os.OpenFile(h.s.path(r.Filepath), flags, 0o644)
	if err != nil {
		return nil, err
	}
	return hookedWriter{f, h.s, r.Filepath}, nil
}

// hookedWriter calls the server's onWrite hook before each write.
type hookedWriter struct {
	*os.File
	s *testServer
	p string
}

func (w hookedWriter) WriteAt(b []byte, off int64) (int, error) {
	w.s.mu.Lock()
	hook := w.s.onWrite
	w.s.mu.Unlock()
	if hook != nil {
		hook(w.p)
	}
	return w.File.WriteAt(b, off)
}

func (h *rootHandler) Filecmd(r *sftp.Request) error {
	p := h.s.path(r.Filepath)
	switch r.Method {
	case "Setstat":
		if r.AttrFlags().Size {
			return os.Truncate(p, int64(r.Attributes().Size))
		}
		return nil
	case "Rename":
		if _, err := os.Lstat(h.s.path(r.Target)); err == nil {
			return sftp.ErrSSHFxFailure
		}
		return os.Rename(p, h.s.path(r.Target))
	case "Rmdir", "Remove":
		return os.Remove(p)
	case "Mkdir":
		return os.Mkdir(p, 0o755)
	}
	return sftp.ErrSSHFxOpUnsupported
}

func (h *rootHandler) PosixRename(r *sftp.Request) error {
	return os.Rename(h.s.path(r.Filepath), h.s.path(r.Target))
}

func (h *rootHandler) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	p := h.s.path(r.Filepath)
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
