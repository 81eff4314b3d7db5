package edifact_test

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

// Read an inbound ORDERS interchange, use its lines, and answer the
// sender's request for a CONTRL.
func ExampleRead() {
	in := "UNA:+,? '\n" +
		"UNB+UNOC:3+5400110000009:14+5013546107732:14+260105:1237+REF42++++1'\n" +
		"UNH+1+ORDERS:D:96A:UN:EAN008'\n" +
		"BGM+220+PO-1001+9'\n" +
		"FTX+PUR+++M\xfcller ?+ S\xf6hne'\n" + // ISO 8859-1 under UNOC
		"LIN+1++4000862141404:EN'\n" +
		"QTY+21:12'\n" +
		"PRI+AAA:12,80'\n" + // decimal comma
		"UNS+S'\n" +
		"UNT+8+1'\n" +
		"UNZ+1+REF42'\n"
	file, err := edifact.Read(strings.NewReader(in), edifact.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ic := file.Interchanges[0]
	for _, m := range ic.Messages() {
		fmt.Println(m.Type, m.Version, m.ControlNumber, "errors:", len(m.Errors))
		for _, s := range m.Body() {
			switch s.Tag {
			case "FTX":
				fmt.Println("note:", s.Value(4))
			case "PRI":
				price, _ := edifact.Decimal(s.Component(1, 2), ic.Delimiters.Decimal)
				fmt.Println("price:", price)
			}
		}
	}
	if ic.AckRequested {
		ack := edifact.Contrl(ic, edifact.ContrlOptions{})
		env := ic.Reply("ACK1", time.Date(2026, 1, 5, 13, 0, 0, 0, time.UTC))
		env.LineBreaks = true
		if err := edifact.Write(os.Stdout, env, []edifact.OutMessage{ack}); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// ORDERS D96A 1 errors: 0
	// note: Müller + Söhne
	// price: 12.80
	// UNA:+,? '
	// UNB+UNOC:3+5013546107732:14+5400110000009:14+260105:1300+ACK1'
	// UNH+1+CONTRL:D:3:UN'
	// UCI+REF42+5400110000009:14+5013546107732:14+7'
	// UCM+1+ORDERS:D:96A:UN:EAN008+7'
	// UNT+4+1'
	// UNZ+1+ACK1'
}

// Chinese text needs UNOY; under UNOC Write names the segment and
// element it cannot write.
func ExampleWrite() {
	env := edifact.Envelope{
		Syntax:   "UNOC",
		Sender:   connectors.EDIParty{ID: "DEALER1", Qualifier: "ZZ"},
		Receiver: connectors.EDIParty{ID: "SUPPLIER9", Qualifier: "ZZ"},
		Date:     time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC),
		Control:  "1001",
	}
	msgs := []edifact.OutMessage{{Type: "ORDERS", Version: "D", Release: "96A", Body: []connectors.EDISegment{
		connectors.Seg("BGM", "220", "PO-1001", "9"),
		connectors.Seg("IMD", "F", "", connectors.Comp("", "", "", "不锈钢水槽")),
	}}}
	fmt.Println(edifact.Write(io.Discard, env, msgs))

	env.Syntax, env.LineBreaks = "UNOY", true
	if err := edifact.Write(os.Stdout, env, msgs); err != nil {
		fmt.Println(err)
	}
	// Output:
	// segment 5 (IMD) element 3 component 4: character '不' (U+4E0D) cannot be written in syntax level UNOC; text outside its character set needs UNOY or UNOW
	// UNA:+.?*'
	// UNB+UNOY:4+DEALER1:ZZ+SUPPLIER9:ZZ+20260105:0930+1001'
	// UNH+1+ORDERS:D:96A:UN'
	// BGM+220+PO-1001+9'
	// IMD+F++:::不锈钢水槽'
	// UNT+4+1'
	// UNZ+1+1001'
}
