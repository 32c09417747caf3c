"""zhibiao.testing: rule-test cases built in Python against the 海丰县 model of examples/county."""

import os
import tempfile
import unittest

import support

import zhibiao
from zhibiao.testing import Case, CaseResult, RunResult, assert_case, run_case, run_cases

COUNTY = support.COUNTY
CASES = os.path.join(COUNTY, "rules-tests")
FAILING = os.path.join(support.SOURCE_DIR, "tests", "data", "rules-tests-failing")
FLOOR_3600 = "region,indicator,period,kind,value\n441521000000,urban_new_employment,2021,floor,3600\n"


def behind_case(status):
    """梅陇镇 1200 of the county's 3600 at M = 6: 33.3% against 50.0% — behind."""
    return (Case(COUNTY, name="floor-" + status)
            .value("441521101000", "2021-06", "urban_new_employment", 1200)
            .as_of("2021-06")
            .targets_csv(FLOOR_3600)
            .expect("target", "441521000000", "2021-01..2021-06", status, subject="urban_new_employment"))


class Builder(unittest.TestCase):
    def test_passing_case(self):
        r = assert_case(behind_case("behind").expect("target", "441521000000", "2021年1-6月", "behind",
                                                      actual=1200, expected="3600"))
        self.assertIsInstance(r, CaseResult)
        self.assertTrue(r.passed)
        self.assertEqual(r.diff, "")
        self.assertEqual(r.name, "floor-behind")

    def test_failing_case_raises_with_the_diff(self):
        with self.assertRaises(AssertionError) as cm:
            assert_case(behind_case("ahead"))
        text = str(cm.exception)
        self.assertIn("rule test case 'floor-ahead' failed", text)
        self.assertIn("- expected: target,441521000000,2021-01..2021-06,ahead,urban_new_employment", text)
        self.assertIn("  actual findings: target,441521000000,2021-01..2021-06,behind,urban_new_employment,1200,3600",
                      text)
        self.assertIn("+ unexpected: target,441521000000,2021-01..2021-06,behind,urban_new_employment,1200,3600 [warning]",
                      text)

    def test_failing_run_result(self):
        r = behind_case("ahead").run()
        self.assertFalse(r.passed)
        self.assertTrue(r.diff.startswith("- expected: "))

    def test_only_listed_and_rules(self):
        # 小漠镇 reports intents but no posts: skip_all counts the missing posts as 0 → fail; without the
        # expectation the fail is unexpected, unless only the listed findings matter.
        rules = "m | error | job_match_intents <= job_posts_offered | missing=skip_all | levels=town\n"
        base = lambda: (Case(COUNTY).value("441521102000", "2021-05", "job_match_intents", 5).as_of("2021-05")
                        .targets_csv("region,indicator,period,kind,value\n").rules(rules))
        assert_case(base().expect("m", "441521102000", "2021-01..2021-05", "fail", actual=5, expected=0))
        self.assertFalse(base().run().passed)
        assert_case(base().only_listed())

    def test_decimal_values_are_exact(self):
        from decimal import Decimal
        r = (Case(COUNTY).value("441521101000", "2021-01", "registered_unemployed_eop", 40)
             .value("441521101000", "2021-01", "urban_employed_eop", 960).as_of("2021-01")
             .targets_csv("region,indicator,period,kind,value\n441521000000,registered_urban_unemployment_rate,2021,cap,3.5\n")
             .rules("# none\n")
             .expect("target", "441521000000", "2021-01..2021-01", "breached", actual=Decimal("4"), expected="3.50"))
        assert_case(r)

    def test_bad_input_is_an_error(self):
        case = behind_case("behind").expect("target", "no-such-region", "2021-06", "behind")
        with self.assertRaises(zhibiao.LoadError) as cm:
            case.run()
        self.assertEqual(cm.exception.line, 3)
        self.assertEqual(cm.exception.column, 2)
        self.assertIn("unknown region 'no-such-region'", str(cm.exception))

    def test_write_keeps_the_case(self):
        with tempfile.TemporaryDirectory() as d:
            path = behind_case("behind").write(d)
            self.assertEqual(sorted(os.listdir(path)), ["case.txt", "expected.csv", "targets.csv", "values.csv"])
            self.assertTrue(run_case(COUNTY, path).passed)


class Folders(unittest.TestCase):
    def test_report_fragments(self):
        # 梅陇镇 1200 of the 3600 at M = 6 is behind: a template that words the floor's progress says 慢于.
        tmpl = "{region}{period}城镇新增就业{urban_new_employment}人，{urban_new_employment:progress}\n"
        case = lambda: behind_case("behind").report_template(tmpl)
        assert_case(case().expect_in_report("海丰县2021年1-6月城镇新增就业1200人，慢于序时进度")
                    .expect_in_report("快于", present=False))
        r = case().expect_in_report("快于序时进度").expect_in_report("慢于", present=False).run()
        self.assertFalse(r.passed)
        self.assertIn("- expected in the report: 快于序时进度", r.diff)
        self.assertIn("+ not expected in the report: 慢于", r.diff)
        self.assertIn("    海丰县2021年1-6月城镇新增就业1200人，慢于序时进度", r.diff)
        # The year's report for a town, by report_at.
        assert_case(case().report_at("441521101000", "2021年1-6月").expect_in_report("梅陇镇2021年1-6月城镇新增就业1200人"))
        with self.assertRaises(ValueError):
            case().expect_in_report("")

    def test_examples_pass(self):
        r = run_cases(COUNTY, CASES)
        self.assertIsInstance(r, RunResult)
        self.assertTrue(r.ok, r.report)
        self.assertGreaterEqual(r.passed, 12)
        self.assertEqual(r.failed, 0)
        self.assertTrue(r.report.endswith("{} passed, 0 failed\n".format(r.passed)))

    def test_failing_folder(self):
        r = run_cases(COUNTY, FAILING)
        self.assertEqual((r.passed, r.failed), (0, 1))
        self.assertIn("FAIL wrong-status\n    - expected: ", r.report)
        self.assertTrue(r.report.endswith("0 passed, 1 failed\n"))

    def test_missing_folder(self):
        with self.assertRaises(zhibiao.ZhibiaoIOError):
            run_cases(COUNTY, os.path.join(CASES, "no-such-folder"))


class CAbi(unittest.TestCase):
    """zb_test_run / zb_test_run_case follow the header's conventions: NULL arguments are named."""

    def test_null_arguments(self):
        import ctypes
        from zhibiao import _lib
        p, f, out = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_void_p()
        county = COUNTY.encode()
        with self.assertRaisesRegex(zhibiao.InvalidArgumentError, "argument 'cases_dir' is NULL"):
            _lib.lib.zb_test_run(county, None, ctypes.byref(p), ctypes.byref(f), ctypes.byref(out))
        with self.assertRaisesRegex(zhibiao.InvalidArgumentError, "argument 'report' is NULL"):
            _lib.lib.zb_test_run(county, CASES.encode(), ctypes.byref(p), ctypes.byref(f), None)
        with self.assertRaisesRegex(zhibiao.InvalidArgumentError, "argument 'passed' is NULL"):
            _lib.lib.zb_test_run_case(county, CASES.encode(), None, ctypes.byref(out))
        self.assertIsNone(out.value)


class Readme(unittest.TestCase):
    """The Python example of the README's "Unit-testing your rules and targets" runs from the repository root."""

    def test_snippet_runs(self):
        text = support.read(os.path.join(support.SOURCE_DIR, "README.md"))
        section = text.split("## Unit-testing your rules and targets", 1)[1].split("\n## ", 1)[0]
        code = section.split("```python\n", 1)[1].split("```", 1)[0]
        cwd = os.getcwd()
        os.chdir(support.SOURCE_DIR)
        try:
            exec(compile(code, "README.md", "exec"), {})
        finally:
            os.chdir(cwd)


if __name__ == "__main__":
    unittest.main()
