package csv_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors/csv"
)

// FuzzReader feeds arbitrary bytes through detection and parsing: the
// reader must never panic, must stop, and must hand out valid UTF-8 with
// increasing row numbers.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "\xEF\xBB\xBFa;b\r\n\"x\ny\";2", "\xff\xfea\x00,\x00b\x00",
		"\"unclosed", "a\t\"b\"\"c\"\t\n", "\xc9\xcc\xc6\xb7|\xb1\xe0\xc2\xeb\n", "x\"y,\"z\"w\n",
		"PK\x03\x04", "\x81\x30\x81\x30,a\n",
	} {
		f.Add([]byte(s), uint8(0), uint8(0))
	}
	encodings := []string{"", "utf-8", "gbk", "gb18030", "utf-16le", "utf-16be"}
	delims := []rune{0, ',', ';', '\t', '|'}
	f.Fuzz(func(t *testing.T, data []byte, enc, delim uint8) {
		opts := csv.Options{
			Encoding:       encodings[int(enc)%len(encodings)],
			Delimiter:      delims[int(delim)%len(delims)],
			MaxRecordBytes: 4096,
		}
		r, err := csv.NewReader(bytes.NewReader(data), opts)
		if err != nil {
			return
		}
		last := 0
		// Each call consumes at least one byte or ends, so this bounds the loop.
		for range 4*len(data) + 10 {
			row, err := r.Next(t.Context())
			if err == io.EOF {
				return
			}
			var pe *csv.ParseError
			if err != nil && !errors.As(err, &pe) {
				return // final errors
			}
			if err != nil && !errors.Is(err, csv.ErrInvalidText) {
				if errors.Is(err, csv.ErrRecordTooLong) && pe.StartLine == 0 {
					t.Fatalf("no line in %v", err)
				}
				continue
			}
			if row.Number <= last {
				t.Fatalf("row number %d after %d", row.Number, last)
			}
			last = row.Number
			for _, c := range row.Cells {
				if !utf8.ValidString(c.Value) {
					t.Fatalf("invalid UTF-8 in cell %q", c.Value)
				}
			}
		}
		t.Fatalf("reader did not end on %d bytes", len(data))
	})
}
