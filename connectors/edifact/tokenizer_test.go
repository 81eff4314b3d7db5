package edifact_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

const unb3 = "UNB+UNOC:3+SENDER:14+RECEIVER:14+260105:1200+REF1'"

// show renders a segment unambiguously: its tag and its elements quoted.
func show(s connectors.EDISegment) string { return fmt.Sprintf("%s%q", s.Tag, s.Elements) }

// tokens reads every segment; it stops at the first error that ends the
// stream and returns the data errors that did not.
func tokens(t *testing.T, input string, max int) (segs []connectors.EDISegment, soft []*connectors.EDIError, hard error) {
	t.Helper()
	tok := edifact.NewTokenizer(strings.NewReader(input))
	tok.SetMaxSegmentBytes(max)
	for range 1000 {
		seg, err := tok.Next()
		if errors.Is(err, io.EOF) {
			return segs, soft, nil
		}
		if seg.Pos > 0 {
			segs = append(segs, seg)
		}
		if err != nil && seg.Pos == 0 {
			_, again := tok.Next()
			require.Equal(t, err, again, "a final error is sticky")
			return segs, soft, err
		}
		if err != nil {
			var ee *connectors.EDIError
			require.ErrorAs(t, err, &ee)
			soft = append(soft, ee)
		}
	}
	t.Fatal("the tokenizer did not stop")
	return
}

func TestTokenizerSegments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		input string
		want  []string // the segments after UNB/UNA, shown
	}{
		{"defaults without UNA", unb3 + "UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO1+9'",
			[]string{`UNH[[["1"]] [["ORDERS" "D" "96A" "UN" "EAN008"]]]`, `BGM[[["220"]] [["PO1"]] [["9"]]]`}},
		{"release character", unb3 + "FTX+AAA+++A?+B?'C??D?:E'",
			[]string{`FTX[[["AAA"]] [] [] [["A+B'C?D:E"]]]`}},
		{"release of an ordinary character", unb3 + "FTX+AAA+++?AB'",
			[]string{`FTX[[["AAA"]] [] [] [["AB"]]]`}},
		{"empty elements and components", unb3 + "IMD+F++:::0.7066 EURO'NAD+BY+5400110000009::9'",
			[]string{`IMD[[["F"]] [] [["" "" "" "0.7066 EURO"]]]`, `NAD[[["BY"]] [["5400110000009" "" "9"]]]`}},
		{"CR/LF and blank lines between segments", unb3 + "\r\n\r\nUNH+1+ORDERS:D:96A:UN'\nBGM+220'\r\n",
			[]string{`UNH[[["1"]] [["ORDERS" "D" "96A" "UN"]]]`, `BGM[[["220"]]]`}},
		{"a segment wrapped over two lines", unb3 + "UNH+1+ORD\r\nERS:D:96A:UN'",
			[]string{`UNH[[["1"]] [["ORDERS" "D" "96A" "UN"]]]`}},
		{"empty segments are skipped", unb3 + "''BGM+220''",
			[]string{`BGM[[["220"]]]`}},
		{"syntax 3 reserves the repetition position", unb3 + "FTX+AAA+++A*B'",
			[]string{`FTX[[["AAA"]] [] [] [["A*B"]]]`}},
		{"syntax 4 repeats with *", "UNB+UNOC:4+S+R+20260105:1200+1'FTX+AAA+++A*B:C*?*'",
			[]string{`FTX[[["AAA"]] [] [] [["A"] ["B" "C"] ["*"]]]`}},
		{"custom UNA", "UNA^~,! |UNB~UNOC^3~S~R~260105^1200~1|FTX~AAA~~~A!~B!|C!!D^E'+:|",
			[]string{`FTX[[["AAA"]] [] [] [["A~B|C!D" "E'+:"]]]`}},
		{"UNA with a newline terminator", "UNA:+.? \nUNB+UNOC:3+S+R+260105:1200+1\nBGM+220\r\nFTX+AAA+++A?+B\n",
			[]string{`BGM[[["220"]]]`, `FTX[[["AAA"]] [] [] [["A+B"]]]`}},
		{"UNOC is ISO 8859-1", "UNB+UNOC:3+S+R+260105:1200+1'NAD+SU+++M\xfcller Stra\xdfe'",
			[]string{`NAD[[["SU"]] [] [] [["Müller Straße"]]]`}},
		{"UNOD is ISO 8859-2", "UNB+UNOD:3+S+R+260105:1200+1'NAD+SU+++\xb1\xe6'",
			[]string{`NAD[[["SU"]] [] [] [["ąć"]]]`}},
		{"UNOY is UTF-8", "UNB+UNOY:4+S+R+20260105:1200+1'IMD+F++:::不锈钢水槽 ?+ 60cm'",
			[]string{`IMD[[["F"]] [] [["" "" "" "不锈钢水槽 + 60cm"]]]`}},
		{"UNOW is UTF-8", "UNB+UNOW:4+S+R+20260105:1200+1'FTX+AAA+++Größe'",
			[]string{`FTX[[["AAA"]] [] [] [["Größe"]]]`}},
		{"level B information separators", "UNB\x1dUNOB\x1f3\x1dS\x1dR\x1d260105\x1f1200\x1d1\x1cBGM\x1d220\x1fx+y\x1c",
			[]string{`BGM[[["220" "x+y"]]]`}},
		{"a final UNZ without terminator", unb3 + "UNZ+0+REF1\r\n",
			[]string{`UNZ[[["0"]] [["REF1"]]]`}},
		{"trailing padding", unb3 + "UNZ+0+REF1'\r\n\x1a\x00  ",
			[]string{`UNZ[[["0"]] [["REF1"]]]`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			segs, soft, hard := tokens(t, tc.input, 0)
			require.NoError(t, hard)
			require.Empty(t, soft)
			var got []string
			for _, s := range segs {
				if s.Tag != "UNA" && s.Tag != "UNB" {
					got = append(got, show(s))
				}
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestTokenizerPositionsAndOffsets(t *testing.T) {
	t.Parallel()
	input := "\xEF\xBB\xBFUNA:+.? '\r\nUNB+UNOC:3+S+R+260105:1200+1'\r\nUNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+1'\n" +
		"UNB+UNOC:3+S+R+260105:1200+2'UNZ+0+2'"
	segs, soft, hard := tokens(t, input, 0)
	require.NoError(t, hard)
	require.Empty(t, soft)
	type at struct {
		tag    string
		pos    int
		offset int64
	}
	var got []at
	for _, s := range segs {
		got = append(got, at{s.Tag, s.Pos, s.Offset})
	}
	idx := func(s string) int64 { return int64(strings.Index(input, s)) }
	require.Equal(t, []at{
		{"UNA", 1, 3}, {"UNB", 2, 14}, {"UNH", 3, idx("UNH")}, {"UNT", 4, idx("UNT")}, {"UNZ", 5, idx("UNZ")},
		{"UNB", 1, idx("UNB+UNOC:3+S+R+260105:1200+2")}, {"UNZ", 2, idx("UNZ+0+2")},
	}, got)
	require.Equal(t, int64(45), idx("UNH"))
}

func TestTokenizerDelimitersPerInterchange(t *testing.T) {
	t.Parallel()
	input := "UNA:+,? 'UNB+UNOC:3+S+R+260105:1200+1'UNZ+0+1'UNB+UNOC:4+S+R+20260105:1200+2'"
	tok := edifact.NewTokenizer(strings.NewReader(input))
	var seen []edifact.Delimiters
	for {
		seg, err := tok.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if seg.Tag == "UNB" {
			seen = append(seen, tok.Delimiters())
			require.Equal(t, "UNOC", tok.Syntax())
		}
	}
	v3 := edifact.DefaultDelimiters("3")
	v3.Decimal = ','
	require.Equal(t, []edifact.Delimiters{v3, edifact.DefaultDelimiters("4")}, seen)
	require.Equal(t, "UNA:+.?*'", edifact.DefaultDelimiters("4").UNA())
}

func TestTokenizerErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		input   string
		max     int
		hard    string // code of the error that ends the stream
		soft    string // code of a data error returned with its segment
		tag     string
		element int
		offset  int64
		message string
	}{
		{name: "empty file", input: "", hard: "not_edi", message: "empty"},
		{name: "X12", input: "ISA*00*          *00*", hard: "not_edi", message: "X12"},
		{name: "XML", input: "<?xml version=\"1.0\"?>", hard: "not_edi", message: "not with UNA or UNB"},
		{name: "spreadsheet", input: "PK\x03\x04\x14\x00", hard: "not_edi"},
		{name: "release before the final terminator", input: unb3 + "FTX+AAA+??+X?'", hard: "release_at_end", tag: "FTX", message: "FTX"},
		{name: "release at the end of the file", input: unb3 + "FTX+AAA+X?", hard: "release_at_end", tag: "FTX"},
		{name: "release, line break, end", input: unb3 + "FTX+AAA+X?\r\n", hard: "release_at_end", tag: "FTX"},
		{name: "unterminated last segment", input: unb3 + "UNH+1+ORDERS:D:96A:UN", soft: "truncated", tag: "UNH"},
		{name: "UNA too short", input: "UNA:+", hard: "bad_una", tag: "UNA"},
		{name: "UNA with equal delimiters", input: "UNA::.? 'UNB:UNOC", hard: "bad_una", tag: "UNA", message: "both"},
		{name: "UNA with a letter", input: "UNA:+.? AUNB", hard: "bad_una", tag: "UNA"},
		{name: "segment too long", input: unb3 + "FTX+AAA+++" + strings.Repeat("X", 200) + "'", max: 100,
			hard: "segment_too_long", tag: "FTX"},
		{name: "lower case in UNOA", input: "UNB+UNOA:3+S+R+260105:1200+1'FTX+AAA+++Hello'", soft: "bad_character",
			tag: "FTX", element: 4, offset: int64(len("UNB+UNOA:3+S+R+260105:1200+1'FTX+AAA+++H")), message: `'e'`},
		{name: "Latin-1 in UNOA", input: "UNB+UNOA:3+S+R+260105:1200+1'FTX+AAA+++M\xdcLLER'", soft: "bad_character",
			tag: "FTX", element: 4, message: "0xDC"},
		{name: "Latin-1 in UNOB", input: "UNB+UNOB:3+S+R+260105:1200+1'FTX+AAA+++M\xfcller'", soft: "bad_character", tag: "FTX"},
		{name: "C1 control in UNOC", input: "UNB+UNOC:3+S+R+260105:1200+1'FTX+AAA+++A\x85B'", soft: "bad_character", tag: "FTX"},
		{name: "tab in data", input: unb3 + "FTX+AAA+++A\tB'", soft: "bad_character", tag: "FTX", message: "0x09"},
		{name: "broken UTF-8 in UNOY", input: "UNB+UNOY:4+S+R+20260105:1200+1'FTX+AAA+++\xe6\xb0'", soft: "bad_character",
			tag: "FTX", element: 4, message: "UTF-8"},
		{name: "unknown syntax identifier", input: "UNB+UNOZ:3+S+R+260105:1200+1'", soft: "bad_syntax", tag: "UNB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, soft, hard := tokens(t, tc.input, tc.max)
			var e *connectors.EDIError
			if tc.hard != "" {
				require.ErrorAs(t, hard, &e)
				require.Equal(t, tc.hard, e.Code)
			} else {
				require.NoError(t, hard)
				require.Len(t, soft, 1)
				e = soft[0]
				require.Equal(t, tc.soft, e.Code)
			}
			require.Equal(t, tc.tag, e.Tag)
			if tc.element > 0 {
				require.Equal(t, tc.element, e.Element)
			}
			if tc.offset > 0 {
				require.Equal(t, tc.offset, e.Offset)
			}
			require.Contains(t, e.Error(), tc.message)
		})
	}
}

// A bad character does not stop the stream, and its value is still
// readable.
func TestTokenizerContinuesAfterBadCharacter(t *testing.T) {
	t.Parallel()
	segs, soft, hard := tokens(t, "UNB+UNOA:3+S+R+260105:1200+1'FTX+AAA+++M\xfcller'UNZ+0+1'", 0)
	require.NoError(t, hard)
	require.Len(t, soft, 1)
	require.Equal(t, 2, soft[0].Pos)
	require.Len(t, segs, 3)
	require.Equal(t, "Müller", segs[1].Value(4))
	require.Equal(t, "UNZ", segs[2].Tag)
}
