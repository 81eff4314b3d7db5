package schemas

import (
	"os"
	"testing"
)

func BenchmarkValidateOrder(b *testing.B) {
	r := newRegistry(b)
	raw, err := os.ReadFile("../testdata/canonical/order/valid/north_to_acme.json")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := decodeJSON(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if vs := r.Validate("order", doc); len(vs) != 0 {
			b.Fatal(vs)
		}
	}
}

func BenchmarkValidateOrderInvalid(b *testing.B) {
	r := newRegistry(b)
	raw, err := os.ReadFile("../testdata/canonical/order/invalid/float_price_bad_date_unknown_status.json")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := decodeJSON(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if vs := r.Validate("order", doc); len(vs) != 3 {
			b.Fatal(vs)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}
