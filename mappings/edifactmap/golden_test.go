package edifactmap

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden (review the diff!)")

// goldenDoc is one document of a golden file.
type goldenDoc struct {
	Doctype string         `json:"doctype"`
	Body    map[string]any `json:"body"`
}

// TestGoldenSamples maps every EDIFACT sample with a supported message to
// canonical documents and compares them with the hand-checked golden
// files in testdata/golden/<sample>.json; each golden document must be
// valid.
func TestGoldenSamples(t *testing.T) {
	dir := edimaptest.SamplesDir(t)
	var files []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".edi") {
			files = append(files, p)
		}
		return err
	}))
	mapped := 0
	for _, path := range files {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		head := strings.TrimLeft(string(b[:min(len(b), 16)]), "\ufeff \r\n\t")
		if !strings.HasPrefix(head, "UNA") && !strings.HasPrefix(head, "UNB") {
			continue // X12
		}
		name := strings.TrimSuffix(filepath.Base(path), ".edi")
		t.Run(name, func(t *testing.T) {
			f, err := edifact.Read(bytes.NewReader(b), edifact.Options{})
			require.NoError(t, err)
			var got []goldenDoc
			for _, ic := range f.Interchanges {
				for _, g := range ic.Groups {
					for _, m := range g.Messages {
						if !slices.ContainsFunc(pairs, func(p Pair) bool { return p.Type == m.Type }) {
							continue
						}
						docs, err := ToCanonical(m.EDITransaction, Options{})
						require.NoError(t, err, "message %s", m.ControlNumber)
						for _, d := range docs {
							requireValid(t, d.Doctype, d.Body)
							got = append(got, goldenDoc{d.Doctype, d.Body})
						}
					}
				}
			}
			if len(got) == 0 {
				t.Skip("no message of a mapped type")
			}
			mapped++
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				out, err := json.MarshalIndent(got, "", "  ")
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(golden, append(out, '\n'), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden file for %s: write it by hand from the sample", path)
			var wantDocs []goldenDoc
			require.NoError(t, json.Unmarshal(want, &wantDocs))
			for _, d := range wantDocs {
				requireValid(t, d.Doctype, d.Body)
			}
			require.Equal(t, edimaptest.AsJSON(t, wantDocs), edimaptest.AsJSON(t, got))
		})
	}
	require.Positive(t, mapped, "no EDIFACT sample in %s was mapped", dir)
}
