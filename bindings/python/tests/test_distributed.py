"""zhibiao.distributed on a LocalCluster with 2 workers: a 3-province W1, province by province.

Needs Dask (skipped, saying so, without it), the W1 generator ($ZHIBIAO_GEN_W1) and the command
($ZHIBIAO_CLI), which CTest provides. The expected rows are `zhibiao rollup`'s, filtered by the levels
regions.csv gives: every row at or below the provinces must be byte-identical; the nation's rows are the
part that waits for the core's export of partials, so the command refuses to claim a full roll-up.
"""

import csv
import os
import subprocess
import sys
import tempfile
import unittest

import support  # noqa: F401  (puts the package on sys.path)

try:
    import dask.distributed
except ImportError:
    dask = None

GEN = os.environ.get("ZHIBIAO_GEN_W1")
CLI = os.environ.get("ZHIBIAO_CLI")


@unittest.skipIf(dask is None, "dask.distributed is not installed for {} (Debian: python3-distributed)".format(
    sys.executable))
@unittest.skipUnless(GEN and os.path.isfile(GEN) and CLI and os.path.isfile(CLI),
                     "ZHIBIAO_GEN_W1 and ZHIBIAO_CLI must name the W1 generator and the zhibiao command (CTest sets them)")
class ThreeProvinces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.d = cls.tmp.name
        subprocess.run([GEN, d, "--seed", "3", "--provinces", "3"], check=True, capture_output=True)
        cls.files = {k: os.path.join(d, k + ".csv") for k in ("regions", "indicators", "observations")}
        out = os.path.join(d, "single.csv")
        subprocess.run([CLI, "rollup", "--quiet", "--regions", cls.files["regions"], "--indicators",
                        cls.files["indicators"], "--observations", cls.files["observations"], "--out", out], check=True)
        with open(out, encoding="utf-8") as f:
            cls.single = f.read().splitlines(keepends=True)
        with open(cls.files["regions"], encoding="utf-8") as f:
            cls.level = {row["code"]: row["level"] for row in csv.DictReader(f)}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def expected(self):
        return [self.single[0]] + [x for x in self.single[1:] if self.level[x.split(",", 1)[0]] != "nation"]

    def test_function_on_two_workers(self):
        from zhibiao.distributed import partition_rollup
        with dask.distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                           dashboard_address=None) as cluster, dask.distributed.Client(cluster) as client:
            self.assertEqual(len(client.scheduler_info()["workers"]), 2)
            got = partition_rollup(client, self.files["regions"], self.files["indicators"],
                                   [self.files["observations"]], "province")
        expected = self.expected()
        self.assertGreater(len(expected), 100000)
        self.assertEqual(sorted({self.level[x.split(",", 1)[0]] for x in expected[1:]}),
                         ["city", "county", "province", "town"])
        self.assertEqual(got, "".join(expected))

    def test_command(self):
        out = os.path.join(self.d, "distributed.csv")
        base = [sys.executable, "-m", "zhibiao.distributed", "rollup", "--regions", self.files["regions"],
                "--indicators", self.files["indicators"], "--observations", self.files["observations"],
                "--partition-level", "province", "--workers", "2", "--out", out]
        r = subprocess.run(base, capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--partitions-only", r.stderr)
        self.assertFalse(os.path.exists(out))
        r = subprocess.run(base + ["--partitions-only"], capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), "".join(self.expected()))


if __name__ == "__main__":
    unittest.main()
