package hub_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// lineDecoder reads "location;sku;on_hand" lines: a stand-in for a partner
// format plugged in through Options.Decoders.
type lineDecoder struct{}

func (lineDecoder) Decode(_ context.Context, m store.Message) ([]hub.Decoded, error) {
	body, err := store.BodyBytes(m.Body)
	if err != nil {
		return nil, err
	}
	var out []hub.Decoded
	var errs hub.DataErrors
	for i, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		f := strings.Split(line, ";")
		if len(f) != 3 {
			errs = append(errs, store.DataError{Code: "decode", Location: "line " + strconv.Itoa(i+1), Reason: "want location;sku;on_hand"})
			continue
		}
		out = append(out, hub.Decoded{Location: "line " + strconv.Itoa(i+1), Doc: map[string]any{
			"external_id": f[0] + "/" + f[1], "location": f[0], "sku": f[1], "on_hand": f[2],
			"unit": "EA", "as_of": "2026-11-25T08:00:00Z",
		}})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

func TestPluggedDecoder(t *testing.T) {
	env := hubtest.New(t, hubtest.Options{Decoders: map[string]hub.Decoder{"lines": lineDecoder{}}})
	ctx := context.Background()

	rcpt, err := env.Hub.Ingest(ctx, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "lines", Source: "test", Body: []byte("WH1;A;4\nWH1;B;x\n")})
	require.NoError(t, err)
	m := env.WaitMessage(t, rcpt.MessageID, store.StatusFailed)
	require.Len(t, m.Errors, 1, "the decoded document with a bad quantity fails validation")
	require.Equal(t, "line 2", m.Errors[0].Location)
	require.Equal(t, "/on_hand", m.Errors[0].Pointer)

	rcpt, err = env.Hub.Ingest(ctx, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "lines", Source: "test", Body: []byte("WH1;A;4\nWH1;B;5\n")})
	require.NoError(t, err)
	m = env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
	require.Len(t, m.DocumentIDs, 2)

	_, err = env.Hub.Ingest(ctx, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "fixed-width", Body: []byte("A   1")})
	require.ErrorIs(t, err, hub.ErrBadRequest, "a format without a decoder is refused before it is stored")
}
