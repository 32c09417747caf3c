"""`zhibiao run` as a bureau runs it: a model folder in, every output file out, and nothing at all when
the input is bad.

usage: run_command.py ZHIBIAO_CLI SOURCE_DIR

1. The county example as shipped: every file is written, and each equals what the single commands
   (`rollup`, `check`, `report`) give for the same folder through `--model`.
2. A folder whose September arrives as the bureau's workbook under data/ (read through mapping.csv, its
   towns named under the folder's county): the roll-up holds the workbook's own numbers, summed here from
   the workbook with openpyxl, the 合计 row's disagreement is a finding, and the 报表 shows the sum.
3. A broken workbook, and a value given by two files: exit 2, the error names the file (both files), and
   no output file exists — also when an earlier run's files were there, which stay as they were.
"""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl

CLI, ROOT = sys.argv[1], sys.argv[2]
EX = os.path.join(ROOT, "examples", "county")
COUNTY = "441521000000"
OUTPUTS = ["findings.csv", "findings.json", "report.html", "report.txt", "rollup.csv", "table.xlsx"]


def run(*args, ok=(0,)):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode not in ok:
        raise AssertionError("{} exited {}:\n{}{}".format(" ".join(args), p.returncode, p.stdout, p.stderr))
    return p


def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def shipped_example(tmp):
    folder = os.path.join(tmp, "county")
    shutil.copytree(EX, folder)
    p = run("run", folder, "--period", "2021")
    out = os.path.join(folder, "out", "2021")
    check(sorted(os.listdir(out)) == OUTPUTS, "files written: {}".format(sorted(os.listdir(out))))
    for name in OUTPUTS:
        check(os.path.join(out, name) in p.stdout, "the summary lists {}: {}".format(name, p.stdout))
    # 25685 rows of section 一 (+ 1: resident_pension_age, set once) + 2069 of sections 二-四 for 2021
    # (generate.py's bureau_rows: 7 indicators x (16 towns x 12 months - 黄羌镇's July) = 1337 at the towns,
    # 61 x 12 months = 732 at the county) + the day the 人才计划 came out (policy_rows: 1) + outcome_rows: the 2
    # 建档立卡毕业生 outcomes beside each poor_grads row (16 towns x 24 months - 黄羌镇's July 2021 = 383, x 2 = 766)
    # and the 见习 batches at the county (24 months: 24)
    with open(os.path.join(folder, "observations.csv"), encoding="utf-8") as f:
        check(sum(1 for _ in f) - 1 == 25685 + 1 + 1337 + 732 + 1 + 766 + 24, "observations.csv has 28546 data rows")
    check("28546 values from 1 file" in p.stdout, "rows loaded in the summary: " + p.stdout)
    # The single commands on the same folder, through --model, give the same files.
    rollup = run("rollup", "--model", folder, "--region", COUNTY, "--period", "2021", "--quiet").stdout
    check(read(os.path.join(out, "rollup.csv")) == rollup, "rollup.csv differs from zhibiao rollup")
    findings = run("check", "--model", folder, "--period", "2021-12", "--format", "csv", "--quiet").stdout
    check(read(os.path.join(out, "findings.csv")) == findings, "findings.csv differs from zhibiao check")
    errors = sum(1 for row in csv.DictReader(io.StringIO(findings)) if row["severity"] == "error")
    check("{} error".format(errors) in p.stdout, "findings by severity: {} errors in {}".format(errors, p.stdout))
    check(len(json.loads(read(os.path.join(out, "findings.json")))) == len(list(csv.DictReader(io.StringIO(findings)))),
          "findings.json holds every finding")
    report = run("report", "--model", folder, "--region", COUNTY, "--period", "2021", "--quiet").stdout
    check(read(os.path.join(out, "report.txt")) == report, "report.txt differs from zhibiao report")
    check(read(os.path.join(out, "report.html")).startswith("<!DOCTYPE html>"), "report.html is a page")
    book = openpyxl.load_workbook(os.path.join(out, "table.xlsx"), read_only=True)
    check("海丰县" in book.sheetnames, "the 报表 has the county's sheet: {}".format(book.sheetnames))
    # Exit 1 with --fail-on-error only when an error finding exists.
    p = run("run", folder, "--period", "2021", "--fail-on-error", "--out", os.path.join(tmp, "strict"), ok=(0, 1))
    check(p.returncode == (1 if errors else 0), "--fail-on-error exit {} with {} errors".format(p.returncode, errors))
    return folder


def workbook_folder(tmp):
    """The model without observations.csv; its September is the bureau's workbook under data/."""
    folder = os.path.join(tmp, "workbook")
    os.makedirs(os.path.join(folder, "data"))
    for name in ("regions.csv", "indicators.csv"):
        shutil.copy(os.path.join(EX, name), folder)
    shutil.copy(os.path.join(EX, "workbook", "MAP.csv"), os.path.join(folder, "mapping.csv"))
    shutil.copy(os.path.join(EX, "workbook", "haifeng-2021-09.xlsx"), os.path.join(folder, "data"))
    with open(os.path.join(folder, "report.tmpl"), "w", encoding="utf-8") as f:
        f.write("{region}{period}城镇新增就业{urban_new_employment}人。\n")
    # The workbook's own numbers: the 城镇新增就业 column (C) of the town rows, and the 合计 row.
    sheet = openpyxl.load_workbook(os.path.join(folder, "data", "haifeng-2021-09.xlsx")).worksheets[0]
    towns, total = {}, None
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if row[1] == "合计":
            total = int(row[2])
        elif isinstance(row[0], int):
            towns[row[1]] = int(row[2])
    with open(os.path.join(EX, "regions.csv"), encoding="utf-8") as f:
        code_of = {r["name"]: r["code"] for r in csv.DictReader(f)}
    run("run", folder, "--period", "2021-09")
    out = os.path.join(folder, "out", "2021-09")
    rows = {(r["region"], r["indicator"]): r for r in csv.DictReader(io.StringIO(read(os.path.join(out, "rollup.csv"))))
            if r["period"] == "2021-09"}
    for name, value in towns.items():
        got = rows[(code_of[name], "urban_new_employment")]["monthly"]
        check(got == str(value), "{} 城镇新增就业: workbook {}, roll-up {}".format(name, value, got))
    county = rows[(COUNTY, "urban_new_employment")]
    check(county["monthly"] == str(sum(towns.values())), "the county is the towns' sum {}: {}".format(sum(towns.values()), county))
    check(total != sum(towns.values()), "the example's 合计 row disagrees with its towns")
    findings = list(csv.DictReader(io.StringIO(read(os.path.join(out, "findings.csv")))))
    check(any(f["region"] == COUNTY and f["subject"] == "urban_new_employment" and str(total) in f["message"] for f in findings),
          "the 合计 {} against the towns' {} is a finding".format(total, sum(towns.values())))
    check(read(os.path.join(out, "report.txt")) == "海丰县2021年9月城镇新增就业{}人。\n".format(sum(towns.values())),
          "report.txt: " + read(os.path.join(out, "report.txt")))
    values = [c for row in openpyxl.load_workbook(os.path.join(out, "table.xlsx")).worksheets[0].iter_rows(values_only=True)
              for c in row]
    check(sum(towns.values()) in values, "the 报表 shows the county's {}".format(sum(towns.values())))


def periods_and_formats(tmp, folder):
    """A quarter, a quoted long header at the top level, and a wide CSV under data/ read through mapping.csv."""
    p = run("run", folder, "--period", "2021Q3", "--out", os.path.join(tmp, "q3"))
    check("checked as of 2021-09" in p.stdout, "a quarter is checked at its end: " + p.stdout)
    check(sorted(os.listdir(os.path.join(tmp, "q3"))) == OUTPUTS, "a quarter writes every file")
    report = run("report", "--model", folder, "--region", COUNTY, "--period", "2021Q3", "--quiet").stdout
    check(read(os.path.join(tmp, "q3", "report.txt")) == report, "the quarter's report.txt is the quarter's report")
    wide = os.path.join(tmp, "wide")
    os.makedirs(os.path.join(wide, "data"))
    for name in ("regions.csv", "indicators.csv"):
        shutil.copy(os.path.join(EX, name), wide)
    # Long rows with every field quoted (as Excel or QUOTE_ALL writes them): still the long layout.
    with open(os.path.join(wide, "observations.csv"), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
            [["region", "period", "indicator", "value"], ["441521101000", "2021-08", "urban_new_employment", "11"]])
    # The bureau's sheet saved as CSV: town names and headers, the 合计 row the county's reported total.
    with open(os.path.join(wide, "data", "2021-09.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("海丰县2021年9月就业创业工作情况统计表\n序号,镇（街道）,城镇新增就业\n1,梅陇镇,20\n2,小漠镇,27\n,合计,47\n")
    run("run", wide, "--period", "2021年1-9月")
    rows = {(r["region"], r["period"], r["indicator"]): r
            for r in csv.DictReader(io.StringIO(read(os.path.join(wide, "out", "2021-01..2021-09", "rollup.csv"))))}
    check(rows[("441521101000", "2021-09", "urban_new_employment")]["ytd"] == "31", "梅陇镇 1-9月 = 11 + 20")
    check(rows[("441521102000", "2021-09", "urban_new_employment")]["monthly"] == "27", "小漠镇 September from the wide CSV")
    check(rows[(COUNTY, "2021-09", "urban_new_employment")]["monthly"] == "47", "the county: 20 + 27")


def bad_inputs(tmp, folder):
    before = {n: read(os.path.join(folder, "out", "2021", n), "rb") for n in OUTPUTS}
    fresh = os.path.join(tmp, "fresh-out")
    data = os.path.join(folder, "data")
    os.makedirs(data)
    with open(os.path.join(EX, "workbook", "haifeng-2021-09.xlsx"), "rb") as f:
        broken = f.read()[:3000]
    with open(os.path.join(data, "broken.xlsx"), "wb") as f:
        f.write(broken)
    for out in (None, fresh):
        p = run("run", folder, "--period", "2021", *(("--out", out) if out else ()), ok=(2,))
        check("broken.xlsx" in p.stderr, "the error names the workbook: " + p.stderr)
    check(not os.path.exists(fresh), "a failed run leaves no output folder")
    after = {n: read(os.path.join(folder, "out", "2021", n), "rb") for n in OUTPUTS}
    check(before == after, "a failed run leaves an earlier run's files as they were")
    check(sorted(os.listdir(os.path.join(folder, "out"))) == ["2021"], "no staging left: {}".format(os.listdir(os.path.join(folder, "out"))))
    os.remove(os.path.join(data, "broken.xlsx"))
    # One value twice: in observations.csv (line 5) and in data/extra.csv (line 2).
    lines = read(os.path.join(folder, "observations.csv")).splitlines(keepends=True)
    with open(os.path.join(data, "extra.csv"), "w", encoding="utf-8") as f:
        f.write(lines[0] + lines[4])
    p = run("run", folder, "--period", "2021", "--out", fresh, ok=(2,))
    check("extra.csv:2" in p.stderr and "observations.csv:5" in p.stderr, "the duplicate names both places: " + p.stderr)
    check(not os.path.exists(fresh), "a failed run leaves no output folder")
    os.remove(os.path.join(data, "extra.csv"))
    # A template that fails while the files are being written: the staging folder goes, nothing lands.
    os.makedirs(os.path.join(folder, "reports"))
    shutil.move(os.path.join(folder, "report.tmpl"), os.path.join(folder, "reports", "a.tmpl"))
    with open(os.path.join(folder, "reports", "b.tmpl"), "w", encoding="utf-8") as f:
        f.write("{urban_new_employment:nonsense}\n")
    p = run("run", folder, "--period", "2021", "--out", fresh, ok=(2,))
    check("b.tmpl:1:1" in p.stderr, "the bad template is named with its place: " + p.stderr)
    check(not os.path.exists(fresh), "a run that fails while writing leaves no output folder")
    check(not [n for n in os.listdir(tmp) if ".partial-" in n], "no staging folder left: {}".format(os.listdir(tmp)))


def main():
    tmp = tempfile.mkdtemp()
    try:
        folder = shipped_example(tmp)
        workbook_folder(tmp)
        periods_and_formats(tmp, folder)
        bad_inputs(tmp, folder)
    finally:
        shutil.rmtree(tmp)
    print("zhibiao run: every file written and equal to the single commands; workbook data read; bad input writes nothing")


if __name__ == "__main__":
    main()
