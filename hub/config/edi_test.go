package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/config"
)

func TestEDISettingsErrors(t *testing.T) {
	t.Parallel()
	cases := []parseErrorCase{
		{"x12 route without partner settings", "edi: {x12: {qualifier: ZZ, id: HUB}}\npartners:\n  - {id: acme, name: A, roles: [supplier], routes: [{doctype: order, channel: inbox, format: x12}]}\n",
			[]string{"/partners/0/routes/0/format", "no edi.x12 settings"}},
		{"x12 route without the hub's id", "partners:\n  - {id: acme, name: A, roles: [supplier], edi: {x12: {qualifier: ZZ, id: ACME}}, routes: [{doctype: order, channel: inbox, format: x12}]}\n",
			[]string{"/partners/0/routes/0/format", "top-level edi.x12"}},
		{"edifact route without partner settings", "edi: {edifact: {qualifier: '14', id: '5790000000001'}}\npartners:\n  - {id: acme, name: A, roles: [supplier], routes: [{doctype: order, channel: inbox, format: edifact}]}\n",
			[]string{"/partners/0/routes/0/format", "no edi.edifact settings"}},
		{"an id twice", "edi: {x12: {qualifier: ZZ, id: ACME}}\npartners:\n  - {id: acme, name: A, roles: [supplier], edi: {x12: {qualifier: ZZ, id: ACME}}}\n",
			[]string{"/partners/0/edi/x12/id", "also given at /edi/x12"}},
		{"isa id too long", "partners:\n  - {id: acme, name: A, roles: [supplier], edi: {x12: {qualifier: ZZ, id: ACMESUPPLYCOMPANYLTD}}}\n",
			[]string{"/partners/0/edi/x12/id"}},
		{"unknown version", "partners:\n  - {id: acme, name: A, roles: [supplier], edi: {x12: {qualifier: ZZ, id: ACME, version: '003040'}}}\n",
			[]string{"/partners/0/edi/x12/version"}},
		{"unknown key", "partners:\n  - {id: acme, name: A, roles: [supplier], edi: {x12: {qualifier: ZZ, id: ACME, acks: true}}}\n",
			[]string{"/partners/0/edi/x12", "acks"}},
		{"unknown mapping override", "partners:\n  - {id: acme, name: A, roles: [supplier], edi: {x12: {qualifier: ZZ, id: ACME, map: {sku_qualifer: [VP]}}}}\n",
			[]string{"/partners/0/edi/x12/map", "sku_qualifer"}},
		{"unknown syntax", "partners:\n  - {id: acme, name: A, roles: [supplier], edi: {edifact: {qualifier: '14', id: '1', syntax: UNOZ}}}\n",
			[]string{"/partners/0/edi/edifact/syntax"}},
	}
	requireParseErrors(t, cases)
}

func TestEDIPartnersByID(t *testing.T) {
	t.Parallel()
	yaml := "edi: {x12: {qualifier: ZZ, id: DEALERHUB}, edifact: {qualifier: '14', id: '5790000000001'}}\n" +
		"partners:\n" +
		"  - {id: north, name: N, roles: [dealer], edi: {x12: {qualifier: ZZ, id: NORTH, ack: true, map: {sku_qualifiers: [VP]}}, edifact: {qualifier: '14', id: '5400110000009', syntax: UNOY}}}\n" +
		"  - {id: acme, name: A, roles: [supplier], edi: {x12: {qualifier: '01', id: '123456789', app_id: ACME}}, routes: [{doctype: order, channel: inbox, format: x12}]}\n" +
		"  - {id: gone, name: G, roles: [supplier], enabled: false, edi: {x12: {qualifier: ZZ, id: GONE}}}\n"
	cfg, err := config.Parse([]byte(yaml), "hub.yaml", env(nil))
	require.NoError(t, err)
	id, x, ok := cfg.X12Partner("ZZ", "NORTH          ")
	require.True(t, ok, "ISA ids are padded with spaces")
	require.Equal(t, "north", id)
	require.True(t, x.Ack)
	require.Equal(t, []any{"VP"}, x.Map["sku_qualifiers"])
	_, _, ok = cfg.X12Partner("01", "NORTH")
	require.False(t, ok, "the qualifier must agree")
	id, _, ok = cfg.X12PartnerByApp("ACME")
	require.True(t, ok)
	require.Equal(t, "acme", id)
	_, _, ok = cfg.X12Partner("ZZ", "GONE")
	require.False(t, ok, "a disabled partner's id is not matched")
	id, e, ok := cfg.EDIFACTPartner("14", "5400110000009")
	require.True(t, ok)
	require.Equal(t, "north", id)
	require.Equal(t, "UNOY", e.Syntax)
	require.True(t, cfg.IsHubX12("ZZ", "DEALERHUB"))
	require.True(t, cfg.IsHubEDIFACT("14", "5790000000001"))
	require.Contains(t, cfg.KnownX12IDs(), "ZZ:NORTH (north)")
}

// TestREADMEEDIExample loads the yaml example of the README's EDI
// section, so that it cannot drift from the schema.
func TestREADMEEDIExample(t *testing.T) {
	t.Parallel()
	block := readmeYAML(t, "../../README.md", "### EDI: X12 and EDIFACT")
	cfg, err := config.Parse([]byte(block), "README.md", env(map[string]string{"ACME_SFTP_PASSWORD": "pw"}))
	require.NoError(t, err)
	id, x, ok := cfg.X12Partner("01", "123456789")
	require.True(t, ok)
	require.Equal(t, "acme", id)
	require.Equal(t, "ACME", x.App())
	require.True(t, cfg.PartnerEDI("north").X12.Ack)
	require.Equal(t, "x12", cfg.Route("acme", "order").Format)
}
