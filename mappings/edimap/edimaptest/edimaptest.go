package edimaptest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// SamplesDir returns the shared EDI samples folder, ../shared/edi-samples
// from the repository root, as seen from a package two levels below it
// (mappings/<name>). Without it the test fails when CI=true, and is
// skipped otherwise.
func SamplesDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "edi-samples")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the EDI samples folder %s (../shared/edi-samples from the repository root) is missing: %v", dir, err)
		}
		t.Skipf("the EDI samples folder %s (../shared/edi-samples from the repository root) is absent; CI=true makes this a failure", dir)
	}
	return dir
}

// AsJSON returns v as encoding/json decodes it again, so that ints and
// float64s, []any and typed slices, documents built in Go and documents
// read from files compare equal.
func AsJSON(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// ReadJSON decodes the JSON object in the file at path, as the hub
// decodes a document.
func ReadJSON(t testing.TB, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), path)
	return m
}

// EDIErrors unpacks err, one error or errors joined (at any depth), into
// its *connectors.EDIError values, in order. It fails the test when err
// is nil or holds an error that is not an EDIError.
func EDIErrors(t testing.TB, err error) []*connectors.EDIError {
	t.Helper()
	require.Error(t, err)
	var out []*connectors.EDIError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var ee *connectors.EDIError
		require.True(t, errors.As(e, &ee), "%v is not a located *connectors.EDIError", e)
		out = append(out, ee)
	}
	walk(err)
	return out
}

// registry compiles the canonical schemas once for a test binary.
var registry = sync.OnceValues(schemas.New)

// Registry returns the canonical schemas, compiled once.
func Registry(t testing.TB) *schemas.Registry {
	t.Helper()
	reg, err := registry()
	require.NoError(t, err)
	return reg
}
