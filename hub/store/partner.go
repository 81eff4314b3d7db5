package store

import "slices"

// NormRoles is a partner's roles as stored: sorted, de-duplicated, empty
// ones dropped. Never nil, so it is stored as an empty set, not NULL.
func NormRoles(roles []string) []string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		if r != "" {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// LastCrossRefs keeps, of rows that share a code, the last one given (the
// one PutCrossRefs stores); rows stay in the order of the ones kept.
func LastCrossRefs(refs []CrossRef) []CrossRef {
	last := make(map[string]int, len(refs))
	for i, r := range refs {
		last[r.Code] = i
	}
	out := make([]CrossRef, 0, len(last))
	for i, r := range refs {
		if last[r.Code] == i {
			out = append(out, r)
		}
	}
	return out
}
