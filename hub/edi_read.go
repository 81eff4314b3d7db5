package hub

import (
	"fmt"
	"io"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// ediInterchange is an X12 or EDIFACT interchange as the hub works with
// it: the envelope, the groups, the sets and every problem the reader
// found, in one shape for both standards.
type ediInterchange struct {
	standard         string
	sender, receiver connectors.EDIParty
	control          string
	date, time       string
	version          string
	errors           []*connectors.EDIError
	groups           []ediGroup
	pos              int
}

// ediGroup is a functional group (EDIFACT: UNG, or the messages of an
// interchange without one).
type ediGroup struct {
	functionalID string
	appSender    string
	appReceiver  string
	control      string
	version      string
	errors       []*connectors.EDIError
	sets         []ediSet
}

// ediSet is a transaction set or message with its reader's errors.
type ediSet struct {
	tx     connectors.EDITransaction
	errors []*connectors.EDIError
}

// ediFile is everything read from one message.
type ediFile struct {
	interchanges []ediInterchange
	// errors are problems outside any interchange.
	errors []*connectors.EDIError
}

// readEDI reads a message body as the standard of format. The error is
// for input that cannot be read as that standard at all (not EDI, a
// broken header); envelope problems are in the file.
func readEDI(format string, r io.Reader) (ediFile, error) {
	switch format {
	case connectors.FormatX12:
		f, err := x12.Read(r, x12.Options{})
		if err != nil {
			return ediFile{}, err
		}
		return fromX12(f), nil
	case connectors.FormatEDIFACT:
		f, err := edifact.Read(r, edifact.Options{})
		if err != nil {
			return ediFile{}, err
		}
		return fromEDIFACT(f), nil
	}
	return ediFile{}, fmt.Errorf("%q is not an EDI format", format)
}

func fromX12(f *x12.File) ediFile {
	out := ediFile{errors: f.Errors}
	for _, ic := range f.Interchanges {
		x := ediInterchange{
			standard: connectors.StandardX12, sender: ic.Sender, receiver: ic.Receiver, control: ic.Control,
			date: ic.Date, time: ic.Time, version: ic.Version, errors: ic.Errors, pos: ic.Pos,
		}
		for _, g := range ic.Groups {
			eg := ediGroup{functionalID: g.FunctionalID, appSender: g.AppSender, appReceiver: g.AppReceiver,
				control: g.Control, version: g.Version, errors: g.Errors}
			for _, s := range g.Sets {
				eg.sets = append(eg.sets, ediSet{tx: s.EDITransaction, errors: s.Errors})
			}
			x.groups = append(x.groups, eg)
		}
		out.interchanges = append(out.interchanges, x)
	}
	return out
}

func fromEDIFACT(f *edifact.File) ediFile {
	out := ediFile{errors: f.Errors}
	for _, ic := range f.Interchanges {
		x := ediInterchange{
			standard: connectors.StandardEDIFACT, sender: ic.Sender, receiver: ic.Receiver, control: ic.Control,
			date: ic.Date, time: ic.Time, version: ic.Syntax + ":" + ic.SyntaxVersion, errors: ic.Errors, pos: ic.Pos,
		}
		for _, g := range ic.Groups {
			eg := ediGroup{functionalID: g.MessageGroupID, appSender: g.AppSender.ID, appReceiver: g.AppReceiver.ID,
				control: g.Control, version: g.Version, errors: g.Errors}
			if eg.control == "" {
				eg.control = ic.Control // no UNG: the interchange is the group
			}
			for _, m := range g.Messages {
				eg.sets = append(eg.sets, ediSet{tx: m.EDITransaction, errors: m.Errors})
			}
			x.groups = append(x.groups, eg)
		}
		out.interchanges = append(out.interchanges, x)
	}
	return out
}
