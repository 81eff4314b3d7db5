package edifact_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

// fuzzSeeds are the samples and the bad cases of the table tests.
func fuzzSeeds() [][]byte {
	seeds := [][]byte{
		[]byte(icOf(msg("1", "ORDERS", "BGM+220+PO?+1'", "FTX+AAA+++A?'B??C'"))),
		[]byte("UNA^~,! |UNB~UNOC^3~S~R~260105^1200~1|FTX~AAA~~~A!~B!|C|"),
		[]byte("\xEF\xBB\xBFUNA:+.? '\r\nUNB+UNOA:3+S+R+260105:1200+1'\r\nUNH+1+ORDERS:D:96A:UN'FTX+AAA+++lower'UNT+3+1'UNZ+1+1'"),
		[]byte("UNB+UNOY:4+S+R+20260105:1200+1'UNH+1+ORDERS:D:96A:UN'IMD+F++:::不锈钢*水槽'UNT+3+1'UNZ+1+1'"),
		[]byte("UNB+UNOC:3+S+R+260105:1200+1'NAD+SU+++M\xfcller'"),
		[]byte(unb3 + "FTX+AAA+??+X?'"),
		[]byte(unb3 + "UNH+1+ORDERS:D:96A:UN'BGM+220"),
		[]byte("UNB\x1dUNOB\x1f3\x1dS\x1dR\x1d260105\x1f1200\x1d1\x1c"),
		[]byte("UNA:+"), []byte("ISA*00*"), []byte(""),
	}
	// The shared samples join when present; the committed corpus under
	// testdata/fuzz keeps the fuzzers useful without them.
	paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "edi-samples", "ORDERS", "*.edi"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// FuzzTokenizer: the tokenizer never panics, always ends, numbers
// segments upwards from 1 in each interchange, moves forward through the
// input and hands out valid UTF-8.
func FuzzTokenizer(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok := edifact.NewTokenizer(bytes.NewReader(data))
		tok.SetMaxSegmentBytes(4096)
		var lastOff int64 = -1
		for range len(data) + 2 {
			seg, err := tok.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if seg.Pos == 0 {
				if err == nil {
					t.Fatal("no segment and no error")
				}
				var e *connectors.EDIError
				if !errors.As(err, &e) {
					t.Fatalf("not an EDIError: %v", err)
				}
				return
			}
			if seg.Offset <= lastOff || seg.Offset >= int64(len(data)) {
				t.Fatalf("segment %s at offset %d after %d (of %d bytes)", seg.Tag, seg.Offset, lastOff, len(data))
			}
			lastOff = seg.Offset
			if !utf8.ValidString(seg.Tag) {
				t.Fatalf("invalid UTF-8 in tag %q", seg.Tag)
			}
			for _, el := range seg.Elements {
				for _, rep := range el {
					for _, c := range rep {
						if !utf8.ValidString(c) {
							t.Fatalf("invalid UTF-8 in %s: %q", seg.Tag, c)
						}
					}
				}
			}
		}
		t.Fatalf("the tokenizer did not end on %d bytes", len(data))
	})
}

// FuzzRead: Read never panics, and every message it read without errors
// survives Write and Read unchanged (as UNOW, syntax 4).
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := edifact.Read(bytes.NewReader(data), edifact.Options{MaxSegmentBytes: 4096})
		if err != nil {
			return
		}
		_ = file.Err()
		for _, ic := range file.Interchanges {
			_ = edifact.Contrl(ic, edifact.ContrlOptions{})
			for _, m := range ic.Messages() {
				if len(m.Errors) > 0 || len(m.Segments) < 2 || m.Type == "" || m.Version == "" {
					continue
				}
				roundTrip(t, m)
			}
		}
	})
}

func roundTrip(t *testing.T, m edifact.Message) {
	unh := m.Segments[0]
	out := edifact.OutMessage{Type: unh.Component(2, 1), Version: unh.Component(2, 2), Release: unh.Component(2, 3),
		Agency: unh.Component(2, 4), Association: unh.Component(2, 5), Control: m.ControlNumber, Body: m.Body()}
	if out.Release == "" || len([]rune(m.ControlNumber)) > 14 {
		return
	}
	env := envelope("UNOW", "4")
	var b bytes.Buffer
	if err := edifact.Write(&b, env, []edifact.OutMessage{out}); err != nil {
		var e *connectors.EDIError
		if errors.As(err, &e) && e.Code == "bad_value" {
			return // a body segment the writer refuses by design (a service tag)
		}
		t.Fatalf("writing a message read without errors: %v", err)
	}
	back, err := edifact.Read(&b, edifact.Options{SkipSegmentCheck: true})
	if err != nil || len(back.Messages()) != 1 {
		t.Fatalf("reading back: %v\n%q", err, b.String())
	}
	got := back.Messages()[0].Body()
	if len(got) != len(out.Body) {
		t.Fatalf("%d segments back, wrote %d\n%q", len(got), len(out.Body), b.String())
	}
	for i := range got {
		if line(trimmed(got[i])) != line(trimmed(out.Body[i])) || !equalSeg(trimmed(got[i]), trimmed(out.Body[i])) {
			t.Fatalf("segment %d: %q back, wrote %q\n%q", i, show(got[i]), show(out.Body[i]), b.String())
		}
	}
}

func equalSeg(a, b connectors.EDISegment) bool { return show(a) == show(b) }
