package portal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// XLSXContentType is the media type of an .xlsx workbook: ask for it with
// Accept on a dry run to get the error workbook instead of the report.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// defaultImportWait is how long POST /api/v1/imports waits for the final
// status when ?wait= is not given.
const defaultImportWait = 30 * time.Second

// maxFieldBytes bounds the text fields of an upload form.
const maxFieldBytes = 256

// ImportResponse is the answer to POST /api/v1/imports without dry_run: 201
// when the message is done, 200 when it failed (Status says so, Message's
// errors say why), 202 while it is still being processed.
type ImportResponse struct {
	// Status is the message's status: done, failed, dead, or received /
	// processing when the wait ran out.
	Status  store.MessageStatus `json:"status"`
	Message store.Message       `json:"message"`
	// Duplicate: the same bytes, with the same mapping, were imported
	// before as this message.
	Duplicate bool `json:"duplicate"`
	// PriceList is a done price list's publication: its diff from the
	// previous list, its status, the dealers notified. With Unchanged, the
	// file equalled the current list and PriceList is that list.
	PriceList *store.PriceList `json:"price_list,omitempty"`
	Unchanged bool             `json:"unchanged,omitempty"`
	Links     ImportLinks      `json:"links"`
}

// ImportLinks point at what an import made.
type ImportLinks struct {
	// Message is the stored message (status, errors, bytes).
	Message string `json:"message"`
	// ErrorsWorkbook is the rejected rows as an .xlsx, when there are errors.
	ErrorsWorkbook string `json:"errors_workbook,omitempty"`
	// PriceList and PriceListChanges are the publication and its changes.
	PriceList        string `json:"price_list,omitempty"`
	PriceListChanges string `json:"price_list_changes,omitempty"`
}

// importFile handles POST /api/v1/imports: a multipart upload with file,
// doctype, mapping (optional) and partner (operators). ?dry_run=true
// answers the report (or, with Accept: XLSXContentType, the error
// workbook) and stores nothing; otherwise the file is imported and the
// answer waits up to ?wait= for the result.
func (a *api) importFile(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	dryRun := q.boolean("dry_run")
	wait := q.duration("wait", defaultImportWait, hub.MaxImportWait)
	if q.err != nil {
		return q.err
	}
	req, up, err := a.readUpload(r)
	if err != nil {
		return err
	}
	defer func() { _ = up.Close() }()
	req.DryRun, req.Wait = dryRun, wait
	if dryRun && acceptsWorkbook(r.Header.Values("Accept")) {
		var buf bytes.Buffer
		if err := a.svc.PreviewErrorWorkbook(r.Context(), p, req, &buf); err != nil {
			return fmt.Errorf("writing the error workbook of an upload: %w", err)
		}
		writeWorkbook(w, errorsFilename(req.Filename, "upload"), buf.Bytes())
		return nil
	}
	res, err := a.svc.Import(r.Context(), p, req)
	if err != nil {
		return fmt.Errorf("importing an upload: %w", err)
	}
	if dryRun {
		writeJSON(w, http.StatusOK, res.Preview)
		return nil
	}
	writeImportResult(w, res)
	return nil
}

// writeImportResult answers a stored import: 201 done, 200 refused (every
// error), 202 still processing, with the message's link.
func writeImportResult(w http.ResponseWriter, res hub.ImportResult) {
	resp := newImportResponse(res)
	status := http.StatusAccepted
	switch res.Message.Status {
	case store.StatusDone:
		status = http.StatusCreated
	case store.StatusFailed, store.StatusDead:
		status = http.StatusOK
	}
	if status != http.StatusOK {
		w.Header().Set("Location", resp.Links.Message)
	}
	writeJSON(w, status, resp)
}

func newImportResponse(res hub.ImportResult) ImportResponse {
	msgURL := "/api/v1/messages/" + res.Message.ID
	out := ImportResponse{
		Status: res.Message.Status, Message: res.Message, Duplicate: res.Duplicate,
		PriceList: res.PriceList, Unchanged: res.Unchanged,
		Links: ImportLinks{Message: msgURL},
	}
	if len(res.Message.Errors) > 0 && !hub.IsEDIFormat(res.Message.Format) {
		// An EDI file's errors name segments, not rows: no workbook.
		out.Links.ErrorsWorkbook = msgURL + "/errors.xlsx"
	}
	if res.PriceList != nil {
		out.Links.PriceList = "/api/v1/price-lists/" + res.PriceList.ID
		out.Links.PriceListChanges = out.Links.PriceList + "/changes"
	}
	return out
}

// messageErrors handles GET /api/v1/messages/{id}/errors.xlsx: the rejected
// rows of an imported file with their reasons, as an attachment.
func (a *api) messageErrors(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	var buf bytes.Buffer
	if err := a.svc.ErrorWorkbook(r.Context(), p, id, &buf); err != nil {
		return fmt.Errorf("error workbook of message %q: %w", id, err)
	}
	writeWorkbook(w, errorsFilename("", id), buf.Bytes())
	return nil
}

// readUpload reads the multipart form of an import within the body limit.
// The file is spooled (see spoolUpload): the caller closes the upload
// when the request is done.
func (a *api) readUpload(r *http.Request) (_ hub.ImportRequest, up *upload, err error) {
	defer func() {
		if err != nil {
			_ = up.Close()
			up = nil
		}
	}()
	req, err := a.readForm(r, &up)
	return req, up, err
}

// readForm reads the fields of an upload form, spooling its file to *up.
func (a *api) readForm(r *http.Request, up **upload) (hub.ImportRequest, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return hub.ImportRequest{}, &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType,
			Message: "Content-Type must be multipart/form-data with the file in a part named file (curl -F file=@prices.xlsx -F doctype=price_list)"}
	}
	if r.ContentLength > a.maxBody {
		return hub.ImportRequest{}, a.uploadTooLarge()
	}
	var req hub.ImportRequest
	seenFile := false
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return hub.ImportRequest{}, a.uploadReadError(err)
		}
		name := part.FormName()
		switch name {
		case "file":
			if seenFile {
				return hub.ImportRequest{}, badRequest("the form has more than one file part; upload one file at a time")
			}
			seenFile = true
			req.Filename = path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
			if req.Filename == "." || req.Filename == "/" {
				req.Filename = ""
			}
			if *up, err = spoolUpload(part); err != nil {
				return hub.ImportRequest{}, a.uploadReadError(err)
			}
			req.Body = *up
		case "doctype", "mapping", "partner":
			v, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return hub.ImportRequest{}, a.uploadReadError(err)
			}
			if len(v) > maxFieldBytes {
				return hub.ImportRequest{}, badRequest("form field %s is longer than %d bytes", name, maxFieldBytes)
			}
			s := strings.TrimSpace(string(v))
			switch name {
			case "doctype":
				req.Doctype = s
			case "mapping":
				req.Mapping = s
			default:
				req.Partner = s
			}
		default:
			return hub.ImportRequest{}, badRequest("unknown form field %q; the form takes file, doctype, mapping and partner", name)
		}
	}
	if !seenFile {
		return hub.ImportRequest{}, badRequest("the form has no part named file; send the spreadsheet as -F file=@prices.xlsx")
	}
	// The hub asks for a doctype unless the file is EDI, which says what
	// it holds.
	return req, nil
}

// uploadTooLarge is the 413 of an upload over the body limit.
func (a *api) uploadTooLarge() *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeBodyTooLarge,
		Message: "the upload exceeds the limit of " + strconv.FormatInt(a.maxBody, 10) +
			" bytes; split the file or ask the hub operator to raise --max-body"}
}

// uploadReadError turns an error reading the form into a 413 (over the
// limit) or a 400 (a malformed or cut-off form).
func (a *api) uploadReadError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return a.uploadTooLarge()
	}
	return badRequest("reading the multipart form: %v", err)
}

// acceptsWorkbook reports whether an Accept header names the .xlsx type.
func acceptsWorkbook(accept []string) bool {
	for _, h := range accept {
		for _, item := range strings.Split(h, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(item))
			if err == nil && mt == XLSXContentType && params["q"] != "0" {
				return true
			}
		}
	}
	return false
}

// errorsFilename names an error workbook after the uploaded file, or after
// the message when there is no file name.
func errorsFilename(filename, fallback string) string {
	base := strings.TrimSuffix(filename, path.Ext(filename))
	if base == "" {
		base = fallback
	}
	return base + "-errors.xlsx"
}

// writeWorkbook answers 200 with an .xlsx attachment.
func writeWorkbook(w http.ResponseWriter, filename string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", XLSXContentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": filename})
	if disposition == "" {
		disposition = `attachment; filename="errors.xlsx"`
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b) // the status is sent; a write error means the client left
}
