package x12map

import "github.com/dealerhub/dealerhub/mappings/edimap"

// x12Units maps X12 unit codes (element 355) to UN/ECE Rec 20 codes.
var x12Units = map[string]string{
	"EA": "EA", "PC": "PCE", "UN": "C62", "CA": "CS", "CT": "CT", "BX": "BX",
	"DZ": "DZN", "PK": "PK", "PR": "PR", "ST": "SET", "BG": "BG", "BO": "BO",
	"RL": "ROL", "PL": "PL", "KG": "KGM", "GR": "GRM", "MR": "MTR", "CM": "CMT",
	"MM": "MMT", "SM": "MTK", "CR": "MTQ", "LT": "LTR", "ML": "MLT",
}

// canonicalUnits maps each canonical unit to the X12 code written for it.
var canonicalUnits = map[string]string{
	"EA": "EA", "PCE": "PC", "H87": "PC", "C62": "UN", "CS": "CA", "CT": "CT",
	"BX": "BX", "DZN": "DZ", "PK": "PK", "PR": "PR", "SET": "ST", "BG": "BG",
	"BO": "BO", "ROL": "RL", "PL": "PL", "KGM": "KG", "GRM": "GR", "MTR": "MR",
	"CMT": "CM", "MMT": "MM", "MTK": "SM", "MTQ": "CR", "LTR": "LT", "MLT": "ML",
}

// unitOf maps an X12 unit code to its canonical unit: the partner's
// aliases first, then the X12 table, then a code that is already
// canonical.
func (o Options) unitOf(code string) (string, bool) {
	return edimap.CanonicalUnit(code, o.Units, x12Units)
}

// x12Unit returns the X12 code written for a canonical unit: the
// smallest partner code aliased to it, else the X12 table's code.
func (o Options) x12Unit(unit string) (string, bool) {
	if code, ok := edimap.CodeFor(o.Units, unit); ok {
		return code, true
	}
	c, ok := canonicalUnits[unit]
	return c, ok
}

// weight maps a weight and its X12 unit to canonical ones: pounds become
// kilograms and ounces grams (the canonical units have neither), other
// units go through unitOf.
func (o Options) weight(value, code string) (string, string, bool) {
	if _, aliased := o.Units[code]; !aliased {
		switch code {
		case "LB", "01":
			return poundsToKilograms(value), "KGM", true
		case "OZ":
			return ouncesToGrams(value), "GRM", true
		}
	}
	u, ok := o.unitOf(code)
	return value, u, ok
}
