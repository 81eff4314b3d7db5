package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// ediSamplePath is a shared EDI sample; CI must have them.
func ediSamplePath(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "edi-samples", dir, name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the shared EDI samples are missing (%v): ../shared/edi-samples must sit beside the project", err)
		}
		t.Skipf("the shared EDI samples are not beside the project (%v)", err)
	}
	return p
}

const ediCLIConfig = `version: 1
edi:
  x12: {qualifier: ZZ, id: DEALERHUB}
  edifact: {qualifier: "14", id: "5790000000001"}
partners:
  - id: north
    name: North
    roles: [dealer]
    edi:
      x12: {qualifier: ZZ, id: ABCDEFGHIJKLMNO}
  - id: acme
    name: ACME
    roles: [supplier]
    edi:
      x12: {qualifier: ZZ, id: "123456789012345", app_id: ACME, version: "005010"}
      edifact: {qualifier: "14", id: "5013546107732", syntax: UNOY}
`

// TestEDIToJSON: a real 850 prints its envelope and order (with the
// partners its ids name in the config); a broken file exits 1 with every
// error located.
func TestEDIToJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(ediCLIConfig), 0o600))
	sample := ediSamplePath(t, "850", "EdiEngine__850.OK.edi")

	out, _, err := runCLI(t, "edi", "to-json", sample, "--json", "--config", cfgPath)
	require.NoError(t, err)
	var rep struct {
		Format       string `json:"format"`
		Interchanges []struct {
			Control         string `json:"control"`
			SenderPartner   string `json:"sender_partner"`
			ReceiverPartner string `json:"receiver_partner"`
			Groups          []struct {
				Control string `json:"control"`
				Sets    []struct {
					Type      string `json:"type"`
					Documents []struct {
						Doctype  string         `json:"doctype"`
						Document map[string]any `json:"document"`
					} `json:"documents"`
				} `json:"sets"`
			} `json:"groups"`
		} `json:"interchanges"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.Equal(t, "x12", rep.Format)
	ic := rep.Interchanges[0]
	require.Equal(t, "000003438", ic.Control)
	require.Equal(t, "north", ic.SenderPartner)
	require.Equal(t, "acme", ic.ReceiverPartner)
	set := ic.Groups[0].Sets[0]
	require.Equal(t, "850", set.Type)
	doc := set.Documents[0].Document
	require.Equal(t, "order", set.Documents[0].Doctype)
	require.Equal(t, "08292233294", doc["external_id"])
	require.Equal(t, "north", doc["sender"])
	require.Len(t, doc["lines"], 6)

	out, _, err = runCLI(t, "edi", "to-json", sample)
	require.NoError(t, err)
	require.Contains(t, out, "X12 interchange 000003438 from ZZ:ABCDEFGHIJKLMNO to ZZ:123456789012345")
	require.Contains(t, out, "850 000000010: 1 document(s)")

	bad := filepath.Join(dir, "bad.edi")
	raw, err := os.ReadFile(sample)
	require.NoError(t, err)
	broken := strings.Replace(string(raw), "SE*33*000000010", "SE*30*000000099", 1)
	broken = strings.Replace(broken, "PO1*2*220*EA*13.79", "PO1*2*lots*EA*13.79", 1)
	require.NoError(t, os.WriteFile(bad, []byte(broken), 0o600))
	_, _, err = runCLI(t, "edi", "to-json", bad)
	require.Equal(t, 1, exitCode(err))
	msg := err.Error()
	require.Contains(t, msg, "segment 35 (SE) element 1 at byte 1033: SE01 says 30 segments (ST through SE) but there are 33", "the segment count")
	require.Contains(t, msg, `SE02 "000000099" does not match ST02 "000000010"`, "the control number")

	notEDI := filepath.Join(dir, "prices.csv")
	require.NoError(t, os.WriteFile(notEDI, []byte("sku,price\nA,1\n"), 0o600))
	_, _, err = runCLI(t, "edi", "to-json", notEDI)
	require.Equal(t, 1, exitCode(err))
	require.Contains(t, err.Error(), "neither X12")
}

// TestEDIAck: a clean file gets an accepting 997; a set with a bad
// quantity gets AK5 R with an AK3/AK4 naming the segment and element.
func TestEDIAck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sample := ediSamplePath(t, "850", "EdiEngine__850.OK.edi")
	out, _, err := runCLI(t, "edi", "ack", sample)
	require.NoError(t, err)
	f, err := x12.ReadString(out, x12.Options{})
	require.NoError(t, err, out)
	require.NoError(t, f.Err())
	ack := f.Interchanges[0]
	require.Equal(t, "ABCDEFGHIJKLMNO", ack.Receiver.ID, "back to the sender")
	set := ack.Groups[0].Sets[0]
	require.Equal(t, "997", set.Type)
	require.Contains(t, out, "AK1*PO*1421~")
	require.Contains(t, out, "AK5*A~")

	raw, err := os.ReadFile(sample)
	require.NoError(t, err)
	bad := filepath.Join(dir, "bad.edi")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(string(raw), "PO1*2*220*EA", "PO1*2*lots*EA", 1)), 0o600))
	out, _, err = runCLI(t, "edi", "ack", bad)
	require.NoError(t, err)
	require.Contains(t, out, "AK5*R*5~", "rejected: segments in error")
	require.Contains(t, out, "AK3*PO1*", "the PO1 named")
	require.Contains(t, out, "AK9*R*1*1*0~")
}

// TestEDIFromJSON: a canonical order becomes the interchange acme gets,
// in X12 5010 with its ids, and in EDIFACT UNOY with Chinese text intact.
func TestEDIFromJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(ediCLIConfig), 0o600))
	order := filepath.Join(dir, "order.json")
	require.NoError(t, os.WriteFile(order, []byte(`{"sender":"north","receiver":"acme","external_id":"PO-7","status":"sent","order_date":"2026-11-25",
		"lines":[{"line_no":1,"sku":"S-1","description":"螺丝","quantity":"12","unit":"EA","unit_price":"0.35"}]}`), 0o600))

	out, _, err := runCLI(t, "edi", "from-json", "--partner", "acme", "--config", cfgPath, "--control", "42", order)
	require.NoError(t, err)
	f, err := x12.ReadString(out, x12.Options{})
	require.NoError(t, err, out)
	require.NoError(t, f.Err(), out)
	ic := f.Interchanges[0]
	require.Equal(t, "ABCDEFGHIJKLMNO", ic.Sender.ID, "north's own id")
	require.Equal(t, "123456789012345", ic.Receiver.ID)
	require.Equal(t, "000000042", ic.Control)
	require.Equal(t, "005010", ic.Groups[0].Version)
	require.Equal(t, "ACME", ic.Groups[0].AppReceiver)
	require.Contains(t, out, "BEG*00*SA*PO-7**20261125")

	out, _, err = runCLI(t, "edi", "from-json", "--partner", "acme", "--config", cfgPath, "--format", "edifact", order)
	require.NoError(t, err)
	ef, err := edifact.Read(strings.NewReader(out), edifact.Options{})
	require.NoError(t, err, out)
	require.NoError(t, ef.Err(), out)
	require.Equal(t, "UNOY", ef.Interchanges[0].Syntax)
	require.Contains(t, out, "螺丝")
	require.Equal(t, "ORDERS", ef.Interchanges[0].Messages()[0].Type)
	require.Equal(t, "5790000000001", ef.Interchanges[0].Sender.ID, "north has no EDIFACT id: the hub's")

	notDoc := filepath.Join(dir, "nope.json")
	require.NoError(t, os.WriteFile(notDoc, []byte(`{"external_id":"X","lines":[]}`), 0o600))
	_, _, err = runCLI(t, "edi", "from-json", "--partner", "acme", "--config", cfgPath, notDoc)
	require.Error(t, err)
	require.Contains(t, err.Error(), "fits no canonical schema")

	_, _, err = runCLI(t, "edi", "from-json", "--partner", "north", "--config", cfgPath, "--format", "edifact", order)
	require.Error(t, err, "north has no EDIFACT settings")
	require.Contains(t, err.Error(), `partner "north" has no edi.edifact settings`)
}
