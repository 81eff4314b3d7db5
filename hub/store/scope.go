package store

// Visibility is how a query must filter rows for a scope.
type Visibility int

// Visibilities. The zero value sees nothing, so a store that meets a value
// it does not know fails closed.
const (
	// VisibleNone: no rows (a scope with neither operator nor partner).
	VisibleNone Visibility = iota
	// VisibleAll: every row (the operator).
	VisibleAll
	// VisiblePartner: the rows the scope's partner may see.
	VisiblePartner
)

// Visibility says which rows the scope sees: the operator everything, a
// partner its own rows, and a scope with neither nothing.
func (s Scope) Visibility() Visibility {
	switch {
	case s.Operator:
		return VisibleAll
	case s.Partner != "":
		return VisiblePartner
	default:
		return VisibleNone
	}
}
