package x12_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/x12"
)

// errorsAt lists "level:code" for every error of f, in file order; level
// is file, isa, gs or st.
func errorsAt(f *x12.File) []string {
	out := []string{}
	add := func(level string, errs []*connectors.EDIError) {
		for _, e := range errs {
			out = append(out, level+":"+e.Code)
		}
	}
	add("file", f.Errors)
	for _, ic := range f.Interchanges {
		add("isa", ic.Errors)
		for _, g := range ic.Groups {
			add("gs", g.Errors)
			for _, s := range g.Sets {
				add("st", s.Errors)
			}
		}
	}
	return out
}

func TestReadEnvelopeErrors(t *testing.T) {
	t.Parallel()
	good := interchange(po850, po850)
	head := isa("00401", "000000007", "U", ">", "~") + "GS*PO*DEALER*SUPPLIER*20260105*1200*42*X*004010~"
	for _, tc := range []struct {
		name   string
		input  string
		errors []string
		msg    string // in File.Err
		sets   int
	}{
		{name: "clean", input: good, errors: []string{}, sets: 2},
		{name: "no SE, GE or IEA", input: head + "ST*850*0001~BEG*00*SA*PO-1~PO1*1*1*EA~",
			errors: []string{"isa:truncated", "gs:truncated", "st:truncated"}, sets: 1,
			msg: "segment 3 (ST) at byte 154: transaction set 850 0001 has no SE trailer: the input ends first"},
		{name: "no SE before GE", input: head + "ST*850*0001~BEG*00*SA*PO-1~GE*1*42~IEA*1*000000007~",
			errors: []string{"st:truncated"}, sets: 1, msg: "has no SE trailer: GE at segment 5 comes first"},
		{name: "no SE before the next ST", input: strings.Replace(good, "SE*8*0001~", "", 1),
			errors: []string{"st:truncated"}, sets: 2, msg: "ST at segment 10 comes first"},
		{name: "no GE before IEA", input: head + "ST*850*0001~SE*2*0001~IEA*1*000000007~",
			errors: []string{"gs:truncated"}, sets: 1, msg: "functional group 42 has no GE trailer: IEA at segment 5 comes first"},
		{name: "no IEA before the next ISA", input: strings.TrimSuffix(good, "IEA*1*000000007~") + good,
			errors: []string{"isa:truncated"}, sets: 4, msg: "interchange 000000007 has no IEA trailer: ISA at segment 1 comes first"},
		{name: "SE01 count", input: strings.Replace(good, "SE*8*0001", "SE*9*0001", 1),
			errors: []string{"st:count_mismatch"}, sets: 2, msg: "segment 10 (SE) element 1 at byte 290: SE01 says 9 segments (ST through SE) but there are 8"},
		{name: "SE01 not a number", input: strings.Replace(good, "SE*8*0001", "SE*X*0001", 1),
			errors: []string{"st:count_mismatch"}, sets: 2, msg: `SE01 "X" is not a count`},
		{name: "SE02 control", input: strings.Replace(good, "SE*8*0001", "SE*8*0009", 1),
			errors: []string{"st:control_mismatch"}, sets: 2, msg: `SE02 "0009" does not match ST02 "0001"`},
		{name: "GE01 count", input: strings.Replace(good, "GE*2*42", "GE*3*42", 1),
			errors: []string{"gs:count_mismatch"}, sets: 2, msg: "GE01 says 3 transaction sets but there are 2"},
		{name: "GE02 control", input: strings.Replace(good, "GE*2*42", "GE*2*43", 1),
			errors: []string{"gs:control_mismatch"}, sets: 2, msg: `GE02 "43" does not match GS06 "42"`},
		{name: "GE02 with leading zeros is the same number", input: strings.Replace(good, "GE*2*42", "GE*2*000042", 1),
			errors: []string{}, sets: 2},
		{name: "IEA01 count", input: strings.Replace(good, "IEA*1*", "IEA*2*", 1),
			errors: []string{"isa:count_mismatch"}, sets: 2, msg: "IEA01 says 2 functional groups but there are 1"},
		{name: "IEA02 control", input: strings.Replace(good, "IEA*1*000000007", "IEA*1*000000008", 1),
			errors: []string{"isa:control_mismatch"}, sets: 2, msg: `IEA02 "000000008" does not match ISA13 "000000007"`},
		{name: "unknown segment in an 850", input: interchange([]string{"BEG*00*SA*PO-1", "BSN*00*1", "PO1*1*1*EA"}),
			errors: []string{"st:unknown_segment"}, sets: 1, msg: "segment 5 (BSN) at byte 181: BSN is not a segment of the 850 transaction set"},
		{name: "invalid segment tag", input: interchange([]string{"BEG*00*SA*PO-1", "po1*1*1*EA"}),
			errors: []string{"st:unknown_segment"}, sets: 1, msg: `segment tag "po1" is not valid`},
		{name: "set type without a table is not checked", input: strings.Replace(interchange([]string{"ZZZ*1"}), "ST*850", "ST*123", 1),
			errors: []string{}, sets: 1},
		{name: "segments between sets", input: strings.Replace(good, "ST*850*0002~", "REF*X*1~REF*X*2~ST*850*0002~", 1),
			errors: []string{"gs:unexpected_segment"}, sets: 2, msg: "REF is outside a transaction set"},
		{name: "ST without GS", input: isa("00401", "000000007", "U", ">", "~") + "ST*850*0001~BEG*00~SE*3*0001~IEA*0*000000007~",
			errors: []string{"isa:unexpected_segment"}, sets: 0, msg: "ST outside a functional group"},
		{name: "junk after the IEA", input: good + "GS*PO*X~ST*850*1~",
			errors: []string{"file:unexpected_segment"}, sets: 2, msg: "GS outside an interchange"},
		{name: "duplicate ST02", input: strings.ReplaceAll(good, "0002", "0001"),
			errors: []string{"st:duplicate_control"}, sets: 2, msg: `ST02 "0001" is used by another set`},
		{name: "empty ST01", input: strings.Replace(good, "ST*850*0001", "ST**0001", 1),
			errors: []string{"st:bad_value"}, sets: 2, msg: "ST01 (transaction set type) is empty"},
		{name: "bad ISA values", input: strings.Replace(strings.Replace(good, "000000007*0*T", "00000000X*2*Q", 1), "IEA*1*000000007", "IEA*1*00000000X", 1),
			errors: []string{"isa:bad_value", "isa:bad_value", "isa:bad_value"}, sets: 2, msg: `ISA13 "00000000X": the interchange control number must be 9 digits`},
		{name: "bad GS06", input: strings.ReplaceAll(good, "*42*X*", "*A42*X*"),
			errors: []string{"gs:bad_value", "gs:control_mismatch"}, sets: 2, msg: "GS06"},
		{name: "TA1 is kept, not an error", input: strings.Replace(good, "GS*PO", "TA1*000000123*260101*1200*A*000~GS*PO", 1),
			errors: []string{}, sets: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := x12.ReadString(tc.input, x12.Options{})
			require.NoError(t, err)
			require.Equal(t, tc.errors, errorsAt(f))
			require.Len(t, f.Sets(), tc.sets)
			if len(tc.errors) == 0 {
				require.NoError(t, f.Err())
				return
			}
			require.Error(t, f.Err())
			require.Contains(t, f.Err().Error(), tc.msg)
		})
	}
}

func TestReadFillsEnvelopeContext(t *testing.T) {
	t.Parallel()
	input := isa("00501", "000000321", "^", ":", "~\n") +
		"TA1*000000123*260101*1200*A*000~\n" +
		"GS*PO*APPDEALER*APPSUPPLIER*20260105*1200*42*X*005010~\n" +
		"ST*850*0001~\nBEG*00*SA*PO-1~\nSE*3*0001~\n" +
		"ST*850*0002~\nBEG*00*SA*PO-2~\nSE*3*0002~\nGE*2*42~\n" +
		"GS*IN*APPDEALER*APPSUPPLIER*20260106*1300*43*X*005010~\n" +
		"ST*810*0001~\nBIG*20260106*INV-1~\nSE*3*0001~\nGE*1*43~\n" +
		"IEA*2*000000321~\n"
	f, err := x12.ReadString(input, x12.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Len(t, f.Interchanges, 1)
	ic := f.Interchanges[0]
	require.Equal(t, connectors.EDIParty{Qualifier: "ZZ", ID: "DEALER"}, ic.Sender)
	require.Equal(t, connectors.EDIParty{Qualifier: "ZZ", ID: "SUPPLIER"}, ic.Receiver)
	require.Equal(t, "260105", ic.Date)
	require.Equal(t, "1200", ic.Time)
	require.Equal(t, "^", ic.Standards)
	require.Equal(t, "00501", ic.Version)
	require.Equal(t, "000000321", ic.Control)
	require.Equal(t, "T", ic.Usage)
	require.True(t, ic.Test())
	require.False(t, ic.AckRequested)
	require.Equal(t, 2, ic.DeclaredGroups)
	require.Equal(t, x12.Delimiters{Element: "*", Component: ":", Repetition: "^", Segment: "~\n"}, ic.Delimiters)
	require.Equal(t, []string{"TA1"}, tagsOf(ic.Acks))
	require.Len(t, ic.Groups, 2)
	g := ic.Groups[0]
	require.Equal(t, x12.Group{
		FunctionalID: "PO", AppSender: "APPDEALER", AppReceiver: "APPSUPPLIER", Date: "20260105",
		Time: "1200", Control: "42", Agency: "X", Version: "005010", DeclaredSets: 2, Pos: 3, Offset: 140,
		Sets: g.Sets,
	}, g)
	require.Len(t, g.Sets, 2)
	set := g.Sets[1]
	require.Equal(t, []string{"ST", "BEG", "SE"}, tagsOf(set.Segments))
	set.Segments = nil
	require.Equal(t, connectors.EDITransaction{
		Standard: "x12", Type: "850", Version: "005010", ControlNumber: "0002", GroupType: "PO",
		GroupControl: "42", InterchangeControl: "000000321",
		Sender: connectors.EDIParty{Qualifier: "ZZ", ID: "DEALER"}, Receiver: connectors.EDIParty{Qualifier: "ZZ", ID: "SUPPLIER"},
		GroupSender: "APPDEALER", GroupReceiver: "APPSUPPLIER", Test: true,
	}, set.EDITransaction)
	txs := f.Transactions()
	require.Len(t, txs, 3)
	require.Equal(t, "810", txs[2].Type)
	require.Equal(t, "43", txs[2].GroupControl)
	require.Equal(t, []string{"BIG*20260106*INV-1"}, values(txs[2].Body()))
}

func TestReadOptions(t *testing.T) {
	t.Parallel()
	good := interchange(po850)
	t.Run("custom known segments", func(t *testing.T) {
		f, err := x12.ReadString(good, x12.Options{KnownSegments: func(setType string) map[string]bool {
			return map[string]bool{"BEG": true, "PO1": true}
		}})
		require.NoError(t, err)
		require.Equal(t, []string{"st:unknown_segment", "st:unknown_segment", "st:unknown_segment"}, errorsAt(f))
	})
	t.Run("no tag check", func(t *testing.T) {
		f, err := x12.ReadString(interchange([]string{"ZZZ*1"}), x12.Options{KnownSegments: func(string) map[string]bool { return nil }})
		require.NoError(t, err)
		require.NoError(t, f.Err())
	})
	for _, tc := range []struct {
		name string
		o    x12.Options
	}{
		{"max bytes", x12.Options{MaxBytes: 200}},
		{"max segments", x12.Options{MaxSegments: 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := x12.ReadString(good, tc.o)
			var ee *connectors.EDIError
			require.ErrorAs(t, err, &ee)
			require.Equal(t, "too_large", ee.Code)
			require.NotNil(t, f, "what was read before the limit is returned")
		})
	}
	t.Run("limits that fit", func(t *testing.T) {
		f, err := x12.ReadString(good, x12.Options{MaxBytes: int64(len(good)), MaxSegments: 12})
		require.NoError(t, err)
		require.NoError(t, f.Err())
	})
}

func TestReadRefusesNonX12(t *testing.T) {
	t.Parallel()
	for _, input := range []string{"", "hello", "UNB+UNOC:3+A+B+260105:1200+1'", "ISA*00*short~"} {
		_, err := x12.ReadString(input, x12.Options{})
		var ee *connectors.EDIError
		require.True(t, errors.As(err, &ee), "%q: %v", input, err)
		require.Contains(t, []string{"not_edi", "bad_isa"}, ee.Code)
	}
}

// TestReadSamples reads every shared X12 sample with no error at all.
func TestReadSamples(t *testing.T) {
	t.Parallel()
	want := map[string]struct {
		interchanges int
		sets         []string
	}{
		"850/EdiEngine__850.OK.edi":                       {1, []string{"850"}},
		"850/staedi__invoice810_po850_dual.edi":           {1, []string{"810", "810", "850"}},
		"856/EdiEngine__856.Crossdock.OK.edi":             {1, []string{"856"}},
		"214/staedi__ts214_ellipses_segterm.edi":          {1, []string{"214"}},
		"997/staedi__simple997.edi":                       {1, []string{"997"}},
		"997/staedi__simple997-multiple-interchanges.edi": {3, []string{"997", "997", "997"}},
	}
	for name, data := range sampleFiles(t) {
		t.Run(name, func(t *testing.T) {
			f, err := x12.ReadBytes(data, x12.Options{})
			require.NoError(t, err)
			require.NoError(t, f.Err())
			w, ok := want[name]
			require.True(t, ok, "a new sample %s: add its expectations", name)
			require.Len(t, f.Interchanges, w.interchanges)
			var types []string
			for _, s := range f.Sets() {
				types = append(types, s.Type)
				require.Equal(t, "ST", s.Segments[0].Tag)
				require.Equal(t, "SE", s.Segments[len(s.Segments)-1].Tag)
			}
			require.Equal(t, w.sets, types)
		})
	}
}
