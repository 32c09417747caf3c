#!/usr/bin/env python3
"""Writes examples/city/observations.csv: invented but plausible monthly data for 江门市 (440700).

Standard library only, integer arithmetic only, one fixed random seed: running it again reproduces
observations.csv byte for byte. Usage: python3 examples/city/generate.py [--out FILE]

Data are entered at county level (the 7 county-level units of regions.csv; no towns), 2020 and 2021,
every month. urban_new_employment is reported year-to-date (`YYYY-01..YYYY-MM`, like the seed's
"X-X月"); the other flows are monthly (`YYYY-MM`); the two stocks are month-end values.
Magnitudes: ~38 000 (2020) and ~41 000 (2021) new urban jobs a year; ~20 000 registered unemployed vs
~850 000 urban employed (rate ~2.3 %); ~900 startup guarantee loans (~2 亿元) and ~3 亿元 of
employment subsidies a year; ~150 000 training person-times a year.
"""

import argparse
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 4407002021
CITY = "440700000000"
YEARS = (2020, 2021)
YTD_FLOWS = ("urban_new_employment",)

# Relative size of each county-level unit (per 1000 of the city).
WEIGHT = {
    "440703000000": 220,  # 蓬江区
    "440704000000": 80,   # 江海区
    "440705000000": 190,  # 新会区
    "440781000000": 170,  # 台山市
    "440783000000": 130,  # 开平市
    "440784000000": 110,  # 鹤山市
    "440785000000": 100,  # 恩平市
}
assert sum(WEIGHT.values()) == 1000
SEASON = {
    2020: (950, 300, 700, 1000, 1100, 1150, 1200, 1100, 1100, 1000, 1100, 1300),
    2021: (950, 500, 1250, 1050, 1000, 1000, 1150, 1000, 1000, 900, 1050, 1150),
}
for _s in SEASON.values():
    assert sum(_s) == 12000
ANNUAL = {  # city-wide annual totals (2020, 2021)
    "urban_new_employment": (38200, 41300),
    "unemployed_reemployed": (11800, 12600),
    "hard_to_employ_employed": (3100, 3400),
    "startup_guarantee_loan_count": (820, 930),
    "employment_subsidy_amount": (2800000, 3100000),  # 0.01 万元 (= 2.8 / 3.1 亿元)
    "vocational_training": (138000, 156000),
}
ORDER = ["urban_new_employment", "unemployed_reemployed", "hard_to_employ_employed", "registered_unemployed_eop",
         "urban_employed_eop", "startup_guarantee_loan_amount", "startup_guarantee_loan_count",
         "employment_subsidy_amount", "vocational_training"]
CENTS = {"startup_guarantee_loan_amount", "employment_subsidy_amount"}  # kept in 0.01 万元

rng = random.Random(SEED)


def draw(mean_milli):
    """A non-negative integer with mean mean_milli/1000 (binomial, or ±15 % for large means)."""
    if mean_milli <= 0:
        return 0
    if mean_milli >= 60000:
        return mean_milli * (850 + rng.randrange(301)) // 1000000
    n = 2 * (mean_milli // 1000 + 1)
    return sum(1 for _ in range(n) if rng.randrange(1000 * n) < mean_milli)


def month_mean(annual, county, year, month):
    """Mean (in 1/1000) of a county's flow in one month, from a city annual total."""
    return annual * WEIGHT[county] * SEASON[year][month - 1] // 12000


def fmt(code, value):
    return "%d.%02d" % (value // 100, value % 100) if code in CENTS else str(value)


def read_counties():
    with open(os.path.join(HERE, "regions.csv"), newline="", encoding="utf-8") as f:
        counties = [r["code"] for r in csv.DictReader(f) if r["parent"] == CITY]
    assert sorted(counties) == sorted(WEIGHT), "regions.csv counties differ from WEIGHT"
    return counties


def generate():
    counties = read_counties()
    unemployed = {c: 20000 * WEIGHT[c] * (950 + rng.randrange(101)) // 1000000 for c in counties}
    employed = {c: 845000 * WEIGHT[c] * (970 + rng.randrange(61)) // 1000000 for c in counties}
    rows = []
    for year in YEARS:
        yi = YEARS.index(year)
        cumulative = {c: 0 for c in counties}
        for month in range(1, 13):
            period = "%04d-%02d" % (year, month)
            for c in counties:
                v = {}
                for code in ("urban_new_employment", "unemployed_reemployed", "hard_to_employ_employed",
                             "startup_guarantee_loan_count", "vocational_training"):
                    v[code] = draw(month_mean(ANNUAL[code][yi], c, year, month))
                v["employment_subsidy_amount"] = draw(month_mean(ANNUAL["employment_subsidy_amount"][yi], c, year, month))
                # loans of 10-50 万元 each (个人 up to 30 万, 小微企业 higher), in steps of 0.5 万元
                v["startup_guarantee_loan_amount"] = sum(rng.randrange(20, 101) * 50
                                                         for _ in range(v["startup_guarantee_loan_count"]))
                drift = 0
                if year == 2020 and month in (2, 3, 4):
                    drift = unemployed[c] * 5 // 100  # COVID-19
                elif year == 2020 and month >= 9:
                    drift = -(unemployed[c] * 2 // 100)
                elif month == 3:
                    drift = unemployed[c] * 2 // 100
                elif month in (5, 6, 10, 11):
                    drift = -(unemployed[c] // 100)
                spread = unemployed[c] // 50
                unemployed[c] += drift + rng.randrange(-spread, spread + 1)
                spread = employed[c] // 400
                employed[c] += employed[c] // 900 + rng.randrange(-spread, spread + 1)
                v["registered_unemployed_eop"] = unemployed[c]
                v["urban_employed_eop"] = employed[c]
                cumulative[c] += v["urban_new_employment"]
                for code in ORDER:
                    if code in YTD_FLOWS:
                        rows.append((c, "%04d-01..%s" % (year, period), code, str(cumulative[c]), ""))
                    else:
                        rows.append((c, period, code, fmt(code, v[code]), ""))
    return rows


def main():
    ap = argparse.ArgumentParser(description="Writes the city example's observations.csv.")
    ap.add_argument("--out", default=os.path.join(HERE, "observations.csv"))
    args = ap.parse_args()
    rows = generate()
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("region,period,indicator,value,qualifier\n")
        for r in rows:
            f.write(",".join(r) + "\n")


if __name__ == "__main__":
    main()
