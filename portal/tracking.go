package portal

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
)

// TrackingResponse answers POST /api/v1/tracking-events: one result per
// posted event, in order.
type TrackingResponse struct {
	Events []hub.TrackingResult `json:"events"`
}

// postTrackingEvents handles POST /api/v1/tracking-events: one event or an
// array of them, all or nothing.
func (a *api) postTrackingEvents(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	if err := checkJSONContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, err := a.readBody(r)
	if err != nil {
		return err
	}
	events, err := splitDocuments(body)
	if err != nil {
		return err
	}
	res, err := a.svc.PostTrackingEvents(r.Context(), p, events)
	var nf *hub.ShipmentNotFoundError
	if errors.As(err, &nf) {
		e := &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "no shipment you carry or shipped has that number"}
		for _, ptr := range nf.Pointers {
			e.Details = append(e.Details, ErrorDetail{Pointer: ptr, Reason: "no shipment you carry or shipped has this number"})
		}
		return e
	}
	if err != nil {
		return fmt.Errorf("posting %d tracking event(s): %w", len(events), err)
	}
	status := http.StatusOK
	for _, ev := range res {
		if ev.Message.Status != "done" {
			status = http.StatusAccepted
		}
	}
	writeJSON(w, status, TrackingResponse{Events: res})
	return nil
}
