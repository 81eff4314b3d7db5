package edifact_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

// line formats a segment the way Write does with the default delimiters
// (values in these tests need no escaping).
func line(s connectors.EDISegment) string {
	s = trimmed(s)
	var b strings.Builder
	b.WriteString(s.Tag)
	for _, el := range s.Elements {
		b.WriteByte('+')
		for i, rep := range el {
			if i > 0 {
				b.WriteByte('*')
			}
			b.WriteString(strings.Join(rep, ":"))
		}
	}
	return b.String()
}

func readOne(t *testing.T, input string) edifact.Interchange {
	t.Helper()
	f, err := edifact.Read(strings.NewReader(input), edifact.Options{})
	require.NoError(t, err)
	require.Len(t, f.Interchanges, 1)
	return f.Interchanges[0]
}

func TestContrl(t *testing.T) {
	t.Parallel()
	ung := "UNG+ORDERS+APP1:ZZ+APP2:ZZ+260105:1200+G1+UN+D:96A'"
	cases := []struct {
		name  string
		input string
		opts  edifact.ContrlOptions
		want  []string
	}{
		{"accepted", icOf(msg("1", "ORDERS", "BGM+220+PO1'"), msg("2", "DESADV")), edifact.ContrlOptions{}, []string{
			"UCI+REF1+SENDER:14+RECEIVER:14+7", "UCM+1+ORDERS:D:96A:UN+7", "UCM+2+DESADV:D:96A:UN+7"}},
		{"received only", icOf(msg("1", "ORDERS")), edifact.ContrlOptions{Received: true}, []string{
			"UCI+REF1+SENDER:14+RECEIVER:14+8"}},
		{"message errors", unb3 + "UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO1'UNT+9+1'" +
			msg("2", "ORDERS", "BGM+220+PO2'", "XYZ+1'", "DTM+137:2026\t0105:102'") + msg("3", "ORDERS") + "UNZ+3+REF1'",
			edifact.ContrlOptions{}, []string{
				"UCI+REF1+SENDER:14+RECEIVER:14+7",
				"UCM+1+ORDERS:D:96A:UN:EAN008+4+29+UNT+1",
				"UCM+2+ORDERS:D:96A:UN+4", "UCS+3+15", "UCS+4", "UCD+21+1:2",
				"UCM+3+ORDERS:D:96A:UN+7"}},
		{"only errors", unb3 + "UNH+1+ORDERS:D:96A:UN'UNT+3+1'" + msg("2", "ORDERS") + "UNZ+2+REF1'",
			edifact.ContrlOptions{OnlyErrors: true, Control: "C1"}, []string{
				"UCI+REF1+SENDER:14+RECEIVER:14+7", "UCM+1+ORDERS:D:96A:UN+4+29+UNT+1"}},
		{"truncated interchange", unb3 + msg("1", "ORDERS") + "UNH+2+ORDERS:D:96A:UN'", edifact.ContrlOptions{}, []string{
			"UCI+REF1+SENDER:14+RECEIVER:14+4+13+UNB", "UCM+2+ORDERS:D:96A:UN+4+13+UNH"}},
		{"UNZ reference", unb3 + msg("1", "ORDERS") + "UNZ+1+REF2'", edifact.ContrlOptions{}, []string{
			"UCI+REF1+SENDER:14+RECEIVER:14+4+28+UNZ+2"}},
		{"duplicate found by the caller", icOf(msg("1", "ORDERS")), edifact.ContrlOptions{InterchangeError: "26"}, []string{
			"UCI+REF1+SENDER:14+RECEIVER:14+4+26+UNB"}},
		{"groups", unb3 + ung + msg("1", "ORDERS") + "UNE+2+G1'UNZ+1+REF1'", edifact.ContrlOptions{}, []string{
			"UCI+REF1+SENDER:14+RECEIVER:14+7", "UCF+G1+APP1:ZZ+APP2:ZZ+4+29+UNE+1", "UCM+1+ORDERS:D:96A:UN+7"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ic := readOne(t, tc.input)
			out := edifact.Contrl(ic, tc.opts)
			require.Equal(t, "CONTRL", out.Type)
			require.Equal(t, "D", out.Version)
			require.Equal(t, "3", out.Release)
			require.Equal(t, "UN", out.Agency)
			var got []string
			for _, s := range out.Body {
				got = append(got, line(s))
			}
			require.Equal(t, tc.want, got)

			// The report survives Write, Read and ParseContrl.
			var b bytes.Buffer
			require.NoError(t, edifact.Write(&b, ic.Reply("ACK1", written), []edifact.OutMessage{out}))
			back := readOne(t, b.String())
			require.NoError(t, back.Err())
			require.Equal(t, ic.Sender, back.Receiver)
			res, err := edifact.ParseContrl(back.Messages()[0].EDITransaction)
			require.NoError(t, err)
			require.Equal(t, "REF1", res.InterchangeControl)
			require.Equal(t, ic.Sender, res.Sender)
			require.Equal(t, out.Body[0].Value(4), res.Action)
		})
	}
}

func TestContrlSyntax4(t *testing.T) {
	t.Parallel()
	ic := readOne(t, "UNB+UNOY:4+S+R+20260105:1200+REF1'"+msg("1", "ORDERS")+"UNZ+1+REF1'")
	require.Equal(t, "4", edifact.Contrl(ic, edifact.ContrlOptions{}).Release)
	require.Equal(t, "3", edifact.Contrl(ic, edifact.ContrlOptions{SyntaxVersion: "3"}).Release)
}

func TestParseContrl(t *testing.T) {
	t.Parallel()
	input := icOf(msg("9", "CONTRL", "UCI+ABC+US:ZZ+THEM:ZZ+7'", "UCM+1+ORDERS:D:96A:UN:EAN008+4'",
		"UCS+3+15'", "UCS+4'", "UCD+21+1:2'", "UCD+12+3'", "UCF+G1+A1+A2+4+29+UNE+1'", "UCM+5+DESADV:D:01B:UN+7'"))
	ic := readOne(t, input)
	require.NoError(t, ic.Err())
	res, err := edifact.ParseContrl(ic.Messages()[0].EDITransaction)
	require.NoError(t, err)
	require.Equal(t, edifact.ContrlResult{
		InterchangeControl: "ABC",
		Sender:             connectors.EDIParty{ID: "US", Qualifier: "ZZ"},
		Receiver:           connectors.EDIParty{ID: "THEM", Qualifier: "ZZ"},
		ContrlStatus:       edifact.ContrlStatus{Action: "7"},
		Messages: []edifact.ContrlMessage{{
			Control: "1", Type: "ORDERS", Version: "D", Release: "96A", Agency: "UN", Association: "EAN008",
			ContrlStatus: edifact.ContrlStatus{Action: "4"},
			Segments: []edifact.ContrlSegment{
				{Position: 3, Error: "15"},
				{Position: 4, Elements: []edifact.ContrlElement{{Element: 1, Component: 2, Error: "21"}, {Element: 3, Error: "12"}}},
			},
		}},
		Groups: []edifact.ContrlGroup{{
			Control: "G1", AppSender: connectors.EDIParty{ID: "A1"}, AppReceiver: connectors.EDIParty{ID: "A2"},
			ContrlStatus: edifact.ContrlStatus{Action: "4", Error: "29", Tag: "UNE", Element: 1},
			Messages: []edifact.ContrlMessage{{Control: "5", Type: "DESADV", Version: "D", Release: "01B", Agency: "UN",
				ContrlStatus: edifact.ContrlStatus{Action: "7"}}},
		}},
	}, res)
	require.False(t, res.Rejected())
	require.True(t, res.Messages[0].Rejected())
}

func TestParseContrlErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		typ  string
		body []string
		code string
	}{
		{"not a CONTRL", "ORDERS", []string{"BGM+220'"}, "unsupported_set"},
		{"no UCI", "CONTRL", nil, "missing_segment"},
		{"UCM before UCI", "CONTRL", []string{"UCM+1+ORDERS:D:96A:UN+7'"}, "missing_segment"},
		{"two UCI", "CONTRL", []string{"UCI+A+B+C+7'", "UCI+A+B+C+7'"}, "unexpected_segment"},
		{"bad action", "CONTRL", []string{"UCI+A+B+C+5'"}, "bad_value"},
		{"bad position", "CONTRL", []string{"UCI+A+B+C+4+12+UNB+X'"}, "bad_value"},
		{"UCS without UCM", "CONTRL", []string{"UCI+A+B+C+7'", "UCS+1+12'"}, "unexpected_segment"},
		{"UCS position", "CONTRL", []string{"UCI+A+B+C+7'", "UCM+1+X:D:96A:UN+4'", "UCS+0'"}, "bad_value"},
		{"UCD without UCS", "CONTRL", []string{"UCI+A+B+C+7'", "UCM+1+X:D:96A:UN+4'", "UCD+12+1'"}, "unexpected_segment"},
		{"other segment", "CONTRL", []string{"UCI+A+B+C+7'", "BGM+1'"}, "unknown_segment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := edifact.Read(strings.NewReader(icOf(msg("1", tc.typ, tc.body...))), edifact.Options{SkipSegmentCheck: true})
			require.NoError(t, err)
			_, err = edifact.ParseContrl(f.Messages()[0].EDITransaction)
			var e *connectors.EDIError
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.code, e.Code)
		})
	}
}

func TestSyntaxErrorCode(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]string{
		"count_mismatch": "29", "control_mismatch": "28", "truncated": "13", "unknown_segment": "15",
		"bad_character": "21", "26": "26", "something_else": "18", "": "18", "1234": "18",
	} {
		require.Equal(t, want, edifact.SyntaxErrorCode(code), code)
	}
}
