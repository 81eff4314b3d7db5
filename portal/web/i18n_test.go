package web

import (
	"net/http/httptest"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMessagesComplete: every key exists in every language, and every key
// a template uses exists.
func TestMessagesComplete(t *testing.T) {
	t.Parallel()
	for _, lang := range langCodes {
		require.Len(t, messages[lang], len(messages["en"]), lang)
		for key := range messages["en"] {
			require.NotEmpty(t, messages[lang][key], "%s has no %q", lang, key)
		}
	}
	used := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	entries, err := os.ReadDir("templates")
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile("templates/" + e.Name())
		require.NoError(t, err)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			require.Contains(t, messages["en"], m[1], "%s uses an unknown key", e.Name())
		}
	}
}

func TestPickLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, url, cookie, user, accept, want string
	}{
		{"default", "/", "", "", "", "en"},
		{"browser", "/", "", "", "zh-Hans-CN", "zh-CN"},
		{"user beats browser", "/", "", "zh-CN", "en", "zh-CN"},
		{"cookie beats user", "/", "en", "zh-CN", "zh", "en"},
		{"switch beats all", "/?lang=zh-CN", "en", "en", "en", "zh-CN"},
		{"unknown switch ignored", "/?lang=fr", "", "", "zh", "zh-CN"},
		{"garbage header", "/", "", "", ";;;", "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.url, nil)
			if tc.cookie != "" {
				r.Header.Set("Cookie", langCookie+"="+tc.cookie)
			}
			if tc.accept != "" {
				r.Header.Set("Accept-Language", tc.accept)
			}
			require.Equal(t, tc.want, pickLang(r, tc.user))
		})
	}
}
