package x12_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// tokens reads every segment of input.
func tokens(t *testing.T, r io.Reader) ([]connectors.EDISegment, *x12.Tokenizer, error) {
	t.Helper()
	tk := x12.NewTokenizer(r)
	var segs []connectors.EDISegment
	for {
		seg, err := tk.Next()
		if errors.Is(err, io.EOF) {
			return segs, tk, nil
		}
		if err != nil {
			return segs, tk, err
		}
		segs = append(segs, seg)
	}
}

func TestTokenizer(t *testing.T) {
	t.Parallel()
	isa4010 := isa("00401", "000000001", "U", ">", "~")
	isa5010 := isa("00501", "000000002", "^", ":", "~")
	for _, tc := range []struct {
		name    string
		input   string
		delims  x12.Delimiters
		want    []string // values(segments)
		pos     []int
		offsets []int64
	}{
		{
			name:    "plain",
			input:   isa4010 + "GS*PO*A*B~ST*850*0001~SE*2*0001~",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "~"},
			want:    []string{"GS*PO*A*B", "ST*850*0001", "SE*2*0001"},
			pos:     []int{2, 3, 4},
			offsets: []int64{106, 116, 128},
		},
		{
			name:    "byte-order mark and leading blank lines",
			input:   "\xEF\xBB\xBF\r\n" + isa4010 + "GS*PO~",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "~"},
			want:    []string{"GS*PO"},
			pos:     []int{2},
			offsets: []int64{111},
		},
		{
			name:    "CR/LF after each terminator",
			input:   isa4010 + "\r\nGS*PO*A~\r\nST*850*0001~\r\n",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "~\r\n"},
			want:    []string{"GS*PO*A", "ST*850*0001"},
			pos:     []int{2, 3},
			offsets: []int64{108, 118},
		},
		{
			name:    "blanks and tabs between segments",
			input:   isa4010 + "  \r\n\tGS*PO*A ~  \n  ST*850*0001~ ",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "~"},
			want:    []string{"GS*PO*A ", "ST*850*0001"},
			pos:     []int{2, 3},
			offsets: []int64{111, 125},
		},
		{
			name:    "newline as the terminator",
			input:   isa("00401", "000000001", "U", ">", "\n") + "GS*PO\n\nST*850*0001\r\n",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "\n"},
			want:    []string{"GS*PO", "ST*850*0001"},
			pos:     []int{2, 3},
			offsets: []int64{106, 113},
		},
		{
			name:    "multi-byte terminator",
			input:   isa("00401", "000000001", "U", ">", "…") + "\nGS*PO*A…\nST*850*0001…",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "…\n"},
			want:    []string{"GS*PO*A", "ST*850*0001"},
			pos:     []int{2, 3},
			offsets: []int64{109, 120},
		},
		{
			name:    "repetition separator from 00402",
			input:   isa5010 + "REF*ZZ*A^B:C^~DTM**:~",
			delims:  x12.Delimiters{Element: "*", Component: ":", Repetition: "^", Segment: "~"},
			want:    []string{"REF*ZZ*A^B>C^", "DTM**>"},
			pos:     []int{2, 3},
			offsets: []int64{106, 120},
		},
		{
			name:    "no repetition separator before 00402",
			input:   isa4010 + "REF*ZZ*A^B>C~",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "~"},
			want:    []string{"REF*ZZ*A^B>C"},
			pos:     []int{2},
			offsets: []int64{106},
		},
		{
			name:    "empty segments and a last segment without terminator",
			input:   isa4010 + "GS*PO~~\n~IEA*1*000000001",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "~"},
			want:    []string{"GS*PO", "IEA*1*000000001"},
			pos:     []int{2, 3},
			offsets: []int64{106, 115},
		},
		{
			name:    "trailing empty elements kept as nil",
			input:   isa4010 + "N1*ST**~",
			delims:  x12.Delimiters{Element: "*", Component: ">", Segment: "~"},
			want:    []string{"N1*ST**"},
			pos:     []int{2},
			offsets: []int64{106},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			segs, tk, err := tokens(t, strings.NewReader(tc.input))
			require.NoError(t, err)
			require.Equal(t, tc.delims, tk.Delimiters())
			require.Equal(t, "ISA", segs[0].Tag)
			require.Equal(t, 1, segs[0].Pos)
			require.Len(t, segs[0].Elements, 16)
			var pos []int
			var offs []int64
			for _, s := range segs[1:] {
				pos = append(pos, s.Pos)
				offs = append(offs, s.Offset)
				require.True(t, strings.HasPrefix(tc.input[s.Offset:], s.Tag), "offset %d of %s", s.Offset, s.Tag)
			}
			require.Equal(t, tc.want, values(segs[1:]))
			require.Equal(t, tc.pos, pos)
			require.Equal(t, tc.offsets, offs)
		})
	}
}

func TestTokenizerElements(t *testing.T) {
	t.Parallel()
	segs, _, err := tokens(t, strings.NewReader(isa("00501", "000000002", "^", ":", "~")+"PO1*1**EA*CB:12:*A^^B~"))
	require.NoError(t, err)
	po1 := segs[1]
	require.Equal(t, []connectors.EDIElement{
		{{"1"}}, nil, {{"EA"}}, {{"CB", "12", ""}}, {{"A"}, {""}, {"B"}},
	}, po1.Elements)
	// Slices handed out are capped: appending to one must not touch its
	// neighbour.
	_ = append(po1.Elements[0][0], "X")
	require.Equal(t, connectors.EDIElement{{"EA"}}, po1.Elements[2])
	isaSeg := segs[0]
	require.Equal(t, "ISA", isaSeg.Tag)
	require.Equal(t, "DEALER         ", isaSeg.Value(6))
	require.Equal(t, "^", isaSeg.Value(11))
	require.Equal(t, ":", isaSeg.Value(16))
}

func TestTokenizerSeveralInterchanges(t *testing.T) {
	t.Parallel()
	input := isa("00401", "000000001", "U", ">", "~") + "GS*PO~IEA*1*000000001~\r\n \t\n" +
		strings.ReplaceAll(isa("00501", "000000002", "^", ":", "'"), "*", "|") + "GS|PO|A*B'REF|X|1^2'IEA|1|000000002'\n"
	segs, tk, err := tokens(t, strings.NewReader(input))
	require.NoError(t, err)
	require.Equal(t, []string{"ISA", "GS", "IEA", "ISA", "GS", "REF", "IEA"}, tagsOf(segs))
	require.Equal(t, []int{1, 2, 3, 1, 2, 3, 4}, posOf(segs))
	require.Equal(t, "A*B", segs[4].Value(2), "the second interchange's element separator is |")
	require.Equal(t, [][]string{{"1"}, {"2"}}, segs[5].Repeats(2))
	require.Equal(t, x12.Delimiters{Element: "|", Component: ":", Repetition: "^", Segment: "'"}, tk.Delimiters())
	require.Equal(t, int64(strings.Index(input, "ISA|")), segs[3].Offset)
}

func TestTokenizerBadInput(t *testing.T) {
	t.Parallel()
	good := isa("00401", "000000001", "U", ">", "~")
	for _, tc := range []struct {
		name  string
		input string
		code  string
		msg   string
	}{
		{"empty", "", "not_edi", "empty"},
		{"whitespace only", " \r\n\t", "not_edi", "empty"},
		{"EDIFACT", "UNA:+.? 'UNB+UNOC:3+A+B'", "not_edi", "EDIFACT"},
		{"XML", "<?xml version=\"1.0\"?><Order/>", "not_edi", "XML"},
		{"JSON", `{"order": 1}`, "not_edi", "JSON"},
		{"workbook", "PK\x03\x04\x14\x00\x06\x00", "not_edi", "zip"},
		{"PDF", "%PDF-1.7\n", "not_edi", "PDF"},
		{"text", "SKU,Name,Price\nA-1,Sink,12.00\n", "not_edi", `found "SKU,Name,Price\nA"`},
		{"UTF-16", "\xFF\xFEI\x00S\x00A\x00", "not_edi", "UTF-16"},
		{"ISA is the end", "ISA", "bad_isa", "ends 3 bytes into the ISA"},
		{"ISA cut short", good[:60], "bad_isa", "ends 60 bytes into the ISA"},
		{"ISA06 too short", strings.Replace(good, "DEALER         ", "DEALER", 1) + "GS*PO*A*B*C~ST*850*1~SE*2*1~", "bad_isa", "ISA06 is 6 characters where it must be 15"},
		{"ISA13 too long", strings.Replace(good, "000000001", "0000000001", 1), "bad_isa", "ISA13 is 10 characters where it must be 9"},
		{"ISA02 too long", strings.Replace(good, "*00*          *", "*00*           *", 1), "bad_isa", "ISA02 is 11 characters where it must be 10"},
		{"space as element separator", strings.ReplaceAll(good, "*", " "), "bad_isa", "element separator"},
		{"letter after ISA", strings.ReplaceAll(good, "*", "X"), "not_edi", "must start with an ISA segment"},
		{"component separator is the element separator", good[:104] + "*~", "bad_isa", "ISA16"},
		{"letter as terminator", good[:105] + "AGS*PO", "bad_isa", "segment terminator"},
		{"repetition separator is the component separator", isa("00501", "000000001", ":", ":", "~"), "bad_isa", "ISA11"},
		{"second ISA broken", good + "GS*PO~IEA*0*000000001~" + good[:50] + "~", "bad_isa", "ends"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, tk, err := tokens(t, strings.NewReader(tc.input))
			var ee *connectors.EDIError
			require.ErrorAs(t, err, &ee)
			require.Equal(t, tc.code, ee.Code, "%v", err)
			require.Contains(t, ee.Error(), tc.msg)
			// The error is sticky.
			_, again := tk.Next()
			require.Equal(t, err, again)
		})
	}
}

func TestTokenizerLimitsAndReadErrors(t *testing.T) {
	t.Parallel()
	t.Run("segment too long", func(t *testing.T) {
		tk := x12.NewTokenizer(strings.NewReader(isa("00401", "000000001", "U", ">", "~") + strings.Repeat("A", 5000)))
		tk.SetMaxSegmentBytes(1000)
		_, err := tk.Next()
		require.NoError(t, err)
		_, err = tk.Next()
		var ee *connectors.EDIError
		require.ErrorAs(t, err, &ee)
		require.Equal(t, "segment_too_long", ee.Code)
		require.Equal(t, int64(106), ee.Offset)
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("connection reset")
		r := io.MultiReader(strings.NewReader(isa("00401", "000000001", "U", ">", "~")+"GS*PO"), iotest.ErrReader(boom))
		_, _, err := tokens(t, r)
		require.ErrorIs(t, err, boom)
		require.Contains(t, err.Error(), "reading x12 input")
	})
}

// TestTokenizerStreaming reads the samples and a file larger than the
// buffer one byte at a time and in halves: every read boundary must give
// the same segments as one whole read.
func TestTokenizerStreaming(t *testing.T) {
	t.Parallel()
	inputs := sampleFiles(t)
	inputs["generated"] = generate850(300_000, "~\r\n")
	inputs["ellipsis"] = bytes.ReplaceAll(generate850(100_000, "~"), []byte("~"), []byte("…"))
	for name, data := range inputs {
		whole, _, err := tokens(t, bytes.NewReader(data))
		require.NoError(t, err, name)
		for how, r := range map[string]io.Reader{
			"one byte": iotest.OneByteReader(bytes.NewReader(data)),
			"halves":   iotest.HalfReader(bytes.NewReader(data)),
			"data+EOF": iotest.DataErrReader(bytes.NewReader(data)),
		} {
			segs, _, err := tokens(t, r)
			require.NoError(t, err, "%s %s", name, how)
			require.Equal(t, whole, segs, "%s %s", name, how)
		}
	}
}

func tagsOf(segs []connectors.EDISegment) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.Tag
	}
	return out
}

func posOf(segs []connectors.EDISegment) []int {
	out := make([]int, len(segs))
	for i, s := range segs {
		out[i] = s.Pos
	}
	return out
}
