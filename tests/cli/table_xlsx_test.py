"""The 报表 workbook read back with an independent reader (openpyxl) and checked against independent paths.

usage: table_xlsx_test.py ZHIBIAO SOURCE_DIR WORK_DIR

Runs `zhibiao table` for 海丰县 (441521000000) 2021-07 on examples/county and compares every numeric cell
of the sheet with `zhibiao rollup` (本月 = monthly, 1-7月累计 / 截至7月底 / a ratio of flows' 1-7月 = ytd, 报送 = reporting/expected),
with 同比 worked out here from the 2020 and 2021 roll-up rows, with targets.csv (年度目标) and with
`zhibiao check --format json` (完成率, 序时进度, 完成情况); the scope row 海丰县（不含深汕） is summed here from
its towns' roll-up rows (ratios from their summed parts). Exit 77 (a skip) when openpyxl is missing.
"""
import csv
import io
import json
import os
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

try:
    import openpyxl
except ImportError:
    print("SKIP: openpyxl is not installed (Debian: apt-get install python3-openpyxl)")
    sys.exit(77)

ZB, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
EX = os.path.join(SRC, "examples", "county")
COUNTY, TOWN_MISSING = "441521000000", "441521112000"  # 海丰县, 黄羌镇 (no July report)
MODEL = ["--regions", f"{EX}/regions.csv", "--indicators", f"{EX}/indicators.csv",
         "--observations", f"{EX}/observations.csv", "--quiet"]
STATUS_WORDS = {"exceeded": "超额完成", "not_met": "未完成", "ahead": "快于序时进度", "on_track": "与序时进度基本一致",
                "behind": "慢于序时进度", "pending": "年末考核", "within": "达标", "breached": "超标"}
failures = []


def run(*args):
    return subprocess.run([ZB, *args], check=True, capture_output=True, text=True).stdout


def fail(msg):
    failures.append(msg)


def dec(x):
    return None if x in (None, "") else Decimal(x)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


os.makedirs(WORK, exist_ok=True)
book = os.path.join(WORK, "haifeng-2021-07.xlsx")
run("table", *MODEL, "--scopes", f"{EX}/scopes.csv", "--targets", f"{EX}/targets.csv", "--rules", f"{EX}/rules.txt",
    "--region", COUNTY, "--period", "2021-07", "--out", book)

indicators = {r["code"]: r for r in read_csv(f"{EX}/indicators.csv")}
by_group = {f"{r['name']}（{r['unit']}）": code for code, r in indicators.items()}
regions = read_csv(f"{EX}/regions.csv")
towns = sorted(r["code"] for r in regions if r["parent"] == COUNTY)
scope = read_csv(f"{EX}/scopes.csv")[0]
scope_towns = [t for t in towns if t not in scope["exclude"].split(";")]
targets = {(r["region"], r["indicator"]): Decimal(r["value"]) for r in read_csv(f"{EX}/targets.csv") if r["period"] == "2021"}

rollup = {}
for r in csv.DictReader(io.StringIO(run("rollup", *MODEL, "--region", COUNTY))):
    rollup[(r["region"], r["period"], r["indicator"])] = r
findings = {}
for f in json.loads(run("check", *MODEL, "--targets", f"{EX}/targets.csv", "--period", "2021-07", "--format", "json")):
    if f["check"] == "target" and f["period"] == "2021-01..2021-07":
        findings[(f["region"], f["subject"])] = f


def q(x, places):
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def scope_value(code, field, period):
    """海丰县（不含深汕） summed from its towns; a ratio from its summed parts; None when no town has a value."""
    ind = indicators[code]
    if ind["kind"] == "ratio":
        num = [scope_value(c, field, period) for c in ind["numerator"].split("+")]
        den = [scope_value(c, field, period) for c in ind["denominator"].split("+")]
        if None in num or None in den or sum(den) == 0:
            return None
        return q(sum(num) / sum(den) * Decimal(ind["factor"] or 100), int(ind["decimals"]))
    vals = [dec(rollup[(t, period, code)][field]) for t in scope_towns]
    vals = [v for v in vals if v is not None]
    return sum(vals) if vals else None


parent_of = {r["code"]: r["parent"] for r in regions}
in_force = {}  # parameter values reported at a region, by (year, month): a value holds until it is set again
for r in read_csv(f"{EX}/observations.csv"):
    if indicators[r["indicator"]]["kind"] == "parameter":
        # a day date (unit 日期) is written as its ISO text, 2021-05-16, in a text cell
        day = indicators[r["indicator"]]["unit"] == "日期"
        in_force.setdefault((r["region"], r["indicator"]), {})[(int(r["period"][:4]), int(r["period"][5:7]))] = r["value"] if day else Decimal(r["value"])


def parameter_value(region, code):
    """The value in force in July 2021: the latest reported by then (in 2021 or an earlier year) at the region
    or its nearest ancestor."""
    while region:
        months = {m: v for m, v in in_force.get((region, code), {}).items() if m <= (2021, 7)}
        if months:
            return months[max(months)]
        region = parent_of.get(region, "")
    return None


def value(region, code, field, period="2021-07"):
    if region == scope["code"]:
        return scope_value(code, field, period)
    return dec(rollup[(region, period, code)][field])


def expected(region, code, header):
    """The value a cell must hold, worked out without the table builder; (value, decimals)."""
    ind = indicators[code]
    decimals = int(ind["decimals"])
    if header == "现行标准":
        return (None if region == scope["code"] else parameter_value(region, code)), decimals
    if header == "本月":
        return value(region, code, "monthly"), decimals
    if header in ("1-7月累计", "截至7月底", "1-7月"):  # 1-7月: a ratio of flows (好评率, 结案率)
        return value(region, code, "ytd"), decimals
    if header.startswith("同比"):
        now, base = value(region, code, "ytd"), value(region, code, "ytd", "2020-07")
        if now is None or base is None:
            return None, decimals
        if header == "同比（个百分点）":
            return now - base, decimals
        return (None if base == 0 else q((now - base) / base * 100, 1)), 1
    if header == "年度目标":
        t = targets.get((region, code))
        return t, decimals
    f = findings.get((region, code))
    if header == "完成率（%）":
        return (dec(f["completion"]) if f else None), 1
    if header == "序时进度（%）":
        return (dec(f["progress"]) if f else None), 1
    raise KeyError(header)


wb = openpyxl.load_workbook(book)
if wb.sheetnames != ["海丰县", "问题清单"]:
    fail(f"sheets are {wb.sheetnames}")
ws = wb["海丰县"]
if ws["A1"].value != "海丰县2021年1-7月就业工作主要指标完成情况表":
    fail(f"title is {ws['A1'].value!r}")
if ws.freeze_panes != "C5":
    fail(f"freeze panes at {ws.freeze_panes}")
groups, group = [], None
for c in range(1, ws.max_column + 1):
    v = ws.cell(3, c).value
    group = v if v is not None else group
    groups.append(group)
headers = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]

rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
expected_rows = towns + [COUNTY, scope["code"]]
if list(rows) != expected_rows:
    fail(f"rows are {list(rows)}, expected {expected_rows}")
if ws.cell(rows[COUNTY], 2).value != "全县合计":
    fail("the county row is not named 全县合计")

checked = 0
for region, r in rows.items():
    for c in range(3, ws.max_column + 1):
        cell, header, code = ws.cell(r, c), headers[c - 1], by_group.get(groups[c - 1])
        if code is None or header in ("完成情况", "报送", None):
            continue
        want, decimals = expected(region, code, header)
        if region == scope["code"] and header in ("年度目标", "完成率（%）", "序时进度（%）"):
            want = None
        got = cell.value
        where = f"{region} {groups[c - 1]} {header} ({cell.coordinate})"
        if want is None:
            if got is not None:
                fail(f"{where}: expected an empty cell, got {got!r}")
            continue
        checked += 1
        if isinstance(want, str):  # a date: the same text, not a number
            if got != want:
                fail(f"{where}: expected the date {want}, got {got!r}")
            continue
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            fail(f"{where}: expected the number {want}, got {got!r}")
            continue
        if q(Decimal(repr(got)), decimals) != want or Decimal(repr(got)) != q(Decimal(repr(got)), decimals):
            fail(f"{where}: {got!r} != {want}")
        fmt = "0" if decimals == 0 else "0." + "0" * decimals
        if cell.number_format != fmt:
            fail(f"{where}: number format {cell.number_format!r}, expected {fmt!r}")

# Text cells: 完成情况 from the findings' status, 报送 from the roll-up's coverage.
for region, r in rows.items():
    for c in range(3, ws.max_column + 1):
        header, code = headers[c - 1], by_group.get(groups[c - 1])
        got = ws.cell(r, c).value
        if header == "完成情况" and region != scope["code"]:
            f = findings.get((region, code))
            want = None if f is None else STATUS_WORDS.get(f["status"], "达标" if f["status"] == "met" else f["status"])
            if got != want:
                fail(f"{region} {code} 完成情况: {got!r} != {want!r}")
        if header == "报送" and region != scope["code"]:
            kind = indicators[code]["kind"]
            row = rollup[(region, "2021-07", code)]
            want = f"{row['reporting']}/{row['expected']}"
            if got != want and kind != "parameter":
                fail(f"{region} {code} 报送: {got!r} != {want!r}")

# 黄羌镇 did not report July: an empty 本月 cell with a note, never 0.
col = next(c for c in range(1, ws.max_column + 1) if groups[c - 1] == "城镇新增就业（人）" and headers[c - 1] == "本月")
cell = ws.cell(rows[TOWN_MISSING], col)
if cell.value is not None or cell.comment is None or "未报送" not in cell.comment.text:
    fail(f"黄羌镇's July 城镇新增就业 is {cell.value!r} with note {cell.comment.text if cell.comment else None!r}")
# The county's 完成率 and 序时进度 are there and equal the check's.
for header, key in (("完成率（%）", "completion"), ("序时进度（%）", "progress")):
    c = next(c for c in range(1, ws.max_column + 1) if groups[c - 1] == "城镇新增就业（人）" and headers[c - 1] == header)
    got = ws.cell(rows[COUNTY], c).value
    want = Decimal(findings[(COUNTY, "urban_new_employment")][key])
    if got is None or Decimal(repr(got)) != want:
        fail(f"海丰县 城镇新增就业 {header}: {got!r} != {want}")
# Every town's and the county's 城镇新增就业 本月 and 累计 is the roll-up's (the acceptance check, explicitly).
for header, field in (("本月", "monthly"), ("1-7月累计", "ytd")):
    c = next(c for c in range(1, ws.max_column + 1) if groups[c - 1] == "城镇新增就业（人）" and headers[c - 1] == header)
    for region in towns + [COUNTY]:
        want = dec(rollup[(region, "2021-07", "urban_new_employment")][field])
        got = ws.cell(rows[region], c).value
        if (want is None) != (got is None) or (want is not None and Decimal(repr(got)) != want):
            fail(f"{region} 城镇新增就业 {header}: {got!r} != {want}")

# Failing targets are filled; targets on schedule are not.
for region, r in rows.items():
    for c in range(3, ws.max_column + 1):
        if headers[c - 1] != "完成情况" or ws.cell(r, c).value is None:
            continue
        fill = ws.cell(r, c).fill.fgColor.rgb if ws.cell(r, c).fill and ws.cell(r, c).fill.fill_type else None
        marked = fill is not None and str(fill).upper().endswith("FFC7CE")
        if marked != (ws.cell(r, c).value in ("慢于序时进度", "未完成", "超标")):
            fail(f"{region} {groups[c - 1]} 完成情况 {ws.cell(r, c).value!r}: fill {fill!r}")

problems = wb["问题清单"]
if problems.cell(2, 1).value != "序号" or problems.max_row < 3:
    fail("the 问题清单 sheet has no findings")
# Every warning and error about 海丰县 or its towns is listed (the targets on schedule are in the table).
listed = {(problems.cell(r, 3).value, problems.cell(r, 11).value) for r in range(3, problems.max_row + 1)}
every = json.loads(run("check", *MODEL, "--targets", f"{EX}/targets.csv", "--rules", f"{EX}/rules.txt",
                       "--period", "2021-07", "--format", "json"))
for f in every:
    if f["severity"] in ("warning", "error") and (f["region"], f["message"]) not in listed:
        fail(f"问题清单 lacks {f['region']} {f['message']}")

if checked < 1000:
    fail(f"only {checked} numeric cells were compared")
for f in failures[:40]:
    print("FAIL:", f)
print(f"{checked} numeric cells compared, {len(failures)} failures")
sys.exit(1 if failures else 0)
