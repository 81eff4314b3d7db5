package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/richardlehane/mscfb"
)

// Errors Open returns, wrapped with the detail of the case; test with
// errors.Is.
var (
	// ErrEmptyFile: the file has no bytes.
	ErrEmptyFile = errors.New("the file is empty")
	// ErrNotXLSX: the file is not an Office Open XML workbook (not a zip, a
	// zip of something else, an Excel 97–2003 .xls file).
	ErrNotXLSX = errors.New("not an XLSX workbook")
	// ErrPasswordProtected: the workbook is encrypted with a password.
	ErrPasswordProtected = errors.New("the workbook is password-protected")
	// ErrTooLarge: the workbook unpacks to more than the limits allow.
	ErrTooLarge = errors.New("the workbook is too large")
	// ErrSheetNotFound: a sheet named in Options.Sheets is not in the workbook.
	ErrSheetNotFound = errors.New("sheet not found")
)

// oleSignature starts every OLE2 compound file: encrypted OOXML workbooks
// and Excel 97–2003 .xls files alike.
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// classifyCompound tells an encrypted workbook (a compound file holding
// EncryptionInfo and EncryptedPackage streams) from a legacy .xls file.
func classifyCompound(r io.ReaderAt) error {
	doc, err := mscfb.New(r)
	if err != nil {
		return fmt.Errorf("%w: an unreadable OLE2 compound file: %w", ErrNotXLSX, err)
	}
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		if entry.Name == "EncryptionInfo" || entry.Name == "EncryptedPackage" {
			return ErrPasswordProtected
		}
	}
	return fmt.Errorf("%w: an OLE2 compound file, likely an Excel 97-2003 .xls workbook; save it as .xlsx", ErrNotXLSX)
}

// checkPackage opens the zip directory and refuses the workbook before any
// part is inflated when it is not a zip, or when the sizes its entries
// declare exceed the limits. archive/zip fails a part that inflates past
// its declared size, so a lying header cannot get around this check.
func checkPackage(r io.ReaderAt, size int64, opts Options) (*zip.Reader, error) {
	if size == 0 {
		return nil, ErrEmptyFile
	}
	head := make([]byte, len(oleSignature))
	if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, oleSignature) {
		return nil, classifyCompound(r)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not a zip archive (%w)", ErrNotXLSX, err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(opts.MaxUnzipSize) {
			return nil, fmt.Errorf("%w: the workbook unpacks to more than %d bytes; refusing", ErrTooLarge, opts.MaxUnzipSize)
		}
		if f.UncompressedSize64 > uint64(opts.MaxSheetXMLSize) {
			return nil, fmt.Errorf("%w: the part %s unpacks to %d bytes, more than the limit of %d; refusing",
				ErrTooLarge, f.Name, f.UncompressedSize64, opts.MaxSheetXMLSize)
		}
	}
	return zr, nil
}
