package portal

import (
	"fmt"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
)

// inbound handles POST /api/v1/inbound/{doctype}: a partner's own JSON
// (an array of records, or the array at its inbound.records path),
// mapped by its mapping for the doctype (?mapping=NAME, else its default,
// else the built-in synonyms). A partner with an inbound secret signs
// the body (X-Dealerhub-Timestamp, X-Dealerhub-Signature); a missing,
// stale or wrong signature is 401 and nothing is stored. Answers as
// POST /imports does: 201 stored, 200 refused with every error located by
// its JSON pointer, 202 still processing after ?wait= (default 30s).
func (a *api) inbound(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	doctype := r.PathValue("doctype")
	if err := checkJSONContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	q := newQuery(r.URL)
	mapping := q.str("mapping")
	wait := q.duration("wait", defaultImportWait, hub.MaxImportWait)
	if q.err != nil {
		return q.err
	}
	body, err := a.readBody(r)
	if err != nil {
		return err
	}
	res, err := a.svc.Inbound(r.Context(), p, hub.InboundRequest{
		Doctype: doctype, Mapping: mapping, Body: body, Wait: wait,
		Timestamp: r.Header.Get("X-Dealerhub-Timestamp"), Signature: r.Header.Get("X-Dealerhub-Signature"),
	})
	if err != nil {
		return fmt.Errorf("taking %s records: %w", doctype, err)
	}
	writeImportResult(w, res)
	return nil
}
