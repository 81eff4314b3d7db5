package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

// WithLines returns doc with its whole canonical body. The store keeps a
// price list's header as the document and its lines as rows; this puts
// the lines (in the partner's order) back under "lines", so the API and
// every delivery see the canonical document. Other doctypes, and price-list
// versions that published nothing, come back unchanged.
func WithLines(ctx context.Context, st store.Store, scope store.Scope, doc store.Document) (store.Document, error) {
	if doc.Doctype != "price_list" {
		return doc, nil
	}
	var probe struct {
		Lines json.RawMessage `json:"lines"`
	}
	if err := json.Unmarshal(doc.Body, &probe); err == nil && probe.Lines != nil {
		return doc, nil // stored whole (before lines were rows)
	}
	pl, err := st.PriceListOf(ctx, scope, doc.ID, doc.Version, "")
	if errors.Is(err, store.ErrNotFound) {
		return doc, nil
	}
	if err != nil {
		return doc, fmt.Errorf("finding the publication of price list %s v%d: %w", doc.ID, doc.Version, err)
	}
	body := bytes.TrimRight(doc.Body, " \n\t\r")
	if len(body) < 2 || body[len(body)-1] != '}' {
		return doc, fmt.Errorf("price list %s v%d: the stored header is not a JSON object", doc.ID, doc.Version)
	}
	var b bytes.Buffer
	b.Grow(len(body) + pl.Lines*96)
	b.Write(body[:len(body)-1])
	if len(bytes.TrimSpace(body[1:len(body)-1])) > 0 {
		b.WriteByte(',')
	}
	b.WriteString(`"lines":[`)
	page := store.Page{Limit: 1000}
	n := 0
	for {
		lines, next, err := st.ListPriceListLines(ctx, scope, pl.ID, page)
		if err != nil {
			return doc, fmt.Errorf("reading the lines of price list %s: %w", pl.ID, err)
		}
		for _, l := range lines {
			if n > 0 {
				b.WriteByte(',')
			}
			b.Write(l.Body)
			n++
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	b.WriteString("]}")
	doc.Body = b.Bytes()
	return doc, nil
}
