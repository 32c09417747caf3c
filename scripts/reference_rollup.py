#!/usr/bin/env python3
"""Independent, deliberately slow reference for zhibiao's roll-up (standard library only, Python >= 3.9).

Usage:
    python3 scripts/reference_rollup.py --regions R.csv --indicators I.csv --observations O.csv [--out FILE]

It exists to cross-check the C++ engine: it is written straightforwardly, with exact arithmetic
(decimal.Decimal for reported values, fractions.Fraction for ratios, never float), and implements
exactly the pinned semantics below.

Regions
    A forest given by the `parent` column. An empty parent on a 12-digit code (2+2+2+3+3) below
    province level is inferred: zero the last non-zero group and take that code if it exists, else
    keep zeroing groups (town PPCCDDTTT000 -> PPCCDD000000 -> PPCC00000000 -> PP0000000000); when
    no such ancestor exists the region is a root. Leaves are regions without children. Optional
    valid_from / valid_to columns are ignored.

Reporting level (indicators.csv `reported_at`, optional: nation province city county town village)
    An indicator with a reporting level L is reported by its units instead of the leaves. A region is
    a unit when its level is L, or when its level is above L and none of its children is at L or
    above (a city whose towns sit directly under it, 东莞, reports a county-level indicator itself;
    a leaf above L is a unit). A region below L reports nothing: a value there is an error naming
    the line. A region above L that is not a unit is "above": a value there is a reported total
    (not rolled up). For such an indicator every rule below reads "units" for "leaves": a region's
    units are itself when it is a unit, none when it is below L, else the units of its children.
    A ratio's terms must have the ratio's reporting level; a parameter has none.

Observations (region, period, indicator, value[, qualifier])
    `YYYY-MM` (also `YYYY年M月`) is the value for that month alone; for a stock, its month-end value.
    `YYYY-01..YYYY-MM` (also `YYYY年1-M月`) is the year-to-date cumulative through M: for a flow the
    month-M value is the cumulative minus the previous cumulative reported for that
    (region, indicator, year), or the cumulative itself when it is the first; for a stock it is
    simply the month-M value. Values reported at non-leaf regions are not rolled up. Parameters are
    not aggregated (and not output); reported ratio values are ignored (ratios are recomputed).
    A parameter of unit 日期 (a day date: kind parameter, 0 decimals) has a date for its value,
    `2021-05-12` or `2021年5月12日`, which must be a day of the calendar within 1900-2200; like any
    parameter it is not output, but its year counts as a year with an observation.
    The optional qualifier (empty, `lower_bound` for XX多 / 以上, `approximate` for 约) belongs to the
    month the row gives (a month derived from year-to-date reports: the row of that month). Reporting
    one (region, indicator, month) twice is an error.

Output: one row per region (regions.csv order) x year with any observation x month 1..12 x
flow/stock/ratio indicator (indicators.csv order):
    region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier
    * flow:  monthly = sum over descendant leaves that reported month M; ytd = sum of monthly over
             months 1..M. Empty when no leaf reported month M (monthly) / any month <= M (ytd).
    * stock: monthly = sum over leaves that reported month M; ytd = sum over leaves of each leaf's
             latest reported value within months 1..M -- only if that value's month m has
             M - m <= max_age when the indicator has a max_age column (0..11). Empty when no leaf
             contributes.
    * ratio: (sum of numerator terms) / (sum of denominator terms) x factor (empty: 100 for unit
             %, 1000 for ‰, else 1), from the terms'
             monthly (resp. ytd) values at the same region, exact, rounded once half-up (ties away
             from zero) to the indicator's decimals. Empty when any term is empty or the
             denominator is 0.
    * reporting = descendant leaves that reported the indicator for month M (ratio: every term);
      expected = descendant leaves (a leaf counts itself); with a reporting level, units for leaves.
    * values are plain decimals with exactly the indicator's decimals, empty when missing.
    * qualifier / ytd_qualifier: of the monthly / ytd value (empty when the value is empty). Combining:
      approximate if any part is approximate, else lower_bound if any part is a lower bound, else
      empty. Flow monthly: over the leaves that reported month M; flow ytd: over the monthly values
      of months 1..M. Stock monthly: over the leaves that reported month M; stock ytd: over the
      latest values it sums. Ratio: approximate when any term is approximate or any denominator term
      is qualified at all; else lower_bound when a numerator term is a lower bound; else empty.

Hand check (tiny case, as run while writing this script):
    regions: P1 city 990100000000; counties 990101000000 and 990102000000; towns 990101001000,
    990101002000 under the first county (parent column left empty -> inferred) and 990102001000.
    f (flow, 0 dec): town1 reports 2021-01..2021-01=5, 2021-01..2021-03=12 (so Jan 5, Mar 7);
    town2 reports 2021-02=3; town3 nothing.  ->  county1 2021-01 monthly 5 ytd 5 reporting 1/2;
    2021-02 monthly 3 ytd 8; 2021-03 monthly 7 ytd 15; 2021-04 monthly '' ytd 15 reporting 0.
    s (stock): town1 2021-01=10, town2 2021-02=20 -> county1 2021-02 monthly 20 ytd 30.
    r = s/(s+f)*100, 1 dec -> county1 2021-02: 20/(20+3)*100 = 86.956.. -> 87.0; ytd 30/(30+8) ->
    78.947.. -> 78.9.
    With town2's 2021-02 s marked lower_bound: county1 2021-02 s monthly and ytd lower_bound, and
    r monthly and ytd approximate (s is in its denominator); f stays exact.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import re
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

KINDS = ("flow", "stock", "ratio", "parameter")
LEVELS = ("nation", "province", "city", "county", "town", "village")  # top to bottom
QUALIFIERS = ("", "lower_bound", "approximate")  # in order of strength: combining takes the strongest


class InputError(Exception):
    pass


def read_csv(path, required):
    """Rows of a UTF-8 CSV file (BOM allowed) as dicts, with the line number; checks the header."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise InputError(f"{path}: empty file")
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = []
        for record in reader:
            if not record or all(not c.strip() for c in record):
                continue
            row = {h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header)}
            rows.append((reader.line_num, row))
        return rows


# ---------------------------------------------------------------- regions

def code_groups(code):
    """The five groups of a 12-digit code, or None."""
    if len(code) != 12 or not code.isdigit():
        return None
    return [code[0:2], code[2:4], code[4:6], code[6:9], code[9:12]]


def inferred_parent(code, known):
    g = code_groups(code)
    if g is None:
        return ""
    # index of the last non-zero group; 0 (or none) means province level -> root
    last = max((i for i, x in enumerate(g) if int(x) != 0), default=0)
    while last > 0:
        g[last] = "0" * len(g[last])
        candidate = "".join(g)
        if candidate in known:
            return candidate
        last = max((i for i, x in enumerate(g) if int(x) != 0), default=0)
    return ""


def load_regions(path):
    rows = read_csv(path, ("code", "name", "level", "parent"))
    order = []
    parent_given = {}
    level = {}
    for line, row in rows:
        code = row["code"]
        if not code:
            raise InputError(f"{path}:{line}: empty code")
        if code in parent_given:
            raise InputError(f"{path}:{line}: duplicate region {code}")
        if row["level"] not in LEVELS:
            raise InputError(f"{path}:{line}: unknown level {row['level']!r}")
        order.append(code)
        parent_given[code] = row["parent"]
        level[code] = LEVELS.index(row["level"])
    known = set(order)
    parent = {}
    for code in order:
        p = parent_given[code] or inferred_parent(code, known)
        if p and p not in known:
            raise InputError(f"{path}: parent {p} of {code} is not a region")
        if p == code:
            raise InputError(f"{path}: region {code} is its own parent")
        parent[code] = p
    children = {c: [] for c in order}
    for code in order:
        if parent[code]:
            children[parent[code]].append(code)
    # cycle check: every region must reach a root
    for code in order:
        seen = set()
        c = code
        while c:
            if c in seen:
                raise InputError(f"{path}: cycle through region {code}")
            seen.add(c)
            c = parent[c]
    leaves_under = {}

    def collect(code):
        if code in leaves_under:
            return leaves_under[code]
        if not children[code]:
            result = [code]
        else:
            result = []
            for ch in children[code]:
                result.extend(collect(ch))
        leaves_under[code] = result
        return result

    for code in order:
        collect(code)
    is_leaf = {c: not children[c] for c in order}
    return order, is_leaf, leaves_under, children, level


def unit_role(code, at, children, level):
    """'unit', 'above' or 'below': what `code` is for an indicator reported at level index `at`."""
    if level[code] > at:
        return "below"
    if level[code] == at:
        return "unit"
    if any(level[ch] <= at for ch in children[code]):
        return "above"
    return "unit"


def units_under(code, at, children, level):
    """The reporting units at or below `code` for level index `at`, depth first in file order."""
    role = unit_role(code, at, children, level)
    if role == "unit":
        return [code]
    if role == "below":
        return []
    result = []
    for ch in children[code]:
        result.extend(units_under(ch, at, children, level))
    return result


# ---------------------------------------------------------------- indicators

def load_indicators(path):
    rows = read_csv(path, ("code", "kind", "decimals"))
    order = []
    info = {}
    for line, row in rows:
        code = row["code"]
        if code in info:
            raise InputError(f"{path}:{line}: duplicate indicator {code}")
        kind = row["kind"]
        if kind not in KINDS:
            raise InputError(f"{path}:{line}: kind {kind!r} is not one of {', '.join(KINDS)}")
        try:
            decimals = int(row["decimals"] or "0")
        except ValueError:
            raise InputError(f"{path}:{line}: bad decimals {row['decimals']!r}")
        ind = {"code": code, "kind": kind, "decimals": decimals, "at": None, "max_age": None,
               "date": row.get("unit", "") == "日期"}
        if ind["date"] and (kind != "parameter" or decimals != 0):
            raise InputError(f"{path}:{line}: {code}: unit 日期 (a day date) needs kind parameter and 0 decimals")
        at = row.get("reported_at", "")
        if at:
            if at not in LEVELS:
                raise InputError(f"{path}:{line}: unknown reporting level {at!r}")
            if kind == "parameter":
                raise InputError(f"{path}:{line}: parameter {code} cannot have a reporting level")
            ind["at"] = LEVELS.index(at)
        age_text = (row.get("max_age") or "").strip()
        if age_text:
            if kind != "stock" or not age_text.isdigit() or int(age_text) > 11:
                raise InputError(f"{path}:{line}: max_age {age_text!r} needs a stock and 0..11 months")
            ind["max_age"] = int(age_text)
        if kind == "ratio":
            num = [t.strip() for t in row.get("numerator", "").split("+") if t.strip()]
            den = [t.strip() for t in row.get("denominator", "").split("+") if t.strip()]
            if not num or not den:
                raise InputError(f"{path}:{line}: ratio {code} needs a numerator and a denominator")
            # an empty factor is 100 for a percentage and 1000 for per mille, as indicators.csv documents
            factor_text = row.get("factor", "") or {"%": "100", "‰": "1000"}.get(row.get("unit", ""), "1")
            try:
                factor = Fraction(Decimal(factor_text))
            except (InvalidOperation, ValueError):
                raise InputError(f"{path}:{line}: bad factor {factor_text!r}")
            ind.update(num=num, den=den, factor=factor)
        order.append(code)
        info[code] = ind
    for code in order:
        ind = info[code]
        if ind["kind"] == "ratio":
            for t in ind["num"] + ind["den"]:
                if t not in info:
                    raise InputError(f"{path}: ratio {code} uses unknown indicator {t}")
                if info[t]["kind"] not in ("flow", "stock"):
                    raise InputError(f"{path}: ratio {code} term {t} is not a flow or a stock")
                if info[t]["at"] != ind["at"]:
                    raise InputError(f"{path}: ratio {code} and its term {t} have different reporting levels")
    return order, info


# ---------------------------------------------------------------- periods

RE_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RE_MONTH_ZH = re.compile(r"^(\d{4})年(\d{1,2})月$")
RE_YTD = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")
RE_YTD_ZH = re.compile(r"^(\d{4})年(\d{1,2})-(\d{1,2})月$")


def parse_period(text):
    """(year, month, is_cumulative) or raises InputError."""
    m = RE_MONTH.match(text) or RE_MONTH_ZH.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise InputError(f"month out of range in period {text!r}")
        return y, mo, False
    m = RE_YTD.match(text)
    if m:
        y1, m1, y2, m2 = (int(x) for x in m.groups())
        if y1 != y2 or m1 != 1 or not 1 <= m2 <= 12:
            raise InputError(f"period {text!r} is not a year-to-date range YYYY-01..YYYY-MM")
        return y2, m2, True
    m = RE_YTD_ZH.match(text)
    if m:
        y, m1, m2 = (int(x) for x in m.groups())
        if m1 != 1 or not 1 <= m2 <= 12:
            raise InputError(f"period {text!r} is not a year-to-date range YYYY年1-M月")
        return y, m2, True
    raise InputError(f"unsupported period {text!r} (expected YYYY-MM or YYYY-01..YYYY-MM)")


# ---------------------------------------------------------------- observations

RE_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
RE_DAY_ZH = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def parse_day(text, where):
    """A date value (unit 日期: 2021-05-12 or 2021年5月12日) as a datetime.date, or raises InputError."""
    m = RE_DAY.match(text) or RE_DAY_ZH.match(text)
    if not m:
        raise InputError(f"{where}: value {text!r} is not a date")
    try:
        day = datetime.date(*(int(x) for x in m.groups()))
    except ValueError:
        raise InputError(f"{where}: value {text!r} is not a day of the calendar")
    if not 1900 <= day.year <= 2200:
        raise InputError(f"{where}: date {text!r} is outside 1900-2200")
    return day


def load_observations(path, is_leaf, info, children, level):
    """Returns (month values at leaves, years with any observation).

    values[(leaf, indicator, year, month)] = (Decimal month value (flow: that month's flow; stock:
    month-end value), qualifier text)."""
    rows = read_csv(path, ("region", "period", "indicator", "value"))
    years = set()
    cumulative = {}  # (region, indicator, year) -> {month: Decimal cumulative}
    values = {}
    for line, row in rows:
        region, indicator, text = row["region"], row["indicator"], row["value"]
        where = f"{path}:{line}"
        if region not in is_leaf:
            raise InputError(f"{where}: unknown region {region}")
        if indicator not in info:
            raise InputError(f"{where}: unknown indicator {indicator}")
        try:
            year, month, is_cum = parse_period(row["period"])
        except InputError as e:
            raise InputError(f"{where}: {e}")
        qualifier = row.get("qualifier", "")
        if qualifier not in QUALIFIERS:
            raise InputError(f"{where}: unknown qualifier {qualifier!r}")
        if info[indicator]["date"]:
            value = parse_day(text, where)
        else:
            try:
                value = Decimal(text)
            except InvalidOperation:
                raise InputError(f"{where}: value {text!r} is not a decimal number")
            if not value.is_finite():
                raise InputError(f"{where}: value {text!r} is not finite")
        years.add(year)
        kind = info[indicator]["kind"]
        at = info[indicator]["at"]
        if at is None:
            reports = is_leaf[region]
        else:
            role = unit_role(region, at, children, level)
            if role == "below":
                raise InputError(f"{where}: {indicator} is reported at level {LEVELS[at]}; {region} is below it")
            reports = role == "unit"
        if kind == "parameter" or not reports:
            continue
        if kind == "ratio":
            print(f"{where}: note: reported ratio {indicator} ignored (ratios are computed)", file=sys.stderr)
            continue
        if is_cum and kind == "flow":
            series = cumulative.setdefault((region, indicator, year), {})
            if month in series:
                raise InputError(f"{where}: {region} {indicator} {year}-{month:02d} reported twice")
            series[month] = (value, qualifier)
            continue
        key = (region, indicator, year, month)
        if key in values:
            raise InputError(f"{where}: {region} {indicator} {year}-{month:02d} reported twice")
        values[key] = (value, qualifier)
    # flows reported year-to-date: month value = cumulative minus the previous cumulative
    for (region, indicator, year), series in cumulative.items():
        previous = None
        for month in sorted(series):
            key = (region, indicator, year, month)
            if key in values:
                raise InputError(f"{path}: {region} {indicator} {year}-{month:02d} reported both "
                                 f"as a month and as a cumulative")
            cum, qualifier = series[month]
            values[key] = (cum if previous is None else cum - previous, qualifier)
            previous = cum
    return values, years


# ---------------------------------------------------------------- roll-up

def quantize(value, decimals):
    """Decimal or Fraction -> plain text with exactly `decimals` decimals, half-up (ties away)."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = fraction_to_decimal(value, decimals)
    q = Decimal(1).scaleb(-decimals)
    d = value.quantize(q, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0.00"
    return format(d, "f")


def fraction_to_decimal(fr, decimals):
    """Rounds a Fraction once, half-up with ties away from zero, to `decimals` places."""
    scale = 10 ** decimals
    scaled = fr * scale
    sign = -1 if scaled < 0 else 1
    a = abs(scaled)
    n = a.numerator // a.denominator
    rem = a - n
    if rem * 2 >= 1:
        n += 1
    return Decimal(sign * n).scaleb(-decimals)


def strongest(qualifiers):
    """The combined qualifier of several parts: approximate > lower_bound > ''."""
    return max(qualifiers, key=QUALIFIERS.index, default="")


def rollup(regions, leaves_under, children, level, ind_order, info, values, years):
    out = []
    base = [c for c in ind_order if info[c]["kind"] in ("flow", "stock")]
    for region in regions:
        def reporters(code):
            """The leaves, or for an indicator with a reporting level its units, under this region."""
            at = info[code]["at"]
            return leaves_under[region] if at is None else units_under(region, at, children, level)

        for year in sorted(years):
            # base indicators first: monthly/ytd/reporting per month
            res = {}
            for code in base:
                kind = info[code]["kind"]
                leaves = reporters(code)
                latest = {}  # stock: leaf -> (month, latest value so far, its qualifier)
                age = info[code]["max_age"]
                running = None  # flow: ytd so far
                running_q = []  # flow: qualifiers of the monthly values so far
                for month in range(1, 13):
                    reported = [lf for lf in leaves if (lf, code, year, month) in values]
                    monthly = None
                    monthly_q = ""
                    if reported:
                        monthly = sum((values[(lf, code, year, month)][0] for lf in reported), Decimal(0))
                        monthly_q = strongest(values[(lf, code, year, month)][1] for lf in reported)
                    if kind == "flow":
                        if monthly is not None:
                            running = monthly if running is None else running + monthly
                            running_q.append(monthly_q)
                        ytd = running
                        ytd_q = strongest(running_q)
                    else:
                        for lf in reported:
                            latest[lf] = (month,) + values[(lf, code, year, month)]
                        # a value older than max_age months is no longer the month-end value
                        current = [(v, q) for (m, v, q) in latest.values() if age is None or month - m <= age]
                        ytd = sum((v for v, _ in current), Decimal(0)) if current else None
                        ytd_q = strongest(q for _, q in current)
                    res[(code, month)] = (monthly, ytd, set(reported), monthly_q, ytd_q)
            for month in range(1, 13):
                for code in ind_order:
                    ind = info[code]
                    kind = ind["kind"]
                    if kind == "parameter":
                        continue
                    if kind in ("flow", "stock"):
                        monthly, ytd, reported, monthly_q, ytd_q = res[(code, month)]
                        reporting = len(reported)
                    else:
                        terms = ind["num"] + ind["den"]
                        monthly = ratio_of(ind, [res[(t, month)][0] for t in terms])
                        ytd = ratio_of(ind, [res[(t, month)][1] for t in terms])
                        monthly_q = ratio_qualifier(ind, [res[(t, month)][3] for t in terms])
                        ytd_q = ratio_qualifier(ind, [res[(t, month)][4] for t in terms])
                        reporting = sum(1 for lf in reporters(code) if all(lf in res[(t, month)][2] for t in terms))
                    d = ind["decimals"]
                    out.append((region, f"{year:04d}-{month:02d}", code, quantize(monthly, d),
                                quantize(ytd, d), str(reporting), str(len(reporters(code))),
                                monthly_q if monthly is not None else "", ytd_q if ytd is not None else ""))
    return out


def ratio_of(ind, term_values):
    if any(v is None for v in term_values):
        return None
    k = len(ind["num"])
    num = sum((Fraction(v) for v in term_values[:k]), Fraction(0))
    den = sum((Fraction(v) for v in term_values[k:]), Fraction(0))
    if den == 0:
        return None
    return num / den * ind["factor"]


def ratio_qualifier(ind, term_qualifiers):
    """A qualified denominator term makes the ratio approximate; else the numerator terms decide."""
    k = len(ind["num"])
    num, den = term_qualifiers[:k], term_qualifiers[k:]
    if any(q != "" for q in den):
        return "approximate"
    return strongest(num)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--regions", required=True)
    ap.add_argument("--indicators", required=True)
    ap.add_argument("--observations", required=True)
    ap.add_argument("--out", help="output CSV (default: standard output)")
    args = ap.parse_args(argv)
    try:
        regions, is_leaf, leaves_under, children, level = load_regions(args.regions)
        ind_order, info = load_indicators(args.indicators)
        values, years = load_observations(args.observations, is_leaf, info, children, level)
    except (InputError, OSError) as e:
        print(f"reference_rollup: {e}", file=sys.stderr)
        return 2
    rows = rollup(regions, leaves_under, children, level, ind_order, info, values, years)
    text = "region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier\n" + "".join(",".join(r) + "\n" for r in rows)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
