// Package erp holds what the ERP connectors (erp/tryton, erp/odoo) share:
// the sink that records a dealer's confirmed orders as purchases in its
// ERP, with one client per configuration.
package erp

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/dealerhub/dealerhub/connectors"
)

// PurchaseSink delivers purchase orders (connectors.PurchaseOrder as JSON
// in Outbound.Body) to the receiver's ERP. It keeps one client per
// configuration (C), so sessions are reused across deliveries.
type PurchaseSink[C any, P any] struct {
	// Name is the ERP's name in errors ("tryton").
	Name string
	// Lookup finds a receiver's configuration; false: it has none.
	Lookup func(receiver string) (C, bool)
	// NewClient makes the client of a configuration.
	NewClient func(C) (P, error)
	// Push records the order with a client. An error that retrying cannot
	// fix should be connectors.Permanent (or be turned into one by
	// IsPermanent).
	Push func(ctx context.Context, client P, po connectors.PurchaseOrder) error
	// IsPermanent, when set, marks more of Push's errors permanent (the
	// ERP's own data errors).
	IsPermanent func(error) bool

	mu      sync.Mutex
	clients map[string]P // by the configuration's JSON
}

// Deliver records the order in the receiver's ERP. Bad JSON, a receiver
// without that ERP and a configuration the client refuses are permanent.
func (s *PurchaseSink[C, P]) Deliver(ctx context.Context, out connectors.Outbound) error {
	var po connectors.PurchaseOrder
	if err := json.Unmarshal(out.Body, &po); err != nil {
		return connectors.Permanent(fmt.Errorf("delivery %s to %s: decoding the purchase order: %w", out.DeliveryID, out.Receiver, err))
	}
	cfg, ok := s.Lookup(out.Receiver)
	if !ok {
		return connectors.Permanent(fmt.Errorf("delivery %s: receiver %q has no %s configured", out.DeliveryID, out.Receiver, s.Name))
	}
	c, err := s.client(cfg)
	if err != nil {
		return connectors.Permanent(fmt.Errorf("receiver %q: %w", out.Receiver, err))
	}
	if err := s.Push(ctx, c, po); err != nil {
		err = fmt.Errorf("pushing purchase order %q to the %s of %s: %w", po.Reference, s.Name, out.Receiver, err)
		if s.IsPermanent != nil && s.IsPermanent(err) && !connectors.IsPermanent(err) {
			err = connectors.Permanent(err)
		}
		return err
	}
	return nil
}

// client returns the cached client of cfg, making it the first time.
func (s *PurchaseSink[C, P]) client(cfg C) (P, error) {
	var zero P
	key, err := json.Marshal(cfg)
	if err != nil {
		return zero, fmt.Errorf("%s config: %w", s.Name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[string(key)]; ok {
		return c, nil
	}
	c, err := s.NewClient(cfg)
	if err != nil {
		return zero, err
	}
	if s.clients == nil {
		s.clients = map[string]P{}
	}
	s.clients[string(key)] = c
	return c, nil
}
