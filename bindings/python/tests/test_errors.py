"""Errors: typed exceptions with the C message and load locations, misuse of handles, the loader."""

import ctypes
import os
import re
import subprocess
import sys
import unittest
from decimal import Decimal

import support
from support import small, small_model, v

import zhibiao
from zhibiao import _errors, _lib
from zhibiao import Model

HEADER_OBS = "region,period,indicator,value,qualifier\n"


def bare_model():
    """Regions and indicators of the small example, no observations yet."""
    m = Model()
    m.load_regions(small("regions.csv"))
    m.load_indicators(small("indicators.csv"))
    return m


class LoadLocations(unittest.TestCase):
    def test_unknown_region_on_line_3(self):
        with bare_model() as m:
            text = HEADER_OBS + "a1,2021-01,new_jobs,10,\nzz,2021-01,new_jobs,5,\n"
            with self.assertRaises(zhibiao.LoadError) as cm:
                m.load_observations(text=text, name="obs.csv")
            e = cm.exception
            self.assertIsInstance(e, zhibiao.ZhibiaoError)
            self.assertEqual(e.code, 3)
            self.assertEqual(e.status, "ZB_LOAD")
            self.assertEqual((e.file, e.line, e.column), ("obs.csv", 3, 1))
            self.assertIn("unknown region 'zz'", str(e))
            self.assertEqual(e.function, "zb_model_load_observations_text")

    def test_columns_are_csv_fields(self):
        with bare_model() as m:
            cases = [("a1,2021-13,new_jobs,5,", 2), ("a1,2021-01,nope,5,", 3), ("a1,2021-01,new_jobs,x,", 4)]
            for row, column in cases:
                with self.assertRaises(zhibiao.LoadError) as cm:
                    m.load_observations(text=HEADER_OBS + "a1,2021-02,new_jobs,10,\n" + row + "\n")
                self.assertEqual((cm.exception.line, cm.exception.column), (3, column), row)
                self.assertEqual(cm.exception.file, "<observations>")

    def test_load_error_from_a_file(self):
        import tempfile
        with bare_model() as m, tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "观测.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write(HEADER_OBS + "a1,2021-01,new_jobs,10,\nb1,2021-01,nope,5,\n")
            with self.assertRaises(zhibiao.LoadError) as cm:
                m.load_observations(path)
            self.assertEqual((cm.exception.file, cm.exception.line, cm.exception.column), (path, 3, 3))

    def test_failed_load_leaves_model_usable(self):
        with bare_model() as m:
            with self.assertRaises(zhibiao.LoadError):
                m.load_observations(text=HEADER_OBS + "a1,2021-01,new_jobs,10,\nzz,2021-01,new_jobs,5,\n")
            # the failed load added nothing: the full file (which also has a1 2021-01) loads without duplicates
            m.load_observations(small("observations.csv"))
            m.rollup()
            self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "20")
            self.assertEqual(v(m, "C1", "2021年1-3月", "new_jobs"), "100")

    def test_rules_and_targets(self):
        with small_model() as m:
            with self.assertRaises(zhibiao.RuleError) as cm:
                m.load_rules(text="bad | error | nope <= 3\n")
            self.assertEqual((cm.exception.file, cm.exception.line), ("<rules>", 1))
            with self.assertRaises(zhibiao.LoadError) as cm:
                m.load_targets(text="region,indicator,period,kind,value,upper,schedule,tolerance\n"
                                    "A,new_jobs,2021,floorx,3,,,\n", name="t.csv")
            self.assertEqual((cm.exception.line, cm.exception.column), (2, 4))
            self.assertEqual(m.check(as_of="2021-03"), [])  # nothing half-loaded


class Statuses(unittest.TestCase):
    def test_query_before_rollup(self):
        with small_model(rollup=False) as m:
            for call in (lambda: m.value("A", "2021-02", "new_jobs"), lambda: m.slice("county", "new_jobs", "2021-02"),
                         lambda: m.explain("A", "2021-02", "new_jobs"), m.rollup_csv, m.check,
                         lambda: m.report("{new_jobs}", "A", "2021-02")):
                with self.assertRaises(zhibiao.StateError) as cm:
                    call()
                self.assertIn("rollup()", str(cm.exception))
                self.assertEqual(cm.exception.code, 6)

    def test_typed_errors(self):
        with small_model() as m:
            with self.assertRaises(zhibiao.NotFoundError) as cm:
                m.value("zz", "2021-02", "new_jobs")
            self.assertIsInstance(cm.exception, LookupError)
            self.assertIn("'zz'", str(cm.exception))
            with self.assertRaises(zhibiao.NotFoundError):
                m.value("A", "2021-02", "nope")
            with self.assertRaises(zhibiao.ParseError) as cm:
                m.value("A", "2021-99", "new_jobs")
            self.assertIsInstance(cm.exception, ValueError)
            with self.assertRaises(zhibiao.InvalidArgumentError):
                m.set_value("a1", "2021-02", "rate", "3")
            with self.assertRaises(zhibiao.InvalidArgumentError):
                m.slice("planet", "new_jobs", "2021-02")
            with self.assertRaises(zhibiao.ZhibiaoIOError) as cm:
                m.write_rollup("/nonexistent-dir/x.csv")
            self.assertIsInstance(cm.exception, OSError)
            with self.assertRaises(zhibiao.ParseError):
                m.check(as_of="garbage")
            with self.assertRaises(zhibiao.ParseError):
                m.report("{nope}", "A", "2021-02")
        with Model() as m:
            with self.assertRaises(zhibiao.ZhibiaoIOError):
                m.load_regions("/nonexistent/regions.csv")

    def test_overflow_is_typed(self):
        with small_model() as m:
            m.set_value("a1", "2021-01", "loan_amount", "90000000000000000")  # 9·10^18 at 2 decimals: fits
            self.assertEqual(v(m, "C1", "2021-01", "loan_amount"), "90000000000000000.00")
            with self.assertRaises(zhibiao.ZhibiaoOverflowError) as cm:
                m.set_value("b1", "2021-01", "loan_amount", "90000000000000000")  # the city's sum would not
            self.assertIsInstance(cm.exception, OverflowError)
            self.assertEqual(cm.exception.code, 4)
            self.assertIn("64-bit range", str(cm.exception))

    def test_failed_revision_leaves_model_unchanged(self):
        # The roll-up never wraps, and a refused revision leaves the model exactly as it was.
        with small_model() as m:
            m.set_value("a1", "2021-01", "loan_amount", "90000000000000000")
            before = m.rollup_csv()
            with self.assertRaises(zhibiao.ZhibiaoOverflowError):
                m.set_value("b1", "2021-01", "loan_amount", "90000000000000000")
            self.assertEqual(v(m, "C1", "2021-01", "loan_amount"), "90000000000000000.00")
            b1 = m.value("b1", "2021-01", "loan_amount")
            self.assertIsNone(b1.value)
            self.assertEqual(b1.reporting, 0)
            self.assertEqual(m.rollup_csv(), before)
            m.rollup()  # and the model still rolls up and answers
            self.assertEqual(m.rollup_csv(), before)
            # The bulk form is all or nothing too: the first row alone would fit, the second overflows.
            with self.assertRaises(zhibiao.ZhibiaoOverflowError):
                m.set_values([("b1", "new_jobs", 2021, 5, Decimal(7)),
                              ("b1", "loan_amount", 2021, 2, Decimal("90000000000000000"))])
            self.assertEqual(m.rollup_csv(), before)

    def test_state_error_on_reloading_regions(self):
        with small_model() as m:
            with self.assertRaises(zhibiao.StateError):
                m.load_regions(small("regions.csv"))
            self.assertEqual(v(m, "A", "2021-02", "new_jobs"), "20")

    def test_arguments_checked_in_python(self):
        with small_model() as m:
            with self.assertRaises(ValueError):
                m.value("A\0", "2021-02", "new_jobs")  # would be silently truncated by C
            with self.assertRaises(TypeError):
                m.value(None, "2021-02", "new_jobs")
            with self.assertRaises(TypeError):
                m.value("A", 202102, "new_jobs")


class Lifetime(unittest.TestCase):
    def test_closed_model(self):
        m = small_model()
        m.close()
        self.assertTrue(m.closed)
        m.close()  # double close is harmless
        for call in (lambda: m.value("A", "2021-02", "new_jobs"), m.rollup, m.rollup_csv, m.check,
                     lambda: m.load_regions(small("regions.csv")), lambda: m.set_value("a1", "2021-01", "new_jobs", 1),
                     lambda: m.slice("county", "new_jobs", "2021-02"), lambda: m.report("x", "A", "2021"), m.size):
            with self.assertRaises(zhibiao.InvalidArgumentError) as cm:
                call()
            self.assertIsInstance(cm.exception, ValueError)
            self.assertIn("closed", str(cm.exception))
        self.assertIn("closed", repr(m))

    def test_with_closes(self):
        with small_model() as m:
            self.assertFalse(m.closed)
        self.assertTrue(m.closed)
        with self.assertRaises(ValueError):
            with m:
                pass

    def test_finalizer(self):
        m = small_model()
        fin = m._finalizer
        self.assertTrue(fin.alive)
        del m
        import gc
        gc.collect()
        self.assertFalse(fin.alive)

    def test_raw_null_handles(self):
        L = _lib.lib
        with self.assertRaises(zhibiao.InvalidArgumentError) as cm:
            L.zb_model_rollup(None)
        self.assertIn("'model' is NULL", str(cm.exception))
        self.assertEqual(L.zb_last_error_code(), _errors.ZB_INVALID_ARGUMENT)
        with self.assertRaises(zhibiao.InvalidArgumentError) as cm:
            L.zb_model_create(None)
        self.assertIn("'out' is NULL", str(cm.exception))
        null = _lib.zb_model()
        L.zb_model_destroy(ctypes.byref(null))  # NULL handle: no-op
        L.zb_model_destroy(None)
        nf = _lib.zb_findings()
        L.zb_findings_destroy(ctypes.byref(nf))
        with self.assertRaises(zhibiao.InvalidArgumentError):
            L.zb_findings_count(nf, ctypes.byref(ctypes.c_size_t()))
        h = _lib.zb_model()
        L.zb_model_create(ctypes.byref(h))
        self.assertTrue(h)
        L.zb_model_destroy(ctypes.byref(h))
        self.assertFalse(h)  # set to NULL
        L.zb_model_destroy(ctypes.byref(h))  # twice: harmless

    def test_raw_findings_index(self):
        with small_model() as m:
            fs = _lib.zb_findings()
            _lib.lib.zb_model_check(m._h(), b"2021-03", 1, ctypes.byref(fs))
            try:
                n = ctypes.c_size_t()
                _lib.lib.zb_findings_count(fs, ctypes.byref(n))
                with self.assertRaises(zhibiao.InvalidArgumentError):
                    _lib.lib.zb_findings_get(fs, n.value, ctypes.byref(_lib.zb_finding()))
            finally:
                _lib.lib.zb_findings_destroy(ctypes.byref(fs))
            self.assertFalse(fs)

    def test_handle_types_are_distinct(self):
        with small_model() as m:
            with self.assertRaises(ctypes.ArgumentError):
                _lib.lib.zb_findings_count(m._h(), ctypes.byref(ctypes.c_size_t()))

    def test_slice_buffer_too_small_status(self):
        # zhibiao.h: "When capacity is too small nothing is written and ZB_BUFFER_TOO_SMALL is returned
        # with *count set." (Fixed in faee02f; it used to report ZB_INVALID_ARGUMENT.)
        with small_model() as m:
            count = ctypes.c_size_t(0)
            with self.assertRaises(zhibiao.ZhibiaoError) as cm:
                _lib.lib.zb_model_slice(m._h(), b"town", b"new_jobs", b"2021-02", 1, None,
                                        (_lib.zb_value * 1)(), ctypes.byref(count))
            self.assertEqual(count.value, 3)
            self.assertIsInstance(cm.exception, zhibiao.BufferTooSmallError)
            self.assertIn("capacity 1 is below the 3 regions", str(cm.exception))
            self.assertEqual(_lib.lib.zb_last_error_code(), _errors.ZB_BUFFER_TOO_SMALL)


class BulkAbi(unittest.TestCase):
    """The bulk functions the DataFrame layer is built on, called raw, against tests/data/small by hand."""

    def test_period_parse(self):
        y, a, b = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
        for text, want in (("2021年1-9月", (2021, 1, 9)), ("2021Q3", (2021, 7, 9)), ("2021-02", (2021, 2, 2)),
                           ("2021", (2021, 1, 12))):
            _lib.lib.zb_period_parse(text, ctypes.byref(y), ctypes.byref(a), ctypes.byref(b))
            self.assertEqual((y.value, a.value, b.value), want, text)
        with self.assertRaises(zhibiao.ParseError):
            _lib.lib.zb_period_parse("2021-13", None, None, None)
        # A span across years has no one year: zb_period_parse refuses it, zb_period_parse_span reads it.
        with self.assertRaises(zhibiao.InvalidArgumentError) as cm:
            _lib.lib.zb_period_parse("2020-11..2021-02", ctypes.byref(y), None, None)
        self.assertIn("zb_period_parse_span", str(cm.exception))
        y0, m0, y1, m1 = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
        for text, want in (("2020年11月至2021年2月", (2020, 11, 2021, 2)), ("2021Q3", (2021, 7, 2021, 9))):
            _lib.lib.zb_period_parse_span(text, ctypes.byref(y0), ctypes.byref(m0), ctypes.byref(y1), ctypes.byref(m1))
            self.assertEqual((y0.value, m0.value, y1.value, m1.value), want, text)

    def test_catalogue_years_and_tree(self):
        with small_model() as m:
            h, L = m._h(), _lib.lib
            buf, n = ctypes.create_string_buffer(16), ctypes.c_size_t()
            kind, decimals = ctypes.c_int32(), ctypes.c_int32()
            L.zb_model_indicator(h, 5, buf, 16, ctypes.byref(n), ctypes.byref(kind), ctypes.byref(decimals))
            self.assertEqual((buf.value, n.value, kind.value, decimals.value), (b"rate", 4, 2, 2))
            with self.assertRaises(zhibiao.InvalidArgumentError):
                L.zb_model_indicator(h, 6, None, 0, None, None, None)
            years = (ctypes.c_int32 * 1)()
            with self.assertRaises(zhibiao.BufferTooSmallError):
                L.zb_model_years(h, 0, None, ctypes.byref(n))
            self.assertEqual(n.value, 1)
            L.zb_model_years(h, 1, years, ctypes.byref(n))
            self.assertEqual(list(years), [2021])
            levels, parents = (ctypes.c_int32 * 6)(), (ctypes.c_int32 * 6)()
            L.zb_model_regions_at(h, 2021, 2, 6, levels, parents, ctypes.byref(n))
            # C1 city; A, B counties under C1; a1, a2 towns under A, b1 under B (file order = ids)
            self.assertEqual(list(levels), [2, 3, 3, 4, 4, 4])
            self.assertEqual(list(parents), [-1, 0, 0, 1, 1, 2])
            with self.assertRaises(zhibiao.InvalidArgumentError):
                L.zb_model_regions_at(h, 2021, 13, 6, levels, parents, ctypes.byref(n))

    def test_rollup_month(self):
        with small_model() as m:
            h, L = m._h(), _lib.lib
            monthly, ytd, n = (_lib.zb_value * 6)(), (_lib.zb_value * 6)(), ctypes.c_size_t()
            with self.assertRaises(zhibiao.BufferTooSmallError):
                L.zb_model_rollup_month(h, "new_jobs", 2021, 2, 5, monthly, ytd, ctypes.byref(n))
            self.assertEqual(n.value, 6)
            L.zb_model_rollup_month(h, "new_jobs", 2021, 2, 6, monthly, ytd, ctypes.byref(n))
            got = [(x.has_value, x.scaled, x.reporting, x.expected) for x in monthly]
            # February: a1 20, a2 missing, b1 12 − 7 = 5
            self.assertEqual(got, [(1, 25, 2, 3), (1, 20, 1, 2), (1, 5, 1, 1), (1, 20, 1, 1), (0, 0, 0, 1), (1, 5, 1, 1)])
            # through February: A = 10 + 20 + 5, B = 12, C1 = 47
            self.assertEqual([x.scaled for x in ytd], [47, 35, 12, 30, 5, 12])
            L.zb_model_rollup_month(h, "loan_amount", 2021, 2, 6, monthly, ytd, ctypes.byref(n))
            self.assertEqual((monthly[0].scaled, monthly[0].scale, ytd[0].scaled), (325, 2, 1575))
            with self.assertRaises(zhibiao.NotFoundError):
                L.zb_model_rollup_month(h, "nope", 2021, 2, 6, monthly, ytd, ctypes.byref(n))
        with small_model(rollup=False) as m:
            with self.assertRaises(zhibiao.StateError):
                _lib.lib.zb_model_rollup_month(m._h(), "new_jobs", 2021, 2, 6, monthly, ytd, ctypes.byref(n))


class Declarations(unittest.TestCase):
    """The one prototype table covers the whole header, and every zb_status has its exception."""

    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(support.HEADER):
            raise unittest.SkipTest("zhibiao.h not found (set ZHIBIAO_SOURCE_DIR)")
        cls.header = support.read(support.HEADER)

    def test_every_function_declared(self):
        in_header = set(re.findall(r"ZB_API\s+[^;(]*?\b(zb_\w+)\s*\(", self.header))
        in_table = [name for name, _, _ in _lib._PROTOTYPES]
        self.assertEqual(len(in_table), len(set(in_table)))
        self.assertEqual(set(in_table), in_header)
        self.assertEqual(len(in_header), 57)

    def test_status_functions_raise(self):
        status_functions = set(re.findall(r"ZB_API\s+zb_status\s+(zb_\w+)\s*\(", self.header))
        for name, _, restype in _lib._PROTOTYPES:
            fn = getattr(_lib.lib, name)
            if name in status_functions and name != "zb_last_error_code":
                self.assertIs(restype, _lib.zb_status, name)
                self.assertIs(fn.errcheck, _lib._check_status, name)
            else:
                self.assertNotEqual(getattr(fn, "errcheck", None), _lib._check_status, name)

    def test_every_status_mapped(self):
        block = self.header[self.header.index("typedef enum zb_status {"):self.header.index("} zb_status;")]
        statuses = {name: int(num) for name, num in re.findall(r"\b(ZB_[A-Z_]+)\s*=\s*(\d+)", block)}
        self.assertIn("ZB_BUFFER_TOO_SMALL", statuses)
        for name, code in statuses.items():
            self.assertEqual(_errors.STATUS_NAMES[code], name)
            if code == 0:
                continue
            cls = _errors.error_class(code)
            self.assertTrue(issubclass(cls, zhibiao.ZhibiaoError), name)
            self.assertIsNot(cls, zhibiao.ZhibiaoError, name)
            self.assertEqual(cls("x").code, code)
        self.assertIs(_errors.error_class(12345), zhibiao.ZhibiaoError)


class Loader(unittest.TestCase):
    """Import-time failures are ImportErrors naming the library (run in a fresh interpreter)."""

    def run_import(self, code, library, package_dir=None):
        env = dict(os.environ)
        env["ZHIBIAO_LIBRARY"] = library
        env["PYTHONPATH"] = package_dir or support.PYTHON_DIR
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)

    def run_with_abi(self, abi):
        """Imports a copy of the package that expects another ABI version."""
        import shutil
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            shutil.copytree(os.path.join(support.PYTHON_DIR, "zhibiao"), os.path.join(d, "zhibiao"),
                            ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
            path = os.path.join(d, "zhibiao", "_lib.py")
            source = support.read(path)
            self.assertEqual(source.count("\nABI_VERSION = 3\n"), 1)
            with open(path, "w", encoding="utf-8") as f:
                f.write(source.replace("\nABI_VERSION = 3\n", "\nABI_VERSION = {}\n".format(abi)))
            return self.run_import("import zhibiao", zhibiao.library_path(), d)

    def test_abi_mismatch(self):
        r = self.run_with_abi(4)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError", r.stderr)
        self.assertIn(zhibiao.library_path(), r.stderr)
        self.assertIn("has ABI version 3, but the Python package needs 4", r.stderr)

    def test_version_comes_from_the_library(self):
        # Read with a bare ctypes call, not through the package, and against the one place the number is
        # written: the top-level CMakeLists.txt.
        raw = ctypes.CDLL(zhibiao.library_path())
        raw.zb_version.restype = ctypes.c_char_p
        self.assertEqual(zhibiao.__version__, raw.zb_version().decode())
        self.assertEqual(zhibiao.__version__, support.cmake_version())

    def test_version_written_nowhere_in_the_package(self):
        number = support.cmake_version()
        for root, dirs, files in os.walk(support.PYTHON_DIR):
            dirs[:] = [d for d in dirs if d not in ("__pycache__", "build") and not d.endswith(".egg-info")]
            for name in files:
                if name.endswith((".so", ".pyc")) or ".so." in name:
                    continue
                with open(os.path.join(root, name), "rb") as f:
                    self.assertFalse(number.encode() in f.read(), "{} writes the version".format(os.path.join(root, name)))

    def test_good_import(self):
        r = self.run_import("import zhibiao; print(zhibiao.library_path())", zhibiao.library_path())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), zhibiao.library_path())

    def run_without_env(self, code, pythonpath):
        env = {k: val for k, val in os.environ.items() if k != "ZHIBIAO_LIBRARY"}
        env["PYTHONPATH"] = pythonpath
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)

    def copy_package(self, dest):
        import shutil
        shutil.copytree(os.path.join(support.PYTHON_DIR, "zhibiao"), os.path.join(dest, "zhibiao"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.so*"))

    def test_library_next_to_package(self):
        import shutil
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            self.copy_package(d)
            target = os.path.join(d, "zhibiao", "libzhibiao.so")
            shutil.copyfile(zhibiao.library_path(), target)
            r = self.run_without_env("import zhibiao; print(zhibiao.library_path())", d)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.strip(), target)

    def test_library_in_build_tree(self):
        import shutil
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            pkg = os.path.join(d, "bindings", "python")
            os.makedirs(pkg)
            self.copy_package(pkg)
            os.makedirs(os.path.join(d, "build"))
            target = os.path.join(d, "build", "libzhibiao.so")
            shutil.copyfile(zhibiao.library_path(), target)
            r = self.run_without_env("import zhibiao; print(zhibiao.library_path())", pkg)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.strip(), target)
            os.remove(target)
            r = self.run_without_env("import zhibiao", pkg)
            self.assertIn("ImportError: cannot find the zhibiao shared library; set ZHIBIAO_LIBRARY=", r.stderr)

    def test_missing_file(self):
        r = self.run_import("import zhibiao", "/nonexistent/libzhibiao.so")
        self.assertIn("ImportError", r.stderr)
        self.assertIn("/nonexistent/libzhibiao.so", r.stderr)

    def test_not_zhibiao(self):
        import ctypes.util
        libm = ctypes.util.find_library("m")
        path = None
        for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"):
            if libm and os.path.isfile(os.path.join(d, libm)):
                path = os.path.join(d, libm)
                break
        if path is None:
            self.skipTest("no libm file found")
        r = self.run_import("import zhibiao", path)
        self.assertIn("ImportError", r.stderr)
        self.assertIn("is not a zhibiao library", r.stderr)


if __name__ == "__main__":
    unittest.main()
