"""Writes the openpyxl fixture for connectors/xlsx tests: pricelist_openpyxl.py OUT.xlsx

openpyxl writes formulas without cached values, custom date number formats
and shared strings; LibreOffice covers cached formula values.
"""
import datetime
import sys

import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "价格表"
ws["A1"] = "某某五金 2026年价格表"
ws.merge_cells("A1:F1")
ws.append(["物料编码", "品名", "单价", "数量", "金额", "生效日期"])
ws.append(["00123", "不锈钢螺丝 M4", 1234.5, 10, "=C3*D3", datetime.date(2026, 1, 1)])
ws.append(["A-77", "垫片", "88.50", True, None, "2026年1月2日"])
ws["F4"].number_format = "@"
ws.append(["B-1", "螺母", 0.1, 3, None, datetime.datetime(2026, 6, 30, 12, 0)])
ws.append(["合计", None, None, None, "=SUM(E3:E5)"])
notes = wb.create_sheet("说明")
notes["B1"] = "价格含税"
wb.save(sys.argv[1])
