package tabular_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/schemas"
)

// received is the arrival time of the test messages: it dates a price
// list's default valid_from.
var received = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

// spreadsheetDecoder is what the csv and xlsx decoders offer the hub.
type spreadsheetDecoder interface {
	hub.StreamDecoder
	hub.Previewer
}

// liveConfig is the hub's current config, swapped by a reload.
type liveConfig struct{ p atomic.Pointer[config.Config] }

func (l *liveConfig) get() *config.Config { return l.p.Load() }

// decoders returns the csv and xlsx decoders reading cfg's mappings.
func decoders(t *testing.T, cfg *liveConfig) map[string]spreadsheetDecoder {
	t.Helper()
	reg, err := schemas.New()
	require.NoError(t, err)
	get := func() *config.Config { return nil }
	if cfg != nil {
		get = cfg.get
	}
	out := map[string]spreadsheetDecoder{}
	for format, d := range tabular.Decoders(reg, get) {
		sd, ok := d.(spreadsheetDecoder)
		require.True(t, ok, "the %s decoder streams and previews", format)
		out[format] = sd
	}
	return out
}

// testMapping is a partner mapping file for partnerConfig.
type testMapping struct {
	partner, name, yaml string
	def                 bool
}

// partnerConfig writes the mapping files beside a hub config that lists
// them under their partners, and loads it as the hub would.
func partnerConfig(t *testing.T, ms ...testMapping) *config.Config {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "maps"), 0o755))
	lists := map[string]*strings.Builder{}
	var order []string
	for _, m := range ms {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "maps", m.name+".yaml"), []byte(m.yaml), 0o644))
		b, ok := lists[m.partner]
		if !ok {
			b = &strings.Builder{}
			lists[m.partner] = b
			order = append(order, m.partner)
		}
		b.WriteString("      - {name: " + m.name + ", file: maps/" + m.name + ".yaml")
		if m.def {
			b.WriteString(", default: true")
		}
		b.WriteString("}\n")
	}
	var y strings.Builder
	y.WriteString("partners:\n")
	for _, p := range order {
		y.WriteString("  - id: " + p + "\n    name: " + p + "\n    roles: [supplier, dealer]\n    mappings:\n" + lists[p].String())
	}
	path := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(path, []byte(y.String()), 0o644))
	cfg, err := config.Load(path, func(string) (string, bool) { return "", false })
	require.NoError(t, err)
	return cfg
}

func live(cfg *config.Config) *liveConfig {
	l := &liveConfig{}
	l.p.Store(cfg)
	return l
}

// message is a spreadsheet message as the hub hands it to a decoder.
func message(partner, doctype, format, mapping, body string) store.Message {
	return store.Message{Partner: partner, Doctype: doctype, Format: format, Mapping: mapping,
		Filename: "file." + format, ReceivedAt: received, Body: strings.NewReader(body)}
}

// stream runs Stream and collects what it puts.
func stream(t *testing.T, dec hub.StreamDecoder, msg store.Message) ([]hub.Decoded, hub.StreamReport, error) {
	t.Helper()
	var put []hub.Decoded
	rep, err := dec.Stream(context.Background(), msg, func(d hub.Decoded) error {
		put = append(put, d)
		return nil
	})
	return put, rep, err
}

// dataErrors asserts err is hub.DataErrors and returns them.
func dataErrors(t *testing.T, err error) hub.DataErrors {
	t.Helper()
	var derrs hub.DataErrors
	require.ErrorAs(t, err, &derrs)
	return derrs
}

// workbook writes sheets of rows with excelize, in the order given.
func workbook(t *testing.T, sheets ...sheetRows) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			require.NoError(t, f.SetSheetName("Sheet1", s.name))
		} else {
			_, err := f.NewSheet(s.name)
			require.NoError(t, err)
		}
		for r, row := range s.rows {
			cell, err := excelize.CoordinatesToCellName(1, r+1)
			require.NoError(t, err)
			require.NoError(t, f.SetSheetRow(s.name, cell, &row))
		}
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

type sheetRows struct {
	name string
	rows [][]any
}
