package edifactmap

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// cpsNode is one CPS group of a DESADV: a level of the packing hierarchy
// (consignment, pallet, carton) with its packaging and its lines.
type cpsNode struct {
	s                  seg
	id, parent         string
	implicit           bool // lines before any CPS
	pkgType            string
	weight, weightUnit string
	ssccs              []string
	lines              []any
}

// cpsForest is a DESADV's CPS groups in message order.
type cpsForest struct {
	nodes []*cpsNode
	lines int
}

// cpsTree reads the detail section of a DESADV (from its first CPS or
// LIN) into CPS nodes; tail is the summary from UNS on.
func (r *reader) cpsTree(detail []seg, ext map[string]any) (cpsForest, []seg) {
	var f cpsForest
	var cur *cpsNode
	i := 0
	for i < len(detail) && detail[i].Tag != "UNS" {
		s := detail[i]
		switch s.Tag {
		case "CPS":
			cur = &cpsNode{s: s, id: s.Value(1), parent: s.Value(2)}
			if cur.id == "" {
				r.p.At(s, 1, 1, CodeMissingElement, "CPS has no hierarchical id (7164)")
			}
			f.nodes = append(f.nodes, cur)
			i++
		case "LIN":
			if cur == nil {
				cur = &cpsNode{s: s, implicit: true}
				f.nodes = append(f.nodes, cur)
			}
			j := i + 1
			for j < len(detail) && detail[j].Tag != "LIN" && detail[j].Tag != "CPS" && detail[j].Tag != "UNS" {
				j++
			}
			cur.lines = append(cur.lines, r.shipmentLine(readItem(detail[i:j]), ext))
			f.lines++
			i = j
		default:
			if cur != nil {
				r.packaging(cur, s)
			}
			i++
		}
	}
	return f, detail[i:]
}

// packaging reads a PAC, MEA or GIN BJ of a CPS group.
func (r *reader) packaging(n *cpsNode, s seg) {
	switch s.Tag {
	case "PAC":
		if n.pkgType == "" {
			n.pkgType = packageType(s)
		}
	case "MEA":
		if d := s.Component(2, 1); (d == "AAB" || d == "G") && n.weight == "" {
			n.weight, _ = r.decimal(s, 3, 2, "gross weight")
			if s.Component(3, 1) != "" {
				n.weightUnit = r.unitOf(s, 3, 1)
			}
		}
	case "GIN":
		if s.Value(1) != "BJ" {
			return
		}
		for el := 2; el <= 6; el++ {
			id := s.Component(el, 1)
			if id == "" {
				continue
			}
			if len(id) == 20 && strings.HasPrefix(id, "00") {
				id = id[2:] // written with its GS1 application identifier
			}
			if len(id) != 18 || !edimap.Digits(id) {
				r.p.At(s, el, 1, CodeBadValue, "SSCC %q is not 18 digits", s.Component(el, 1))
				continue
			}
			n.ssccs = append(n.ssccs, id)
		}
	}
}

// shipmentLine maps one LIN group of a DESADV: QTY 12 is the despatched
// quantity; RFF ON (1154 order number, 1156 order line) or RFF LI (line
// number) the order line; PIA NB or GIN BX the batch; GIN BN the serial
// numbers.
func (r *reader) shipmentLine(it item, ext map[string]any) map[string]any {
	line := map[string]any{}
	gtin := r.gtin(it)
	set(line, "sku", r.sku(it, gtin, true, ext))
	set(line, "gtin", gtin)
	set(line, "description", it.desc)
	q, unit, found := r.qty(it.qtys, "12")
	if !found {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "line has no QTY 12 (despatched quantity)")
	} else {
		set(line, "quantity", q)
		line["unit"] = unit
	}
	for _, f := range it.refs {
		switch f.Component(1, 1) {
		case "ON":
			set(line, "order_external_id", f.Component(1, 2))
			r.refLine(line, f, 3)
		case "LI":
			r.refLine(line, f, 2)
		}
	}
	if id, ok := it.id([]string{"NB"}); ok {
		line["batch"] = id.number
	}
	var serials []string
	for _, g := range it.gins {
		for el := 2; el <= 6; el++ {
			switch v := g.Component(el, 1); {
			case v == "":
			case g.Value(1) == "BN":
				serials = append(serials, v)
			case g.Value(1) == "BX" && line["batch"] == nil:
				line["batch"] = v
			}
		}
	}
	if len(serials) > 0 {
		line["serial_numbers"] = toAny(serials)
	}
	return line
}

// refLine reads an order line number from component comp of an RFF.
func (r *reader) refLine(line map[string]any, f seg, comp int) {
	v := f.Component(1, comp)
	if v == "" || line["line_no"] != nil {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		r.p.At(f, 1, comp, CodeBadValue, "order line number %q is not a whole number of 1 or more", v)
		return
	}
	line["line_no"] = n
}

// packages checks the CPS hierarchy and returns the shipment's packages:
// one per CPS that holds lines, in message order. Parent ids (7166) may
// point forwards; an empty or "0" parent is a top level. A package's
// nearest ancestor with an SSCC (its pallet) is kept as
// "edifact.package.<n>.parent_sscc", SSCCs past a CPS's first as
// "edifact.package.<n>.extra_ssccs", and the SSCCs of CPS levels that are
// nobody's ancestor and hold no lines as "edifact.other_ssccs".
func (r *reader) packages(f cpsForest, ext map[string]any) []any {
	byID := map[string]*cpsNode{}
	for _, n := range f.nodes {
		if n.implicit || n.id == "" {
			continue
		}
		if byID[n.id] != nil {
			r.p.At(n.s, 1, 1, CodeBadHierarchy, "CPS id %q is used twice (first at segment %d)", n.id, byID[n.id].s.Pos)
			continue
		}
		byID[n.id] = n
	}
	parentOf := func(n *cpsNode) *cpsNode {
		if n.parent == "" || n.parent == "0" {
			return nil
		}
		return byID[n.parent]
	}
	for _, n := range f.nodes {
		if n.parent != "" && n.parent != "0" && byID[n.parent] == nil {
			r.p.At(n.s, 2, 1, CodeBadHierarchy, "CPS %s names parent %q, which no CPS has", n.id, n.parent)
		}
		steps := 0
		for a := parentOf(n); a != nil && steps <= len(f.nodes); a = parentOf(a) {
			steps++
		}
		if steps > len(f.nodes) {
			r.p.At(n.s, 2, 1, CodeBadHierarchy, "CPS %s is its own ancestor", n.id)
			return nil
		}
	}
	used := map[*cpsNode]bool{}
	var out []any
	for _, n := range f.nodes {
		if len(n.lines) == 0 {
			continue
		}
		used[n] = true
		k := len(out) + 1
		pkg := map[string]any{"lines": n.lines}
		if len(n.ssccs) > 0 {
			pkg["sscc"] = n.ssccs[0]
		}
		if len(n.ssccs) > 1 {
			ext[fmt.Sprintf("edifact.package.%d.extra_ssccs", k)] = strings.Join(n.ssccs[1:], ",")
		}
		set(pkg, "package_type", n.pkgType)
		set(pkg, "gross_weight", n.weight)
		set(pkg, "weight_unit", n.weightUnit)
		parentSet := false
		for a := parentOf(n); a != nil; a = parentOf(a) {
			used[a] = true
			if len(a.ssccs) > 0 && !parentSet {
				ext[fmt.Sprintf("edifact.package.%d.parent_sscc", k)] = a.ssccs[0]
				parentSet = true
			}
		}
		out = append(out, pkg)
	}
	var others []string
	for _, n := range f.nodes {
		if !used[n] {
			others = append(others, n.ssccs...)
		}
	}
	if len(others) > 0 {
		ext["edifact.other_ssccs"] = strings.Join(others, ",")
	}
	return out
}
