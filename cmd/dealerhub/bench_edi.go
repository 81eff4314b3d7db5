package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/schemas"
)

// ediBenchResult is `bench edi`'s figures: reading a generated 850
// interchange (tokens only, then envelopes and sets) and mapping it to
// canonical orders (with schema validation, as the pipeline does).
type ediBenchResult struct {
	Bytes         int     `json:"bytes"`
	Sets          int     `json:"sets"`
	Lines         int     `json:"lines"`
	Runs          int     `json:"runs"`
	TokenizeMBps  float64 `json:"tokenize_mb_per_second"`
	ReadMBps      float64 `json:"read_mb_per_second"`
	ReadSetsPerS  float64 `json:"read_sets_per_second"`
	MapMBps       float64 `json:"read_and_map_mb_per_second"`
	MapDocsPerS   float64 `json:"read_and_map_documents_per_second"`
	PeakHeapMiB   float64 `json:"peak_heap_mib"`
	DocumentsMade int     `json:"documents"`
}

func cmdBenchEDI(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench edi", stderr)
	mb := fs.Float64("mb", 5, "size of the generated 850 interchange, in MB")
	lines := fs.Int("lines", 20, "PO1 lines per 850")
	runs := fs.Int("runs", 3, "runs of each stage; the median is reported")
	asJSON := fs.Bool("json", false, "print JSON")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *mb <= 0 || *lines <= 0 || *runs <= 0 {
		return usageErr("--mb, --lines and --runs must be positive")
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	data, sets := generate850s(int(*mb*1e6), *lines)
	reg, err := schemas.New()
	if err != nil {
		return err
	}
	res := ediBenchResult{Bytes: len(data), Sets: sets, Lines: sets * *lines, Runs: *runs}
	mbs := float64(len(data)) / 1e6
	tok := median(*runs, func() (time.Duration, error) {
		start := time.Now()
		t := x12.NewTokenizer(bytes.NewReader(data))
		for {
			if _, err := t.Next(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return 0, err
			}
		}
		return time.Since(start), nil
	})
	read := median(*runs, func() (time.Duration, error) {
		start := time.Now()
		f, err := x12.ReadBytes(data, x12.Options{})
		if err == nil {
			err = f.Err()
		}
		return time.Since(start), err
	})
	var peak uint64
	mapped := median(*runs, func() (time.Duration, error) {
		start := time.Now()
		rep, err := hub.ReadEDI(nil, reg, connectors.FormatX12, bytes.NewReader(data))
		if err != nil {
			return 0, err
		}
		d := time.Since(start)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		n := 0
		for _, ic := range rep.Interchanges {
			for _, g := range ic.Groups {
				for _, s := range g.Sets {
					n += len(s.Documents)
				}
			}
		}
		res.DocumentsMade = n
		// The generated parties are no partner's: every document maps,
		// and sender and receiver are the interchange ids.
		if err := rep.Err(); err != nil {
			return 0, err
		}
		return d, nil
	})
	for _, r := range []struct {
		d   time.Duration
		err error
	}{tok, read, mapped} {
		if r.err != nil {
			return r.err
		}
	}
	res.TokenizeMBps = mbs / tok.d.Seconds()
	res.ReadMBps = mbs / read.d.Seconds()
	res.ReadSetsPerS = float64(sets) / read.d.Seconds()
	res.MapMBps = mbs / mapped.d.Seconds()
	res.MapDocsPerS = float64(res.DocumentsMade) / mapped.d.Seconds()
	res.PeakHeapMiB = float64(peak) / (1 << 20)
	if *asJSON {
		return printJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "X12 850 interchange: %.2f MB, %d sets of %d lines (median of %d runs)\n", mbs, sets, *lines, *runs)
	fmt.Fprintf(stdout, "  tokenize:                 %8.1f MB/s\n", res.TokenizeMBps)
	fmt.Fprintf(stdout, "  read (envelopes, checks): %8.1f MB/s  %10.0f sets/s\n", res.ReadMBps, res.ReadSetsPerS)
	fmt.Fprintf(stdout, "  read + map + validate:    %8.1f MB/s  %10.0f documents/s (%d documents)\n", res.MapMBps, res.MapDocsPerS, res.DocumentsMade)
	fmt.Fprintf(stdout, "  heap in use after mapping: %.0f MiB\n", res.PeakHeapMiB)
	return nil
}

type timed struct {
	d   time.Duration
	err error
}

// median runs f n times and returns the median duration.
func median(n int, f func() (time.Duration, error)) timed {
	var ds []time.Duration
	for range n {
		d, err := f()
		if err != nil {
			return timed{err: err}
		}
		ds = append(ds, d)
	}
	for i := range ds {
		for j := i + 1; j < len(ds); j++ {
			if ds[j] < ds[i] {
				ds[i], ds[j] = ds[j], ds[i]
			}
		}
	}
	return timed{d: ds[len(ds)/2]}
}

// generate850s writes one interchange of 850s of lines lines each, about
// size bytes, and returns it with the number of sets.
func generate850s(size, lines int) ([]byte, int) {
	var body strings.Builder
	sets := 0
	for body.Len() < size {
		sets++
		ctl := fmt.Sprintf("%04d", sets%10000)
		fmt.Fprintf(&body, "ST*850*%s~BEG*00*SA*PO-%07d**20261125~CUR*BY*USD~DTM*002*20261210~N1*ST*NORTH HARDWARE*92*WH01~", ctl, sets)
		for l := 1; l <= lines; l++ {
			fmt.Fprintf(&body, "PO1*%d*%d*EA*%d.%02d**VN*SKU-%05d*BP*B-%05d~PID*F****WIDGET %d~", l, l*3, l%90+1, l%100, l, l, l)
		}
		fmt.Fprintf(&body, "CTT*%d~SE*%d*%s~", lines, 7+2*lines, ctl)
	}
	isa := "ISA*00*          *00*          *ZZ*BENCHDEALER    *ZZ*BENCHSUPPLIER  *261125*0930*U*00401*000000001*0*P*>~"
	gs := "GS*PO*BENCHDEALER*BENCHSUPPLIER*20261125*0930*1*X*004010~"
	trailer := fmt.Sprintf("GE*%d*1~IEA*1*000000001~", sets)
	return []byte(isa + gs + body.String() + trailer), sets
}
