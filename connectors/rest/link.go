package rest

import (
	"net/url"
	"strings"
)

// nextLink returns the target of the rel="next" link among the Link header
// values (RFC 8288), resolved against base; "" when there is none.
func nextLink(values []string, base *url.URL) string {
	for _, v := range values {
		for _, l := range parseLinks(v) {
			for rel := range strings.FieldsSeq(strings.ToLower(l.params["rel"])) {
				if rel == "next" {
					ref, err := url.Parse(l.target)
					if err != nil {
						return ""
					}
					return base.ResolveReference(ref).String()
				}
			}
		}
	}
	return ""
}

type link struct {
	target string
	params map[string]string
}

// parseLinks reads one Link header value: `<uri>; rel="next"; title="x",
// <uri2>; rel=last`. Commas inside <…> or quoted strings do not split links;
// a malformed link is skipped.
func parseLinks(v string) []link {
	var links []link
	i := 0
	for i < len(v) {
		lt := strings.IndexByte(v[i:], '<')
		if lt < 0 {
			break
		}
		i += lt + 1
		gt := strings.IndexByte(v[i:], '>')
		if gt < 0 {
			break
		}
		l := link{target: strings.TrimSpace(v[i : i+gt]), params: map[string]string{}}
		i += gt + 1
		// Parameters up to the next comma outside quotes.
		for i < len(v) {
			for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
				i++
			}
			if i >= len(v) {
				break
			}
			if v[i] == ',' {
				i++
				break
			}
			if v[i] != ';' {
				// Junk: skip to the next link.
				for i < len(v) && v[i] != ',' {
					i++
				}
				continue
			}
			i++
			start := i
			for i < len(v) && v[i] != '=' && v[i] != ';' && v[i] != ',' {
				i++
			}
			name := strings.ToLower(strings.TrimSpace(v[start:i]))
			val := ""
			if i < len(v) && v[i] == '=' {
				i++
				for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
					i++
				}
				if i < len(v) && v[i] == '"' {
					i++
					var b strings.Builder
					for i < len(v) && v[i] != '"' {
						if v[i] == '\\' && i+1 < len(v) {
							i++
						}
						b.WriteByte(v[i])
						i++
					}
					i++ // closing quote
					val = b.String()
				} else {
					start := i
					for i < len(v) && v[i] != ';' && v[i] != ',' {
						i++
					}
					val = strings.TrimSpace(v[start:i])
				}
			}
			if _, dup := l.params[name]; name != "" && !dup { // RFC 8288: first rel wins
				l.params[name] = val
			}
		}
		links = append(links, l)
	}
	return links
}
