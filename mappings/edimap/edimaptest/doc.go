// Package edimaptest holds the test helpers of the EDI mapping packages
// (x12map, edifactmap): the shared EDI samples folder, JSON
// normalisation, located errors and the compiled canonical schemas.
//
// Usage, in a mapping package's tests:
//
//	dir := edimaptest.SamplesDir(t) // fails when CI=true and it is absent
//	docs, err := x12map.ToCanonical(tx, x12map.Options{})
//	for _, e := range edimaptest.EDIErrors(t, err) { ... }
//	require.Equal(t, edimaptest.AsJSON(t, want), edimaptest.AsJSON(t, docs[0].Body))
package edimaptest
