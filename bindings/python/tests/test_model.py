"""The Model class on the hand-worked small example (same numbers as tests/unit/test_rollup.cpp) and on
the 海丰县 county example."""

import datetime
import os
import tempfile
import unittest
from decimal import Decimal

import support
from support import small_model, v

import zhibiao
from zhibiao import Finding, Model, Value


class SmallRollup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = small_model()

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def test_flows(self):
        m = self.m
        # a1: 10, 20, 30; a2: 5, —, 15; b1 reported cumulatively 7, 12, 20 -> monthly 7, 5, 8.
        self.assertEqual(v(m, "b1", "2021-02", "new_jobs"), "5")
        self.assertEqual(v(m, "b1", "2021-03", "new_jobs"), "8")
        self.assertEqual(v(m, "a2", "2021-02", "new_jobs"), "—")  # missing, not 0
        self.assertIsNone(m.value("a2", "2021-02", "new_jobs").value)
        self.assertEqual(v(m, "a2", "2021年1-2月", "new_jobs"), "5")
        self.assertEqual(v(m, "A", "2021-01", "new_jobs"), "15")
        self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "20")
        self.assertEqual(v(m, "A", "2021-03", "new_jobs"), "45")
        self.assertEqual(v(m, "A", "2021-01..2021-03", "new_jobs"), "80")
        self.assertEqual(v(m, "C1", "2021-02", "new_jobs"), "25")
        self.assertEqual(v(m, "C1", "2021年1-3月", "new_jobs"), "100")
        self.assertEqual(v(m, "C1", "2021Q1", "new_jobs"), "100")
        self.assertEqual(v(m, "C1", "2021-04", "new_jobs"), "—")
        self.assertEqual(v(m, "C1", "2021", "new_jobs"), "100")
        self.assertEqual(m.value("C1", "2021-02", "new_jobs"), Value(Decimal(25), 2, 3))
        self.assertEqual(m.value("A", "2021-02", "new_jobs"), Value(Decimal(20), 1, 2))

    def test_money_keeps_decimals(self):
        m = self.m
        self.assertEqual(v(m, "C1", "2021-01", "loan_amount"), "12.50")
        self.assertEqual(v(m, "C1", "2021-01..2021-02", "loan_amount"), "15.75")
        self.assertEqual(m.value("C1", "2021-01..2021-02", "loan_amount").value, Decimal("15.75"))
        self.assertEqual(v(m, "C1", "2021-03", "loan_amount"), "—")
        self.assertEqual(v(m, "C1", "2021-01..2021-03", "loan_amount"), "15.75")
        self.assertEqual(v(m, "B", "2021-01..2021-01", "loan_amount"), "—")
        self.assertIsInstance(m.value("C1", "2021-01", "loan_amount").value, Decimal)

    def test_qualifiers(self):
        m = self.m
        # b1 reported February's 3.25 万元 as approximate (约): C1's February (b1 alone, 3.25) and its 1-2月
        # (12.50 + 3.25 = 15.75) are approximate; A's 1-2月 (a1's exact 12.50) is exact.
        self.assertEqual(m.value("C1", "2021-02", "loan_amount"), Value(Decimal("3.25"), 1, 3, "approximate"))
        self.assertEqual(m.value("C1", "2021-01..2021-02", "loan_amount").qualifier, "approximate")
        self.assertEqual(m.value("A", "2021-01..2021-02", "loan_amount").qualifier, "")
        self.assertEqual(dict(m.slice("county", "loan_amount", "2021-02"))["B"].qualifier, "approximate")
        rows = {(r["region"], r["period"], r["indicator"]): r for r in m.rollup_rows()}
        self.assertEqual(rows[("C1", "2021-02", "loan_amount")]["qualifier"], "approximate")
        self.assertEqual(rows[("C1", "2021-03", "loan_amount")]["qualifier"], "")  # no March value
        self.assertEqual(rows[("C1", "2021-03", "loan_amount")]["ytd_qualifier"], "approximate")
        self.assertIn("[approximate]", m.explain("C1", "2021-02", "loan_amount"))

    def test_rule_and_report_on_an_approximate_value(self):
        with small_model() as m:
            # C1's 1-3月 loan amount is 12.50 + 约3.25 = 约15.75: a rule on it has no exact verdict.
            m.load_rules(text="loans | error | loan_amount >= 10 | levels=city\n")
            [f] = m.check(as_of="2021-03")
            self.assertEqual((f.check, f.region, f.status, f.severity), ("loans", "C1", "approximate", "warning"))
            self.assertEqual(f.actual, Decimal("15.75"))
            text, _ = m.report("{loan_amount}万元，{loan_amount:plain}万元", "C1", "2021年1-3月")
            self.assertEqual(text, "约15.75万元，15.75万元")

    def test_stocks(self):
        m = self.m
        self.assertEqual(v(m, "A", "2021-03", "insured"), "60")
        self.assertEqual(m.value("A", "2021-03", "insured").reporting, 1)
        self.assertEqual(v(m, "A", "2021-01..2021-03", "insured"), "170")
        self.assertEqual(v(m, "A", "截至2021年3月底", "insured"), "170")
        self.assertEqual(v(m, "C1", "2021-03-31", "insured"), "255")
        self.assertEqual(v(m, "C1", "2021-02", "insured"), "247")
        self.assertEqual(v(m, "C1", "2021Q1", "insured"), "255")

    def test_ratios(self):
        m = self.m
        self.assertEqual(v(m, "a1", "2021-01", "rate"), "3.00")
        self.assertEqual(v(m, "a2", "2021-01", "rate"), "10.00")
        self.assertEqual(v(m, "b1", "2021-01", "rate"), "0.50")
        self.assertEqual(v(m, "A", "2021-01", "rate"), "3.64")
        self.assertEqual(v(m, "C1", "2021-01", "rate"), "2.80")
        self.assertEqual(v(m, "A", "2021-02", "rate"), "32.06")
        self.assertEqual(m.value("A", "2021-02", "rate").reporting, 1)
        self.assertEqual(v(m, "A", "2021-01..2021-02", "rate"), "3.81")
        self.assertEqual(v(m, "C1", "2021-01..2021-02", "rate"), "2.93")
        self.assertEqual(v(m, "C1", "2021-03", "rate"), "—")
        self.assertEqual(v(m, "C1", "2021-01..2021-03", "rate"), "2.93")

    def test_value_helpers(self):
        x = self.m.value("C1", "2021-02", "new_jobs")
        self.assertFalse(x.missing)
        self.assertFalse(x.complete)
        self.assertTrue(self.m.value("C1", "2021-01", "new_jobs").complete)
        self.assertTrue(self.m.value("a2", "2021-02", "new_jobs").missing)

    def test_explain(self):
        text = self.m.explain("A", "2021-02", "new_jobs")
        self.assertIn("甲县", text)
        self.assertIn("1 of 2", text)
        self.assertIn("a2 甲二镇", text)
        self.assertIn("40 / 1100 × 100 = 3.64", self.m.explain("A", "2021-01", "rate"))

    def test_slice(self):
        s = self.m.slice("county", "new_jobs", "2021-02")
        self.assertEqual([(code, x.value) for code, x in s], [("A", Decimal(20)), ("B", Decimal(5))])
        self.assertEqual(s[0][1], Value(Decimal(20), 1, 2))
        self.assertEqual(self.m.slice("province", "new_jobs", "2021-02"), [])
        self.assertEqual([c for c, _ in self.m.slice("town", "new_jobs", "2021-02")], ["a1", "a2", "b1"])

    def test_slice_agrees_with_value(self):
        # slice goes through scaled integers, value() through the exact text: they must agree, decimals included.
        for level in ("city", "county", "town"):
            for ind in ("new_jobs", "loan_amount", "insured", "unemployed", "employed", "rate"):
                for per in ("2021-01", "2021-02", "2021-03", "2021-01..2021-02", "2021Q1", "2021"):
                    for code, x in self.m.slice(level, ind, per):
                        y = self.m.value(code, per, ind)
                        self.assertEqual(x, y, (level, ind, per, code))
                        self.assertEqual(str(x.value), str(y.value))

    def test_rollup_rows(self):
        rows = self.m.rollup_rows()
        self.assertEqual(len(rows), 6 * 12 * 6)
        pinned = [r for r in rows if r["region"] == "A" and r["period"] == "2021-02"]
        self.assertEqual([(r["indicator"], r["monthly"], r["ytd"], r["reporting"], r["expected"]) for r in pinned], [
            ("new_jobs", Decimal("20"), Decimal("35"), 1, 2),
            ("loan_amount", None, Decimal("12.50"), 0, 2),
            ("insured", Decimal("165"), Decimal("165"), 2, 2),
            ("unemployed", Decimal("42"), Decimal("42"), 2, 2),
            ("employed", Decimal("89"), Decimal("1059"), 1, 2),
            ("rate", Decimal("32.06"), Decimal("3.81"), 1, 2),
        ])
        self.assertEqual(str(pinned[1]["ytd"]), "12.50")

    def test_rollup_csv_and_write(self):
        text = self.m.rollup_csv()
        self.assertTrue(text.startswith("region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier\n"))
        self.assertIn("A,2021-02,rate,32.06,3.81,1,2,,\n", text)
        self.assertEqual(text.count("\n"), 6 * 12 * 6 + 1)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "汇总.csv")
            self.m.write_rollup(path)
            with open(path, encoding="utf-8", newline="") as f:
                self.assertEqual(f.read(), text)

    def test_to_dataframe(self):
        try:
            import pandas  # noqa: F401
        except ImportError:
            with self.assertRaises(ImportError) as cm:
                self.m.to_dataframe()
            self.assertIn("pandas", str(cm.exception))
        else:
            df = self.m.to_dataframe()
            self.assertEqual(len(df), 6 * 12 * 6)

    def test_catalogue(self):
        self.assertEqual(self.m.size(), (6, 6))
        self.assertEqual(self.m.region_code(self.m.region_id("b1")), "b1")
        self.assertGreaterEqual(self.m.indicator_id("rate"), 0)
        self.assertIn("6 regions", repr(self.m))

    def test_check_and_report(self):
        self.assertEqual(self.m.check(as_of="2021-03"), [])
        passes = self.m.check(as_of="2021-03", include_passes=True)
        self.assertTrue(passes)
        self.assertTrue(all(isinstance(f, Finding) for f in passes))
        text, warnings = self.m.report("{region}{period}新增就业{new_jobs}人，贷款{loan_amount}万元", "A", "2021-03")
        self.assertTrue(text.startswith("甲县2021年3月新增就业45人"), text)
        self.assertEqual(len(warnings), 1)
        self.assertIn("loan_amount", warnings[0])


class Revisions(unittest.TestCase):
    def test_revision_updates_ancestors(self):
        with small_model() as m:
            m.set_value("a2", "2021-02", "new_jobs", 8)
            m.set_value("a2", "2021-02", "unemployed", Decimal("20"))
            self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "28")
            self.assertEqual(v(m, "C1", "2021年1-3月", "new_jobs"), "108")
            self.assertEqual(m.value("C1", "2021-02", "new_jobs").reporting, 3)
            self.assertEqual(v(m, "A", "2021-01..2021-02", "rate"), "4.59")
            incremental = m.rollup_csv()
            m.rollup()
            self.assertEqual(m.rollup_csv(), incremental)

    def test_value_types(self):
        with small_model() as m:
            m.set_value("a1", "2021-01", "loan_amount", "1.25")
            self.assertEqual(v(m, "C1", "2021-01", "loan_amount"), "1.25")
            m.set_value("a1", "2021-01", "loan_amount", Decimal("2.5"))
            self.assertEqual(v(m, "C1", "2021-01", "loan_amount"), "2.50")
            m.set_value("a1", "2021-01", "loan_amount", 3)
            self.assertEqual(v(m, "C1", "2021-01", "loan_amount"), "3.00")
            m.set_value("a1", "2021-01", "loan_amount", Decimal("4E+1"))  # sent as "40", not "4E+1"
            self.assertEqual(v(m, "C1", "2021-01", "loan_amount"), "40.00")
            with self.assertRaises(TypeError):
                m.set_value("a1", "2021-01", "loan_amount", 1.5)
            with self.assertRaises(zhibiao.ParseError):
                m.set_value("a1", "2021-01", "loan_amount", "abc")

    def test_clear_value(self):
        with small_model() as m:
            m.clear_value("a1", "2021-02", "new_jobs")
            self.assertEqual(v(m, "a1", "2021-02", "new_jobs"), "—")
            self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "—")  # a2 is missing too: empty, not 0
            self.assertEqual(v(m, "C1", "2021-02", "new_jobs"), "5")
            incremental = m.rollup_csv()
            m.rollup()
            self.assertEqual(m.rollup_csv(), incremental)

    def test_set_values_bulk_equals_single(self):
        with small_model() as a, small_model() as b:
            a.set_value("a2", "2021-02", "new_jobs", 8)
            a.set_value("a2", "2021-02", "unemployed", 20)
            a.set_value("a2", "2021-03", "loan_amount", "1.5")
            a.set_value("b1", "2021-03", "loan_amount", "2.25")
            n = b.set_values([
                ("a2", "new_jobs", 2021, 2, Decimal(8)),
                ("a2", "unemployed", 2021, 2, 20),
                ("a2", "loan_amount", 2021, 3, Decimal("1.5")),
                ("b1", "loan_amount", 2021, 3, "2.25"),
            ])
            self.assertEqual(n, 4)
            self.assertEqual(v(b, "C1", "2021-01..2021-03", "loan_amount"), "19.50")
            self.assertEqual(v(b, "A", "2021-02", "new_jobs"), "28")
            self.assertEqual(a.rollup_csv(), b.rollup_csv())
            self.assertEqual(b.set_values([]), 0)

    def test_set_values_all_or_nothing(self):
        with small_model() as m:
            before = m.rollup_csv()
            with self.assertRaises(zhibiao.InvalidArgumentError):
                m.set_values([("a2", "new_jobs", 2021, 2, 8), ("a1", "new_jobs", 2021, 13, 1)])
            with self.assertRaises(zhibiao.NotFoundError):
                m.set_values([("a2", "new_jobs", 2021, 2, 8), ("zz", "new_jobs", 2021, 1, 1)])
            with self.assertRaises(zhibiao.InvalidArgumentError):  # more decimals than new_jobs allows
                m.set_values([("a2", "new_jobs", 2021, 2, Decimal("8.5"))])
            with self.assertRaises(zhibiao.ZhibiaoOverflowError):
                m.set_values([("a2", "new_jobs", 2021, 2, 10 ** 19)])
            with self.assertRaises(TypeError):
                m.set_values([("a2", "new_jobs", 2021, 2, 8.0)])
            self.assertEqual(m.rollup_csv(), before)
            # trailing zeros do not inflate the scale
            m.set_values([("a2", "new_jobs", 2021, 2, Decimal("8.000000000000000000000"))])
            self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "28")


class Loading(unittest.TestCase):
    def test_text_equals_path(self):
        with small_model() as a, Model() as b:
            b.load_regions(text=support.read(support.small("regions.csv")))
            b.load_indicators(text=support.read(support.small("indicators.csv")).encode("utf-8"))
            b.load_observations(text=support.read(support.small("observations.csv")), name="obs.csv")
            b.rollup()
            self.assertEqual(a.rollup_csv(), b.rollup_csv())

    def test_pathlike(self):
        import pathlib
        with Model.from_files(regions=pathlib.Path(support.small("regions.csv")),
                              indicators=pathlib.Path(support.small("indicators.csv")),
                              observations=pathlib.Path(support.small("observations.csv"))) as m:
            self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "20")

    def test_load_needs_one_source(self):
        with Model() as m:
            with self.assertRaises(TypeError):
                m.load_regions()
            with self.assertRaises(TypeError):
                m.load_regions(support.small("regions.csv"), text="code,name,level,parent\n")

    def test_from_files_without_rollup(self):
        with small_model(rollup=False) as m:
            with self.assertRaises(zhibiao.StateError):
                m.value("A", "2021-02", "new_jobs")
            m.rollup()
            self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "20")


class County(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = support.county_model()

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def test_allocation_finding(self):
        findings = self.m.check(as_of="2021-06")
        alloc = [f for f in findings if f.check == "allocation"]
        self.assertTrue(alloc, findings)
        f = alloc[0]
        self.assertEqual(f.status, "under_allocated")
        self.assertEqual(f.region, "441521000000")
        self.assertEqual(f.region_name, "海丰县")
        self.assertEqual(f.subject, "urban_new_employment")
        self.assertEqual((f.actual, f.expected), (Decimal(3560), Decimal(3600)))
        self.assertIn("差40人", f.message)

    def test_report(self):
        text, warnings = self.m.report(support.read(support.county("report.tmpl")), "441521000000", "2021")
        self.assertIn("城镇新增就业3784人", text)
        self.assertNotIn("{", text)
        self.assertIsInstance(warnings, list)

    def test_chart(self):
        # 海丰县 1-9月: 2796 of a 3600 target (77.7%) against 序时进度 9/12 = 75.0%.
        svg = self.m.chart("progress", "441521000000", "2021-09", "urban_new_employment")
        self.assertTrue(svg.startswith("<svg "), svg[:80])
        self.assertEqual(svg._repr_svg_(), svg)
        self.assertIn("2021年1-9月累计2796人，完成目标3600人的77.7%，序时进度75.0%", svg)
        self.assertEqual(svg.count('class="point"'), 9)
        with self.assertRaises(zhibiao.InvalidArgumentError):
            self.m.chart("pie", "441521000000", "2021-09", "urban_new_employment")
        with self.assertRaises(zhibiao.NotFoundError):
            self.m.chart("cap", "441521000000", "2021-09", "urban_new_employment")

    def test_report_html(self):
        import ctypes
        from zhibiao import _lib
        data = support.read(support.county("report.tmpl")).encode("utf-8")
        page, warnings = ctypes.c_void_p(), ctypes.c_void_p()
        _lib.lib.zb_model_report_html(self.m._h(), data, len(data), b"441521000000", "2021年1-9月".encode(), ctypes.byref(page),
                                      ctypes.byref(warnings))
        text = _lib.take_string(page)
        _lib.take_string(warnings)
        self.assertTrue(text.startswith("<!DOCTYPE html>"), text[:40])
        self.assertIn("2021年1-9月，海丰县实现城镇新增就业2796人", text)
        self.assertEqual(text.count("<svg "), 4)
        self.assertNotIn("http://", text)

    def test_scope_value(self):
        x = self.m.value("haifeng_ex_shenshan", "2021", "urban_new_employment")
        self.assertIsInstance(x.value, Decimal)
        self.assertLess(x.value, self.m.value("441521000000", "2021", "urban_new_employment").value)


class Package(unittest.TestCase):
    def test_version_and_path(self):
        self.assertEqual(zhibiao.__version__, support.cmake_version())
        env = os.environ.get("ZHIBIAO_LIBRARY")
        if env:
            self.assertEqual(zhibiao.library_path(), os.path.abspath(env))
        self.assertTrue(os.path.isfile(zhibiao.library_path()))

    def test_exports(self):
        for name in ("Model", "Value", "Finding", "ZhibiaoError", "LoadError", "ParseError", "RuleError",
                     "ZhibiaoOverflowError", "StateError", "NotFoundError", "LimitError", "library_path",
                     "__version__"):
            self.assertTrue(hasattr(zhibiao, name), name)
            self.assertIn(name, zhibiao.__all__)


class Partials(unittest.TestCase):
    """Two provinces rolled up apart and loaded into a nation model (the numbers of tests/unit/test_partials.cpp)."""

    INDICATORS = ("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                  "hires,新增就业,人,flow,0,,,,\nlabour,期末劳动力,人,stock,0,,,,\n"
                  "rate,就业率,%,ratio,1,hires,labour,100,\n")
    OBS = {"P1": "T11,2021-01,hires,10\nT11,2021-02,hires,20\nT11,2021-03,hires,30\n"
                 "T11,2021-01,labour,100\nT11,2021-02,labour,110\nT11,2021-03,labour,120\n"
                 "T12,2021-01,hires,5\nT12,2021-03,hires,15\nT12,2021-01,labour,50\nT12,2021-03,labour,60\n",
           "P2": "T21,2021-01,hires,1\nT21,2021-02,hires,2\nT21,2021-03,hires,3\n"
                 "T21,2021-01,labour,40\nT21,2021-02,labour,40\nT21,2021-03,labour,40\n"}

    def province(self, p):
        m = Model()
        t = "T1" if p == "P1" else "T2"
        m.load_regions(text="code,name,level,parent\n{0},省,province,\n{1}1,镇,town,{0}\n{1}2,镇,town,{0}\n".format(p, t))
        m.load_indicators(text=self.INDICATORS)
        m.load_observations(text="region,period,indicator,value\n" + self.OBS[p])
        m.rollup()
        return m

    def test_round_trip(self):
        import pickle
        with self.province("P1") as m1, self.province("P2") as m2:
            p1 = m1.export_partial("P1", 2021)
            parts = [pickle.loads(pickle.dumps(p1))] + m2.export_partials("P2")
        # hires: 10+5, 20 (T12 missing), 30+15; labour month-end in February: 110 + T12's January 50.
        self.assertEqual(p1.indicators, ("hires", "labour", "rate"))
        self.assertEqual(list(p1.monthly[0:3]), [15, 20, 45])
        self.assertEqual(list(p1.ytd[12:15]), [150, 160, 180])
        self.assertEqual(list(p1.reporting[0:4]), [2, 1, 2, 0])
        self.assertEqual(p1.present[3], 2)
        self.assertEqual(p1.expected, (2,) * 12)
        with Model() as top:
            top.load_regions(text="code,name,level,parent\nN,全国,nation,\nP1,省1,province,N\nP2,省2,province,N\n")
            top.load_indicators(text=self.INDICATORS)
            top.load_partials(parts)
            top.rollup()
            self.assertEqual(top.years(), [2021])
            # February: 20 + 2 from 2 of the 4 towns; labour month-end 160 + 40, reported 110 + 40.
            self.assertEqual(top.value("N", "2021-02", "hires"), Value(Decimal("22"), 2, 4))
            self.assertEqual(top.value("N", "截至2021年2月底", "labour"), Value(Decimal("200"), 2, 4))
            self.assertEqual(top.value("N", "2021-02", "rate"), Value(Decimal("14.7"), 2, 4))  # 22/150 = 14.67
            self.assertEqual(top.value("N", "2021年1-3月", "rate").value, Decimal("39.1"))  # 86/220 = 39.09
            bad = parts[0].__class__(**dict(parts[0].__dict__, indicators=("hires", "labor", "rate")))
            with self.assertRaisesRegex(zhibiao.InvalidArgumentError, "'labor' there and 'labour' here"):
                top.load_partial(bad)



class ReportedAt(unittest.TestCase):
    """tests/data/reported_at: county-level indicators (indicators.csv reported_at); 东莞式市 D's towns sit
    directly under it, so D reports them itself (same numbers as tests/unit/test_reported_at.cpp)."""

    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(support.SOURCE_DIR, "tests", "data", "reported_at")
        cls.m = support.data_model("reported_at")

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def test_value_and_coverage(self):
        m = self.m
        # A1 10 + A2 7 = 17, 2 of 2 counties; P: 17 of A1, A2, D (D did not report January).
        self.assertEqual(m.value("A", "2021-01", "quick"), Value(Decimal(17), 2, 2))
        self.assertEqual(m.value("P", "2021-01", "quick"), Value(Decimal(17), 2, 3))
        # D is its own unit: February 9, 1 of 1; a town below the level: nothing, 0 of 0.
        self.assertEqual(m.value("D", "2021-02", "quick"), Value(Decimal(9), 1, 1))
        self.assertEqual(m.value("t11", "2021-01", "quick"), Value(None, 0, 0))
        # 截至2月底 retirees: A1 110 (February) + A2 50 + D 80 (January) = 240; February itself 1 of 3, and
        # A2's and D's January values are carried.
        self.assertEqual(m.value("P", "2021年1-2月", "retirees"), Value(Decimal(240), 1, 3, "", 2))
        # done_rate = (18 + 9 + 6) / (20 + 10 + 8) x 100 = 86.84... -> 86.8.
        self.assertEqual(m.value("P", "2021-01", "done_rate"), Value(Decimal("86.8"), 3, 3))
        # The towns' indicator still counts towns: 5 + 3 + 4 + 2 = 14, 4 of 5.
        self.assertEqual(m.value("P", "2021-01", "hires"), Value(Decimal(14), 4, 5))

    def test_value_below_the_level_is_a_load_error(self):
        m = Model.from_files(regions=os.path.join(self.dir, "regions.csv"),
                             indicators=os.path.join(self.dir, "indicators.csv"))
        try:
            with self.assertRaises(zhibiao.LoadError) as cm:
                m.load_observations(text="region,period,indicator,value\nt11,2021-01,quick,3\n", name="obs.csv")
            self.assertIn("obs.csv:2:1", str(cm.exception))
            self.assertIn("'quick' is reported at level county: 't11' is a town, below that level", str(cm.exception))
        finally:
            m.close()


class SpansAndStaleStocks(unittest.TestCase):
    """tests/data/stale, worked out by hand in tests/cli/stale_and_spans.sh."""

    @classmethod
    def setUpClass(cls):
        cls.m = support.data_model("stale")

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def test_span_across_years(self):
        # 一镇 7 (2020-12) + 10 (2021-01), 二镇 4 (2021-02) = 21; coverage of 2021-02: 二镇 only.
        self.assertEqual(self.m.value("K", "2020-12..2021-02", "jobs"), Value(Decimal("21"), 1, 2))
        self.assertEqual(self.m.value("K", "2020年12月至2021年2月", "jobs").value, Decimal("21"))
        try:
            import pandas  # noqa: F401
        except ImportError:
            return  # the DataFrame path is covered where pandas is installed (CI has python3-pandas)
        frame = self.m.to_dataframe(level="county", region="K", period="2020-12..2021-02", indicators=["jobs"])
        self.assertEqual(list(frame["period"]), ["2020-12", "2021-01", "2021-02"])
        self.assertEqual(list(frame["ytd"]), [Decimal("7"), Decimal("10"), Decimal("14")])

    def test_max_age(self):
        # insured_q, max_age 2: March's 300 + 200 hold through May; in June only 一镇's new 310 is current.
        # 二镇's March 200 is a lower bound, so the sums it is in are too; both values carried in May.
        self.assertEqual(self.m.value("K", "2021-05-31", "insured_q"), Value(Decimal("500"), 0, 2, "lower_bound", 2))
        self.assertEqual(self.m.value("K", "2021-06-30", "insured_q"), Value(Decimal("310"), 1, 2))
        self.assertIsNone(self.m.value("K", "2021-09-30", "insured_q").value)
        text = self.m.explain("K", "2021-04-30", "insured_q")
        self.assertIn("2 more carried from an earlier month", text)
        self.assertIn("t2 二镇 (2021-03)", text)


class Dates(unittest.TestCase):
    """tests/data/dates: day dates (unit 日期) as parameters (same data as tests/unit/test_dates.cpp). A date
    crosses the C ABI as its day number, days since 1970-01-01 (2020-11-05: 18262 for 2020-01-01 + 305 + 4 =
    18571), with the ISO text; Value.date is the datetime.date."""

    def setUp(self):
        self.m = support.data_model("dates")

    def tearDown(self):
        self.m.close()

    def test_value_is_a_date(self):
        # 甲县 sets it in November 2020; 一镇 reads its nearest ancestor's in 2021.
        self.assertEqual(self.m.value("t1", "2021", "policy_date"),
                         Value(Decimal(18571), 1, 1, "", 0, datetime.date(2020, 11, 5)))
        self.assertEqual(self.m.value("C", "2021-01..2021-09", "provincial_pooling_from").date, datetime.date(2022, 1, 1))
        self.assertTrue(self.m.value("L", "2021-03", "policy_date").missing)
        self.assertIsNone(self.m.value("L", "2021-03", "policy_date").date)
        self.assertIsNone(self.m.value("t1", "2021", "jobs").date)  # a number stays a number

    def test_set_value_takes_a_date(self):
        self.m.set_value("L", "2021-02", "policy_date", datetime.date(2021, 2, 1))
        self.assertEqual(self.m.value("u1", "2021-03", "policy_date").date, datetime.date(2021, 2, 1))
        self.m.set_value("L", "2021-03", "policy_date", "2021年3月8日")
        self.assertEqual(self.m.value("u1", "2021-03", "policy_date").date, datetime.date(2021, 3, 8))
        with self.assertRaises(zhibiao.ParseError):
            self.m.set_value("L", "2021-03", "policy_date", "2021-02-30")
        with self.assertRaises(zhibiao.ParseError):
            self.m.set_value("L", "2021-03", "policy_date", Decimal(18759))  # a number where a date is expected

    def test_report_and_explain(self):
        text, warnings = self.m.report("{policy_date}出台，{provincial_pooling_from:md}起", "K", "2021")
        self.assertEqual((text, warnings), ("2020年11月5日出台，1月1日起", []))
        self.assertIn("= 2020-11-05 日期", self.m.explain("t1", "2021", "policy_date"))
        with self.assertRaises(zhibiao.ParseError):
            self.m.report("{policy_date:yoy}", "K", "2021")


if __name__ == "__main__":
    unittest.main()
