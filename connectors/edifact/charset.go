package edifact

import (
	"golang.org/x/text/encoding/charmap"
)

// charset is a syntax level's repertoire and byte encoding.
type charset struct {
	// id is the syntax identifier ("UNOC"), "" before UNB.
	id string
	// ok[b] reports whether byte b may appear in data (ASCII; high
	// bytes of single-byte sets too).
	ok [256]bool
	// utf8 is set for UNOW and UNOY: high bytes are UTF-8 sequences.
	utf8 bool
	// guess is set before UNB and for unknown identifiers: high bytes
	// are taken as UTF-8 when valid, else as ISO 8859-1, and nothing is
	// refused.
	guess bool
	// decode maps a high byte to its rune in single-byte sets.
	decode *[128]rune
}

// syntaxLevels lists the syntax identifiers the tokenizer knows.
var syntaxLevels = map[string]*charmap.Charmap{
	"UNOA": nil, "UNOB": nil, "UNOW": nil, "UNOY": nil,
	"UNOC": charmap.ISO8859_1, "UNOD": charmap.ISO8859_2, "UNOE": charmap.ISO8859_5,
	"UNOF": charmap.ISO8859_7, "UNOG": charmap.ISO8859_3, "UNOH": charmap.ISO8859_4,
	"UNOI": charmap.ISO8859_6, "UNOJ": charmap.ISO8859_8, "UNOK": charmap.ISO8859_9,
}

// KnownSyntax reports whether the tokenizer reads syntax identifier id
// (UNOA…UNOK, UNOW, UNOY).
func KnownSyntax(id string) bool {
	_, ok := syntaxLevels[id]
	return ok
}

// newCharset returns the repertoire of syntax identifier id; an unknown
// id gets the lenient guessing set.
func newCharset(id string) *charset {
	cs := &charset{id: id}
	// Printable ASCII is the base of every level.
	for b := 0x20; b < 0x7f; b++ {
		cs.ok[b] = true
	}
	cm, known := syntaxLevels[id]
	switch {
	case !known:
		cs.guess = true
		for b := 0x80; b < 0x100; b++ {
			cs.ok[b] = true
		}
	case id == "UNOA":
		// Level A is upper case only. Real level A files also carry
		// # @ _ $ and the like, so only lower-case letters and bytes
		// outside ASCII are refused.
		for b := 'a'; b <= 'z'; b++ {
			cs.ok[b] = false
		}
		cs.decode = latin1Runes()
	case id == "UNOB":
		cs.decode = latin1Runes()
	case id == "UNOW" || id == "UNOY":
		cs.utf8 = true
		for b := 0x80; b < 0x100; b++ {
			cs.ok[b] = true
		}
	default:
		table := new([128]rune)
		for b := 0x80; b < 0x100; b++ {
			r := cm.DecodeByte(byte(b))
			table[b-0x80] = r
			// C1 controls (0x80–0x9F) and unassigned positions are not
			// characters of the set.
			cs.ok[b] = b >= 0xa0 && r != '\uFFFD'
		}
		cs.decode = table
	}
	return cs
}

// latin1Runes decodes stray high bytes in ASCII levels, so the refused
// value still reads as text.
func latin1Runes() *[128]rune {
	t := new([128]rune)
	for b := range t {
		t[b] = rune(b + 0x80)
	}
	return t
}

// encoder returns the encoding a writer uses for syntax identifier id:
// nil for ASCII and UTF-8 levels.
func encoder(id string) *charmap.Charmap { return syntaxLevels[id] }
