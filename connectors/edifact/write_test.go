package edifact_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
)

var written = time.Date(2026, 1, 5, 12, 37, 0, 0, time.UTC)

func envelope(syntax, version string) edifact.Envelope {
	return edifact.Envelope{
		Syntax: syntax, SyntaxVersion: version,
		Sender:   connectors.EDIParty{ID: "5400110000009", Qualifier: "14"},
		Receiver: connectors.EDIParty{ID: "5013546107732", Qualifier: "14"},
		Date:     written, Control: "REF1",
	}
}

func order(body ...connectors.EDISegment) []edifact.OutMessage {
	return []edifact.OutMessage{{Type: "ORDERS", Version: "D", Release: "96A", Association: "EAN008", Body: body}}
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	env := envelope("UNOC", "3")
	env.AckRequested, env.Test, env.Agreement = true, true, "EANCOM"
	var b bytes.Buffer
	err := edifact.Write(&b, env, order(
		connectors.Seg("BGM", "220", "PO+1", "9"),
		connectors.Seg("FTX", "AAA", "", "", connectors.Comp("It's 50% off?", ""), ""),
		connectors.Seg("QTY", connectors.Comp("21", "12")),
	))
	require.NoError(t, err)
	require.Equal(t, "UNA:+.? '"+
		"UNB+UNOC:3+5400110000009:14+5013546107732:14+260105:1237+REF1++++1+EANCOM+1'"+
		"UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO?+1+9'FTX+AAA+++It?'s 50% off??'QTY+21:12'UNT+5+1'"+
		"UNZ+1+REF1'", b.String())
}

func TestWriteOptions(t *testing.T) {
	t.Parallel()
	body := order(connectors.Seg("BGM", "220", "PO1"))
	cases := []struct {
		name   string
		modify func(*edifact.Envelope)
		want   string
	}{
		{"syntax 4 without UNA, with line breaks", func(e *edifact.Envelope) {
			e.Syntax, e.SyntaxVersion, e.OmitUNA, e.LineBreaks = "UNOY", "", true, true
		}, "UNB+UNOY:4+5400110000009:14+5013546107732:14+20260105:1237+REF1'\nUNH+1+ORDERS:D:96A:UN:EAN008'\n" +
			"BGM+220+PO1'\nUNT+3+1'\nUNZ+1+REF1'\n"},
		{"custom delimiters", func(e *edifact.Envelope) {
			e.Delimiters = edifact.Delimiters{Component: '^', Element: '~', Decimal: ',', Release: '!', Segment: '|'}
		}, "UNA^~,! |UNB~UNOC^3~5400110000009^14~5013546107732^14~260105^1237~REF1|UNH~1~ORDERS^D^96A^UN^EAN008|" +
			"BGM~220~PO1|UNT~3~1|UNZ~1~REF1|"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := envelope("UNOC", "3")
			tc.modify(&env)
			var b bytes.Buffer
			require.NoError(t, edifact.Write(&b, env, body))
			require.Equal(t, tc.want, b.String())
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		env     edifact.Envelope
		msgs    []edifact.OutMessage
		code    string // of the *connectors.EDIError, "" for a plain error
		tag     string
		element int
		message string
	}{
		{name: "Chinese in UNOC", env: envelope("UNOC", "3"),
			msgs: order(connectors.Seg("BGM", "220"), connectors.Seg("IMD", "F", "", connectors.Comp("", "", "", "不锈钢水槽"))),
			code: "bad_character", tag: "IMD", element: 3, message: "UNOY"},
		{name: "lower case in UNOA", env: envelope("UNOA", "3"), msgs: order(connectors.Seg("FTX", "AAA", "", "", "Hello")),
			code: "bad_character", tag: "FTX", element: 4, message: `'e'`},
		{name: "Latin-1 in UNOB", env: envelope("UNOB", "3"), msgs: order(connectors.Seg("NAD", "SU", "", "", "Müller")),
			code: "bad_character", tag: "NAD", element: 4},
		{name: "control character", env: envelope("UNOY", "4"), msgs: order(connectors.Seg("FTX", "AAA", "", "", "a\nb")),
			code: "bad_character", tag: "FTX", element: 4, message: "control"},
		{name: "invalid UTF-8", env: envelope("UNOY", "4"), msgs: order(connectors.Seg("FTX", "AAA", "", "", "a\xffb")),
			code: "bad_character", tag: "FTX", element: 4, message: "UTF-8"},
		{name: "repetition in syntax 3", env: envelope("UNOC", "3"),
			msgs: order(connectors.EDISegment{Tag: "FTX", Elements: []connectors.EDIElement{{{"A"}, {"B"}}}}),
			code: "bad_value", tag: "FTX", element: 1, message: "repetition"},
		{name: "service segment in the body", env: envelope("UNOC", "3"), msgs: order(connectors.Seg("UNT", "1")),
			code: "bad_value", tag: "UNT"},
		{name: "bad tag", env: envelope("UNOC", "3"), msgs: order(connectors.Seg("bgm", "1")), code: "bad_value", tag: "bgm"},
		{name: "delimiter without release character", env: func() edifact.Envelope {
			e := envelope("UNOC", "3")
			e.Delimiters = edifact.Delimiters{Component: ':', Element: '+', Decimal: '.', Segment: '\''}
			return e
		}(), msgs: order(connectors.Seg("FTX", "AAA", "", "", "A+B")), code: "bad_character", tag: "FTX", element: 4, message: "no release"},
		{name: "unknown syntax", env: envelope("UNOZ", "3"), msgs: order(), message: "UNOZ"},
		{name: "no sender", env: func() edifact.Envelope { e := envelope("", ""); e.Sender.ID = ""; return e }(), message: "sender"},
		{name: "no date", env: func() edifact.Envelope { e := envelope("", ""); e.Date = time.Time{}; return e }(), message: "date"},
		{name: "long control", env: func() edifact.Envelope { e := envelope("", ""); e.Control = strings.Repeat("9", 15); return e }(),
			message: "14"},
		{name: "custom delimiters without UNA", env: func() edifact.Envelope {
			e := envelope("", "")
			e.OmitUNA = true
			e.Delimiters = edifact.Delimiters{Component: ':', Element: '+', Decimal: ',', Release: '?', Segment: '\''}
			return e
		}(), message: "UNA"},
		{name: "equal delimiters", env: func() edifact.Envelope {
			e := envelope("", "")
			e.Delimiters = edifact.Delimiters{Component: '+', Element: '+', Segment: '\''}
			return e
		}(), message: "both"},
		{name: "message without type", env: envelope("", ""), msgs: []edifact.OutMessage{{Version: "D", Release: "96A"}},
			message: "type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := edifact.Write(&bytes.Buffer{}, tc.env, tc.msgs)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.message)
			var e *connectors.EDIError
			if tc.code == "" {
				require.NotErrorAs(t, err, &e)
				return
			}
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.code, e.Code)
			require.Equal(t, tc.tag, e.Tag)
			require.Equal(t, tc.element, e.Element)
		})
	}
}

// trimmed drops trailing empty elements and components, which Write
// omits as ISO 9735 asks.
func trimmed(s connectors.EDISegment) connectors.EDISegment {
	out := connectors.EDISegment{Tag: s.Tag}
	for _, el := range s.Elements {
		var reps [][]string
		for _, rep := range el {
			for len(rep) > 0 && rep[len(rep)-1] == "" {
				rep = rep[:len(rep)-1]
			}
			reps = append(reps, rep)
		}
		if len(reps) == 1 && len(reps[0]) == 0 {
			reps = nil
		}
		out.Elements = append(out.Elements, connectors.EDIElement(reps))
	}
	for len(out.Elements) > 0 && out.Elements[len(out.Elements)-1] == nil {
		out.Elements = out.Elements[:len(out.Elements)-1]
	}
	return out
}

func TestWriteReadRoundTrip(t *testing.T) {
	t.Parallel()
	body := []connectors.EDISegment{
		connectors.Seg("BGM", "220", "PO?+1'", "9"),
		connectors.Seg("DTM", connectors.Comp("137", "20260105", "102")),
		connectors.Seg("FTX", "AAA", "", "", connectors.Comp("a+b:c'd?e", "x"), "EN"),
		connectors.Seg("NAD", "BY", connectors.Comp("5400110000009", "", "9"), "", "Müller Straße"),
		connectors.Seg("QTY", connectors.Comp("21", "12.5")),
	}
	chinese := append(append([]connectors.EDISegment{}, body...),
		connectors.Seg("IMD", "F", "", connectors.Comp("", "", "", "不锈钢水槽 (大号)")),
		connectors.EDISegment{Tag: "FTX", Elements: []connectors.EDIElement{{{"AAA"}}, nil, nil, {{"龙头"}, {"a*b", "c"}}}})
	cases := []struct {
		name string
		env  edifact.Envelope
		body []connectors.EDISegment
	}{
		{"UNOC syntax 3", envelope("UNOC", "3"), body},
		{"UNOY syntax 4 with Chinese text and repetitions", envelope("UNOY", "4"), chinese},
		{"UNOW with line breaks and no UNA", func() edifact.Envelope {
			e := envelope("UNOW", "4")
			e.OmitUNA, e.LineBreaks = true, true
			return e
		}(), chinese},
		{"UNOD custom delimiters", func() edifact.Envelope {
			e := envelope("UNOD", "3")
			e.Delimiters = edifact.Delimiters{Component: '^', Element: '~', Decimal: ',', Release: '!', Segment: '|'}
			return e
		}(), append(append([]connectors.EDISegment{}, body[:3]...), connectors.Seg("NAD", "SU", "", "", "Łódź ~|^!"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			env := tc.env
			env.Test, env.AckRequested, env.ApplicationRef = true, true, "APP"
			msgs := []edifact.OutMessage{
				{Type: "ORDERS", Version: "D", Release: "96A", Association: "EAN008", Control: "M1", Body: tc.body},
				{Type: "ORDERS", Version: "D", Release: "01B", Body: tc.body[:1]},
			}
			require.NoError(t, edifact.Write(&b, env, msgs))
			f, err := edifact.Read(bytes.NewReader(b.Bytes()), edifact.Options{})
			require.NoError(t, err)
			require.NoError(t, f.Err())
			require.Len(t, f.Interchanges, 1)
			ic := f.Interchanges[0]
			require.Equal(t, env.Sender, ic.Sender)
			require.Equal(t, env.Receiver, ic.Receiver)
			require.Equal(t, env.Control, ic.Control)
			require.Equal(t, "APP", ic.ApplicationRef)
			require.True(t, ic.Test)
			require.True(t, ic.AckRequested)
			when, err := ic.Prepared()
			require.NoError(t, err)
			require.Equal(t, written, when)
			got := ic.Messages()
			require.Len(t, got, 2)
			require.Equal(t, "M1", got[0].ControlNumber)
			require.Equal(t, "2", got[1].ControlNumber)
			require.Equal(t, "D01B", got[1].Version)
			require.Equal(t, "EAN008", got[0].Association)
			for i, m := range got {
				var want, have []connectors.EDISegment
				for _, s := range msgs[i].Body {
					want = append(want, trimmed(s))
				}
				for _, s := range m.Body() {
					have = append(have, trimmed(s))
				}
				require.Equal(t, want, have)
			}
		})
	}
}
