package portal

import (
	"errors"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
)

var errSyncAPIPending = errors.New("sync-runs API not built yet")

func (a *api) listSyncRuns(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	return errSyncAPIPending
}

func (a *api) startSyncRun(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	return errSyncAPIPending
}
