"""The 报表 from Python: Model.table rows agree with Model.value (the query API, another path through the
library) cell by cell, a missing July is None (never 0), and write_table writes the workbook."""

import os
import tempfile
import unittest

import support
import zhibiao

COUNTY = "441521000000"
JOBS = "urban_new_employment"


class Table(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        m = zhibiao.Model()
        for kind in ("regions", "indicators", "scopes", "observations", "targets"):
            getattr(m, "load_" + kind)(support.county(kind + ".csv"))
        m.rollup()
        cls.m = m

    def test_rows_agree_with_value(self):
        rows = self.m.table(COUNTY, "2021-07", [JOBS])
        self.assertEqual([r["sheet"] for r in rows], [COUNTY] * len(rows))
        self.assertEqual(rows[-2]["name"], "全县合计")
        self.assertEqual(rows[-1]["code"], "haifeng_ex_shenshan")
        for r in rows:
            self.assertEqual(r[JOBS + ":monthly"], self.m.value(r["code"], "2021-07", JOBS).value, r["code"])
            self.assertEqual(r[JOBS + ":cumulative"], self.m.value(r["code"], "2021年1-7月", JOBS).value, r["code"])
        by_code = {r["code"]: r for r in rows}
        self.assertIsNone(by_code["441521112000"][JOBS + ":monthly"])  # 黄羌镇 did not report July
        self.assertEqual(by_code["441521112000"]["notes"], "7月未报送")
        # The county's 完成率 and status are those of the check.
        floor = [f for f in self.m.check("2021-07") if f.check == "target" and f.subject == JOBS and f.region == COUNTY]
        self.assertEqual(len(floor), 1)
        self.assertEqual(by_code[COUNTY][JOBS + ":completion"], floor[0].completion)
        self.assertEqual(by_code[COUNTY][JOBS + ":progress"], floor[0].progress)

    def test_write_table(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "海丰县.xlsx")
            self.m.write_table(path, COUNTY, "2021-07", [JOBS])
            with open(path, "rb") as f:
                self.assertEqual(f.read(2), b"PK")  # a zip archive: the workbook
            csv_path = os.path.join(d, "海丰县.csv")
            self.m.write_table(csv_path, COUNTY, "2021-07", [JOBS], format="csv")
            self.assertIn("全县合计", support.read(csv_path))

    def test_unknown_region(self):
        with self.assertRaises(zhibiao.NotFoundError):
            self.m.table("999999999999", "2021-07")


if __name__ == "__main__":
    unittest.main()
