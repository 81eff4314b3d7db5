package x12_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

var when = time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)

func envelope() x12.Envelope {
	return x12.Envelope{
		Sender:             connectors.EDIParty{ID: "DEALER"},
		Receiver:           connectors.EDIParty{Qualifier: "01", ID: "123456789"},
		InterchangeControl: 17,
		GroupControl:       5,
		Date:               when,
	}
}

func poBody() []connectors.EDISegment {
	return []connectors.EDISegment{
		connectors.Seg("BEG", "00", "SA", "PO-1001", "", "20260105"),
		connectors.Seg("N1", "ST", "DEALER ONE", "92", "0001", "", ""),
		connectors.Seg("PO1", "1", "10", "EA", "9.25", "", "VP", "SKU-1"),
		connectors.Seg("PID", "F", "", "", "", "SINK 600×450"),
		connectors.Seg("CTT", "1"),
	}
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	env := envelope()
	env.Delimiters = x12.Delimiters{Element: "*", Component: ">", Segment: "~\n"}
	require.NoError(t, x12.Write(&buf, env, []x12.OutSet{{Type: "850", Body: poBody()}}))
	want := "ISA*00*          *00*          *ZZ*DEALER         *01*123456789      *260105*0930*U*00401*000000017*0*P*>~\n" +
		"GS*PO*DEALER*123456789*20260105*0930*5*X*004010~\n" +
		"ST*850*0001~\n" +
		"BEG*00*SA*PO-1001**20260105~\n" +
		"N1*ST*DEALER ONE*92*0001~\n" +
		"PO1*1*10*EA*9.25**VP*SKU-1~\n" +
		"PID*F****SINK 600×450~\n" +
		"CTT*1~\n" +
		"SE*7*0001~\n" +
		"GE*1*5~\n" +
		"IEA*1*000000017~\n"
	require.Equal(t, want, buf.String())
	require.Len(t, strings.SplitN(buf.String(), "\n", 2)[0], 106)
}

func TestWriteRoundTrip(t *testing.T) {
	t.Parallel()
	body := append(poBody(),
		connectors.EDISegment{Tag: "REF", Elements: []connectors.EDIElement{{{"ZZ"}}, {{"A"}, {"B", "C"}}}},
		connectors.Seg("DTM", "002", "20260120", "", "", "", connectors.Comp("D8", "20260120")),
	)
	for _, tc := range []struct {
		name    string
		version string
		delims  x12.Delimiters
	}{
		{"4010 defaults", "004010", x12.Delimiters{}},
		{"5010 defaults", "005010", x12.Delimiters{}},
		{"5010 CR/LF", "005010", x12.Delimiters{Element: "|", Component: "\\", Repetition: "!", Segment: "'\r\n"}},
		{"multi-byte terminator", "005010X222A1", x12.Delimiters{Element: "*", Component: ":", Repetition: "^", Segment: "…"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := envelope()
			env.Version, env.Delimiters, env.Usage, env.AckRequested = tc.version, tc.delims, "T", true
			sets := []x12.OutSet{{Type: "850", Control: "000123", Body: body}, {Type: "850", Convention: "X1", Body: poBody()}}
			if tc.version < "005010" {
				sets[0].Body = sets[0].Body[:len(poBody())] // no repetitions before 00402
			}
			var buf bytes.Buffer
			require.NoError(t, x12.Write(&buf, env, sets))
			f, err := x12.Read(&buf, x12.Options{})
			require.NoError(t, err)
			require.NoError(t, f.Err())
			require.Len(t, f.Interchanges, 1)
			ic := f.Interchanges[0]
			require.Equal(t, "000000017", ic.Control)
			require.True(t, ic.Test())
			require.True(t, ic.AckRequested)
			require.Equal(t, tc.version[:5], ic.Version)
			if tc.delims != (x12.Delimiters{}) {
				require.Equal(t, tc.delims, ic.Delimiters)
			}
			g := ic.Groups[0]
			require.Equal(t, "PO", g.FunctionalID)
			require.Equal(t, "5", g.Control)
			require.Equal(t, tc.version, g.Version)
			require.Len(t, g.Sets, 2)
			require.Equal(t, "000123", g.Sets[0].ControlNumber)
			require.Equal(t, "0002", g.Sets[1].ControlNumber)
			require.Equal(t, "X1", g.Sets[1].Segments[0].Value(3))
			for i, s := range g.Sets {
				require.Equal(t, trimmed(sets[i].Body), strip(s.Body()), "set %d", i)
			}
		})
	}
}

// trimmed drops trailing empty elements, as the writer does.
func trimmed(segs []connectors.EDISegment) []connectors.EDISegment {
	out := make([]connectors.EDISegment, len(segs))
	for i, s := range segs {
		n := len(s.Elements)
		for n > 0 && s.Elements[n-1] == nil {
			n--
		}
		out[i] = connectors.EDISegment{Tag: s.Tag, Elements: s.Elements[:n]}
	}
	return out
}

// strip forgets where segments were read.
func strip(segs []connectors.EDISegment) []connectors.EDISegment {
	out := make([]connectors.EDISegment, len(segs))
	for i, s := range segs {
		out[i] = connectors.EDISegment{Tag: s.Tag, Elements: s.Elements}
	}
	return out
}

func TestWriteRefusesDelimitersInValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		version string
		delims  x12.Delimiters
		seg     connectors.EDISegment
		msg     string
		el, cp  int
	}{
		{"element separator", "004010", x12.Delimiters{}, connectors.Seg("PID", "F", "", "", "", "SINK*BIG"), `PID05 "SINK*BIG" contains the element separator "*"`, 5, 0},
		{"component separator", "004010", x12.Delimiters{}, connectors.Seg("PID", "F", "", "", "", "A>B"), `contains the component separator ">"`, 5, 0},
		{"segment terminator", "004010", x12.Delimiters{}, connectors.Seg("N3", "12 MAIN ST~APT 4"), `N301 "12 MAIN ST~APT 4" contains the segment terminator "~"`, 1, 0},
		{"repetition separator", "005010", x12.Delimiters{}, connectors.Seg("REF", "ZZ", "A^B"), `contains the repetition separator "^"`, 2, 0},
		{"inside a component", "005010", x12.Delimiters{}, connectors.Seg("DTM", "002", connectors.Comp("D8", "2026:01")), `DTM02-2 "2026:01" contains the component separator ":"`, 2, 2},
		{"line break", "004010", x12.Delimiters{Element: "*", Component: ">", Segment: "~\n"}, connectors.Seg("MSG", "LINE 1\nLINE 2"), "contains the line break", 1, 0},
		{"multi-byte terminator", "004010", x12.Delimiters{Element: "*", Component: ">", Segment: "…"}, connectors.Seg("MSG", "WAIT…"), `contains the segment terminator "…"`, 1, 0},
		{"repetitions before 00402", "004010", x12.Delimiters{}, connectors.EDISegment{Tag: "REF", Elements: []connectors.EDIElement{{{"A"}, {"B"}}}}, "no repetition separator", 1, 0},
		{"bad tag", "004010", x12.Delimiters{}, connectors.Seg("po1", "1"), `segment tag "po1" is not valid`, 0, 0},
		{"envelope tag in the body", "004010", x12.Delimiters{}, connectors.Seg("SE", "1"), "must not hold the envelope segment SE", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := envelope()
			env.Version, env.Delimiters = tc.version, tc.delims
			w := &countingWriter{}
			err := x12.Write(w, env, []x12.OutSet{{Type: "850", Body: append(poBody()[:1], tc.seg)}})
			var ee *connectors.EDIError
			require.ErrorAs(t, err, &ee)
			require.Contains(t, err.Error(), tc.msg)
			require.Equal(t, tc.el, ee.Element)
			require.Equal(t, tc.cp, ee.Component)
			require.Equal(t, 5, ee.Pos, "ISA, GS, ST, BEG, then the bad segment")
			require.Zero(t, w.n, "nothing is written when a value is refused")
		})
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

func TestWriteRefusesBadEnvelopes(t *testing.T) {
	t.Parallel()
	sets := []x12.OutSet{{Type: "850", Body: poBody()}}
	for _, tc := range []struct {
		name   string
		change func(*x12.Envelope, *[]x12.OutSet)
		msg    string
	}{
		{"no sets", func(_ *x12.Envelope, s *[]x12.OutSet) { *s = nil }, "no transaction sets"},
		{"long sender", func(e *x12.Envelope, _ *[]x12.OutSet) { e.Sender.ID = "A-VERY-LONG-SENDER-ID" }, "sender ID"},
		{"sender with a delimiter", func(e *x12.Envelope, _ *[]x12.OutSet) { e.Sender.ID = "A*B" }, `ISA06 "A*B            " contains the element separator`},
		{"bad qualifier", func(e *x12.Envelope, _ *[]x12.OutSet) { e.Receiver.Qualifier = "ZZZ" }, "receiver qualifier"},
		{"control too big", func(e *x12.Envelope, _ *[]x12.OutSet) { e.InterchangeControl = 1_000_000_000 }, "interchange control number"},
		{"no group control", func(e *x12.Envelope, _ *[]x12.OutSet) { e.GroupControl = 0 }, "group control number"},
		{"bad usage", func(e *x12.Envelope, _ *[]x12.OutSet) { e.Usage = "X" }, "usage"},
		{"bad version", func(e *x12.Envelope, _ *[]x12.OutSet) { e.Version = "4010" }, "version"},
		{"unknown set type without GS01", func(_ *x12.Envelope, s *[]x12.OutSet) { (*s)[0].Type = "123" }, "functional identifier"},
		{"bad set type", func(e *x12.Envelope, s *[]x12.OutSet) { e.FunctionalID = "PO"; (*s)[0].Type = "85" }, "three digits"},
		{"short control", func(_ *x12.Envelope, s *[]x12.OutSet) { (*s)[0].Control = "1" }, "4 to 9 characters"},
		{"letter as separator", func(e *x12.Envelope, _ *[]x12.OutSet) {
			e.Delimiters = x12.Delimiters{Element: "E", Component: ">", Segment: "~"}
		}, "element separator"},
		{"same separator twice", func(e *x12.Envelope, _ *[]x12.OutSet) {
			e.Delimiters = x12.Delimiters{Element: "*", Component: "*", Segment: "~"}
		}, "used twice"},
		{"5010 without repetition", func(e *x12.Envelope, _ *[]x12.OutSet) {
			e.Version = "005010"
			e.Delimiters = x12.Delimiters{Element: "*", Component: ">", Segment: "~"}
		}, "repetition separator"},
		{"two-character terminator", func(e *x12.Envelope, _ *[]x12.OutSet) {
			e.Delimiters = x12.Delimiters{Element: "*", Component: ">", Segment: "~~"}
		}, "segment terminator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := envelope()
			s := append([]x12.OutSet(nil), sets...)
			tc.change(&env, &s)
			err := x12.Write(&countingWriter{}, env, s)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestWriteReportsWriterErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	err := x12.Write(failingWriter{boom}, envelope(), []x12.OutSet{{Type: "850", Body: poBody()}})
	require.ErrorIs(t, err, boom)
	require.Contains(t, err.Error(), "writing x12 interchange")
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestFunctionalID(t *testing.T) {
	t.Parallel()
	for typ, id := range map[string]string{"850": "PO", "855": "PR", "856": "SH", "846": "IB", "832": "SC",
		"214": "QM", "997": "FA", "810": "IN", "940": "OW", "945": "SW", "123": ""} {
		require.Equal(t, id, x12.FunctionalID(typ), typ)
	}
}

func TestDefaultDelimiters(t *testing.T) {
	t.Parallel()
	require.Equal(t, x12.Delimiters{Element: "*", Component: ">", Segment: "~"}, x12.DefaultDelimiters("004010"))
	require.Equal(t, x12.Delimiters{Element: "*", Component: ":", Repetition: "^", Segment: "~"}, x12.DefaultDelimiters("005010X222A1"))
	require.Equal(t, x12.Delimiters{Element: "*", Component: ":", Repetition: "^", Segment: "~"}, x12.DefaultDelimiters("00501"))
}
