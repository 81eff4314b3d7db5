package connectors

import "testing"

func TestColumnLetters(t *testing.T) {
	t.Parallel()
	cases := map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"}
	for i, want := range cases {
		if got := ColumnLetter(i); got != want {
			t.Errorf("ColumnLetter(%d) = %q, want %q", i, got, want)
		}
		if got := ColumnIndex(want); got != i {
			t.Errorf("ColumnIndex(%q) = %d, want %d", want, got, i)
		}
	}
	for _, bad := range []string{"", "A1", "ABCD", "-"} {
		if got := ColumnIndex(bad); got != -1 {
			t.Errorf("ColumnIndex(%q) = %d, want -1", bad, got)
		}
	}
	if ColumnLetter(-1) != "" {
		t.Error("ColumnLetter(-1) should be empty")
	}
}
