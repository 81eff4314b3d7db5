package x12

import "github.com/dealerhub/dealerhub/connectors"

// slab hands out small slices carved from larger blocks, so that a
// segment costs a few allocations per thousand segments instead of a few
// per element. Each slice is capped at its length, so appending to one
// never writes into its neighbour.
type slab struct {
	strs  []string
	reps  [][]string
	elems []connectors.EDIElement
}

const slabBlock = 2048

func (s *slab) strings(n int) []string {
	if n > len(s.strs) {
		s.strs = make([]string, max(n, slabBlock))
	}
	out := s.strs[:n:n]
	s.strs = s.strs[n:]
	return out
}

func (s *slab) repetitions(n int) [][]string {
	if n > len(s.reps) {
		s.reps = make([][]string, max(n, slabBlock))
	}
	out := s.reps[:n:n]
	s.reps = s.reps[n:]
	return out
}

func (s *slab) elements(n int) []connectors.EDIElement {
	if n > len(s.elems) {
		s.elems = make([]connectors.EDIElement, max(n, slabBlock/4))
	}
	out := s.elems[:n:n]
	s.elems = s.elems[n:]
	return out
}

// split turns the text of one segment (without its terminator) into an
// EDISegment with the current delimiters. An empty element is nil.
//
// One pass over the bytes notes where the delimiters are; the rest works
// on those marks only, so a segment costs one look at each byte.
func (t *Tokenizer) split(s string) connectors.EDISegment {
	cls := &t.class
	tag := 0
	for tag < len(s) && cls[s[tag]] != classElement {
		tag++
	}
	seg := connectors.EDISegment{Tag: s[:tag]}
	if tag == len(s) {
		return seg
	}
	marks := t.marks[:0]
	for i := tag + 1; i < len(s); i++ {
		if c := cls[s[i]]; c != classData {
			marks = append(marks, uint64(i)<<2|uint64(c))
		}
	}
	marks = append(marks, uint64(len(s))<<2|uint64(classElement)) // the end closes the last element
	t.marks = marks
	// Count elements, and the repetitions and components of the
	// elements that are not empty.
	nElems, nReps, nComps := 0, 0, 0
	elemStart, reps, comps := tag+1, 1, 1
	for _, m := range marks {
		switch pos := int(m >> 2); byte(m & 3) {
		case classComponent:
			comps++
		case classRepetition:
			reps++
			comps++
		default:
			nElems++
			if pos > elemStart {
				nReps += reps
				nComps += comps
			}
			elemStart, reps, comps = pos+1, 1, 1
		}
	}
	elems := t.slab.elements(nElems)
	repPool := t.slab.repetitions(nReps)
	compPool := t.slab.strings(nComps)
	// Cut the values.
	e, from := 0, tag+1
	elemStart = from
	rp, cp, ri, ci := 0, 0, 0, 0 // where the element's repetitions and the repetition's components start; next free
	for _, m := range marks {
		pos, c := int(m>>2), byte(m&3)
		if c == classElement && pos == elemStart { // an empty element stays nil
			e++
			elemStart, from = pos+1, pos+1
			continue
		}
		compPool[ci] = s[from:pos]
		ci++
		from = pos + 1
		if c == classComponent {
			continue
		}
		repPool[ri] = compPool[cp:ci:ci]
		ri++
		cp = ci
		if c == classRepetition {
			continue
		}
		elems[e] = repPool[rp:ri:ri]
		rp = ri
		e++
		elemStart = pos + 1
	}
	seg.Elements = elems
	return seg
}

// splitISA splits the ISA (without its terminator) on the element
// separator only: ISA11 and ISA16 are delimiters themselves, and the
// fixed-width values keep their padding.
func (t *Tokenizer) splitISA(s string) connectors.EDISegment {
	seg := connectors.EDISegment{Tag: "ISA"}
	elems := t.slab.elements(16)
	vals := t.slab.strings(16)
	reps := t.slab.repetitions(16)
	at := 4
	for i, w := range isaWidths {
		vals[i] = s[at : at+w]
		at += w + 1
		reps[i] = vals[i : i+1 : i+1]
		elems[i] = reps[i : i+1 : i+1]
	}
	seg.Elements = elems
	return seg
}
