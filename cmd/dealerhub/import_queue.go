package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/schemas"
)

// maxImportBytes bounds a file handed to the hub in one message.
const maxImportBytes = 512 << 20

// enqueueImport stores the file as a raw message for the hub that serves
// the same store (with the mapping name, which the hub resolves from its
// config), waits for its final status and reports it: done with the
// documents stored and the rows left out under import_valid, or failed
// with every bad row. With --errors-out it then writes the message's
// error workbook.
func enqueueImport(ctx context.Context, f importFlags, cfg *config.Config, file string, stdout io.Writer) error {
	format, err := tableFormat(file)
	if err != nil {
		return err
	}
	fh, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	if info.Size() > maxImportBytes {
		return fmt.Errorf("%s is %d bytes; the largest import is %d bytes", file, info.Size(), maxImportBytes)
	}
	st, err := f.store.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// The file is streamed into the store a chunk at a time, never read
	// whole into memory.
	rcpt, err := hub.EnqueueBody(ctx, st, bus.Names{}, connectors.IngestRequest{
		Partner: f.partner, Doctype: f.doctype, Format: format, Source: "cli:" + filepath.Base(file),
		Filename: filepath.Base(file), Mapping: f.mapping,
	}, io.NewSectionReader(fh, 0, info.Size()))
	if err != nil {
		return fmt.Errorf("importing %s: %w", file, err)
	}
	m, err := hub.AwaitMessage(ctx, st, rcpt.MessageID, time.Now().Add(f.wait), 100*time.Millisecond)
	if err != nil {
		return err
	}
	out := queuedImport{Message: m, Duplicate: rcpt.Duplicate, RowsRejected: rejectedRows(m.Errors)}
	final := m.Status == store.StatusDone || m.Status == store.StatusFailed || m.Status == store.StatusDead
	var bookErr error
	if f.errorsOut != "" && final {
		if bookErr = messageErrorBook(ctx, cfg, st, m, f.errorsOut); bookErr == nil {
			out.ErrorsOut = f.errorsOut
		}
	}
	if f.asJSON {
		if err := printJSON(stdout, out); err != nil {
			return err
		}
	} else {
		printQueuedImport(stdout, file, out)
	}
	if bookErr != nil {
		return &exitError{code: 1, err: bookErr}
	}
	switch m.Status {
	case store.StatusDone:
		return nil
	case store.StatusFailed, store.StatusDead:
		return &exitError{code: 1, err: fmt.Errorf("%s: import %s (message %s): nothing stored", file, m.Status, m.ID)}
	default:
		return &exitError{code: 1, err: fmt.Errorf("%s: stored as message %s, still %s after %s: is `dealerhub serve` running on this data dir or database? It will be processed when the hub runs", file, m.ID, m.Status, f.wait)}
	}
}

// queuedImport is what an import through the hub prints with --json: the
// message (its errors are the rows left out, or why the file was refused).
type queuedImport struct {
	store.Message
	Duplicate bool `json:"duplicate"`
	// RowsRejected counts the rows named by the message's errors; when the
	// errors were capped, the error workbook lists the rest.
	RowsRejected int    `json:"rows_rejected"`
	ErrorsOut    string `json:"errors_out,omitempty"`
}

// rejectedRows counts the distinct rows the errors name.
func rejectedRows(errs []store.DataError) int {
	type at struct {
		sheet string
		row   int
	}
	seen := map[at]bool{}
	for _, e := range errs {
		if e.Row > 0 && e.Code == "row" {
			seen[at{e.Sheet, e.Row}] = true
		}
	}
	return len(seen)
}

// messageErrorBook writes the error workbook of a stored message through
// the spreadsheet decoder the hub used, with the mappings of cfg (the hub's
// config, so the rows are judged as the hub judged them). The message's
// bytes are read from st in place.
func messageErrorBook(ctx context.Context, cfg *config.Config, st store.BodyOpener, m store.Message, path string) error {
	reg, err := schemas.New()
	if err != nil {
		return fmt.Errorf("loading schemas: %w", err)
	}
	dec, ok := tabular.Decoders(reg, func() *config.Config { return cfg })[m.Format].(hub.Previewer)
	if !ok {
		return fmt.Errorf("message %s is %s: only csv and xlsx files have an error workbook", m.ID, m.Format)
	}
	body, err := st.OpenBody(ctx, store.OperatorScope(), m.ID)
	if err != nil {
		return fmt.Errorf("no error workbook: %w", err)
	}
	m.Body = body
	// Map into memory first: a file the decoder refuses (unreadable, an
	// unknown mapping) leaves no half-written workbook behind.
	var buf bytes.Buffer
	if err := dec.ErrorBook(ctx, m, &buf); err != nil {
		var derrs hub.DataErrors
		if errors.As(err, &derrs) && m.Mapping != "" && cfg == nil {
			return fmt.Errorf("no error workbook: message %s names mapping %q; give the hub config with --config (or DEALERHUB_CONFIG) to read it", m.ID, m.Mapping)
		}
		return fmt.Errorf("no error workbook for message %s: %w", m.ID, err)
	}
	return writeFile(path, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
}

func printQueuedImport(w io.Writer, file string, out queuedImport) {
	m := out.Message
	if out.Duplicate {
		fmt.Fprintf(w, "%s was imported before as message %s (the same bytes and mapping)\n", file, m.ID)
	}
	fmt.Fprintf(w, "message %s: %s\n", m.ID, m.Status)
	if m.Mapping != "" {
		fmt.Fprintf(w, "mapping: %s\n", m.Mapping)
	}
	if m.Status == store.StatusDone {
		fmt.Fprintf(w, "documents stored or unchanged: %d\n", len(m.DocumentIDs))
		fmt.Fprintf(w, "rows rejected: %d\n", out.RowsRejected)
	}
	if out.ErrorsOut != "" {
		fmt.Fprintf(w, "error workbook: %s\n", out.ErrorsOut)
	}
	rows := make([][]string, len(m.Errors))
	for i, e := range m.Errors {
		rows[i] = []string{strings.TrimSpace(e.Location + " " + e.Pointer), e.Reason}
	}
	if len(rows) > 0 {
		fmt.Fprintln(w)
		table(w, []string{"WHERE", "REASON"}, rows)
	}
}
