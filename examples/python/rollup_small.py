#!/usr/bin/env python3
"""Roll up the hand-worked 3-town / 2-county / 1-city example (tests/data/small) from Python.

Run from anywhere:

    ZHIBIAO_LIBRARY=build/libzhibiao.so PYTHONPATH=bindings/python python3 examples/python/rollup_small.py

(or after `pip install bindings/python` with the library copied into the package directory).
"""

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SMALL = os.path.join(REPO, "tests", "data", "small")

try:
    import zhibiao
except ModuleNotFoundError:  # not installed and not on PYTHONPATH: use the package in this repository
    sys.path.insert(0, os.path.join(REPO, "bindings", "python"))
    import zhibiao

TARGETS = """region,indicator,period,kind,value,upper,schedule,tolerance
A,new_jobs,2021,floor,240,,,
C1,rate,2021,cap,3.5,,,
"""
RULES = "county_new_jobs_small | warning | new_jobs <= 40 | levels=county\n"


def main():
    print("zhibiao {} from {}".format(zhibiao.__version__, zhibiao.library_path()))
    with zhibiao.Model.from_files(regions=os.path.join(SMALL, "regions.csv"),
                                  indicators=os.path.join(SMALL, "indicators.csv"),
                                  observations=os.path.join(SMALL, "observations.csv")) as m:
        print("\n-- values (exact decimals; None means nothing was reported, never 0)")
        for region, period, indicator in [("A", "2021-02", "new_jobs"), ("C1", "2021年1-3月", "new_jobs"),
                                          ("A", "截至2021年3月底", "insured"), ("A", "2021-01", "rate"),
                                          ("C1", "2021-01..2021-02", "loan_amount"), ("a2", "2021-02", "new_jobs")]:
            v = m.value(region, period, indicator)
            print("{:3} {:16} {:12} {!s:>6}  ({} of {} reported)".format(
                region, period, indicator, v.value, v.reporting, v.expected))

        print("\n-- counties, new_jobs, 2021-02")
        for code, v in m.slice("county", "new_jobs", "2021-02"):
            print("{:3} {}".format(code, v.value))

        print("\n-- explanation")
        print(m.explain("A", "2021-02", "new_jobs"))

        print("-- a2 reports February after all: 8 new jobs")
        m.set_value("a2", "2021-02", "new_jobs", 8)
        print("A 2021-02 new_jobs = {}".format(m.value("A", "2021-02", "new_jobs").value))

        print("\n-- findings as of 2021-03 (targets and a rule given as text)")
        m.load_targets(text=TARGETS, name="targets.csv")
        m.load_rules(text=RULES, name="rules.txt")
        for f in m.check(as_of="2021-03"):
            print("[{}] {} {}: {}".format(f.severity, f.check, f.status, f.message))
    return 0


if __name__ == "__main__":
    sys.exit(main())
