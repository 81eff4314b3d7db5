package hub

import (
	"bytes"
	"context"
	"crypto/hmac"
	"fmt"
	"strconv"
	"time"

	"github.com/dealerhub/dealerhub/connectors/webhook"
)

// FormatJSONRecords is the format of a partner's own JSON records (the
// decoder is hub/tabular's).
const FormatJSONRecords = "json-records"

// MaxSignatureSkew is how far an inbound post's timestamp may be from the
// hub's clock: older signatures are refused, so a captured request
// cannot be replayed later.
const MaxSignatureSkew = 5 * time.Minute

// InboundRequest is a partner's own JSON posted to /inbound/{doctype}.
type InboundRequest struct {
	Doctype string
	// Mapping names one of the partner's mappings; empty uses its default
	// for the doctype, else the built-in synonyms.
	Mapping string
	Body    []byte
	// Timestamp and Signature are the X-Dealerhub-Timestamp and
	// X-Dealerhub-Signature headers.
	Timestamp string
	Signature string
	// Wait is how long to wait for the final status (at most
	// MaxImportWait).
	Wait time.Duration
}

// Inbound checks the signature of a partner's post, then imports its
// records through the partner's mapping.
func (h *Hub) Inbound(ctx context.Context, p Principal, req InboundRequest) (ImportResult, error) {
	if p.Operator {
		return ImportResult{}, fmt.Errorf("%w: inbound posts come from a partner's key, not an operator's", ErrForbidden)
	}
	if in, ok := h.cfg.Load().Inbound(p.Partner); ok && in.Secret != "" {
		if err := checkSignature(in.Secret, req.Timestamp, req.Signature, req.Body, h.now()); err != nil {
			return ImportResult{}, err
		}
	}
	return h.Import(ctx, p, ImportRequest{
		Doctype: req.Doctype, Filename: "inbound-" + req.Doctype + ".json", Mapping: req.Mapping,
		Format: FormatJSONRecords, Body: bytes.NewReader(req.Body), Wait: req.Wait,
	})
}

// checkSignature verifies sha256=HMAC(secret, timestamp + "." + body),
// the scheme the hub's own webhooks sign with.
func checkSignature(secret, ts, sig string, body []byte, now time.Time) error {
	if ts == "" || sig == "" {
		return fmt.Errorf("%w: X-Dealerhub-Timestamp and X-Dealerhub-Signature are required for this partner", ErrBadSignature)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: X-Dealerhub-Timestamp %q is not Unix seconds", ErrBadSignature, ts)
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > MaxSignatureSkew || skew < -MaxSignatureSkew {
		return fmt.Errorf("%w: the timestamp is %s away from the hub's clock (at most %s)", ErrBadSignature, skew.Round(time.Second), MaxSignatureSkew)
	}
	if !hmac.Equal([]byte(webhook.Sign(secret, sec, body)), []byte(sig)) {
		return fmt.Errorf("%w: the signature does not match the body", ErrBadSignature)
	}
	return nil
}
