package edifact

import (
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// File is what Read found in a stream: its interchanges, in order.
type File struct {
	// Interchanges are in the order of the stream.
	Interchanges []Interchange
	// Errors are problems outside any interchange: segments after UNZ
	// that do not start a new one, a broken UNA.
	Errors []*connectors.EDIError
}

// Interchange is one UNB…UNZ envelope.
type Interchange struct {
	// Syntax and SyntaxVersion are UNB S001: "UNOC", "3".
	Syntax        string
	SyntaxVersion string
	// Sender and Receiver are UNB S002 and S003 (id and qualifier).
	Sender, Receiver connectors.EDIParty
	// Date and Time are UNB S004 as written: "260105" (YYMMDD, or
	// CCYYMMDD in syntax 4) and "1237" (HHMM); see Prepared.
	Date, Time string
	// Control is the interchange control reference (0020).
	Control string
	// ApplicationRef (0026) and Agreement (0032) as written.
	ApplicationRef string
	Agreement      string
	// AckRequested is 0031 == "1": the sender asks for a CONTRL.
	AckRequested bool
	// Test is 0035 == "1".
	Test bool
	// Delimiters are the ones the interchange was read with.
	Delimiters Delimiters
	// Groups hold the messages. An interchange without UNG has one
	// implicit group whose fields are empty (see Group.Implicit).
	Groups []Group
	// Pos and Offset locate the UNB segment.
	Pos    int
	Offset int64
	// Errors are envelope problems of the interchange itself: UNZ count
	// and reference, missing UNZ, bad UNB values.
	Errors []*connectors.EDIError
}

// Group is one UNG…UNE functional group, or the implicit group of an
// interchange without UNG.
type Group struct {
	// MessageGroupID is UNG 0038 ("ORDERS").
	MessageGroupID string
	// AppSender and AppReceiver are UNG S006 and S007.
	AppSender, AppReceiver connectors.EDIParty
	// Control is the group reference number (0048).
	Control string
	// Agency (0051) and Version (S008 0052 + 0054: "D96A").
	Agency  string
	Version string
	// Implicit is set for the group Read makes when there is no UNG.
	Implicit bool
	// Messages are the group's UNH…UNT messages, in order.
	Messages []Message
	// Errors are the group's envelope problems: UNE count and
	// reference, missing UNE.
	Errors []*connectors.EDIError
}

// Message is one UNH…UNT message with its envelope context.
type Message struct {
	connectors.EDITransaction
	// Agency is UNH S009 0051 ("UN").
	Agency string
	// Errors are the message's problems: UNT count and reference,
	// missing UNT, unknown segments, characters the syntax level does not
	// allow. Their Pos is the segment's position in the interchange;
	// Pos - Segments[0].Pos + 1 is its position in the message.
	Errors []*connectors.EDIError
}

// Messages returns the messages of every group, in order.
func (ic *Interchange) Messages() []Message {
	var out []Message
	for _, g := range ic.Groups {
		out = append(out, g.Messages...)
	}
	return out
}

// Prepared parses Date and Time (S004): YYMMDD (years 00–49 are
// 20xx) or CCYYMMDD, and HHMM, in UTC since UNB carries no zone.
func (ic *Interchange) Prepared() (time.Time, error) {
	layout := "060102"
	if len(ic.Date) == 8 {
		layout = "20060102"
	}
	t, err := time.Parse(layout+"1504", ic.Date+ic.Time)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading UNB date %q and time %q: %w", ic.Date, ic.Time, err)
	}
	return t, nil
}

// Valid reports whether the interchange, its groups and messages have
// no errors.
func (ic *Interchange) Valid() bool { return ic.Err() == nil }

// Err joins the errors of the interchange, its groups and messages.
func (ic *Interchange) Err() error {
	var errs []error
	for _, e := range ic.Errors {
		errs = append(errs, e)
	}
	for _, g := range ic.Groups {
		for _, e := range g.Errors {
			errs = append(errs, e)
		}
		for _, m := range g.Messages {
			for _, e := range m.Errors {
				errs = append(errs, e)
			}
		}
	}
	return errors.Join(errs...)
}

// Messages returns the messages of every interchange, in order.
func (f *File) Messages() []Message {
	var out []Message
	for i := range f.Interchanges {
		out = append(out, f.Interchanges[i].Messages()...)
	}
	return out
}

// Err joins every problem Read collected in the file, nil when there is
// none.
func (f *File) Err() error {
	var errs []error
	for _, e := range f.Errors {
		errs = append(errs, e)
	}
	for i := range f.Interchanges {
		if err := f.Interchanges[i].Err(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Reply returns the envelope of an answer to ic (a CONTRL, an APERAK):
// the parties swapped, the same syntax, delimiters and test flag.
func (ic *Interchange) Reply(control string, at time.Time) Envelope {
	return Envelope{
		Syntax: ic.Syntax, SyntaxVersion: ic.SyntaxVersion,
		Sender: ic.Receiver, Receiver: ic.Sender,
		Date: at, Control: control, Test: ic.Test, Delimiters: ic.Delimiters,
	}
}
