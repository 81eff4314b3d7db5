package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors/sftp"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
)

// DefaultPollLease is how long an instance's hold on a partner's poll lasts
// without renewal; it is renewed every third of that while the poller runs.
const DefaultPollLease = 30 * time.Second

// SFTPPollerOptions changes how SFTPPollers run.
type SFTPPollerOptions struct {
	// Holder names this instance in the leases; default host, pid and a
	// random suffix.
	Holder string
	// Lease is the lease's time to live; default DefaultPollLease.
	Lease  time.Duration
	Logger *slog.Logger
}

// SFTPPollers runs an sftp.Poller for each enabled partner with an sftp.poll
// block. Each poller runs only while this instance holds the partner's lease
// in the bus's KV bucket (key "sftp-poll.PARTNER"), so that one hub instance
// at a time polls a partner; the others wait and take over when the holder
// stops or its lease runs out.
type SFTPPollers struct {
	h      *Hub
	holder string
	ttl    time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	running map[string]*pollerRun
}

// pollerRun is one partner's running poller.
type pollerRun struct {
	cfg    sftp.Config
	cancel context.CancelFunc
	done   chan struct{}
}

// NewSFTPPollers returns a set with no pollers running; Apply starts them.
func NewSFTPPollers(h *Hub, o SFTPPollerOptions) *SFTPPollers {
	if o.Holder == "" {
		o.Holder = defaultHolder()
	}
	if o.Lease <= 0 {
		o.Lease = DefaultPollLease
	}
	if o.Logger == nil {
		o.Logger = h.log
	}
	return &SFTPPollers{h: h, holder: o.Holder, ttl: o.Lease, log: o.Logger, running: map[string]*pollerRun{}}
}

// Apply makes the running pollers match cfg: it stops those of partners
// gone, disabled or without a poll block, restarts those whose connection or
// poll settings changed (a change of upload settings alone keeps them) and
// starts new ones. ctx is the parent of the pollers it starts; they stop
// when it ends or at Stop.
func (s *SFTPPollers) Apply(ctx context.Context, cfg *config.Config) error {
	want := cfg.SFTPPollers()
	s.mu.Lock()
	defer s.mu.Unlock()
	for partner, r := range s.running {
		if c, ok := want[partner]; ok && samePoll(c, r.cfg) {
			continue
		}
		r.cancel()
		<-r.done
		delete(s.running, partner)
		s.log.Info("sftp poller stopped", "partner", partner, "connector", "sftp")
	}
	for partner, c := range want {
		if _, ok := s.running[partner]; ok {
			continue
		}
		p, err := sftp.NewPoller(partner, c, s.h, s.log)
		if err != nil {
			return fmt.Errorf("starting the sftp poller of partner %q: %w", partner, err)
		}
		rctx, cancel := context.WithCancel(ctx)
		r := &pollerRun{cfg: c, cancel: cancel, done: make(chan struct{})}
		s.running[partner] = r
		go func() {
			defer close(r.done)
			s.run(rctx, partner, p)
		}()
	}
	return nil
}

// samePoll reports whether two configs poll the same way.
func samePoll(a, b sftp.Config) bool {
	return reflect.DeepEqual(a.Connection, b.Connection) && reflect.DeepEqual(a.Poll, b.Poll)
}

// Running returns the partners whose pollers run (holding their lease or
// waiting for it).
func (s *SFTPPollers) Running() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.running))
	for p := range s.running {
		out = append(out, p)
	}
	return out
}

// Stop stops every poller and waits for them to return; their leases are
// released.
func (s *SFTPPollers) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for partner, r := range s.running {
		r.cancel()
		<-r.done
		delete(s.running, partner)
	}
}

// run polls partner whenever this instance holds its lease, until ctx ends.
func (s *SFTPPollers) run(ctx context.Context, partner string, p *sftp.Poller) {
	key := "sftp-poll." + partner
	log := s.log.With("partner", partner, "connector", "sftp", "lease", key)
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.h.bus.ReleaseLease(rctx, key, s.holder); err != nil {
			log.Warn("releasing the poll lease", "error", err)
		}
	}()
	every := s.ttl / 3
	waiting := false
	for ctx.Err() == nil {
		ok, err := s.h.bus.AcquireLease(ctx, key, s.holder, s.ttl)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil:
			log.Warn("taking the poll lease", "error", err)
		case ok:
			log.Info("polling: this instance holds the lease")
			waiting = false
			s.hold(ctx, key, log, func(ctx context.Context) { _ = p.Run(ctx, s.h) })
			continue
		case !waiting:
			log.Info("another instance polls this partner; standing by")
			waiting = true
		}
		if !sleep(ctx, every) {
			return
		}
	}
}

// defaultHolder names this instance in leases: host, pid and a random
// suffix.
func defaultHolder() string {
	host, _ := os.Hostname()
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(rnd[:]))
}

// hold runs poll while it renews the lease (see holdLease).
func (s *SFTPPollers) hold(ctx context.Context, key string, log *slog.Logger, poll func(context.Context)) {
	holdLease(ctx, s.h.bus, key, s.holder, s.ttl, log, poll)
}

// holdLease runs f while it renews holder's lease on key every third of
// ttl; f's context ends when ctx does or when the lease is lost (taken by
// another instance, or not renewed before it would run out). The SFTP
// pollers and the ERP sync scheduler share it.
func holdLease(ctx context.Context, b *bus.Bus, key, holder string, ttl time.Duration, log *slog.Logger, f func(context.Context)) {
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		last := time.Now()
		for sleep(pctx, ttl/3) {
			ok, err := b.AcquireLease(pctx, key, holder, ttl)
			switch {
			case pctx.Err() != nil:
				return
			case err == nil && ok:
				last = time.Now()
				continue
			case err == nil:
				log.Warn("the lease was taken by another instance; stopping")
			case time.Since(last) < ttl-ttl/3:
				log.Warn("renewing the lease; will try again", "error", err)
				continue
			default:
				log.Warn("the lease could not be renewed before it ran out; stopping", "error", err)
			}
			cancel()
			return
		}
	}()
	f(pctx)
	cancel()
	<-renewed
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
