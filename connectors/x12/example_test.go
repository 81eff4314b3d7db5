package x12_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// A dealer's purchase order arrives with a wrong segment count; the hub
// reads it, sees the problem, and answers with a 997 that rejects the set.
func ExampleRead() {
	in := "ISA*00*          *00*          *ZZ*DEALER         *ZZ*SUPPLIER       *260105*1200*U*00401*000000007*0*P*>~\n" +
		"GS*PO*DEALER*SUPPLIER*20260105*1200*42*X*004010~\n" +
		"ST*850*0001~\n" +
		"BEG*00*SA*PO-1001**20260105~\n" +
		"PO1*1*10*EA*9.25**VP*SKU-1~\n" +
		"SE*5*0001~\n" +
		"GE*1*42~\n" +
		"IEA*1*000000007~\n"
	f, err := x12.Read(strings.NewReader(in), x12.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, set := range f.Sets() {
		fmt.Println(set.Type, set.ControlNumber, "from", set.Sender.ID, "PO", set.Segments[1].Value(3))
	}
	fmt.Println(f.Err())

	ic := f.Interchanges[0]
	ack := x12.Ack997(ic, ic.Groups[0], x12.AckOptions{})
	env := x12.Envelope{
		Sender: ic.Receiver, Receiver: ic.Sender, FunctionalID: x12.FunctionalID("997"),
		InterchangeControl: 1, GroupControl: 1, Date: time.Date(2026, 1, 5, 12, 5, 0, 0, time.UTC),
		Delimiters: x12.Delimiters{Element: "*", Component: ">", Segment: "~\n"},
	}
	if err := x12.Write(os.Stdout, env, []x12.OutSet{ack}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 850 0001 from DEALER PO PO-1001
	// segment 6 (SE) element 1 at byte 226: SE01 says 5 segments (ST through SE) but there are 4
	// ISA*00*          *00*          *ZZ*SUPPLIER       *ZZ*DEALER         *260105*1205*U*00401*000000001*0*P*>~
	// GS*FA*SUPPLIER*DEALER*20260105*1205*1*X*004010~
	// ST*997*0001~
	// AK1*PO*42~
	// AK2*850*0001~
	// AK5*R*4~
	// AK9*R*1*1*0~
	// SE*6*0001~
	// GE*1*1~
	// IEA*1*000000001~
}

// Writing refuses a value that holds a delimiter: X12 has no escape
// character.
func ExampleWrite() {
	env := x12.Envelope{
		Sender: connectors.EDIParty{ID: "DEALER"}, Receiver: connectors.EDIParty{ID: "SUPPLIER"},
		InterchangeControl: 8, GroupControl: 8, Date: time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC),
	}
	err := x12.Write(os.Stdout, env, []x12.OutSet{{Type: "850", Body: []connectors.EDISegment{
		connectors.Seg("BEG", "00", "SA", "PO-1002", "", "20260105"),
		connectors.Seg("PID", "F", "", "", "", "SINK 60*45 CM"),
	}}})
	fmt.Println(err)
	// Output:
	// segment 5 (PID) element 5: PID05 "SINK 60*45 CM" contains the element separator "*"; X12 has no escape character, so the value cannot be sent
}

// The tokenizer alone streams segments of any size of input, learning the
// delimiters from each ISA.
func ExampleTokenizer() {
	in := "ISA*00*          *00*          *ZZ*DEALER         *ZZ*SUPPLIER       *260105*1200*^*00501*000000009*0*T*:…" +
		"GS*SH*DEALER*SUPPLIER*20260105*1200*9*X*005010…REF*ZZ*A^B:C…"
	tk := x12.NewTokenizer(strings.NewReader(in))
	for {
		seg, err := tk.Next()
		if err != nil {
			break // io.EOF at the end
		}
		fmt.Println(seg.Pos, seg.Offset, seg.Tag, seg.Value(1), seg.Repeats(2)[0])
	}
	fmt.Printf("%q\n", tk.Delimiters())
	// Output:
	// 1 0 ISA 00 [          ]
	// 2 108 GS SH [DEALER]
	// 3 157 REF ZZ [A]
	// {"*" ":" "^" "…"}
}
