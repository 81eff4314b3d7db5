package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

type receiverError struct{ pointer, reason string }

// receivers works out who a document is addressed to (DESIGN.md "Addressing,
// routing and channels"): its receiver when it names one; otherwise, by type,
// the dealers that buy from a supplier (price lists, products), the supplier a
// dealer shares stock or sales with (stock levels, sales reports), or the
// dealer and supplier of a shipment (tracking events). Every named receiver
// must be a known, enabled partner: otherwise the message fails, and a replay
// after the partner is added completes it.
func (h *Hub) receivers(ctx context.Context, doctype, sender string, doc map[string]any) ([]string, []receiverError, error) {
	var named []struct{ id, ptr string }
	add := func(id, ptr string) {
		if id != "" && id != sender {
			named = append(named, struct{ id, ptr string }{id, ptr})
		}
	}
	if r, _ := doc["receiver"].(string); r != "" {
		add(r, "/receiver")
	} else {
		switch doctype {
		case "price_list", "product":
			rels, err := h.parties.relationships(ctx)
			if err != nil {
				return nil, nil, err
			}
			for _, r := range rels {
				if r.Supplier == sender {
					add(r.Dealer, "")
				}
			}
		case "stock_level":
			sup, _ := doc["supplier"].(string)
			if ok, err := h.shares(ctx, sender, sup, func(r store.Relationship) bool { return r.SharesStock }); err != nil {
				return nil, nil, err
			} else if ok {
				add(sup, "/supplier")
			}
		case "sales_report":
			lines, _ := doc["lines"].([]any)
			for i, l := range lines {
				lm, _ := l.(map[string]any)
				sup, _ := lm["supplier"].(string)
				if ok, err := h.shares(ctx, sender, sup, func(r store.Relationship) bool { return r.SharesSales }); err != nil {
					return nil, nil, err
				} else if ok {
					add(sup, fmt.Sprintf("/lines/%d/supplier", i))
				}
			}
		case "tracking_event":
			d, _ := doc["dealer"].(string)
			s, _ := doc["supplier"].(string)
			add(d, "/dealer")
			add(s, "/supplier")
		}
	}
	var out []string
	var errs []receiverError
	for _, n := range named {
		if slices.Contains(out, n.id) {
			continue
		}
		p, err := h.parties.partner(ctx, n.id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs = append(errs, receiverError{n.ptr, fmt.Sprintf("no partner %q: add it (partners add or the config file), then replay this message", n.id)})
			continue
		case err != nil:
			return nil, nil, err
		case !p.Enabled:
			errs = append(errs, receiverError{n.ptr, fmt.Sprintf("partner %q is disabled", n.id)})
			continue
		}
		out = append(out, n.id)
	}
	return out, errs, nil
}

func (h *Hub) shares(ctx context.Context, dealer, supplier string, pred func(store.Relationship) bool) (bool, error) {
	if supplier == "" {
		return false, nil
	}
	rels, err := h.parties.relationships(ctx)
	if err != nil {
		return false, err
	}
	for _, r := range rels {
		if r.Dealer == dealer && r.Supplier == supplier {
			return pred(r), nil
		}
	}
	return false, nil
}

// routeConfig is what a delivery row records of its route: where it went,
// never secrets.
type routeConfig struct {
	URL string `json:"url,omitempty"`
}

func (h *Hub) deliveriesFor(doctype string, receivers []string) []store.NewDelivery {
	cfg := h.cfg.Load()
	out := make([]store.NewDelivery, 0, len(receivers))
	for _, r := range receivers {
		route := cfg.Route(r, doctype)
		var rc routeConfig
		if route.Webhook != nil {
			rc.URL = route.Webhook.URL
		}
		b, _ := json.Marshal(rc)
		out = append(out, store.NewDelivery{Receiver: r, Channel: route.Channel, Format: route.Format, Config: b})
	}
	return out
}

// partyCache keeps partners and relationships for a short while: every
// message looks them up, and they change rarely. A partner not in the cache is
// always read from the store, so a partner added a moment ago is found.
type partyCache struct {
	st  store.Store
	ttl time.Duration
	now func() time.Time

	mu       sync.Mutex
	partners map[string]cachedPartner
	rels     []store.Relationship
	relsAt   time.Time
}

type cachedPartner struct {
	p  store.Partner
	at time.Time
}

func newPartyCache(st store.Store, ttl time.Duration, now func() time.Time) *partyCache {
	return &partyCache{st: st, ttl: ttl, now: now, partners: map[string]cachedPartner{}}
}

func (c *partyCache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.partners = map[string]cachedPartner{}
	c.rels, c.relsAt = nil, time.Time{}
}

func (c *partyCache) partner(ctx context.Context, id string) (store.Partner, error) {
	now := c.now()
	c.mu.Lock()
	cp, ok := c.partners[id]
	c.mu.Unlock()
	if ok && now.Sub(cp.at) < c.ttl {
		return cp.p, nil
	}
	p, err := c.st.GetPartner(ctx, id)
	if err != nil {
		return store.Partner{}, err
	}
	c.mu.Lock()
	c.partners[id] = cachedPartner{p, now}
	c.mu.Unlock()
	return p, nil
}

func (c *partyCache) relationships(ctx context.Context) ([]store.Relationship, error) {
	now := c.now()
	c.mu.Lock()
	rels, at := c.rels, c.relsAt
	c.mu.Unlock()
	if !at.IsZero() && now.Sub(at) < c.ttl {
		return rels, nil
	}
	rels, err := c.st.ListRelationships(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("listing relationships: %w", err)
	}
	c.mu.Lock()
	c.rels, c.relsAt = rels, now
	c.mu.Unlock()
	return rels, nil
}
