package mappings

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// source is a compiled field: where its value comes from and how it is
// cleaned.
type source struct {
	field      string
	synonyms   []string // header texts, when found by header
	letter     int      // column index when bound by letter; -1 otherwise
	constant   *string  // the transformed constant
	def        string
	hasDef     bool
	transforms []transformFunc
	lookup     map[string]string
	lookupErr  bool
	required   bool
	strict     bool // matched by whole header only; see FieldInfo.Strict
}

// plan is a mapping compiled for one run.
type plan struct {
	m         *Mapping
	sources   []source    // line (price_list) or document fields
	tiers     [][2]source // price_list quantity breaks
	scan      int
	skipAny   []string
	skipFirst []string
	// docTax is the price list's tax basis as the mapping's document
	// constants set it (tax_included, tax_rate).
	docTax taxBasis
}

// compile checks a mapping's field sources and transforms and prepares
// them.
func compile(m *Mapping) (*plan, error) {
	infos := BuiltinFields(m.DocType)
	if infos == nil {
		return nil, fmt.Errorf("mapping %q: the spreadsheet engine maps %s", m.DocType, strings.Join(DocTypes, ", "))
	}
	p := &plan{m: m, scan: m.ScanRows}
	if p.scan <= 0 {
		p.scan = DefaultScanRows
	}
	p.scan = max(p.scan, m.HeaderRow)
	if m.DocType == "price_list" {
		var err error
		if p.docTax, err = documentTax(m.Document); err != nil {
			return nil, err
		}
	}
	if m.SkipRowsWhere != nil {
		p.skipAny, p.skipFirst = m.SkipRowsWhere.AnyCellStartsWith, m.SkipRowsWhere.FirstCellStartsWith
	} else {
		p.skipFirst = DefaultSummaryWords()
	}
	seen := map[string]bool{}
	for _, info := range infos {
		seen[info.Name] = true
		f, listed := m.Fields[info.Name]
		if !listed {
			// The document sets it; but a price list's tax basis on the
			// header is only the lines' default, so a tax column still
			// gives each line its own.
			if _, isConst := m.Document[info.Name]; isConst && info.Name != "tax_included" && info.Name != "tax_rate" {
				continue
			}
		}
		s, err := newSource(info, f)
		if err != nil {
			return nil, err
		}
		p.sources = append(p.sources, s)
	}
	for _, name := range sortedKeys(m.Fields) {
		if seen[name] {
			continue
		}
		s, err := newSource(FieldInfo{Name: name, Transform: TransformText}, m.Fields[name])
		if err != nil {
			return nil, err
		}
		p.sources = append(p.sources, s)
	}
	for i, t := range m.Tiers {
		q, err := newSource(FieldInfo{Name: fmt.Sprintf("tiers[%d].min_quantity", i), Transform: TransformDecimal}, t.MinQuantity)
		if err != nil {
			return nil, err
		}
		pr, err := newSource(FieldInfo{Name: fmt.Sprintf("tiers[%d].unit_price", i), Transform: TransformDecimal}, t.UnitPrice)
		if err != nil {
			return nil, err
		}
		p.tiers = append(p.tiers, [2]source{q, pr})
	}
	return p, nil
}

func newSource(info FieldInfo, f Field) (source, error) {
	s := source{field: info.Name, letter: -1, required: info.Required, lookup: f.Lookup, lookupErr: f.LookupMiss == "error", strict: info.Strict}
	names := []string(f.Transform)
	if len(names) == 0 {
		names = []string{info.Transform}
	}
	for _, n := range names {
		fn, ok := transformByName(n)
		if !ok {
			return s, fmt.Errorf("field %s: unknown transform %q", info.Name, n)
		}
		s.transforms = append(s.transforms, fn)
	}
	if f.Default != "" {
		s.def, s.hasDef = f.Default, true
		if _, err := s.clean(f.Default, connectors.CellText); err != nil {
			return s, fmt.Errorf("field %s: default %q: %w", info.Name, f.Default, err)
		}
	}
	switch {
	case f.Const != nil:
		v, err := s.clean(*f.Const, connectors.CellText)
		if err != nil {
			return s, fmt.Errorf("field %s: const %q: %w", info.Name, *f.Const, err)
		}
		s.constant = &v
	case f.Letter != "":
		if s.letter = connectors.ColumnIndex(strings.ToUpper(f.Letter)); s.letter < 0 {
			return s, fmt.Errorf("field %s: %q is not a column letter", info.Name, f.Letter)
		}
	case len(f.Column) > 0:
		s.synonyms = f.Column
	default:
		s.synonyms = info.Synonyms
	}
	return s, nil
}

// clean applies the transforms and the lookup table to one value.
func (s *source) clean(v string, t connectors.CellType) (string, error) {
	var err error
	for _, fn := range s.transforms {
		if v, err = fn(v, t); err != nil {
			return "", err
		}
	}
	if s.lookup != nil {
		if to, ok := s.lookup[v]; ok {
			return to, nil
		}
		if s.lookupErr {
			return "", fmt.Errorf("%q is not in the mapping's lookup table", v)
		}
	}
	return v, nil
}

// byHeader reports whether the source needs a header cell.
func (s *source) byHeader() bool { return s.constant == nil && s.letter < 0 && len(s.synonyms) > 0 }

// bound is a source bound to a column of one sheet.
type bound struct {
	*source
	col        int // -1 when constant or absent
	header     string
	confidence float64
}

// layout is how one sheet's rows map: its header row and bound columns.
type layout struct {
	sheet     string
	headerRow int
	fields    []bound
	tiers     [][2]bound
	header    []string // the header row's cell texts

	// tax is what the sheet says of its prices' tax basis: the price
	// column's header (priceTax), else a note above the header row;
	// taxConflict says how they disagree.
	tax, priceTax taxBasis
	taxConflict   string
	// alt is a second price column on the other tax basis, checked against
	// unit_price; nil when there is none.
	alt *bound
}

// all lists every source, tiers included.
func (p *plan) all() []*source {
	out := make([]*source, 0, len(p.sources)+2*len(p.tiers))
	for i := range p.sources {
		out = append(out, &p.sources[i])
	}
	for i := range p.tiers {
		out = append(out, &p.tiers[i][0], &p.tiers[i][1])
	}
	return out
}

// matcher builds the header matcher of the sources found by header.
func (p *plan) matcher() matcher {
	syn, strict := map[string][]string{}, map[string]bool{}
	var order []string
	for _, s := range p.all() {
		if s.byHeader() {
			syn[s.field], strict[s.field] = s.synonyms, s.strict
			order = append(order, s.field)
		}
	}
	return newMatcher(syn, order, strict)
}

// bindSheet finds the header row among rows (the top of a sheet) and binds
// every source to its column. It returns the layout and the index in rows
// of the first data row.
func (p *plan) bindSheet(sheet string, rows []connectors.Row) (*layout, int, error) {
	mt := p.matcher()
	needHeader := len(mt.fields) > 0
	if !needHeader && p.m.HeaderRow == 0 {
		return p.layout(sheet, connectors.Row{}, nil), 0, nil
	}
	type best struct {
		idx     int
		as      []assignment
		score   float64
		missing []string
	}
	var top *best
	for i, r := range rows {
		if r.Number > p.scan {
			break
		}
		if p.m.HeaderRow > 0 && r.Number != p.m.HeaderRow {
			continue
		}
		cells := cellTexts(r)
		if p.m.HeaderRow == 0 && nonEmpty(cells) < 2 {
			continue // a title or banner row
		}
		as, score := mt.assign(cells)
		missing := p.missing(as)
		cand := &best{idx: i, as: as, score: score, missing: missing}
		switch {
		case top == nil:
			top = cand
		case len(missing) < len(top.missing), len(missing) == len(top.missing) && score > top.score:
			top = cand
		}
	}
	if top == nil || len(top.missing) > 0 || top.score == 0 {
		missing := p.missing(nil)
		if top != nil && top.score > 0 {
			missing = top.missing
		}
		return nil, 0, p.headerError(sheet, rows, missing)
	}
	header := rows[top.idx]
	as, alt := choosePrice(mt, cellTexts(header), top.as)
	l := p.layout(sheet, header, as)
	if alt != nil {
		l.bindAlt(*alt)
	}
	if p.m.DocType == "price_list" {
		l.readTax(rows[:top.idx])
	}
	return l, top.idx + 1, nil
}

// headerError explains a failed header search: the fields missing, what
// was looked for, and the cells seen in the rows searched.
func (p *plan) headerError(sheet string, rows []connectors.Row, missing []string) *HeaderError {
	he := &HeaderError{Sheet: sheet, Scanned: p.scan, Missing: missing, LookedFor: p.lookedFor(missing)}
	for _, r := range rows {
		if r.Number <= p.scan && (p.m.HeaderRow == 0 || r.Number == p.m.HeaderRow) {
			if sr := seenRow(r); len(sr.Cells) > 0 {
				he.Seen = append(he.Seen, sr)
			}
		}
	}
	return he
}

// missing lists the required header-found fields without a default that
// as does not bind.
func (p *plan) missing(as []assignment) []string {
	var out []string
	for _, s := range p.all() {
		if s.required && s.byHeader() && !s.hasDef && !slices.ContainsFunc(as, func(a assignment) bool { return a.field == s.field }) {
			out = append(out, s.field)
		}
	}
	return out
}

func (p *plan) layout(sheet string, header connectors.Row, as []assignment) *layout {
	l := &layout{sheet: sheet, headerRow: header.Number, header: cellTexts(header)}
	bind := func(s *source) bound {
		b := bound{source: s, col: -1}
		switch {
		case s.letter >= 0:
			b.col, b.confidence = s.letter, 1
			if s.letter < len(l.header) {
				b.header = Trim(l.header[s.letter])
			}
		case s.byHeader():
			for _, a := range as {
				if a.field == s.field {
					b.col, b.header, b.confidence = a.col, a.header, a.confidence
				}
			}
		}
		return b
	}
	for i := range p.sources {
		l.fields = append(l.fields, bind(&p.sources[i]))
	}
	for i := range p.tiers {
		l.tiers = append(l.tiers, [2]bound{bind(&p.tiers[i][0]), bind(&p.tiers[i][1])})
	}
	return l
}

func cellTexts(r connectors.Row) []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = c.Value
	}
	return out
}

func nonEmpty(cells []string) int {
	n := 0
	for _, c := range cells {
		if Trim(c) != "" {
			n++
		}
	}
	return n
}
