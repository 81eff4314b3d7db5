package x12_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

// samplesDir returns the shared folder of real EDI samples. It fails on CI
// when the folder is missing, and skips elsewhere.
func samplesDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "edi-samples")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the EDI samples folder %s is missing (expected next to the repository, ../shared/edi-samples): %v", dir, err)
		}
		t.Skipf("the EDI samples folder %s is missing; skipping (on CI this fails)", dir)
	}
	return dir
}

// sampleFiles returns every X12 sample file, by relative name.
func sampleFiles(t testing.TB) map[string][]byte {
	t.Helper()
	dir := samplesDir(t)
	out := map[string][]byte{}
	for _, sub := range []string{"850", "856", "214", "997"} {
		matches, err := filepath.Glob(filepath.Join(dir, sub, "*.edi"))
		require.NoError(t, err)
		for _, m := range matches {
			b, err := os.ReadFile(m)
			require.NoError(t, err)
			out[sub+"/"+filepath.Base(m)] = b
		}
	}
	require.NotEmpty(t, out, "no X12 samples under %s", dir)
	return out
}

// isa returns a well-formed ISA with the given version, control number,
// ISA11 (repetition separator or "U"), component separator and segment
// terminator, with "*" between elements.
func isa(version, control, isa11, comp, term string) string {
	return fmt.Sprintf("ISA*00*%-10s*00*%-10s*ZZ*%-15s*ZZ*%-15s*260105*1200*%s*%s*%s*0*T*%s%s",
		"", "", "DEALER", "SUPPLIER", isa11, version, control, comp, term)
}

// interchange builds a 4010 interchange of one group with the given sets,
// each a list of body segments written with "*" and "~".
func interchange(sets ...[]string) string {
	var b strings.Builder
	b.WriteString(isa("00401", "000000007", "U", ">", "~"))
	b.WriteString("GS*PO*DEALER*SUPPLIER*20260105*1200*42*X*004010~")
	for i, body := range sets {
		fmt.Fprintf(&b, "ST*850*%04d~", i+1)
		for _, s := range body {
			b.WriteString(s + "~")
		}
		fmt.Fprintf(&b, "SE*%d*%04d~", len(body)+2, i+1)
	}
	fmt.Fprintf(&b, "GE*%d*42~IEA*1*000000007~", len(sets))
	return b.String()
}

// po850 is the body of a small purchase order.
var po850 = []string{"BEG*00*SA*PO-1001**20260105", "REF*DP*038", "N1*ST*DEALER ONE*92*0001",
	"PO1*1*10*EA*9.25**VP*SKU-1", "PO1*2*3*EA*13.79**VP*SKU-2", "CTT*2"}

// codes lists the codes of errors.
func codes(errs []*connectors.EDIError) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Code)
	}
	return out
}

// values returns each segment as tag and simple values: "PO1*1*10*EA".
func values(segs []connectors.EDISegment) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		parts := []string{s.Tag}
		for _, el := range s.Elements {
			var reps []string
			for _, r := range el {
				reps = append(reps, strings.Join(r, ">"))
			}
			parts = append(parts, strings.Join(reps, "^"))
		}
		out[i] = strings.Join(parts, "*")
	}
	return out
}

// generate850 returns one 4010 interchange of purchase orders (20 lines
// each) of at least size bytes, with term after each segment.
func generate850(size int, term string) []byte {
	var b bytes.Buffer
	b.WriteString(isa("00401", "000000001", "U", ">", term))
	b.WriteString("GS*PO*DEALER*SUPPLIER*20260105*1200*1*X*004010" + term)
	sets := 0
	for b.Len() < size {
		sets++
		n := 0
		seg := func(s string) {
			b.WriteString(s)
			b.WriteString(term)
			n++
		}
		ctrl := fmt.Sprintf("%04d", sets)
		seg("ST*850*" + ctrl)
		seg(fmt.Sprintf("BEG*00*SA*PO-%06d**20260105", sets))
		seg("REF*DP*038")
		seg("DTM*002*20260120")
		seg("N1*ST*DEALER ONE STORE 12*92*0001")
		seg("N3*31875 SOLON RD")
		seg("N4*SOLON*OH*44139")
		for line := 1; line <= 20; line++ {
			seg(fmt.Sprintf("PO1*%d*%d*EA*%d.25*PE*VP*SKU-%05d*UP*0123456%05d", line, line*3, line, sets%99999, line))
			seg(fmt.Sprintf("PID*F****STAINLESS SINK MODEL %d 600X450MM", line))
		}
		seg("CTT*20")
		n++
		seg(fmt.Sprintf("SE*%d*%s", n, ctrl))
	}
	b.WriteString(fmt.Sprintf("GE*%d*1%sIEA*1*000000001%s", sets, term, term))
	return b.Bytes()
}
