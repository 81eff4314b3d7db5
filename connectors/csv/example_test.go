package csv_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dealerhub/dealerhub/connectors/csv"
)

// A price list saved by Chinese Excel: GBK, semicolons, a quoted field that
// spans two lines, and one broken row.
func ExampleNewReader() {
	text := "编码;名称;单价\r\nA-001;\"水槽\r\n(大号)\";￥1,234.00\r\nA-002;\"龙头\"特价;99\r\nA-003;花洒;45\r\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(text)

	r, err := csv.NewReader(strings.NewReader(gbk), csv.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	fmt.Printf("encoding %s, delimiter %q\n", r.Encoding(), r.Delimiter())
	for {
		row, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			fmt.Println("error:", err)
			continue
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("line %d: %q\n", row.Number, []string{row.Cells[0].Value, row.Cells[1].Value, row.Cells[2].Value})
	}
	// Output:
	// encoding gbk, delimiter ';'
	// line 1: ["编码" "名称" "单价"]
	// line 2: ["A-001" "水槽\n(大号)" "￥1,234.00"]
	// error: line 4, column B: text follows the closing quote of a quoted field (a quote inside a quoted field must be doubled)
	// line 5: ["A-003" "花洒" "45"]
}

// Handing a workbook to the CSV reader fails at once with a plain message.
func ExampleNewReader_notCSV() {
	_, err := csv.NewReader(strings.NewReader("PK\x03\x04\x14\x00"), csv.Options{})
	fmt.Println(err, errors.Is(err, csv.ErrNotCSV))
	// Output:
	// looks like an XLSX workbook (a zip archive), not CSV true
}
