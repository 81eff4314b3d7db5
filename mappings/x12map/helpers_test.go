package x12map_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// validate checks a mapped body against its schema with placeholder
// sender and receiver.
func validate(t *testing.T, doctype string, body map[string]any) {
	t.Helper()
	doc := map[string]any{}
	for k, v := range body {
		doc[k] = v
	}
	doc["sender"], doc["receiver"] = "sender-x", "receiver-x"
	require.Empty(t, edimaptest.Registry(t).Validate(doctype, doc), "%s does not validate", doctype)
}

// txOf builds a transaction from body segments written with * and >
// ("BEG*00*SA*PO1**20260105"), wrapped in ST and SE, positioned as they
// would be in an interchange (ISA 1, GS 2, ST 3).
func txOf(typ string, lines ...string) connectors.EDITransaction {
	all := append([]string{"ST*" + typ + "*0001"}, lines...)
	all = append(all, "SE*"+strconv.Itoa(len(all)+1)+"*0001")
	tx := connectors.EDITransaction{Standard: connectors.StandardX12, Type: typ, Version: "004010", ControlNumber: "0001"}
	for i, l := range all {
		parts := strings.Split(l, "*")
		s := connectors.EDISegment{Tag: parts[0], Pos: i + 3}
		for _, p := range parts[1:] {
			if p == "" {
				s.Elements = append(s.Elements, nil)
				continue
			}
			s.Elements = append(s.Elements, connectors.EDIElement{strings.Split(p, ">")})
		}
		tx.Segments = append(tx.Segments, s)
	}
	return tx
}

// throughBytes writes a set as a real interchange with the x12 writer and
// reads it back with the x12 reader, so that what FromCanonical builds is
// checked to be writable and positioned like a received set.
func throughBytes(t *testing.T, out x12map.Out) connectors.EDITransaction {
	t.Helper()
	var buf bytes.Buffer
	err := x12.Write(&buf, x12.Envelope{
		Sender:             connectors.EDIParty{Qualifier: "ZZ", ID: "SENDER"},
		Receiver:           connectors.EDIParty{Qualifier: "ZZ", ID: "RECEIVER"},
		InterchangeControl: 1, GroupControl: 1, Version: out.Version,
		Date: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC),
	}, []x12.OutSet{{Type: out.Type, Body: out.Body}})
	require.NoError(t, err)
	f, err := x12.Read(&buf, x12.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	txs := f.Transactions()
	require.Len(t, txs, 1)
	return txs[0]
}
