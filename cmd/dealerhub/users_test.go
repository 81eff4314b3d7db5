package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

func TestUsersAdd(t *testing.T) {
	t.Parallel()
	dd := t.TempDir()
	_, _, err := runCLI(t, "partners", "add", "acme", "--roles", "supplier", "--data-dir", dd)
	require.NoError(t, err)

	out, stderr, err := runCLI(t, "users", "add", "--partner", "acme", "--email", "Ann@ACME.test", "--name", "Ann",
		"--admin", "--base-url", "https://hub.example/", "--data-dir", dd)
	require.NoError(t, err)
	require.Contains(t, stderr, "shown only once")
	link, err := url.Parse(strings.TrimSpace(out))
	require.NoError(t, err)
	require.Equal(t, "https://hub.example/invite", link.Scheme+"://"+link.Host+link.Path)
	token := link.Query().Get("token")
	require.Len(t, token, 43)

	pwFile := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("bob's long password\n"), 0o600))
	out, _, err = runCLI(t, "users", "add", "--partner", "acme", "--email", "bob@acme.test", "--password-file", pwFile, "--data-dir", dd)
	require.NoError(t, err)
	require.Contains(t, out, "user bob@acme.test of acme created (member); password set")

	require.NoError(t, os.WriteFile(pwFile, []byte("short\n"), 0o600))
	_, _, err = runCLI(t, "users", "add", "--partner", "acme", "--email", "cat@acme.test", "--password-file", pwFile, "--data-dir", dd)
	require.Equal(t, 2, exitCode(err), "a weak password is a usage error")
	_, _, err = runCLI(t, "users", "add", "--partner", "acme", "--email", "ann@acme.test", "--data-dir", dd)
	require.Error(t, err, "the email is taken")
	_, _, err = runCLI(t, "users", "add", "--partner", "nobody", "--email", "x@y.test", "--data-dir", dd)
	require.Error(t, err)
	_, _, err = runCLI(t, "users", "add", "--email", "x@y.test", "--data-dir", dd)
	require.Equal(t, 2, exitCode(err))

	out, _, err = runCLI(t, "users", "list", "--partner", "acme", "--json", "--data-dir", dd)
	require.NoError(t, err)
	var users []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &users))
	require.Len(t, users, 2)
	require.Equal(t, "ann@acme.test", users[0]["email"])
	require.Equal(t, "admin", users[0]["role"])
	require.NotContains(t, out, "argon2id", "hashes are not printed")

	// The invite from the CLI sets Ann's password; then she can log in.
	st, err := sqlitestore.Open(t.Context(), filepath.Join(dd, "dealerhub.db"))
	require.NoError(t, err)
	defer st.Close()
	acc, err := hub.NewAccounts(st, hub.AccountOptions{})
	require.NoError(t, err)
	_, err = acc.AcceptInvite(t.Context(), token, "ann's long password")
	require.NoError(t, err)
	_, a, err := acc.Login(t.Context(), "ann@acme.test", "ann's long password")
	require.NoError(t, err)
	require.True(t, a.IsAdmin())
	_, _, err = acc.Login(t.Context(), "bob@acme.test", "bob's long password")
	require.NoError(t, err)
}
