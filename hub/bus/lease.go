package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// leaseRecord is the value stored under a lease key. The lease runs out TTL
// after the record was written, measured from the server's timestamp of the
// write, so a holder's clock cannot extend it.
type leaseRecord struct {
	Holder string `json:"holder"`
	TTL    int64  `json:"ttl_ns"`
}

// maxLeaseCASRetries bounds the read-compare-write loop when several
// instances race for the same key.
const maxLeaseCASRetries = 5

// AcquireLease tries to make holder the holder of key for ttl. It returns
// true if holder now holds the lease: it was free (never taken, released,
// or expired), or holder already held it (the lease is renewed for ttl from
// now). It returns false, nil while another holder's lease runs. Writes are
// compare-and-set on the key's revision, so at most one of several racing
// instances wins. Expiry compares the server's write time with this
// machine's clock, so clocks must agree to well within ttl. Keys use
// A-Z a-z 0-9 - _ / = and inner dots; ttl is at most 24h.
func (b *Bus) AcquireLease(ctx context.Context, key, holder string, ttl time.Duration) (bool, error) {
	if holder == "" {
		return false, fmt.Errorf("acquiring lease %q: holder is empty", key)
	}
	if ttl <= 0 || ttl > leaseBucketTTL {
		return false, fmt.Errorf("acquiring lease %q: ttl %s is not within (0, %s]", key, ttl, leaseBucketTTL)
	}
	val, err := json.Marshal(leaseRecord{Holder: holder, TTL: int64(ttl)})
	if err != nil {
		return false, fmt.Errorf("acquiring lease %q: encoding record: %w", key, err)
	}
	for range maxLeaseCASRetries {
		entry, err := b.leases.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			// Create also takes over a key whose last revision is a delete.
			_, err = b.leases.Create(ctx, key, val)
			if errors.Is(err, jetstream.ErrKeyExists) {
				continue // someone else was faster; look again
			}
			if err != nil {
				return false, fmt.Errorf("acquiring lease %q: creating: %w", key, err)
			}
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("acquiring lease %q: reading: %w", key, err)
		}
		if cur, ok := decodeLease(entry); ok && cur.Holder != holder && !leaseExpired(entry, cur) {
			return false, nil
		}
		_, err = b.leases.Update(ctx, key, val, entry.Revision())
		if errors.Is(err, jetstream.ErrKeyRevisionMismatch) || errors.Is(err, jetstream.ErrKeyExists) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("acquiring lease %q: updating: %w", key, err)
		}
		return true, nil
	}
	// Lost every race: someone else is actively writing the key.
	return false, nil
}

// ReleaseLease gives up holder's lease on key so another holder can take it
// at once. Releasing a lease that holder does not hold (never taken,
// expired and taken over, already released) does nothing.
func (b *Bus) ReleaseLease(ctx context.Context, key, holder string) error {
	entry, err := b.leases.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("releasing lease %q: reading: %w", key, err)
	}
	if cur, ok := decodeLease(entry); !ok || cur.Holder != holder {
		return nil
	}
	err = b.leases.Delete(ctx, key, jetstream.LastRevision(entry.Revision()))
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) || errors.Is(err, jetstream.ErrKeyExists) {
		return nil // rewritten meanwhile, so no longer ours
	}
	if err != nil {
		return fmt.Errorf("releasing lease %q: deleting: %w", key, err)
	}
	return nil
}

// decodeLease reads a record; an unreadable one counts as free.
func decodeLease(e jetstream.KeyValueEntry) (leaseRecord, bool) {
	var r leaseRecord
	if err := json.Unmarshal(e.Value(), &r); err != nil || r.Holder == "" {
		return r, false
	}
	return r, true
}

func leaseExpired(e jetstream.KeyValueEntry, r leaseRecord) bool {
	return !time.Now().Before(e.Created().Add(time.Duration(r.TTL)))
}
