package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
)

// ChannelERP is the channel of deliveries to a dealer's own ERP: a
// dealer whose erp block sets push_orders gets each of its orders that
// reaches status confirmed as a confirmed purchase there. The sink is
// registered under this name; the format is FormatERPPurchase.
const ChannelERP = "erp"

// FormatERPPurchase is the format of an ERP delivery's body: a
// connectors.PurchaseOrder as JSON.
const FormatERPPurchase = "erp-purchase"

// erpPushStatus is the order status that sends an order to its dealer's
// ERP.
const erpPushStatus = "confirmed"

// erpDeliveries returns the delivery of an order version to its sender's
// ERP, when the order is confirmed and the sender pushes orders.
func (h *Hub) erpDeliveries(doctype, sender, status string) []store.NewDelivery {
	if doctype != "order" || status != erpPushStatus {
		return nil
	}
	erp, ok := h.cfg.Load().ERP(sender)
	if !ok || !erp.PushOrders {
		return nil
	}
	return []store.NewDelivery{{Receiver: sender, Channel: ChannelERP, Format: FormatERPPurchase, Config: []byte(`{}`)}}
}

// purchaseOrder turns an order document into the purchase its dealer's
// ERP records: the supplier's name from the partner table, each line's
// item code from buyer_sku or else the dealer's cross-reference of the
// supplier SKU. An order line the dealer has no code for is a permanent
// error naming it.
func (h *Hub) purchaseOrder(ctx context.Context, doc store.Document) ([]byte, error) {
	var o struct {
		ExternalID string `json:"external_id"`
		Receiver   string `json:"receiver"`
		OrderDate  string `json:"order_date"`
		Currency   string `json:"currency"`
		Lines      []struct {
			LineNo      int    `json:"line_no"`
			SKU         string `json:"sku"`
			BuyerSKU    string `json:"buyer_sku"`
			Description string `json:"description"`
			Quantity    string `json:"quantity"`
			Unit        string `json:"unit"`
			UnitPrice   string `json:"unit_price"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(doc.Body, &o); err != nil {
		return nil, connectors.Permanent(fmt.Errorf("reading order %s: %w", doc.ID, err))
	}
	sup, err := h.parties.partner(ctx, o.Receiver)
	if err != nil {
		return nil, fmt.Errorf("reading supplier %q of order %s: %w", o.Receiver, doc.ExternalID, err)
	}
	po := connectors.PurchaseOrder{
		Reference: doc.ID, ExternalID: o.ExternalID, SupplierID: sup.ID, SupplierName: sup.Name,
		OrderDate: o.OrderDate, Currency: o.Currency,
	}
	var codes map[string]string // supplier SKU -> the dealer's code
	for i, l := range o.Lines {
		code := l.BuyerSKU
		if code == "" {
			if codes == nil {
				if codes, err = h.dealerCodes(ctx, doc.Sender, o.Receiver); err != nil {
					return nil, err
				}
			}
			code = codes[l.SKU]
		}
		if code == "" {
			return nil, connectors.Permanent(fmt.Errorf("order %s line %d (/lines/%d): supplier SKU %q of %q has no item code of %q: give buyer_sku or add a cross-reference",
				doc.ExternalID, l.LineNo, i, l.SKU, o.Receiver, doc.Sender))
		}
		po.Lines = append(po.Lines, connectors.PurchaseLine{
			LineNo: l.LineNo, Code: code, SupplierSKU: l.SKU, Description: l.Description,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Unit: l.Unit,
		})
	}
	b, err := json.Marshal(po)
	if err != nil {
		return nil, connectors.Permanent(fmt.Errorf("encoding the purchase of order %s: %w", doc.ExternalID, err))
	}
	return b, nil
}

// dealerCodes maps a supplier's SKUs to the dealer's item codes.
func (h *Hub) dealerCodes(ctx context.Context, dealer, supplier string) (map[string]string, error) {
	refs, err := h.st.ListCrossRefs(ctx, dealer)
	if err != nil {
		return nil, fmt.Errorf("reading the cross-references of %q: %w", dealer, err)
	}
	out := map[string]string{}
	for _, r := range refs {
		if r.Supplier == supplier {
			if _, dup := out[r.SupplierSKU]; !dup {
				out[r.SupplierSKU] = r.Code
			}
		}
	}
	return out, nil
}

// attemptERP pushes an order to its dealer's ERP.
func (h *Hub) attemptERP(ctx context.Context, d store.Delivery, doc store.Document, attempt int) ([]byte, string, error) {
	erp, ok := h.cfg.Load().ERP(d.Receiver)
	if !ok || !erp.PushOrders {
		return nil, "", connectors.Permanent(fmt.Errorf("partner %q no longer pushes orders to its ERP (erp.push_orders): replay the message to route it again", d.Receiver))
	}
	body, err := h.purchaseOrder(ctx, doc)
	if err != nil {
		return nil, "", err
	}
	sink, ok := h.sinks[ChannelERP]
	if !ok {
		return body, "application/json", connectors.Permanent(errors.New("no sink for channel erp"))
	}
	err = sink.Deliver(ctx, connectors.Outbound{
		DeliveryID: d.ID, Attempt: attempt, Sender: d.Sender, Receiver: d.Receiver, Doctype: d.Doctype,
		DocumentID: d.DocumentID, Version: d.Version, ExternalID: doc.ExternalID, Format: d.Format,
		ContentType: "application/json", Body: body,
	})
	return body, "application/json", err
}
