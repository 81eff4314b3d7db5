package edifact_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

// bigOrders is a generated ORDERS interchange of about 5 MB: 1,000
// orders of 55 lines each, with released characters and CR/LF.
var bigOrders = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	b.WriteString("UNA:+.? '\r\nUNB+UNOC:3+5400110000009:14+5013546107732:14+260105:1237+REF1++++1+EANCOM'\r\n")
	const orders, lines = 1000, 55
	for o := 1; o <= orders; o++ {
		fmt.Fprintf(&b, "UNH+%d+ORDERS:D:96A:UN:EAN008'\r\nBGM+220+PO%06d+9'\r\nDTM+137:20260105:102'\r\n", o, o)
		b.WriteString("NAD+BY+5400110000009::9++M\xfcller GmbH?+Co+Hauptstra\xdfe 1+Berlin++10115+DE'\r\n")
		for l := 1; l <= lines; l++ {
			fmt.Fprintf(&b, "LIN+%d++54001118%05d:EN'\r\nQTY+21:%d'\r\nPRI+AAA:%d.80:CT:AAE'\r\nFTX+AAA+++SINK 60?:40 CM?'S'\r\n",
				l, l, l%50+1, l%90+10)
		}
		fmt.Fprintf(&b, "UNS+S'\r\nCNT+2:%d'\r\nUNT+%d+%d'\r\n", lines, 4+4*lines+3, o)
	}
	fmt.Fprintf(&b, "UNZ+%d+REF1'\r\n", orders)
	return b.Bytes()
})

func BenchmarkTokenizer(b *testing.B) {
	data := bigOrders()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tok := edifact.NewTokenizer(bytes.NewReader(data))
		n := 0
		for {
			_, err := tok.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(n), "segments/op")
	}
}

func BenchmarkRead(b *testing.B) {
	data := bigOrders()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := edifact.Read(bytes.NewReader(data), edifact.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Err(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	f, err := edifact.Read(bytes.NewReader(bigOrders()), edifact.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var msgs []edifact.OutMessage
	for _, m := range f.Messages() {
		msgs = append(msgs, edifact.OutMessage{Type: "ORDERS", Version: "D", Release: "96A", Association: "EAN008",
			Control: m.ControlNumber, Body: m.Body()})
	}
	env := envelope("UNOC", "3")
	var out bytes.Buffer
	if err := edifact.Write(&out, env, msgs); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(out.Len()))
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := edifact.Write(&out, env, msgs); err != nil {
			b.Fatal(err)
		}
	}
}

// The generated interchange is valid, so the benchmarks measure the
// happy path.
func TestBenchmarkInputIsValid(t *testing.T) {
	t.Parallel()
	data := bigOrders()
	require.Greater(t, len(data), 4<<20, "about 5 MB")
	f, err := edifact.Read(bytes.NewReader(data), edifact.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Len(t, f.Messages(), 1000)
	nad := f.Messages()[0].Body()[2]
	require.Equal(t, connectors.EDIElement{{"M\u00fcller GmbH+Co"}}, nad.Elements[3])
}
