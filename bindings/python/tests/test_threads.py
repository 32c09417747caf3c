"""Several Python threads on one rolled-up model: ctypes releases the GIL, so the calls really overlap
inside the library, which guards the model with a shared mutex (queries shared, revisions exclusive)."""

import threading
import unittest
from decimal import Decimal

from support import small_model

import zhibiao

# (region, period, indicator) -> (value text or None, reporting, expected); from tests/unit/test_rollup.cpp.
KNOWN = {
    ("A", "2021-02", "new_jobs"): ("20", 1, 2),
    ("C1", "2021年1-3月", "new_jobs"): ("100", 3, 3),
    ("C1", "2021-02", "new_jobs"): ("25", 2, 3),
    ("a2", "2021-02", "new_jobs"): (None, 0, 1),
    ("A", "截至2021年3月底", "insured"): ("170", None, None),
    ("C1", "2021-03-31", "insured"): ("255", None, None),
    ("A", "2021-03", "insured"): ("60", 1, 2),
    ("A", "2021-01", "rate"): ("3.64", None, None),
    ("C1", "2021-01", "rate"): ("2.80", None, None),
    ("A", "2021-02", "rate"): ("32.06", 1, 2),
    ("C1", "2021-01..2021-02", "rate"): ("2.93", None, None),
    ("C1", "2021-01..2021-02", "loan_amount"): ("15.75", None, None),
    ("C1", "2021-01", "loan_amount"): ("12.50", None, None),
}
ITEMS = sorted(KNOWN.items())


def run_threads(n, target):
    """Runs target(k) in n threads started together; returns the exceptions raised."""
    errors = []
    barrier = threading.Barrier(n)

    def body(k):
        try:
            barrier.wait()
            target(k)
        except BaseException as e:  # noqa: B902 - collected and reported by the test
            errors.append(e)

    threads = [threading.Thread(target=body, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


class ConcurrentQueries(unittest.TestCase):
    def setUp(self):
        self.m = small_model()

    def tearDown(self):
        self.m.close()

    def check_value(self, key, got):
        text, reporting, expected = KNOWN[key]
        want = None if text is None else Decimal(text)
        if got.value != want or (text is not None and str(got.value) != text):
            raise AssertionError("{}: {} != {}".format(key, got.value, text))
        if reporting is not None and (got.reporting, got.expected) != (reporting, expected):
            raise AssertionError("{}: coverage {}/{} != {}/{}".format(key, got.reporting, got.expected,
                                                                    reporting, expected))

    def test_values_from_four_threads(self):
        counts = [0] * 4

        def work(k):
            for i in range(3000):
                key, _ = ITEMS[(i + k * 5) % len(ITEMS)]
                self.check_value(key, self.m.value(*key))
                counts[k] += 1

        self.assertEqual(run_threads(4, work), [])
        self.assertEqual(counts, [3000] * 4)

    def test_mixed_queries(self):
        m = self.m
        baseline = (m.slice("town", "new_jobs", "2021-02"), m.explain("A", "2021-02", "new_jobs"),
                    m.rollup_csv(), m.check(as_of="2021-03", include_passes=True),
                    m.report("{region}{new_jobs}人", "A", "2021-03"))

        def work(k):
            for i in range(150):
                got = (m.slice("town", "new_jobs", "2021-02"), m.explain("A", "2021-02", "new_jobs"),
                       m.rollup_csv(), m.check(as_of="2021-03", include_passes=True),
                       m.report("{region}{new_jobs}人", "A", "2021-03"))
                if got != baseline:
                    raise AssertionError("thread {} iteration {}: a query differs".format(k, i))
                key, _ = ITEMS[i % len(ITEMS)]
                self.check_value(key, m.value(*key))

        self.assertEqual(run_threads(4, work), [])

    def test_readers_and_a_writer(self):
        # The writer toggles a2's February new jobs between 8 and missing; readers must only ever see one
        # of the two consistent states, value and coverage together.
        m = self.m
        stop = threading.Event()
        seen = set()

        def work(k):
            if k == 0:
                try:
                    for i in range(400):
                        if i % 2 == 0:
                            m.set_value("a2", "2021-02", "new_jobs", 8)
                        else:
                            m.clear_value("a2", "2021-02", "new_jobs")
                finally:
                    stop.set()
                return
            while not stop.is_set():
                a = m.value("A", "2021-02", "new_jobs")
                state = (str(a.value), a.reporting, a.expected)
                if state not in (("20", 1, 2), ("28", 2, 2)):
                    raise AssertionError("inconsistent A 2021-02: {}".format(state))
                c = m.value("C1", "2021年1-3月", "new_jobs").value
                if c not in (Decimal(100), Decimal(108)):
                    raise AssertionError("inconsistent C1 ytd: {}".format(c))
                seen.add(state)

        self.assertEqual(run_threads(4, work), [])
        self.assertTrue(seen)
        # the writer finished on a clear: back to the original numbers, identical to a fresh roll-up
        self.assertEqual(str(m.value("A", "2021-02", "new_jobs").value), "20")
        incremental = m.rollup_csv()
        m.rollup()
        self.assertEqual(m.rollup_csv(), incremental)

    def test_errors_are_per_thread(self):
        # zb_last_error is thread-local: each thread's exception carries its own message and location.
        m = self.m
        header = "region,period,indicator,value,qualifier\n"

        def work(k):
            own = zhibiao.Model()
            own.load_regions(text="code,name,level,parent\nC1,市,city,\na1,镇,town,C1\n")
            own.load_indicators(text="code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                                     "new_jobs,新增,人,flow,0,,,,\n")
            try:
                bad_line = 2 + k  # k good rows, then an unknown region
                text = header + "".join("a1,2021-{:02d},new_jobs,1,\n".format(i + 1) for i in range(k)) + \
                    "zz{},2021-12,new_jobs,1,\n".format(k)
                for i in range(300):
                    try:
                        m.value("nowhere{}".format(k), "2021-02", "new_jobs")
                    except zhibiao.NotFoundError as e:
                        if "'nowhere{}'".format(k) not in str(e):
                            raise AssertionError("thread {} got another thread's error: {}".format(k, e))
                    else:
                        raise AssertionError("no error")
                    try:
                        own.load_observations(text=text, name="t{}".format(k))
                    except zhibiao.LoadError as e:
                        if (e.file, e.line, e.column) != ("t{}".format(k), bad_line, 1) or "zz{}".format(k) not in str(e):
                            raise AssertionError("thread {} got {} {}:{}:{}".format(k, e, e.file, e.line, e.column))
                    else:
                        raise AssertionError("no load error")
            finally:
                own.close()

        self.assertEqual(run_threads(4, work), [])


class ModelsPerThread(unittest.TestCase):
    def test_independent_models(self):
        def work(k):
            for i in range(30):
                with small_model() as m:
                    m.set_value("a2", "2021-02", "new_jobs", k + i)
                    got = m.value("A", "2021-02", "new_jobs").value
                    if got != 20 + k + i:
                        raise AssertionError("thread {}: {}".format(k, got))

        self.assertEqual(run_threads(4, work), [])


if __name__ == "__main__":
    unittest.main()
