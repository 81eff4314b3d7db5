package edimap_test

import (
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// A reader normalises the values of a segment and collects every problem,
// each located at its segment and element.
func Example() {
	po1 := connectors.EDISegment{Tag: "PO1", Pos: 6, Offset: 180, Elements: []connectors.EDIElement{
		{{"1"}}, {{"0012.50"}}, {{"CA"}}, {{"1O"}},
	}}
	partnerUnits := map[string]string{"CA": "CT"}
	x12Units := map[string]string{"CA": "CS", "EA": "EA"}

	var p edimap.Problems
	qty, _ := edimap.ParseDecimal(po1.Value(2), edimap.PointMark)
	unit, _ := edimap.CanonicalUnit(po1.Value(3), partnerUnits, x12Units)
	if _, ok := edimap.ParseDecimal(po1.Value(4), edimap.PointMark); !ok {
		p.At(po1, 4, 0, edimap.CodeBadValue, "unit price %q is not a number", po1.Value(4))
	}
	fmt.Println(qty, unit)
	fmt.Println(p.Err())

	price, _ := edimap.ParseDecimal("458,50", edimap.PointOrComma) // EDIFACT allows a comma
	date, _ := edimap.FormatDate("2026-01-05")
	fmt.Println(price, date, edimap.Century("96")+"96")
	// Output:
	// 12.50 CT
	// segment 6 (PO1) element 4 at byte 180: unit price "1O" is not a number
	// 458.50 20260105 1996
}
