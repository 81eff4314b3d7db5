package sftp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// SinkConfig is an sftp route's settings as the hub hands them over in
// Outbound.Config: which partner's connection to use, and the upload
// folder and names.
type SinkConfig struct {
	// Connection names the partner whose SFTP connection (host, user, keys,
	// host key) is used; the receiver when empty.
	Connection string `json:"connection,omitempty"`
	Upload
}

// ConnectionLookup returns a partner's SFTP connection; the hub reads it from
// its current config, so a reload takes effect at the next delivery.
type ConnectionLookup func(partner string) (Connection, bool)

// Sink writes outbound documents as files on partners' SFTP servers: under a
// temporary name first, then renamed into place, so a partner listing the
// folder never sees a partial file under the final name. The final name is
// rendered from the delivery, so a retry overwrites rather than duplicates.
type Sink struct {
	conns ConnectionLookup
	log   *slog.Logger
	// noPosixRename forces the remove-then-rename fallback (tests).
	noPosixRename bool
}

var _ connectors.Sink = (*Sink)(nil)

// NewSink returns the sink behind the "sftp" channel. log may be nil.
func NewSink(conns ConnectionLookup, log *slog.Logger) *Sink {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sink{conns: conns, log: log.With("connector", "sftp")}
}

// Deliver uploads out.Body. Bad route settings, refused logins and host
// keys, and permission errors are permanent; the rest is retried by the hub.
func (s *Sink) Deliver(ctx context.Context, out connectors.Outbound) error {
	var cfg SinkConfig
	dec := json.NewDecoder(bytes.NewReader(out.Config))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return connectors.Permanent(fmt.Errorf("reading the sftp route settings: %w", err))
	}
	if err := cfg.Upload.Validate("sftp.upload"); err != nil {
		return connectors.Permanent(fmt.Errorf("sftp route settings: %w", err))
	}
	up := cfg.Upload.withDefaults()
	partner := firstNonEmpty(cfg.Connection, out.Receiver)
	conn, ok := s.conns(partner)
	if !ok {
		return connectors.Permanent(fmt.Errorf("partner %q has no sftp connection", partner))
	}
	name, err := FileName(up.Name, out)
	if err != nil {
		return connectors.Permanent(err)
	}
	final, tmp := join(up.Dir, name), join(up.Dir, up.TempPrefix+name+up.TempSuffix)
	cl, err := Dial(ctx, conn)
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := s.upload(ctx, cl, tmp, final, out.Body); err != nil {
		if cl.Alive() {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			if rerr := cl.Remove(cctx, tmp); rerr != nil && !IsNotExist(rerr) {
				s.log.Warn("removing a temporary file after a failed upload", "partner", partner, "path", tmp, "error", rerr)
			}
			cancel()
		}
		return fmt.Errorf("delivering %s to sftp %s: %w", out.DeliveryID, partner, err)
	}
	s.log.Info("delivered", "partner", partner, "delivery_id", out.DeliveryID, "path", final, "bytes", len(out.Body))
	return nil
}

// upload writes the temporary file, checks its size, and renames it into
// place.
func (s *Sink) upload(ctx context.Context, cl *Client, tmp, final string, body []byte) error {
	if err := cl.WriteFile(ctx, tmp, body); err != nil {
		return err
	}
	fi, err := cl.Stat(ctx, tmp)
	if err != nil {
		return err
	}
	if fi.Size() != int64(len(body)) {
		return &SizeError{Path: tmp, Want: int64(len(body)), Read: fi.Size()}
	}
	return cl.Replace(ctx, tmp, final, !s.noPosixRename)
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
