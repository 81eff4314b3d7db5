package csv

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding names that Options.Encoding accepts and Reader.Encoding reports.
const (
	EncodingUTF8    = "utf-8"
	EncodingGBK     = "gbk"
	EncodingGB18030 = "gb18030"
	EncodingUTF16LE = "utf-16le"
	EncodingUTF16BE = "utf-16be"
)

// magic numbers of files people hand over by mistake.
var magics = []struct {
	prefix string
	what   string
}{
	{"PK\x03\x04", "looks like an XLSX workbook (a zip archive)"},
	{"PK\x05\x06", "looks like an empty zip archive"},
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "looks like an XLS workbook (Excel 97-2003) or an encrypted XLSX"},
	{"%PDF-", "looks like a PDF document"},
	{"\x1F\x8B", "looks like a gzip archive"},
}

// sniffNotText reports why prefix is not CSV text, or nil.
func sniffNotText(prefix []byte) error {
	for _, m := range magics {
		if bytes.HasPrefix(prefix, []byte(m.prefix)) {
			return &notCSVError{what: m.what}
		}
	}
	if i := bytes.IndexByte(prefix, 0); i >= 0 {
		return &notCSVError{what: fmt.Sprintf("binary data (a NUL byte at offset %d)", i)}
	}
	return nil
}

// utf16BOM returns the UTF-16 encoding a byte-order mark announces, or "".
func utf16BOM(prefix []byte) string {
	switch {
	case bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}):
		return EncodingUTF16LE
	case bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}):
		return EncodingUTF16BE
	}
	return ""
}

// decideEncoding picks the encoding of window (a bounded prefix of the
// undecoded bytes). atEOF says window ends the file, so an incomplete
// sequence at its end is an error rather than a cut.
//
// UTF-8 wins when it decodes cleanly (pure ASCII included); then plain GBK,
// then GB18030 (its four-byte sequences). When none is clean, the one with
// the fewest bad sequences wins (ties to UTF-8), so one corrupt byte does
// not turn a whole file into mojibake; the rows holding bad bytes are
// reported by Next.
func decideEncoding(window []byte, atEOF bool) string {
	bad8 := invalidUTF8(window, atEOF)
	if bad8 == 0 {
		return EncodingUTF8
	}
	badGBK := invalidGB(window, atEOF, false)
	if badGBK == 0 {
		return EncodingGBK
	}
	badGB18030 := invalidGB(window, atEOF, true)
	if badGB18030 == 0 {
		return EncodingGB18030
	}
	if bad8 <= badGB18030 {
		return EncodingUTF8
	}
	return EncodingGB18030
}

// invalidUTF8 counts invalid UTF-8 sequences in b, ignoring a sequence cut
// at the end of b unless atEOF.
func invalidUTF8(b []byte, atEOF bool) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !atEOF && !utf8.FullRune(b[i:]) {
				break
			}
			n++
		}
		i += size
	}
	return n
}

// invalidGB counts the replacement characters the GBK (or GB18030) decoder
// produces for b. The decoder, with atEOF false, stops before a cut
// sequence instead of replacing it.
func invalidGB(b []byte, atEOF, gb18030 bool) int {
	dec := simplifiedchinese.GBK.NewDecoder()
	if gb18030 {
		dec = simplifiedchinese.GB18030.NewDecoder()
	}
	// A source byte yields at most one rune of at most 3 UTF-8 bytes.
	dst := make([]byte, 3*len(b)+utf8.UTFMax)
	nDst, _, err := dec.Transform(dst, b, atEOF)
	if err != nil && err != transform.ErrShortSrc {
		return len(b) + 1
	}
	return bytes.Count(dst[:nDst], []byte("\uFFFD"))
}

// delimiters are the candidates detection chooses among, in tie order.
var delimiters = [...]byte{',', ';', '\t', '|'}

// maxDetectRecords bounds how many records delimiter detection looks at.
const maxDetectRecords = 50

// detectDelimiter picks the delimiter of decoded text b (a prefix of the
// file; atEOF says it is the whole file): for each candidate, the field
// count (>1) shared by most records; the candidate shared by the most
// records wins; ties go to the earlier candidate (comma first); a file in
// which no candidate splits any record is read with commas. Quotes are
// honoured, so delimiters and newlines inside quoted fields do not count.
func detectDelimiter(b []byte, atEOF bool) rune {
	var perRecord [][len(delimiters)]int
	var cur [len(delimiters)]int
	inQuote, blank := false, true
	for _, c := range b {
		switch {
		case c == '"':
			inQuote = !inQuote
			blank = false
		case inQuote:
		case c == '\n':
			if !blank {
				perRecord = append(perRecord, cur)
			}
			cur, blank = [len(delimiters)]int{}, true
		case c == '\r':
		default:
			blank = false
			for i, d := range delimiters {
				if c == d {
					cur[i]++
				}
			}
		}
		if len(perRecord) == maxDetectRecords {
			break
		}
	}
	if atEOF && !blank && len(perRecord) < maxDetectRecords {
		perRecord = append(perRecord, cur)
	}

	best, bestScore := rune(','), 0
	for i, d := range delimiters {
		freq := map[int]int{}
		score := 0
		for _, rec := range perRecord {
			fields := rec[i] + 1
			if fields < 2 {
				continue
			}
			freq[fields]++
			score = max(score, freq[fields])
		}
		if score > bestScore {
			best, bestScore = rune(d), score
		}
	}
	return best
}
