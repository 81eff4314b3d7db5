package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// importSource is the Source of messages stored by Import.
const importSource = "api:import"

// Import formats.
const (
	formatCSV  = "csv"
	formatXLSX = "xlsx"
)

// maxVersionWalk bounds how far back Import looks for the document version
// its message made: further back, it reports the current publication.
const maxVersionWalk = 20

// Import maps and validates a spreadsheet (DryRun: nothing is stored), or
// ingests it and waits up to req.Wait (at most MaxImportWait) for the
// message's final status. A done price list comes back with its
// publication: diff counts, status on today and the dealers notified. The
// same file with the same mapping is a duplicate, answered with the earlier
// message; with another mapping it is a new import.
func (h *Hub) Import(ctx context.Context, p Principal, req ImportRequest) (ImportResult, error) {
	format, err := h.checkImport(ctx, p, &req)
	if err != nil {
		return ImportResult{}, err
	}
	if req.DryRun {
		prev, err := h.preview(ctx, req, format)
		if err != nil {
			return ImportResult{}, err
		}
		return ImportResult{Preview: &prev}, nil
	}
	rcpt, err := h.ingestBody(ctx, connectors.IngestRequest{
		Partner: req.Partner, Doctype: req.Doctype, Format: format, Source: importSource,
		Filename: req.Filename, Mapping: req.Mapping,
	}, req.Body)
	if err != nil {
		return ImportResult{}, fmt.Errorf("importing %s: %w", displayName(req.Filename), err)
	}
	msg, err := AwaitMessage(ctx, h.st, rcpt.MessageID, time.Now().Add(min(max(req.Wait, 0), MaxImportWait)), 250*time.Millisecond)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Message: msg, Duplicate: rcpt.Duplicate, Final: finalStatus(msg.Status)}
	if msg.Status == store.StatusDone && msg.Doctype == "price_list" && len(msg.DocumentIDs) == 1 {
		res.PriceList, res.Unchanged = h.publicationOf(ctx, p, msg)
	}
	return res, nil
}

// ErrorWorkbook writes the error workbook of a visible message read from a
// spreadsheet: every rejected row with its original cells and the reasons.
func (h *Hub) ErrorWorkbook(ctx context.Context, p Principal, messageID string, w io.Writer) error {
	msg, err := h.st.GetMessage(ctx, p.Scope(), messageID)
	if err != nil {
		return fmt.Errorf("getting message %s: %w", messageID, err)
	}
	pv, ok := h.decoders[msg.Format].(Previewer)
	if !ok {
		return fmt.Errorf("%w: message %s is a %s message; only csv and xlsx files have an error workbook",
			ErrNoErrorWorkbook, messageID, msg.Format)
	}
	if msg.Body, err = h.st.OpenBody(ctx, p.Scope(), messageID); err != nil {
		return fmt.Errorf("opening message %s: %w", messageID, err)
	}
	if err := pv.ErrorBook(ctx, msg, w); err != nil {
		return fmt.Errorf("writing the error workbook of message %s: %w", messageID, err)
	}
	return nil
}

// PreviewErrorWorkbook writes the error workbook of an upload that is not
// stored (a dry run).
func (h *Hub) PreviewErrorWorkbook(ctx context.Context, p Principal, req ImportRequest, w io.Writer) error {
	format, err := h.checkImport(ctx, p, &req)
	if err != nil {
		return err
	}
	pv, err := h.previewer(format)
	if err != nil {
		return err
	}
	if err := pv.ErrorBook(ctx, h.unstoredMessage(req, format), w); err != nil {
		return fmt.Errorf("writing the error workbook of %s: %w", displayName(req.Filename), err)
	}
	return nil
}

// checkImport checks an upload, settles its partner (req.Partner) and
// returns its format.
func (h *Hub) checkImport(ctx context.Context, p Principal, req *ImportRequest) (string, error) {
	switch {
	case p.Operator && req.Partner == "":
		return "", fmt.Errorf("%w: an operator must name the partner the file comes from", ErrBadRequest)
	case !p.Operator && req.Partner != "" && req.Partner != p.Partner:
		return "", fmt.Errorf("%w: the API key belongs to %q; it cannot import for %q", ErrForbidden, p.Partner, req.Partner)
	case !p.Operator:
		req.Partner = p.Partner
	}
	empty, err := blankBody(req.Body)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", displayName(req.Filename), err)
	}
	if empty {
		return "", fmt.Errorf("%w: %s is empty", ErrBadRequest, displayName(req.Filename))
	}
	format := req.Format
	if format == "" {
		if format, err = importFormat(req.Filename, req.Body); err != nil {
			return "", err
		}
	}
	if IsEDIFormat(format) {
		// An interchange says what it holds.
		if req.DryRun {
			return "", fmt.Errorf("%w: there is no dry run for EDI; `dealerhub edi to-json FILE` shows what a file maps to", ErrBadRequest)
		}
		if req.Doctype, err = ediDoctype(format, req.Body, req.Doctype, req.Filename); err != nil {
			return "", err
		}
	} else {
		if req.Doctype == "" {
			return "", fmt.Errorf("%w: the document type is required for a spreadsheet: send doctype (one of %s); an EDI file needs none", ErrBadRequest, strings.Join(mappings.DocTypes, ", "))
		}
		if !schemas.IsDocType(req.Doctype) || !slices.Contains(mappings.DocTypes, req.Doctype) {
			return "", fmt.Errorf("%w: %q cannot be imported from a spreadsheet; the document type must be one of %s",
				ErrBadRequest, req.Doctype, strings.Join(mappings.DocTypes, ", "))
		}
	}
	if _, ok := h.decoders[format]; !ok {
		return "", fmt.Errorf("%w: this hub reads no %s files", ErrUnsupportedFormat, format)
	}
	if err := h.checkSender(ctx, req.Partner); err != nil {
		var rs *refusedSender
		if p.Operator && errors.As(err, &rs) {
			return "", fmt.Errorf("%w: %s", ErrBadRequest, rs.reason)
		}
		return "", fmt.Errorf("importing for partner %q: %w", req.Partner, err)
	}
	return format, nil
}

// notTabular are the first bytes of files that are neither csv nor xlsx.
var notTabular = []struct{ prefix, what string }{
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an Excel 97-2003 workbook (.xls) or an encrypted workbook; save it as .xlsx without a password, or as .csv"},
	{"%PDF-", "a PDF document"},
	{"\x1F\x8B", "a gzip archive"},
}

// sniffBytes is how much of an upload importFormat looks at.
const sniffBytes = 8 << 10

// importFormat names an upload's format: xlsx by its extension (.xlsx,
// .xlsm) or its first bytes ("PK", a zip archive), x12 or edifact by
// their first segment (ISA; UNA or UNB), else csv when the bytes are text
// (whatever the extension: .csv, .tsv, .txt or another). Binary data that
// is no workbook is ErrUnsupportedFormat.
func importFormat(filename string, b store.Body) (string, error) {
	switch strings.ToLower(path.Ext(filename)) {
	case ".xlsx", ".xlsm":
		return formatXLSX, nil
	}
	body := make([]byte, min(b.Size(), sniffBytes))
	if _, err := b.ReadAt(body, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading %s: %w", displayName(filename), err)
	}
	if bytes.HasPrefix(body, []byte("PK")) {
		return formatXLSX, nil
	}
	if f := SniffEDI(body); f != "" {
		return f, nil
	}
	refuse := func(what string) error {
		return fmt.Errorf("%w: %s is %s, not a csv, xlsx, X12 or EDIFACT file", ErrUnsupportedFormat, displayName(filename), what)
	}
	for _, m := range notTabular {
		if bytes.HasPrefix(body, []byte(m.prefix)) {
			return "", refuse(m.what)
		}
	}
	utf16 := bytes.HasPrefix(body, []byte{0xFF, 0xFE}) || bytes.HasPrefix(body, []byte{0xFE, 0xFF})
	if i := bytes.IndexByte(body, 0); i >= 0 && !utf16 {
		return "", refuse(fmt.Sprintf("binary data (a NUL byte at offset %d)", i))
	}
	return formatCSV, nil
}

// displayName names an upload in messages.
func displayName(filename string) string {
	if filename == "" {
		return "the file"
	}
	return fmt.Sprintf("%q", filename)
}

// previewer returns the format's decoder as a Previewer.
func (h *Hub) previewer(format string) (Previewer, error) {
	pv, ok := h.decoders[format].(Previewer)
	if !ok {
		return nil, fmt.Errorf("%w: %s files have no dry run on this hub", ErrUnsupportedFormat, format)
	}
	return pv, nil
}

// unstoredMessage is the message a dry run maps: the one Import would store.
func (h *Hub) unstoredMessage(req ImportRequest, format string) store.Message {
	return store.Message{
		Partner: req.Partner, Doctype: req.Doctype, Format: format, Source: importSource,
		Filename: req.Filename, Mapping: req.Mapping, Body: req.Body, Size: int(req.Body.Size()),
		Status: store.StatusReceived, ReceivedAt: h.now().UTC(),
	}
}

// preview dry-runs an upload. A file refused as a whole (DataErrors) is a
// report with those errors and nothing to import, like one whose rows are
// all bad.
func (h *Hub) preview(ctx context.Context, req ImportRequest, format string) (ImportPreview, error) {
	pv, err := h.previewer(format)
	if err != nil {
		return ImportPreview{}, err
	}
	prev, err := pv.Preview(ctx, h.unstoredMessage(req, format))
	var derrs DataErrors
	if errors.As(err, &derrs) {
		return ImportPreview{
			Doctype: req.Doctype, Format: format, Mapping: req.Mapping,
			Errors: CapErrors([]store.DataError(derrs)),
		}, nil
	}
	if err != nil {
		return ImportPreview{}, fmt.Errorf("dry-running %s: %w", displayName(req.Filename), err)
	}
	if prev.Errors == nil {
		prev.Errors = []store.DataError{}
	}
	return prev, nil
}

// finalStatus reports whether a message has finished processing.
func finalStatus(s store.MessageStatus) bool {
	return s == store.StatusDone || s == store.StatusFailed || s == store.StatusDead
}

// AwaitMessage polls a message until it is done, failed or dead, or until
// the deadline (none when zero) has passed, and returns it as it stands.
// The pause between reads starts at 10 ms and doubles up to maxPause. When
// ctx ends first it returns the message as last read with the error.
func AwaitMessage(ctx context.Context, st store.Store, id string, deadline time.Time, maxPause time.Duration) (store.Message, error) {
	pause := min(10*time.Millisecond, maxPause)
	for {
		m, err := st.GetMessage(ctx, opScope, id)
		if err != nil {
			return store.Message{}, fmt.Errorf("reading message %s: %w", id, err)
		}
		wait := maxPause
		if !deadline.IsZero() {
			wait = time.Until(deadline)
		}
		if finalStatus(m.Status) || wait <= 0 {
			return m, nil
		}
		t := time.NewTimer(min(pause, wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return m, fmt.Errorf("waiting for message %s (%s): %w", id, m.Status, ctx.Err())
		case <-t.C:
		}
		pause = min(pause*2, maxPause)
	}
}

// publicationOf finds the publication a done price-list message made: that
// of the document version whose message it is. When no recent version is
// (the list equalled the current one), it returns the current version's
// publication and unchanged. A publication that cannot be read is left
// out (logged): the message's own outcome is what the caller needs first.
func (h *Hub) publicationOf(ctx context.Context, p Principal, msg store.Message) (*store.PriceList, bool) {
	docID := msg.DocumentIDs[0]
	log := h.log.With("message_id", msg.ID, "document_id", docID)
	doc, err := h.st.GetDocument(ctx, p.Scope(), docID)
	if err != nil {
		log.Warn("reading the price list document of an import", "err", err)
		return nil, false
	}
	version, unchanged := doc.Version, true
	for v := doc.Version; v >= 1 && v > doc.Version-maxVersionWalk; v-- {
		d := doc
		if v != doc.Version {
			if d, err = h.st.GetDocumentVersion(ctx, p.Scope(), docID, v); err != nil {
				log.Warn("reading a price list version of an import", "version", v, "err", err)
				break
			}
		}
		if d.MessageID == msg.ID {
			version, unchanged = v, false
			break
		}
	}
	pl, err := h.st.PriceListOf(ctx, p.Scope(), docID, version, store.Today(h.now()))
	if err != nil {
		log.Warn("reading the publication of an imported price list", "version", version, "err", err)
		return nil, unchanged
	}
	return &pl, unchanged
}
