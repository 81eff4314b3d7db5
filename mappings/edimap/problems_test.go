package edimap_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

func TestProblems(t *testing.T) {
	t.Parallel()
	var p edimap.Problems
	require.NoError(t, p.Err())
	require.Zero(t, p.Len())

	st := connectors.EDISegment{Tag: "ST", Pos: 3, Offset: 106}
	po1 := connectors.EDISegment{Tag: "PO1", Pos: 6, Offset: 180}
	p.At(po1, 2, 0, edimap.CodeBadValue, "quantity %q is not a number", "1O")
	p.At(po1, 3, 1, edimap.CodeUnknownUnit, "unit %q has no canonical unit", "ZZ")
	p.Missing(st, "set", "BEG", "the order's number")
	require.Equal(t, 3, p.Len())

	var got []connectors.EDIError
	var joined interface{ Unwrap() []error }
	require.ErrorAs(t, p.Err(), &joined)
	for _, e := range joined.Unwrap() {
		var ee *connectors.EDIError
		require.ErrorAs(t, e, &ee)
		got = append(got, *ee)
	}
	require.Equal(t, []connectors.EDIError{
		{Pos: 6, Offset: 180, Tag: "PO1", Element: 2, Code: "bad_value", Message: `quantity "1O" is not a number`},
		{Pos: 6, Offset: 180, Tag: "PO1", Element: 3, Component: 1, Code: "unknown_unit", Message: `unit "ZZ" has no canonical unit`},
		{Pos: 3, Offset: 106, Tag: "BEG", Code: "missing_segment", Message: "the set has no BEG segment (the order's number)"},
	}, got, "in the order recorded, each located")
}

func TestBodyProblems(t *testing.T) {
	t.Parallel()
	var p edimap.BodyProblems
	require.NoError(t, p.Err())
	p.Add("/lines/0/quantity", "%q is not a decimal", "ten")
	p.Add("", "doctype %q has no mapping", "invoice")
	err := p.Err()
	require.EqualError(t, err, "/lines/0/quantity: \"ten\" is not a decimal\ndoctype \"invoice\" has no mapping")
	var be *edimap.BodyError
	require.True(t, errors.As(err, &be))
	require.Equal(t, edimap.BodyError{Pointer: "/lines/0/quantity", Message: `"ten" is not a decimal`}, *be)
}
