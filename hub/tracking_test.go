package hub

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCarrierStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code, want string
		ok         bool
	}{
		{"D", "delivered", true},
		{" d ", "delivered", true},
		{"OFD", "out_for_delivery", true},
		{"AF", "picked_up", true},
		{"已签收", "delivered", true},
		{"in_transit", "in_transit", true},
		{"ZZ9", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			got, ok := CarrierStatus(tc.code)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestOrderDecimals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b, sum string
		cmp       int
	}{
		{"12", "0.5", "12.5", 1},
		{"0.1", "0.2", "0.3", -1},
		{"10", "10.00", "20.00", 0},
		{"0", "0", "0", 0},
	}
	for _, tc := range cases {
		t.Run(tc.a+"+"+tc.b, func(t *testing.T) {
			require.Equal(t, tc.sum, addDecimal(tc.a, tc.b))
			require.Equal(t, tc.cmp, compareDecimal(tc.a, tc.b))
		})
	}
}

func TestResponseStatus(t *testing.T) {
	t.Parallel()
	a := func(rs ...string) []LineAnswer {
		out := make([]LineAnswer, len(rs))
		for i, r := range rs {
			out[i] = LineAnswer{LineNo: i + 1, Response: r}
		}
		return out
	}
	cases := []struct {
		name  string
		lines []LineAnswer
		want  string
	}{
		{"all accepted", a("accepted", "accepted"), "confirmed"},
		{"all rejected", a("rejected"), "rejected"},
		{"a change", a("accepted", "changed"), "changed"},
		{"a rejection among acceptances", a("accepted", "rejected"), "partially_confirmed"},
		{"a backorder", a("changed", "backordered"), "partially_confirmed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, responseStatus(tc.lines))
		})
	}
}

func TestApplyReceipts(t *testing.T) {
	t.Parallel()
	o := Order{Lines: []OrderLine{{LineNo: 1, ReceivedQuantity: "0"}, {LineNo: 2, ReceivedQuantity: "0"}}}
	ok := applyReceipts(map[string]string{
		"received.ASN.1.A.1":     "3",
		"received.ASN.1.A.2":     "1.5",
		"received_at.ASN.1.A":    "2026-01-21T07:00:00Z",
		"received.ASN.1.A.9":     "1", // no such line
		"received.broken":        "1",
		"unrelated.received.x.1": "1",
	}, &o)
	require.True(t, ok)
	require.Equal(t, "3", o.Lines[0].ReceivedQuantity)
	require.Equal(t, "1.5", o.Lines[1].ReceivedQuantity)
	require.Len(t, o.Lines[0].Timeline, 1)
	require.Equal(t, "ASN.1.A", o.Lines[0].Timeline[0].Shipment)
	require.Equal(t, 2026, o.Lines[0].Timeline[0].At.Year())
	require.False(t, applyReceipts(nil, &Order{}))
}
