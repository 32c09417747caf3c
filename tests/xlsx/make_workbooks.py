#!/usr/bin/python3
"""Writes the workbooks the xlsx and import tests read, with the values they must import to.

usage: make_workbooks.py OUT_DIR [--example DIR]

Every expected value is worked out here with Python's decimal module from the numbers written into the
sheets, independently of zhibiao. --example also writes the bureau workbook and its MAP.csv into DIR
(examples/county/workbook).
"""
import csv
import os
import struct
import sys
import zipfile
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment

COUNTY = "441521000000"
PERIOD = "2021-09"
TITLE = "海丰县2021年9月就业创业工作情况统计表"

# (header, sub-header or None, indicator, unit of the sheet, unit factor to the catalogue, decimals)
COLUMNS = [
    ("城镇新增就业", None, "urban_new_employment", 1, 0),
    ("城镇失业人员再就业", "人数", "unemployed_reemployed", 1, 0),
    ("城镇失业人员再就业", "其中：就业困难人员", "hard_to_employ_employed", 1, 0),
    ("职业技能培训（人次）", None, "vocational_training", 1, 0),
    ("发放创业担保贷款（万元）", None, "startup_guarantee_loan_amount", 1, 2),
    ("一次性创业资助金额（万元）", None, "subsidy_startup_grant_amount", 10000, 2),  # catalogue: 元
]


def towns(regions_csv):
    with open(regions_csv, encoding="utf-8") as f:
        return [(r["code"], r["name"]) for r in csv.DictReader(f) if r["parent"] == COUNTY]


def town_values(k):
    """Deterministic values for town k: (people…, 万元 amounts as exact decimal text)."""
    return [20 + 7 * k, 10 + 3 * k, 2 + k % 4, 50 + 11 * k, Decimal(k * 13 % 50) + Decimal("0.25"),
            Decimal(k % 5) + Decimal("0.1234")]


def write_table(ws, rows, total, special):
    """The bureau layout: merged title and unit rows, two header rows, 序号 / town columns, 合计, a note."""
    ncol = 2 + len(COLUMNS) + 1
    last = openpyxl.utils.get_column_letter(ncol)
    ws["A1"] = TITLE
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = "单位：人、人次、万元"
    ws.merge_cells(f"A2:{last}2")
    ws["A3"], ws["B3"] = "序号", "镇（街道）"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    col = 3
    while col - 3 < len(COLUMNS):
        head, sub = COLUMNS[col - 3][0], COLUMNS[col - 3][1]
        ws.cell(3, col, head)
        if sub is None:
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            col += 1
            continue
        span = [c for c in COLUMNS if c[0] == head]
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(span) - 1)
        for j, c in enumerate(span):
            ws.cell(4, col + j, c[1])
        col += len(span)
    ws.cell(3, ncol, "备注")
    ws.merge_cells(start_row=3, start_column=ncol, end_row=4, end_column=ncol)
    ws.cell(3, 1).alignment = Alignment(wrap_text=True)
    r = 5
    for k, (name, values) in enumerate(rows):
        ws.cell(r, 1, k + 1)
        ws.cell(r, 2, name)
        for j, v in enumerate(values):
            ws.cell(r, 3 + j, float(v) if isinstance(v, Decimal) else v)
        for (rr, cc), v in special.items():
            if rr == r:
                ws.cell(r, cc).value = v
        r += 1
    ws.cell(r, 2, "合计")
    for j, v in enumerate(total):
        ws.cell(r, 3 + j, float(v) if isinstance(v, Decimal) else v)
    ws.cell(r + 1, 1, "注：本表数据截至2021年9月30日，“—”表示未报。")
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=ncol)
    return r


def bureau(regions_csv, path, corrected=False):
    """The bureau workbook; returns the observations it stands for, worked out from what was written."""
    ts = towns(regions_csv)
    rows, special = [], {}
    for k, (code, name) in enumerate(ts):
        v = town_values(k)
        if corrected and k == 0:
            v[0] += 5          # 梅陇镇 reported 5 more 城镇新增就业
        if corrected and k == 2:
            v[3] = 99          # 鹅埠镇's training corrected
        rows.append((name, v))
    # What each special cell holds, and the exact value it stands for (None: missing).
    special[(7, 7)] = (42.8 + 0.1, Decimal("42.90"))   # 42.900000000000006 from a sum in Excel
    if not corrected:
        special[(6, 3)] = (str(rows[1][1][0]), Decimal(rows[1][1][0]))   # a number stored as text
        special[(8, 4)] = (None, None)                          # an empty cell
        special[(9, 6)] = ("—", None)                           # not reported
    else:
        special[(6, 6)] = ("—", None)                           # 小漠镇 withdraws its training figure
    effective = []
    for k, (name, v) in enumerate(rows):
        effective.append([special[(5 + k, 3 + j)][1] if (5 + k, 3 + j) in special else Decimal(v[j]) for j in range(len(COLUMNS))])
    total = [sum(e[j] for e in effective if e[j] is not None) for j in range(len(COLUMNS))]
    if not corrected:
        total[0] += 3          # the 合计 disagrees with its towns by 3 people
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2021年9月"
    write_table(ws, rows, total, {rc: cell[0] for rc, cell in special.items()})
    wb.save(path)
    exp = {}
    for (code, _), e in zip(ts, effective):
        for j, (_, _, ind, factor, dec) in enumerate(COLUMNS):
            if e[j] is not None:
                exp[(code, PERIOD, ind)] = str((e[j] * factor).quantize(Decimal(1).scaleb(-dec)))
    for j, (_, _, ind, factor, dec) in enumerate(COLUMNS):
        exp[(COUNTY, PERIOD, ind)] = str((Decimal(total[j]) * factor).quantize(Decimal(1).scaleb(-dec)))
    return exp


def write_expected(path, rows):
    if isinstance(rows, dict):
        rows = [k + (v,) for k, v in rows.items()]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("region,period,indicator,value\n")
        for r in sorted(rows):
            f.write(",".join(r) + "\n")


def write_revisions(path, before, after):
    """What revising `before` with `after` changes: old and new value of every cell that differs."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("region,period,indicator,old,new\n")
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                f.write(",".join(key + (before.get(key, ""), after.get(key, ""))) + "\n")


def write_map(path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("column,indicator\n城镇失业人员再就业/其中：就业困难人员,hard_to_employ_employed\n")


def bad_cells(path, regions_csv):
    """One sheet per bad cell: each must be refused naming its cell (sheet names carry no period: the title does)."""
    ts = towns(regions_csv)
    cases = {"unknown_town": (6, 2, "新城镇"), "thousands": (5, 3, "1,234"), "fullwidth": (5, 3, "１２"),
             "decimals": (5, 7, 42.9001), "boolean": (5, 3, True), "unit_text": (5, 3, "12人")}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (r, c, v) in cases.items():
        ws = wb.create_sheet(name)
        rows = [(n, town_values(k)) for k, (_, n) in enumerate(ts[:3])]
        write_table(ws, rows, [sum(Decimal(x[1][j]) for x in rows) for j in range(len(COLUMNS))], {(r, c): v})
    ws = wb.create_sheet("formula")
    rows = [(n, town_values(k)) for k, (_, n) in enumerate(ts[:2])]
    write_table(ws, rows, [0] * len(COLUMNS), {(5, 3): "=1+2"})
    wb.save(path)


def wide_csv(path, regions_csv):
    """The same table as Excel's 'save as CSV' writes it: merges gone, the group header in its first column."""
    ts = towns(regions_csv)
    lines = [TITLE + ",,,,,,,,", "单位：人、人次、万元,,,,,,,,",
             "序号,镇（街道）,城镇新增就业,城镇失业人员再就业,,职业技能培训（人次）,发放创业担保贷款（万元）,一次性创业资助金额（万元）,备注",
             ",,,人数,其中：就业困难人员,,,,"]
    exp = []
    for k, (code, name) in enumerate(ts[:4]):
        v = town_values(k)
        lines.append(f"{k + 1},{name}," + ",".join(str(x) for x in v) + ",")
        for j, (_, _, ind, factor, dec) in enumerate(COLUMNS):
            exp.append((code, PERIOD, ind, str((Decimal(v[j]) * factor).quantize(Decimal(1).scaleb(-dec)))))
    lines.append("注：数据截至9月底,,,,,,,,")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    return exp


# ---- hand-built archives for the hostile cases ---------------------------------------------

PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                       '<sheet name="2021年9月" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                  'Target="worksheets/sheet1.xml"/>'
                                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                  'Target="sharedStrings.xml"/></Relationships>',
}
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def raw_workbook(path, sheet_xml, shared_xml=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_xml is not None:
            z.writestr("xl/sharedStrings.xml", shared_xml)


def forge_size(path, entry, size):
    """Rewrites the uncompressed size an archive declares for `entry` (local header and central directory)."""
    data = bytearray(open(path, "rb").read())
    name = entry.encode()
    p = 0
    while (p := data.find(b"PK\x03\x04", p)) >= 0:
        n = struct.unpack_from("<H", data, p + 26)[0]
        if data[p + 30:p + 30 + n] == name:
            struct.pack_into("<I", data, p + 22, size)
        p += 4
    p = 0
    while (p := data.find(b"PK\x01\x02", p)) >= 0:
        n = struct.unpack_from("<H", data, p + 28)[0]
        if data[p + 46:p + 46 + n] == name:
            struct.pack_into("<I", data, p + 24, size)
        p += 4
    open(path, "wb").write(bytes(data))


def sheet_of(rows_xml, extra=""):
    return f'<?xml version="1.0"?><worksheet {NS}><sheetData>{rows_xml}</sheetData>{extra}</worksheet>'


def hostile(out):
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "ABCDEFGHIJ") + "</row>" for r in range(1, 501))
    raw_workbook(os.path.join(out, "cells.xlsx"), sheet_of(cells))                     # 5000 cells, 5 000 rows of XML
    raw_workbook(os.path.join(out, "deep.xlsx"), sheet_of('<row r="1"><c r="A1"><v>1</v></c></row>', "<x>" * 200 + "</x>" * 200))
    raw_workbook(os.path.join(out, "doctype.xlsx"),
                 '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                 f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')
    raw_workbook(os.path.join(out, "formula.xlsx"), sheet_of('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f></c></row>'))
    shared = f'<?xml version="1.0"?><sst {NS} count="3">' + "<si><t>a</t></si>" * 3 + "</sst>"
    raw_workbook(os.path.join(out, "shared.xlsx"),
                 sheet_of('<row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="s"><v>7</v></c></row>'), shared)
    raw_workbook(os.path.join(out, "forged.xlsx"), sheet_of(cells))
    forge_size(os.path.join(out, "forged.xlsx"), "xl/worksheets/sheet1.xml", 1000)   # declares less than it holds
    raw_workbook(os.path.join(out, "bomb.xlsx"), sheet_of(cells))
    forge_size(os.path.join(out, "bomb.xlsx"), "xl/worksheets/sheet1.xml", 3 << 30)  # declares 3 GiB
    rich = (f'<?xml version="1.0"?><sst {NS}><si><r><t>梅陇</t></r><r><rPr/><t>镇</t></r><rPh><t>méi</t></rPh></si>'
            '<si><t xml:space="preserve"> 合计 </t></si></sst>')
    raw_workbook(os.path.join(out, "kinds.xlsx"),
                 sheet_of('<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2"><v>42.900000000000006</v></c>'
                          '<c r="D2" t="inlineStr"><is><t>内联</t></is></c><c r="E2" t="b"><v>1</v></c>'
                          '<c r="F2" t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c r="G2"><f>1+1</f><v>2</v></c>'
                          '<c r="H2" t="e"><v>#DIV/0!</v></c><c><v>7</v></c></row>'
                          '<row><c r="A3" t="s"><v>1</v></c></row>', '<mergeCells count="1"><mergeCell ref="B2:D3"/></mergeCells>'),
                 rich)
    header = ('<row r="1"><c r="A1" t="inlineStr"><is><t>2021年9月</t></is></c></row>'
              '<row r="2"><c r="A2" t="inlineStr"><is><t>镇</t></is></c><c r="B2" t="inlineStr"><is><t>城镇新增就业</t></is></c></row>')
    raw_workbook(os.path.join(out, "merges.xlsx"),                                    # one wide merge over the header, 100 times
                 sheet_of(header, '<mergeCells count="100">' + '<mergeCell ref="C2:XFD2"/>' * 100 + "</mergeCells>"))
    with open(os.path.join(out, "notzip.xlsx"), "w") as f:
        f.write("region,period,indicator,value\n")


def main():
    out = sys.argv[1]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    regions = os.path.join(root, "examples", "county", "regions.csv")
    os.makedirs(out, exist_ok=True)
    exp = bureau(regions, os.path.join(out, "haifeng.xlsx"))
    write_expected(os.path.join(out, "haifeng_expected.csv"), exp)
    exp2 = bureau(regions, os.path.join(out, "haifeng_corrected.xlsx"), corrected=True)
    write_expected(os.path.join(out, "haifeng_corrected_expected.csv"), exp2)
    write_revisions(os.path.join(out, "haifeng_revisions_expected.csv"), exp, exp2)
    write_map(os.path.join(out, "map.csv"))
    bad_cells(os.path.join(out, "bad_cells.xlsx"), regions)
    write_expected(os.path.join(out, "wide_expected.csv"), wide_csv(os.path.join(out, "wide.csv"), regions))
    hostile(out)
    if len(sys.argv) > 3 and sys.argv[2] == "--example":
        ex = sys.argv[3]
        os.makedirs(ex, exist_ok=True)
        bureau(regions, os.path.join(ex, "haifeng-2021-09.xlsx"))
        bureau(regions, os.path.join(ex, "haifeng-2021-09-corrected.xlsx"), corrected=True)
        write_map(os.path.join(ex, "MAP.csv"))


if __name__ == "__main__":
    main()
