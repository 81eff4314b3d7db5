package edifact

import (
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
)

// Delimiters are an interchange's service characters, as its UNA service
// string advice gives them or as the defaults of its syntax level.
type Delimiters struct {
	// Component separates the components of a composite (':').
	Component byte
	// Element separates data elements ('+').
	Element byte
	// Decimal is the advised decimal mark ('.' or ','); data may use
	// either mark whatever it says (see Decimal).
	Decimal byte
	// Release makes the next character literal ('?'); 0 for none.
	Release byte
	// Repetition separates the repetitions of an element ('*' in
	// syntax version 4); 0 for none (syntax 3 reserves the position and
	// writes a space there).
	Repetition byte
	// Segment ends a segment ('\'').
	Segment byte
}

// DefaultDelimiters returns the delimiters an interchange uses without
// UNA: ":+.? '" for syntax version 3 and ":+.?*'" for version 4.
func DefaultDelimiters(syntaxVersion string) Delimiters {
	d := Delimiters{Component: ':', Element: '+', Decimal: '.', Release: '?', Segment: '\''}
	if syntaxVersion == "4" {
		d.Repetition = '*'
	}
	return d
}

// levelBDelimiters are the defaults of syntax level B (UNOB) without UNA:
// the information separators IS1, IS3 and IS4, and no release character.
func levelBDelimiters() Delimiters {
	return Delimiters{Component: 0x1f, Element: 0x1d, Decimal: '.', Segment: 0x1c}
}

// UNA returns the nine-character service string advice for d: "UNA:+.? '".
func (d Delimiters) UNA() string {
	b := []byte("UNA")
	b = append(b, d.Component, d.Element, orSpace(d.Decimal), orSpace(d.Release), orSpace(d.Repetition), d.Segment)
	return string(b)
}

// advice returns the six characters after "UNA".
func (d Delimiters) advice() string { return d.UNA()[3:] }

func orSpace(c byte) byte {
	if c == 0 {
		return ' '
	}
	return c
}

// Validate checks that the delimiters can be told apart from data and
// from each other: ASCII, not letters, digits or space, all different.
func (d Delimiters) Validate() error {
	named := []struct {
		name string
		c    byte
		opt  bool
	}{
		{"component separator", d.Component, false},
		{"element separator", d.Element, false},
		{"segment terminator", d.Segment, false},
		{"release character", d.Release, true},
		{"repetition separator", d.Repetition, true},
	}
	seen := map[byte]string{}
	for _, n := range named {
		if n.c == 0 && n.opt {
			continue
		}
		if n.c == 0 || n.c >= 0x80 || n.c == ' ' || isAlnum(n.c) {
			return fmt.Errorf("the %s %q cannot be a delimiter (use punctuation or a control character)", n.name, n.c)
		}
		if other, ok := seen[n.c]; ok {
			return fmt.Errorf("the %s and the %s are both %q", other, n.name, n.c)
		}
		seen[n.c] = n.name
	}
	if d.Decimal != 0 && d.Decimal != '.' && d.Decimal != ',' {
		return fmt.Errorf("the decimal mark %q is neither '.' nor ','", d.Decimal)
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// parseUNA reads the six advice characters after "UNA". A space in the
// release or repetition position means none.
func parseUNA(adv []byte, off int64) (Delimiters, error) {
	d := Delimiters{
		Component: adv[0], Element: adv[1], Decimal: adv[2],
		Release: adv[3], Repetition: adv[4], Segment: adv[5],
	}
	if d.Release == ' ' {
		d.Release = 0
	}
	if d.Repetition == ' ' {
		d.Repetition = 0
	}
	for _, c := range adv {
		if c >= 0x80 {
			return d, &connectors.EDIError{Pos: 1, Offset: off, Tag: "UNA", Code: "bad_una",
				Message: fmt.Sprintf("service string advice %q: byte 0x%02X is not an ASCII character", adv, c)}
		}
	}
	if d.Decimal != '.' && d.Decimal != ',' {
		// Files in the wild put a space or other filler there; data may
		// use either mark anyway, so the advice is not worth refusing.
		d.Decimal = '.'
	}
	if err := d.Validate(); err != nil {
		return d, &connectors.EDIError{Pos: 1, Offset: off, Tag: "UNA", Code: "bad_una",
			Message: fmt.Sprintf("service string advice %q: %v", string(adv), err)}
	}
	return d, nil
}
