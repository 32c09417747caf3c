"""DataFrame throughput on a W1 directory: to_dataframe (scaled and Decimal) and load_observations(frame).

    PYTHONPATH=bindings/python ZHIBIAO_LIBRARY=build/libzhibiao.so /usr/bin/python3 \\
        bindings/python/bench/frames.py /tmp/w1 [--repeat 3]

Prints the best of `--repeat` runs of each, the CSV route it replaces (rollup_csv() parsed by
pandas.read_csv) once, and the peak RSS. Needs pandas.
"""

import argparse
import io
import resource
import time

import pandas as pd

import zhibiao


def best_of(repeat, fn):
    """(best seconds, last result) of `repeat` calls."""
    best, result = None, None
    for _ in range(repeat):
        result = None
        t = time.perf_counter()
        result = fn()
        e = time.perf_counter() - t
        best = e if best is None else min(best, e)
    return best, result


def main():
    """Runs the measurements."""
    p = argparse.ArgumentParser()
    p.add_argument("w1")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    files = {k: "{}/{}.csv".format(a.w1, k) for k in ("regions", "indicators", "observations")}
    m = zhibiao.Model.from_files(**files)
    for scaled in (True, False):
        e, df = best_of(a.repeat, lambda: m.to_dataframe(scaled=scaled))
        print("to_dataframe(scaled={}): {} rows, best {:.2f} s = {:.2f} M rows/s".format(
            scaled, len(df), e, len(df) / e / 1e6), flush=True)
        del df
    t = time.perf_counter()
    df = pd.read_csv(io.StringIO(m.rollup_csv()), dtype=str, keep_default_na=False)
    print("rollup_csv() + pandas.read_csv (text columns): {:.2f} s".format(time.perf_counter() - t), flush=True)
    del df
    obs = pd.read_csv(files["observations"], dtype=str, keep_default_na=False)

    def load():
        with zhibiao.Model() as fresh:
            fresh.load_regions(files["regions"])
            fresh.load_indicators(files["indicators"])
            fresh.load_observations(obs)
        return obs

    e, _ = best_of(a.repeat, load)
    print("load_observations(frame of {} text rows): best {:.2f} s = {:.2f} M rows/s".format(
        len(obs), e, len(obs) / e / 1e6))
    print("peak RSS {:.0f} MB".format(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


if __name__ == "__main__":
    main()
