package portal

import (
	"errors"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
)

var errStockAPIPending = errors.New("stock API not built yet")

func (a *api) listStock(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	return errStockAPIPending
}

func (a *api) listStockPolicies(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	return errStockAPIPending
}

func (a *api) putStockPolicies(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	return errStockAPIPending
}
