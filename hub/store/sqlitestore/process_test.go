package sqlitestore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

// helperDBEnv names the database file TestHelperProcessWriter writes to;
// the variable is only set when the test binary re-executes itself.
const helperDBEnv = "DEALERHUB_SQLITESTORE_HELPER_DB"

const writesPerProcess = 40

// writeVersions stores writesPerProcess messages from partner, each
// committing a new version of the one shared document key.
func writeVersions(ctx context.Context, st store.Store, partner string) error {
	for i := range writesPerProcess {
		body := fmt.Sprintf(`{"writer":%q,"i":%d}`, partner, i)
		m, _, err := st.InsertMessage(ctx, store.NewMessage{Partner: partner, Doctype: "order", Format: "json", Body: []byte(body)},
			func(id string) store.NewOutbox { return store.NewOutbox{Subject: "dealerhub.inbound", MsgID: id} })
		if err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(body))
		_, err = st.CommitMessage(ctx, m.ID, []store.DocumentInput{{
			Doctype: "order", Sender: "shared", ExternalID: "PO-1", Body: []byte(body),
			ContentHash: hex.EncodeToString(sum[:]),
		}}, nil)
		if err != nil {
			return err
		}
	}
	return nil
}

// TestHelperProcessWriter is the other process of
// TestAnotherProcessSharesTheFile; it does nothing in a normal run.
func TestHelperProcessWriter(t *testing.T) {
	path := os.Getenv(helperDBEnv)
	if path == "" {
		t.Skip("runs only as the helper process")
	}
	st, err := sqlitestore.Open(t.Context(), path)
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()
	require.NoError(t, writeVersions(t.Context(), st, "cli"))
}

// TestAnotherProcessSharesTheFile runs a second process (the CLI next to a
// running serve) writing to the same file at the same time: both succeed
// (busy_timeout, BEGIN IMMEDIATE), and versioning of one document key stays
// gap-free across processes.
func TestAnotherProcessSharesTheFile(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	path := filepath.Join(t.TempDir(), "dealerhub.db")
	st, err := sqlitestore.Open(ctx, path)
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()

	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcessWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperDBEnv+"="+path)
	out := make(chan error, 1)
	var output []byte
	go func() {
		var err error
		output, err = cmd.CombinedOutput()
		out <- err
	}()
	require.NoError(t, writeVersions(ctx, st, "serve"))
	require.NoError(t, <-out, "helper process: %s", output)

	msgs, _, err := st.ListMessages(ctx, store.OperatorScope(), store.MessageFilter{Page: store.Page{Limit: 1000}})
	require.NoError(t, err)
	require.Len(t, msgs, 2*writesPerProcess)
	docs, _, err := st.ListDocuments(ctx, store.OperatorScope(), store.DocumentFilter{})
	require.NoError(t, err)
	require.Len(t, docs, 1)
	require.Equal(t, 2*writesPerProcess, docs[0].Version)
	for v := 1; v <= 2*writesPerProcess; v++ {
		_, err := st.GetDocumentVersion(ctx, store.OperatorScope(), docs[0].ID, v)
		require.NoError(t, err, "version %d", v)
	}
}
