package edimaptest_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

func TestEDIErrors(t *testing.T) {
	t.Parallel()
	a := &connectors.EDIError{Pos: 3, Tag: "BEG", Code: "missing_segment"}
	b := &connectors.EDIError{Pos: 6, Tag: "PO1", Element: 2, Code: "bad_value"}
	c := &connectors.EDIError{Pos: 9, Tag: "CTT", Element: 1, Code: "count_mismatch"}
	tests := []struct {
		name string
		err  error
		want []*connectors.EDIError
	}{
		{"one", a, []*connectors.EDIError{a}},
		{"wrapped", fmt.Errorf("mapping: %w", a), []*connectors.EDIError{a}},
		{"joined", errors.Join(a, b), []*connectors.EDIError{a, b}},
		{"nested", errors.Join(a, errors.Join(b, c)), []*connectors.EDIError{a, b, c}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, edimaptest.EDIErrors(t, tt.err), tt.name)
	}
}

func TestAsJSONAndReadJSON(t *testing.T) {
	t.Parallel()
	built := map[string]any{"line_no": 1, "ids": []string{"a"}, "lines": []map[string]any{{"qty": "2"}}}
	path := filepath.Join(t.TempDir(), "doc.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"line_no": 1, "ids": ["a"], "lines": [{"qty": "2"}]}`), 0o600))
	read := edimaptest.ReadJSON(t, path)
	require.NotEqual(t, built, read, "typed values differ before")
	require.Equal(t, edimaptest.AsJSON(t, read), edimaptest.AsJSON(t, built))
}

func TestRegistryIsCompiledOnce(t *testing.T) {
	t.Parallel()
	require.Same(t, edimaptest.Registry(t), edimaptest.Registry(t))
}

func TestSamplesDir(t *testing.T) {
	// The folder is found from mappings/<name>, two levels below the
	// repository root; this package is three levels down, so from here it
	// is never there and SamplesDir must skip.
	if os.Getenv("CI") == "true" {
		t.Skip("under CI a missing samples folder fails the test, which is what this would show")
	}
	t.Run("absent", func(t *testing.T) {
		edimaptest.SamplesDir(t)
		t.Error("SamplesDir returned though the folder is not there")
	})
}
