package edifact_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

// msg writes a message with a correct UNT.
func msg(ref, typ string, body ...string) string {
	return fmt.Sprintf("UNH+%s+%s:D:96A:UN'%sUNT+%d+%s'", ref, typ, strings.Join(body, ""), len(body)+2, ref)
}

// icOf wraps messages in an interchange with a correct UNZ.
func icOf(msgs ...string) string {
	return unb3 + strings.Join(msgs, "") + fmt.Sprintf("UNZ+%d+REF1'", len(msgs))
}

// codes lists every collected error as "level:code@pos".
func codes(f *edifact.File) []string {
	var out []string
	add := func(level string, errs []*connectors.EDIError) {
		for _, e := range errs {
			out = append(out, fmt.Sprintf("%s:%s@%d", level, e.Code, e.Pos))
		}
	}
	add("file", f.Errors)
	for _, ic := range f.Interchanges {
		add("ic", ic.Errors)
		for _, g := range ic.Groups {
			add("group", g.Errors)
			for _, m := range g.Messages {
				add("msg "+m.ControlNumber, m.Errors)
			}
		}
	}
	return out
}

func TestReadEnvelopeErrors(t *testing.T) {
	t.Parallel()
	order := []string{"BGM+220+PO1'", "DTM+137:20260105:102'"}
	cases := []struct {
		name  string
		input string
		opts  edifact.Options
		want  []string
	}{
		{"clean", icOf(msg("1", "ORDERS", order...), msg("2", "ORDERS", order...)), edifact.Options{}, nil},
		{"truncated without UNT and UNZ", unb3 + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1'", edifact.Options{},
			[]string{"ic:truncated@1", "msg 1:truncated@2"}},
		{"truncated without UNZ", unb3 + msg("1", "ORDERS", order...), edifact.Options{}, []string{"ic:truncated@1"}},
		{"UNT count", unb3 + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1'UNT+5+1'UNZ+1+REF1'", edifact.Options{},
			[]string{"msg 1:count_mismatch@4"}},
		{"UNT count not a number", unb3 + "UNH+1+ORDERS:D:96A:UN'UNT+X+1'UNZ+1+REF1'", edifact.Options{},
			[]string{"msg 1:bad_value@3"}},
		{"UNT reference", unb3 + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1'UNT+3+2'UNZ+1+REF1'", edifact.Options{},
			[]string{"msg 1:control_mismatch@4"}},
		{"UNZ count", unb3 + msg("1", "ORDERS", order...) + "UNZ+2+REF1'", edifact.Options{},
			[]string{"ic:count_mismatch@6"}},
		{"UNZ reference", unb3 + msg("1", "ORDERS", order...) + "UNZ+1+REF9'", edifact.Options{},
			[]string{"ic:control_mismatch@6"}},
		{"unknown segment", icOf(msg("1", "ORDERS", "BGM+220+PO1'", "XYZ+1'", "bgm+1'")), edifact.Options{},
			[]string{"msg 1:unknown_segment@4", "msg 1:unknown_segment@5"}},
		{"unknown segment allowed by the options", icOf(msg("1", "ORDERS", "BGM+220+PO1'", "XYZ+1'")),
			edifact.Options{ExtraSegments: map[string][]string{"ORDERS": {"XYZ"}}}, nil},
		{"segment check off", icOf(msg("1", "ORDERS", "XYZ+1'")), edifact.Options{SkipSegmentCheck: true}, nil},
		{"unknown message type is not checked", icOf(msg("1", "ZZZZZZ", "XYZ+1'")), edifact.Options{}, nil},
		{"release character at the end", unb3 + "UNH+1+ORDERS:D:96A:UN'FTX+AAA+X?", edifact.Options{},
			[]string{"ic:truncated@1", "msg 1:release_at_end@3", "msg 1:truncated@2"}},
		{"UNH without UNT", unb3 + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1'" + msg("2", "ORDERS", order...) + "UNZ+2+REF1'",
			edifact.Options{}, []string{"msg 1:missing_segment@4"}},
		{"segment outside a message", icOf(msg("1", "ORDERS", order...)) + "BGM+220'DTM+1'", edifact.Options{},
			[]string{"file:unexpected_segment@7"}},
		{"segment between messages", unb3 + msg("1", "ORDERS") + "BGM+220'DTM+1'" + msg("2", "ORDERS") + "UNZ+2+REF1'",
			edifact.Options{}, []string{"ic:unexpected_segment@4"}},
		{"duplicate message reference", icOf(msg("1", "ORDERS"), msg("1", "ORDERS")), edifact.Options{},
			[]string{"msg 1:duplicate_control@4"}},
		{"empty interchange", unb3 + "UNZ+0+REF1'", edifact.Options{}, []string{"ic:empty@2"}},
		{"missing UNB values", "UNB+UNOC:3+S'UNH+1+ORDERS:D:96A:UN'UNT+2+1'UNZ+1'", edifact.Options{},
			[]string{"ic:missing_value@1", "ic:missing_value@1", "ic:missing_value@1", "ic:missing_value@1",
				"ic:missing_value@4"}},
		{"missing UNH values", icOf("UNH+1+ORDERS'UNT+2+1'"), edifact.Options{},
			[]string{"msg 1:missing_value@2", "msg 1:missing_value@2", "msg 1:missing_value@2"}},
		{"too many UNT elements", icOf("UNH+1+ORDERS:D:96A:UN'UNT+2+1+X'"), edifact.Options{},
			[]string{"msg 1:too_many_elements@3"}},
		{"bad syntax version", "UNB+UNOC:9+S+R+260105:1200+REF1'" + msg("1", "ORDERS") + "UNZ+1+REF1'", edifact.Options{},
			[]string{"ic:bad_value@1"}},
		{"lower case in UNOA", "UNB+UNOA:3+S+R+260105:1200+REF1'" + msg("1", "ORDERS", "FTX+AAA+++x'") + "UNZ+1+REF1'",
			edifact.Options{}, []string{"msg 1:bad_character@3"}},
		{"UNH after UNZ without UNB", icOf(msg("1", "ORDERS")) + msg("2", "ORDERS"), edifact.Options{},
			[]string{"ic:missing_segment@5", "ic:truncated@5"}},
		{"UNA alone", "UNA:+.? '\r\n", edifact.Options{}, []string{"file:missing_segment@1"}},
		{"UNA before another segment", "UNA:+.? 'UNH+1+ORDERS:D:96A:UN'UNT+2+1'", edifact.Options{},
			[]string{"file:missing_segment@1", "ic:missing_segment@2", "ic:truncated@2"}},
		{"UNZ without UNB", "UNB+UNOC:3+S+R+260105:1200+REF1'" + msg("1", "ORDERS") + "UNZ+1+REF1'UNZ+1+REF1'",
			edifact.Options{}, []string{"file:unexpected_segment@5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := edifact.Read(strings.NewReader(tc.input), tc.opts)
			require.NoError(t, err)
			require.Equal(t, tc.want, codes(f))
			if tc.want == nil {
				require.NoError(t, f.Err())
			} else {
				require.Error(t, f.Err())
			}
		})
	}
}

func TestReadGroups(t *testing.T) {
	t.Parallel()
	ung := func(ref string) string { return "UNG+ORDERS+APP1:ZZ+APP2:ZZ+260105:1200+" + ref + "+UN+D:96A'" }
	cases := []struct {
		name  string
		input string
		want  []string
	}{
		{"two groups", unb3 + ung("G1") + msg("1", "ORDERS") + "UNE+1+G1'" + ung("G2") + msg("2", "ORDERS") + msg("3", "ORDERS") +
			"UNE+2+G2'UNZ+2+REF1'", nil},
		{"UNE count", unb3 + ung("G1") + msg("1", "ORDERS") + "UNE+3+G1'UNZ+1+REF1'", []string{"group:count_mismatch@5"}},
		{"UNE reference", unb3 + ung("G1") + msg("1", "ORDERS") + "UNE+1+G2'UNZ+1+REF1'", []string{"group:control_mismatch@5"}},
		{"UNZ counts groups", unb3 + ung("G1") + msg("1", "ORDERS") + msg("2", "ORDERS") + "UNE+2+G1'UNZ+2+REF1'",
			[]string{"ic:count_mismatch@8"}},
		{"missing UNE", unb3 + ung("G1") + msg("1", "ORDERS") + "UNZ+1+REF1'", []string{"group:missing_segment@5"}},
		{"UNE without UNG", icOf(msg("1", "ORDERS")) + "", nil},
		{"groups and messages mixed", unb3 + msg("1", "ORDERS") + ung("G1") + msg("2", "ORDERS") + "UNE+1+G1'UNZ+2+REF1'",
			[]string{"ic:mixed_groups@4"}},
		{"empty group", unb3 + ung("G1") + "UNE+0+G1'UNZ+1+REF1'", []string{"group:empty@3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := edifact.Read(strings.NewReader(tc.input), edifact.Options{})
			require.NoError(t, err)
			require.Equal(t, tc.want, codes(f))
		})
	}
	f, err := edifact.Read(strings.NewReader(cases[0].input), edifact.Options{})
	require.NoError(t, err)
	ic := f.Interchanges[0]
	require.Len(t, ic.Groups, 2)
	require.Equal(t, connectors.EDIParty{ID: "APP1", Qualifier: "ZZ"}, ic.Groups[0].AppSender)
	require.Equal(t, "D96A", ic.Groups[0].Version)
	require.Equal(t, "UN", ic.Groups[0].Agency)
	ms := ic.Messages()
	require.Len(t, ms, 3)
	require.Equal(t, "G2", ms[2].GroupControl)
	require.Equal(t, "APP2", ms[2].GroupReceiver)
}

func TestReadImplicitGroupAndFields(t *testing.T) {
	t.Parallel()
	input := "UNA:+,? 'UNB+UNOC:3+SENDER:14+RECEIVER:ZZ+260105:1237+REF1++APP+++EANCOM'" +
		msg("7", "ORDERS", "BGM+220+PO1'") + msg("8", "DESADV", "BGM+351+ASN1'") + "UNZ+2+REF1'"
	f, err := edifact.Read(strings.NewReader(input), edifact.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Len(t, f.Interchanges, 1)
	ic := f.Interchanges[0]
	require.Equal(t, 2, ic.Pos)
	require.Equal(t, "260105", ic.Date)
	require.Equal(t, "1237", ic.Time)
	when, err := ic.Prepared()
	require.NoError(t, err)
	require.Equal(t, "2026-01-05T12:37:00Z", when.Format("2006-01-02T15:04:05Z07:00"))
	require.Equal(t, "APP", ic.ApplicationRef)
	require.False(t, ic.AckRequested)
	require.False(t, ic.Test)
	require.Equal(t, byte(','), ic.Delimiters.Decimal)
	require.Len(t, ic.Groups, 1)
	require.True(t, ic.Groups[0].Implicit)
	require.Empty(t, ic.Groups[0].Control)
	ms := f.Messages()
	require.Len(t, ms, 2)
	require.Equal(t, connectors.EDITransaction{
		Standard: "edifact", Type: "DESADV", Version: "D96A", ControlNumber: "8", InterchangeControl: "REF1",
		Sender: connectors.EDIParty{ID: "SENDER", Qualifier: "14"}, Receiver: connectors.EDIParty{ID: "RECEIVER", Qualifier: "ZZ"},
		Segments: ms[1].Segments,
	}, ms[1].EDITransaction)
	require.Equal(t, []string{"UNH", "BGM", "UNT"}, []string{ms[1].Segments[0].Tag, ms[1].Segments[1].Tag, ms[1].Segments[2].Tag})
	require.Equal(t, "ASN1", ms[1].Body()[0].Value(2))
}

func TestReadSeveralInterchanges(t *testing.T) {
	t.Parallel()
	second := "UNA:+.?*'UNB+UNOY:4+S2+R2+20260105:0900+REF2++++1+EANCOM+1'" + msg("1", "ORDERS", "FTX+AAA+++水槽*龙头'") + "UNZ+1+REF2'"
	f, err := edifact.Read(strings.NewReader(icOf(msg("1", "ORDERS"))+"\n"+second), edifact.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Len(t, f.Interchanges, 2)
	ic := f.Interchanges[1]
	require.Equal(t, "UNOY", ic.Syntax)
	require.Equal(t, "4", ic.SyntaxVersion)
	require.True(t, ic.AckRequested)
	require.True(t, ic.Test)
	when, err := ic.Prepared()
	require.NoError(t, err)
	require.Equal(t, 2026, when.Year())
	ftx := ic.Messages()[0].Body()[0]
	require.Equal(t, [][]string{{"水槽"}, {"龙头"}}, ftx.Repeats(4))
	require.True(t, ic.Messages()[0].Test)
}

// A UNA after an interchange that has no UNZ ends it and sets the
// delimiters of the next one.
func TestReadUNAAfterTruncatedInterchange(t *testing.T) {
	t.Parallel()
	input := unb3 + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1'\r\n" +
		"UNA^~.! |UNB~UNOC^3~S2~R2~260105^1200~REF2|UNH~1~ORDERS^D^96A^UN|FTX~AAA~~~A+B|UNT~3~1|UNZ~1~REF2|"
	f, err := edifact.Read(strings.NewReader(input), edifact.Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"ic:missing_segment@1", "msg 1:missing_segment@2"}, codes(f))
	require.Contains(t, f.Interchanges[0].Errors[0].Message, "UNA at byte")
	require.Len(t, f.Interchanges, 2)
	second := f.Interchanges[1]
	require.Empty(t, second.Errors)
	require.Equal(t, byte('~'), second.Delimiters.Element)
	require.Equal(t, "A+B", second.Messages()[0].Body()[0].Value(4))
}

func TestReadNotEDIFACT(t *testing.T) {
	t.Parallel()
	for _, input := range []string{"", "ISA*00*", "name,price\nA,1\n", "\xEF\xBB\xBF<xml/>"} {
		_, err := edifact.Read(strings.NewReader(input), edifact.Options{})
		var e *connectors.EDIError
		require.ErrorAs(t, err, &e, "%q", input)
		require.Equal(t, "not_edi", e.Code)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("connection reset")
	}
	n := copy(p, unb3[:r.n])
	r.n = 0
	return n, nil
}

func TestReadIOError(t *testing.T) {
	t.Parallel()
	f, err := edifact.Read(&failingReader{n: len(unb3)}, edifact.Options{})
	require.ErrorContains(t, err, "connection reset")
	require.Len(t, f.Interchanges, 1)
	require.Equal(t, "truncated", f.Interchanges[0].Errors[0].Code)
}
