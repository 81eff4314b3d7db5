package x12

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
)

// Envelope is what the writer puts around the sets: one interchange with
// one functional group.
type Envelope struct {
	// Sender and Receiver are ISA05/ISA06 and ISA07/ISA08; an empty
	// qualifier is "ZZ" (mutually defined). IDs are padded to 15.
	Sender, Receiver connectors.EDIParty
	// AppSender and AppReceiver are GS02 and GS03; empty means the
	// interchange IDs.
	AppSender, AppReceiver string
	// FunctionalID is GS01; empty means FunctionalID of the first set's
	// type.
	FunctionalID string
	// InterchangeControl is ISA13 (0 to 999999999, written with 9
	// digits); GroupControl is GS06 (1 to 999999999).
	InterchangeControl int64
	GroupControl       int64
	// Version is GS08: "004010" (the default), "005010",
	// "005010X222A1"; ISA12 is its first five characters.
	Version string
	// Usage is ISA15: "P" (the default) or "T".
	Usage string
	// AckRequested sets ISA14 to 1: the receiver should answer with a
	// TA1.
	AckRequested bool
	// Date stamps ISA09/10 and GS04/05; zero means now, in UTC.
	Date time.Time
	// Delimiters default to DefaultDelimiters(Version). Segment may end
	// with a line break ("~\n", "~\r\n") to put one segment per line.
	Delimiters Delimiters
	// TA1s are interchange acknowledgments (see TA1) written right after
	// the ISA. With no sets, the interchange holds only them: no group,
	// IEA01 0.
	TA1s []connectors.EDISegment
}

// OutSet is one transaction set to write.
type OutSet struct {
	// Type is ST01 ("850"); Control is ST02 (4 to 9 characters; empty
	// numbers the sets "0001", "0002", …).
	Type    string
	Control string
	// Convention is ST03, the implementation convention reference of
	// 005010 guides ("005010X222A1"); empty omits it.
	Convention string
	// Body are the segments between ST and SE.
	Body []connectors.EDISegment
}

var functionalIDs = map[string]string{
	"810": "IN", "820": "RA", "824": "AG", "832": "SC", "846": "IB", "850": "PO", "852": "PD",
	"855": "PR", "856": "SH", "860": "PC", "861": "RC", "865": "CA", "867": "PT", "940": "OW",
	"943": "AR", "944": "RE", "945": "SW", "214": "QM", "997": "FA", "999": "FA",
}

// FunctionalID returns the GS01 functional identifier code of a set type
// ("850" → "PO", "856" → "SH", "997" → "FA"), "" when unknown.
func FunctionalID(setType string) string { return functionalIDs[setType] }

// Write writes one interchange holding one functional group with the
// sets. It adds ST/SE (SE01 counts ST through SE), GS/GE and ISA/IEA.
// X12 has no escape character, so a value that contains a delimiter is
// refused with a *connectors.EDIError naming the segment (its position in
// the interchange) and the element; nothing is written then. Trailing
// empty elements and components are not written.
func Write(w io.Writer, env Envelope, sets []OutSet) error {
	env, err := env.withDefaults(sets)
	if err != nil {
		return err
	}
	// Check everything before writing anything: a refused value must
	// not leave half an interchange behind.
	if err := encode(io.Discard, env, sets); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	if err := encode(bw, env, sets); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing x12 interchange: %w", err)
	}
	return nil
}

// withDefaults fills the envelope's defaults and checks it.
func (env Envelope) withDefaults(sets []OutSet) (Envelope, error) {
	if len(sets) == 0 && len(env.TA1s) == 0 {
		return env, errors.New("x12: no transaction sets or TA1 to write")
	}
	if env.Version == "" {
		env.Version = "004010"
	}
	if env.Usage == "" {
		env.Usage = "P"
	}
	if env.Date.IsZero() {
		env.Date = time.Now().UTC()
	}
	if env.FunctionalID == "" && len(sets) > 0 {
		env.FunctionalID = FunctionalID(sets[0].Type)
	}
	if env.Delimiters == (Delimiters{}) {
		env.Delimiters = DefaultDelimiters(env.Version)
	}
	for _, p := range []*connectors.EDIParty{&env.Sender, &env.Receiver} {
		if p.Qualifier == "" {
			p.Qualifier = "ZZ"
		}
	}
	if env.AppSender == "" {
		env.AppSender = env.Sender.ID
	}
	if env.AppReceiver == "" {
		env.AppReceiver = env.Receiver.ID
	}
	return env, env.check()
}

func (env Envelope) check() error {
	v := isaVersion(env.Version)
	onlyTA1 := env.FunctionalID == "" && env.GroupControl == 0 && len(env.TA1s) > 0
	switch {
	case onlyTA1 && (env.InterchangeControl < 0 || env.InterchangeControl > 999999999):
		return fmt.Errorf("x12: interchange control number %d is outside 0 to 999999999", env.InterchangeControl)
	case onlyTA1:
		// No group: GS01 and GS06 are not written.
	case !digits(v, 5, 5):
		return fmt.Errorf("x12: version %q: want a GS08 such as 004010 or 005010", env.Version)
	case env.FunctionalID == "":
		return errors.New("x12: no functional identifier (GS01) for the envelope, and none known for the set type")
	case env.InterchangeControl < 0 || env.InterchangeControl > 999999999:
		return fmt.Errorf("x12: interchange control number %d is outside 0 to 999999999", env.InterchangeControl)
	case env.GroupControl < 1 || env.GroupControl > 999999999:
		return fmt.Errorf("x12: group control number %d is outside 1 to 999999999", env.GroupControl)
	case env.Usage != "P" && env.Usage != "T":
		return fmt.Errorf("x12: usage %q: want P or T", env.Usage)
	}
	for _, p := range []struct {
		name string
		p    connectors.EDIParty
	}{{"sender", env.Sender}, {"receiver", env.Receiver}} {
		switch {
		case p.p.ID == "" || len(p.p.ID) > 15:
			return fmt.Errorf("x12: %s ID %q must be 1 to 15 characters", p.name, p.p.ID)
		case len(p.p.Qualifier) != 2:
			return fmt.Errorf("x12: %s qualifier %q must be 2 characters", p.name, p.p.Qualifier)
		}
	}
	return env.Delimiters.check(v)
}

// check makes sure the delimiters can be declared in an ISA of version v.
func (d Delimiters) check(v string) error {
	one := func(name, s string) error {
		if len(s) != 1 || isAlnum(s[0]) || isSpace(s[0]) || s[0] >= utf8.RuneSelf {
			return fmt.Errorf("x12: the %s separator %q must be one ASCII character that is not a letter, digit or space", name, s)
		}
		return nil
	}
	if err := errors.Join(one("element", d.Element), one("component", d.Component)); err != nil {
		return err
	}
	if d.Repetition != "" {
		if err := one("repetition", d.Repetition); err != nil {
			return err
		}
	}
	if hasRepetition(v) && d.Repetition == "" {
		return fmt.Errorf("x12: version %s needs a repetition separator (ISA11)", v)
	}
	r, n := utf8.DecodeRuneInString(d.Segment)
	if n == 0 || r == utf8.RuneError || r < utf8.RuneSelf && (isAlnum(byte(r)) || r == ' ') ||
		strings.Trim(d.Segment[n:], "\r\n") != "" {
		return fmt.Errorf("x12: the segment terminator %q must be one character, not a letter, digit or space, and may be followed by a line break", d.Segment)
	}
	seen := map[string]bool{}
	for _, s := range []string{d.Element, d.Component, d.Repetition, d.Segment[:n]} {
		if s != "" && seen[s] {
			return fmt.Errorf("x12: the delimiter %q is used twice", s)
		}
		seen[s] = true
	}
	return nil
}

// encode writes the interchange to w.
func encode(w io.Writer, env Envelope, sets []OutSet) error {
	e := newEncoder(w, env)
	d := env.Delimiters
	isa12 := isaVersion(env.Version)
	standards := "U"
	if hasRepetition(isa12) {
		standards = d.Repetition
	}
	ack := "0"
	if env.AckRequested {
		ack = "1"
	}
	isa := []string{"ISA", "00", pad("", 10), "00", pad("", 10),
		env.Sender.Qualifier, pad(env.Sender.ID, 15), env.Receiver.Qualifier, pad(env.Receiver.ID, 15),
		env.Date.Format("060102"), env.Date.Format("1504"), standards, isa12,
		fmt.Sprintf("%09d", env.InterchangeControl), ack, env.Usage, d.Component}
	if err := e.raw(isa); err != nil {
		return err
	}
	for _, ta1 := range env.TA1s {
		if err := e.seg(ta1); err != nil {
			return err
		}
	}
	if len(sets) == 0 {
		if err := e.seg(connectors.Seg("IEA", "0", fmt.Sprintf("%09d", env.InterchangeControl))); err != nil {
			return err
		}
		return e.err
	}
	gs06 := strconv.FormatInt(env.GroupControl, 10)
	if err := e.seg(connectors.Seg("GS", env.FunctionalID, env.AppSender, env.AppReceiver,
		env.Date.Format("20060102"), env.Date.Format("1504"), gs06, "X", env.Version)); err != nil {
		return err
	}
	for i, s := range sets {
		if err := e.set(i, s); err != nil {
			return err
		}
	}
	if err := e.seg(connectors.Seg("GE", strconv.Itoa(len(sets)), gs06)); err != nil {
		return err
	}
	if err := e.seg(connectors.Seg("IEA", "1", fmt.Sprintf("%09d", env.InterchangeControl))); err != nil {
		return err
	}
	return e.err
}

func pad(s string, n int) string { return s + strings.Repeat(" ", max(0, n-len(s))) }
