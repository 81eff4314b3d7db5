package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

const syncRunCols = `id, partner, source, trigger, status, started_at, finished_at, read, changed,
	rejected, message_id, error, errors`

func scanSyncRun(row rowScanner) (store.SyncRun, error) {
	var (
		r        store.SyncRun
		started  int64
		finished sql.NullInt64
		errs     sql.NullString
	)
	if err := row.Scan(&r.ID, &r.Partner, &r.Source, &r.Trigger, &r.Status, &started, &finished, &r.Read,
		&r.Changed, &r.Rejected, &r.MessageID, &r.Error, &errs); err != nil {
		return store.SyncRun{}, err
	}
	r.StartedAt, r.FinishedAt = fromUS(started), fromNullUS(finished)
	if errs.Valid && errs.String != "" {
		if err := json.Unmarshal([]byte(errs.String), &r.Errors); err != nil {
			return store.SyncRun{}, fmt.Errorf("decoding the errors of run %s: %w", r.ID, err)
		}
	}
	return r, nil
}

// StartSyncRun stores a run in status running; the store sets ID (a new
// UUIDv7) and StartedAt (its clock) when they are empty.
func (s *Store) StartSyncRun(ctx context.Context, r store.SyncRun) (store.SyncRun, error) {
	if r.ID == "" {
		r.ID = newID()
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = now()
	}
	var out store.SyncRun
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanSyncRun(tx.QueryRowContext(ctx, `INSERT INTO sync_runs (id, partner, source, trigger,
			status, started_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING `+syncRunCols,
			r.ID, r.Partner, r.Source, r.Trigger, store.SyncRunning, us(r.StartedAt)))
		return err
	})
	if err != nil {
		return store.SyncRun{}, fmt.Errorf("starting %s sync run of %q: %w", r.Source, r.Partner, err)
	}
	return out, nil
}

// FinishSyncRun stores a run's outcome (status, counts, message, error,
// errors and FinishedAt, the store's clock when nil) and returns the whole
// run; ErrNotFound for an unknown id.
func (s *Store) FinishSyncRun(ctx context.Context, r store.SyncRun) (store.SyncRun, error) {
	if r.Status == "" || r.Status == store.SyncRunning {
		return store.SyncRun{}, fmt.Errorf("finishing sync run %s: status %q is not an outcome", r.ID, r.Status)
	}
	finished := now()
	if r.FinishedAt != nil {
		finished = *r.FinishedAt
	}
	var errs any
	if len(r.Errors) > 0 {
		b, err := json.Marshal(r.Errors)
		if err != nil {
			return store.SyncRun{}, fmt.Errorf("finishing sync run %s: encoding errors: %w", r.ID, err)
		}
		errs = string(b)
	}
	var out store.SyncRun
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanSyncRun(tx.QueryRowContext(ctx, `UPDATE sync_runs SET status = ?, finished_at = ?,
			read = ?, changed = ?, rejected = ?, message_id = ?, error = ?, errors = ?
			WHERE id = ? RETURNING `+syncRunCols,
			r.Status, us(finished), r.Read, r.Changed, r.Rejected, r.MessageID, r.Error, errs, r.ID))
		return err
	})
	if err != nil {
		return store.SyncRun{}, notFound(err, fmt.Sprintf("finishing sync run %s", r.ID))
	}
	return out, nil
}

// ListSyncRuns returns runs the scope may see (a partner's own; operators
// all), newest start first.
func (s *Store) ListSyncRuns(ctx context.Context, scope store.Scope, f store.SyncRunFilter) ([]store.SyncRun, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing sync runs: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, "partner = ?")
	q.eq("partner", f.Partner)
	q.eq("source", f.Source)
	q.eq("status", string(f.Status))
	q.after(c, "started_at", "id", true)
	text := `SELECT ` + syncRunCols + ` FROM sync_runs` + q.sql() + q.page("started_at", "id", true, limit)
	rs, err := collect(ctx, s.r, text, q.args, scanSyncRun)
	if err != nil {
		return nil, "", fmt.Errorf("listing sync runs: %w", err)
	}
	rs, next := store.TrimPage(rs, limit, func(r store.SyncRun) (time.Time, string) { return r.StartedAt, r.ID })
	return rs, next, nil
}
