package hub

import (
	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// Acknowledgment statuses (schemas/v1/acknowledgment.json).
const (
	ackAccepted  = "accepted"
	ackPartially = "partially_accepted"
	ackRejected  = "rejected"
)

// newAck starts the acknowledgment of an interchange: every group and set
// accepted until rejectAll or rejectSet says otherwise.
func newAck(ic ediInterchange, messageID string, p ediParties) schemas.Acknowledgment {
	a := schemas.Acknowledgment{
		Sender: p.receiver, Receiver: p.sender,
		ExternalID: ic.standard + ":" + partyString(ic.sender) + ":" + ic.control,
		Standard:   ic.standard, MessageID: messageID,
		Interchange: schemas.AckInterchange{
			Control:  ic.control,
			Sender:   schemas.AckParty{Qualifier: ic.sender.Qualifier, ID: ic.sender.ID},
			Receiver: schemas.AckParty{Qualifier: ic.receiver.Qualifier, ID: ic.receiver.ID},
			Date:     ic.date, Time: ic.time, Version: ic.version,
		},
		Status: ackAccepted,
	}
	for _, g := range ic.groups {
		ag := schemas.AckGroup{FunctionalID: g.functionalID, Control: g.control, Version: g.version,
			Status: ackAccepted, SetsReceived: len(g.sets), SetsAccepted: len(g.sets)}
		for _, e := range g.errors {
			ag.Errors = append(ag.Errors, ackError(e, 0))
		}
		for _, s := range g.sets {
			ag.Sets = append(ag.Sets, schemas.AckSet{Type: s.tx.Type, Control: s.tx.ControlNumber, Version: setVersion(s.tx), Status: ackAccepted})
		}
		a.Groups = append(a.Groups, ag)
	}
	return a
}

// setVersion is the version an EDIFACT CONTRL repeats per message.
func setVersion(tx connectors.EDITransaction) string {
	if tx.Standard == connectors.StandardEDIFACT {
		return tx.Version
	}
	return ""
}

// ackError is an error as an acknowledgment reports it; start is the
// position of the set's first segment in the interchange (0 for
// envelope errors, which keep their interchange position).
func ackError(e *connectors.EDIError, start int) schemas.AckError {
	pos := e.Pos
	if start > 0 && pos >= start {
		pos = pos - start + 1
	}
	return schemas.AckError{Code: e.Code, Message: e.Message, Position: pos, Tag: e.Tag, Element: e.Element, Component: e.Component}
}

// rejectAll rejects the interchange and everything in it.
func rejectAllAck(a *schemas.Acknowledgment, errs ...*connectors.EDIError) {
	a.Status = ackRejected
	for _, e := range errs {
		a.Errors = append(a.Errors, ackError(e, 0))
	}
	for gi := range a.Groups {
		g := &a.Groups[gi]
		g.Status, g.SetsAccepted = ackRejected, 0
		for si := range g.Sets {
			g.Sets[si].Status = ackRejected
			g.Sets[si].Errors = append(g.Sets[si].Errors, schemas.AckError{Code: "interchange_rejected", Position: 1,
				Message: "the interchange was rejected as a whole: " + errs[0].Message})
		}
	}
}

// rejectSetAck rejects one set with its errors and updates its group's
// and the interchange's status.
func rejectSetAck(a *schemas.Acknowledgment, gi, si int, start int, errs []*connectors.EDIError) {
	g := &a.Groups[gi]
	s := &g.Sets[si]
	if s.Status != ackRejected {
		g.SetsAccepted--
	}
	s.Status = ackRejected
	for _, e := range errs {
		s.Errors = append(s.Errors, ackError(e, start))
	}
	switch {
	case g.SetsAccepted == 0:
		g.Status = ackRejected
	default:
		g.Status = ackPartially
	}
	rejected, all := 0, 0
	for _, g := range a.Groups {
		all++
		if g.Status == ackRejected {
			rejected++
		}
	}
	switch {
	case rejected == all:
		a.Status = ackRejected
	case rejected > 0 || g.Status == ackPartially:
		a.Status = ackPartially
	}
}
