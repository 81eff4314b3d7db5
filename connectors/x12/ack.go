package x12

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
)

// AckOptions tune Ack997 and TA1.
type AckOptions struct {
	// Control is ST02 of the 997; empty means "0001".
	Control string
	// SetErrors are data errors found later (by the mappings), keyed by
	// the set's ST02. Their Pos is the segment's position in the
	// interchange (EDISegment.Pos) and their Element/Component locate
	// the value; Code picks the AK4 error code (see AK403Code). They are
	// reported in AK3/AK4 and make the set rejected, or accepted with
	// errors when AcceptWithErrors is set.
	SetErrors map[string][]*connectors.EDIError
	// AcceptWithErrors answers E (accepted, errors noted) instead of R
	// for sets whose only problems are in SetErrors.
	AcceptWithErrors bool
	// Supported reports whether a set type is supported; a set of
	// another type is rejected with AK502 code 1. Nil supports every
	// type.
	Supported func(setType string) bool
	// StrictInterchange makes TA1 reject (R) an interchange for every
	// problem, not only for a missing IEA or a bad ISA value.
	StrictInterchange bool
}

// AK403Code returns the X12 data element syntax error code (AK403, code
// list 723) for an EDIError code: "missing_value" and "mandatory_missing"
// 1, "conditional_missing" 2, "too_many_elements" 3, "too_short" 4,
// "too_long" 5, "bad_character" 6, "bad_code" and "bad_value" 7,
// "bad_date" 8, "bad_time" 9, "too_many_repetitions" 12,
// "too_many_components" 13; any other code is 7 (invalid code value).
func AK403Code(code string) string {
	switch code {
	case "missing_value", "missing_element", "mandatory_missing":
		return "1"
	case "conditional_missing":
		return "2"
	case "too_many_elements":
		return "3"
	case "too_short":
		return "4"
	case "too_long":
		return "5"
	case "bad_character":
		return "6"
	case "bad_date":
		return "8"
	case "bad_time":
		return "9"
	case "too_many_repetitions":
		return "12"
	case "too_many_components":
		return "13"
	}
	return "7"
}

// AK304Code returns the X12 segment syntax error code (AK304, code list
// 720) for an error about a whole segment (Element 0): "unknown_segment"
// 1, "unexpected_segment" 2, "missing_segment" 3, "loop_over_max" 4,
// "segment_over_max" 5, "not_in_set" 6, "out_of_order" 7; anything else,
// and every error about an element, 8 (segment has data element errors).
func AK304Code(e *connectors.EDIError) string {
	if e.Element > 0 {
		return "8"
	}
	switch e.Code {
	case "unknown_segment":
		return "1"
	case "unexpected_segment":
		return "2"
	case "missing_segment":
		return "3"
	case "loop_over_max":
		return "4"
	case "segment_over_max":
		return "5"
	case "not_in_set":
		return "6"
	case "out_of_order":
		return "7"
	}
	return "8"
}

// Ack997 builds the 997 functional acknowledgment of group g of
// interchange ic: AK1 (GS01, GS06, and GS08 from 005010 on); for each set
// AK2 (ST01, ST02), AK3/AK4 for its segment and element errors and AK5
// (A, E or R with AK502 codes: 1 not supported, 2 trailer missing, 3
// control number mismatch, 4 segment count mismatch, 5 segments in error,
// 6/7 bad ST01/ST02, 23 duplicate control number); then AK9 (status,
// sets included per GE01, received, accepted, and AK905 codes: 3 trailer
// missing, 4 control number mismatch, 5 set count mismatch, 6 bad control
// number). Write it with Write and FunctionalID "FA".
func Ack997(ic Interchange, g Group, o AckOptions) OutSet {
	control := cmp.Or(o.Control, "0001")
	five := g.Version >= "005010"
	ak1 := seg("AK1", g.FunctionalID, g.Control)
	if five {
		ak1 = seg("AK1", g.FunctionalID, g.Control, g.Version)
	}
	body := []connectors.EDISegment{ak1}
	accepted, noted := 0, false
	for _, s := range g.Sets {
		segs, status := ackSet(s, five, o)
		body = append(body, segs...)
		if status != "R" {
			accepted++
		}
		noted = noted || status == "E"
	}
	status, codes := groupStatus(g, accepted, noted)
	included := g.DeclaredSets
	if included < 0 {
		included = len(g.Sets)
	}
	ak9 := []string{status, strconv.Itoa(included), strconv.Itoa(len(g.Sets)), strconv.Itoa(accepted)}
	body = append(body, seg("AK9", append(ak9, codes...)...))
	return OutSet{Type: "997", Control: control, Body: body}
}

// groupStatus returns AK901 and the AK905… codes of a group.
func groupStatus(g Group, accepted int, noted bool) (string, []string) {
	var codes []string
	for _, e := range g.Errors {
		switch {
		case e.Code == "truncated":
			codes = addCode(codes, "3")
		case e.Code == "control_mismatch":
			codes = addCode(codes, "4")
		case e.Code == "count_mismatch":
			codes = addCode(codes, "5")
		case e.Code == "bad_value" && e.Element == 6:
			codes = addCode(codes, "6")
		default:
			noted = true // e.g. segments between sets
		}
	}
	switch {
	case len(codes) > 0:
		return "R", codes
	case accepted == 0 && len(g.Sets) > 0:
		return "R", nil
	case accepted < len(g.Sets):
		return "P", nil
	case noted:
		return "E", nil
	}
	return "A", nil
}

// ackSet returns the AK2 loop of one set and its AK501 status.
func ackSet(s Set, five bool, o AckOptions) ([]connectors.EDISegment, string) {
	ak2 := seg("AK2", s.Type, s.ControlNumber)
	if st := s.Segments[0]; five && st.Value(3) != "" {
		ak2 = seg("AK2", s.Type, s.ControlNumber, st.Value(3))
	}
	out := []connectors.EDISegment{ak2}
	if o.Supported != nil && !o.Supported(s.Type) {
		return append(out, seg("AK5", "R", "1")), "R"
	}
	var codes []string
	var located []*connectors.EDIError
	for _, e := range s.Errors {
		switch {
		case e.Code == "truncated":
			codes = addCode(codes, "2")
		case e.Code == "control_mismatch":
			codes = addCode(codes, "3")
		case e.Code == "count_mismatch":
			codes = addCode(codes, "4")
		case e.Code == "duplicate_control":
			codes = addCode(codes, "23")
		case e.Tag == "ST" && e.Element == 1:
			codes = addCode(codes, "6")
		case e.Tag == "ST" && e.Element == 2:
			codes = addCode(codes, "7")
		default:
			located = append(located, e)
		}
	}
	status := "A"
	if len(codes) > 0 || len(located) > 0 {
		status = "R"
	}
	data := o.SetErrors[s.ControlNumber]
	if len(data) > 0 && status == "A" && o.AcceptWithErrors {
		status = "E"
	} else if len(data) > 0 {
		status = "R"
	}
	located = append(located, data...)
	if len(located) > 0 {
		codes = addCode(codes, "5")
		out = append(out, ak3Loops(s, located)...)
	}
	return append(out, seg("AK5", append([]string{status}, codes...)...)), status
}

// ak3Loops reports located errors as AK3 segments, each followed by the
// AK4 segments of its elements, in segment order.
func ak3Loops(s Set, errs []*connectors.EDIError) []connectors.EDISegment {
	stPos := s.Segments[0].Pos
	type key struct {
		pos int
		tag string
	}
	byKey := map[key][]*connectors.EDIError{}
	var keys []key
	for _, e := range errs {
		pos := e.Pos - stPos + 1
		if e.Pos == 0 || pos < 1 {
			pos = len(s.Segments) // unlocated: where the set ends
		}
		k := key{pos, e.Tag}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], e)
	}
	slices.SortStableFunc(keys, func(a, b key) int { return cmp.Compare(a.pos, b.pos) })
	var out []connectors.EDISegment
	for _, k := range keys {
		group := byKey[k]
		tag := k.tag
		if tag == "" && k.pos <= len(s.Segments) {
			tag = s.Segments[k.pos-1].Tag
		}
		code := AK304Code(group[0])
		for _, e := range group {
			if e.Element > 0 {
				code = "8"
			}
		}
		out = append(out, seg("AK3", safeCopy(tag, 3), strconv.Itoa(k.pos), "", code))
		for _, e := range group {
			if e.Element > 0 {
				out = append(out, ak4(s, k.pos, e))
			}
		}
	}
	return out
}

// ak4 reports one element error.
func ak4(s Set, pos int, e *connectors.EDIError) connectors.EDISegment {
	where := strconv.Itoa(e.Element)
	if e.Component > 0 {
		where = connectors.Comp(where, strconv.Itoa(e.Component))
	}
	bad := ""
	if pos <= len(s.Segments) && s.Segments[pos-1].Tag == e.Tag {
		in := s.Segments[pos-1]
		reps := in.Repeats(e.Element)
		switch {
		case e.Component > 0:
			bad = safeCopy(in.Component(e.Element, e.Component), 99)
		case len(reps) == 1 && len(reps[0]) == 1:
			bad = safeCopy(reps[0][0], 99)
		}
	}
	return seg("AK4", where, "", AK403Code(e.Code), bad)
}

// seg builds a segment without its trailing empty elements.
func seg(tag string, values ...string) connectors.EDISegment {
	for len(values) > 0 && values[len(values)-1] == "" {
		values = values[:len(values)-1]
	}
	return connectors.Seg(tag, values...)
}

// safeCopy returns v for a copy of bad data (AK404) when it is short and
// made of characters no delimiter uses, otherwise "": the 997 is written
// with delimiters the bad data may contain.
func safeCopy(v string, maxLen int) string {
	if len(v) > maxLen {
		return ""
	}
	for i := range len(v) {
		c := v[i]
		if !isAlnum(c) && c != ' ' && c != '.' && c != '-' && c != '/' && c != ',' && c != '#' && c != '&' && c != '(' && c != ')' {
			return ""
		}
	}
	return v
}

// addCode appends a code once, keeping at most five (AK502…AK506,
// AK905…AK909).
func addCode(codes []string, c string) []string {
	if len(codes) >= 5 || slices.Contains(codes, c) {
		return codes
	}
	return append(codes, c)
}

// TA1 builds the interchange acknowledgment of ic: TA101 ISA13, TA102
// ISA09, TA103 ISA10, TA104 A (accepted), E (accepted with errors) or R
// (rejected), TA105 the note code of its first problem in this order: 023
// premature end (no IEA, R), 025 duplicate interchange control number
// (R), 014–020 an invalid ISA value (R), 001
// control number mismatch (E), 021 group count mismatch (E), 024 invalid
// content such as segments outside any group (E); 000 when clean. With
// o.StrictInterchange every problem is R.
func TA1(ic Interchange, o AckOptions) connectors.EDISegment {
	status, note := "A", "000"
	best := len(ta1Order)
	for _, e := range ic.Errors {
		n := ta1Note(e)
		if i := slices.Index(ta1Order, n); i >= 0 && i < best {
			best = i
		}
	}
	if best < len(ta1Order) {
		note = ta1Order[best]
		status = "E"
		if o.StrictInterchange || note == "023" || note == "025" || note >= "014" && note <= "020" {
			status = "R"
		}
	}
	return seg("TA1", ic.Control, ic.Date, ic.Time, status, note)
}

var ta1Order = []string{"023", "025", "014", "015", "016", "017", "018", "019", "020", "001", "021", "024"}

// ta1Note maps an interchange error to a TA105 note code.
func ta1Note(e *connectors.EDIError) string {
	switch e.Code {
	case "truncated":
		return "023"
	case "control_mismatch":
		return "001"
	case "count_mismatch":
		return "021"
	case "duplicate_interchange":
		return "025"
	case "bad_value":
		if e.Tag == "ISA" && e.Element >= 9 && e.Element <= 15 {
			return [...]string{"014", "015", "016", "017", "018", "019", "020"}[e.Element-9]
		}
	}
	return "024"
}
