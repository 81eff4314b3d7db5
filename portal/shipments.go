package portal

import (
	"fmt"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
)

// createShipment handles POST /api/v1/shipments: a supplier's ship notice
// for confirmed lines of one order.
func (a *api) createShipment(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	var req hub.ShipmentRequest
	if err := a.decodeStrict(r, &req); err != nil {
		return err
	}
	res, err := a.svc.CreateShipment(r.Context(), p, req)
	if err != nil {
		return fmt.Errorf("shipping order %q: %w", req.OrderID, err)
	}
	writeAction(w, res)
	return nil
}
