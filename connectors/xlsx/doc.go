// Package xlsx reads Excel workbooks (Office Open XML, .xlsx) as a
// connectors.TableReader: row after row, sheet after sheet, with memory that
// stays flat however many rows a sheet has.
//
//	r, err := xlsx.OpenFile("price-list.xlsx", xlsx.Options{})
//	if err != nil {
//		return err // names the problem: not a workbook, password, too large, no such sheet
//	}
//	defer r.Close()
//	for {
//		row, err := r.Next(ctx)
//		if errors.Is(err, io.EOF) {
//			break
//		}
//		if err != nil {
//			return err
//		}
//		fmt.Println(row.Sheet, row.Number, row.Cells)
//	}
//
// Values are raw, never formatted: numbers keep their stored text, dates are
// Excel serial numbers typed connectors.CellDate (a number whose number
// format shows a date or time), text that looks like a number stays
// connectors.CellText, and formula cells carry their cached result with
// Formula set; nothing is recalculated. A merged range's value sits in its
// top-left cell only.
//
// Values come from excelize's streaming Rows with RawCellValue; because
// that API returns strings only, a byte scanner reads the same sheet XML in
// step to learn each cell's type attribute, style and formula flag, and each
// style's number format is looked up once per workbook.
package xlsx
