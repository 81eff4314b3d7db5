package schemas

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalizeUnit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"个", "PCE"}, {"件", "PCE"}, {"只", "PCE"}, {"台", "PCE"}, {"套", "SET"},
		{"箱", "CT"}, {"盒", "BX"}, {"包", "PK"}, {"袋", "BG"}, {"瓶", "BO"},
		{"卷", "ROL"}, {"双", "PR"}, {"打", "DZN"}, {"米", "MTR"}, {"千克", "KGM"},
		{"公斤", "KGM"}, {"克", "GRM"}, {"吨", "TNE"}, {"升", "LTR"}, {"毫升", "MLT"},
		{"PCS", "PCE"}, {"pcs", "PCE"}, {"Pc", "PCE"}, {"EA", "EA"}, {"each", "EA"},
		{"BOX", "BX"}, {"ctn", "CT"}, {"Carton", "CT"}, {"set", "SET"}, {"kg", "KGM"},
		{"m", "MTR"}, {"L", "LTR"}, {"ml", "MLT"}, {"m²", "MTK"}, {"㎡", "MTK"}, {"CBM", "MTQ"},
		{" 个 ", "PCE"}, {"\t箱\n", "CT"}, {"　套　", "SET"}, // ideographic spaces
		{"ＰＣＳ", "PCE"}, {"ｋｇ", "KGM"}, {"Ｍ２", "MTK"}, {"pcs.", "PCE"}, // full-width, trailing dot
		{"kgm", "KGM"}, {"c62", "C62"}, {"h87", "H87"}, {"DZN", "DZN"}, // codes themselves
	} {
		got, ok := NormalizeUnit(tc.in)
		require.True(t, ok, "%q", tc.in)
		require.Equal(t, tc.want, got, "%q", tc.in)
	}
	for _, in := range []string{"", " ", "桶", "bananas", "MT", "KG KG", "个个"} {
		got, ok := NormalizeUnit(in)
		require.False(t, ok, "%q", in)
		require.Empty(t, got, "%q", in)
	}
}

func TestUnitWordsMapToSchemaCodes(t *testing.T) {
	t.Parallel()
	for word, code := range unitWords {
		require.True(t, slices.Contains(UnitCodes, code), "%q maps to %q, which the schema does not accept", word, code)
		got, ok := NormalizeUnit(word)
		require.True(t, ok, word)
		require.Equal(t, code, got, word)
		require.Equal(t, word, halfWidth(word), "table keys are already half-width: %q", word)
	}
	for _, code := range UnitCodes {
		got, ok := NormalizeUnit(code)
		require.True(t, ok, code)
		require.Equal(t, code, got)
	}
}
