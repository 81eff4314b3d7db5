package schemas

import (
	"slices"
	"strings"
)

// unitWords maps the words partners write for units of measure, upper-cased
// and half-width, to UN/ECE Recommendation 20 codes. It is read-only.
var unitWords = map[string]string{
	// pieces
	"个": "PCE", "件": "PCE", "只": "PCE", "台": "PCE", "支": "PCE", "把": "PCE", "张": "PCE",
	"块": "PCE", "根": "PCE", "条": "PCE", "片": "PCE", "颗": "PCE", "枚": "PCE", "部": "PCE",
	"本": "PCE", "粒": "PCE", "PCS": "PCE", "PC": "PCE", "PIECE": "PCE", "PIECES": "PCE",
	"EACH": "EA", "UNIT": "EA", "UNITS": "EA", "U": "EA", "ONE": "C62", // "u" is Tryton's unit
	// packages
	"套": "SET", "组": "SET", "SETS": "SET",
	"箱": "CT", "CTN": "CT", "CTNS": "CT", "CARTON": "CT", "CARTONS": "CT",
	"盒": "BX", "BOX": "BX", "BOXES": "BX",
	"CASE": "CS", "CASES": "CS",
	"包": "PK", "PACK": "PK", "PACKS": "PK", "PKG": "PK", "PACKAGE": "PK",
	"袋": "BG", "BAG": "BG", "BAGS": "BG",
	"瓶": "BO", "BOTTLE": "BO", "BOTTLES": "BO", "BTL": "BO",
	"卷": "ROL", "ROLL": "ROL", "ROLLS": "ROL",
	"托": "PL", "托盘": "PL", "PALLET": "PL", "PALLETS": "PL", "PLT": "PL",
	"双": "PR", "对": "PR", "副": "PR", "PAIR": "PR", "PAIRS": "PR",
	"打": "DZN", "DOZEN": "DZN", "DZ": "DZN",
	// mass
	"千克": "KGM", "公斤": "KGM", "KG": "KGM", "KGS": "KGM", "KILOGRAM": "KGM", "KILOGRAMS": "KGM",
	"克": "GRM", "G": "GRM", "GR": "GRM", "GRAM": "GRM", "GRAMS": "GRM",
	"吨": "TNE", "T": "TNE", "TON": "TNE", "TONS": "TNE", "TONNE": "TNE", "TONNES": "TNE",
	// length, area, volume
	"米": "MTR", "M": "MTR", "METER": "MTR", "METERS": "MTR", "METRE": "MTR", "METRES": "MTR",
	"厘米": "CMT", "CM": "CMT", "毫米": "MMT", "MM": "MMT",
	"平方米": "MTK", "平米": "MTK", "M2": "MTK", "M²": "MTK", "㎡": "MTK", "SQM": "MTK",
	"立方米": "MTQ", "方": "MTQ", "M3": "MTQ", "M³": "MTQ", "CBM": "MTQ",
	"升": "LTR", "L": "LTR", "LT": "LTR", "LITER": "LTR", "LITERS": "LTR", "LITRE": "LTR", "LITRES": "LTR",
	"毫升": "MLT", "ML": "MLT",
}

// NormalizeUnit maps a unit as a partner wrote it ("个", "pcs", "ＫＧ",
// " ctn ") to its UN/ECE Recommendation 20 code. It trims spaces, folds case
// and turns full-width forms into half-width ones, then accepts either one of
// UnitCodes or a known word. ok is false when the word is not known; code is
// then "".
func NormalizeUnit(word string) (code string, ok bool) {
	w := strings.ToUpper(strings.TrimSpace(halfWidth(word)))
	w = strings.TrimSuffix(w, ".")
	if slices.Contains(UnitCodes, w) {
		return w, true
	}
	code, ok = unitWords[w]
	return code, ok
}

// halfWidth turns full-width ASCII variants (Ｋ, ｇ, ２) and the ideographic
// space into their ASCII forms, so spreadsheets typed with a Chinese input
// method match.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}
