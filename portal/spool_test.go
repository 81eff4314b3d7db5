package portal

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// TestSpoolUpload checks where an upload waits for the hub: in memory up
// to inMemoryUpload bytes, else in a temporary file that Close removes;
// an upload cut off part way leaves no file behind.
func TestSpoolUpload(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	spooled := func() []string {
		t.Helper()
		names, err := filepath.Glob(filepath.Join(tmp, "dealerhub-upload-*"))
		require.NoError(t, err)
		return names
	}

	for _, n := range []int{0, 10, inMemoryUpload} {
		body := bytes.Repeat([]byte{'a'}, n)
		up, err := spoolUpload(bytes.NewReader(body))
		require.NoError(t, err)
		require.Nil(t, up.file, "%d bytes stay in memory", n)
		require.Equal(t, int64(n), up.Size())
		require.Empty(t, spooled())
		require.NoError(t, up.Close())
	}

	body := make([]byte, inMemoryUpload+10)
	for i := range body {
		body[i] = byte(i % 253)
	}
	up, err := spoolUpload(iotest.HalfReader(bytes.NewReader(body)))
	require.NoError(t, err)
	require.NotNil(t, up.file, "a larger upload goes to a file")
	require.Len(t, spooled(), 1)
	got, err := io.ReadAll(io.NewSectionReader(up, 0, up.Size()))
	require.NoError(t, err)
	require.True(t, bytes.Equal(body, got), "the file holds the upload")
	require.NoError(t, up.Close())
	require.Empty(t, spooled(), "Close removes the file")

	cut := errors.New("client went away")
	_, err = spoolUpload(io.MultiReader(bytes.NewReader(body), iotest.ErrReader(cut)))
	require.ErrorIs(t, err, cut)
	require.Empty(t, spooled(), "a failed upload leaves no file")
}
