package hub

import (
	"context"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// ListStock lists the stock levels the principal may see, with sales on
// the hub's date.
func (h *Hub) ListStock(ctx context.Context, p Principal, f store.StockFilter) ([]store.StockLevel, string, error) {
	f.Today = h.today()
	return h.st.ListStock(ctx, p.Scope(), f)
}

// PutStockPolicies sets a dealer's safety-stock policies and evaluates
// their levels at once. A partner sets its own (naming another is
// ErrForbidden); an operator names the dealer.
func (h *Hub) PutStockPolicies(ctx context.Context, p Principal, dealer string, ps []store.StockPolicy) ([]store.Notification, error) {
	dealer, err := actingPartner(p, dealer)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("%w: no policies given", ErrBadRequest)
	}
	var violations []schemas.Violation
	for i := range ps {
		if ps[i].Dealer != "" && ps[i].Dealer != dealer {
			violations = append(violations, schemas.Violation{Pointer: fmt.Sprintf("/%d/dealer", i),
				Reason: fmt.Sprintf("policy names dealer %q but is set for %q", ps[i].Dealer, dealer)})
			continue
		}
		ps[i].Dealer = dealer
		if err := ps[i].Validate(); err != nil {
			violations = append(violations, schemas.Violation{Pointer: fmt.Sprintf("/%d", i), Reason: err.Error()})
		}
	}
	if len(violations) > 0 {
		return nil, &ValidationError{Violations: violations}
	}
	return h.st.PutStockPolicies(ctx, dealer, ps, h.today())
}

// ListStockPolicies lists the policies the principal may see.
func (h *Hub) ListStockPolicies(ctx context.Context, p Principal, f store.StockPolicyFilter) ([]store.StockPolicy, string, error) {
	return h.st.ListStockPolicies(ctx, p.Scope(), f)
}

// ListCrossRefs lists a partner's cross-references (its own; an operator
// names the partner).
func (h *Hub) ListCrossRefs(ctx context.Context, p Principal, partner string) ([]store.CrossRef, error) {
	partner, err := actingPartner(p, partner)
	if err != nil {
		return nil, err
	}
	return h.st.ListCrossRefs(ctx, partner)
}

var partnerIDPattern = regexp.MustCompile(`^[a-z0-9-]+$`)

// IsPartnerID reports whether s is a partner id: a short lowercase slug
// ([a-z0-9-]+).
func IsPartnerID(s string) bool { return partnerIDPattern.MatchString(s) }

// PutCrossRefs upserts a partner's cross-references from its own item
// codes to a supplier and the supplier's SKU (its own; an operator names
// the partner). Every row is checked first; nothing is stored unless all
// pass. The supplier must be a known partner.
func (h *Hub) PutCrossRefs(ctx context.Context, p Principal, partner string, refs []store.CrossRef) (int, error) {
	partner, err := actingPartner(p, partner)
	if err != nil {
		return 0, err
	}
	if len(refs) == 0 {
		return 0, fmt.Errorf("%w: no cross-references given", ErrBadRequest)
	}
	var violations []schemas.Violation
	bad := func(i int, field, reason string) {
		violations = append(violations, schemas.Violation{Pointer: fmt.Sprintf("/%d/%s", i, field), Reason: reason})
	}
	known := map[string]bool{}
	for i := range refs {
		r := &refs[i]
		if r.Partner != "" && r.Partner != partner {
			bad(i, "partner", fmt.Sprintf("row names partner %q but is set for %q", r.Partner, partner))
		}
		r.Partner = partner
		if r.Code == "" || utf8.RuneCountInString(r.Code) > 100 {
			bad(i, "code", "code is required, at most 100 characters")
		}
		if r.SupplierSKU == "" || utf8.RuneCountInString(r.SupplierSKU) > 100 {
			bad(i, "supplier_sku", "supplier_sku is required, at most 100 characters")
		}
		if !IsPartnerID(r.Supplier) {
			bad(i, "supplier", fmt.Sprintf("supplier %q is not a partner id", r.Supplier))
			continue
		}
		if _, seen := known[r.Supplier]; !seen {
			_, err := h.parties.partner(ctx, r.Supplier)
			known[r.Supplier] = err == nil
		}
		if !known[r.Supplier] {
			bad(i, "supplier", fmt.Sprintf("no partner %q", r.Supplier))
		}
	}
	if len(violations) > 0 {
		return 0, &ValidationError{Violations: violations}
	}
	if err := h.st.PutCrossRefs(ctx, partner, refs); err != nil {
		return 0, err
	}
	return len(store.LastCrossRefs(refs)), nil
}

// actingPartner is the partner a principal acts for: its own (naming
// another is ErrForbidden), or, for an operator, the one named (required).
func actingPartner(p Principal, named string) (string, error) {
	if p.Operator {
		if named == "" {
			return "", fmt.Errorf("%w: an operator key must name the partner", ErrBadRequest)
		}
		return named, nil
	}
	if named != "" && named != p.Partner {
		return "", fmt.Errorf("%w: a partner's key acts for %q only", ErrForbidden, p.Partner)
	}
	return p.Partner, nil
}
