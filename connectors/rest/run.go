package rest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/go-resty/resty/v2"
)

// ErrLoop is returned (wrapped) when a page repeats a page, cursor or next
// link already seen in the same run.
var ErrLoop = errors.New("pagination loop")

// ErrTooManyPages is returned (wrapped) when a run reaches max_pages.
var ErrTooManyPages = errors.New("too many pages")

// Run fetches page after page, from the position state holds for the
// partner, and hands each page with records to page. Only after page
// returned nil (the hub stored it durably) is the new position and
// watermark saved to state; so when page fails, or the process dies, the
// next Run starts with the page that was not stored, never re-reading the
// ones that were. A run that reaches its last page saves the watermark and
// forgets the position. Run returns the first error: a request that failed
// for good (an *HTTPError or *TransportError naming the URL), a reply that
// is not what the config says, a loop (ErrLoop), max_pages
// (ErrTooManyPages), or page's own error.
func (s *Source) Run(ctx context.Context, state State, page func(ctx context.Context, p Page) error) (res Result, err error) {
	startRequests := s.requests.Load()
	defer func() { res.Requests = int(s.requests.Load() - startRequests) }()

	cp, err := state.Load(ctx, s.partner)
	if err != nil {
		return res, fmt.Errorf("loading the checkpoint of %s: %w", s.partner, err)
	}
	pos := s.startPosition(cp)
	res.Resumed = cp.Run != nil
	res.FirstPage = pos.Pages + 1
	res.Watermark = cp.Watermark
	wm := cp.Watermark

	guard := newLoopGuard(pos)
	for {
		number := pos.Pages + 1
		if number > s.cfg.MaxPages {
			return res, connectors.Permanent(fmt.Errorf("%s: page %d: %w (max_pages is %d)", s.partner, number, ErrTooManyPages, s.cfg.MaxPages))
		}
		reqURL, err := s.pageURL(pos)
		if err != nil {
			return res, connectors.Permanent(fmt.Errorf("%s: page %d: %w", s.partner, number, err))
		}
		shown := redactURL(reqURL, s.secretList())
		rep, err := s.send(ctx, s.apiRequest(reqURL))
		if err != nil {
			return res, fmt.Errorf("%s: fetching page %d: %w", s.partner, number, err)
		}
		p, next, err := s.readPage(rep, reqURL, pos, number)
		if err != nil {
			return res, connectors.Permanent(fmt.Errorf("%s: page %d (%s): %w", s.partner, number, shown, err))
		}
		p.URL = shown
		total := len(p.Records) + len(p.Rejected)

		if total > 0 {
			if err := guard.check(s, p, next, rep.body); err != nil {
				return res, connectors.Permanent(err)
			}
		}

		pageWM := wm
		for _, r := range p.Records {
			if v, ok := s.recordWatermark(r); ok && laterWatermark(v, pageWM) {
				pageWM = v
			}
		}
		p.Watermark = pageWM

		if total > 0 {
			if err := page(ctx, p); err != nil {
				return res, fmt.Errorf("%s: storing page %d (%s): %w", s.partner, number, shown, err)
			}
			res.Pages++
			res.Records += len(p.Records)
			res.Rejected += len(p.Rejected)
		}
		wm = pageWM
		next.Pages = number
		saved := Checkpoint{Watermark: wm}
		if !p.Last {
			saved.Run = &next
		}
		if err := state.Save(ctx, s.partner, saved); err != nil {
			return res, fmt.Errorf("%s: saving the checkpoint after page %d: %w", s.partner, number, err)
		}
		res.Watermark = wm
		s.log.Debug("page stored", "page", number, "records", len(p.Records), "rejected", len(p.Rejected), "last", p.Last)
		if p.Last {
			res.Done = true
			return res, nil
		}
		pos = next
	}
}

// startPosition is where a run starts: an unfinished run's position, or the
// first page asked since the stored (or initial) watermark.
func (s *Source) startPosition(cp Checkpoint) RunPosition {
	if cp.Run != nil {
		return *cp.Run
	}
	pos := RunPosition{Since: cp.Watermark}
	if pos.Since == "" && s.cfg.Watermark != nil {
		pos.Since = s.cfg.Watermark.Initial
	}
	if s.cfg.Pagination.Type == PageNumber {
		pos.Page = *s.cfg.Pagination.Start
	}
	return pos
}

// pageURL is the URL of the page at pos: the next link as given, or the
// configured URL with the static query, the watermark and the page's
// parameters.
func (s *Source) pageURL(pos RunPosition) (string, error) {
	if pos.NextURL != "" {
		return pos.NextURL, nil
	}
	u, err := url.Parse(s.cfg.URL)
	if err != nil {
		return "", fmt.Errorf("parsing url: %w", err)
	}
	q := u.Query()
	for k, v := range s.cfg.Query {
		q.Set(k, v)
	}
	if w := s.cfg.Watermark; w != nil && pos.Since != "" {
		q.Set(w.Param, pos.Since)
	}
	p := s.cfg.Pagination
	switch p.Type {
	case PageNumber:
		q.Set(p.PageParam, strconv.Itoa(pos.Page))
		q.Set(p.SizeParam, strconv.Itoa(p.Size))
	case PageOffset:
		q.Set(p.OffsetParam, strconv.Itoa(pos.Offset))
		q.Set(p.LimitParam, strconv.Itoa(p.Limit))
	case PageCursor:
		if pos.Cursor != "" {
			q.Set(p.CursorParam, pos.Cursor)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// apiRequest is the request for one page.
func (s *Source) apiRequest(reqURL string) request {
	return request{
		method: s.cfg.Method,
		url:    reqURL,
		api:    true,
		prepare: func(r *resty.Request) {
			r.SetHeader("Accept", "application/json")
			r.SetHeaders(s.cfg.Headers)
			if s.cfg.Method == "POST" && len(s.cfg.Body) > 0 {
				r.SetHeader("Content-Type", "application/json")
				r.SetBody([]byte(s.cfg.Body))
			}
		},
	}
}

// readPage reads the records of a reply and the position of the page after
// it; p.Last reports that there is none.
func (s *Source) readPage(rep *reply, reqURL string, pos RunPosition, number int) (p Page, next RunPosition, err error) {
	p = Page{Number: number, RawBody: rep.body}
	next = RunPosition{Since: pos.Since}
	body := bytes.TrimSpace(rep.body)
	if !json.Valid(body) {
		return p, next, fmt.Errorf("the reply is not JSON: %q", excerpt(rep.body, s.secretList()))
	}
	raw, found, err := s.records.Lookup(body)
	if err != nil {
		return p, next, err
	}
	if !found {
		return p, next, fmt.Errorf("records path %q is not in the reply: %q", s.records, excerpt(rep.body, s.secretList()))
	}
	var records []json.RawMessage
	switch firstByte(raw) {
	case '[':
		if err := json.Unmarshal(raw, &records); err != nil {
			return p, next, fmt.Errorf("reading records at %q: %w", s.records, err)
		}
	case 'n': // null: no records
	default:
		return p, next, fmt.Errorf("records path %q holds %s, not an array", s.records, kind(raw))
	}
	for i, r := range records {
		if field, msg, bad := s.missingRequired(r); bad {
			p.Rejected = append(p.Rejected, RecordError{Page: number, Index: i, Field: field, Message: msg, Record: r})
			continue
		}
		p.Records = append(p.Records, r)
	}

	n := len(records)
	pg := s.cfg.Pagination
	switch pg.Type {
	case PageNone:
		p.Last = true
	case PageNumber:
		next.Page = pos.Page + 1
		p.Last = n < pg.Size
	case PageOffset:
		next.Offset = pos.Offset + n
		p.Last = n < pg.Limit
	case PageCursor:
		c, _, ok, err := s.cursor.scalar(body)
		if err != nil {
			return p, next, err
		}
		next.Cursor = c
		p.Last = !ok
		p.Cursor = c
	case PageLink:
		base, err := url.Parse(reqURL)
		if err != nil {
			return p, next, fmt.Errorf("parsing the request url: %w", err)
		}
		next.NextURL = nextLink(rep.header.Values("Link"), base)
		p.Last = next.NextURL == ""
		p.Cursor = redactURL(next.NextURL, s.secretList())
	}
	if n == 0 {
		p.Last = true
	}
	if p.Last {
		p.Cursor = ""
	}
	return p, next, nil
}

// missingRequired returns the first required path record lacks.
func (s *Source) missingRequired(record json.RawMessage) (field, msg string, bad bool) {
	if len(s.required) > 0 && firstByte(bytes.TrimSpace(record)) != '{' {
		return "$", "the record is " + kind(record) + ", not an object", true
	}
	for _, p := range s.required {
		v, found, err := p.Lookup(record)
		switch {
		case err != nil:
			return p.String(), err.Error(), true
		case !found:
			return p.String(), "is missing", true
		case string(v) == "null":
			return p.String(), "is null", true
		case string(v) == `""`:
			return p.String(), "is empty", true
		}
	}
	return "", "", false
}

// recordWatermark is the record's watermark field as text.
func (s *Source) recordWatermark(record json.RawMessage) (string, bool) {
	if s.cfg.Watermark == nil {
		return "", false
	}
	v, _, ok, err := s.watermark.scalar(record)
	return v, ok && err == nil
}

// kind names the JSON type of raw, for errors.
func kind(raw json.RawMessage) string {
	switch firstByte(bytes.TrimSpace(raw)) {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	}
	return "a number"
}

// loopGuard remembers the bodies and the next cursors or links of a run's
// pages, to stop an API that serves the same page again.
type loopGuard struct {
	bodies map[[sha256.Size]byte]int
	nexts  map[string]int
}

func newLoopGuard(start RunPosition) *loopGuard {
	g := &loopGuard{bodies: map[[sha256.Size]byte]int{}, nexts: map[string]int{}}
	if c := start.Cursor + start.NextURL; c != "" {
		g.nexts[c] = start.Pages
	}
	return g
}

// check returns an ErrLoop error when page p repeats an earlier page's body
// or its next cursor or link was already seen.
func (g *loopGuard) check(s *Source, p Page, next RunPosition, body []byte) error {
	h := sha256.Sum256(body)
	if prev, seen := g.bodies[h]; seen {
		return fmt.Errorf("%s: page %d (%s) repeats page %d: %w", s.partner, p.Number, p.URL, prev, ErrLoop)
	}
	g.bodies[h] = p.Number
	c := next.Cursor + next.NextURL
	if p.Last || c == "" {
		return nil
	}
	if prev, seen := g.nexts[c]; seen {
		return fmt.Errorf("%s: page %d (%s): next %s %q repeats the one of page %d: %w",
			s.partner, p.Number, p.URL, s.cfg.Pagination.Type, redactURL(c, s.secretList()), prev, ErrLoop)
	}
	g.nexts[c] = p.Number
	return nil
}
