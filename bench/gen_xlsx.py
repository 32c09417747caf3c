#!/usr/bin/python3
"""Writes the national-size workbook benchmark: one sheet, TOWNS town rows × 20 indicator columns.

usage: gen_xlsx.py OUT_DIR [--towns 41000]

OUT_DIR receives regions.csv (a nation and its towns, 12-digit codes), indicators.csv (18 counts in 人,
2 money flows in 万元 with 2 decimals), and national.xlsx: a title row, a two-row header with a merged group,
a code column and a name column, one row per town, a 合计 row. Deterministic.
"""
import os
import sys

import openpyxl

out = sys.argv[1]
towns = int(sys.argv[sys.argv.index("--towns") + 1]) if "--towns" in sys.argv else 41000
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "regions.csv"), "w", encoding="utf-8") as f:
    f.write("code,name,level,parent\n100000000000,全国,nation,\n")
    for k in range(towns):
        f.write(f"{110000000000 + k * 1000},第{k}镇,town,100000000000\n")
with open(os.path.join(out, "indicators.csv"), "w", encoding="utf-8") as f:
    f.write("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n")
    for j in range(18):
        f.write(f"count_{j:02},计数指标{j:02},人,flow,0,,,,\n")
    f.write("money_a,资金指标甲,万元,flow,2,,,,\nmoney_b,资金指标乙,万元,flow,2,,,,\n")
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("2021年9月")
ws.append(["全国2021年9月就业创业工作情况统计表"])
ws.append(["代码", "镇"] + [f"计数指标{j:02}" for j in range(18)] + ["资金", None])
ws.append([None, None] + [None] * 18 + ["资金指标甲（万元）", "资金指标乙（万元）"])
for k in range(towns):
    ws.append([str(110000000000 + k * 1000), f"第{k}镇"] + [(k * 7 + j * 13) % 997 for j in range(18)] +
              [((k * 31) % 100000) / 100, ((k * 17) % 5000) / 4])
wb.save(os.path.join(out, "national.xlsx"))
