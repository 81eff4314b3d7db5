package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/sftp"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
)

// maxOutcomeLines caps the errors WaitFinal returns: a file with 100,000 bad
// rows gets the first ones and a line saying where the rest are.
const maxOutcomeLines = 1000

var _ sftp.Outcomes = (*Hub)(nil)

// WaitFinal waits until message id has finished (done, failed or dead) and
// returns its status with its errors, one line each, holding what the API
// shows for each error (GET /api/v1/messages/{id}): where, the value, why
// and the code. A done message may have errors too (rows rejected under
// on_error: import_valid). It implements sftp.Outcomes.
func (h *Hub) WaitFinal(ctx context.Context, id string) (string, []string, error) {
	m, err := AwaitMessage(ctx, h.st, id, time.Time{}, time.Second)
	if err != nil {
		return "", nil, err
	}
	return string(m.Status), OutcomeLines(m), nil
}

// OutcomeLines returns a message's errors as lines of text (at most 1,000;
// the last says how many more there are and where to read them).
func OutcomeLines(m store.Message) []string {
	n := len(m.Errors)
	if n > maxOutcomeLines {
		n = maxOutcomeLines - 1
	}
	out := make([]string, 0, n+1)
	for _, e := range m.Errors[:n] {
		out = append(out, DataErrorLine(e))
	}
	if more := len(m.Errors) - n; more > 0 {
		out = append(out, fmt.Sprintf("… and %d more: GET /api/v1/messages/%s (or its errors.xlsx)", more, m.ID))
	}
	return out
}

// DataErrorLine writes one error on one line, with the fields the API
// gives it: "sheet 价格 row 7 column D (单价), value "abc": not a decimal
// [schema]" or "/lines/0/quantity: must be positive [schema]".
func DataErrorLine(e store.DataError) string {
	var where []string
	if e.Sheet != "" {
		where = append(where, "sheet "+e.Sheet)
	}
	if e.Row > 0 {
		where = append(where, "row "+strconv.Itoa(e.Row))
	}
	switch {
	case e.Column != "" && e.Header != "":
		where = append(where, fmt.Sprintf("column %s (%s)", e.Column, e.Header))
	case e.Column != "":
		where = append(where, "column "+e.Column)
	case e.Header != "":
		where = append(where, "column "+e.Header)
	}
	if len(where) == 0 && e.Location != "" {
		where = append(where, e.Location)
	}
	if e.Pointer != "" {
		where = append(where, e.Pointer)
	}
	var b strings.Builder
	b.WriteString(strings.Join(where, " "))
	if e.Value != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "value %q", e.Value)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(strings.Join(strings.Fields(e.Reason), " "))
	if e.Code != "" {
		fmt.Fprintf(&b, " [%s]", e.Code)
	}
	return b.String()
}

// NewSFTPSink returns the sink behind the "sftp" channel: connectors/sftp's
// sink, which looks each partner's connection up in cfg() at every delivery
// (so a reload takes effect at once). A delivery whose Outbound.Config is
// empty gets its route's upload settings from cfg() as well
// (config.SFTPSinkConfig).
func NewSFTPSink(cfg func() *config.Config, log *slog.Logger) connectors.Sink {
	lookup := func(partner string) (sftp.Connection, bool) { return cfg().SFTPConnection(partner) }
	return &sftpRouteSink{cfg: cfg, sink: sftp.NewSink(lookup, log)}
}

type sftpRouteSink struct {
	cfg  func() *config.Config
	sink *sftp.Sink
}

// Deliver fills in the route's settings when the hub did not, and hands the
// delivery to the sftp sink.
func (s *sftpRouteSink) Deliver(ctx context.Context, out connectors.Outbound) error {
	if len(out.Config) == 0 {
		cfg := s.cfg()
		b, err := json.Marshal(cfg.SFTPSinkConfig(out.Receiver, cfg.Route(out.Receiver, out.Doctype)))
		if err != nil {
			return connectors.Permanent(fmt.Errorf("encoding the sftp route settings: %w", err))
		}
		out.Config = b
	}
	return s.sink.Deliver(ctx, out)
}
