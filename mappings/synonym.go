package mappings

import (
	"slices"
	"strings"
	"unicode"
)

// FieldInfo describes a canonical field that spreadsheet rows can fill.
type FieldInfo struct {
	// Name is the field's name in the canonical document (for price_list,
	// in a line, except currency, which belongs to the list's header).
	Name string
	// Synonyms are the header texts that name the field, best first.
	Synonyms []string
	// Required fields must have a source (a column, a constant or a
	// default) before any row can map.
	Required bool
	// Transform is applied when the mapping names none.
	Transform string
	// Strict fields match a header cell only when it equals a synonym, at
	// least after folding; a cell that merely contains one ("退税率" holds
	// "税率") is not theirs.
	Strict bool
}

// DocTypes are the document types the spreadsheet mapping engine builds.
var DocTypes = []string{"price_list", "product", "stock_level"}

// BuiltinFields returns the fields of a document type that spreadsheets
// fill, with their built-in Chinese and English header synonyms; nil for a
// type the engine does not map. The slice is a fresh copy.
func BuiltinFields(doctype string) []FieldInfo {
	var (
		sku = FieldInfo{Name: "sku", Required: true, Transform: TransformCode, Synonyms: []string{
			"货号", "商品编码", "物料编码", "产品编码", "商品编号", "物料号", "存货编码", "编码", "编号", "型号",
			"SKU", "Item No.", "Part No.", "Item Code", "Product Code", "Article No."}}
		description = FieldInfo{Name: "description", Transform: TransformText, Synonyms: []string{
			"品名", "名称", "商品名称", "产品名称", "物料名称", "描述", "Description", "Name", "Product Name", "Item Name"}}
		unit = FieldInfo{Name: "unit", Required: true, Transform: TransformUnit, Synonyms: []string{
			"单位", "计量单位", "Unit", "UoM", "UOM"}}
		gtin = FieldInfo{Name: "gtin", Transform: TransformCode, Synonyms: []string{
			"条码", "条形码", "商品条码", "69码", "EAN", "GTIN", "UPC", "Barcode", "EAN Code"}}
	)
	switch doctype {
	case "price_list":
		return []FieldInfo{
			sku, description, unit,
			// A price header that says whether it includes tax (含税单价,
			// 单价(不含税), "Price incl. VAT", "Net price") also sets the
			// lines' tax_included; see tax.go.
			{Name: "unit_price", Required: true, Transform: TransformDecimal, Synonyms: []string{
				"单价", "价格", "含税单价", "不含税单价", "出厂价", "供货价", "批发价", "Price", "Unit Price", "Net Price",
				"含税价", "含税价格", "含票价", "不含税价", "不含税价格", "未税单价", "未税价", "除税单价",
				"Gross Price", "Price incl. VAT", "Price excl. VAT", "Unit Price incl. VAT", "Unit Price excl. VAT"}},
			{Name: "currency", Transform: TransformCurrency, Synonyms: []string{"币种", "货币", "Currency"}},
			{Name: "min_quantity", Transform: TransformDecimal, Synonyms: []string{
				"起订量", "最小订量", "最小起订量", "最小订货量", "MOQ", "Min Qty", "Minimum Quantity"}},
			gtin,
			{Name: "valid_from", Transform: TransformDate, Synonyms: []string{
				"生效日期", "开始日期", "起始日期", "Valid From", "Effective Date", "Start Date"}},
			{Name: "valid_to", Transform: TransformDate, Synonyms: []string{
				"失效日期", "截止日期", "结束日期", "Valid To", "Expiry Date", "End Date"}},
			{Name: "tax_rate", Transform: TransformRate, Strict: true, Synonyms: []string{
				"税率", "增值税率", "增值税税率", "VAT Rate", "Tax Rate"}},
			{Name: "tax_included", Transform: TransformBoolean, Strict: true, Synonyms: []string{
				"是否含税", "含税否", "含税", "含税标志", "Tax Included", "VAT Included"}},
		}
	case "product":
		name := description
		name.Name, name.Required = "name", true
		name.Synonyms = []string{"品名", "名称", "商品名称", "产品名称", "物料名称", "Name", "Product Name", "Item Name"}
		return []FieldInfo{
			sku, name, unit, gtin,
			{Name: "brand", Transform: TransformText, Synonyms: []string{"品牌", "Brand"}},
			{Name: "category", Transform: TransformText, Synonyms: []string{"类别", "分类", "商品分类", "品类", "Category"}},
			{Name: "model", Transform: TransformText, Synonyms: []string{"规格型号", "规格", "Model", "Specification"}},
			{Name: "description", Transform: TransformText, Synonyms: []string{"描述", "商品描述", "说明", "Description"}},
			{Name: "min_order_quantity", Transform: TransformDecimal, Synonyms: []string{"起订量", "最小起订量", "MOQ"}},
			{Name: "pack_quantity", Transform: TransformDecimal, Synonyms: []string{"装箱数", "箱规", "包装数量", "Pack Qty", "Pack Quantity"}},
		}
	case "stock_level":
		return []FieldInfo{
			sku,
			{Name: "location", Required: true, Transform: TransformCode, Synonyms: []string{
				"仓库", "库位", "仓库编码", "仓库名称", "门店", "Warehouse", "Location", "Store"}},
			{Name: "on_hand", Required: true, Transform: TransformDecimal, Synonyms: []string{
				"库存", "现有库存", "在库数量", "库存数量", "现存量", "结存数量", "On Hand", "Stock", "Qty On Hand"}},
			{Name: "available", Transform: TransformDecimal, Synonyms: []string{"可用", "可用库存", "可用数量", "Available"}},
			{Name: "reserved", Transform: TransformDecimal, Synonyms: []string{"预留", "预留数量", "占用", "Reserved"}},
			{Name: "on_order", Transform: TransformDecimal, Synonyms: []string{"在途", "在途数量", "On Order", "In Transit"}},
			{Name: "safety_stock", Transform: TransformDecimal, Synonyms: []string{"安全库存", "Safety Stock"}},
			unit, gtin, description,
		}
	}
	return nil
}

// normalizeHeader folds a header text for matching: half-width, lower
// case, without bracketed notes ("单价(元)" → "单价"), spaces or
// punctuation ("Item No." → "itemno").
func normalizeHeader(s string) string {
	s = strings.ToLower(HalfWidth(s))
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{', '【', '〔', '<', '《':
			depth++
			continue
		case ')', ']', '}', '】', '〕', '>', '》':
			depth = max(0, depth-1)
			continue
		}
		if depth == 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Match confidences: how sure a header cell names a field.
const (
	ConfidenceExact      = 1.0 // the cell is a synonym, as written
	ConfidenceNormalized = 0.9 // equal after folding case, width, spaces, punctuation, bracketed notes
	ConfidenceSubstring  = 0.6 // the folded cell contains a folded synonym
)

// matcher scores header cells against the synonyms of a set of fields.
type matcher struct {
	fields []matchField
}

type matchField struct {
	name     string
	synonyms []string // as written
	folded   []string // normalizeHeader of each
	strict   bool     // no substring matches
}

func newMatcher(fields map[string][]string, order []string, strict map[string]bool) matcher {
	var m matcher
	for _, name := range order {
		syn, ok := fields[name]
		if !ok {
			continue
		}
		f := matchField{name: name, synonyms: syn, folded: make([]string, len(syn)), strict: strict[name]}
		for i, s := range syn {
			f.folded[i] = normalizeHeader(s)
		}
		m.fields = append(m.fields, f)
	}
	return m
}

// score is how well cell names field f: the confidence and the index of
// the synonym that matched (lower is preferred); 0 when it does not.
func (f matchField) score(cell, folded string) (float64, int) {
	cell = Trim(cell)
	for i, s := range f.synonyms {
		if cell == s {
			return ConfidenceExact, i
		}
	}
	if folded == "" {
		return 0, 0
	}
	for i, s := range f.folded {
		if folded == s {
			return ConfidenceNormalized, i
		}
	}
	for i, s := range f.folded {
		if !f.strict && len([]rune(s)) >= 2 && strings.Contains(folded, s) {
			return ConfidenceSubstring, i
		}
	}
	return 0, 0
}

// assignment binds a field to a column of a header row.
type assignment struct {
	field      string
	col        int
	header     string
	confidence float64
}

// assign matches the cells of one row to fields: best confidence first,
// then the earlier synonym, then the leftmost column; each field and each
// column is used once. It returns the assignments in column order and the
// row's total confidence.
func (m matcher) assign(cells []string) ([]assignment, float64) {
	type cand struct {
		assignment
		syn int
	}
	var cands []cand
	for col, c := range cells {
		folded := normalizeHeader(c)
		if Trim(c) == "" {
			continue
		}
		for _, f := range m.fields {
			if conf, syn := f.score(c, folded); conf > 0 {
				cands = append(cands, cand{assignment{f.name, col, Trim(c), conf}, syn})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.confidence != b.confidence:
			if a.confidence > b.confidence {
				return -1
			}
			return 1
		case a.syn != b.syn:
			return a.syn - b.syn
		}
		return a.col - b.col
	})
	var out []assignment
	usedField, usedCol := map[string]bool{}, map[int]bool{}
	total := 0.0
	for _, c := range cands {
		if usedField[c.field] || usedCol[c.col] {
			continue
		}
		usedField[c.field], usedCol[c.col] = true, true
		out = append(out, c.assignment)
		total += c.confidence
	}
	slices.SortFunc(out, func(a, b assignment) int { return a.col - b.col })
	return out, total
}
