package connectors

import "fmt"

// Location says where a value sits in a partner's input, so that an error can
// point at it. Only the fields that apply are set.
type Location struct {
	File    string `json:"file,omitempty"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`    // 1-based, as the user sees it
	Column  string `json:"column,omitempty"` // letter or header
	Segment string `json:"segment,omitempty"`
	Pointer string `json:"pointer,omitempty"` // JSON pointer
}

// String renders the location for people: "prices.xlsx sheet 价格 row 12 column C".
func (l Location) String() string {
	s := ""
	add := func(k, v string) {
		if v == "" {
			return
		}
		if s != "" {
			s += " "
		}
		s += k + v
	}
	add("", l.File)
	add("sheet ", l.Sheet)
	if l.Row > 0 {
		add("row ", fmt.Sprint(l.Row))
	}
	add("column ", l.Column)
	add("segment ", l.Segment)
	add("", l.Pointer)
	return s
}

// Record is one neutral record a format decoder produces (a spreadsheet row, a
// JSON object, an EDI segment group) for a mapping to turn into canonical
// documents.
type Record struct {
	Location Location
	// Fields holds the values by name (header, element id, JSON key).
	Fields map[string]string
}
