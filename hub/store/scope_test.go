package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestVisibility(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scope store.Scope
		want  store.Visibility
	}{
		{store.OperatorScope(), store.VisibleAll},
		{store.Scope{Operator: true, Partner: "sup"}, store.VisibleAll},
		{store.PartnerScope("sup"), store.VisiblePartner},
		{store.Scope{}, store.VisibleNone},
		{store.PartnerScope(""), store.VisibleNone},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.scope.Visibility(), "%+v", tt.scope)
	}
	require.Equal(t, store.VisibleNone, store.Visibility(0), "the zero value fails closed")
}
