package main

import (
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
	"github.com/dealerhub/dealerhub/hub/store"
)

// maxImportBytes bounds a file handed to the hub in one message.
const maxImportBytes = 512 << 20

// enqueueImport stores the file as a raw message for the hub that serves
// the same store, waits for its final status and reports it: done with the
// documents stored, or failed with every bad row (the whole file is refused
// when any row is bad).
func enqueueImport(ctx context.Context, sf storeFlags, file, partner, doctype string, wait time.Duration, asJSON bool, stdout io.Writer) error {
	format, err := tableFormat(file)
	if err != nil {
		return err
	}
	info, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	if info.Size() > maxImportBytes {
		return fmt.Errorf("%s is %d bytes; the largest import is %d bytes", file, info.Size(), maxImportBytes)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rcpt, err := hub.Enqueue(ctx, st, bus.Names{}, connectors.IngestRequest{
		Partner: partner, Doctype: doctype, Format: format, Source: "cli:" + filepath.Base(file),
		Filename: filepath.Base(file), Body: body,
	})
	if err != nil {
		return fmt.Errorf("importing %s: %w", file, err)
	}
	m, err := waitFinal(ctx, st, rcpt.MessageID, wait)
	if err != nil {
		return err
	}
	if asJSON {
		if err := printJSON(stdout, struct {
			store.Message
			Duplicate bool `json:"duplicate"`
		}{m, rcpt.Duplicate}); err != nil {
			return err
		}
	} else {
		printQueuedImport(stdout, file, m, rcpt.Duplicate)
	}
	switch m.Status {
	case store.StatusDone:
		return nil
	case store.StatusFailed, store.StatusDead:
		return &exitError{code: 1, err: fmt.Errorf("%s: import %s (message %s): nothing stored", file, m.Status, m.ID)}
	default:
		return &exitError{code: 1, err: fmt.Errorf("%s: stored as message %s, still %s after %s: is `dealerhub serve` running on this data dir or database? It will be processed when the hub runs", file, m.ID, m.Status, wait)}
	}
}

// waitFinal polls the message until it is done, failed or dead, or wait
// has passed.
func waitFinal(ctx context.Context, st store.Store, id string, wait time.Duration) (store.Message, error) {
	deadline := time.Now().Add(wait)
	for {
		m, err := st.GetMessage(ctx, store.OperatorScope(), id)
		if err != nil {
			return store.Message{}, fmt.Errorf("reading message %s: %w", id, err)
		}
		switch m.Status {
		case store.StatusDone, store.StatusFailed, store.StatusDead:
			return m, nil
		}
		if time.Now().After(deadline) {
			return m, nil
		}
		select {
		case <-ctx.Done():
			return store.Message{}, errors.Join(ctx.Err(), fmt.Errorf("message %s is %s", id, m.Status))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func printQueuedImport(w io.Writer, file string, m store.Message, duplicate bool) {
	if duplicate {
		fmt.Fprintf(w, "%s was imported before as message %s (the same bytes)\n", file, m.ID)
	}
	fmt.Fprintf(w, "message %s: %s\n", m.ID, m.Status)
	if m.Status == store.StatusDone {
		fmt.Fprintf(w, "documents stored or unchanged: %d\n", len(m.DocumentIDs))
		return
	}
	rows := make([][]string, len(m.Errors))
	for i, e := range m.Errors {
		rows[i] = []string{strings.TrimSpace(e.Location + " " + e.Pointer), e.Reason}
	}
	if len(rows) > 0 {
		table(w, []string{"WHERE", "REASON"}, rows)
	}
}
