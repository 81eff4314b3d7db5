package pgstore_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
	"github.com/dealerhub/dealerhub/hub/store/storetest"
)

// newStore opens a store in a fresh schema of its own.
func newStore(t *testing.T) *pgstore.Store {
	t.Helper()
	st, err := pgstore.Open(t.Context(), pgtest.NewSchemaURL(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return newStore(t) })
}
