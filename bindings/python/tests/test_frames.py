"""pandas in and out: Model.load_observations(frame) and Model.to_dataframe(), through arrays, not CSV text.

Skipped, with the reason, when the interpreter running the tests has no pandas (zhibiao never needs it).
"""

import csv
import datetime
import os
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

import support
from support import county, small, small_model

import zhibiao
from zhibiao import Model

try:
    import pandas as pd
except ImportError:
    pd = None

needs_pandas = unittest.skipIf(pd is None, "pandas is not installed for {} (Debian: python3-pandas); the "
                                           "DataFrame tests need it".format(sys.executable))


def bare(regions=small("regions.csv"), indicators=small("indicators.csv")):
    m = Model()
    m.load_regions(regions)
    m.load_indicators(indicators)
    return m


def csv_frame(path):
    """observations.csv read with the csv module into a frame of str columns (no pandas parsing)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return pd.DataFrame(rows, columns=list(rows[0].keys()))


def text(x):
    """A roll-up value as the CSV writes it: exact plain notation, empty when missing."""
    return "" if x is None else format(x, "f")


def frame_lines(df):
    """The frame's rows as roll-up CSV lines, formatted here rather than by pandas."""
    return ["{},{},{},{},{},{},{},{},{}".format(r.region, r.period, r.indicator, text(r.monthly), text(r.ytd),
                                                r.reporting, r.expected, r.qualifier, r.ytd_qualifier)
            for r in df.itertuples(index=False)]


# tests/data/small/observations.csv, retyped as a frame with every accepted value type and b1's new_jobs
# year to date (7, 12, 20 through January, February, March: monthly 7, 5, 8).
SMALL_ROWS = [
    ("a1", "2021-01", "new_jobs", 10), ("a1", "2021-02", "new_jobs", Decimal("20")), ("a1", "2021-03", "new_jobs", "30"),
    ("a2", "2021-01", "new_jobs", 5), ("a2", "2021-03", "new_jobs", 15),
    ("b1", "2021-01..2021-01", "new_jobs", 7), ("b1", "2021-01..2021-02", "new_jobs", "12"),
    ("b1", "2021年1-3月", "new_jobs", 20),
    ("a1", "2021-01", "loan_amount", "12.50"), ("b1", "2021-02", "loan_amount", Decimal("3.25")),
    ("a1", "2021-01", "insured", 100), ("a1", "2021-02", "insured", 110), ("a2", "2021-01", "insured", 50),
    ("a2", "2021-02", "insured", 55), ("a2", "2021-03", "insured", 60), ("b1", "2021-01", "insured", 80),
    ("b1", "2021-02", "insured", 82), ("b1", "2021-03", "insured", 85),
    ("a1", "2021-01", "unemployed", 30), ("a1", "2021-01", "employed", 970), ("a2", "2021-01", "unemployed", 10),
    ("a2", "2021-01", "employed", 90), ("b1", "2021-01", "unemployed", 2), ("b1", "2021-01", "employed", 398),
    ("a1", "2021-02", "unemployed", 31), ("a2", "2021-02", "unemployed", 11), ("a2", "2021-02", "employed", 89),
]


def small_frame(**kw):
    """SMALL_ROWS as a frame."""
    return pd.DataFrame(SMALL_ROWS, columns=["region", "period", "indicator", "value"], **kw)


@needs_pandas
class LoadFrame(unittest.TestCase):
    def test_same_model_as_the_csv_file(self):
        with bare() as m, small_model() as ref:
            frame = small_frame()
            # observations.csv's one qualifier: b1's February loan amount is approximate (约).
            frame["qualifier"] = ["approximate" if (r, i) == ("b1", "loan_amount") else "" for r, i in
                                  zip(frame.region, frame.indicator)]
            m.load_observations(frame)
            m.rollup()
            self.assertEqual(m.rollup_csv(), ref.rollup_csv())

    def test_hand_computed_values(self):
        with bare() as m:
            m.load_observations(frame=small_frame())
            m.rollup()
            self.assertEqual(m.value("A", "2021-02", "new_jobs"), zhibiao.Value(Decimal(20), 1, 2))
            self.assertEqual(m.value("B", "2021-02", "new_jobs").value, Decimal(5))  # 12 − 7
            self.assertEqual(m.value("B", "2021-03", "new_jobs").value, Decimal(8))  # 20 − 12
            self.assertEqual(m.value("C1", "2021-01..2021-03", "new_jobs").value, Decimal(100))
            self.assertEqual(str(m.value("C1", "2021-01..2021-02", "loan_amount").value), "15.75")
            self.assertEqual(str(m.value("A", "2021-01", "rate").value), "3.64")  # 40 / 1100 × 100

    def test_dates(self):
        # tests/data/dates: a date indicator (unit 日期) takes a datetime.date or its text, never a number; a number
        # indicator never takes a date. 2021-05-12 is day 18759 (tests/unit/test_dates.cpp works it out).
        d = os.path.join(support.SOURCE_DIR, "tests", "data", "dates")
        with bare(os.path.join(d, "regions.csv"), os.path.join(d, "indicators.csv")) as m:
            self.assertEqual(m.indicator_unit(m.indicator_id("policy_date")), "日期")
            self.assertEqual(m.indicator_unit(m.indicator_id("jobs")), "人")
            frame = pd.DataFrame({"region": ["K", "L", "t1"], "period": ["2021-01", "2021-02", "2021-02"],
                                  "indicator": ["policy_date", "policy_date", "jobs"],
                                  "value": [datetime.date(2021, 5, 12), "2021年4月30日", 3]})
            m.load_observations(frame)
            m.rollup()
            self.assertEqual(m.value("t2", "2021", "policy_date").date, datetime.date(2021, 5, 12))
            self.assertEqual(m.value("u1", "2021", "policy_date").value, Decimal(18747))
            self.assertEqual(m.value("K", "2021", "jobs").value, Decimal(3))
            for value, indicator, why in ((18759, "policy_date", "is not a date"), ("2021-02-30", "policy_date", "is not a date"),
                                          (datetime.date(2021, 5, 12), "jobs", "a date where a number is expected")):
                bad = pd.DataFrame({"region": ["C"], "period": ["2021-03"], "indicator": [indicator], "value": [value]},
                                   index=["r7"])
                with self.assertRaises(zhibiao.LoadError) as e:
                    m.load_observations(bad)
                self.assertIn("row 'r7', column 'value'", str(e.exception))
                self.assertIn(why, str(e.exception))

    def test_qualifier_column(self):
        df = small_frame()
        df["qualifier"] = ""
        df.loc[9, "qualifier"] = "approximate"
        with bare() as m, small_model() as ref:
            m.load_observations(df)
            m.rollup()
            self.assertEqual(m.rollup_csv(), ref.rollup_csv())
        df.loc[3, "qualifier"] = "roughly"
        with bare() as m:
            with self.assertRaises(zhibiao.LoadError) as cm:
                m.load_observations(df)
            self.assertEqual((cm.exception.row, cm.exception.column), (3, "qualifier"))
            self.assertIn("unknown qualifier 'roughly'", str(cm.exception))

    def test_text_column_scales(self):
        # one common scale for the column: 1.5 → 150, 2.25 → 225, 0.05 → 5 at 2 decimals
        df = pd.DataFrame({"region": ["a1"] * 3, "period": ["2021-01", "2021-02", "2021-03"],
                           "indicator": ["loan_amount"] * 3, "value": ["+1.5", "2.25", "0.05"]})
        with bare() as m:
            m.load_observations(df)
            m.rollup()
            self.assertEqual([str(m.value("C1", p, "loan_amount").value) for p in ("2021-01", "2021-02", "2021-03")],
                             ["1.50", "2.25", "0.05"])
            self.assertEqual(str(m.value("C1", "2021-01..2021-03", "loan_amount").value), "3.80")
        # 19 digits at 2 decimals do not fit 64 bits
        df.loc[1, "value"] = "99999999999999999.99"
        with bare() as m:
            with self.assertRaises(zhibiao.ZhibiaoOverflowError) as cm:
                m.load_observations(df)
            self.assertEqual((cm.exception.row, cm.exception.column), (1, "value"))

    def test_integer_column(self):
        df = pd.DataFrame({"region": ["a1", "a2"], "period": ["2021-01", "2021-01"], "indicator": ["loan_amount"] * 2,
                           "value": pd.Series([3, 4], dtype="int64")})
        with bare() as m:
            m.load_observations(df)
            m.rollup()
            self.assertEqual(str(m.value("A", "2021-01", "loan_amount").value), "7.00")

    def test_nullable_integer_column(self):
        df = pd.DataFrame({"region": ["a1", "a2"], "period": ["2021-01"] * 2, "indicator": ["new_jobs"] * 2,
                           "value": pd.array([3, None], dtype="Int64")})
        with bare() as m:
            with self.assertRaises(zhibiao.LoadError) as cm:
                m.load_observations(df)
            self.assertEqual((cm.exception.row, cm.exception.column), (1, "value"))
            m.load_observations(df.iloc[:1])
            m.rollup()
            self.assertEqual(m.value("A", "2021-01", "new_jobs"), zhibiao.Value(Decimal(3), 1, 2))

    def test_floats_refused_with_the_conversion(self):
        df = pd.DataFrame({"region": ["a1", "a2"], "period": ["2021-01"] * 2, "indicator": ["loan_amount"] * 2,
                           "value": [1.5, 2.25]}, index=[40, 41])
        with bare() as m:
            with self.assertRaises(TypeError) as cm:
                m.load_observations(df)
            message = str(cm.exception)
            self.assertIn("row 40, column 'value'", message)
            self.assertIn("dtype={'value': str}", message)
            self.assertIn("Decimal(str(x))", message)
            # the advice works
            df["value"] = df["value"].map(lambda x: Decimal(str(x)))
            m.load_observations(df)
            m.rollup()
            self.assertEqual(str(m.value("A", "2021-01", "loan_amount").value), "3.75")
        mixed = small_frame()
        mixed["value"] = mixed["value"].astype(object)
        mixed.loc[5, "value"] = 7.0
        with bare() as m:
            with self.assertRaisesRegex(TypeError, r"row 5, column 'value': 7\.0 is a float"):
                m.load_observations(mixed)

    def errors(self, df):
        """The exception a load of `df` raises into a fresh model, which must be left without observations."""
        with bare() as m:
            with self.assertRaises(Exception) as cm:
                m.load_observations(df)
            m.rollup()
            self.assertEqual(m.value("C1", "2021", "new_jobs").value, None)
            return cm.exception

    def test_errors_name_the_index_label_and_column(self):
        df = small_frame(index=["r{}".format(k) for k in range(len(SMALL_ROWS))])
        cases = [
            (4, "region", "zz", zhibiao.LoadError, "unknown region 'zz'"),
            (4, "indicator", "nope", zhibiao.LoadError, "unknown indicator 'nope'"),
            (4, "indicator", "rate", zhibiao.InvalidArgumentError, "is a ratio"),
            (4, "period", "2021-13", zhibiao.ParseError, "2021-13"),
            (4, "period", "2021Q1", zhibiao.InvalidArgumentError, "month or a year-to-date"),
            (9, "value", "12.505", zhibiao.InvalidArgumentError, "12.505"),
            (9, "value", "1e3", zhibiao.LoadError, "not a decimal number"),
            (4, "value", "-1", zhibiao.InvalidArgumentError, "negative"),
            (4, "value", None, zhibiao.LoadError, "empty value"),
        ]
        for k, column, bad, cls, words in cases:
            with self.subTest(column=column, bad=bad):
                d = df.copy()
                d[column] = d[column].astype(object)
                d.iloc[k, d.columns.get_loc(column)] = bad
                e = self.errors(d)
                self.assertIsInstance(e, cls)
                self.assertEqual((e.row, e.column), ("r{}".format(k), column))
                self.assertIn("row 'r{}', column '{}'".format(k, column), str(e))
                self.assertIn(words, str(e))

    def test_a_decreasing_year_to_date_names_its_row(self):
        df = small_frame()
        df.loc[7, "value"] = 11  # b1 2021年1-3月 below the 12 through February
        e = self.errors(df)
        self.assertEqual((e.row, e.column), (7, "value"))

    def test_duplicates(self):
        df = pd.concat([small_frame(), small_frame().iloc[[2]]], ignore_index=True)
        e = self.errors(df)
        self.assertIsInstance(e, zhibiao.LoadError)
        self.assertEqual((e.row, e.column), (len(SMALL_ROWS), "period"))
        self.assertIn("(a1, 2021-03, new_jobs) is given by values 2 and {}".format(len(SMALL_ROWS)), str(e))
        # 2021年1-1月 and 2021-01 are the same month
        df = pd.DataFrame([("a1", "2021-01", "new_jobs", 1), ("a1", "2021年1-1月", "new_jobs", 1)],
                          columns=["region", "period", "indicator", "value"])
        self.assertEqual(self.errors(df).row, 1)
        with small_model() as m:
            with self.assertRaisesRegex(zhibiao.LoadError, r"\(a1, 2021-01, new_jobs\) was already loaded"):
                m.load_observations(df.iloc[[0]])

    def test_failed_load_changes_nothing(self):
        with small_model() as m:
            before = m.rollup_csv()
            df = pd.DataFrame([("a2", "2021-02", "new_jobs", 8), ("a2", "2021-04", "new_jobs", 1),
                               ("b1", "2021-02", "zz", 1)], columns=["region", "period", "indicator", "value"])
            with self.assertRaises(zhibiao.LoadError):
                m.load_observations(df)
            self.assertEqual(m.rollup_csv(), before)
            m.load_observations(df.iloc[:2])  # the good rows update the current roll-up in place
            self.assertEqual(m.value("A", "2021-02", "new_jobs").value, Decimal(28))

    def test_columns(self):
        with bare() as m:
            with self.assertRaisesRegex(zhibiao.LoadError, "no column 'value'"):
                m.load_observations(small_frame().drop(columns=["value"]))
            with self.assertRaisesRegex(zhibiao.LoadError, "column 'valeu'"):
                m.load_observations(small_frame().rename(columns={"value": "valeu"}).assign(value=1))
            self.assertIsNone(m.load_observations(small_frame().iloc[:0]))
            with self.assertRaises(TypeError):
                m.load_observations(small_frame(), text="region,period,indicator,value\n")


@needs_pandas
class ToDataFrame(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = small_model()

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def test_columns_and_hand_computed_rows(self):
        df = self.m.to_dataframe()
        self.assertEqual(list(df.columns), ["region", "period", "indicator", "monthly", "ytd", "reporting", "expected",
                                            "qualifier", "ytd_qualifier"])
        # 6 regions × 12 months × 6 indicators
        self.assertEqual(len(df), 432)
        row = df[(df.region == "A") & (df.period == "2021-02") & (df.indicator == "new_jobs")].iloc[0]
        self.assertEqual((row.monthly, row.ytd, row.reporting, row.expected), (Decimal(20), Decimal(35), 1, 2))
        row = df[(df.region == "C1") & (df.period == "2021-02") & (df.indicator == "loan_amount")].iloc[0]
        self.assertEqual((str(row.monthly), str(row.ytd)), ("3.25", "15.75"))
        # b1's 3.25 was reported approximate (约): C1's February and 1-2月 are approximate, A's is exact.
        self.assertEqual((row.qualifier, row.ytd_qualifier), ("approximate", "approximate"))
        row = df[(df.region == "A") & (df.period == "2021-02") & (df.indicator == "loan_amount")].iloc[0]
        self.assertEqual((row.qualifier, row.ytd_qualifier), ("", ""))
        row = df[(df.region == "a2") & (df.period == "2021-02") & (df.indicator == "new_jobs")].iloc[0]
        self.assertIsNone(row.monthly)  # missing, never 0
        self.assertEqual(row.ytd, Decimal(5))

    def test_same_rows_as_the_csv(self):
        self.assertEqual(frame_lines(self.m.to_dataframe()), self.m.rollup_csv().splitlines()[1:])

    def test_scaled(self):
        df = self.m.to_dataframe(scaled=True, indicators=["loan_amount", "new_jobs"])
        self.assertEqual(list(df.indicator.unique()), ["new_jobs", "loan_amount"])  # catalogue order
        row = df[(df.region == "C1") & (df.period == "2021-02") & (df.indicator == "loan_amount")].iloc[0]
        self.assertEqual((row.monthly, row.ytd, row.scale), (325, 1575, 2))
        self.assertEqual(str(df.monthly.dtype), "Int64")
        row = df[(df.region == "a2") & (df.period == "2021-02") & (df.indicator == "new_jobs")].iloc[0]
        self.assertIs(row.monthly, pd.NA)

    def test_filters_match_the_csv_writer(self):
        lines = self.m.rollup_csv().splitlines()[1:]
        county_rows = self.m.to_dataframe(level="county")
        self.assertEqual(sorted(county_rows.region.unique()), ["A", "B"])
        self.assertEqual(frame_lines(county_rows), [x for x in lines if x.split(",")[0] in ("A", "B")])
        under_a = self.m.to_dataframe(region="A")
        self.assertEqual(frame_lines(under_a), [x for x in lines if x.split(",")[0] in ("A", "a1", "a2")])
        q1 = self.m.to_dataframe(period="2021Q1", indicators="rate")
        self.assertEqual(frame_lines(q1), [x for x in lines if x.split(",")[1] in ("2021-01", "2021-02", "2021-03")
                                           and x.split(",")[2] == "rate"])
        self.assertEqual(len(self.m.to_dataframe(period="2020")), 0)

    def test_bad_filters(self):
        with self.assertRaises(zhibiao.InvalidArgumentError):
            self.m.to_dataframe(level="planet")
        with self.assertRaises(zhibiao.NotFoundError):
            self.m.to_dataframe(region="zz")
        with self.assertRaises(zhibiao.NotFoundError):
            self.m.to_dataframe(indicators=["nope"])
        with self.assertRaises(zhibiao.ParseError):
            self.m.to_dataframe(period="2021-13")

    def test_parameters_have_no_rows(self):
        text = support.read(small("indicators.csv")) + "cap_rate,失业率控制目标,%,parameter,2,,,,\n"
        with Model() as m:
            m.load_regions(small("regions.csv"))
            m.load_indicators(text=text)
            m.load_observations(small("observations.csv"))
            m.rollup()
            self.assertNotIn("cap_rate", set(m.to_dataframe().indicator))
            with self.assertRaisesRegex(zhibiao.InvalidArgumentError, "parameter"):
                m.to_dataframe(indicators=["cap_rate"])

    def test_state(self):
        with small_model(rollup=False) as m:
            with self.assertRaises(zhibiao.StateError):
                m.to_dataframe()


@needs_pandas
class RoundTrip(unittest.TestCase):
    """examples/county (year-to-date rows and qualifiers included) as a frame in, the roll-up as a frame out,
    against what the `zhibiao rollup` command writes."""

    def test_county_against_the_cli(self):
        cli = os.environ.get("ZHIBIAO_CLI")
        if not cli or not os.path.isfile(cli):
            self.skipTest("ZHIBIAO_CLI is not set to the zhibiao command (CTest sets it)")
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "rollup.csv")
            subprocess.run([cli, "rollup", "--quiet", "--regions", county("regions.csv"), "--indicators",
                            county("indicators.csv"), "--observations", county("observations.csv"), "--out", out],
                           check=True)
            with open(out, encoding="utf-8") as f:
                expected = f.read().splitlines()[1:]
        frame = csv_frame(county("observations.csv"))
        self.assertGreater((frame.qualifier != "").sum(), 0)
        self.assertGreater(frame.period.str.contains("年|\\.\\.").sum(), 0)
        with bare(county("regions.csv"), county("indicators.csv")) as m:
            m.load_observations(frame)
            m.rollup()
            got = frame_lines(m.to_dataframe())
        self.assertGreater(len(expected), 1000)
        self.assertEqual(got, expected)


class WithoutPandas(unittest.TestCase):
    """Runs with or without pandas: zhibiao never imports it unless a frame is asked for."""

    def run_python(self, code):
        env = dict(os.environ, PYTHONPATH=support.PYTHON_DIR)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env,
                           cwd=support.SOURCE_DIR)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_missing_pandas_is_an_import_error_with_advice(self):
        code = ("import sys; sys.modules['pandas'] = None\n"
                "import zhibiao\n"
                "m = zhibiao.Model.from_files(regions='tests/data/small/regions.csv', "
                "indicators='tests/data/small/indicators.csv', observations='tests/data/small/observations.csv')\n"
                "try:\n    m.to_dataframe()\nexcept ImportError as e:\n    print(e)\n"
                "print(len(m.rollup_rows()))\n")
        out = self.run_python(code)
        self.assertIn("needs pandas, which is not installed", out)
        self.assertIn("rollup_rows()", out)
        self.assertTrue(out.endswith("432\n"), out)

    def test_import_does_not_load_pandas(self):
        out = self.run_python("import sys, zhibiao; print('pandas' in sys.modules, 'numpy' in sys.modules)")
        self.assertEqual(out.split(), ["False", "False"])


if __name__ == "__main__":
    unittest.main()
