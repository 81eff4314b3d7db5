package schemas

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Violation is one way a document breaks its schema.
type Violation struct {
	Pointer string `json:"pointer"` // JSON pointer into the instance, "" for the root
	Reason  string `json:"reason"`  // readable English, names the property/value
}

// String renders the violation as "pointer: reason".
func (v Violation) String() string {
	if v.Pointer == "" {
		return v.Reason
	}
	return v.Pointer + ": " + v.Reason
}

// unitSchemaURL locates the unit enum, whose violations suggest the code a
// partner's unit word stands for.
const unitSchemaURL = BaseURL + "common.json#/$defs/unit"

// violations flattens a validation error tree to its leaves, one Violation
// per problem, sorted by pointer (array indexes in numeric order) and
// de-duplicated. A missing or unexpected property gets the pointer of the
// property itself.
func (h hints) violations(ve *jsonschema.ValidationError, doc any, root string) []Violation {
	var out []Violation
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if _, ok := e.ErrorKind.(*kind.PropertyNames); !ok && len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		out = append(out, h.leaf(e, doc, root)...)
	}
	walk(ve)
	slices.SortFunc(out, func(a, b Violation) int {
		if c := comparePointers(a.Pointer, b.Pointer); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	return slices.Compact(out)
}

// leaf turns one leaf error into violations with readable reasons.
func (h hints) leaf(e *jsonschema.ValidationError, doc any, root string) []Violation {
	loc := e.InstanceLocation
	at := func(tokens []string, reason string) Violation {
		return Violation{Pointer: pointer(tokens), Reason: reason}
	}
	name := label(loc, root)
	value, _ := lookup(doc, loc)
	expect := h.expect[e.SchemaURL]
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		vs := make([]Violation, len(k.Missing))
		for i, p := range k.Missing {
			vs[i] = at(child(loc, p), fmt.Sprintf("required property %q is missing", p))
		}
		return vs
	case *kind.AdditionalProperties:
		vs := make([]Violation, len(k.Properties))
		for i, p := range k.Properties {
			reason := fmt.Sprintf("unexpected property %q", p)
			if s := closest(p, h.props[e.SchemaURL]); s != "" {
				reason += fmt.Sprintf(" (did you mean %q?)", s)
			}
			vs[i] = at(child(loc, p), reason)
		}
		return vs
	case *kind.PropertyNames:
		return []Violation{at(child(loc, k.Property), fmt.Sprintf("property name %q is not allowed", k.Property))}
	case *kind.DependentRequired:
		return []Violation{at(loc, fmt.Sprintf("%s: property %q needs %s too", name, k.Prop, quoteAll(k.Missing)))}
	case *kind.FalseSchema:
		return []Violation{at(loc, fmt.Sprintf("property %s is not allowed here", name))}
	}
	return []Violation{at(loc, name+" "+h.predicate(e, value, expect))}
}

// predicate phrases what is wrong with a value, to follow its label.
func (h hints) predicate(e *jsonschema.ValidationError, value any, expect string) string {
	must := func(fallback string) string {
		if expect != "" {
			return "must be " + expect + ", got " + describe(value)
		}
		return fallback
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		reason := must(fmt.Sprintf("must be %s, got %s", typeNames(k.Want), describe(value)))
		if isNumber(value) && slices.Contains(k.Want, "string") {
			reason += fmt.Sprintf(" (write it as a JSON string: \"%v\")", value)
		}
		return reason
	case *kind.Pattern:
		return must(fmt.Sprintf("%s does not match the pattern %s", describe(value), k.Want))
	case *kind.Format:
		return must(fmt.Sprintf("must be a valid %s, got %s", k.Want, describe(value)))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		reason := must(fmt.Sprintf("must be one of %s; got %s", strings.Join(want, ", "), describe(value)))
		if s, ok := value.(string); ok {
			if code, ok := NormalizeUnit(s); ok && e.SchemaURL == unitSchemaURL {
				reason += fmt.Sprintf(" (write the code %q)", code)
			} else if c := closest(s, want); c != "" {
				reason += fmt.Sprintf(" (did you mean %q?)", c)
			}
		}
		return reason
	case *kind.Const:
		return fmt.Sprintf("must be %v, got %s", k.Want, describe(value))
	case *kind.MinLength:
		if k.Want == 1 {
			return "must not be empty"
		}
		return fmt.Sprintf("must be at least %d characters long, got %d", k.Want, k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("must be at most %d characters long, got %d", k.Want, k.Got)
	case *kind.MinItems:
		return fmt.Sprintf("must have at least %d %s, got %d", k.Want, plural(k.Want, "item"), k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("must have at most %d %s, got %d", k.Want, plural(k.Want, "item"), k.Got)
	case *kind.UniqueItems:
		return fmt.Sprintf("must not repeat an item: items %d and %d are equal", k.Duplicates[0], k.Duplicates[1])
	case *kind.Minimum:
		return fmt.Sprintf("must be at least %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.Maximum:
		return fmt.Sprintf("must be at most %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("must be more than %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("must be less than %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.MultipleOf:
		return fmt.Sprintf("must be a multiple of %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.Not:
		if r := h.reason[e.SchemaURL]; r != "" {
			return r
		}
		return "has a form that is not allowed"
	case *kind.InvalidJsonValue:
		return fmt.Sprintf("holds a Go %T, which is not a JSON value", k.Value)
	}
	return fmt.Sprintf("fails the schema rule %q", strings.Join(e.ErrorKind.KeywordPath(), "/"))
}

// label names the value at loc for a reason: its property name, or the
// array and index ("lines[2]"), or root for the whole document.
func label(loc []string, root string) string {
	if len(loc) == 0 {
		return root
	}
	last := loc[len(loc)-1]
	if _, err := strconv.Atoi(last); err == nil {
		if len(loc) == 1 {
			return root + "[" + last + "]"
		}
		return loc[len(loc)-2] + "[" + last + "]"
	}
	return last
}

// describe shows a JSON value briefly in a reason: strings quoted (cut when
// long), numbers and booleans with their type so "a number" mistakes stand
// out.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		if r := []rune(t); len(r) > 60 {
			t = string(r[:57]) + "..."
		}
		return strconv.Quote(t)
	case bool:
		return fmt.Sprintf("the boolean %t", t)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	default:
		return fmt.Sprintf("the number %v", t)
	}
}

func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	}
	return false
}

func typeNames(want []string) string {
	names := make([]string, len(want))
	for i, w := range want {
		switch w {
		case "object":
			names[i] = "a JSON object"
		case "array":
			names[i] = "an array"
		case "integer":
			names[i] = "a whole number"
		default:
			names[i] = "a " + w
		}
	}
	return strings.Join(names, " or ")
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func child(loc []string, tok string) []string {
	return append(slices.Clip(loc), tok)
}

// pointer renders tokens as an RFC 6901 JSON pointer.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// comparePointers orders pointers token by token, array indexes by number,
// so /lines/2 sorts before /lines/10.
func comparePointers(a, b string) int {
	at, bt := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(at) && i < len(bt); i++ {
		if at[i] == bt[i] {
			continue
		}
		an, aerr := strconv.Atoi(at[i])
		bn, berr := strconv.Atoi(bt[i])
		if aerr == nil && berr == nil {
			return cmp.Compare(an, bn)
		}
		return strings.Compare(at[i], bt[i])
	}
	return cmp.Compare(len(at), len(bt))
}

// lookup finds the value at the unescaped tokens loc.
func lookup(doc any, loc []string) (any, bool) {
	v := doc
	for _, tok := range loc {
		switch t := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = t[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// closest returns the candidate nearest to s, ignoring case, when it is
// near enough to be a likely typo; else "".
func closest(s string, candidates []string) string {
	limit := min(3, max(1, utf8.RuneCountInString(s)/3))
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d > 0 && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ar, br := []rune(a), []rune(b)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(br)]
}
