package webhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

func outbound(t *testing.T, url, secret string) connectors.Outbound {
	cfg, err := json.Marshal(Config{URL: url, Secret: secret, Headers: map[string]string{"X-Partner-Token": "t0k"}})
	require.NoError(t, err)
	return connectors.Outbound{
		DeliveryID: "d-1", Attempt: 2, Doctype: "order", DocumentID: "doc-1", Version: 3,
		ContentType: "application/json", Body: []byte(`{"external_id":"PO-1"}`), Config: cfg,
	}
}

func TestDeliverSignsAndSendsHeaders(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	err := New(nil).Deliver(context.Background(), outbound(t, srv.URL, "s3cret"))
	require.NoError(t, err)
	require.Equal(t, `{"external_id":"PO-1"}`, string(body))
	require.Equal(t, "d-1", got.Header.Get("Idempotency-Key"))
	require.Equal(t, "2", got.Header.Get("X-Dealerhub-Attempt"))
	require.Equal(t, "order", got.Header.Get("X-Dealerhub-Doctype"))
	require.Equal(t, "3", got.Header.Get("X-Dealerhub-Version"))
	require.Equal(t, "t0k", got.Header.Get("X-Partner-Token"))
	require.True(t, Verify("s3cret", got.Header.Get("X-Dealerhub-Signature"), got.Header.Get("X-Dealerhub-Timestamp"), body))
	require.False(t, Verify("wrong", got.Header.Get("X-Dealerhub-Signature"), got.Header.Get("X-Dealerhub-Timestamp"), body))
	require.False(t, Verify("s3cret", got.Header.Get("X-Dealerhub-Signature"), got.Header.Get("X-Dealerhub-Timestamp"), []byte(`{"external_id":"PO-2"}`)))
}

func TestDeliverClassifiesFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		status     int
		retryAfter string
		permanent  bool
		delay      time.Duration
	}{
		{"server error retries", 500, "", false, 0},
		{"bad gateway retries", 502, "", false, 0},
		{"429 honours seconds", 429, "7", false, 7 * time.Second},
		{"503 honours seconds", 503, "120", false, 2 * time.Minute},
		{"408 retries", 408, "", false, 0},
		{"400 is permanent", 400, "", true, 0},
		{"404 is permanent", 404, "", true, 0},
		{"401 is permanent", 401, "", true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, "nope")
			}))
			defer srv.Close()
			err := New(nil).Deliver(context.Background(), outbound(t, srv.URL, ""))
			require.Error(t, err)
			require.Contains(t, err.Error(), "nope")
			require.Equal(t, tc.permanent, connectors.IsPermanent(err))
			d, ok := connectors.RetryDelay(err)
			require.Equal(t, tc.delay != 0, ok)
			require.Equal(t, tc.delay, d)
		})
	}
}

func TestDeliverConnectionRefusedIsTransient(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	err := New(nil).Deliver(context.Background(), outbound(t, url, ""))
	require.Error(t, err)
	require.False(t, connectors.IsPermanent(err))
}

func TestDeliverWithoutURLIsPermanent(t *testing.T) {
	t.Parallel()
	err := New(nil).Deliver(context.Background(), connectors.Outbound{DeliveryID: "d", Config: []byte(`{}`)})
	require.True(t, connectors.IsPermanent(err))
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	d, ok := retryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now)
	require.True(t, ok)
	require.Equal(t, 90*time.Second, d)
	_, ok = retryAfter("soon", now)
	require.False(t, ok)
}
