package x12

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

// TestWriteTA1 writes interchanges that carry TA1s: alone (no group,
// IEA01 0) and before a 997; both read back with the TA1 in Acks.
func TestWriteTA1(t *testing.T) {
	t.Parallel()
	ic, err := ReadString("ISA*00*          *00*          *ZZ*NORTH          *ZZ*HUB            *261125*0930*U*00401*000000777*0*P*>~"+
		"GS*PO*NORTH*HUB*20261125*0930*1*X*004010~ST*850*0001~BEG*00*SA*PO-1**20261125~SE*3*0001~GE*1*1~", Options{})
	require.NoError(t, err)
	require.NotEmpty(t, ic.Interchanges[0].Errors, "no IEA: truncated")
	ta1 := TA1(ic.Interchanges[0], AckOptions{})
	require.Equal(t, "R", ta1.Value(4))
	require.Equal(t, "023", ta1.Value(5))
	env := Envelope{Sender: connectors.EDIParty{ID: "HUB"}, Receiver: connectors.EDIParty{ID: "NORTH"}, InterchangeControl: 5,
		Date: time.Date(2026, 11, 25, 9, 31, 0, 0, time.UTC), TA1s: []connectors.EDISegment{ta1}}

	var buf bytes.Buffer
	require.NoError(t, Write(&buf, env, nil))
	require.Equal(t, "ISA*00*          *00*          *ZZ*HUB            *ZZ*NORTH          *261125*0931*U*00401*000000005*0*P*>~"+
		"TA1*000000777*261125*0930*R*023~IEA*0*000000005~", buf.String())
	f, err := ReadBytes(buf.Bytes(), Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Len(t, f.Interchanges[0].Acks, 1)
	require.Equal(t, "000000777", f.Interchanges[0].Acks[0].Value(1))

	buf.Reset()
	env.GroupControl = 9
	ack := Ack997(ic.Interchanges[0], ic.Interchanges[0].Groups[0], AckOptions{})
	require.NoError(t, Write(&buf, env, []OutSet{ack}))
	f, err = ReadBytes(buf.Bytes(), Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Len(t, f.Interchanges[0].Acks, 1, "the TA1 before the group")
	require.Equal(t, "997", f.Interchanges[0].Groups[0].Sets[0].Type)

	_, err = ReadString("", Options{})
	require.Error(t, err)
	require.Error(t, Write(&buf, Envelope{}, nil), "nothing to write")
}
