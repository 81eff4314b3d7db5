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
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/mappings/edifactmap"
	"github.com/dealerhub/dealerhub/mappings/x12map"
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

// npmSegments is a run of segments: a transaction's body or one loop of it.
type npmSegments []npmSegment

// All returns the segments with the tag, in order.
func (ss npmSegments) All(tag string) npmSegments {
	var out npmSegments
	for _, s := range ss {
		if s.Tag == tag {
			out = append(out, s)
		}
	}
	return out
}

// Qual returns the first segment with the tag whose first component of
// element 1 is qual (a qualifier: DTM*002, N1*ST, QTY+21), and whether
// there is one.
func (ss npmSegments) Qual(tag, qual string) (npmSegment, bool) {
	for _, s := range ss {
		if s.Tag == tag && s.Value(1) == qual {
			return s, true
		}
	}
	return npmSegment{}, false
}

// Tags returns the segment tags in order.
func (ss npmSegments) Tags() []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Tag
	}
	return out
}

// Loops cuts the segments into loops: each starts at a segment with the
// start tag and runs to the next one or to a segment whose tag is in
// stop. Segments before the first start are not in any loop.
func (ss npmSegments) Loops(start string, stop ...string) []npmSegments {
	var out []npmSegments
	in := false
	for _, s := range ss {
		switch {
		case s.Tag == start:
			out = append(out, npmSegments{s})
			in = true
		case slices.Contains(stop, s.Tag):
			in = false
		case in:
			out[len(out)-1] = append(out[len(out)-1], s)
		}
	}
	return out
}

// npmTransaction is an X12 transaction set (ST…SE) or EDIFACT message
// (UNH…UNT); Segments is the body between header and trailer.
type npmTransaction struct {
	Header   npmSegment  `json:"header"`
	Trailer  *npmSegment `json:"trailer"`
	Segments npmSegments `json:"segments"`
}

// Count is the number of segments from header to trailer inclusive, what
// SE01 and UNT 0074 must say.
func (tx npmTransaction) Count() int { return len(tx.Segments) + 2 }

// All returns the body segments with the tag, in order.
func (tx npmTransaction) All(tag string) npmSegments { return tx.Segments.All(tag) }

// Tags returns the body's segment tags in order.
func (tx npmTransaction) Tags() []string { return tx.Segments.Tags() }

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

// Building the EDI to cross-check, and reading canonical fixtures.

// crossDate stamps every envelope the cross-checks write.
var crossDate = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

// canonicalFixture reads testdata/canonical/<doctype>/valid/<name>.json,
// the schema package's valid examples.
func canonicalFixture(t *testing.T, doctype, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "canonical", doctype, "valid", name+".json"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

// writeX12 maps doc with x12map (partner options o) and writes it as one
// interchange with connectors/x12; it returns the mapping's output (set
// type and version) and the interchange.
func writeX12(t *testing.T, doctype string, doc map[string]any, o x12map.Options) (x12map.Out, []byte) {
	t.Helper()
	out, err := x12map.FromCanonical(doctype, doc, o)
	require.NoError(t, err, "x12map.FromCanonical")
	env := x12.Envelope{
		Sender:             connectors.EDIParty{Qualifier: "ZZ", ID: "DEALERHUB"},
		Receiver:           connectors.EDIParty{Qualifier: "ZZ", ID: "PARTNER"},
		InterchangeControl: 42, GroupControl: 7, Version: out.Version, Usage: "T", Date: crossDate,
	}
	var b bytes.Buffer
	require.NoError(t, x12.Write(&b, env, []x12.OutSet{{Type: out.Type, Control: "0001", Body: out.Body}}), "x12.Write")
	return out, b.Bytes()
}

// x12CrossCheck writes doc as X12, parses it with node-x12 and checks the
// envelope as node-x12 read it: one interchange, group and set; ISA11
// (repetition separator from 00402 on), ISA12, ISA13, GS06, GS08 and
// ST02 as written and echoed by IEA02, GE02 and SE02; IEA01, GE01 and
// SE01 counting what node-x12 found. It returns the set.
func x12CrossCheck(t *testing.T, doctype string, doc map[string]any, o x12map.Options) npmTransaction {
	t.Helper()
	out, data := writeX12(t, doctype, doc, o)
	ic, g, tx := npmParse(t, "x12", data).Only(t)
	// connectors/x12's default separators: 4010 has no repetition
	// separator (ISA11 is the standards id U) and uses '>' for components;
	// 5010 uses '^' and ':'.
	seps := map[string][2]string{"004010": {"U", ">"}, "005010": {"^", ":"}}[out.Version]
	require.NotEmpty(t, seps[0], "version %q", out.Version)
	// node-x12 normalises ISA13 and IEA02 to their integer value.
	require.Equal(t, []string{seps[0], out.Version[:5], "42", "1", "T", seps[1]},
		[]string{ic.Header.Value(11), ic.Header.Value(12), ic.Header.Value(13), ic.Trailer.Value(1), ic.Header.Value(15), ic.Header.Value(16)},
		"ISA11, ISA12, ISA13, IEA01, ISA15, ISA16")
	require.Equal(t, ic.Header.Value(13), ic.Trailer.Value(2), "IEA02")
	require.Equal(t, []string{x12.FunctionalID(out.Type), "7", out.Version}, []string{g.Header.Value(1), g.Header.Value(6), g.Header.Value(8)}, "GS01, GS06, GS08")
	require.Equal(t, []string{"1", "7"}, g.Trailer.Values(), "GE")
	require.Equal(t, []string{out.Type, "0001"}, tx.Header.Values(), "ST")
	require.Equal(t, []string{strconv.Itoa(tx.Count()), "0001"}, tx.Trailer.Values(), "SE01 counts ST to SE")
	return tx
}

// writeEDIFACT maps doc with edifactmap (partner options o) and writes it
// as one interchange with connectors/edifact under the syntax identifier;
// it returns the mapping's output (for UNH) and the interchange.
func writeEDIFACT(t *testing.T, doctype string, doc map[string]any, syntax string, o edifactmap.Options) (edifactmap.Out, []byte) {
	t.Helper()
	out, err := edifactmap.FromCanonical(doctype, doc, o)
	require.NoError(t, err, "edifactmap.FromCanonical")
	env := edifact.Envelope{
		Syntax:   syntax,
		Sender:   connectors.EDIParty{ID: "5400110000009", Qualifier: "14"},
		Receiver: connectors.EDIParty{ID: "5013546107732", Qualifier: "14"},
		Date:     crossDate, Control: "42", Test: true,
	}
	msg := edifact.OutMessage{Type: out.Type, Version: out.Version, Release: out.Release, Agency: out.Agency,
		Association: out.Association, Control: "M1", Body: out.Body}
	var b bytes.Buffer
	require.NoError(t, edifact.Write(&b, env, []edifact.OutMessage{msg}), "edifact.Write")
	return out, b.Bytes()
}

// edifactCrossCheck writes doc as EDIFACT (UNOY allows Chinese text),
// parses it with the edifact package and checks the envelope as it read
// it: UNB syntax and reference, UNH S009 (EANCOM D96A), UNT counting the
// segments it found and echoing UNH 0062, UNZ counting one message and
// echoing UNB 0020. It returns the message.
func edifactCrossCheck(t *testing.T, doctype string, doc map[string]any, syntax string, o edifactmap.Options) npmTransaction {
	t.Helper()
	out, data := writeEDIFACT(t, doctype, doc, syntax, o)
	ic, g, tx := npmParse(t, "edifact", data).Only(t)
	require.Equal(t, syntax, ic.Header.Component(1, 1), "UNB S001")
	require.Equal(t, []string{"5400110000009", "14"}, ic.Header.Elements[1], "UNB S002")
	require.Equal(t, "42", ic.Header.Value(5), "UNB 0020")
	require.Nil(t, g.Header, "no UNG")
	require.Equal(t, []string{"1", "42"}, ic.Trailer.Values(), "UNZ")
	require.Equal(t, "M1", tx.Header.Value(1), "UNH 0062")
	// EANCOM numbers its subsets per message (ORDERS EAN008, ORDRSP EAN005, …).
	require.Regexp(t, `^EAN\d{3}$`, out.Association, "association assigned code")
	require.Equal(t, []string{out.Type, "D", "96A", "UN", out.Association}, tx.Header.Elements[1], "UNH S009")
	require.Equal(t, []string{strconv.Itoa(tx.Count()), "M1"}, tx.Trailer.Values(), "UNT counts UNH to UNT")
	return tx
}

// field returns a canonical string field; "" when absent.
func field(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// object returns a canonical object field; nil when absent.
func object(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// objects returns the objects of a canonical array field.
func objects(m map[string]any, key string) []map[string]any {
	var out []map[string]any
	for _, v := range m[key].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

// stringsOf returns the strings of a canonical array field.
func stringsOf(m map[string]any, key string) []string {
	var out []string
	for _, v := range m[key].([]any) {
		out = append(out, v.(string))
	}
	return out
}

// lineNo returns a line's line_no as written in EDI.
func lineNo(l map[string]any) string {
	n, ok := l["line_no"].(float64)
	if !ok {
		return ""
	}
	return strconv.Itoa(int(n))
}

// ccyymmdd writes a canonical date YYYY-MM-DD as EDI's CCYYMMDD.
func ccyymmdd(date string) string { return strings.ReplaceAll(date, "-", "") }

// requireDecimal checks that got is the decimal want ("379.00" and
// "379" are the same number), with exact decimal arithmetic.
func requireDecimal(t *testing.T, want, got string, what string) {
	t.Helper()
	w, ok := new(big.Rat).SetString(want)
	require.Truef(t, ok, "%s: canonical %q is not a decimal", what, want)
	g, ok := new(big.Rat).SetString(got)
	require.Truef(t, ok, "%s: the npm parser read %q, not a decimal (want %s)", what, got, want)
	require.Truef(t, w.Cmp(g) == 0, "%s: want %s, the npm parser read %s", what, want, got)
}

// The harness's own tests: hand-written EDI, not from our writer, whose
// values must come back exactly, and broken EDI that must be refused.

// handX12850 is a hand-written 850 (not from our writer) that checks the
// harness itself: what node-x12 reads must be exactly what is written.
const handX12850 = "ISA*00*          *00*          *ZZ*DEALER         *ZZ*SUPPLIER       *260105*1200*U*00401*000000042*0*T*>~\n" +
	"GS*PO*DEALER*SUPPLIER*20260105*1200*42*X*004010~\n" +
	"ST*850*0001~\n" +
	"BEG*00*SA*PO-1001**20260105~\n" +
	"REF*VN*V>1~\n" +
	"PO1*1*12*EA*3.50**VP*SKU-1*BP*B-1~\n" +
	"PO1*2*1.5*KG*10**VP*SKU-2~\n" +
	"CTT*2~\n" +
	"SE*7*0001~\n" +
	"GE*1*42~\n" +
	"IEA*1*000000042~\n"

// handORDERS is a hand-written UNOY ORDERS with Chinese text and a
// released '+' in it.
const handORDERS = "UNA:+.? '" +
	"UNB+UNOY:3+SENDER:14+RECEIVER:14+260105:1200+42'" +
	"UNH+1+ORDERS:D:96A:UN:EAN008'" +
	"BGM+220+PO-1001+9'" +
	"DTM+137:20260105:102'" +
	"FTX+AAI+++经销商?+订单'" +
	"LIN+1++SKU-1:SA'" +
	"QTY+21:12:PCE'" +
	"PRI+AAA:3.50'" +
	"UNS+S'" +
	"UNT+9+1'" +
	"UNZ+1+42'"

// TestNPMParseHandWritten checks the harness on EDI written by hand: the
// values node-x12 and edifact read are the ones written.
func TestNPMParseHandWritten(t *testing.T) {
	t.Parallel()
	t.Run("x12 850", func(t *testing.T) {
		t.Parallel()
		f := npmParse(t, "x12", []byte(handX12850))
		ic, g, tx := f.Only(t)
		require.Equal(t, "ISA", ic.Header.Tag)
		require.Equal(t, "IEA", ic.Trailer.Tag)
		require.Equal(t, []string{"PO", "DEALER", "SUPPLIER", "20260105", "1200", "42", "X", "004010"}, g.Header.Values())
		require.Equal(t, []string{"850", "0001"}, tx.Header.Values())
		require.Equal(t, []string{"BEG", "REF", "PO1", "PO1", "CTT"}, tx.Tags())
		require.Equal(t, "7", tx.Trailer.Value(1))
		require.Equal(t, 7, tx.Count())
		beg := tx.Seg(t, "BEG", 1)
		require.Equal(t, "PO-1001", beg.Value(3))
		require.Equal(t, "20260105", beg.Value(5))
		require.Equal(t, []string{"V", "1"}, tx.Seg(t, "REF", 1).Elements[1], "REF02 split at ISA16")
		require.Equal(t, []string{"1", "12", "EA", "3.50", "", "VP", "SKU-1", "BP", "B-1"}, f.Segment("PO1", 1))
		require.Equal(t, []string{"2", "1.5", "KG", "10", "", "VP", "SKU-2"}, f.Segment("PO1", 2))
		require.Nil(t, f.Segment("PO1", 3))
	})
	t.Run("edifact ORDERS", func(t *testing.T) {
		t.Parallel()
		f := npmParse(t, "edifact", []byte(handORDERS))
		ic, g, tx := f.Only(t)
		require.Equal(t, []string{"UNOY", "3"}, ic.Header.Elements[0])
		require.Nil(t, g.Header, "no UNG")
		require.Equal(t, []string{"ORDERS", "D", "96A", "UN", "EAN008"}, tx.Header.Elements[1])
		require.Equal(t, "9", tx.Trailer.Value(1))
		require.Equal(t, 9, tx.Count())
		require.Equal(t, "PO-1001", tx.Seg(t, "BGM", 1).Value(2))
		require.Equal(t, []string{"137", "20260105", "102"}, tx.Seg(t, "DTM", 1).Elements[0])
		require.Equal(t, "经销商+订单", tx.Seg(t, "FTX", 1).Value(4))
		require.Equal(t, []string{"SKU-1", "SA"}, tx.Seg(t, "LIN", 1).Elements[2])
		require.Equal(t, []string{"21", "12", "PCE"}, tx.Seg(t, "QTY", 1).Elements[0])
		require.Equal(t, []string{"AAA", "3.50"}, tx.Seg(t, "PRI", 1).Elements[0])
		require.Equal(t, []string{"1", "42"}, ic.Trailer.Values())
	})
	t.Run("edifact syntax 4 UNA", func(t *testing.T) {
		t.Parallel()
		// Syntax version 4 declares '*' as repetition separator in UNA
		// position 7; a released "?*" is a literal '*'.
		data := strings.Replace(strings.Replace(handORDERS, "UNA:+.? '", "UNA:+.?*'", 1), "UNOY:3", "UNOY:4", 1)
		data = strings.Replace(data, "经销商?+订单", "经销商?*订单", 1)
		f := npmParse(t, "edifact", []byte(data))
		_, _, tx := f.Only(t)
		require.Equal(t, "经销商*订单", tx.Seg(t, "FTX", 1).Value(4))
		require.Equal(t, []string{"21", "12", "PCE"}, tx.Seg(t, "QTY", 1).Elements[0])
	})
}

// TestNPMParseRefuses checks that the harness reports a library's refusal
// with its message, so a broken interchange cannot pass as parsed.
func TestNPMParseRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, standard, data, want string
	}{
		{"x12 SE01 off by one", "x12", strings.Replace(handX12850, "SE*7*", "SE*8*", 1), "SE01 (8)"},
		{"x12 SE02 mismatch", "x12", strings.Replace(handX12850, "SE*7*0001", "SE*7*0002", 1), "SE02 (0002)"},
		{"x12 GE01 mismatch", "x12", strings.Replace(handX12850, "GE*1*", "GE*2*", 1), "GE01 (2)"},
		{"x12 short ISA", "x12", strings.Replace(handX12850, "DEALER         ", "DEALER        ", 1), "ISA segment is not the correct length"},
		{"edifact segment after UNT", "edifact", strings.Replace(handORDERS, "UNT+9+1'", "UNT+9+1'QTY+21:1'", 1), "segment outside a message"},
		{"edifact unterminated", "edifact", strings.TrimSuffix(handORDERS, "'"), "incomplete message"},
		{"edifact lowercase in UNOA", "edifact", strings.Replace(strings.Replace(handORDERS, "UNOY", "UNOA", 1), "经销商?+订单", "order", 1), "Invalid character o"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := npmTryParse(t, tc.standard, []byte(tc.data))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}
