package connectors

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Ingester takes bytes from a source and stores them durably as a raw message.
// The hub implements it. A source acknowledges upstream (answers 2xx, deletes
// or archives a file) no earlier than the returned Receipt.
type Ingester interface {
	// Ingest stores the raw message idempotently: the same partner, doctype,
	// format and bytes always map to the same message, reported with
	// Duplicate set.
	Ingest(ctx context.Context, req IngestRequest) (Receipt, error)
}

// IngestRequest is one raw message handed to the hub by a source.
type IngestRequest struct {
	// Partner is the id of the partner the bytes came from; it becomes the
	// sender of every document decoded from them.
	Partner string
	// Doctype is the canonical document type the bytes hold (order,
	// stock_level, …).
	Doctype string
	// Format names the decoder: "json" now; xlsx, csv, x12 and edifact later.
	Format string
	// Source says where the bytes came from, for people: "api",
	// "sftp:acme/outbox/prices.xlsx", ….
	Source string
	// Filename is the original file name, when there is one.
	Filename string
	// Mapping names the partner mapping to apply, when the format needs one.
	Mapping string
	// Body is the raw bytes, exactly as received.
	Body []byte
}

// Receipt confirms that a raw message is durably stored.
type Receipt struct {
	MessageID string `json:"id"`
	Status    string `json:"status"`
	Duplicate bool   `json:"duplicate"`
}

// Source is a connector that fetches bytes from a partner and hands them to an
// Ingester. Run blocks until ctx is cancelled or the source fails for good.
type Source interface {
	Run(ctx context.Context, ing Ingester) error
}

// Outbound is one document on its way to a receiver, already encoded in the
// route's format.
type Outbound struct {
	DeliveryID  string
	Attempt     int // 1 for the first attempt
	Sender      string
	Receiver    string
	Doctype     string
	DocumentID  string
	Version     int
	ExternalID  string
	Format      string
	ContentType string
	Body        []byte
	// Config is the route's channel settings (JSON), as written in the hub
	// config for this receiver.
	Config []byte
}

// Sink delivers outbound documents over one channel (webhook, sftp, …).
// Deliver returns nil once the receiver has the document. An error wrapped
// with Permanent is not retried; RetryAfter tells when to try again.
type Sink interface {
	Deliver(ctx context.Context, out Outbound) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(ctx context.Context, out Outbound) error

// Deliver calls f.
func (f SinkFunc) Deliver(ctx context.Context, out Outbound) error { return f(ctx, out) }

// Encoder turns a canonical document (JSON) into a partner's format.
type Encoder interface {
	// Encode returns the bytes to send and their media type.
	Encode(ctx context.Context, doctype string, canonical []byte) (body []byte, contentType string, err error)
}

// DeliveryEncoder is an Encoder whose output depends on the delivery, not
// only on the document: an EDI interchange carries the parties' own
// identifiers and control numbers given once per delivery (a retry sends
// the same ones). The hub prefers EncodeDelivery when an encoder has it.
type DeliveryEncoder interface {
	EncodeDelivery(ctx context.Context, r EncodeRequest) (body []byte, contentType string, err error)
}

// EncodeRequest is one delivery's document to encode.
type EncodeRequest struct {
	DeliveryID string
	Sender     string
	Receiver   string
	Doctype    string
	DocumentID string
	// Canonical is the document version's canonical JSON (with lines).
	Canonical []byte
}

// ErrEndOfInput tells a caller that a source has nothing more to read.
var ErrEndOfInput = errors.New("end of input")

// PermanentError marks a failure that retrying cannot fix.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err so that IsPermanent reports true.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err, or an error it wraps, is permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// RetryAfterError asks the caller to wait at least After before retrying.
type RetryAfterError struct {
	Err   error
	After time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.Err, e.After)
}
func (e *RetryAfterError) Unwrap() error { return e.Err }

// RetryAfter wraps err with the delay the remote side asked for.
func RetryAfter(err error, after time.Duration) error {
	return &RetryAfterError{Err: err, After: after}
}

// RetryDelay returns the delay carried by a RetryAfterError in err's chain.
func RetryDelay(err error) (time.Duration, bool) {
	var r *RetryAfterError
	if errors.As(err, &r) {
		return r.After, true
	}
	return 0, false
}
