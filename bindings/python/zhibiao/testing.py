"""Unit tests for a bureau's rules and targets, from Python (unittest, pytest, ...).

A case is what ``zhibiao test`` runs from a folder: a few values, the findings they must produce, and
optionally an as-of month, ``only_listed`` and replacement targets or rules. :class:`Case` builds one,
writes it into a temporary folder and runs it through the C ABI (``zb_test_run_case``); the matching
itself is the library's (see README, "Unit-testing your rules and targets")::

    from zhibiao.testing import Case, assert_case

    case = (Case("examples/county")
            .value("441521101000", "2021-06", "urban_new_employment", 1200)
            .as_of("2021-06")
            .targets_csv("region,indicator,period,kind,value\\n441521000000,urban_new_employment,2021,floor,3600\\n")
            .expect("target", "441521000000", "2021-01..2021-06", "behind", actual=1200, expected=3600))
    assert_case(case)   # raises AssertionError carrying the diff when the case fails

``run_cases(model_dir, cases_dir)`` runs a whole folder of cases, as ``zhibiao test`` does.
"""

import csv
import io
import os
import tempfile
from ctypes import byref, c_int32, c_void_p
from dataclasses import dataclass
from decimal import Decimal
from typing import List, Optional, Tuple, Union

from ._lib import lib, take_string
from ._model import _decimal_text

__all__ = ["Case", "CaseResult", "RunResult", "assert_case", "run_case", "run_cases"]

PathLike = Union[str, bytes, "os.PathLike[str]"]
Number = Union[Decimal, int, str]


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case: ``diff`` is "" when it passed, else the lines ``- expected: …``,
    ``  actual findings: …`` and ``+ unexpected: …``."""

    name: str
    passed: bool
    diff: str


@dataclass(frozen=True)
class RunResult:
    """The outcome of a folder of cases: the counts and ``report``, exactly what ``zhibiao test`` prints."""

    passed: int
    failed: int
    report: str

    @property
    def ok(self) -> bool:
        """True when every case passed."""
        return self.failed == 0


def run_case(model_dir: PathLike, case_dir: PathLike) -> CaseResult:
    """Runs one case folder against a model folder (zb_test_run_case). A malformed case or model file
    raises a :class:`zhibiao.ZhibiaoError` (``LoadError`` with ``.file``, ``.line``, ``.column``)."""
    passed = c_int32(0)
    diff = c_void_p()
    try:
        lib.zb_test_run_case(model_dir, case_dir, byref(passed),
                             byref(diff))
        text = take_string(diff) or ""
    finally:
        take_string(diff)  # no-op unless the call failed after allocating
    name = os.path.basename(os.path.normpath(os.fsdecode(case_dir)))
    return CaseResult(name=name, passed=bool(passed.value), diff=text)


def run_cases(model_dir: PathLike, cases_dir: PathLike) -> RunResult:
    """Runs every case folder of ``cases_dir`` against a model folder (zb_test_run)."""
    passed = c_int32(0)
    failed = c_int32(0)
    report = c_void_p()
    try:
        lib.zb_test_run(model_dir, cases_dir, byref(passed),
                        byref(failed), byref(report))
        text = take_string(report) or ""
    finally:
        take_string(report)
    return RunResult(passed=passed.value, failed=failed.value, report=text)


def _text(value: Optional[Number]) -> str:
    return "" if value is None else _decimal_text(value)


def _csv(header: List[str], rows: List[Tuple[str, ...]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


class Case:
    """A rule-test case built in Python; every builder method returns the case, so calls chain.

    ``model_dir`` is a model folder (regions.csv, indicators.csv, optional scopes.csv, targets.csv,
    rules.txt), e.g. ``examples/county``; ``name`` names the case folder (and so the case in reports).
    """

    def __init__(self, model_dir: PathLike, name: str = "case", description: Optional[str] = None):
        self.model_dir = model_dir
        self.name = name
        self._description = description
        self._values = []  # type: List[Tuple[str, ...]]
        self._expected = []  # type: List[Tuple[str, ...]]
        self._as_of = None  # type: Optional[str]
        self._only_listed = False
        self._targets = None  # type: Optional[str]
        self._rules = None  # type: Optional[str]
        self._report = []  # type: List[str]
        self._template = None  # type: Optional[str]
        self._report_at = None  # type: Optional[Tuple[str, str]]

    def value(self, region: str, period: str, indicator: str, value: Number, qualifier: Optional[str] = None) -> "Case":
        """Adds one value (a row of values.csv: region,period,indicator,value[,qualifier])."""
        self._values.append((region, period, indicator, _text(value), qualifier or ""))
        return self

    def expect(self, check: str, region: str, period: str, status: str, subject: Optional[str] = None,
               actual: Optional[Number] = None, expected: Optional[Number] = None) -> "Case":
        """Adds one expected finding (a row of expected.csv); None leaves a field uncompared."""
        self._expected.append((check, region, period, status, subject or "", _text(actual), _text(expected)))
        return self

    def as_of(self, period: str) -> "Case":
        """The month to check as of (default: the last month with data)."""
        self._as_of = period
        return self

    def only_listed(self, yes: bool = True) -> "Case":
        """Only the listed findings matter: unexpected findings do not fail the case."""
        self._only_listed = yes
        return self

    def targets_csv(self, text: str) -> "Case":
        """Replaces the model's targets.csv for this case (a header alone means no targets)."""
        self._targets = text
        return self

    def rules(self, text: str) -> "Case":
        """Replaces the model's rules.txt for this case."""
        self._rules = text
        return self

    def expect_in_report(self, fragment: str, present: bool = True) -> "Case":
        """Asserts that the rendered report holds ``fragment`` (``present=False``: that it does not)."""
        if not fragment or "\n" in fragment or fragment[0] in "!#" or fragment != fragment.rstrip():
            raise ValueError("a report fragment is one non-empty line that does not start with '!' or '#' nor end "
                             "with a space (expected_report.txt reads those as markers)")
        self._report.append(fragment if present else "!" + fragment)
        return self

    def report_template(self, text: str) -> "Case":
        """Replaces the model's report.tmpl for the report assertions."""
        self._template = text
        return self

    def report_at(self, region: str, period: str) -> "Case":
        """The region and period the report is rendered for (default: the folder's region, the year of as_of)."""
        self._report_at = (region, period)
        return self

    def write(self, directory: PathLike) -> str:
        """Writes the case folder ``directory/name`` (values.csv, expected.csv, case.txt, and targets.csv,
        rules.txt, expected_report.txt and report.tmpl when given) and returns its path."""
        path = os.path.join(os.fsdecode(directory), self.name)
        os.makedirs(path, exist_ok=True)
        files = {
            "values.csv": _csv(["region", "period", "indicator", "value", "qualifier"], self._values),
            "expected.csv": _csv(["check", "region", "period", "status", "subject", "actual", "expected"],
                                 self._expected),
        }
        lines = []
        if self._description is not None:
            lines.append("description: " + " ".join(self._description.splitlines()))
        if self._as_of is not None:
            lines.append("as_of: " + self._as_of)
        lines.append("only_listed: " + ("yes" if self._only_listed else "no"))
        if self._report_at is not None:
            lines += ["report_region: " + self._report_at[0], "report_period: " + self._report_at[1]]
        if self._report:
            files["expected_report.txt"] = "\n".join(self._report) + "\n"
        if self._template is not None:
            files["report.tmpl"] = self._template
        files["case.txt"] = "\n".join(lines) + "\n"
        if self._targets is not None:
            files["targets.csv"] = self._targets
        if self._rules is not None:
            files["rules.txt"] = self._rules
        for name, text in files.items():
            with open(os.path.join(path, name), "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return path

    def run(self) -> CaseResult:
        """Writes the case into a temporary folder and runs it (zb_test_run_case)."""
        with tempfile.TemporaryDirectory(prefix="zhibiao-case-") as d:
            return run_case(self.model_dir, self.write(d))


def assert_case(case: Case) -> CaseResult:
    """Runs a case; raises AssertionError carrying the diff when it fails, returns the result otherwise."""
    result = case.run()
    if not result.passed:
        raise AssertionError("rule test case '{}' failed:\n{}".format(result.name, result.diff))
    return result
