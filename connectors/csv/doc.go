// Package csv is the "csv" format: it reads a supplier's CSV file as
// connectors.Rows for the mapping engine, whatever program saved it.
//
// It detects what the file does not say: the encoding (UTF-8, UTF-8 with a
// byte-order mark, GBK or GB18030 as Chinese Excel saves them, UTF-16 with
// a byte-order mark) and the delimiter (, ; tab or |). It streams: memory
// stays bounded however long the file, and Options.MaxRecordBytes stops a
// quote that is never closed. Problems come back as *ParseError naming the
// line (and column where known) in words a supplier can act on; a workbook
// or binary file handed over by mistake fails with ErrNotCSV.
//
//	r, err := csv.NewReader(f, csv.Options{})
//	if err != nil {
//		return err // e.g. "looks like an XLSX workbook (a zip archive), not CSV"
//	}
//	defer r.Close()
//	for {
//		row, err := r.Next(ctx)
//		if err == io.EOF {
//			break
//		}
//		var pe *csv.ParseError
//		if errors.As(err, &pe) {
//			report(pe) // "line 12: a quoted field is not closed (...)"
//			continue
//		}
//		if err != nil {
//			return err
//		}
//		use(row) // row.Number is the line the record starts on
//	}
package csv
