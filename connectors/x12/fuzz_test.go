package x12_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// fuzzSeeds are the shared samples (when present) and the bad inputs of
// the table tests.
func fuzzSeeds() [][]byte {
	var seeds [][]byte
	matches, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "edi-samples", "*", "*.edi"))
	for _, m := range matches {
		if b, err := os.ReadFile(m); err == nil {
			seeds = append(seeds, b)
		}
	}
	good := interchange(po850, po850)
	head := isa("00401", "000000007", "U", ">", "~")
	for _, s := range []string{
		good,
		"\xEF\xBB\xBF" + strings.ReplaceAll(good, "~", "~\r\n"),
		strings.ReplaceAll(good, "~", "…"),
		isa("00501", "000000002", "^", ":", "~") + "GS*PO*A*B*20260105*1200*1*X*005010~ST*850*0001~REF*ZZ*A^B:C^~SE*3*0001~GE*1*1~IEA*1*000000002~",
		good + "\n\n" + strings.ReplaceAll(good, "*", "|"),
		head + "GS*PO*A*B~ST*850*0001~BEG*00~",
		strings.Replace(good, "SE*8*0001", "SE*9*0003", 1),
		strings.Replace(good, "GE*2*42", "GE*5*41", 1),
		strings.Replace(good, "IEA*1*000000007", "IEA*4*000000009", 1),
		strings.Replace(good, "DEALER         ", "DEALER", 1),
		strings.Replace(good, "REF*DP*038", "BSN*00*1~po1*1", 1),
		"UNB+UNOC:3+A+B'",
		"ISA",
		"",
		"SKU,Name\n",
		head + strings.Repeat("A", 300),
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// FuzzTokenizer: the tokenizer never panics, always stops, hands out
// segments whose positions count up from each ISA and whose offsets point
// at their tags, and gives the same segments whatever the read sizes.
func FuzzTokenizer(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		whole, err := tokenizeAll(t, bytes.NewReader(data), len(data))
		last := int64(-1)
		for i, s := range whole {
			if s.Offset <= last || s.Offset >= int64(len(data)) {
				t.Fatalf("segment %d (%s) at offset %d after %d in %d bytes", i, s.Tag, s.Offset, last, len(data))
			}
			last = s.Offset
			if !bytes.HasPrefix(data[s.Offset:], []byte(s.Tag)) {
				t.Fatalf("segment %d: tag %q is not at offset %d", i, s.Tag, s.Offset)
			}
			switch {
			case s.Tag == "ISA" && s.Pos != 1:
				t.Fatalf("ISA at position %d", s.Pos)
			case s.Tag != "ISA" && (i == 0 || s.Pos != whole[i-1].Pos+1):
				t.Fatalf("segment %d (%s) at position %d", i, s.Tag, s.Pos)
			}
		}
		var ee *connectors.EDIError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("error is not located: %v", err)
		}
		small, err2 := tokenizeAll(t, iotest.OneByteReader(bytes.NewReader(data)), len(data))
		if len(small) != len(whole) || (err == nil) != (err2 == nil) {
			t.Fatalf("one byte at a time: %d segments (%v), at once: %d (%v)", len(small), err2, len(whole), err)
		}
	})
}

func tokenizeAll(t *testing.T, r io.Reader, size int) ([]connectors.EDISegment, error) {
	tk := x12.NewTokenizer(r)
	tk.SetMaxSegmentBytes(4096)
	var segs []connectors.EDISegment
	// Each segment takes at least one byte, so this bounds the loop.
	for range size + 2 {
		seg, err := tk.Next()
		if errors.Is(err, io.EOF) {
			return segs, nil
		}
		if err != nil {
			if _, again := tk.Next(); again != err {
				t.Fatalf("error not sticky: %v, then %v", err, again)
			}
			return segs, err
		}
		segs = append(segs, seg)
	}
	t.Fatalf("tokenizer did not stop on %d bytes", size)
	return nil, nil
}

// FuzzRead: Read never panics; every set runs from ST (and SE when not
// cut short); acknowledgments can be built for anything read; and a set
// that the writer accepts reads back the same.
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := x12.ReadBytes(data, x12.Options{MaxSegmentBytes: 4096})
		if file == nil {
			t.Fatalf("no file with error %v", err)
		}
		_ = file.Err()
		for _, ic := range file.Interchanges {
			_ = x12.TA1(ic, x12.AckOptions{})
			for _, g := range ic.Groups {
				ack := x12.Ack997(ic, g, x12.AckOptions{})
				if _, err := x12.ParseAck(connectors.EDITransaction{Type: "997", Segments: ack.Body}); err != nil {
					t.Fatalf("our own 997 does not parse: %v", err)
				}
				for _, s := range g.Sets {
					if s.Segments[0].Tag != "ST" {
						t.Fatalf("set starts with %s", s.Segments[0].Tag)
					}
					roundTrip(t, s)
				}
			}
		}
	})
}

// roundTrip writes a set's body again and checks that it reads back the
// same, when the writer takes it.
func roundTrip(t *testing.T, s x12.Set) {
	body := s.Body()
	if len(s.Segments) < 2 || s.Segments[len(s.Segments)-1].Tag != "SE" {
		body = s.Segments[1:]
	}
	env := x12.Envelope{Sender: connectors.EDIParty{ID: "A"}, Receiver: connectors.EDIParty{ID: "B"},
		GroupControl: 1, Version: "005010", Date: when, FunctionalID: "PO"}
	var buf bytes.Buffer
	if err := x12.Write(&buf, env, []x12.OutSet{{Type: "850", Body: body}}); err != nil {
		return // refused (a delimiter in a value, a bad tag): fine
	}
	back, err := x12.Read(&buf, x12.Options{KnownSegments: func(string) map[string]bool { return nil }})
	if err != nil || back.Err() != nil {
		t.Fatalf("written set does not read back: %v %v\n%q", err, back.Err(), buf.String())
	}
	got := back.Sets()[0].Body()
	if len(got) != len(body) {
		t.Fatalf("read back %d segments, wrote %d", len(got), len(body))
	}
	for i := range body {
		if a, b := normalize(body[i]), normalize(got[i]); !equalSegments(a, b) {
			t.Fatalf("segment %d: wrote %v, read %v", i, a, b)
		}
	}
}

// normalize drops what the writer does not write: trailing empty
// components and elements.
func normalize(s connectors.EDISegment) connectors.EDISegment {
	out := connectors.EDISegment{Tag: s.Tag}
	for _, el := range s.Elements {
		var norm connectors.EDIElement
		empty := true
		for _, rep := range el {
			n := len(rep)
			for n > 1 && rep[n-1] == "" {
				n--
			}
			norm = append(norm, rep[:n])
			for _, v := range rep {
				empty = empty && v == ""
			}
		}
		if empty {
			norm = nil
		}
		out.Elements = append(out.Elements, norm)
	}
	for len(out.Elements) > 0 && out.Elements[len(out.Elements)-1] == nil {
		out.Elements = out.Elements[:len(out.Elements)-1]
	}
	return out
}

func equalSegments(a, b connectors.EDISegment) bool {
	if a.Tag != b.Tag || len(a.Elements) != len(b.Elements) {
		return false
	}
	for i := range a.Elements {
		if len(a.Elements[i]) != len(b.Elements[i]) {
			return false
		}
		for j := range a.Elements[i] {
			if strings.Join(a.Elements[i][j], "\x00") != strings.Join(b.Elements[i][j], "\x00") ||
				len(a.Elements[i][j]) != len(b.Elements[i][j]) {
				return false
			}
		}
	}
	return true
}
