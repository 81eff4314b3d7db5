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
	// First pass: count elements, and repetitions and components of the
	// elements that are not empty.
	nElems, nReps, nComps := 0, 0, 0
	for i := tag; i < len(s); {
		i++ // the element separator
		from, reps, comps := i, 1, 1
		for ; i < len(s); i++ {
			switch cls[s[i]] {
			case classElement:
				goto done
			case classRepetition:
				reps++
				comps++
			case classComponent:
				comps++
			}
		}
	done:
		nElems++
		if i > from {
			nReps += reps
			nComps += comps
		}
	}
	elems := t.slab.elements(nElems)
	repPool := t.slab.repetitions(nReps)
	compPool := t.slab.strings(nComps)
	// Second pass: cut the values.
	e := 0
	for i := tag; i < len(s); e++ {
		i++
		if i == len(s) || cls[s[i]] == classElement {
			continue // empty element: nil
		}
		nr, nc, from := 0, 0, i
		for {
			c := classElement
			if i < len(s) {
				c = cls[s[i]]
			}
			if c == classData {
				i++
				continue
			}
			compPool[nc] = s[from:i]
			nc++
			from = i + 1
			if c == classComponent {
				i++
				continue
			}
			// The end of a repetition.
			repPool[nr] = compPool[:nc:nc]
			compPool = compPool[nc:]
			nc = 0
			nr++
			if c != classRepetition {
				break // the end of the element or of the segment
			}
			i++
		}
		elems[e] = repPool[:nr:nr]
		repPool = repPool[nr:]
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
