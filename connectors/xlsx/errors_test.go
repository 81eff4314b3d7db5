package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func openBytes(b []byte, opts Options) error {
	r, err := Open(bytes.NewReader(b), int64(len(b)), opts)
	if err == nil {
		r.Close()
	}
	return err
}

func TestOpenRefusesWhatIsNotAWorkbook(t *testing.T) {
	t.Parallel()
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, err := zw.Create("word/document.xml")
	require.NoError(t, err)
	_, err = io.WriteString(w, "<document/>")
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	xls := make([]byte, 4096) // an OLE2 compound file without encryption streams
	copy(xls, oleSignature)

	for name, tc := range map[string]struct {
		body    []byte
		target  error
		message string
	}{
		"empty":   {nil, ErrEmptyFile, "the file is empty"},
		"csv":     {[]byte("sku,price\nA,1\n"), ErrNotXLSX, "not an XLSX workbook: not a zip archive"},
		"docx":    {docx.Bytes(), ErrNotXLSX, "not an XLSX workbook: the zip archive holds no xl/workbook.xml"},
		"ole2":    {xls, ErrNotXLSX, "not an XLSX workbook: an unreadable OLE2 compound file"},
		"garbled": {[]byte("PK\x03\x04garbage"), ErrNotXLSX, "not an XLSX workbook: not a zip archive"},
	} {
		t.Run(name, func(t *testing.T) {
			err := openBytes(tc.body, Options{})
			require.ErrorIs(t, err, tc.target)
			require.True(t, strings.HasPrefix(err.Error(), tc.message), err.Error())
		})
	}
}

func TestOpenRefusesPasswordProtectedWorkbook(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	require.NoError(t, f.SetCellStr("Sheet1", "A1", "secret"))
	path := filepath.Join(t.TempDir(), "locked.xlsx")
	require.NoError(t, f.SaveAs(path, excelize.Options{Password: "pw"}))
	require.NoError(t, f.Close())
	b, err := os.ReadFile(path)
	require.NoError(t, err)

	err = openBytes(b, Options{})
	require.ErrorIs(t, err, ErrPasswordProtected)
	require.EqualError(t, err, "the workbook is password-protected")
	_, err = OpenFile(path, Options{})
	require.ErrorIs(t, err, ErrPasswordProtected)
}

// bombWorkbook returns a valid workbook whose single sheet XML inflates to
// about padding bytes of whitespace inside <sheetData>, built from one
// compressed block repeated so that building it costs milliseconds.
func bombWorkbook(t *testing.T, padding int64) []byte {
	t.Helper()
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	tail := `<row r="1"><c r="A1" t="inlineStr"><is><t>boom</t></is></c></row></sheetData></worksheet>`
	const chunk = 1 << 20
	var block bytes.Buffer
	fw, err := flate.NewWriter(&block, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(bytes.Repeat([]byte{' '}, chunk))
	require.NoError(t, err)
	require.NoError(t, fw.Flush()) // ends on a byte boundary, no final-block bit
	n := padding / chunk

	var raw bytes.Buffer
	lead, err := flate.NewWriter(&raw, flate.NoCompression)
	require.NoError(t, err)
	_, err = io.WriteString(lead, head)
	require.NoError(t, err)
	require.NoError(t, lead.Flush())
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	spaces := bytes.Repeat([]byte{' '}, chunk)
	for range n {
		raw.Write(block.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, spaces)
	}
	end, err := flate.NewWriter(&raw, flate.NoCompression)
	require.NoError(t, err)
	_, err = io.WriteString(end, tail)
	require.NoError(t, err)
	require.NoError(t, end.Close())
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))

	good := rawWorkbook(t, "", "", nil, rawSheet{name: "S", data: ""})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: f.Name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64:   uint64(raw.Len()),
				UncompressedSize64: uint64(len(head)+len(tail)) + uint64(n)*chunk,
			})
			require.NoError(t, err)
			_, err = w.Write(raw.Bytes())
			require.NoError(t, err)
			continue
		}
		require.NoError(t, zw.Copy(f))
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func TestZipBombIsRefusedBeforeInflating(t *testing.T) {
	t.Parallel()
	// 1.5 GiB of XML in a file of about 1.5 MB, against the default 1 GiB limit.
	bomb := bombWorkbook(t, 3<<29)
	require.Less(t, len(bomb), 4<<20)
	err := openBytes(bomb, Options{})
	require.ErrorIs(t, err, ErrTooLarge)
	require.EqualError(t, err, "the workbook is too large: the workbook unpacks to more than 1073741824 bytes; refusing")

	// The same construction under the limits is a readable workbook: the
	// test above refuses a real bomb, not a broken file.
	small := bombWorkbook(t, 2<<20)
	rows := readAll(t, small, Options{})
	require.Len(t, rows, 1)
	require.Equal(t, "boom", rows[0].Cells[0].Value)

	err = openBytes(small, Options{MaxUnzipSize: 1 << 20})
	require.ErrorIs(t, err, ErrTooLarge)
	require.EqualError(t, err, "the workbook is too large: the workbook unpacks to more than 1048576 bytes; refusing")
	err = openBytes(small, Options{MaxSheetXMLSize: 1 << 20})
	require.ErrorIs(t, err, ErrTooLarge)
	require.Contains(t, err.Error(), "the part xl/worksheets/sheet1.xml unpacks to 2097")
}

func TestZipBombWithLyingSizesFailsWhileReading(t *testing.T) {
	t.Parallel()
	bomb := bombWorkbook(t, 64<<20)
	// Rewrite the sheet's declared size to 1 KiB in both headers; the
	// checksum reader then stops inflating at the declared size.
	zr, err := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			require.NoError(t, zw.Copy(f))
			continue
		}
		rc, err := f.OpenRaw()
		require.NoError(t, err)
		h := f.FileHeader
		h.UncompressedSize64 = 1024
		w, err := zw.CreateRaw(&h)
		require.NoError(t, err)
		_, err = io.Copy(w, rc)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	b := out.Bytes()
	r, err := Open(bytes.NewReader(b), int64(len(b)), Options{})
	if err != nil {
		require.ErrorIs(t, err, ErrNotXLSX)
		return
	}
	defer r.Close()
	rows, readErr := 0, error(nil)
	for readErr == nil && rows < 10 {
		_, readErr = r.Next(t.Context())
		rows++
	}
	require.Error(t, readErr)
}
