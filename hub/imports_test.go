package hub

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImportFormat checks how an upload's format is chosen: the workbook
// extensions and "PK" mean xlsx, text means csv whatever its name, and
// binary data that is no workbook is refused with what it looks like.
func TestImportFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, filename string
		body           string
		want           string
		refused        string // substring of the refusal
	}{
		{"xlsx by extension", "prices.XLSX", "anything", "xlsx", ""},
		{"xlsm by extension", "prices.xlsm", "PK\x03\x04", "xlsx", ""},
		{"csv", "prices.csv", "SKU,Price\nA,1\n", "csv", ""},
		{"tsv", "prices.tsv", "SKU\tPrice\n", "csv", ""},
		{"a workbook named .csv is still a workbook", "prices.csv", "PK\x03\x04rest", "xlsx", ""},
		{"no name, zip bytes", "", "PK\x03\x04", "xlsx", ""},
		{"no name, text", "", "货号,单价\n", "csv", ""},
		{"UTF-16 text with its BOM", "prices.txt", "\xff\xfeS\x00K\x00U\x00", "csv", ""},
		{"xls", "prices.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00", "", "Excel 97-2003"},
		{"pdf", "prices.pdf", "%PDF-1.4\n", "", `"prices.pdf" is a PDF document`},
		{"gzip", "prices.csv.gz", "\x1f\x8b\x08\x00", "", "gzip"},
		{"binary", "prices.bin", "ab\x00cd", "", "NUL byte at offset 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := importFormat(tc.filename, strings.NewReader(tc.body))
			if tc.refused != "" {
				require.True(t, errors.Is(err, ErrUnsupportedFormat), "err %v", err)
				require.Contains(t, err.Error(), tc.refused)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// TestBlankBody checks the refusal of an empty upload: a body is blank up
// to its last byte when it holds white space only, and is not as soon as
// one other byte appears, however far in.
func TestBlankBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		body  string
		blank bool
	}{
		{"empty", "", true},
		{"blanks", " \r\n\t ", true},
		{"blanks over several reads", strings.Repeat(" \n", 70<<10), true},
		{"a byte after several reads of blanks", strings.Repeat(" \n", 70<<10) + "x", false},
		{"text", "SKU,Price\n", false},
	} {
		got, err := blankBody(strings.NewReader(tc.body))
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.blank, got, tc.name)
	}
	got, err := blankBody(nil)
	require.NoError(t, err)
	require.True(t, got, "no body at all")
}
