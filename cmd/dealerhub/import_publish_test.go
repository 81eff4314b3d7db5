package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/schemas"
)

// TestPublishSupplierPriceList sends the supplier fixture, written by
// LibreOffice, by openpyxl and as a GBK CSV, through a running hub with no
// mapping file: the valid rows publish as one price list whose canonical
// document matches the golden file, and the planted bad rows are recorded
// on the done message with their sheet, row, column and value.
func TestPublishSupplierPriceList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{"csv": gbkCSVFixture(t, dir)}
	files["libreoffice"] = libreOfficeFixture(t, dir)
	files["openpyxl"] = openpyxlFixture(t, dir)
	reg, err := schemas.New()
	require.NoError(t, err)

	// openpyxl first: with -update it writes the golden file that the others
	// are then compared with, so they run one after another.
	for _, kind := range []string{"openpyxl", "libreoffice", "csv"} {
		t.Run(kind, func(t *testing.T) {
			if !*updateImports {
				t.Parallel()
			}
			ctx := context.Background()
			env := hubtest.New(t, hubtest.Options{Decoders: tabular.Decoders(reg, func() *config.Config { return nil })})
			body, err := os.ReadFile(files[kind])
			require.NoError(t, err)
			format, name := "xlsx", "华南五金-2026-12.xlsx"
			if kind == "csv" {
				format, name = "csv", "华南五金-2026-12.csv"
			}
			rcpt, err := env.Hub.Ingest(ctx, connectors.IngestRequest{Partner: "supplier-a", Doctype: "price_list",
				Format: format, Source: "test", Filename: name, Body: body})
			require.NoError(t, err)
			m := env.WaitMessage(t, rcpt.MessageID, store.StatusDone)

			type where struct {
				row         int
				column, val string
			}
			var got []where
			for _, e := range m.Errors {
				got = append(got, where{e.Row, e.Column, e.Value})
				if kind != "csv" {
					require.Equal(t, fixtureSheet, e.Sheet)
				}
			}
			require.Equal(t, []where{{7, "B", "abc"}, {8, "F", "2026-02-30"}, {9, "D", ""}}, got,
				"the planted rows, left out and recorded: %+v", m.Errors)

			doc, err := env.Hub.GetDocument(ctx, env.Principal("supplier-a"), m.DocumentIDs[0])
			require.NoError(t, err)
			var canonical map[string]any
			require.NoError(t, json.Unmarshal(doc.Body, &canonical))
			require.Empty(t, reg.Validate("price_list", canonical), "the published document is canonical")
			require.Equal(t, m.ID, canonical["source"])
			require.Equal(t, name, canonical["external_id"], "a file's list is known by its file name")
			delete(canonical, "source")
			delete(canonical, "external_id") // the CSV's name differs from the workbooks'

			gotJSON, err := json.MarshalIndent(canonical, "", "  ")
			require.NoError(t, err)
			path := filepath.Join("..", "..", "testdata", "imports", "supplier-price-list", "published.json")
			if *updateImports && kind == "openpyxl" {
				require.NoError(t, os.WriteFile(path, append(gotJSON, '\n'), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./cmd/dealerhub -run TestPublishSupplierPriceList -update to create it")
			require.JSONEq(t, string(want), string(gotJSON))
		})
	}
}
