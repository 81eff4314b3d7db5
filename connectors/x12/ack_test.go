package x12_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// readOne reads an input of one interchange and one group.
func readOne(t *testing.T, input string) (x12.Interchange, x12.Group) {
	t.Helper()
	f, err := x12.ReadString(input, x12.Options{})
	require.NoError(t, err)
	require.Len(t, f.Interchanges, 1)
	ic := f.Interchanges[0]
	require.Len(t, ic.Groups, 1)
	return ic, ic.Groups[0]
}

func TestAck997(t *testing.T) {
	t.Parallel()
	good := interchange(po850, po850)
	for _, tc := range []struct {
		name  string
		input string
		o     x12.AckOptions
		want  []string
	}{
		{
			name: "all accepted", input: good,
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*A", "AK2*850*0002", "AK5*A", "AK9*A*2*2*2"},
		},
		{
			name: "a bad segment count rejects that set", input: strings.Replace(good, "SE*8*0002", "SE*7*0002", 1),
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*A", "AK2*850*0002", "AK5*R*4", "AK9*P*2*2*1"},
		},
		{
			name:  "control number mismatch and missing trailer",
			input: strings.Replace(strings.Replace(good, "SE*8*0001", "SE*8*0003", 1), "SE*8*0002~", "", 1),
			want:  []string{"AK1*PO*42", "AK2*850*0001", "AK5*R*3", "AK2*850*0002", "AK5*R*2", "AK9*R*2*2*0"},
		},
		{
			name: "unknown segment", input: interchange([]string{"BEG*00*SA*PO-1", "BSN*00*1", "PO1*1*1*EA"}),
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK3*BSN*3**1", "AK5*R*5", "AK9*R*1*1*0"},
		},
		{
			name: "data errors from the mapping", input: good,
			o: x12.AckOptions{Control: "0099", SetErrors: map[string][]*connectors.EDIError{"0002": {
				{Pos: 16, Tag: "PO1", Element: 3, Code: "bad_code"},
				{Pos: 16, Tag: "PO1", Element: 2, Code: "missing_value"},
				{Pos: 12, Tag: "BEG", Element: 5, Code: "bad_date"},
				{Pos: 14, Tag: "N1", Element: 4, Component: 2, Code: "too_long"},
				{Tag: "DTM", Code: "missing_segment"},
			}}},
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*A", "AK2*850*0002",
				"AK3*BEG*2**8", "AK4*5**8*20260105",
				"AK3*N1*4**8", "AK4*4>2**5",
				"AK3*PO1*6**8", "AK4*3**7*EA", "AK4*2**1*3",
				"AK3*DTM*8**3",
				"AK5*R*5", "AK9*P*2*2*1"},
		},
		{
			name: "data errors accepted with errors", input: good,
			o: x12.AckOptions{AcceptWithErrors: true, SetErrors: map[string][]*connectors.EDIError{"0001": {
				{Pos: 7, Tag: "PO1", Element: 4, Code: "too_long"},
			}}},
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK3*PO1*5**8", "AK4*4**5*9.25", "AK5*E*5", "AK2*850*0002", "AK5*A", "AK9*E*2*2*2"},
		},
		{
			name: "unsupported set type", input: good,
			o:    x12.AckOptions{Supported: func(typ string) bool { return typ == "856" }},
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*R*1", "AK2*850*0002", "AK5*R*1", "AK9*R*2*2*0"},
		},
		{
			name: "group control number mismatch", input: strings.Replace(good, "GE*2*42", "GE*2*41", 1),
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*A", "AK2*850*0002", "AK5*A", "AK9*R*2*2*2*4"},
		},
		{
			name: "group set count mismatch", input: strings.Replace(good, "GE*2*42", "GE*3*42", 1),
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*A", "AK2*850*0002", "AK5*A", "AK9*R*3*2*2*5"},
		},
		{
			name: "group without GE", input: strings.TrimSuffix(good, "GE*2*42~IEA*1*000000007~"),
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*A", "AK2*850*0002", "AK5*A", "AK9*R*2*2*2*3"},
		},
		{
			name: "stray segments between sets are noted", input: strings.Replace(good, "ST*850*0002~", "REF*X*1~ST*850*0002~", 1),
			want: []string{"AK1*PO*42", "AK2*850*0001", "AK5*A", "AK2*850*0002", "AK5*A", "AK9*E*2*2*2"},
		},
		{
			name: "5010 sends GS08 in AK1 and ST03 in AK2",
			input: strings.Replace(strings.Replace(strings.Replace(good, "*U*00401*", "*^*00501*", 1), "X*004010~", "X*005010X222A1~", 1),
				"ST*850*0001~", "ST*850*0001*005010X222A1~", 1),
			want: []string{"AK1*PO*42*005010X222A1", "AK2*850*0001*005010X222A1", "AK5*A", "AK2*850*0002", "AK5*A", "AK9*A*2*2*2"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ic, g := readOne(t, tc.input)
			ack := x12.Ack997(ic, g, tc.o)
			require.Equal(t, "997", ack.Type)
			if tc.o.Control != "" {
				require.Equal(t, tc.o.Control, ack.Control)
			} else {
				require.Equal(t, "0001", ack.Control)
			}
			require.Equal(t, tc.want, values(ack.Body))
		})
	}
}

// TestAck997RoundTrip writes a 997 for a group with a bad set, reads it
// back and interprets it as the partner who sent the group would.
func TestAck997RoundTrip(t *testing.T) {
	t.Parallel()
	ic, g := readOne(t, strings.Replace(interchange(po850, po850), "SE*8*0002", "SE*9*0002", 1))
	ack := x12.Ack997(ic, g, x12.AckOptions{SetErrors: map[string][]*connectors.EDIError{
		"0001": {{Pos: 7, Tag: "PO1", Element: 1, Component: 1, Code: "too_short"}},
	}})
	env := x12.Envelope{
		Sender: ic.Receiver, Receiver: ic.Sender, InterchangeControl: 9, GroupControl: 9, Date: when,
		FunctionalID: x12.FunctionalID("997"),
	}
	var buf bytes.Buffer
	require.NoError(t, x12.Write(&buf, env, []x12.OutSet{ack}))
	f, err := x12.Read(&buf, x12.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Equal(t, "FA", f.Interchanges[0].Groups[0].FunctionalID)
	res, err := x12.ParseAck(f.Sets()[0].EDITransaction)
	require.NoError(t, err)
	require.Equal(t, x12.Ack997Result{
		FunctionalID: "PO", GroupControl: "42", Status: "R", Included: 2, Received: 2, Accepted: 0,
		Sets: []x12.AckSet{
			{Type: "850", Control: "0001", Status: "R", Codes: []string{"5"}, Segments: []x12.AckSegment{
				{Tag: "PO1", Pos: 5, Code: "8", Elements: []x12.AckElement{{Pos: 1, Component: 1, Code: "4", Data: "1"}}},
			}},
			{Type: "850", Control: "0002", Status: "R", Codes: []string{"4"}},
		},
	}, res)
	s, ok := res.Set("1")
	require.True(t, ok, "control numbers match without leading zeros")
	require.False(t, s.Accepted())
	_, ok = res.Set("0003")
	require.False(t, ok)
}

func TestParseAckSamples(t *testing.T) {
	t.Parallel()
	data := sampleFiles(t)["997/staedi__simple997.edi"]
	require.NotNil(t, data)
	f, err := x12.ReadBytes(data, x12.Options{})
	require.NoError(t, err)
	res, err := x12.ParseAck(f.Sets()[0].EDITransaction)
	require.NoError(t, err)
	require.Equal(t, x12.Ack997Result{
		FunctionalID: "HC", GroupControl: "000001", Status: "R", Included: 1, Received: 1, Accepted: 0,
		Sets: []x12.AckSet{{Type: "837", Control: "0021", Status: "R", Codes: []string{"5"}, Segments: []x12.AckSegment{
			{Tag: "NM1", Pos: 8, Code: "8", Elements: []x12.AckElement{{Pos: 8, Ref: "66", Code: "7", Data: "MI"}}},
		}}},
	}, res)
}

func TestParseAckErrors(t *testing.T) {
	t.Parallel()
	tx := func(typ string, segs ...string) connectors.EDITransaction {
		out := connectors.EDITransaction{Type: typ, ControlNumber: "0001"}
		for i, s := range segs {
			parts := strings.Split(s, "*")
			seg := connectors.Seg(parts[0], parts[1:]...)
			seg.Pos = i + 1
			out.Segments = append(out.Segments, seg)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		tx   connectors.EDITransaction
		code string
		msg  string
	}{
		{"not an ack", tx("850", "ST*850*0001", "SE*2*0001"), "unsupported_set", "not a 997 or 999"},
		{"no AK1", tx("997", "ST*997*0001", "AK9*A*1*1*1", "SE*3*0001"), "missing_segment", "no AK1"},
		{"no AK9", tx("997", "ST*997*0001", "AK1*PO*1", "SE*3*0001"), "missing_segment", "no AK9"},
		{"AK5 without AK2", tx("997", "ST*997*0001", "AK1*PO*1", "AK5*A", "AK9*A*1*1*1"), "unexpected_segment", "AK5 without an AK2"},
		{"AK4 without AK3", tx("997", "ST*997*0001", "AK1*PO*1", "AK2*850*1", "AK4*1**7"), "unexpected_segment", "AK4 without an AK3"},
		{"bad count", tx("997", "ST*997*0001", "AK1*PO*1", "AK9*A*one*1*1"), "bad_value", `AK902 "one" is not a number`},
		{"bad position", tx("997", "ST*997*0001", "AK1*PO*1", "AK2*850*1", "AK3*PO1*x"), "bad_value", `AK302 "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := x12.ParseAck(tc.tx)
			var ee *connectors.EDIError
			require.ErrorAs(t, err, &ee)
			require.Equal(t, tc.code, ee.Code)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestParseAck999(t *testing.T) {
	t.Parallel()
	input := isa("00501", "000000001", "^", ":", "~") + "GS*FA*A*B*20260105*1200*1*X*005010X231A1~" +
		"ST*999*0001*005010X231A1~AK1*HC*17*005010X222A1~AK2*837*0001*005010X222A1~" +
		"IK3*NM1*8*2010*8~CTX*CLM01:123~IK4*3:1**7*ZZ~IK5*R*5~AK9*R*1*1*0~SE*9*0001~GE*1*1~IEA*1*000000001~"
	f, err := x12.ReadString(input, x12.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	res, err := x12.ParseAck(f.Sets()[0].EDITransaction)
	require.NoError(t, err)
	require.Equal(t, "005010X222A1", res.Version)
	require.Equal(t, []x12.AckSet{{Type: "837", Control: "0001", Convention: "005010X222A1", Status: "R", Codes: []string{"5"},
		Segments: []x12.AckSegment{{Tag: "NM1", Pos: 8, Loop: "2010", Code: "8",
			Elements: []x12.AckElement{{Pos: 3, Component: 1, Code: "7", Data: "ZZ"}}}}}}, res.Sets)
}

func TestTA1(t *testing.T) {
	t.Parallel()
	good := interchange(po850)
	for _, tc := range []struct {
		name   string
		input  string
		strict bool
		want   string
	}{
		{"accepted", good, false, "TA1*000000007*260105*1200*A*000"},
		{"control number mismatch", strings.Replace(good, "IEA*1*000000007", "IEA*1*000000008", 1), false, "TA1*000000007*260105*1200*E*001"},
		{"control number mismatch, strict", strings.Replace(good, "IEA*1*000000007", "IEA*1*000000008", 1), true, "TA1*000000007*260105*1200*R*001"},
		{"group count", strings.Replace(good, "IEA*1*", "IEA*3*", 1), false, "TA1*000000007*260105*1200*E*021"},
		{"truncated", strings.TrimSuffix(good, "IEA*1*000000007~"), false, "TA1*000000007*260105*1200*R*023"},
		{"truncated wins over a count", strings.Replace(strings.TrimSuffix(good, "IEA*1*000000007~"), "GE*1*42~", "", 1), false, "TA1*000000007*260105*1200*R*023"},
		{"bad test indicator", strings.Replace(good, "*0*T*", "*0*Q*", 1), false, "TA1*000000007*260105*1200*R*020"},
		{"invalid content", strings.Replace(good, "GS*PO", "REF*X*1~GS*PO", 1), false, "TA1*000000007*260105*1200*E*024"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := x12.ReadString(tc.input, x12.Options{})
			require.NoError(t, err)
			ta1 := x12.TA1(f.Interchanges[0], x12.AckOptions{StrictInterchange: tc.strict})
			require.Equal(t, []string{tc.want}, values([]connectors.EDISegment{ta1}))
		})
	}
}

func TestAKCodes(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]string{"missing_value": "1", "conditional_missing": "2", "too_many_elements": "3",
		"too_short": "4", "too_long": "5", "bad_character": "6", "bad_code": "7", "bad_value": "7", "bad_date": "8",
		"bad_time": "9", "too_many_repetitions": "12", "too_many_components": "13", "anything": "7"} {
		require.Equal(t, want, x12.AK403Code(code), code)
	}
	for code, want := range map[string]string{"unknown_segment": "1", "unexpected_segment": "2", "missing_segment": "3",
		"loop_over_max": "4", "segment_over_max": "5", "not_in_set": "6", "out_of_order": "7", "bad_value": "8"} {
		require.Equal(t, want, x12.AK304Code(&connectors.EDIError{Code: code}), code)
	}
	require.Equal(t, "8", x12.AK304Code(&connectors.EDIError{Code: "missing_segment", Element: 2}))
}
