package storetest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// sourceStateCases check SourceState and SaveSourceState.
func sourceStateCases() []testCase {
	return []testCase{
		{"SaveLoadReplace", testSourceStateSaveLoad},
	}
}

func testSourceStateSaveLoad(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	got, err := f.st.SourceState(f.ctx, "dlr", "rest:stock")
	require.NoError(t, err)
	require.Nil(t, got, "nothing saved yet")

	first := json.RawMessage(`{"watermark":"2026-11-01T00:00:00Z","run":{"pages":2,"cursor":"c3"}}`)
	require.NoError(t, f.st.SaveSourceState(f.ctx, "dlr", "rest:stock", first))
	got, err = f.st.SourceState(f.ctx, "dlr", "rest:stock")
	require.NoError(t, err)
	require.JSONEq(t, string(first), string(got))

	second := json.RawMessage(`{"watermark":"2026-11-02T00:00:00Z"}`)
	require.NoError(t, f.st.SaveSourceState(f.ctx, "dlr", "rest:stock", second))
	got, err = f.st.SourceState(f.ctx, "dlr", "rest:stock")
	require.NoError(t, err)
	require.JSONEq(t, string(second), string(got), "a save replaces the state")

	other, err := f.st.SourceState(f.ctx, "dlr", "rest:orders")
	require.NoError(t, err)
	require.Nil(t, other, "each source has its own state")
	other, err = f.st.SourceState(f.ctx, "other", "rest:stock")
	require.NoError(t, err)
	require.Nil(t, other, "each partner has its own state")

	require.Error(t, f.st.SaveSourceState(f.ctx, "dlr", "rest:stock", json.RawMessage(`{"watermark":`)), "not JSON")
	require.Error(t, f.st.SaveSourceState(f.ctx, "", "rest:stock", second), "no partner")
	got, err = f.st.SourceState(f.ctx, "dlr", "rest:stock")
	require.NoError(t, err)
	require.JSONEq(t, string(second), string(got), "a refused save changes nothing")
}
