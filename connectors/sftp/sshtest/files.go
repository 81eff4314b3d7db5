package sshtest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Path returns the local path of name, a slash-separated path relative to
// DataDir, as the SFTP session sees it relative to its start folder. It
// fails the test when name is absolute or leaves DataDir.
func (s *Server) Path(t testing.TB, name string) string {
	t.Helper()
	clean := filepath.Clean(filepath.FromSlash(name))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		t.Fatalf("sshtest: path %q is not inside the data folder", name)
	}
	return filepath.Join(s.DataDir, clean)
}

// WriteFile writes data to name under DataDir, creating its folders, as a
// partner dropping a file would.
func (s *Server) WriteFile(t testing.TB, name string, data []byte) {
	t.Helper()
	p := s.Path(t, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatalf("sshtest: creating the folder of %s: %v", name, err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatalf("sshtest: writing %s: %v", name, err)
	}
}

// MkdirAll creates the folder name under DataDir with its parents.
func (s *Server) MkdirAll(t testing.TB, name string) {
	t.Helper()
	if err := os.MkdirAll(s.Path(t, name), 0o755); err != nil {
		t.Fatalf("sshtest: creating %s: %v", name, err)
	}
}

// ReadFile returns the content of name under DataDir.
func (s *Server) ReadFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(s.Path(t, name))
	if err != nil {
		t.Fatalf("sshtest: reading %s: %v", name, err)
	}
	return b
}

// List returns the sorted names of the entries of the folder dir under
// DataDir ("" or "." for DataDir itself); folders end in "/". A missing
// folder lists as empty.
func (s *Server) List(t testing.TB, dir string) []string {
	t.Helper()
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(s.Path(t, dir))
	if os.IsNotExist(err) {
		return []string{}
	}
	if err != nil {
		t.Fatalf("sshtest: listing %s: %v", dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
