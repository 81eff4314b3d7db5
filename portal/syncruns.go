package portal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// syncRunStatuses are the run statuses a filter may name.
func syncRunStatuses() []string {
	return []string{string(store.SyncRunning), string(store.SyncSucceeded), string(store.SyncFailed)}
}

// listSyncRuns handles GET /api/v1/sync-runs: the runs of scheduled
// sources (ERP syncs) the caller may see, newest first.
func (a *api) listSyncRuns(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.SyncRunFilter{
		Partner: q.str("partner"),
		Source:  q.str("source"),
		Status:  store.SyncRunStatus(q.oneOf("status", syncRunStatuses()...)),
		Page:    q.page(),
	}
	if q.err != nil {
		return q.err
	}
	runs, next, err := a.svc.ListSyncRuns(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing sync runs: %w", err)
	}
	writeList(w, runs, next)
	return nil
}

// StartSyncRunRequest is the body of POST /api/v1/sync-runs.
type StartSyncRunRequest struct {
	// Partner whose source runs; a partner's key may leave it out (itself),
	// an operator's must give it.
	Partner string `json:"partner"`
	// Source names the source to run as runs do ("tryton", "rest:stock");
	// it may be left out when the partner has only one.
	Source string `json:"source,omitempty"`
}

// startSyncRun handles POST /api/v1/sync-runs: the partner's source runs
// once, now; 201 with the finished run (succeeded or failed), 404 for a
// partner without a source (or not the caller), 409 while a run of it is
// in progress.
func (a *api) startSyncRun(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	if err := checkJSONContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, err := a.readBody(r)
	if err != nil {
		return err
	}
	var req StartSyncRunRequest
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return badRequest("the body must be a JSON object such as {\"partner\": \"north\"}: %v", err)
	}
	if req.Partner == "" {
		if p.Operator {
			return badRequest("partner is required: the partner whose source to run")
		}
		req.Partner = p.Partner
	}
	run, err := a.svc.SyncNow(r.Context(), p, req.Partner, req.Source)
	if err != nil {
		return fmt.Errorf("running partner %q's sync: %w", req.Partner, err)
	}
	writeJSON(w, http.StatusCreated, run)
	return nil
}
