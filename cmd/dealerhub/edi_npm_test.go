package main

// Cross-checks of dealerhub's EDI against independent npm parsers (see
// edinpm_test.go for the harness).

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// handX12850 is a hand-written 850 (not from our writer) that checks the
// harness itself: what node-x12 reads must be exactly what is written.
const handX12850 = "ISA*00*          *00*          *ZZ*DEALER         *ZZ*SUPPLIER       *260105*1200*U*00401*000000042*0*T*>~\n" +
	"GS*PO*DEALER*SUPPLIER*20260105*1200*42*X*004010~\n" +
	"ST*850*0001~\n" +
	"BEG*00*SA*PO-1001**20260105~\n" +
	"REF*VN*V>1~\n" +
	"PO1*1*12*EA*3.50**VP*SKU-1*BP*B-1~\n" +
	"PO1*2*1.5*KG*10**VP*SKU-2~\n" +
	"CTT*2~\n" +
	"SE*7*0001~\n" +
	"GE*1*42~\n" +
	"IEA*1*000000042~\n"

// handORDERS is a hand-written UNOY ORDERS with Chinese text and a
// released '+' in it.
const handORDERS = "UNA:+.? '" +
	"UNB+UNOY:3+SENDER:14+RECEIVER:14+260105:1200+42'" +
	"UNH+1+ORDERS:D:96A:UN:EAN008'" +
	"BGM+220+PO-1001+9'" +
	"DTM+137:20260105:102'" +
	"FTX+AAI+++经销商?+订单'" +
	"LIN+1++SKU-1:SA'" +
	"QTY+21:12:PCE'" +
	"PRI+AAA:3.50'" +
	"UNS+S'" +
	"UNT+9+1'" +
	"UNZ+1+42'"

// TestNPMParseHandWritten checks the harness on EDI written by hand: the
// values node-x12 and edifact read are the ones written.
func TestNPMParseHandWritten(t *testing.T) {
	t.Parallel()
	t.Run("x12 850", func(t *testing.T) {
		t.Parallel()
		f := npmParse(t, "x12", []byte(handX12850))
		ic, g, tx := f.Only(t)
		require.Equal(t, "ISA", ic.Header.Tag)
		require.Equal(t, "IEA", ic.Trailer.Tag)
		require.Equal(t, []string{"PO", "DEALER", "SUPPLIER", "20260105", "1200", "42", "X", "004010"}, g.Header.Values())
		require.Equal(t, []string{"850", "0001"}, tx.Header.Values())
		require.Equal(t, []string{"BEG", "REF", "PO1", "PO1", "CTT"}, tx.Tags())
		require.Equal(t, "7", tx.Trailer.Value(1))
		require.Equal(t, 7, tx.Count())
		beg := tx.Seg(t, "BEG", 1)
		require.Equal(t, "PO-1001", beg.Value(3))
		require.Equal(t, "20260105", beg.Value(5))
		require.Equal(t, []string{"V", "1"}, tx.Seg(t, "REF", 1).Elements[1], "REF02 split at ISA16")
		require.Equal(t, []string{"1", "12", "EA", "3.50", "", "VP", "SKU-1", "BP", "B-1"}, f.Segment("PO1", 1))
		require.Equal(t, []string{"2", "1.5", "KG", "10", "", "VP", "SKU-2"}, f.Segment("PO1", 2))
		require.Nil(t, f.Segment("PO1", 3))
	})
	t.Run("edifact ORDERS", func(t *testing.T) {
		t.Parallel()
		f := npmParse(t, "edifact", []byte(handORDERS))
		ic, g, tx := f.Only(t)
		require.Equal(t, []string{"UNOY", "3"}, ic.Header.Elements[0])
		require.Nil(t, g.Header, "no UNG")
		require.Equal(t, []string{"ORDERS", "D", "96A", "UN", "EAN008"}, tx.Header.Elements[1])
		require.Equal(t, "9", tx.Trailer.Value(1))
		require.Equal(t, 9, tx.Count())
		require.Equal(t, "PO-1001", tx.Seg(t, "BGM", 1).Value(2))
		require.Equal(t, []string{"137", "20260105", "102"}, tx.Seg(t, "DTM", 1).Elements[0])
		require.Equal(t, "经销商+订单", tx.Seg(t, "FTX", 1).Value(4))
		require.Equal(t, []string{"SKU-1", "SA"}, tx.Seg(t, "LIN", 1).Elements[2])
		require.Equal(t, []string{"21", "12", "PCE"}, tx.Seg(t, "QTY", 1).Elements[0])
		require.Equal(t, []string{"AAA", "3.50"}, tx.Seg(t, "PRI", 1).Elements[0])
		require.Equal(t, []string{"1", "42"}, ic.Trailer.Values())
	})
	t.Run("edifact syntax 4 UNA", func(t *testing.T) {
		t.Parallel()
		// Syntax version 4 declares '*' as repetition separator in UNA
		// position 7; a released "?*" is a literal '*'.
		data := strings.Replace(strings.Replace(handORDERS, "UNA:+.? '", "UNA:+.?*'", 1), "UNOY:3", "UNOY:4", 1)
		data = strings.Replace(data, "经销商?+订单", "经销商?*订单", 1)
		f := npmParse(t, "edifact", []byte(data))
		_, _, tx := f.Only(t)
		require.Equal(t, "经销商*订单", tx.Seg(t, "FTX", 1).Value(4))
		require.Equal(t, []string{"21", "12", "PCE"}, tx.Seg(t, "QTY", 1).Elements[0])
	})
}

// TestNPMParseRefuses checks that the harness reports a library's refusal
// with its message, so a broken interchange cannot pass as parsed.
func TestNPMParseRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, standard, data, want string
	}{
		{"x12 SE01 off by one", "x12", strings.Replace(handX12850, "SE*7*", "SE*8*", 1), "SE01 (8)"},
		{"x12 SE02 mismatch", "x12", strings.Replace(handX12850, "SE*7*0001", "SE*7*0002", 1), "SE02 (0002)"},
		{"x12 GE01 mismatch", "x12", strings.Replace(handX12850, "GE*1*", "GE*2*", 1), "GE01 (2)"},
		{"x12 short ISA", "x12", strings.Replace(handX12850, "DEALER         ", "DEALER        ", 1), "ISA segment is not the correct length"},
		{"edifact segment after UNT", "edifact", strings.Replace(handORDERS, "UNT+9+1'", "UNT+9+1'QTY+21:1'", 1), "segment outside a message"},
		{"edifact unterminated", "edifact", strings.TrimSuffix(handORDERS, "'"), "incomplete message"},
		{"edifact lowercase in UNOA", "edifact", strings.Replace(strings.Replace(handORDERS, "UNOY", "UNOA", 1), "经销商?+订单", "order", 1), "Invalid character o"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := npmTryParse(t, tc.standard, []byte(tc.data))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}
