"""The roll-up semantics through the Python package, each on a model small enough to work out by hand: spans
of months, parameters held across years and their floor targets, 其中 across units, rules across dimensions,
targets on scopes and control characters in names. (Spans across years, max_age and carried stocks are in
test_model.SpansAndStaleStocks; reported_at in test_model.ReportedAt; qualifiers in test_model and test_frames.)"""

import unittest
from decimal import Decimal

import support
from support import small_model

import zhibiao
from zhibiao import Model, Value

REGIONS = "code,name,level,parent\nK,甲县,county,\nt1,一镇,town,K\nt2,二镇,town,K\n"


def model(indicators, observations, scopes=None):
    m = Model()
    m.load_regions(text=REGIONS, name="regions.csv")
    if scopes:
        m.load_scopes(text=scopes, name="scopes.csv")
    m.load_indicators(text="code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n" + indicators,
                      name="indicators.csv")
    m.load_observations(text="region,period,indicator,value\n" + observations, name="observations.csv")
    m.rollup()
    return m


def findings(m, as_of, check):
    return [f for f in m.check(as_of=as_of, include_passes=True) if f.check == check]


class Spans(unittest.TestCase):
    def test_span_within_a_year(self):
        with small_model() as m:
            # tests/data/small: 甲县 A's new jobs in February 20 + March 45 = 65, both towns reporting March.
            self.assertEqual(m.value("A", "2021-02..2021-03", "new_jobs"), Value(Decimal("65"), 2, 2))
            self.assertEqual(m.value("A", "2021年2月至3月", "new_jobs").value, Decimal("65"))
            self.assertEqual(m.value("A", "2021年2-3月", "new_jobs").value, Decimal("65"))


class Parameters(unittest.TestCase):
    def setUp(self):
        # 最低工资标准 set at the county in July 2020 (1700 元), raised in May 2021 (1900 元).
        self.m = model("min_wage,最低工资标准,元,parameter,0,,,,\n", "K,2020-07,min_wage,1700\nK,2021-05,min_wage,1900\n")

    def tearDown(self):
        self.m.close()

    def test_a_parameter_holds_until_set_again_across_years(self):
        # A town inherits its county's level; March 2021 still has July 2020's 1700.
        self.assertEqual(self.m.value("t1", "2021-03", "min_wage").value, Decimal("1700"))
        self.assertEqual(self.m.value("t1", "2021", "min_wage").value, Decimal("1900"))
        self.assertIsNone(self.m.value("t1", "2020-06", "min_wage").value)

    def test_a_floor_on_a_parameter(self):
        # 提高至1800元 by the year's end: not yet in March (pending), exceeded from May (1900 > 1800).
        self.m.load_targets(text="region,indicator,period,kind,value\nK,min_wage,2021,floor,1800\n", name="targets.csv")
        march = findings(self.m, "2021-03", "target")
        self.assertEqual([(f.region, f.status, f.actual) for f in march], [("K", "pending", Decimal("1700"))])
        december = findings(self.m, "2021-12", "target")
        self.assertEqual([(f.region, f.status, f.actual) for f in december], [("K", "exceeded", Decimal("1900"))])


class Units(unittest.TestCase):
    INDICATORS = ("talent,专业技术人才,万人,stock,2,,,,\n"
                  "expert,政府特殊津贴专家,人,stock,0,,,,talent\n")

    def test_part_of_compares_after_converting_units(self):
        # 35 人 of 1.20 万人 = 12000 人: within the whole, so no error (it read "35 > 1.20" once).
        with model(self.INDICATORS, "t1,2021-12,talent,1.20\nt1,2021-12,expert,35\n") as m:
            part_of = [f for f in findings(m, "2021-12", "part_of") if f.region == "t1"]
            self.assertTrue(part_of)
            self.assertTrue(all(f.severity != "error" for f in part_of), [f.message for f in part_of])
        # 13000 人 > 12000 人: an error.
        with model(self.INDICATORS, "t1,2021-12,talent,1.20\nt1,2021-12,expert,13000\n") as m:
            errors = [f for f in findings(m, "2021-12", "part_of") if f.region == "t1" and f.severity == "error"]
            self.assertEqual(len(errors), 1)

    def test_a_rule_across_dimensions_is_a_load_error(self):
        with model("jobs,新增就业,人,flow,0,,,,\nloan,创业担保贷款,万元,flow,2,,,,\n", "t1,2021-01,jobs,3\n") as m:
            with self.assertRaises(zhibiao.ZhibiaoError) as cm:
                m.load_rules(text="odd | error | jobs > loan\n", name="rules.txt")
            self.assertIn("different dimensions", str(cm.exception))
            self.assertIn("jobs", str(cm.exception))
            self.assertIn("loan", str(cm.exception))
            # Within one dimension, 元 against 万元 converts exactly: 20000 元 = 2 万元.
            m.load_rules(text="ok | error | loan <= 2\n", name="rules2.txt")


class Scopes(unittest.TestCase):
    def test_a_target_on_a_scope_is_judged_on_the_scope(self):
        # 甲县（不含二镇） = 一镇 only: 30 new jobs against a floor of 40 → not met at the year's end.
        scopes = "code,name,include,exclude\nk_ex_t2,甲县（不含二镇）,K,t2\n"
        with model("jobs,新增就业,人,flow,0,,,,\n", "t1,2021-06,jobs,30\nt2,2021-06,jobs,50\n", scopes) as m:
            self.assertEqual(m.value("k_ex_t2", "2021", "jobs"), Value(Decimal("30"), 0, 1))
            m.load_targets(text="region,indicator,period,kind,value\nk_ex_t2,jobs,2021,floor,40\n", name="targets.csv")
            (f,) = findings(m, "2021-12", "target")
            self.assertEqual((f.region, f.status, f.actual, f.expected), ("k_ex_t2", "not_met", Decimal("30"), Decimal("40")))


class BadText(unittest.TestCase):
    def test_a_nul_in_a_name_is_a_load_error_at_its_column(self):
        with Model() as m:
            with self.assertRaises(zhibiao.LoadError) as cm:
                m.load_regions(text="code,name,level,parent\nK,甲\x00县,county,\n", name="regions.csv")
            self.assertIn("regions.csv:2:2", str(cm.exception))
            self.assertIn("U+0000", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
