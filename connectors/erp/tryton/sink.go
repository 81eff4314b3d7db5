package tryton

import (
	"context"
	"errors"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp"
)

// Sink delivers purchase orders (connectors.PurchaseOrder as JSON in
// Outbound.Body) to the receiver's Tryton with PushPurchase, one Client per
// configuration, so sessions are reused across deliveries.
type Sink = erp.PurchaseSink[Config, *Client]

var _ connectors.Sink = (*Sink)(nil)

// NewSink returns a sink that finds each receiver's Tryton with lookup
// (false: the receiver has none) and builds its clients with opts. Bad
// JSON, a receiver without Tryton, bad credentials and Tryton's data errors
// are permanent; network trouble and a busy server are not.
func NewSink(lookup func(receiver string) (Config, bool), opts ...Option) *Sink {
	return &Sink{
		Name:      "tryton",
		Lookup:    lookup,
		NewClient: func(cfg Config) (*Client, error) { return New(cfg, opts...) },
		Push: func(ctx context.Context, c *Client, po connectors.PurchaseOrder) error {
			_, err := c.PushPurchase(ctx, po)
			return err
		},
		IsPermanent: func(err error) bool {
			var rpc *RPCError
			return errors.As(err, &rpc) && !rpc.Retryable()
		},
	}
}
