package main

// The npm cross-check harness: independent X12 and EDIFACT parsers from the
// npm registry (node-x12, edifact; pinned in testdata/npm) read the EDI that
// dealerhub writes, and the tests compare what THEY read with the canonical
// input. They are a second opinion, not our implementation: parsing alone
// proves little (both accept nearly empty sets), so every test compares
// values field by field.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// npmDir is testdata/npm relative to this package's directory.
var npmDir = filepath.Join("..", "..", "testdata", "npm")

// npmInstallHint is what to run when node or the pinned packages are missing.
const npmInstallHint = "run `npm ci --prefix testdata/npm` from the repository root (needs node and npm)"

// npmSegment is one segment as the npm library read it; Elements[i] is
// element i+1, a list of its components.
type npmSegment struct {
	Tag      string     `json:"tag"`
	Elements [][]string `json:"elements"`
}

// Value returns element i (1-based), its first component; "" when absent.
func (s npmSegment) Value(i int) string { return s.Component(i, 1) }

// Component returns component j of element i (both 1-based); "" when absent.
func (s npmSegment) Component(i, j int) string {
	if i < 1 || i > len(s.Elements) || j < 1 || j > len(s.Elements[i-1]) {
		return ""
	}
	return s.Elements[i-1][j-1]
}

// Values returns every element's first component, element 1 first.
func (s npmSegment) Values() []string {
	out := make([]string, len(s.Elements))
	for i := range s.Elements {
		out[i] = s.Value(i + 1)
	}
	return out
}

// npmTransaction is an X12 transaction set (ST…SE) or EDIFACT message
// (UNH…UNT); Segments is the body between header and trailer.
type npmTransaction struct {
	Header   npmSegment   `json:"header"`
	Trailer  *npmSegment  `json:"trailer"`
	Segments []npmSegment `json:"segments"`
}

// Count is the number of segments from header to trailer inclusive, what
// SE01 and UNT 0074 must say.
func (tx npmTransaction) Count() int { return len(tx.Segments) + 2 }

// All returns the body segments with the tag, in order.
func (tx npmTransaction) All(tag string) []npmSegment {
	var out []npmSegment
	for _, s := range tx.Segments {
		if s.Tag == tag {
			out = append(out, s)
		}
	}
	return out
}

// Tags returns the body's segment tags in order.
func (tx npmTransaction) Tags() []string {
	out := make([]string, len(tx.Segments))
	for i, s := range tx.Segments {
		out[i] = s.Tag
	}
	return out
}

// Seg returns the n-th (1-based) body segment with the tag and fails the
// test when there is none.
func (tx npmTransaction) Seg(t *testing.T, tag string, n int) npmSegment {
	t.Helper()
	all := tx.All(tag)
	require.GreaterOrEqualf(t, len(all), n, "%s #%d missing; the npm parser read %v", tag, n, tx.Tags())
	return all[n-1]
}

// npmGroup is an X12 functional group (GS…GE) or an EDIFACT group
// (UNG…UNE); an EDIFACT interchange without UNG has one group whose Header
// and Trailer are nil.
type npmGroup struct {
	Header       *npmSegment      `json:"header"`
	Trailer      *npmSegment      `json:"trailer"`
	Transactions []npmTransaction `json:"transactions"`
}

// npmInterchange is ISA…IEA or UNB…UNZ.
type npmInterchange struct {
	Header  npmSegment  `json:"header"`
	Trailer *npmSegment `json:"trailer"`
	Groups  []npmGroup  `json:"groups"`
}

// npmFile is everything the npm library read from one file.
type npmFile []npmInterchange

// Transactions returns every transaction set or message, in file order.
func (f npmFile) Transactions() []npmTransaction {
	var out []npmTransaction
	for _, ic := range f {
		for _, g := range ic.Groups {
			out = append(out, g.Transactions...)
		}
	}
	return out
}

// Segment returns the element values (first components) of the n-th
// (1-based) body segment with the tag, across all transactions; nil when
// there is none.
func (f npmFile) Segment(tag string, n int) []string {
	for _, tx := range f.Transactions() {
		all := tx.All(tag)
		if n <= len(all) {
			return all[n-1].Values()
		}
		n -= len(all)
	}
	return nil
}

// Only returns the single transaction of a file holding one interchange
// with one group and one transaction, and fails the test otherwise.
func (f npmFile) Only(t *testing.T) (npmInterchange, npmGroup, npmTransaction) {
	t.Helper()
	require.Len(t, f, 1, "interchanges")
	require.Len(t, f[0].Groups, 1, "groups")
	require.Len(t, f[0].Groups[0].Transactions, 1, "transactions")
	return f[0], f[0].Groups[0], f[0].Groups[0].Transactions[0]
}

// npmAvailable skips the test (fails it with CI=true) unless node and the
// pinned npm packages are installed.
func npmAvailable(t *testing.T) {
	t.Helper()
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node is not installed"
	} else {
		for _, pkg := range []string{"node-x12", "edifact"} {
			if _, err := os.Stat(filepath.Join(npmDir, "node_modules", pkg, "package.json")); err != nil {
				missing = "the npm package " + pkg + " is not installed in testdata/npm/node_modules"
				break
			}
		}
	}
	if missing == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: %s", missing, npmInstallHint)
	}
	t.Skipf("%s: %s", missing, npmInstallHint)
}

// npmTryParse runs testdata/npm/parse.js with standard "x12" or "edifact"
// on data and returns what the library read, or the library's error
// message as the error when it refused the data.
func npmTryParse(t *testing.T, standard string, data []byte) (npmFile, error) {
	t.Helper()
	npmAvailable(t)
	file := filepath.Join(t.TempDir(), "in.edi")
	require.NoError(t, os.WriteFile(file, data, 0o600))
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), "node", filepath.Join(npmDir, "parse.js"), standard, file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) && exit.ExitCode() == 1 {
		return nil, errors.New(string(bytes.TrimSpace(stderr.Bytes())))
	}
	require.NoErrorf(t, err, "running parse.js: %s", stderr.String())
	var f npmFile
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &f), "decoding parse.js output")
	return f, nil
}

// npmParse is npmTryParse for data that must parse: a refusal fails the
// test with the library's message and the data.
func npmParse(t *testing.T, standard string, data []byte) npmFile {
	t.Helper()
	f, err := npmTryParse(t, standard, data)
	require.NoErrorf(t, err, "the npm %s parser refused our output:\n%s", standard, data)
	return f
}
