"""Roll-ups of disjoint subtrees on Dask workers — the part that needs nothing new from the core.

The regions at the partition level (provinces, say) root disjoint subtrees: no leaf is under two of them,
so each subtree's roll-up is independent and every row at or below the partition level comes out of a
subtree's own model exactly as it comes out of the single-machine roll-up. ``partition_rollup`` splits the
observations by subtree, rolls each up on a Dask worker and merges those rows in the roll-up CSV's order.

What it does not do yet: the rows above the partition level (the nation). They need each subtree root's
partial — per indicator and month its value, its ratios' numerators and denominators, its reporting and
expected counts — exported by the core and loaded as leaves, so that ratios and coverage above are the
core's own arithmetic rather than a copy of it in Python. Until the C ABI has that, the command writes the
partition-and-below rows only when asked to (``--partitions-only``) and refuses otherwise.

    python -m zhibiao.distributed rollup --regions R --indicators I --observations O [O …] \\
        --partition-level province [--workers N | --scheduler ADDRESS] --partitions-only --out FILE

Needs Dask (Debian: python3-dask, python3-distributed); ``import zhibiao`` never imports it. Assumes the
partition a region belongs to does not change over the years of the data (a 区划调整 across partitions is
refused).
"""

import argparse
import csv
import io
import sys
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ._frames import LEVELS
from ._model import Model

__all__ = ["partition_rollup", "main"]

HEADER = "region,period,indicator,monthly,ytd,reporting,expected\n"


def _read(path: str) -> str:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return f.read()


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def _rollup_part(regions_text: str, indicators_text: str, observations_text: str) -> str:
    """On a worker: one subtree's model, rolled up; its roll-up CSV without the header."""
    with Model() as m:
        m.load_regions(text=regions_text, name="<partition regions>")
        m.load_indicators(text=indicators_text, name="<indicators>")
        m.load_observations(text=observations_text, name="<partition observations>")
        m.rollup()
        return m.rollup_csv()[len(HEADER):]


def _partitions(regions_path: str, level: str, years: Sequence[int]) -> Tuple[List[str], Dict[int, int], List[int]]:
    """Region codes by id, the partition root of every region at or below `level` (id → root id), and the
    ids at the partition level, from the library's own reading of regions.csv (parents it infers included)."""
    import numpy as np
    from ctypes import byref, c_int32, c_size_t
    from ._lib import lib

    with Model() as m:
        m.load_regions(regions_path)
        n, _ = m.size()
        h = m._h()
        codes = [m.region_code(r) for r in range(n)]
        target = LEVELS.index(level)
        root_of = {}  # type: Dict[int, int]
        levels_buf, parents_buf, count = (c_int32 * n)(), (c_int32 * n)(), c_size_t()
        for year in years:
            for month in range(1, 13):
                lib.zb_model_regions_at(h, year, month, n, levels_buf, parents_buf, byref(count))
                levels = np.frombuffer(levels_buf, dtype=np.int32, count=n)
                parents = np.frombuffer(parents_buf, dtype=np.int32, count=n)
                for r in range(n):
                    x = r
                    while x >= 0 and levels[x] != target:
                        x = int(parents[x])
                    if x < 0:
                        continue
                    if root_of.setdefault(r, x) != x:
                        raise ValueError("region {} moves from {} to {} in {}-{:02d}: partitions must not change "
                                         "over the data's years".format(codes[r], codes[root_of[r]], codes[x], year,
                                                                        month))
    roots = sorted(set(root_of.values()))
    return codes, root_of, roots


def _years_of(periods: Iterable[str]) -> Dict[str, int]:
    """The year of each distinct period text the library can parse (the others fail on the workers, with
    the loader's message)."""
    from ctypes import byref, c_int32
    from . import _errors
    from ._lib import lib

    years = {}
    year = c_int32()
    for text in periods:
        try:
            lib.zb_period_parse(text, byref(year), None, None)
        except (_errors.ZhibiaoError, ValueError):
            continue
        years[text] = year.value
    return years


def partition_rollup(client: Any, regions: str, indicators: str, observations: Sequence[str],
                     partition_level: str = "province") -> str:
    """Rolls up each subtree under `partition_level` on the Dask `client`'s workers; returns the roll-up CSV
    rows (with header) of every region at or below that level, exactly as ``zhibiao rollup`` writes them."""
    if partition_level not in LEVELS:
        raise ValueError("unknown level {!r} (expected one of {})".format(partition_level, ", ".join(LEVELS)))
    header_obs = None
    obs_rows = []  # type: List[List[str]]
    for path in observations:
        reader = csv.reader(io.StringIO(_read(path), newline=""))
        header = next(reader)
        if header_obs is None:
            header_obs = header
        elif header != header_obs:
            raise ValueError("{} has the columns {}, the first file {}".format(path, header, header_obs))
        obs_rows.extend(reader)
    if header_obs is None:
        raise ValueError("no observation files")
    c_region, c_period = header_obs.index("region"), header_obs.index("period")
    year_of = _years_of({row[c_period] for row in obs_rows})
    years = sorted(set(year_of.values()))
    codes, root_of, roots = _partitions(regions, partition_level, years)
    id_of = {c: r for r, c in enumerate(codes)}

    with open(regions, encoding="utf-8-sig", newline="") as f:
        region_reader = csv.reader(f)
        region_header = next(region_reader)
        region_rows = list(region_reader)
    c_code, c_parent = region_header.index("code"), region_header.index("parent")
    part_regions = {root: [] for root in roots}  # type: Dict[int, List[List[str]]]
    for row in region_rows:
        r = id_of.get(row[c_code])
        if r is None or r not in root_of:
            continue  # above the partition level
        row = list(row)
        if r == root_of[r]:
            row[c_parent] = ""  # the subtree's root
        part_regions[root_of[r]].append(row)
    part_obs = {root: [] for root in roots}  # type: Dict[int, List[List[str]]]
    for row in obs_rows:
        r = id_of.get(row[c_region])
        if r is None:
            raise ValueError("unknown region {!r} in the observations".format(row[c_region]))
        if r in root_of:  # a total reported above the partition level only matters to the rows above it
            part_obs[root_of[r]].append(row)

    # Every subtree's model must hold every year: the roll-up has rows for each year with data anywhere,
    # and a subtree model without a year would leave out its (empty) rows for it.
    for root in roots:
        have = {year_of[row[c_period]] for row in part_obs[root] if row[c_period] in year_of}
        if have != set(years):
            raise ValueError("{} has observations in {} but the data spans {}: every partition needs data in "
                             "every year".format(codes[root], sorted(have), years))
    indicators_text = _read(indicators)
    # Scattered first: the texts travel to the workers as data, not inside the task graph.
    shared = client.scatter(indicators_text, broadcast=True)
    futures = []
    for root in roots:
        texts = client.scatter([_csv_text(region_header, part_regions[root]), _csv_text(header_obs, part_obs[root])])
        futures.append(client.submit(_rollup_part, texts[0], shared, texts[1], pure=False))
    parts = client.gather(futures)
    # The single-machine file lists regions in regions.csv order, each region's rows in the order its own
    # model wrote them; a stable sort by region id restores that across subtrees.
    lines = [line for text in parts for line in text.splitlines()]
    lines.sort(key=lambda line: id_of[line[:line.index(",")]])
    return HEADER + "".join(line + "\n" for line in lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The ``python -m zhibiao.distributed`` command."""
    p = argparse.ArgumentParser(prog="python -m zhibiao.distributed")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("rollup", help="roll up the subtrees under the partition level on Dask workers")
    r.add_argument("--regions", required=True)
    r.add_argument("--indicators", required=True)
    r.add_argument("--observations", required=True, nargs="+")
    r.add_argument("--partition-level", default="province", choices=LEVELS)
    where = r.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2, help="workers of a local cluster (default 2)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    r.add_argument("--partitions-only", action="store_true",
                   help="write the rows at and below the partition level (the levels above are not computed yet)")
    r.add_argument("--out", required=True)
    args = p.parse_args(argv)
    if not args.partitions_only:
        print("zhibiao.distributed: the rows above the partition level need the core's export of subtree "
              "partials, which the C ABI does not have yet; pass --partitions-only to write the rows at and "
              "below --partition-level", file=sys.stderr)
        return 2
    from dask.distributed import Client, LocalCluster
    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    try:
        text = partition_rollup(client, args.regions, args.indicators, args.observations, args.partition_level)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
