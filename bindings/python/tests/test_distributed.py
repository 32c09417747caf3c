"""zhibiao.distributed on a LocalCluster with 2 workers: a 3-province W1 over two years.

Needs Dask (skipped, saying so, without it), the W1 generator ($ZHIBIAO_GEN_W1) and the command
($ZHIBIAO_CLI), which CTest provides. The expected file is `zhibiao rollup`'s on the same inputs: the whole
roll-up, nation included, byte for byte. W1 has flows, month-end stocks and ratios; on top of its own gaps
(0.1 % of towns never report, a county missing a month) the second province's first 40 towns never report
in 2022, so the nation's coverage depends on the partials' counts.
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


def _single(files, out):
    cmd = [CLI, "rollup", "--quiet", "--regions", files["regions"], "--indicators", files["indicators"], "--out", out]
    for o in files["observations"]:
        cmd += ["--observations", o]
    subprocess.run(cmd, check=True)
    with open(out, encoding="utf-8") as f:
        return f.read()


@unittest.skipIf(dask is None, "dask.distributed is not installed for {} (Debian: python3-distributed)".format(
    sys.executable))
@unittest.skipUnless(GEN and os.path.isfile(GEN) and CLI and os.path.isfile(CLI),
                     "ZHIBIAO_GEN_W1 and ZHIBIAO_CLI must name the W1 generator and the zhibiao command (CTest sets them)")
class ThreeProvinces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.d = cls.tmp.name
        for year in (2021, 2022):
            os.mkdir(os.path.join(d, str(year)))
            subprocess.run([GEN, os.path.join(d, str(year)), "--seed", "3", "--provinces", "3", "--year", str(year)],
                           check=True, capture_output=True)
        first = os.path.join(d, "2021")
        cls.files = {"regions": os.path.join(first, "regions.csv"), "indicators": os.path.join(first, "indicators.csv")}
        with open(cls.files["regions"], encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        cls.level = {row["code"]: row["level"] for row in rows}
        quiet = {row["code"] for row in rows if row["level"] == "town" and row["code"].startswith("12")}
        quiet = set(sorted(quiet)[:40])
        with open(os.path.join(d, "2022", "observations.csv"), encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        cut = os.path.join(d, "2022-cut.csv")
        with open(cut, "w", encoding="utf-8") as f:
            f.write(lines[0])
            f.writelines(x for x in lines[1:] if x.split(",", 1)[0] not in quiet)
        cls.files["observations"] = [os.path.join(first, "observations.csv"), cut]
        cls.single = _single(cls.files, os.path.join(d, "single.csv"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def nation_row(self, text, key):
        for line in text.splitlines():
            if line.startswith(key):
                return line
        self.fail("no row " + key)

    def test_expected_file_has_what_the_case_needs(self):
        # The nation rows of the single-machine roll-up show the gaps this test is about.
        self.assertEqual(sorted(set(self.level.values())), ["city", "county", "nation", "province", "town"])
        jobs = self.nation_row(self.single, "CN,2022-06,new_jobs,").split(",")
        self.assertLess(int(jobs[5]), int(jobs[6]) - 40)  # at least the 40 quiet towns missing
        stock = self.nation_row(self.single, "CN,2022-06,unemp,").split(",")
        self.assertNotEqual(stock[4], "")
        rate = self.nation_row(self.single, "CN,2021-03,unemp_rate,").split(",")
        self.assertRegex(rate[3], r"^0\.\d{4}$")

    def test_function_on_two_workers(self):
        from zhibiao.distributed import rollup
        with dask.distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                           dashboard_address=None) as cluster, dask.distributed.Client(cluster) as client:
            self.assertEqual(len(client.scheduler_info()["workers"]), 2)
            by_province = rollup(client, self.files["regions"], self.files["indicators"], self.files["observations"],
                                 "province")
            by_year = rollup(client, self.files["regions"], self.files["indicators"], self.files["observations"],
                             "province", split_years=True)
            by_city = rollup(client, self.files["regions"], self.files["indicators"], self.files["observations"],
                             "city", split_years=True)
        self.assertGreater(len(self.single), 10 ** 7)
        self.assertEqual(by_province, self.single)
        self.assertEqual(by_year, self.single)
        self.assertEqual(by_city, self.single)

    def test_partitions_only(self):
        from zhibiao.distributed import partition_rollup
        with dask.distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                           dashboard_address=None) as cluster, dask.distributed.Client(cluster) as client:
            got = partition_rollup(client, self.files["regions"], self.files["indicators"], self.files["observations"])
        lines = self.single.splitlines(keepends=True)
        self.assertEqual(got, "".join([lines[0]] + [x for x in lines[1:] if self.level[x.split(",", 1)[0]] != "nation"]))

    def test_command(self):
        out = os.path.join(self.d, "distributed.csv")
        cmd = [sys.executable, "-m", "zhibiao.distributed", "rollup", "--regions", self.files["regions"],
               "--indicators", self.files["indicators"], "--observations"] + self.files["observations"] + [
               "--partition-level", "province", "--split-years", "--workers", "2", "--out", out]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), self.single)

    def test_command_refuses_a_partition_without_data(self):
        # Only 2021 for the third province: its 2022 rows would have no model to come from.
        out = os.path.join(self.d, "refused.csv")
        part = os.path.join(self.d, "no-13-in-2022.csv")
        with open(self.files["observations"][1], encoding="utf-8") as f, open(part, "w", encoding="utf-8") as g:
            g.writelines(x for x in f if not x.startswith("13"))
        cmd = [sys.executable, "-m", "zhibiao.distributed", "rollup", "--regions", self.files["regions"],
               "--indicators", self.files["indicators"], "--observations", self.files["observations"][0], part,
               "--workers", "1", "--out", out]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 1)
        self.assertIn("130000000000 has observations in [2021] but the data spans [2021, 2022]", r.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
