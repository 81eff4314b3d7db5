package xlsx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
)

// cellAttrs is what a sheet's XML says about one cell besides its value:
// the cell's type attribute (t), its style index (s) and whether it holds a
// formula. excelize's streaming Columns returns only the values, so a light
// byte scanner reads the same sheet XML alongside it to learn these.
type cellAttrs struct {
	col     int
	style   int
	typ     string
	formula bool
}

// rowAttrs holds the attributes of one <row>'s cells, in document order.
type rowAttrs struct {
	num   int
	cells []cellAttrs
}

// cellScanner walks a worksheet's XML for <row> and <c> tags without
// decoding text or building tokens. It relies on XML's rule that '<' never
// occurs unescaped in text or attribute values; comments, CDATA and
// processing instructions are skipped whole.
type cellScanner struct {
	br   *bufio.Reader
	rc   io.Closer
	tag  []byte // the current tag, when it did not fit one buffered slice
	row  int    // the last row number seen
	done bool
}

func newCellScanner(rc io.ReadCloser) *cellScanner {
	return &cellScanner{br: bufio.NewReaderSize(rc, 64<<10), rc: rc}
}

// Close releases the underlying part reader.
func (s *cellScanner) Close() error { return s.rc.Close() }

// next returns the next <row> with its cells' attributes; io.EOF after
// </sheetData> or the end of the part. The cells slice of ra is reused.
func (s *cellScanner) next(ra *rowAttrs) error {
	ra.cells = ra.cells[:0]
	inRow, inCell := false, false
	col := 0
	for !s.done {
		tag, err := s.readTag()
		if err != nil {
			if errors.Is(err, io.EOF) {
				s.done = true
				if inRow {
					return nil
				}
				return io.EOF
			}
			return err
		}
		if len(tag) == 0 {
			continue
		}
		closing := tag[0] == '/'
		if closing {
			tag = tag[1:]
		}
		name, attrs := splitTag(tag)
		selfClosing := len(attrs) > 0 && attrs[len(attrs)-1] == '/'
		switch {
		case closing && name == "sheetData":
			s.done = true
			if inRow {
				return nil
			}
			return io.EOF
		case closing && name == "row":
			return nil
		case closing && name == "c":
			inCell = false
		case closing:
		case name == "row":
			s.row++
			if v, ok := attrValue(attrs, "r"); ok {
				if n, err := strconv.Atoi(string(v)); err == nil {
					s.row = n
				}
			}
			ra.num, inRow, col = s.row, true, 0
			if selfClosing {
				return nil
			}
		case name == "c" && inRow:
			col++
			c := cellAttrs{col: col - 1}
			if v, ok := attrValue(attrs, "r"); ok {
				if i := refColumn(v); i >= 0 {
					c.col, col = i, i+1
				}
			}
			if v, ok := attrValue(attrs, "s"); ok {
				c.style, _ = strconv.Atoi(string(v))
			}
			if v, ok := attrValue(attrs, "t"); ok {
				c.typ = internType(v)
			}
			ra.cells = append(ra.cells, c)
			inCell = !selfClosing
		case name == "f" && inCell:
			ra.cells[len(ra.cells)-1].formula = true
		}
	}
	if inRow {
		return nil
	}
	return io.EOF
}

// readTag skips to the next '<' and returns the tag's bytes between '<' and
// '>', or an empty slice for comments, CDATA and processing instructions.
// The slice is valid until the next call.
func (s *cellScanner) readTag() ([]byte, error) {
	for {
		_, err := s.br.ReadSlice('<')
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
	if head, _ := s.br.Peek(3); len(head) > 0 && (head[0] == '!' || head[0] == '?') {
		return nil, s.skipSpecial(head)
	}
	s.tag = s.tag[:0]
	quote := byte(0)
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		for _, b := range chunk {
			switch {
			case quote != 0 && b == quote:
				quote = 0
			case quote == 0 && (b == '"' || b == '\''):
				quote = b
			}
		}
		if err == nil && quote == 0 {
			if len(s.tag) == 0 {
				return chunk[:len(chunk)-1], nil
			}
			s.tag = append(s.tag, chunk[:len(chunk)-1]...)
			return s.tag, nil
		}
		// A '>' inside a quoted attribute value, or a tag longer than the buffer.
		s.tag = append(s.tag, chunk...)
	}
}

// skipSpecial skips a comment, a CDATA section, a DOCTYPE or a processing
// instruction whose opening '<' was just read.
func (s *cellScanner) skipSpecial(head []byte) error {
	end := []byte(">")
	switch {
	case bytes.HasPrefix(head, []byte("!--")):
		end = []byte("-->")
	case bytes.HasPrefix(head, []byte("![")):
		end = []byte("]]>")
	case head[0] == '?':
		end = []byte("?>")
	}
	var tail []byte
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		tail = append(tail, chunk...)
		if len(tail) > len(end) {
			tail = tail[len(tail)-len(end):]
		}
		if err == nil && bytes.HasSuffix(tail, end) {
			return nil
		}
	}
}

// splitTag splits a tag into its local name (without a namespace prefix)
// and the rest.
func splitTag(tag []byte) (string, []byte) {
	i := 0
	for i < len(tag) && !isSpace(tag[i]) && tag[i] != '/' {
		i++
	}
	name := tag[:i]
	if j := bytes.LastIndexByte(name, ':'); j >= 0 {
		name = name[j+1:]
	}
	// Only the names the scanner acts on are turned into strings, to keep the
	// scan free of allocations.
	switch string(name) {
	case "c":
		return "c", tag[i:]
	case "f":
		return "f", tag[i:]
	case "row":
		return "row", tag[i:]
	case "sheetData":
		return "sheetData", tag[i:]
	}
	return "", tag[i:]
}

// attrValue finds an unprefixed attribute's value in a tag's attribute bytes.
func attrValue(attrs []byte, name string) ([]byte, bool) {
	i := 0
	for i < len(attrs) {
		for i < len(attrs) && (isSpace(attrs[i]) || attrs[i] == '/') {
			i++
		}
		start := i
		for i < len(attrs) && attrs[i] != '=' && !isSpace(attrs[i]) {
			i++
		}
		key := attrs[start:i]
		for i < len(attrs) && (isSpace(attrs[i]) || attrs[i] == '=') {
			i++
		}
		if i >= len(attrs) || (attrs[i] != '"' && attrs[i] != '\'') {
			return nil, false
		}
		q := attrs[i]
		i++
		vs := i
		for i < len(attrs) && attrs[i] != q {
			i++
		}
		if string(key) == name {
			return attrs[vs:i], true
		}
		i++
	}
	return nil, false
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// refColumn returns the 0-based column of a cell reference such as "AB12";
// -1 if it has no column letters.
func refColumn(ref []byte) int {
	i := 0
	for i < len(ref) && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z')) {
		i++
	}
	if i == 0 {
		return -1
	}
	return connectors.ColumnIndex(string(ref[:i]))
}

// errScan wraps a scanner failure with the part it was reading.
func errScan(part string, err error) error {
	return fmt.Errorf("scanning cell types in %s: %w", part, err)
}

// internType returns a cell type attribute as a string without allocating
// for the values the specification defines.
func internType(v []byte) string {
	switch string(v) {
	case "s":
		return "s"
	case "n":
		return "n"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	}
	return string(v)
}
