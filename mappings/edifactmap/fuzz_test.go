package edifactmap

import (
	"bytes"
	"testing"

	"github.com/dealerhub/dealerhub/connectors/edifact"
)

// FuzzToCanonical reads arbitrary interchanges and maps every message as
// each type: mapping must never panic, and must either return documents
// or located errors.
func FuzzToCanonical(f *testing.F) {
	f.Add([]byte("UNB+UNOY:3+A:14+B:14+260105:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+P+9'DTM+137:20260105:102'" +
		"LIN+1++4006381333931:EN'QTY+21:1,5:KGM'PRI+AAA:1280:::100'UNS+S'CNT+2:1'UNT+9+1'UNZ+1+1'"))
	f.Add([]byte("UNB+UNOC:3+A+B+260105:1200+1'UNH+1+DESADV:D:96A:UN'BGM+351+A+9'DTM+11:20260105:102'CPS+2+1'" +
		"CPS+1+2'GIN+BJ+003541234500000000'LIN+1'PIA+5+X:SA'QTY+12:1'RFF+ON:P:x'UNT+11+1'UNZ+1+1'"))
	f.Add([]byte("UNB+UNOC:3+A+B+260105:1200+1'UNH+1+IFTSTA:D:01B:UN'BGM+23+E+9'CNI+1+S'STS+1+21:::OK'" +
		"DTM+334:202601051230+0800:205'LOC+7+X:::Y'CNI'STS'UNT+9+1'UNZ+1+1'"))
	f.Add([]byte("UNB+UNOC:3+A+B+260105:1200+1'UNH+1+INVRPT:D:96A:UN'BGM+35+I'LOC+18+W'LIN+1'QTY+145:-1'" +
		"DTM+366:20260105:102'QTY+99:2'UNT+8+1'UNZ+1+1'"))
	f.Add([]byte("UNB+UNOC:3+A+B+260105:1200+1'UNH+1+PRICAT:D:96A:UN'BGM+9+L'CUX+2:EUR:10'LIN+1+2+1:EN'" +
		"PRI+AAA:1'RNG+4+PCE:5'PRI+AAB:x'QTY+53:'UNT+9+1'UNZ+1+1'"))
	types := []string{"ORDERS", "ORDRSP", "DESADV", "INVRPT", "PRICAT", "IFTSTA"}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := edifact.Read(bytes.NewReader(b), edifact.Options{SkipSegmentCheck: true})
		if err != nil {
			return
		}
		for _, ic := range file.Interchanges {
			for _, g := range ic.Groups {
				for _, m := range g.Messages {
					for _, typ := range types {
						tx := m.EDITransaction
						tx.Type = typ
						docs, err := ToCanonical(tx, Options{CatalogDocs: []string{"price_list", "product"}})
						if err == nil && len(docs) == 0 {
							t.Fatalf("%s: no documents and no error", typ)
						}
					}
				}
			}
		}
	})
}
