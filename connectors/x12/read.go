package x12

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// Options tune Read. The zero value reads any size and checks segment tags
// against the built-in table (Segments).
type Options struct {
	// KnownSegments returns the tags a set type may hold; a tag outside
	// it is an "unknown_segment" error on the set. A nil map means the
	// set type is not checked. Nil uses Segments.
	KnownSegments func(setType string) map[string]bool
	// MaxBytes stops reading a larger input (error "too_large"); 0 means
	// no limit.
	MaxBytes int64
	// MaxSegments stops reading after this many segments (error
	// "too_large"); 0 means no limit.
	MaxSegments int
	// MaxSegmentBytes is the longest accepted segment; 0 means
	// DefaultMaxSegmentBytes.
	MaxSegmentBytes int
}

// File is everything read from one input: its interchanges in order.
type File struct {
	Interchanges []Interchange
	// Errors are problems outside any interchange (a segment after an
	// IEA that is not an ISA).
	Errors []*connectors.EDIError
}

// Interchange is one ISA…IEA envelope.
type Interchange struct {
	// Sender is ISA05/ISA06, Receiver ISA07/ISA08, padding removed.
	Sender, Receiver connectors.EDIParty
	// Date (ISA09, YYMMDD) and Time (ISA10, HHMM) as written.
	Date, Time string
	// Standards is ISA11 as written: "U" before 00402, the repetition
	// separator from 00402 on.
	Standards string
	// Version is ISA12 ("00401", "00501"), Control ISA13 as written
	// ("000000020"), AckRequested ISA14 == "1", Usage ISA15 ("P", "T").
	Version      string
	Control      string
	AckRequested bool
	Usage        string
	// Delimiters are those the ISA declared.
	Delimiters Delimiters
	// Groups are the functional groups in order.
	Groups []Group
	// Acks are the TA1 segments the interchange carries (acknowledgments
	// of interchanges we sent).
	Acks []connectors.EDISegment
	// DeclaredGroups is IEA01, -1 when the IEA is missing or IEA01 is
	// not a number.
	DeclaredGroups int
	// Errors are envelope problems: IEA01 count, IEA02 against ISA13, a
	// missing IEA, ISA values, segments outside any group. TA1 reports
	// them.
	Errors []*connectors.EDIError
	// Pos and Offset locate the ISA (Pos is always 1).
	Pos    int
	Offset int64
}

// Test reports whether ISA15 marks a test interchange.
func (ic *Interchange) Test() bool { return ic.Usage == "T" }

// Group is one GS…GE functional group.
type Group struct {
	// FunctionalID is GS01 ("PO"), AppSender GS02, AppReceiver GS03,
	// Date GS04 (CCYYMMDD), Time GS05, Control GS06, Agency GS07 ("X"),
	// Version GS08 ("004010", "005010X222A1").
	FunctionalID string
	AppSender    string
	AppReceiver  string
	Date         string
	Time         string
	Control      string
	Agency       string
	Version      string
	// Sets are the transaction sets in order.
	Sets []Set
	// DeclaredSets is GE01, -1 when the GE is missing or GE01 is not a
	// number.
	DeclaredSets int
	// Errors are group problems: GE01 count, GE02 against GS06, a
	// missing GE, segments between sets. The 997's AK9 reports them.
	Errors []*connectors.EDIError
	// Pos and Offset locate the GS.
	Pos    int
	Offset int64
}

// Set is one ST…SE transaction set with its envelope context.
type Set struct {
	connectors.EDITransaction
	// Errors are the set's problems: SE01 count, SE02 against ST02, a
	// missing SE, unknown segment tags. The 997's AK2 loop reports them.
	Errors []*connectors.EDIError
}

// Read reads every interchange of r. It returns an error only when r
// cannot be read as X12: not EDI at all ("not_edi"), an ISA that is not
// 106 fixed-width characters ("bad_isa"), a limit of o ("too_large"), a
// segment without terminator ("segment_too_long") or an I/O error; the
// File then holds what was read before it. Envelope problems (counts,
// control numbers, missing trailers, unknown segments) are collected in
// the Errors of the File, its interchanges, groups and sets, so that the
// caller can still answer with a 997 or a TA1; File.Err joins them.
func Read(r io.Reader, o Options) (*File, error) {
	if o.MaxBytes > 0 {
		r = &limitReader{r: r, left: o.MaxBytes, limit: o.MaxBytes}
	}
	t := NewTokenizer(r)
	t.SetMaxSegmentBytes(o.MaxSegmentBytes)
	b := builder{o: o, f: &File{}}
	if b.o.KnownSegments == nil {
		b.o.KnownSegments = Segments
	}
	for n := 0; ; n++ {
		seg, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil && o.MaxSegments > 0 && n >= o.MaxSegments {
			err = &connectors.EDIError{Pos: seg.Pos, Offset: seg.Offset, Tag: seg.Tag, Code: "too_large",
				Message: fmt.Sprintf("the input has more than %d segments", o.MaxSegments)}
		}
		if err != nil {
			b.finish()
			return b.f, err
		}
		b.add(seg, t)
	}
	b.finish()
	return b.f, nil
}

// ReadBytes is Read on a byte slice.
func ReadBytes(data []byte, o Options) (*File, error) { return Read(bytes.NewReader(data), o) }

// ReadString is Read on a string.
func ReadString(s string, o Options) (*File, error) { return Read(strings.NewReader(s), o) }

// Err joins every error collected in f, its interchanges, groups and sets,
// in file order; nil when the file is clean.
func (f *File) Err() error {
	var errs []error
	add := func(list []*connectors.EDIError) {
		for _, e := range list {
			errs = append(errs, e)
		}
	}
	add(f.Errors)
	for i := range f.Interchanges {
		ic := &f.Interchanges[i]
		add(ic.Errors)
		for j := range ic.Groups {
			g := &ic.Groups[j]
			add(g.Errors)
			for k := range g.Sets {
				add(g.Sets[k].Errors)
			}
		}
	}
	return errors.Join(errs...)
}

// Sets returns every transaction set of f in file order, pointing into f.
func (f *File) Sets() []*Set {
	var sets []*Set
	for i := range f.Interchanges {
		for j := range f.Interchanges[i].Groups {
			g := &f.Interchanges[i].Groups[j]
			for k := range g.Sets {
				sets = append(sets, &g.Sets[k])
			}
		}
	}
	return sets
}

// Transactions returns every transaction set of f as the neutral record
// the mappings take.
func (f *File) Transactions() []connectors.EDITransaction {
	sets := f.Sets()
	out := make([]connectors.EDITransaction, len(sets))
	for i, s := range sets {
		out[i] = s.EDITransaction
	}
	return out
}

// limitReader fails once more than limit bytes were read.
type limitReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, l.tooLarge()
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, l.tooLarge()
	}
	return n, err
}

func (l *limitReader) tooLarge() error {
	return &connectors.EDIError{Code: "too_large",
		Message: fmt.Sprintf("the input is larger than %d bytes", l.limit)}
}
