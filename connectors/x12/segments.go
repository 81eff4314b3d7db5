package x12

import "strings"

// The segment tags each supported transaction set may use: the union of
// its tables in versions 004010 and 005010, generous on purpose. The
// reader uses them to catch a tag that has no place in the set (a typo, a
// segment of another set, a broken delimiter), not to check the order or
// the loops, which the mappings know.
var setSegments = map[string]string{
	"810": "BIG NTE CUR REF YNQ PER N1 N2 N3 N4 ITD DTM FOB PID MEA PWK PKG L7 BAL INC PAM LM LQ N9 MSG MTX " +
		"IT1 CRC QTY IT3 TXI CTP PO4 SDQ IT8 SAC SLN SI CAD SR TDS AMT ISS CTT",
	"850": "BEG CUR REF PER TAX FOB CTP PAM CSH TC2 SAC ITD DIS INC DTM LDT LIN SI PID MEA PWK PKG TD1 TD5 TD3 " +
		"TD4 MAN PCT CTB TXI AMT N9 MSG MTX N1 N2 IN2 N3 N4 NX2 SPI RDR CB1 ADV LM LQ PO1 CN1 PO3 PO4 IT8 " +
		"SDQ IT3 QTY SCH LS LE SLN NTE G53 FST YNQ CTT",
	"855": "BAK CUR REF PER TAX FOB CTP PAM CSH TC2 SAC ITD DIS INC DTM LDT LIN SI PID MEA PWK PKG TD1 TD5 TD3 " +
		"TD4 MAN PCT CTB TXI AMT N9 MSG MTX N1 N2 IN2 N3 N4 NX2 LM LQ PO1 CN1 PO3 PO4 IT8 SDQ IT3 QTY SCH " +
		"ACK LS LE SLN NTE CTT",
	"856": "BSN DTM HL LIN SN1 SLN PRF PO4 PID MEA PWK PKG TD1 TD5 TD3 TD4 TSD REF PER LH1 LH2 LH3 LFH LEP LH4 " +
		"LHT LHR CLD MAN DLV CUR SAC GF YNQ FOB N1 N2 N3 N4 SDQ ETD PAL INV V1 LX QTY NTE CTT",
	"846": "BIA CUR REF PER MEA DTM N1 N2 N3 N4 LIN SLN SI PID PO4 CTP PKG QTY PWK TD1 TD5 TD3 TD4 MAN SAC " +
		"ITA LDT SCH LX LM LQ DD FOB ITD NTE CTT",
	"832": "BCT CUR REF PER DTM N1 N2 N3 N4 LIN SLN SI PID MEA PWK PKG PO4 PO3 CTP SAC QTY ITD FOB TD1 TD5 TD3 " +
		"TD4 MAN LDT G39 G43 G55 CTB DD TC2 IT3 PCT LM LQ N9 MSG TXI AMT NTE CTT",
	"214": "B10 L11 MAN K1 N1 N2 N3 N4 G61 G62 LX AT7 MS1 MS2 AT8 CD3 NM1 Q7 AT5 OID SDQ LAD SPO MS3 L5 H1 H2 " +
		"PRF LQ",
	"940": "W05 N1 N2 N3 N4 N9 G62 NTE W66 LM LQ LX W01 G69 W20 QTY AMT FA1 FA2 W76 MAN PER REF W27 G66 W6",
	"945": "W06 N1 N2 N3 N4 N9 G62 W27 W28 W10 LX MAN PAL W12 G69 W20 QTY AMT FA1 FA2 W03 NTE LM LQ MEA REF PER",
	"997": "AK1 AK2 AK3 AK4 AK5 AK9",
	"999": "AK1 AK2 IK3 CTX IK4 IK5 AK9",
}

// Segments returns the segment tags a transaction set of this type may
// hold between ST and SE (ST and SE themselves included), or nil for a set
// type the package has no table for. It is the default for
// Options.KnownSegments. The map is new on each call: callers may add to
// it.
func Segments(setType string) map[string]bool {
	list, ok := setSegments[setType]
	if !ok {
		return nil
	}
	tags := strings.Fields(list)
	m := make(map[string]bool, len(tags)+2)
	m["ST"], m["SE"] = true, true
	for _, tag := range tags {
		m[tag] = true
	}
	return m
}

// validTag reports whether s can be a segment tag: two or three capital
// letters or digits, starting with a letter.
func validTag(s string) bool {
	if len(s) < 2 || len(s) > 3 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}
