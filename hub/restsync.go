package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/rest"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
)

// RESTSourcePrefix starts the Source of messages a REST source stored
// ("rest:stock") and the source of its sync runs.
const RESTSourcePrefix = "rest:"

// IsRESTSource reports whether a message's Source is a REST source's.
func IsRESTSource(source string) bool { return strings.HasPrefix(source, RESTSourcePrefix) }

// isRESTStock reports a page of stock levels pulled from a dealer's API:
// it goes the way of an ERP's snapshot (the stock view, changes only,
// low-stock alerts) rather than into plain documents.
func isRESTStock(msg store.Message) bool {
	return msg.Doctype == "stock_level" && msg.Format == FormatJSONRecords && IsRESTSource(msg.Source)
}

// RESTState keeps REST sources' checkpoints in the store (source_states,
// under the source "rest:NAME"), so a restarted hub resumes where the
// last stored page left off.
type RESTState struct {
	St     store.Store
	Source string
}

// Load returns the partner's checkpoint; the zero one when none is saved.
func (s RESTState) Load(ctx context.Context, partner string) (rest.Checkpoint, error) {
	var cp rest.Checkpoint
	raw, err := s.St.SourceState(ctx, partner, s.Source)
	if err != nil || raw == nil {
		return cp, err
	}
	if err := json.Unmarshal(raw, &cp); err != nil {
		return cp, fmt.Errorf("the saved checkpoint of %s's %s is not a checkpoint: %w", partner, s.Source, err)
	}
	return cp, nil
}

// Save replaces the partner's checkpoint.
func (s RESTState) Save(ctx context.Context, partner string, cp rest.Checkpoint) error {
	raw, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	return s.St.SaveSourceState(ctx, partner, s.Source, raw)
}

// RESTSyncRequest is one run of a partner's REST source.
type RESTSyncRequest struct {
	Partner string
	Source  config.RESTSource
	// Client is the source's connector; it keeps its OAuth2 token
	// between runs, so the scheduler builds it once per source.
	Client *rest.Source
	// Wait bounds the wait for the stored pages to be processed;
	// DefaultStockSyncWait when zero.
	Wait time.Duration
}

// SyncREST runs one pull of a REST source. Each page's accepted records
// are stored as one raw message (format json-records, the source's
// doctype and mapping, source "rest:NAME") before the source's
// checkpoint moves past the page, so a run that stops (a failed request,
// a crash) resumes at the first page not stored, and never asks for a
// stored page again. It then waits for the pages to be processed and sums
// them up: records read, documents changed, records rejected (by the
// source's required fields, the mapping or the schema) with their
// errors. It fails when the pull failed or a stored page failed as a
// whole (a page whose every record was rejected is rejected records);
// pages stored before a failure stay stored.
func SyncREST(ctx context.Context, st store.Store, names SubjectNamer, r RESTSyncRequest) (StockSyncOutcome, error) {
	wait := r.Wait
	if wait <= 0 {
		wait = DefaultStockSyncWait
	}
	src := r.Source
	kind := src.SourceKind()
	var (
		out   StockSyncOutcome
		pages []restPage
	)
	res, runErr := r.Client.Run(ctx, RESTState{St: st, Source: kind}, func(ctx context.Context, p rest.Page) error {
		for _, rej := range p.Rejected {
			out.Errors = append(out.Errors, store.DataError{
				Code: "required", Pointer: "/" + strings.ReplaceAll(rej.Field, ".", "/"),
				Location: fmt.Sprintf("page %d, record %d", rej.Page, rej.Index), Reason: rej.Message,
			})
		}
		out.Read += len(p.Records) + len(p.Rejected)
		out.Rejected += len(p.Rejected)
		if len(p.Records) == 0 {
			return nil // every record rejected: nothing to store
		}
		body, err := json.Marshal(p.Records)
		if err != nil {
			return fmt.Errorf("encoding page %d: %w", p.Number, err)
		}
		rcpt, err := EnqueueBody(ctx, st, names, connectors.IngestRequest{
			Partner: r.Partner, Doctype: src.Doctype, Format: FormatJSONRecords, Source: kind,
			Filename: fmt.Sprintf("%s-%s-page-%d.json", src.Name, time.Now().UTC().Format("20060102T150405Z"), p.Number),
			Mapping:  src.Mapping,
		}, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("storing page %d: %w", p.Number, err)
		}
		pages = append(pages, restPage{number: p.Number, messageID: rcpt.MessageID})
		if out.MessageID == "" {
			out.MessageID = rcpt.MessageID
		}
		return nil
	})
	out.Status = store.StatusDone
	deadline := time.Now().Add(wait)
	var failed []string
	for _, pg := range pages {
		m, err := AwaitMessage(ctx, st, pg.messageID, deadline, 200*time.Millisecond)
		if err != nil {
			return out, errors.Join(runErr, err)
		}
		out.Changed += len(m.DocumentIDs)
		out.Rejected += countRejected(m.Errors)
		for _, e := range m.Errors {
			e.Location = strings.TrimSuffix(fmt.Sprintf("page %d (message %s), %s", pg.number, m.ID, e.Location), ", ")
			out.Errors = append(out.Errors, e)
		}
		switch m.Status {
		case store.StatusDone:
		case store.StatusFailed, store.StatusDead:
			// A page whose every record was rejected is rejected records;
			// a page that failed as a whole (not JSON, no mapping, given
			// up on) fails the run.
			if m.Status == store.StatusDead || !recordErrors(m.Errors) {
				failed = append(failed, fmt.Sprintf("page %d (message %s): %s", pg.number, m.ID, DataErrors(m.Errors).Error()))
			}
		default:
			out.Status = m.Status
		}
	}
	out.Errors = CapErrors(out.Errors)
	if runErr != nil {
		return out, fmt.Errorf("pulling %s (%d page(s) stored this run, from page %d): %w", kind, res.Pages, res.FirstPage, runErr)
	}
	if len(failed) > 0 {
		return out, fmt.Errorf("%d of %d stored page(s) failed: %s", len(failed), len(pages), strings.Join(failed, "; "))
	}
	if out.Status != store.StatusDone {
		return out, fmt.Errorf("the pages of %s are still %s after %s: is the hub running?", kind, out.Status, wait)
	}
	return out, nil
}

// recordErrors reports errors that are each about one record (a pointer
// into the page's array, or the "and N more" summary).
func recordErrors(errs []store.DataError) bool {
	for _, e := range errs {
		if _, more := moreCount(e); more {
			continue
		}
		if r := rowOf(e); r == "" || strings.Trim(strings.TrimPrefix(r, "/"), "0123456789") != "" {
			return false
		}
	}
	return len(errs) > 0
}

type restPage struct {
	number    int
	messageID string
}

// SourceRunRequest is the manual run of one of partner's sources in cfg,
// outside a hub's scheduler (the CLI's `sync now`): source names it as
// runs do ("tryton", "rest:stock"), empty for the partner's only one.
// ErrNotFound and ErrBadRequest as for Hub.SyncNow.
func SourceRunRequest(cfg *config.Config, st store.Store, names SubjectNamer, partner, source string, newReader ReaderFactory, wait time.Duration, opts ...rest.Option) (SyncRunRequest, error) {
	j, err := findJob(cfg, partner, source)
	if err != nil {
		return SyncRunRequest{}, err
	}
	if j.rest == nil {
		return SyncRunRequest{Partner: partner, ERP: *j.erp, Trigger: TriggerManual, NewReader: newReader, Wait: wait}, nil
	}
	rs := *j.rest
	return SyncRunRequest{
		Partner: partner, Source: rs.SourceKind(), Trigger: TriggerManual,
		Run: func(ctx context.Context, _ time.Time) (StockSyncOutcome, error) {
			src, err := rest.New(partner, rs.Config, opts...)
			if err != nil {
				return StockSyncOutcome{}, err
			}
			return SyncREST(ctx, st, names, RESTSyncRequest{Partner: partner, Source: rs, Client: src, Wait: wait})
		},
	}, nil
}
