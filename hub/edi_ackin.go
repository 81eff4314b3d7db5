package hub

import (
	"fmt"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// isAckSet reports the sets that acknowledge what the hub sent: they are
// never acknowledged in turn.
func isAckSet(tx connectors.EDITransaction) bool {
	switch tx.Type {
	case "997", "999", "CONTRL":
		return true
	}
	return false
}

// ackFromEDI maps a partner's 997 or CONTRL to an acknowledgment document:
// what the partner says about an interchange the hub sent it.
func ackFromEDI(tx connectors.EDITransaction) ([]mappedDoc, error) {
	doc := map[string]any{"standard": tx.Standard}
	// The acknowledged interchange was ours: the ack's receiver sent it.
	ours := map[string]any{"qualifier": tx.Receiver.Qualifier, "id": tx.Receiver.ID}
	theirs := map[string]any{"qualifier": tx.Sender.Qualifier, "id": tx.Sender.ID}
	if tx.Type == "CONTRL" {
		r, err := edifact.ParseContrl(tx)
		if err != nil {
			return nil, err
		}
		doc["external_id"] = fmt.Sprintf("contrl:%s:%s", partyString(tx.Sender), r.InterchangeControl)
		doc["interchange"] = map[string]any{"control": r.InterchangeControl, "sender": ours, "receiver": theirs}
		doc["status"] = contrlStatus(r.ContrlStatus)
		group := map[string]any{"control": r.InterchangeControl, "status": contrlStatus(r.ContrlStatus)}
		var sets []any
		msgs := r.Messages
		for _, g := range r.Groups {
			msgs = append(msgs, g.Messages...)
		}
		for _, m := range msgs {
			sets = append(sets, map[string]any{"type": m.Type, "control": m.Control, "version": m.Version + m.Release, "status": contrlStatus(m.ContrlStatus)})
		}
		if len(sets) > 0 {
			group["sets"] = sets
		}
		doc["groups"] = []any{group}
		return []mappedDoc{{Doctype: "acknowledgment", Body: doc, Pos: firstPos(tx)}}, nil
	}
	r, err := x12.ParseAck(tx)
	if err != nil {
		return nil, err
	}
	// A 997 names the group it answers, not the interchange.
	doc["external_id"] = fmt.Sprintf("997:%s:%s:%s", partyString(tx.Sender), tx.InterchangeControl, tx.ControlNumber)
	doc["interchange"] = map[string]any{"control": r.GroupControl, "sender": ours, "receiver": theirs}
	doc["status"] = x12AckStatus(r.Status)
	doc["extensions"] = map[string]any{"x12.acknowledges": "group " + r.GroupControl}
	group := map[string]any{"functional_id": r.FunctionalID, "control": r.GroupControl, "status": x12AckStatus(r.Status),
		"sets_received": r.Received, "sets_accepted": r.Accepted}
	if r.Version != "" {
		group["version"] = r.Version
	}
	var sets []any
	for _, s := range r.Sets {
		set := map[string]any{"type": s.Type, "control": s.Control, "status": x12AckStatus(s.Status)}
		var errs []any
		for _, seg := range s.Segments {
			errs = append(errs, map[string]any{"code": "segment_error", "edi_code": seg.Code, "position": seg.Pos, "tag": seg.Tag,
				"message": fmt.Sprintf("the partner reports segment %s at %d (code %s)", seg.Tag, seg.Pos, seg.Code)})
			for _, el := range seg.Elements {
				errs = append(errs, map[string]any{"code": "element_error", "edi_code": el.Code, "position": seg.Pos, "tag": seg.Tag,
					"element": el.Pos, "value": el.Data, "message": "the partner reports element " + strconv.Itoa(el.Pos) + " of " + seg.Tag + " (code " + el.Code + ")"})
			}
		}
		if len(errs) > 0 {
			set["errors"] = errs
		}
		sets = append(sets, set)
	}
	if len(sets) > 0 {
		group["sets"] = sets
	}
	doc["groups"] = []any{group}
	return []mappedDoc{{Doctype: "acknowledgment", Body: doc, Pos: firstPos(tx)}}, nil
}

func x12AckStatus(s string) string {
	switch s {
	case "A":
		return ackAccepted
	case "E", "W":
		return "accepted_with_errors"
	case "P":
		return ackPartially
	}
	return ackRejected
}

func contrlStatus(s edifact.ContrlStatus) string {
	if s.Rejected() {
		return ackRejected
	}
	return ackAccepted
}
