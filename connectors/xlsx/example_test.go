package xlsx_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/connectors/xlsx"
)

func Example() {
	dir, _ := os.MkdirTemp("", "xlsx-example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "price-list.xlsx")

	// A supplier's price list: a title row, Chinese headers, a code stored
	// as text, a price and a date cell.
	f := excelize.NewFile()
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	_ = f.SetCellStr("Sheet1", "A1", "2026年价格表")
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"物料编码", "单价", "生效日期"})
	_ = f.SetSheetRow("Sheet1", "A3", &[]any{"00123", 1234.5, 46023})
	_ = f.SetCellStyle("Sheet1", "C3", "C3", dateStyle)
	_ = f.SaveAs(path)
	_ = f.Close()

	r, err := xlsx.OpenFile(path, xlsx.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	for {
		row, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s!%d:", row.Sheet, row.Number)
		for _, c := range row.Cells {
			fmt.Printf(" %s(%s)", c.Value, c.Type)
		}
		fmt.Println()
	}
	// Output:
	// Sheet1!1: 2026年价格表(text)
	// Sheet1!2: 物料编码(text) 单价(text) 生效日期(text)
	// Sheet1!3: 00123(text) 1234.5(number) 46023(date)
}
