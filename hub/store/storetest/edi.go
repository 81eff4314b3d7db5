package storetest

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// ediCases check RecordInterchange and ControlNumber.
func ediCases() []testCase {
	return []testCase{
		{"InterchangeDuplicates", testEDIInterchangeDuplicates},
		{"ControlNumbers", testEDIControlNumbers},
		{"ControlNumbersConcurrent", testEDIControlNumbersConcurrent},
	}
}

func testEDIInterchangeDuplicates(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	m1, m2 := f.message("dlr", "order"), f.message("dlr", "order")
	in := store.EDIInterchange{Partner: "dlr", Standard: "x12", Sender: "ZZ:DEALER", Control: "000000101", MessageID: m1.ID}
	first, dup, err := f.st.RecordInterchange(f.ctx, in)
	require.NoError(t, err)
	require.False(t, dup)
	require.Equal(t, m1.ID, first.MessageID)
	requireRecent(t, first.ReceivedAt, "received_at")

	again, dup, err := f.st.RecordInterchange(f.ctx, in)
	require.NoError(t, err)
	require.False(t, dup, "the same message processed again is not a duplicate")
	require.Equal(t, m1.ID, again.MessageID)

	in.MessageID = m2.ID
	got, dup, err := f.st.RecordInterchange(f.ctx, in)
	require.NoError(t, err)
	require.True(t, dup, "the same control number from the same sender in another message")
	require.Equal(t, m1.ID, got.MessageID, "the first message is named")
	requireSameTime(t, first.ReceivedAt, got.ReceivedAt, "received_at")

	for _, other := range []store.EDIInterchange{
		{Partner: "dlr", Standard: "x12", Sender: "ZZ:DEALER", Control: "000000102", MessageID: m2.ID},
		{Partner: "dlr", Standard: "x12", Sender: "ZZ:OTHER", Control: "000000101", MessageID: m2.ID},
		{Partner: "dlr", Standard: "edifact", Sender: "ZZ:DEALER", Control: "000000101", MessageID: m2.ID},
	} {
		_, dup, err := f.st.RecordInterchange(f.ctx, other)
		require.NoError(t, err)
		require.False(t, dup, "%+v is another interchange", other)
	}
	_, _, err = f.st.RecordInterchange(f.ctx, store.EDIInterchange{Partner: "dlr", Standard: "x12", Sender: "ZZ:DEALER", MessageID: m2.ID})
	require.Error(t, err, "no control number")
}

func testEDIControlNumbers(t *testing.T, f *fixture) {
	next := func(counter, delivery string, max int64) int64 {
		n, err := f.st.ControlNumber(f.ctx, counter, delivery, max)
		require.NoError(t, err)
		return n
	}
	require.EqualValues(t, 1, next("x12:acme:isa", "d1", 999999999))
	require.EqualValues(t, 2, next("x12:acme:isa", "d2", 999999999))
	require.EqualValues(t, 1, next("x12:acme:isa", "d1", 999999999), "a retried delivery gets its number again")
	require.EqualValues(t, 1, next("x12:acme:gs", "d1", 999999999), "each counter counts on its own")
	require.EqualValues(t, 1, next("x12:other:isa", "d3", 999999999))
	require.EqualValues(t, 3, next("x12:acme:isa", "d4", 3))
	require.EqualValues(t, 1, next("x12:acme:isa", "d5", 3), "past the maximum the counter starts again at 1")
	_, err := f.st.ControlNumber(f.ctx, "", "d9", 10)
	require.Error(t, err)
}

func testEDIControlNumbersConcurrent(t *testing.T, f *fixture) {
	const n = 20
	got := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := f.st.ControlNumber(f.ctx, "x12:acme:st", "delivery-"+string(rune('a'+i)), 999999999)
			require.NoError(t, err)
			got[i] = v
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, v := range got {
		require.False(t, seen[v], "number %d given twice", v)
		seen[v] = true
		require.True(t, v >= 1 && v <= n)
	}
}
