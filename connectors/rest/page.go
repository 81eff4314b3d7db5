package rest

import (
	"encoding/json"
	"fmt"
)

// Page is one API reply handed to the page callback.
type Page struct {
	// Number counts the run's pages from 1; a resumed run goes on counting
	// where the stopped one left off.
	Number int
	// URL is the request's URL, secrets replaced by REDACTED.
	URL string
	// Records are the raw JSON of the page's accepted records, in order.
	Records []json.RawMessage
	// Rejected are the records that lack a required field; they are not
	// in Records.
	Rejected []RecordError
	// RawBody is the reply body, exactly as received.
	RawBody []byte
	// Watermark is the checkpoint's watermark once this page is stored.
	Watermark string
	// Cursor is what the next page is asked with: the next cursor (cursor
	// pagination) or the next link (link); empty on the last page.
	Cursor string
	// Last reports the run's last page.
	Last bool
}

// RecordError is one rejected record.
type RecordError struct {
	// Page is the page number and Index the record's position in the
	// page's records array (from 0).
	Page  int
	Index int
	// Field is the required path that is missing.
	Field string
	// Message says what is wrong.
	Message string
	// Record is the record's raw JSON.
	Record json.RawMessage
}

// Error names the page, the record and the field.
func (e RecordError) Error() string {
	return fmt.Sprintf("page %d, record %d: %s: %s", e.Page, e.Index, e.Field, e.Message)
}

// Result sums up a Run.
type Result struct {
	// Pages is how many pages were handed to the page callback and stored.
	Pages int
	// Records and Rejected count the accepted and rejected records of
	// those pages.
	Records  int
	Rejected int
	// Requests is how many HTTP requests the run sent to the API and the
	// token endpoint, retries included.
	Requests int
	// Watermark is the checkpoint's watermark at the end.
	Watermark string
	// Resumed reports a run that started from an unfinished run's
	// position; FirstPage is the number of its first page.
	Resumed   bool
	FirstPage int
	// Done reports a run that reached its last page.
	Done bool
}
