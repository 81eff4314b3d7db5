package portal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dealerhub/dealerhub/hub/store"
)

// inMemoryUpload is the largest upload kept in memory; a larger one is
// written to a temporary file, which the hub reads in place and streams
// into the store, so an upload of hundreds of megabytes costs no more
// memory than a small one.
const inMemoryUpload = 1 << 20

// upload is an uploaded file, in memory or spooled to a temporary file.
type upload struct {
	store.Body
	file *os.File // nil when in memory
}

// spoolUpload reads r to its end: into memory when it holds at most
// inMemoryUpload bytes, else into a temporary file. Close removes the
// file. An error reading r is returned as it is (a *http.MaxBytesError
// for an upload over the limit).
func spoolUpload(r io.Reader) (*upload, error) {
	head := make([]byte, inMemoryUpload+1)
	n, err := io.ReadFull(r, head)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &upload{Body: bytes.NewReader(head[:n])}, nil
	case err != nil:
		return nil, err
	}
	f, err := os.CreateTemp("", "dealerhub-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spooling the upload: %w", err)
	}
	u := &upload{file: f}
	size, err := io.Copy(f, io.MultiReader(bytes.NewReader(head), r))
	if err != nil {
		_ = u.Close()
		return nil, err
	}
	u.Body = io.NewSectionReader(f, 0, size)
	return u, nil
}

// Close removes a spooled upload's file.
func (u *upload) Close() error {
	if u == nil || u.file == nil {
		return nil
	}
	return errors.Join(u.file.Close(), os.Remove(u.file.Name()))
}
