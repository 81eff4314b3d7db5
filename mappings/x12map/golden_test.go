package x12map_test

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden (review the diff)")

// goldenEntry is one transaction set of a sample and what it maps to.
type goldenEntry struct {
	Set     string `json:"set"`
	Control string `json:"control"`
	// Error is the EDIError code when the set does not map (unsupported_set
	// for the 810s of the dual sample).
	Error string      `json:"error,omitempty"`
	Docs  []goldenDoc `json:"docs,omitempty"`
}

type goldenDoc struct {
	Doctype string         `json:"doctype"`
	Pos     int            `json:"pos"`
	Body    map[string]any `json:"body"`
}

// TestGoldenSamples maps the real X12 samples of ../shared/edi-samples
// (850, 856, 214) and compares every document with the hand-checked
// golden JSON under testdata/golden/<sample>.json; each document must
// validate against its canonical schema.
func TestGoldenSamples(t *testing.T) {
	dir := edimaptest.SamplesDir(t)
	samples := []string{
		"850/EdiEngine__850.OK.edi",
		"850/staedi__invoice810_po850_dual.edi",
		"856/EdiEngine__856.Crossdock.OK.edi",
		"214/staedi__ts214_ellipses_segterm.edi",
	}
	for _, sample := range samples {
		t.Run(filepath.Base(sample), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, sample))
			require.NoError(t, err)
			f, err := x12.ReadBytes(raw, x12.Options{})
			require.NoError(t, err)
			require.NoError(t, f.Err())
			var got []goldenEntry
			for _, tx := range f.Transactions() {
				e := goldenEntry{Set: tx.Type, Control: tx.ControlNumber}
				docs, err := x12map.ToCanonical(tx, x12map.Options{})
				if err != nil {
					var ee *connectors.EDIError
					require.True(t, errors.As(err, &ee), "%v", err)
					e.Error = ee.Code
				}
				for _, d := range docs {
					validate(t, d.Doctype, d.Body)
					e.Docs = append(e.Docs, goldenDoc{Doctype: d.Doctype, Pos: d.Pos, Body: d.Body})
				}
				got = append(got, e)
			}
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(sample), ".edi")+".json")
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "no golden file; run go test -run TestGoldenSamples -update and review it")
			var wantV any
			require.NoError(t, json.Unmarshal(want, &wantV))
			require.Equal(t, wantV, edimaptest.AsJSON(t, got))
		})
	}
}
