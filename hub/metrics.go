package hub

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	messagesReceived  *prometheus.CounterVec
	messagesProcessed *prometheus.CounterVec
	deliveries        *prometheus.CounterVec
	outboxPublished   prometheus.Counter
	processingSeconds prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		messagesReceived: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealerhub_messages_received_total", Help: "Raw messages stored (duplicates not counted).",
		}, []string{"doctype"}),
		messagesProcessed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealerhub_messages_processed_total", Help: "Messages that finished processing, by final status.",
		}, []string{"status"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealerhub_delivery_attempts_total", Help: "Delivery outcomes by channel and result.",
		}, []string{"channel", "result"}),
		outboxPublished: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dealerhub_outbox_published_total", Help: "Outbox rows published to the bus.",
		}),
		processingSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "dealerhub_message_processing_seconds", Help: "Time to decode, validate and commit one message.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.messagesReceived, m.messagesProcessed, m.deliveries, m.outboxPublished, m.processingSeconds} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("registering metrics: %w", err)
			}
		}
	}
	return m, nil
}
