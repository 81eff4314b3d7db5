package x12map_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/mappings/x12map"
	"github.com/dealerhub/dealerhub/schemas"
)

// samplesDir finds ../shared/edi-samples from the repository root. The
// tests fail when CI=true and it is absent, and skip otherwise.
func samplesDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "edi-samples")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the EDI samples folder %s (../shared/edi-samples from the repository root) is missing: %v", dir, err)
		}
		t.Skipf("the EDI samples folder %s (../shared/edi-samples from the repository root) is absent; CI=true makes this a failure", dir)
	}
	return dir
}

var (
	regOnce sync.Once
	reg     *schemas.Registry
	regErr  error
)

func registry(t testing.TB) *schemas.Registry {
	t.Helper()
	regOnce.Do(func() { reg, regErr = schemas.New() })
	require.NoError(t, regErr)
	return reg
}

// validate checks a mapped body against its schema with placeholder
// sender and receiver.
func validate(t *testing.T, doctype string, body map[string]any) {
	t.Helper()
	doc := map[string]any{}
	for k, v := range body {
		doc[k] = v
	}
	doc["sender"], doc["receiver"] = "sender-x", "receiver-x"
	require.Empty(t, registry(t).Validate(doctype, doc), "%s does not validate", doctype)
}

// txOf builds a transaction from body segments written with * and >
// ("BEG*00*SA*PO1**20260105"), wrapped in ST and SE, positioned as they
// would be in an interchange (ISA 1, GS 2, ST 3).
func txOf(typ string, lines ...string) connectors.EDITransaction {
	all := append([]string{"ST*" + typ + "*0001"}, lines...)
	all = append(all, "SE*"+strconv.Itoa(len(all)+1)+"*0001")
	tx := connectors.EDITransaction{Standard: connectors.StandardX12, Type: typ, Version: "004010", ControlNumber: "0001"}
	for i, l := range all {
		parts := strings.Split(l, "*")
		s := connectors.EDISegment{Tag: parts[0], Pos: i + 3}
		for _, p := range parts[1:] {
			if p == "" {
				s.Elements = append(s.Elements, nil)
				continue
			}
			s.Elements = append(s.Elements, connectors.EDIElement{strings.Split(p, ">")})
		}
		tx.Segments = append(tx.Segments, s)
	}
	return tx
}

// throughBytes writes a set as a real interchange with the x12 writer and
// reads it back with the x12 reader, so that what FromCanonical builds is
// checked to be writable and positioned like a received set.
func throughBytes(t *testing.T, out x12map.Out) connectors.EDITransaction {
	t.Helper()
	var buf bytes.Buffer
	err := x12.Write(&buf, x12.Envelope{
		Sender:             connectors.EDIParty{Qualifier: "ZZ", ID: "SENDER"},
		Receiver:           connectors.EDIParty{Qualifier: "ZZ", ID: "RECEIVER"},
		InterchangeControl: 1, GroupControl: 1, Version: out.Version,
		Date: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC),
	}, []x12.OutSet{{Type: out.Type, Body: out.Body}})
	require.NoError(t, err)
	f, err := x12.Read(&buf, x12.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	txs := f.Transactions()
	require.Len(t, txs, 1)
	return txs[0]
}

// asJSON turns a value into its JSON form decoded again, so that ints and
// float64s, []any and typed slices compare equal.
func asJSON(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// ediErrors unwraps a joined error into its EDIErrors.
func ediErrors(t *testing.T, err error) []*connectors.EDIError {
	t.Helper()
	require.Error(t, err)
	var out []*connectors.EDIError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var ee *connectors.EDIError
		if errors.As(e, &ee) {
			out = append(out, ee)
		}
	}
	walk(err)
	require.NotEmpty(t, out, "no EDIError in %v", err)
	return out
}

// readFixture decodes testdata/<path>.
func readFixture(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}
