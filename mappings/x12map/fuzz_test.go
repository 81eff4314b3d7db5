package x12map_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// FuzzToCanonical feeds any interchange to every reader (each set is
// also mapped as each supported type) and writes back what maps: nothing
// may panic, whatever the segments.
func FuzzToCanonical(f *testing.F) {
	for _, sample := range []string{
		"850/EdiEngine__850.OK.edi", "850/staedi__invoice810_po850_dual.edi",
		"856/EdiEngine__856.Crossdock.OK.edi", "214/staedi__ts214_ellipses_segterm.edi",
	} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "edi-samples", sample)); err == nil {
			f.Add(b)
		}
	}
	head := "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260105*0930*U*00401*000000001*0*P*>~GS*XX*A*B*20260105*0930*1*X*004010~ST*850*0001~"
	tail := "~SE*3*0001~GE*1*1~IEA*1*000000001~"
	for _, body := range []string{
		"BEG*00*SA*PO*X*20260105~PO1*1*1*EA*1**VN*A~CTT*1",
		"BSN*00*A*20260110*1200~HL*1**S~HL*2*1*O~PRF*P~HL*3*2*P~MAN*GM*00000000000000000017~HL*4*3*I~LIN**VN*A~SN1**1*EA",
		"HL*1*2*S~HL*2*1*P~HL*3*3*I~HL*4**T",
		"BIA*00*DD*R*20260105~N1*WH*W~LIN**IN*A~QTY*17*1*EA~N1*WH*X~QTY*33*2*LB",
		"BCT*PC*C~CUR*SE*USD~LIN**VN*A~CTP**UCP*1*5*EA~CTP**UCP*2~CTP**UCP*1*5*CA",
		"B10*P*S*C~LX*1~AT7*X6*NS***20260110*2400*ZZ~MS1*A*B*USA",
		"BAK*00*AC*P*20260105~PO1*1*1*EA~ACK*IA*1*EA*068*2026~PO1",
	} {
		f.Add([]byte(head + body + tail))
	}
	types := []string{"850", "855", "856", "846", "832", "214"}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := x12.ReadBytes(data, x12.Options{})
		if err != nil {
			return
		}
		for _, tx := range file.Transactions() {
			for _, typ := range types {
				tx.Type = typ
				docs, err := x12map.ToCanonical(tx, x12map.Options{CatalogDocs: []string{"price_list", "product"}})
				if err != nil {
					if !strings.Contains(err.Error(), ":") {
						t.Fatalf("an error without location: %v", err)
					}
					continue
				}
				for _, d := range docs {
					_, _ = x12map.FromCanonical(d.Doctype, d.Body, x12map.Options{})
				}
			}
		}
	})
}
