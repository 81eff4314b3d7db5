package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings"
)

// suggestOutput is `mapping suggest --json`: the suggestion with its YAML
// as text.
type suggestOutput struct {
	File      string                 `json:"file"`
	DocType   string                 `json:"doctype"`
	Sheet     string                 `json:"sheet,omitempty"`
	HeaderRow int                    `json:"header_row"`
	Columns   []mappings.ColumnMatch `json:"columns"`
	Unmatched []string               `json:"unmatched,omitempty"`
	YAML      string                 `json:"yaml"`
}

func cmdMapping(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "suggest" {
		return usageErr("mapping suggest FILE [--doctype %s] [--sheet S] [--json]", strings.Join(mappings.DocTypes, "|"))
	}
	fs := newFlagSet("mapping suggest", stderr)
	doctype := fs.String("doctype", "price_list", "document type: "+strings.Join(mappings.DocTypes, ", "))
	sheet := fs.String("sheet", "", "the sheet to read (default: the first)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("mapping suggest FILE [--doctype %s] [--sheet S] [--json]", strings.Join(mappings.DocTypes, "|"))
	}
	if !slices.Contains(mappings.DocTypes, *doctype) {
		return usageErr("--doctype must be one of %s", strings.Join(mappings.DocTypes, ", "))
	}
	file := fs.Arg(0)
	rows, err := topRows(ctx, file, *sheet)
	if err != nil {
		return err
	}
	s, err := mappings.Suggest(rows, *doctype)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if *asJSON {
		return printJSON(stdout, suggestOutput{File: file, DocType: s.DocType, Sheet: s.Sheet, HeaderRow: s.HeaderRow,
			Columns: nonNil(s.Columns), Unmatched: s.Unmatched, YAML: string(s.YAML)})
	}
	if _, err := stdout.Write(s.YAML); err != nil {
		return fmt.Errorf("printing the mapping: %w", err)
	}
	if len(s.Unmatched) > 0 {
		fmt.Fprintf(stderr, "columns no field claimed: %s\n", strings.Join(s.Unmatched, ", "))
	}
	return nil
}

// topRows reads the rows of the first sheet (or the named one) that header
// detection searches.
func topRows(ctx context.Context, file, sheet string) ([]connectors.Row, error) {
	src, err := openTable(file, sheet)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var rows []connectors.Row
	for len(rows) < mappings.DefaultScanRows {
		r, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		if len(rows) > 0 && r.Sheet != rows[0].Sheet {
			break
		}
		r.Cells = slices.Clone(r.Cells) // a reader may reuse its slice
		rows = append(rows, r)
	}
	return rows, nil
}
