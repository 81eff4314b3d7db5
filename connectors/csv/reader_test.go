package csv_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/csv"
)

// line is a row as the tests compare it: its number and cell values.
type line struct {
	N     int
	Cells []string
}

// readAll reads every row of data, failing the test on any error.
func readAll(t *testing.T, data []byte, opts csv.Options) (*csv.Reader, []line) {
	t.Helper()
	r, err := csv.NewReader(bytes.NewReader(data), opts)
	require.NoError(t, err)
	var out []line
	for {
		row, err := r.Next(t.Context())
		if err == io.EOF {
			return r, out
		}
		require.NoError(t, err)
		require.Equal(t, "", row.Sheet)
		out = append(out, line{N: row.Number, Cells: values(row)})
	}
}

// values returns the cell values of row, checking each cell's type.
func values(row connectors.Row) []string {
	vs := make([]string, len(row.Cells))
	for i, c := range row.Cells {
		want := connectors.CellText
		if c.Value == "" {
			want = connectors.CellEmpty
		}
		if c.Type != want || c.Formula {
			panic(fmt.Sprintf("cell %d %q has type %v", i, c.Value, c.Type))
		}
		vs[i] = c.Value
	}
	return vs
}

func utf16BE(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String(s)
	require.NoError(t, err)
	return []byte(b)
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	require.NoError(t, err)
	return []byte(b)
}

const chinese = "商品编码,商品名称,单价,单位\r\nA-001,不锈钢水槽,\"￥1,234.00\",个\r\nA-002,\"龙头 \"\"特价\"\"\",99.5,件\r\n合计,,\"1,333.50\",\r\n"

var chineseLines = []line{
	{1, []string{"商品编码", "商品名称", "单价", "单位"}},
	{2, []string{"A-001", "不锈钢水槽", "￥1,234.00", "个"}},
	{3, []string{"A-002", `龙头 "特价"`, "99.5", "件"}},
	{4, []string{"合计", "", "1,333.50", ""}},
}

func TestEncodings(t *testing.T) {
	t.Parallel()
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().String("sku,name\n1,𠀀表\n")
	require.NoError(t, err)
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(chinese)
	require.NoError(t, err)
	tests := []struct {
		name     string
		data     []byte
		opts     csv.Options
		encoding string
		want     []line
	}{
		{"utf-8", []byte(chinese), csv.Options{}, "utf-8", chineseLines},
		{"utf-8 with BOM", append([]byte("\xEF\xBB\xBF"), chinese...), csv.Options{}, "utf-8", chineseLines},
		{"gbk", gbk(t, chinese), csv.Options{}, "gbk", chineseLines},
		{"gbk given", gbk(t, chinese), csv.Options{Encoding: "GBK"}, "gbk", chineseLines},
		{"gb18030 four-byte sequences", []byte(gb18030), csv.Options{}, "gb18030",
			[]line{{1, []string{"sku", "name"}}, {2, []string{"1", "𠀀表"}}}},
		{"utf-16le with BOM", []byte(utf16), csv.Options{}, "utf-16le", chineseLines},
		{"utf-16be given, no BOM", utf16BE(t, "a,b\n编,码\n"), csv.Options{Encoding: "utf-16be"}, "utf-16be",
			[]line{{1, []string{"a", "b"}}, {2, []string{"编", "码"}}}},
		{"ascii", []byte("a,b\n1,2\n"), csv.Options{}, "utf-8",
			[]line{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}},
		{"gbk after 64 KiB of ascii",
			append([]byte(strings.Repeat("x,y\n", 20000)), gbk(t, "编码,名称\n")...), csv.Options{}, "gbk", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, got := readAll(t, tt.data, tt.opts)
			require.Equal(t, tt.encoding, r.Encoding())
			require.Equal(t, ',', r.Delimiter())
			if tt.want == nil {
				require.Equal(t, line{20001, []string{"编码", "名称"}}, got[len(got)-1])
				return
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestDelimiters(t *testing.T) {
	t.Parallel()
	for _, d := range []rune{',', ';', '\t', '|'} {
		t.Run(fmt.Sprintf("%q", d), func(t *testing.T) {
			t.Parallel()
			s := "价格表 2026\n" + // a title row with no delimiter
				strings.Join([]string{"编码", "名称", "价格"}, string(d)) + "\n" +
				strings.Join([]string{"A1", `"a, b; c | d` + "\t" + `"`, `"1,5"`}, string(d)) + "\n" +
				strings.Join([]string{"A2", "e", "2"}, string(d)) + "\n"
			for _, data := range [][]byte{[]byte(s), gbk(t, s)} {
				r, got := readAll(t, data, csv.Options{})
				require.Equal(t, d, r.Delimiter())
				require.Equal(t, []line{
					{1, []string{"价格表 2026"}},
					{2, []string{"编码", "名称", "价格"}},
					{3, []string{"A1", "a, b; c | d\t", "1,5"}},
					{4, []string{"A2", "e", "2"}},
				}, got)
			}
		})
	}
	t.Run("given", func(t *testing.T) {
		t.Parallel()
		r, got := readAll(t, []byte("a;b,c\n"), csv.Options{Delimiter: ';'})
		require.Equal(t, ';', r.Delimiter())
		require.Equal(t, []line{{1, []string{"a", "b,c"}}}, got)
	})
	t.Run("tie goes to comma", func(t *testing.T) {
		t.Parallel()
		r, _ := readAll(t, []byte("a,b;c\nd,e;f\n"), csv.Options{})
		require.Equal(t, ',', r.Delimiter())
	})
	t.Run("one column", func(t *testing.T) {
		t.Parallel()
		r, got := readAll(t, []byte("sku\nA1\n"), csv.Options{})
		require.Equal(t, ',', r.Delimiter())
		require.Equal(t, []line{{1, []string{"sku"}}, {2, []string{"A1"}}}, got)
	})
	t.Run("GBK trail byte 0x7C is not a pipe", func(t *testing.T) {
		t.Parallel()
		// 亅 is 0x81 0x7C in GBK: raw bytes would show a '|' on every line.
		s := "名称,亅\n甲,亅\n乙,亅\n"
		require.Contains(t, string(gbk(t, s)), "|")
		r, got := readAll(t, gbk(t, s), csv.Options{})
		require.Equal(t, ',', r.Delimiter())
		require.Equal(t, []string{"甲", "亅"}, got[1].Cells)
	})
}

func TestLayout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want []line
	}{
		{"quoted newlines keep the start line", "a,b\n\"x\ny\",\"p\r\nq\"\nlast,1\n", []line{
			{1, []string{"a", "b"}}, {2, []string{"x\ny", "p\nq"}}, {5, []string{"last", "1"}}}},
		{"CRLF", "a,b\r\n1,2\r\n", []line{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}},
		{"no final newline", "a,b\n1,2", []line{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}},
		{"blank lines skipped, numbers count", "a\n\n\nb\n", []line{{1, []string{"a"}}, {4, []string{"b"}}}},
		{"ragged rows", "a,b,c\n1\n1,2,3,4,\n", []line{
			{1, []string{"a", "b", "c"}}, {2, []string{"1"}}, {3, []string{"1", "2", "3", "4", ""}}}},
		{"doubled quotes", "\"say \"\"hi\"\"\",\"\"\n", []line{{1, []string{`say "hi"`, ""}}}},
		{"empty file", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, got := readAll(t, []byte(tt.data), csv.Options{})
			require.Equal(t, tt.want, got)
		})
	}
}

func TestTenThousandLines(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	b.WriteString("编码,名称,价格\r\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "SKU-%05d,商品%d,\"￥%d,%03d.00\"\r\n", i, i, i/1000, i%1000)
	}
	r, err := csv.NewReader(bytes.NewReader(gbk(t, b.String())), csv.Options{})
	require.NoError(t, err)
	n := 0
	for {
		row, err := r.Next(t.Context())
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		n++
		require.Equal(t, n, row.Number)
		if n == 10001 {
			require.Equal(t, []string{"SKU-09999", "商品9999", "￥9,999.00"}, values(row))
		}
	}
	require.Equal(t, 10001, n)
	require.Equal(t, "gbk", r.Encoding())
}

// nextErr reads rows until the first error and returns it with the rows
// read before it.
func nextErr(t *testing.T, r *csv.Reader) ([]line, error) {
	t.Helper()
	var out []line
	for {
		row, err := r.Next(t.Context())
		if err != nil {
			return out, err
		}
		out = append(out, line{row.Number, values(row)})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    string
		opts    csv.Options
		is      error
		message string
		// after is the rows that follow the error, when reading continues.
		after []line
	}{
		{"quote not closed", "a,b\n1,2\n3,\"open\n4,5\n", csv.Options{}, csv.ErrQuoteNotClosed,
			"line 3, column B: a quoted field is not closed (it runs to the end of the file)", nil},
		{"stray quote", "a,b\n\"x\"y,1\nok,2\n", csv.Options{}, csv.ErrStrayQuote,
			"line 2, column A: text follows the closing quote", []line{{3, []string{"ok", "2"}}}},
		{"bare quote", "a,b\n12\" pipe,1\nok,2\n", csv.Options{}, csv.ErrBareQuote,
			"line 2, column A: a quote appears inside a field that is not quoted", []line{{3, []string{"ok", "2"}}}},
		{"record too long", "a,b\n\"" + strings.Repeat("x", 300<<10), csv.Options{MaxRecordBytes: 100 << 10},
			csv.ErrRecordTooLong, "line 2: the record is too long (a quoted field is probably not closed) (longer than 102400 bytes)", nil},
		{"record too long but within the read-ahead", "a,b\n" + strings.Repeat("y", 2000) + "\nok,2\n",
			csv.Options{MaxRecordBytes: 1000}, csv.ErrRecordTooLong,
			"line 2: the record is too long (a quoted field is probably not closed) (2001 bytes; the limit is 1000)",
			[]line{{3, []string{"ok", "2"}}}},
		{"invalid utf-8 after a utf-8 start", "名称,价格\n" + strings.Repeat("a,1\n", 20000) + "ok,\xB2\xE2\n",
			csv.Options{}, csv.ErrInvalidText, "line 20002, column B: the text holds bytes that are not valid in the file's encoding (read as utf-8", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := csv.NewReader(strings.NewReader(tt.data), tt.opts)
			require.NoError(t, err)
			_, err = nextErr(t, r)
			require.ErrorIs(t, err, tt.is)
			var pe *csv.ParseError
			require.ErrorAs(t, err, &pe)
			require.Contains(t, err.Error(), tt.message)
			rest, err := nextErr(t, r)
			if tt.after != nil {
				require.ErrorIs(t, err, io.EOF)
				require.Equal(t, tt.after, rest)
			} else {
				require.Empty(t, rest)
				require.Error(t, err)
			}
		})
	}
}

func TestInvalidTextKeepsTheRow(t *testing.T) {
	t.Parallel()
	r, err := csv.NewReader(strings.NewReader("a,b\nx,\xff\xfe\ny,2\n"), csv.Options{Encoding: "utf-8"})
	require.NoError(t, err)
	_, err = r.Next(t.Context())
	require.NoError(t, err)
	row, err := r.Next(t.Context())
	require.ErrorIs(t, err, csv.ErrInvalidText)
	require.Equal(t, 2, row.Number)
	require.Equal(t, []string{"x", "\uFFFD"}, values(row))
	row, err = r.Next(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"y", "2"}, values(row))
}

func TestNotCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, message string
	}{
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", "looks like an XLSX workbook (a zip archive), not CSV"},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", "looks like an XLS workbook (Excel 97-2003) or an encrypted XLSX, not CSV"},
		{"binary", "a,b\n1,\x00\x01\x02", "binary data (a NUL byte at offset 6), not CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := csv.NewReader(strings.NewReader(tt.data), csv.Options{})
			require.ErrorIs(t, err, csv.ErrNotCSV)
			require.EqualError(t, err, tt.message)
		})
	}
}

func TestOptionsChecked(t *testing.T) {
	t.Parallel()
	for _, opts := range []csv.Options{{Encoding: "latin1"}, {Delimiter: '"'}, {Delimiter: '\n'}, {MaxRecordBytes: -1}} {
		_, err := csv.NewReader(strings.NewReader("a"), opts)
		require.Error(t, err, "%+v", opts)
		require.Contains(t, err.Error(), "Options.")
	}
}

// errReader fails after its data.
type errReader struct{ data io.Reader }

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestIOErrorIsFinal(t *testing.T) {
	t.Parallel()
	_, err := csv.NewReader(&errReader{strings.NewReader("a,b\n")}, csv.Options{})
	require.ErrorContains(t, err, "disk on fire")

	big := strings.Repeat("a,b\n", 40000) // more than the 64 KiB read ahead
	r, err := csv.NewReader(&errReader{strings.NewReader(big)}, csv.Options{})
	require.NoError(t, err)
	_, err = nextErr(t, r)
	require.ErrorContains(t, err, "reading csv: disk on fire")
	_, err2 := r.Next(t.Context())
	require.Equal(t, err, err2)
}

func TestContextAndClose(t *testing.T) {
	t.Parallel()
	r, err := csv.NewReader(strings.NewReader("a\nb\n"), csv.Options{})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	cancel()
	_, err = r.Next(ctx)
	require.ErrorIs(t, err, context.Canceled)
	row, err := r.Next(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, row.Number)
	require.NoError(t, r.Close())
	_, err = r.Next(t.Context())
	require.ErrorContains(t, err, "closed")
}

func TestSlowSource(t *testing.T) {
	t.Parallel()
	for _, data := range [][]byte{[]byte("sku,名称\r\n\"a\nb\",值\r\n"), gbk(t, "sku,名称\r\n\"a\nb\",值\r\n")} {
		for _, wrap := range []func(io.Reader) io.Reader{iotest.OneByteReader, iotest.HalfReader, iotest.DataErrReader} {
			r, err := csv.NewReader(wrap(bytes.NewReader(data)), csv.Options{})
			require.NoError(t, err)
			got, err := nextErr(t, r)
			require.ErrorIs(t, err, io.EOF)
			require.Equal(t, []line{{1, []string{"sku", "名称"}}, {2, []string{"a\nb", "值"}}}, got)
		}
	}
}
