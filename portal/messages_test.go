package portal

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// TestMessageBody checks how a raw message's bytes come out of the API: up
// to MaxInlineBody inline in GET /messages/{id}, always as a download from
// GET /messages/{id}/body (typed by format, named after the file, with
// ranges and the SHA-256 as ETag), and only to the partner that sent them
// or an operator. Both stores.
func TestMessageBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts hubtest.Options
	}{
		{"sqlite", hubtest.Options{}},
		{"postgres", hubtest.Options{Postgres: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkMessageBody(t, newAPIEnv(t, tc.opts, Options{}))
		})
	}
}

func checkMessageBody(t *testing.T, e *apiEnv) {
	ctx := context.Background()
	// Stored without a queue row: nothing processes them, the bytes are
	// what is under test.
	stored := func(filename, format string, body []byte) store.Message {
		t.Helper()
		m, created, err := e.Store.InsertMessageFrom(ctx, store.NewMessage{Partner: "supplier-a", Doctype: "price_list",
			Format: format, Source: "test", Filename: filename}, bytes.NewReader(body), nil)
		require.NoError(t, err)
		require.True(t, created)
		return m
	}
	small := []byte("SKU,Price\nA-1,9.50\n")
	large := bytes.Repeat([]byte("A-0001,螺丝,个,1234.50\n"), MaxInlineBody/20)
	require.Greater(t, len(large), MaxInlineBody)
	smallMsg := stored("价格.csv", "csv", small)
	largeMsg := stored("big.csv", "csv", large)
	book := stored("", "xlsx", []byte("PK\x03\x04 not really a workbook"))

	e.run(t, []scenario{
		{name: "a small body is inline", url: "/api/v1/messages/" + smallMsg.ID, who: "supplier-a", status: 200,
			fields: map[string]string{"body": string(small), "body_url": "/api/v1/messages/" + smallMsg.ID + "/body",
				"body_omitted": "<missing>", "size": strconv.Itoa(len(small))}},
		{name: "a large body is left out, and says where it is", url: "/api/v1/messages/" + largeMsg.ID, who: "supplier-a", status: 200,
			fields: map[string]string{"body": "<missing>", "body_base64": "<missing>", "size": strconv.Itoa(len(large)),
				"body_url": "/api/v1/messages/" + largeMsg.ID + "/body"},
			contains: []string{fmt.Sprintf(`"body_omitted":"the body is %d bytes`, len(large)), "GET /api/v1/messages/" + largeMsg.ID + "/body"}},
		{name: "an outsider cannot download the body", url: "/api/v1/messages/" + largeMsg.ID + "/body", who: "dealer-a", status: 404},
		{name: "an unknown message has no body", url: "/api/v1/messages/0190e6f0-0000-7000-8000-000000000000/body", who: "operator", status: 404},
		{name: "no key, no body", url: "/api/v1/messages/" + largeMsg.ID + "/body", who: "", status: 401},
	})

	get := func(who string, m store.Message, header map[string]string) response {
		t.Helper()
		return e.do(t, http.MethodGet, "/api/v1/messages/"+m.ID+"/body", who, "", "", header)
	}
	for _, who := range []string{"supplier-a", "operator"} {
		r := get(who, largeMsg, nil)
		require.Equal(t, http.StatusOK, r.status, who)
		require.True(t, bytes.Equal(large, r.body), "%s downloads the bytes as stored (%d of %d)", who, len(r.body), len(large))
		require.Equal(t, "text/csv", r.header.Get("Content-Type"))
		require.Equal(t, `attachment; filename=big.csv`, r.header.Get("Content-Disposition"))
		require.Equal(t, strconv.Itoa(len(large)), r.header.Get("Content-Length"))
		require.Equal(t, `"`+largeMsg.SHA256+`"`, r.header.Get("ETag"))
	}

	r := get("supplier-a", largeMsg, map[string]string{"Range": fmt.Sprintf("bytes=%d-%d", store.ChunkSize-3, store.ChunkSize+4)})
	require.Equal(t, http.StatusPartialContent, r.status, "a range across a chunk boundary")
	require.Equal(t, large[store.ChunkSize-3:store.ChunkSize+5], r.body)
	r = get("supplier-a", largeMsg, map[string]string{"If-None-Match": `"` + largeMsg.SHA256 + `"`})
	require.Equal(t, http.StatusNotModified, r.status, "the ETag is the SHA-256")

	r = get("supplier-a", smallMsg, nil)
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, small, r.body)
	require.Equal(t, `attachment; filename*=utf-8''%E4%BB%B7%E6%A0%BC.csv`, r.header.Get("Content-Disposition"), "a non-ASCII name, encoded")

	r = get("supplier-a", book, nil)
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, XLSXContentType, r.header.Get("Content-Type"))
	require.Equal(t, "attachment; filename="+book.ID+".xlsx", r.header.Get("Content-Disposition"), "no file name: the message id")
}
