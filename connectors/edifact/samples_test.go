package edifact_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

// The public ORDERS sample reads with its group and message. Its UNT
// says 21 segments where the message has 18: that is a real defect of
// the file (its source project does not check counts), and the only
// problem Read reports.
func TestReadSamples(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(samplesDir(t), "ORDERS", "*.edi"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no ORDERS samples")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			file, err := edifact.Read(f, edifact.Options{})
			require.NoError(t, err)
			require.NotEmpty(t, file.Interchanges)
			for _, ic := range file.Interchanges {
				require.Empty(t, ic.Errors)
				for _, g := range ic.Groups {
					require.Empty(t, g.Errors)
					for _, m := range g.Messages {
						for _, e := range m.Errors {
							require.Equal(t, "count_mismatch", e.Code, "%v", e)
							require.Equal(t, "UNT", e.Tag)
						}
					}
				}
			}
		})
	}
}

func TestReadOrdersWithGroup(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(samplesDir(t), "ORDERS", "staedi__orders-with-group.edi"))
	require.NoError(t, err)
	defer f.Close()
	file, err := edifact.Read(f, edifact.Options{})
	require.NoError(t, err)
	require.Len(t, file.Interchanges, 1)
	ic := file.Interchanges[0]
	require.Equal(t, "UNOA", ic.Syntax)
	require.Equal(t, "3", ic.SyntaxVersion)
	require.Equal(t, connectors.EDIParty{Qualifier: "14", ID: "5400110000009"}, ic.Sender)
	require.Equal(t, connectors.EDIParty{Qualifier: "14", ID: "5013546107732"}, ic.Receiver)
	require.Equal(t, "2722166169492", ic.Control)
	require.Equal(t, "EANCOM", ic.Agreement)
	require.True(t, ic.Test)
	require.Len(t, ic.Groups, 1)
	g := ic.Groups[0]
	require.False(t, g.Implicit)
	require.Equal(t, "ORDERS", g.MessageGroupID)
	require.Equal(t, "1", g.Control)
	require.Equal(t, "D96A", g.Version)
	require.Len(t, g.Messages, 1)
	m := g.Messages[0]
	require.Equal(t, "ORDERS", m.Type)
	require.Equal(t, "D96B", m.Version)
	require.Equal(t, "EAN008B", m.Association)
	require.Equal(t, "UN", m.Agency)
	require.Equal(t, "1", m.ControlNumber)
	require.Equal(t, "ORDERS", m.GroupType)
	require.Equal(t, "1", m.GroupControl)
	require.Equal(t, "5400110000009", m.GroupSender)
	require.Equal(t, "2722166169492", m.InterchangeControl)
	require.Len(t, m.Segments, 18)
	require.Equal(t, "UNH", m.Segments[0].Tag)
	require.Equal(t, "UNT", m.Segments[17].Tag)
	pri := m.Body()[13]
	require.Equal(t, "PRI", pri.Tag)
	require.Equal(t, "12.80", pri.Component(1, 2))
	require.Len(t, m.Errors, 1)
	require.Equal(t, "count_mismatch", m.Errors[0].Code)
	require.Equal(t, 1, m.Errors[0].Element)
	require.Contains(t, m.Errors[0].Error(), "UNT says 21 segments from UNH to UNT, the file has 18")
}
