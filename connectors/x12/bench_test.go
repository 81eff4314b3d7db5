package x12_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/dealerhub/dealerhub/connectors/x12"
)

// bench850 is a ~5 MB interchange of 850s, one segment per line.
var bench850 = generate850(5<<20, "~\n")

// BenchmarkTokenizer splits a ~5 MB 850 interchange into segments and
// reports MB/s and segments/s.
func BenchmarkTokenizer(b *testing.B) {
	b.SetBytes(int64(len(bench850)))
	b.ReportAllocs()
	segs := 0
	for b.Loop() {
		tk := x12.NewTokenizer(bytes.NewReader(bench850))
		segs = 0
		for {
			_, err := tk.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			segs++
		}
	}
	b.ReportMetric(float64(segs)*float64(b.N)/b.Elapsed().Seconds(), "segments/s")
}

// BenchmarkRead reads the same interchange into envelopes and sets, with
// the segment tag check.
func BenchmarkRead(b *testing.B) {
	b.SetBytes(int64(len(bench850)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := x12.ReadBytes(bench850, x12.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite writes the sets of that interchange again.
func BenchmarkWrite(b *testing.B) {
	f, err := x12.ReadBytes(bench850, x12.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var sets []x12.OutSet
	for _, s := range f.Sets() {
		sets = append(sets, x12.OutSet{Type: s.Type, Control: s.ControlNumber, Body: s.Body()})
	}
	env := x12.Envelope{Sender: f.Interchanges[0].Sender, Receiver: f.Interchanges[0].Receiver,
		InterchangeControl: 1, GroupControl: 1, Date: when, Delimiters: x12.Delimiters{Element: "*", Component: ">", Segment: "~\n"}}
	b.SetBytes(int64(len(bench850)))
	b.ReportAllocs()
	for b.Loop() {
		if err := x12.Write(io.Discard, env, sets); err != nil {
			b.Fatal(err)
		}
	}
}
