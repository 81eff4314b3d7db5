package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

const syncRunCols = `id, partner, source, trigger, status, started_at, finished_at, read, changed, rejected,
	message_id, error, errors`

func scanSyncRun(row pgx.Row) (store.SyncRun, error) {
	var (
		r    store.SyncRun
		errs []byte
	)
	if err := row.Scan(&r.ID, &r.Partner, &r.Source, &r.Trigger, &r.Status, &r.StartedAt, &r.FinishedAt,
		&r.Read, &r.Changed, &r.Rejected, &r.MessageID, &r.Error, &errs); err != nil {
		return store.SyncRun{}, err
	}
	if len(errs) > 0 {
		if err := json.Unmarshal(errs, &r.Errors); err != nil {
			return store.SyncRun{}, fmt.Errorf("decoding errors of sync run %s: %w", r.ID, err)
		}
	}
	if len(r.Errors) == 0 {
		r.Errors = nil
	}
	r.StartedAt = r.StartedAt.UTC()
	r.FinishedAt = utcPtr(r.FinishedAt)
	return r, nil
}

// syncRunErrors is a run's errors as the jsonb parameter: NULL when none.
func syncRunErrors(r store.SyncRun) (any, error) {
	if len(r.Errors) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(r.Errors)
	if err != nil {
		return nil, fmt.Errorf("encoding errors: %w", err)
	}
	return string(b), nil
}

// StartSyncRun stores a run in status running; the store sets ID and
// StartedAt when they are empty.
func (s *Store) StartSyncRun(ctx context.Context, r store.SyncRun) (store.SyncRun, error) {
	if r.Partner == "" || r.Source == "" {
		return store.SyncRun{}, fmt.Errorf("starting sync run: partner and source are required")
	}
	if r.ID == "" {
		r.ID = newID()
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = now()
	}
	errs, err := syncRunErrors(r)
	if err != nil {
		return store.SyncRun{}, fmt.Errorf("starting sync run of %q: %w", r.Partner, err)
	}
	out, err := scanSyncRun(s.pool.QueryRow(ctx, `INSERT INTO sync_runs (id, partner, source, trigger, status,
			started_at, read, changed, rejected, message_id, error, errors)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
		RETURNING `+syncRunCols,
		r.ID, r.Partner, r.Source, r.Trigger, store.SyncRunning, norm(r.StartedAt), r.Read, r.Changed, r.Rejected,
		r.MessageID, r.Error, errs))
	if isCode(err, "23505") {
		return store.SyncRun{}, fmt.Errorf("starting sync run %s of %q: %w", r.ID, r.Partner, store.ErrConflict)
	}
	if err != nil {
		return store.SyncRun{}, fmt.Errorf("starting sync run of %q: %w", r.Partner, err)
	}
	return out, nil
}

// FinishSyncRun stores a run's outcome (status, counts, message, error,
// errors and FinishedAt, the store's clock when nil) by its ID;
// ErrNotFound when there is no such run.
func (s *Store) FinishSyncRun(ctx context.Context, r store.SyncRun) (store.SyncRun, error) {
	if r.Status == "" {
		return store.SyncRun{}, fmt.Errorf("finishing sync run %s: the status is empty", r.ID)
	}
	finished := now()
	if r.FinishedAt != nil {
		finished = norm(*r.FinishedAt)
	}
	errs, err := syncRunErrors(r)
	if err != nil {
		return store.SyncRun{}, fmt.Errorf("finishing sync run %s: %w", r.ID, err)
	}
	out, err := scanSyncRun(s.pool.QueryRow(ctx, `UPDATE sync_runs
		SET status = $2, finished_at = $3, read = $4, changed = $5, rejected = $6, message_id = $7, error = $8,
			errors = $9::jsonb
		WHERE id = $1 RETURNING `+syncRunCols,
		r.ID, r.Status, finished, r.Read, r.Changed, r.Rejected, r.MessageID, r.Error, errs))
	if err != nil {
		return store.SyncRun{}, notFound(err, fmt.Sprintf("finishing sync run %s", r.ID))
	}
	return out, nil
}

// ListSyncRuns returns the runs the scope may see (a partner's own),
// newest first.
func (s *Store) ListSyncRuns(ctx context.Context, scope store.Scope, f store.SyncRunFilter) ([]store.SyncRun, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing sync runs: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, func(p string) string { return "partner = " + p })
	q.eq("partner", f.Partner)
	q.eq("source", f.Source)
	q.eq("status", string(f.Status))
	q.after(c, "started_at", "id", true)
	rows, err := s.pool.Query(ctx, `SELECT `+syncRunCols+` FROM sync_runs`+q.sql()+
		q.page("started_at", "id", true, limit), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing sync runs: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.SyncRun, error) { return scanSyncRun(r) })
	if err != nil {
		return nil, "", fmt.Errorf("listing sync runs: %w", err)
	}
	rs, next := store.TrimPage(rs, limit, func(r store.SyncRun) (time.Time, string) { return r.StartedAt, r.ID })
	return rs, next, nil
}
