"""No leaks: handles, library-allocated strings and findings are all freed.

RSS is read from /proc/self/statm after a warm-up, so allocator pools and caches are already in place;
a leak of even one roll-up CSV (about 15 KB) per iteration would grow RSS by ~150 MB over 10 000
iterations, far above the 20 MB allowed.
"""

import gc
import os
import sys
import time
import unittest

from support import rss_bytes, small, small_model

import zhibiao

MB = 1024 * 1024
LIMIT = 20 * MB
BAD_OBSERVATIONS = "region,period,indicator,value,qualifier\na1,2021-01,new_jobs,10,\nzz,2021-01,new_jobs,5,\n"


def report(name, before, after, seconds):
    sys.stderr.write("\n[{}] RSS before {:.1f} MB, after {:.1f} MB, growth {:+.2f} MB, {:.1f} s\n".format(
        name, before / MB, after / MB, (after - before) / MB, seconds))


@unittest.skipUnless(os.path.exists("/proc/self/statm"), "needs /proc/self/statm")
class NoLeak(unittest.TestCase):
    def test_create_load_rollup_drop(self):
        def once(i):
            m = small_model()
            m.value("A", "2021-02", "new_jobs")
            if i % 2:
                m.close()  # explicit close half the time, the finalizer (refcount drop) the other half
            del m

        for i in range(200):
            once(i)
        gc.collect()
        before = rss_bytes()
        start = time.monotonic()
        for i in range(10000):
            once(i)
        gc.collect()
        after = rss_bytes()
        report("create/load/rollup/drop x10000", before, after, time.monotonic() - start)
        self.assertLess(after - before, LIMIT)

    def test_queries_and_errors(self):
        # Every path that frees something: zb_free'd strings (explain, csv, report text and warnings),
        # findings handles, value text buffers, slices, and exceptions (failed loads, unknown codes).
        template = "{region}{period}新增就业{new_jobs}人，贷款{loan_amount}万元"

        def once(i):
            m = small_model()
            m.explain("A", "2021-02", "new_jobs")
            m.rollup_csv()
            m.check(as_of="2021-03", include_passes=True)
            m.report(template, "A", "2021-03")
            m.slice("town", "rate", "2021-01")
            m.set_values([("a2", "new_jobs", 2021, 2, 8)])
            try:
                m.value("zz", "2021", "new_jobs")
            except zhibiao.NotFoundError:
                pass
            bare = zhibiao.Model()
            bare.load_regions(small("regions.csv"))
            bare.load_indicators(small("indicators.csv"))
            try:
                bare.load_observations(text=BAD_OBSERVATIONS)
            except zhibiao.LoadError:
                pass
            m.close()
            del bare

        for i in range(200):
            once(i)
        gc.collect()
        before = rss_bytes()
        start = time.monotonic()
        for i in range(5000):
            once(i)
        gc.collect()
        after = rss_bytes()
        report("queries and errors x5000", before, after, time.monotonic() - start)
        self.assertLess(after - before, LIMIT)


if __name__ == "__main__":
    unittest.main()
