package rest

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPathLookup(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"data":[{"id":1},{"id":2}],"meta":{"next":{"cursor":"abc"},"n":null},"x.y":1}`)
	for _, tt := range []struct {
		path  string
		want  string
		found bool
	}{
		{"$", string(doc), true},
		{"data", `[{"id":1},{"id":2}]`, true},
		{"$.meta.next.cursor", `"abc"`, true},
		{"meta.next.cursor", `"abc"`, true},
		{"data.1.id", `2`, true},
		{"data.2.id", ``, false},
		{"data.x", ``, false},
		{"meta.n", `null`, true},
		{"meta.next.cursor.deeper", ``, false},
		{"missing", ``, false},
		{"x.y", ``, false}, // names with dots are not supported
	} {
		p, err := ParsePath(tt.path)
		require.NoError(t, err, tt.path)
		got, found, err := p.Lookup(doc)
		require.NoError(t, err, tt.path)
		require.Equal(t, tt.found, found, tt.path)
		require.Equal(t, tt.want, string(got), tt.path)
	}
	for _, bad := range []string{"", "a..b", "data[0]", "items.*", "$.", ".a"} {
		_, err := ParsePath(bad)
		require.Error(t, err, "%q", bad)
	}
}

func TestNextLink(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://api.example.com/v1/stock?page=1")
	for _, tt := range []struct {
		name   string
		values []string
		want   string
	}{
		{"github style", []string{`<https://api.example.com/v1/stock?page=2>; rel="next", <https://api.example.com/v1/stock?page=9>; rel="last"`}, "https://api.example.com/v1/stock?page=2"},
		{"next not first", []string{`<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel="next"`}, "https://x/a?page=3"},
		{"relative", []string{`</v1/stock?cursor=a,b>; rel=next`}, "https://api.example.com/v1/stock?cursor=a,b"},
		{"several rels", []string{`<?page=2>; title="x, y"; rel="next last"`}, "https://api.example.com/v1/stock?page=2"},
		{"two headers", []string{`<https://x/1>; rel="prev"`, `<https://x/2>; rel="NEXT"`}, "https://x/2"},
		{"none", []string{`<https://x/1>; rel="prev"`}, ""},
		{"no header", nil, ""},
		{"malformed", []string{`https://x/2; rel="next"`}, ""},
	} {
		require.Equal(t, tt.want, nextLink(tt.values, base), tt.name)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := newFakeClock().Now()
	for _, tt := range []struct {
		v    string
		want int // seconds; -1: not ok
	}{
		{"120", 120}, {" 0 ", 0}, {"-3", -1}, {"soon", -1}, {"", -1},
		{now.Add(30e9).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"), 30},
	} {
		d, ok := parseRetryAfter(tt.v, now)
		if tt.want < 0 {
			require.False(t, ok, tt.v)
			continue
		}
		require.True(t, ok, tt.v)
		require.Equal(t, tt.want, int(d.Seconds()), tt.v)
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	require.Equal(t, "https://u:REDACTED@x/a?api_key=REDACTED&page=2",
		redactURL("https://u:pw@x/a?page=2&api_key=k1", nil))
	require.Equal(t, "https://x/a?q=REDACTED", redactURL("https://x/a?q=hunter22", []string{"hunter22"}))
}
