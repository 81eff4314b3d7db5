package x12map

import (
	"slices"

	"github.com/dealerhub/dealerhub/connectors"
)

// hlNode is one HL level of an 856 with the segments that follow it up
// to the next HL.
type hlNode struct {
	hl       connectors.EDISegment
	id       string
	parentID string
	level    string
	segs     []connectors.EDISegment
	parent   *hlNode
	children []*hlNode
}

// hlLevels are the HL03 level codes read: shipment, order, tare (pallet),
// pack, item.
var hlLevels = []string{"S", "O", "T", "P", "I"}

// splitHL cuts an 856 body into the segments before the first HL, the HL
// nodes in the order they appear, and the CTT (zero when absent).
func splitHL(segs []connectors.EDISegment) (header []connectors.EDISegment, nodes []*hlNode, ctt connectors.EDISegment) {
	var cur *hlNode
	for _, s := range segs {
		switch {
		case s.Tag == "HL":
			cur = &hlNode{hl: s, id: text(s, 1), parentID: text(s, 2), level: text(s, 3)}
			nodes = append(nodes, cur)
		case s.Tag == "CTT":
			ctt, cur = s, nil
		case ctt.Tag != "":
			// after CTT: AMT and the like, not mapped
		case cur == nil:
			header = append(header, s)
		default:
			cur.segs = append(cur.segs, s)
		}
	}
	return header, nodes, ctt
}

// linkHL builds the tree from HL01 and HL02 and returns its shipment
// root. It reports a missing or duplicate id, an unknown level, a parent
// that does not exist, a level other than S without a parent, a second
// root, and cycles; after any of these it returns nil.
func (r *reader) linkHL(nodes []*hlNode) *hlNode {
	before := r.p.Len()
	byID := make(map[string]*hlNode, len(nodes))
	for _, n := range nodes {
		switch {
		case n.id == "":
			r.p.At(n.hl, 1, 0, CodeMissingElement, "hierarchical id (HL01) is missing")
		case byID[n.id] != nil:
			r.p.At(n.hl, 1, 0, CodeBadHierarchy, "HL id %q is used twice (first at segment %d)", n.id, byID[n.id].hl.Pos)
		default:
			byID[n.id] = n
		}
		if !slices.Contains(hlLevels, n.level) {
			r.p.At(n.hl, 3, 0, CodeBadValue, "hierarchical level %q is not one of S, O, T, P, I", n.level)
		}
	}
	var root *hlNode
	for _, n := range nodes {
		switch {
		case n.parentID == "" && n.level != "S":
			r.p.At(n.hl, 2, 0, CodeBadHierarchy, "HL %s (level %s) has no parent; only the shipment level (S) stands alone", n.id, n.level)
		case n.parentID == "" && root != nil:
			r.p.At(n.hl, 3, 0, CodeBadHierarchy, "HL %s is a second shipment level (the first is HL %s)", n.id, root.id)
		case n.parentID == "":
			root = n
		case n.level == "S":
			r.p.At(n.hl, 2, 0, CodeBadHierarchy, "the shipment level HL %s must not have a parent (HL02 %q)", n.id, n.parentID)
		case n.parentID == n.id:
			r.p.At(n.hl, 2, 0, CodeBadHierarchy, "HL %s is its own parent", n.id)
		case byID[n.parentID] == nil:
			r.p.At(n.hl, 2, 0, CodeBadHierarchy, "HL %s names parent HL %q, which does not exist", n.id, n.parentID)
		default:
			n.parent = byID[n.parentID]
			n.parent.children = append(n.parent.children, n)
		}
	}
	for _, n := range nodes {
		steps := 0
		for a := n.parent; a != nil && steps <= len(nodes); a = a.parent {
			steps++
		}
		if steps > len(nodes) {
			r.p.At(n.hl, 2, 0, CodeBadHierarchy, "HL %s is part of a cycle of parents", n.id)
		}
	}
	if root == nil && len(nodes) > 0 && r.p.Len() == before {
		r.p.At(nodes[0].hl, 3, 0, CodeBadHierarchy, "there is no shipment level (HL03 S)")
	}
	if len(nodes) == 0 {
		r.missing("HL", "an 856 needs a shipment level and items")
	}
	if r.p.Len() > before {
		return nil
	}
	return root
}

// ancestor returns the nearest ancestor of n at one of levels.
func (n *hlNode) ancestor(levels ...string) *hlNode {
	for a := n.parent; a != nil; a = a.parent {
		if slices.Contains(levels, a.level) {
			return a
		}
	}
	return nil
}

// has reports whether n holds a segment with tag.
func (n *hlNode) has(tag string) bool {
	return slices.ContainsFunc(n.segs, func(s connectors.EDISegment) bool { return s.Tag == tag })
}
