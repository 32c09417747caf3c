"""Workbooks from Python: Model.load_observations on an .xlsx path and Model.revise reach the library's one
workbook import, and give the same observations as `zhibiao import` ($ZHIBIAO_CLI) of the same workbook."""

import os
import subprocess
import tempfile
import unittest
from decimal import Decimal

import support
import zhibiao

BOOK = support.county(os.path.join("workbook", "haifeng-2021-09.xlsx"))
CORRECTED = support.county(os.path.join("workbook", "haifeng-2021-09-corrected.xlsx"))
MAP = support.county(os.path.join("workbook", "MAP.csv"))
COUNTY = "441521000000"


def county_model():
    m = zhibiao.Model()
    m.load_regions(support.county("regions.csv"))
    m.load_indicators(support.county("indicators.csv"))
    return m


@unittest.skipUnless(os.environ.get("ZHIBIAO_CLI"), "needs $ZHIBIAO_CLI (CTest sets it)")
class Workbook(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        out = os.path.join(self.tmp.name, "observations.csv")
        subprocess.run([os.environ["ZHIBIAO_CLI"], "import", BOOK, "--regions", support.county("regions.csv"),
                        "--indicators", support.county("indicators.csv"), "--under", COUNTY, "--map", MAP,
                        "--out", out], check=True, capture_output=True)
        self.rows = [line.split(",") for line in support.read(out).splitlines()[1:] if line]
        self.from_csv = county_model()
        self.from_csv.load_observations(out)
        self.from_csv.rollup()

    def tearDown(self):
        self.tmp.cleanup()

    def test_same_values_as_the_command(self):
        m = county_model()
        m.load_observations(BOOK, map=MAP, under=COUNTY)
        m.rollup()
        self.assertGreater(len(self.rows), 10)
        for region, period, indicator, value, *_ in self.rows:
            got = m.value(region, period, indicator)
            self.assertEqual(got.value, self.from_csv.value(region, period, indicator).value, (region, period, indicator))
            if region != COUNTY:  # the 合计 row is the county's reported total, not part of the roll-up
                self.assertEqual(got.value, Decimal(value), (region, period, indicator))

    def test_bad_sheet_is_named(self):
        m = county_model()
        with self.assertRaises(zhibiao.ZhibiaoError) as cm:
            m.load_observations(BOOK, map=MAP, under=COUNTY, sheet="没有这张表")
        self.assertIn("没有这张表", str(cm.exception))

    def test_options_only_for_workbooks(self):
        with self.assertRaises(TypeError):
            county_model().load_observations(text="region,period,indicator,value\n", under=COUNTY)
        with self.assertRaises(zhibiao.InvalidArgumentError) as cm:
            county_model().load_observations(support.county("observations.csv"), under=COUNTY)
        self.assertIn("is not a wide table", str(cm.exception))

    def test_wide_csv_loads_through_the_same_import(self):
        # A bureau's sheet saved as CSV: names matched under the county, the header by the indicator's name.
        wide = os.path.join(self.tmp.name, "wide.csv")
        with open(wide, "w", encoding="utf-8") as f:
            f.write("镇（街道）,城镇新增就业,备注\n梅陇镇,20,\n合计,1163,\n")
        m = county_model()
        m.load_observations(wide, under=COUNTY, period="2021年9月")
        m.rollup()
        self.assertEqual(m.value("441521101000", "2021-09", "urban_new_employment").value, Decimal("20"))
        # Without options the header still tells it is wide (not region,period,indicator,value): the import
        # reads it and asks for the period the table is of.
        with self.assertRaises(zhibiao.LoadError) as cm:
            county_model().load_observations(wide)
        self.assertIn("no period: name the sheet like 2021年9月", str(cm.exception))

    def test_revise_logs_every_change(self):
        m = county_model()
        m.load_observations(BOOK, map=MAP, under=COUNTY)
        log = os.path.join(self.tmp.name, "revisions.csv")
        changed = m.revise(CORRECTED, map=MAP, under=COUNTY, log=log)
        self.assertGreater(changed, 0)
        lines = [line for line in support.read(log).splitlines() if line]
        # A header line and one line per changed value.
        self.assertEqual(len(lines) - 1, changed)
        # The model lists the same changes with exact values: 梅陇镇's 城镇新增就业 20 → 25 (cell C5).
        revs = m.revisions()
        self.assertEqual(len(revs), changed)
        mei = [r for r in revs if r.region == "441521101000" and r.indicator == "urban_new_employment"]
        self.assertEqual(len(mei), 1)
        self.assertEqual((mei[0].period, mei[0].old, mei[0].new), ("2021-09", Decimal("20"), Decimal("25")))
        self.assertTrue(mei[0].source.endswith("!C5"), mei[0].source)
        self.assertEqual(county_model().revisions(), [])


if __name__ == "__main__":
    unittest.main()
