"""Roll-ups too large for one model, on Dask: one model per subtree (and year), then the levels above.

The regions at the partition level (provinces, say) root disjoint subtrees: no leaf is under two of them,
so each subtree's roll-up is independent and every row at or below the partition level comes out of the
subtree's own model exactly as out of the single-machine roll-up. The years are independent too: the roll-up
CSV has no 同比 column and nothing in it reads another year (a flow's year-to-date restarts in January, a
stock's month-end value is carried within the year), so ``split_years`` rolls up one model per subtree ×
year. For the levels above, each worker exports its subtree root's partial (``Model.export_partial``:
per indicator and month the sums, year-to-date, reporting and expected counts — a ratio's parts are
indicators of their own), and a top model whose leaves are the partition roots loads them
(``Model.load_partial``): the nation's values, ratios and coverage are then the engine's own arithmetic,
not a copy of it here. The result is the roll-up CSV ``zhibiao rollup`` writes, byte for byte.

    python -m zhibiao.distributed rollup --regions R --indicators I --observations O [O …] \\
        --partition-level province [--split-years] [--workers N | --scheduler ADDRESS] [--stats] --out FILE

Needs Dask (Debian: python3-dask, python3-distributed); ``import zhibiao`` never imports it. Assumes the
partition a region belongs to does not change over the years of the data (a 区划调整 across partitions is
refused), and every partition (× year) needs some observation: a subtree without data in a year would have
no model for it.
"""

import argparse
import csv
import io
import os
import sys
import time
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ._errors import ZhibiaoError
from ._frames import LEVELS
from ._model import Model, Partial

__all__ = ["rollup", "partition_rollup", "main"]

HEADER = "region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier\n"

# A block of roll-up rows: (region code, the part's year or 0 for all years, the rows as UTF-8).
Block = Tuple[str, int, bytes]


def _read(path: str) -> str:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return f.read()


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def _rollup_bytes(m: Model) -> bytes:
    """The model's roll-up CSV rows without the header, undecoded. Written to a scratch file and read back:
    the library's file writer formats and writes in parallel, several times faster than building the text
    in memory and copying it out."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="zhibiao-") as d:
        path = os.path.join(d, "rollup.csv")
        m.write_rollup(path)
        with open(path, "rb") as f:
            return f.read()[len(HEADER):]


def _region_blocks(m: Model, data: bytes, year: int) -> List[Block]:
    """Cuts a model's roll-up rows into one block per region. The writer gives a region's rows together,
    one per non-parameter indicator for every month the region exists (expected > 0 exactly then), so the
    model's own trees say where each region's rows end."""
    import numpy as np
    from ctypes import byref, c_int32, c_size_t
    from ._lib import lib

    n_regions, n_indicators = m.size()
    per_month = sum(1 for i in range(n_indicators) if m.indicator_info(i)[1] != 3)
    months = np.zeros(n_regions, dtype=np.int64)
    levels, count = (c_int32 * max(n_regions, 1))(), c_size_t()
    for y in m.years():
        for month in range(1, 13):
            lib.zb_model_regions_at(m._h(), y, month, n_regions, levels, None, byref(count))
            months += np.frombuffer(levels, dtype=np.int32, count=n_regions) >= 0
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10) + 1  # end of each row
    rows = np.cumsum(months * per_month)
    if len(rows) and rows[-1] != len(ends):
        raise RuntimeError("the roll-up has {} rows, its regions account for {}".format(len(ends), rows[-1]))
    blocks, at = [], 0
    for r in np.flatnonzero(months):
        end = int(ends[rows[r] - 1])
        blocks.append((m.region_code(int(r)), year, data[at:end]))
        at = end
    return blocks


def _rollup_part(regions_text: str, indicators_text: str, observations_text: bytes, root: str,
                 year: int) -> Tuple[List[Block], List[Partial]]:
    """On a worker: one subtree's model, rolled up; its rows by region and its root's partials."""
    with Model() as m:
        m.load_regions(text=regions_text, name="<partition regions>")
        m.load_indicators(text=indicators_text, name="<indicators>")
        m.load_observations(text=observations_text, name="<partition observations>")
        m.rollup()
        return _region_blocks(m, _rollup_bytes(m), year), m.export_partials(root)


def _rollup_top(regions_text: str, indicators_text: str, observations_text: Optional[bytes],
                partials: Iterable[Partial]) -> Tuple[Model, bytes]:
    """The levels above the partitions: the partition roots are leaves carrying their partials."""
    m = Model()
    try:
        m.load_regions(text=regions_text, name="<regions above the partitions>")
        m.load_indicators(text=indicators_text, name="<indicators>")
        if observations_text is not None:
            m.load_observations(text=observations_text, name="<observations above the partitions>")
        m.load_partials(partials)
        m.rollup()
        return m, _rollup_bytes(m)
    except BaseException:
        m.close()
        raise


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


class _Observations:
    """The observation files cut into runs of rows: each run a slice of a file's bytes whose rows share a
    region and a period, found with array operations rather than a Python loop over the rows (a national
    history has tens of millions). A file with a quoted field is read row by row with the csv module."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.header = None  # type: Optional[bytes]
        self.runs = []  # type: List[Tuple[str, str, bytes]]
        # each run: its region, its period, its rows
        for path in paths:
            with open(path, "rb") as f:
                data = f.read()
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            if not data.endswith(b"\n"):
                data += b"\n"
            self._add(path, data)
        if self.header is None:
            raise ValueError("no observation files")

    def _columns(self, path: str, header: bytes) -> Tuple[int, int]:
        if self.header is None:
            self.header = header
        elif header != self.header:
            raise ValueError("{} has the columns {}, the first file {}".format(path, header.decode("utf-8", "replace"),
                                                                               self.header.decode("utf-8", "replace")))
        names = header.decode("utf-8", "replace").split(",")
        for c in ("region", "period"):
            if c not in names:
                raise ValueError("{} has no {!r} column".format(path, c))
        return names.index("region"), names.index("period")

    def _add(self, path: str, data: bytes) -> None:
        import numpy as np

        first = data.index(b"\n") + 1
        header = data[:first].rstrip(b"\r\n")
        c_region, c_period = self._columns(path, header)
        if b'"' in data:
            self._add_quoted(path, data[first:].decode("utf-8"), c_region, c_period)
            return
        buf = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(buf == 10)
        ends = ends[ends >= first]
        if not len(ends):
            return
        starts = np.concatenate(([first], ends[:-1] + 1))
        keep = ends - starts > 0
        if not keep.all():
            # Empty lines are dropped, so every kept line is one row.
            pieces = [data[s:e + 1] for s, e in zip(starts[keep], ends[keep])]
            return self._add(path, header + b"\n" + b"".join(pieces))
        commas = np.flatnonzero(buf == 44)
        base = np.searchsorted(commas, starts)

        def field(k: int) -> Any:
            """(start, end) of field k of every line; a line without it ends the field at the line's end."""
            lo = starts if k == 0 else commas[np.minimum(base + k - 1, len(commas) - 1)] + 1
            hi_i = np.minimum(base + k, len(commas) - 1)
            hi = np.where((base + k < len(commas)) & (commas[hi_i] < ends), commas[hi_i], ends)
            bad = (k > 0) & ((base + k - 1 >= len(commas)) | (lo > ends))
            return lo, hi, bad

        r_lo, r_hi, r_bad = field(c_region)
        p_lo, p_hi, p_bad = field(c_period)
        if (r_bad | p_bad).any():
            line = int(np.flatnonzero(r_bad | p_bad)[0])
            raise ValueError("{}: line {} has no region or period field".format(path, line + 2))
        # A run ends where the region or the period changes: compare the fields' bytes, padded to one width.
        change = np.zeros(len(starts), dtype=bool)
        change[0] = True
        for lo, hi in ((r_lo, r_hi), (p_lo, p_hi)):
            width = int((hi - lo).max())
            idx = lo[:, None] + np.arange(width)
            cells = np.where(idx < hi[:, None], buf[np.minimum(idx, len(buf) - 1)], 0)
            change[1:] |= (cells[1:] != cells[:-1]).any(axis=1)
        heads = np.flatnonzero(change)
        tails = np.concatenate((heads[1:], [len(starts)])) - 1
        for h, t in zip(heads.tolist(), tails.tolist()):
            self.runs.append((data[r_lo[h]:r_hi[h]].decode("utf-8").rstrip("\r"),
                              data[p_lo[h]:p_hi[h]].decode("utf-8").rstrip("\r"), data[starts[h]:ends[t] + 1]))

    def _add_quoted(self, path: str, text: str, c_region: int, c_period: int) -> None:
        for row in csv.reader(io.StringIO(text, newline="")):
            if not row:
                continue
            if len(row) <= max(c_region, c_period):
                raise ValueError("{}: the row {} has no region or period field".format(path, row))
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerow(row)
            self.runs.append((row[c_region], row[c_period], out.getvalue().encode("utf-8")))

    def text(self, runs: Iterable[bytes]) -> bytes:
        """A CSV text of these runs under the header."""
        assert self.header is not None
        return self.header + b"\n" + b"".join(runs)


def _split_regions(regions: str, codes: List[str], root_of: Dict[int, int],
                   roots: Sequence[int]) -> Tuple[Dict[int, str], str]:
    """regions.csv cut into each partition's subtree (its root without a parent) and the regions above."""
    id_of = {c: r for r, c in enumerate(codes)}
    with open(regions, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    c_code, c_parent = header.index("code"), header.index("parent")
    part = {root: [] for root in roots}  # type: Dict[int, List[List[str]]]
    top = []
    for row in rows:
        r = id_of.get(row[c_code])
        if r is None or r not in root_of or r == root_of[r]:
            top.append(row)  # above the partitions, or a partition root: a leaf there
        if r is None or r not in root_of:
            continue
        row = list(row)
        if r == root_of[r]:
            row[c_parent] = ""  # the subtree's root
        part[root_of[r]].append(row)
    return {root: _csv_text(header, part[root]) for root in roots}, _csv_text(header, top)


def _write_blocks(blocks: List[Block], order: Dict[str, int], write: Any) -> None:
    """The single-machine file lists regions in regions.csv order, each region's years ascending."""
    blocks.sort(key=lambda b: (order[b[0]], b[1]))
    write(HEADER.encode("utf-8"))
    for b in blocks:
        write(b[2])


def _rollup(client: Any, regions: str, indicators: str, observations: Sequence[str], partition_level: str,
            split_years: bool, partitions_only: bool, write: Any) -> None:
    if partition_level not in LEVELS:
        raise ValueError("unknown level {!r} (expected one of {})".format(partition_level, ", ".join(LEVELS)))
    obs = _Observations(observations)
    year_of = _years_of({run[1] for run in obs.runs})
    years = sorted(set(year_of.values()))
    codes, root_of, roots = _partitions(regions, partition_level, years)
    id_of = {c: r for r, c in enumerate(codes)}
    part_regions, top_regions = _split_regions(regions, codes, root_of, roots)

    keys = [(root, y) for root in roots for y in (years if split_years else [0])]
    part_obs = {key: [] for key in keys}  # type: Dict[Tuple[int, int], List[Tuple[str, Any]]]
    top_obs = []
    for region, period, row in obs.runs:
        r = id_of.get(region)
        if r is None:
            raise ValueError("unknown region {!r} in the observations".format(region))
        if r not in root_of:
            top_obs.append(row)  # above the partitions: a reported total, or a leaf of the top model
        else:
            # A period the library cannot read goes to the subtree's first model, whose loader names it.
            y = year_of.get(period, years[0] if years else 0) if split_years else 0
            part_obs[(root_of[r], y)].append((period, row))
    # Every model must hold every year it stands for: the roll-up has rows for each year with data anywhere,
    # and a model without a year would leave out its (empty) rows for it.
    for root, y in keys:
        want = {y} if split_years else set(years)
        have = {year_of[p] for p, _ in part_obs[(root, y)] if p in year_of}
        if have != want:
            raise ValueError("{} has observations in {} but the data spans {}: every partition needs data in "
                             "every year".format(codes[root], sorted(have), sorted(want)))
    indicators_text = _read(indicators)
    shared = client.scatter(indicators_text, broadcast=True)  # data to the workers, not inside the task graph
    futures = []
    for root, y in keys:
        texts = client.scatter([part_regions[root], obs.text(row for _, row in part_obs[(root, y)])])
        futures.append(client.submit(_rollup_part, texts[0], shared, texts[1], codes[root], y, pure=False))
    blocks = []  # type: List[Block]
    partials = []  # type: List[Partial]
    for part_blocks, part_partials in client.gather(futures):
        blocks.extend(part_blocks)
        partials.extend(part_partials)
    if not partitions_only:
        top, text = _rollup_top(top_regions, indicators_text, obs.text(top_obs) if top_obs else None, partials)
        with top:
            blocks.extend(b for b in _region_blocks(top, text, 0) if id_of[b[0]] not in root_of)
    _write_blocks(blocks, id_of, write)


def _peak_rss_kb() -> int:
    """On a worker: its process's peak resident set (Linux reports KB)."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def rollup(client: Any, regions: str, indicators: str, observations: Sequence[str], partition_level: str = "province",
           split_years: bool = False, partitions_only: bool = False) -> str:
    """The roll-up CSV of these files, as ``zhibiao rollup`` writes it, computed on the Dask ``client``'s
    workers: one model per subtree under ``partition_level`` (per subtree and year with ``split_years``),
    then the levels above from the subtree roots' partials. ``partitions_only`` leaves out the rows above
    the partition level."""
    out = io.BytesIO()
    _rollup(client, regions, indicators, observations, partition_level, split_years, partitions_only, out.write)
    return out.getvalue().decode("utf-8")


def partition_rollup(client: Any, regions: str, indicators: str, observations: Sequence[str],
                     partition_level: str = "province") -> str:
    """The roll-up CSV rows (with header) of every region at or below ``partition_level`` only."""
    return rollup(client, regions, indicators, observations, partition_level, partitions_only=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The ``python -m zhibiao.distributed`` command."""
    p = argparse.ArgumentParser(prog="python -m zhibiao.distributed")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("rollup", help="the roll-up CSV of `zhibiao rollup`, one model per subtree on Dask workers")
    r.add_argument("--regions", required=True)
    r.add_argument("--indicators", required=True)
    r.add_argument("--observations", required=True, nargs="+")
    r.add_argument("--partition-level", default="province", choices=LEVELS)
    r.add_argument("--split-years", action="store_true", help="one model per partition and year")
    where = r.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2, help="workers of a local cluster (default 2)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    r.add_argument("--partitions-only", action="store_true",
                   help="write only the rows at and below the partition level")
    r.add_argument("--stats", action="store_true", help="print the wall time and each worker's peak RSS to stderr")
    r.add_argument("--out", required=True)
    args = p.parse_args(argv)
    started = time.monotonic()
    from dask.distributed import Client, LocalCluster
    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    tmp = args.out + ".part"
    try:
        with open(tmp, "wb") as f:
            _rollup(client, args.regions, args.indicators, args.observations, args.partition_level, args.split_years,
                    args.partitions_only, f.write)
        os.replace(tmp, args.out)
        if args.stats:
            print("zhibiao.distributed: {:.1f} s; peak RSS per worker: {}".format(
                time.monotonic() - started, ", ".join("{} MB".format(kb // 1024) for kb in
                                                      sorted(client.run(_peak_rss_kb).values()))), file=sys.stderr)
    except (ValueError, OSError, ZhibiaoError) as e:
        print("zhibiao.distributed: {}".format(e), file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if os.path.exists(tmp):
            os.remove(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
