package hub

import (
	"context"
	"errors"

	"github.com/dealerhub/dealerhub/hub/store"
)

var errSyncPending = errors.New("sync runs not built yet")

// ListSyncRuns lists the runs of scheduled sources the principal may see.
func (h *Hub) ListSyncRuns(ctx context.Context, p Principal, f store.SyncRunFilter) ([]store.SyncRun, string, error) {
	return nil, "", errSyncPending
}

// SyncNow runs a partner's scheduled source once, now.
func (h *Hub) SyncNow(ctx context.Context, p Principal, partner string) (store.SyncRun, error) {
	return store.SyncRun{}, errSyncPending
}
