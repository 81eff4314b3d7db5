package edifact

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/dealerhub/dealerhub/connectors"
)

// Envelope is the interchange Write puts messages in.
type Envelope struct {
	// Syntax is the syntax identifier (default "UNOC"; "UNOY" or "UNOW"
	// for text outside ISO 8859-1, such as Chinese).
	Syntax string
	// SyntaxVersion is "3" or "4" (default "4" for UNOW and UNOY, else
	// "3").
	SyntaxVersion string
	// Sender and Receiver go to UNB S002 and S003; ID is required.
	Sender, Receiver connectors.EDIParty
	// Date is the preparation date and time (S004), written as it reads
	// on its own clock; required.
	Date time.Time
	// Control is the interchange control reference (0020), required, at
	// most 14 characters.
	Control string
	// ApplicationRef (0026) and Agreement (0032, "EANCOM") are optional.
	ApplicationRef string
	Agreement      string
	// AckRequested asks the receiver for a CONTRL (0031 = 1).
	AckRequested bool
	// Test marks a test interchange (0035 = 1).
	Test bool
	// OmitUNA leaves the service string advice out; Write writes it by
	// default, since many receivers expect it. Delimiters other than the
	// defaults always need it.
	OmitUNA bool
	// Delimiters are the service characters (zero: the defaults of
	// SyntaxVersion).
	Delimiters Delimiters
	// LineBreaks puts a newline after each segment, for people reading
	// the file; readers skip it.
	LineBreaks bool
}

// OutMessage is one message to write: its UNH identifier and the
// segments between UNH and UNT.
type OutMessage struct {
	// Type, Version, Release and Agency form UNH S009:
	// "ORDERS", "D", "96A", "UN" (Agency defaults to "UN").
	Type, Version, Release, Agency string
	// Association is the association assigned code ("EAN008"), optional.
	Association string
	// Control is the message reference number (0062); default the
	// message's 1-based index.
	Control string
	// Body holds the segments between UNH and UNT.
	Body []connectors.EDISegment
}

// Write writes one interchange holding msgs: UNA, UNB, each message
// between UNH and UNT (whose count includes both), and UNZ. It escapes
// delimiters and the release character in values, omits trailing empty
// elements and components, and refuses, with a *connectors.EDIError
// naming the segment and element, a character the syntax level cannot
// carry. On error w may hold the start of the interchange.
func Write(w io.Writer, env Envelope, msgs []OutMessage) error {
	e, err := newSegmentWriter(w, &env)
	if err != nil {
		return err
	}
	v4 := env.SyntaxVersion == "4"
	date := env.Date.Format("060102")
	if v4 {
		date = env.Date.Format("20060102")
	}
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return ""
	}
	if !env.OmitUNA {
		e.raw(env.Delimiters.UNA())
	}
	unb := connectors.Seg("UNB", connectors.Comp(env.Syntax, env.SyntaxVersion), party(env.Sender), party(env.Receiver),
		connectors.Comp(date, env.Date.Format("1504")), env.Control, "", env.ApplicationRef, "",
		flag(env.AckRequested), env.Agreement, flag(env.Test))
	if err := e.segment(unb); err != nil {
		return err
	}
	for i, m := range msgs {
		if err := e.message(i, m); err != nil {
			return err
		}
	}
	if err := e.segment(connectors.Seg("UNZ", strconv.Itoa(len(msgs)), env.Control)); err != nil {
		return err
	}
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("writing interchange %q: %w", env.Control, err)
	}
	return nil
}

func party(p connectors.EDIParty) string { return connectors.Comp(p.ID, p.Qualifier) }

// checkEnvelope fills the defaults and refuses what cannot be written.
func checkEnvelope(env *Envelope) error {
	if env.Syntax == "" {
		env.Syntax = "UNOC"
	}
	if env.SyntaxVersion == "" {
		env.SyntaxVersion = "3"
		if env.Syntax == "UNOY" || env.Syntax == "UNOW" {
			env.SyntaxVersion = "4"
		}
	}
	if env.Delimiters == (Delimiters{}) {
		env.Delimiters = DefaultDelimiters(env.SyntaxVersion)
	}
	switch {
	case !KnownSyntax(env.Syntax):
		return fmt.Errorf("writing EDIFACT: syntax identifier %q is not one of UNOA…UNOK, UNOW, UNOY", env.Syntax)
	case env.SyntaxVersion < "1" || env.SyntaxVersion > "4" || len(env.SyntaxVersion) != 1:
		return fmt.Errorf("writing EDIFACT: syntax version %q is not 1 to 4", env.SyntaxVersion)
	case env.Sender.ID == "" || env.Receiver.ID == "":
		return fmt.Errorf("writing EDIFACT: the envelope needs a sender and a receiver id")
	case env.Control == "" || utf8.RuneCountInString(env.Control) > 14:
		return fmt.Errorf("writing EDIFACT: the interchange control reference %q must have 1 to 14 characters", env.Control)
	case env.Date.IsZero():
		return fmt.Errorf("writing EDIFACT: the envelope needs a preparation date")
	}
	if err := env.Delimiters.Validate(); err != nil {
		return fmt.Errorf("writing EDIFACT: %w", err)
	}
	if env.OmitUNA && env.Delimiters != DefaultDelimiters(env.SyntaxVersion) {
		return fmt.Errorf("writing EDIFACT: delimiters other than the defaults need UNA (OmitUNA is set)")
	}
	return nil
}

// segmentWriter encodes segments for one interchange.
type segmentWriter struct {
	w      *bufio.Writer
	d      Delimiters
	syntax string
	cm     *charmap.Charmap
	eol    bool
	pos    int
	buf    []byte
}

func newSegmentWriter(w io.Writer, env *Envelope) (*segmentWriter, error) {
	if err := checkEnvelope(env); err != nil {
		return nil, err
	}
	return &segmentWriter{w: bufio.NewWriter(w), d: env.Delimiters, syntax: env.Syntax,
		cm: encoder(env.Syntax), eol: env.LineBreaks}, nil
}

func (e *segmentWriter) raw(s string) {
	e.pos++
	e.w.WriteString(s)
	if e.eol {
		e.w.WriteByte('\n')
	}
}

func (e *segmentWriter) message(i int, m OutMessage) error {
	if m.Control == "" {
		m.Control = strconv.Itoa(i + 1)
	}
	if m.Agency == "" {
		m.Agency = "UN"
	}
	if m.Type == "" || m.Version == "" || m.Release == "" {
		return fmt.Errorf("writing message %q: it needs a type, version and release (ORDERS, D, 96A)", m.Control)
	}
	unh := connectors.Seg("UNH", m.Control, connectors.Comp(m.Type, m.Version, m.Release, m.Agency, m.Association))
	if err := e.segment(unh); err != nil {
		return err
	}
	for _, s := range m.Body {
		if !validTag(s.Tag) || isService(s.Tag) {
			return &connectors.EDIError{Pos: e.pos + 1, Tag: s.Tag, Code: "bad_value",
				Message: fmt.Sprintf("message %q: %q cannot be a body segment tag", m.Control, s.Tag)}
		}
		if err := e.segment(s); err != nil {
			return err
		}
	}
	return e.segment(connectors.Seg("UNT", strconv.Itoa(len(m.Body)+2), m.Control))
}

func isService(tag string) bool {
	switch tag {
	case "UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ":
		return true
	}
	return false
}
