"""Shared helpers of the Python binding tests (not a test module itself).

The tests find the shared library through $ZHIBIAO_LIBRARY and the repository through
$ZHIBIAO_SOURCE_DIR (default: three directories up from here); bindings/python is put on sys.path
when PYTHONPATH does not already provide the package.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
SOURCE_DIR = os.environ.get("ZHIBIAO_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SMALL = os.path.join(SOURCE_DIR, "tests", "data", "small")
COUNTY = os.path.join(SOURCE_DIR, "examples", "county")
HEADER = os.path.join(SOURCE_DIR, "include", "zhibiao", "zhibiao.h")

if PYTHON_DIR not in sys.path:
    sys.path.append(PYTHON_DIR)

import zhibiao  # noqa: E402


def small(name):
    return os.path.join(SMALL, name)


def county(name):
    return os.path.join(COUNTY, name)


def small_model(rollup=True):
    """The hand-worked 3-town / 2-county / 1-city example of tests/data/small."""
    return zhibiao.Model.from_files(regions=small("regions.csv"), indicators=small("indicators.csv"),
                                    observations=small("observations.csv"), rollup=rollup)


def county_model():
    """The 海丰县 example of examples/county, with scopes, targets and rules."""
    return zhibiao.Model.from_files(regions=county("regions.csv"), indicators=county("indicators.csv"),
                                    observations=county("observations.csv"), scopes=county("scopes.csv"),
                                    targets=county("targets.csv"), rules=county("rules.txt"))


def data_model(name):
    """The model of a tests/data/NAME set (regions, indicators, observations), rolled up."""
    d = os.path.join(SOURCE_DIR, "tests", "data", name)
    return zhibiao.Model.from_files(regions=os.path.join(d, "regions.csv"), indicators=os.path.join(d, "indicators.csv"),
                                    observations=os.path.join(d, "observations.csv"))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def v(model, region, period, indicator):
    """The value as text, '—' when missing (like tests/unit/test_rollup.cpp)."""
    x = model.value(region, period, indicator).value
    return "—" if x is None else str(x)


def cmake_version():
    """The version in the top-level CMakeLists.txt's project() call, the only place it is written."""
    import re
    m = re.search(r"project\(zhibiao\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", read(os.path.join(SOURCE_DIR, "CMakeLists.txt")))
    if not m:
        raise AssertionError("no project(zhibiao VERSION x.y.z) in CMakeLists.txt")
    return m.group(1)


def rss_bytes():
    """Resident set size from /proc/self/statm (pages * page size)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
