package sftp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// Outcomes tells a poller how the hub finished with a message. The hub
// implements it.
type Outcomes interface {
	// WaitFinal blocks until the message reaches a final status (done,
	// failed or dead) and returns it with the errors the API shows for it,
	// one line each. It returns an error when ctx ends first.
	WaitFinal(ctx context.Context, messageID string) (status string, errs []string, err error)
}

// Final message statuses the poller acts on; any other final status (dead)
// is handled like failed.
const (
	StatusDone   = "done"
	StatusFailed = "failed"
)

// Poller fetches one partner's files from a remote folder and hands them to
// the hub. A file is taken once complete, imported, and only after the
// hub's final verdict archived (or deleted) or moved to the error folder.
//
// After a crash the same file is found again: the same bytes are the same
// message (the Ingester reports a Duplicate), so the poller just waits for
// that message's status again; a file is never imported twice.
//
// A Poller is not safe for concurrent use: run one per partner (the hub
// holds a lease so that only one instance polls a partner).
type Poller struct {
	partner  string
	conn     Connection
	poll     Poll
	outcomes Outcomes
	log      *slog.Logger
	now      func() time.Time
	attempts int

	client *Client
	// seen holds each file's size and time from the previous poll, for the
	// stable completion mode.
	seen map[string]observation
}

type observation struct {
	size  int64
	mtime time.Time
}

var _ connectors.Source = (*Poller)(nil)

// NewPoller returns the poller for partner's cfg.Poll. log may be nil.
func NewPoller(partner string, cfg Config, outcomes Outcomes, log *slog.Logger) (*Poller, error) {
	if cfg.Poll == nil {
		return nil, &FieldError{Field: "sftp.poll", Message: "is required for a poller"}
	}
	if err := errors.Join(cfg.Connection.Validate("sftp"), cfg.Poll.Validate("sftp.poll")); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Poller{
		partner:  partner,
		conn:     cfg.Connection.withDefaults(),
		poll:     cfg.Poll.withDefaults(),
		outcomes: outcomes,
		log:      log.With("connector", "sftp", "partner", partner),
		now:      time.Now,
		attempts: 3,
		seen:     map[string]observation{},
	}, nil
}

// Run polls at the configured interval until ctx ends, logging each poll's
// failures; a poll that fails is simply tried again at the next tick.
func (p *Poller) Run(ctx context.Context, ing connectors.Ingester) error {
	defer p.Close()
	tick := time.NewTicker(time.Duration(p.poll.Interval))
	defer tick.Stop()
	for {
		rep, err := p.PollOnce(ctx, ing)
		if err != nil && ctx.Err() == nil {
			p.log.Error("polling", "dir", p.poll.Dir, "error", err)
		}
		if rep.Imported+rep.Failed > 0 {
			p.log.Info("polled", "dir", p.poll.Dir, "imported", rep.Imported, "failed", rep.Failed, "waiting", rep.Waiting)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Close ends the poller's connection, if one is open.
func (p *Poller) Close() {
	if p.client != nil {
		p.client.Close()
		p.client = nil
	}
}

// Report counts what one poll did.
type Report struct {
	// Listed files match the pattern; Waiting ones are not complete yet.
	Listed, Waiting int
	// Imported files ended done (archived or deleted); Failed ones ended in
	// the error folder.
	Imported, Failed int
	// Vanished files were deleted between listing and download.
	Vanished int
	// Left files stay where they are for the next poll (a download cut, the
	// hub unreachable, no verdict yet).
	Left int
}

// PollOnce lists the folder once and processes every complete file in name
// order. It returns an error when the folder cannot be listed, and the
// joined errors of files left for the next poll.
func (p *Poller) PollOnce(ctx context.Context, ing connectors.Ingester) (Report, error) {
	var rep Report
	var list []fs.FileInfo
	err := p.remote(ctx, func(c *Client) (err error) {
		list, err = c.ReadDir(ctx, p.poll.Dir)
		return err
	})
	if IsNotExist(err) {
		return rep, fmt.Errorf("the remote folder %s of partner %q does not exist: %w", p.poll.Dir, p.partner, err)
	}
	if err != nil {
		return rep, err
	}
	ready := p.complete(list, &rep)
	var errs []error
	for _, fi := range ready {
		if ctx.Err() != nil {
			break
		}
		if err := p.take(ctx, ing, fi, &rep); err != nil {
			rep.Left++
			errs = append(errs, err)
		}
	}
	return rep, errors.Join(errs...)
}

// complete picks the files that are finished, in name order, and
// remembers this listing for the next poll.
func (p *Poller) complete(list []fs.FileInfo, rep *Report) []fs.FileInfo {
	names := map[string]bool{}
	for _, fi := range list {
		names[fi.Name()] = true
	}
	seen := map[string]observation{}
	var ready []fs.FileInfo
	for _, fi := range list {
		name := fi.Name()
		if !fi.Mode().IsRegular() || strings.HasPrefix(name, ".") {
			continue
		}
		if p.poll.Complete == CompleteMarker && strings.HasSuffix(name, p.poll.MarkerSuffix) {
			continue
		}
		if ok, _ := path.Match(p.poll.Pattern, name); !ok {
			continue
		}
		rep.Listed++
		now := observation{size: fi.Size(), mtime: fi.ModTime()}
		seen[name] = now
		var done bool
		if p.poll.Complete == CompleteMarker {
			done = names[name+p.poll.MarkerSuffix]
		} else {
			prev, ok := p.seen[name]
			done = ok && prev == now
		}
		if done {
			ready = append(ready, fi)
		} else {
			rep.Waiting++
		}
	}
	p.seen = seen
	slices.SortFunc(ready, func(a, b fs.FileInfo) int { return strings.Compare(a.Name(), b.Name()) })
	return ready
}

// take downloads one file, imports it, waits for its verdict and puts the
// file away. A nil error with no count means the file vanished.
func (p *Poller) take(ctx context.Context, ing connectors.Ingester, fi fs.FileInfo, rep *Report) error {
	name := fi.Name()
	full := path.Join(p.poll.Dir, name)
	log := p.log.With("path", full)
	format := p.poll.Format
	if format == "" {
		format = FormatOf(name)
	}
	if format == "" {
		reason := fmt.Sprintf("%s: cannot tell the file's format from its extension (.xlsx, .xlsm, .csv, .txt, .json, .edi, .x12); the hub's config can name it (poll.format)", name)
		return p.finishFailed(ctx, log, name, "", []string{reason}, rep)
	}
	if fi.Size() > p.poll.MaxSize {
		reason := fmt.Sprintf("%s is %d bytes; the largest file taken is %d bytes (poll.max_size in the hub's config)", name, fi.Size(), p.poll.MaxSize)
		return p.finishFailed(ctx, log, name, "", []string{reason}, rep)
	}
	var body []byte
	err := p.remote(ctx, func(c *Client) (err error) {
		body, err = c.Download(ctx, full, fi.Size())
		return err
	})
	var sizeErr *SizeError
	switch {
	case IsNotExist(err):
		log.Info("file deleted between listing and download; skipped")
		delete(p.seen, name)
		rep.Vanished++
		return nil
	case errors.As(err, &sizeErr):
		delete(p.seen, name) // it is still changing: wait for two equal listings again
		return fmt.Errorf("downloading %s: %w", full, err)
	case err != nil:
		return fmt.Errorf("downloading %s: %w", full, err)
	}
	rcpt, err := ing.Ingest(ctx, connectors.IngestRequest{
		Partner: p.partner, Doctype: p.poll.Doctype, Format: format, Mapping: p.poll.Mapping,
		Source: "sftp:" + p.partner + "/" + strings.TrimPrefix(full, "/"), Filename: name, Body: body,
	})
	if err != nil {
		return fmt.Errorf("handing %s to the hub: %w", full, err)
	}
	log = log.With("message_id", rcpt.MessageID)
	log.Info("stored; waiting for the message's status", "bytes", len(body), "duplicate", rcpt.Duplicate)
	status, errs, err := p.outcomes.WaitFinal(ctx, rcpt.MessageID)
	if err != nil {
		return fmt.Errorf("waiting for message %s of %s: %w", rcpt.MessageID, full, err)
	}
	if status == StatusDone {
		return p.finishDone(ctx, log, name, rep)
	}
	return p.finishFailed(ctx, log, name, fmt.Sprintf("message %s ended %s", rcpt.MessageID, status), errs, rep)
}

// remote runs op with a live connection, dialling when there is none; when
// the connection drops or times out it dials again and retries op, up to
// p.attempts times in all.
func (p *Poller) remote(ctx context.Context, op func(*Client) error) error {
	var err error
	for range p.attempts {
		if p.client == nil || !p.client.Alive() {
			p.Close()
			cl, derr := Dial(ctx, p.conn)
			if derr != nil {
				err = derr
				if connectors.IsPermanent(derr) || ctx.Err() != nil {
					return err
				}
				continue
			}
			p.client = cl
		}
		err = op(p.client)
		if err == nil || ctx.Err() != nil || p.client.Alive() && !connectionLost(err) {
			return err
		}
		p.log.Warn("connection lost; dialling again", "error", err)
		p.Close()
	}
	return err
}
