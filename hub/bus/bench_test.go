package bus

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

func benchMessages(b *Bus, n int) []Message {
	ms := make([]Message, n)
	for i := range ms {
		ms[i] = Message{
			Subject: b.InboundSubject("stock_level", "acme"),
			ID:      fmt.Sprintf("bench-%d", i),
			Data:    []byte(`{"sku":"A-1","qty":"12"}`),
		}
	}
	return ms
}

func BenchmarkPublishBatch(tb *testing.B) {
	b, err := Open(tb.Context(), Config{DataDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Close()
	ms := benchMessages(b, tb.N)
	tb.ResetTimer()
	if err := b.PublishBatch(tb.Context(), ms); err != nil {
		tb.Fatal(err)
	}
	tb.StopTimer()
	tb.ReportMetric(float64(tb.N)/tb.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkConsume(tb *testing.B) {
	for _, conc := range []int{1, 8} {
		tb.Run(fmt.Sprintf("concurrency=%d", conc), func(tb *testing.B) {
			b, err := Open(tb.Context(), Config{DataDir: tb.TempDir()})
			if err != nil {
				tb.Fatal(err)
			}
			defer b.Close()
			if err := b.PublishBatch(tb.Context(), benchMessages(b, tb.N)); err != nil {
				tb.Fatal(err)
			}
			ctx, cancel := context.WithCancel(tb.Context())
			var handled atomic.Int64
			tb.ResetTimer()
			err = b.Consume(ctx, ConsumerConfig{Stream: StreamInbound, Durable: "bench", Concurrency: conc},
				func(context.Context, *Msg) error {
					if handled.Add(1) == int64(tb.N) {
						cancel()
					}
					return nil
				}, nil)
			tb.StopTimer()
			if err != nil {
				tb.Fatal(err)
			}
			tb.ReportMetric(float64(tb.N)/tb.Elapsed().Seconds(), "msgs/s")
		})
	}
}
