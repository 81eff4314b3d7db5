package odoo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/dealerhub/dealerhub/connectors"
)

// Sink delivers purchase orders (connectors.PurchaseOrder as JSON in
// Outbound.Body) to the receiver's Odoo with PushPurchase. It keeps one
// Client per configuration, so sessions are reused across deliveries.
type Sink struct {
	lookup func(receiver string) (Config, bool)
	opts   []Option

	mu      sync.Mutex
	clients map[string]*Client // by the configuration's JSON
}

var _ connectors.Sink = (*Sink)(nil)

// NewSink returns a sink that finds each receiver's Odoo with lookup
// (false: the receiver has none) and builds its clients with opts.
func NewSink(lookup func(receiver string) (Config, bool), opts ...Option) *Sink {
	return &Sink{lookup: lookup, opts: opts, clients: map[string]*Client{}}
}

// Deliver records the order in the receiver's Odoo. Bad JSON, a receiver
// without Odoo, bad credentials and Odoo's data errors are permanent;
// network trouble and a busy server are not.
func (s *Sink) Deliver(ctx context.Context, out connectors.Outbound) error {
	var po connectors.PurchaseOrder
	if err := json.Unmarshal(out.Body, &po); err != nil {
		return connectors.Permanent(fmt.Errorf("delivery %s to %s: decoding the purchase order: %w", out.DeliveryID, out.Receiver, err))
	}
	cfg, ok := s.lookup(out.Receiver)
	if !ok {
		return connectors.Permanent(fmt.Errorf("delivery %s: receiver %q has no odoo configured", out.DeliveryID, out.Receiver))
	}
	c, err := s.client(cfg)
	if err != nil {
		return connectors.Permanent(fmt.Errorf("receiver %q: %w", out.Receiver, err))
	}
	if _, err := c.PushPurchase(ctx, po); err != nil {
		err = fmt.Errorf("pushing purchase order %q to the odoo of %s: %w", po.Reference, out.Receiver, err)
		var rpc *RPCError
		if errors.As(err, &rpc) && !rpc.Retryable() && !connectors.IsPermanent(err) {
			err = connectors.Permanent(err)
		}
		return err
	}
	return nil
}

// client returns the cached client of cfg, making it the first time.
func (s *Sink) client(cfg Config) (*Client, error) {
	key, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("odoo config: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[string(key)]; ok {
		return c, nil
	}
	c, err := New(cfg, s.opts...)
	if err != nil {
		return nil, err
	}
	s.clients[string(key)] = c
	return c, nil
}
