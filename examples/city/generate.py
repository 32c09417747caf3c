#!/usr/bin/env python3
"""Writes examples/city/observations.csv and targets.csv: invented but plausible data for 广东省's 21
prefecture-level cities, 江门市 (440700) in detail.

Standard library only, integer arithmetic only, one fixed random seed: running it again reproduces both
files byte for byte. Usage: python3 examples/city/generate.py [--out DIR]

Regions are regions.csv: 广东省, its 21 cities (real codes), and under 江门市 its 7 county-level units plus
江门市本级 (440700_sbj), the city bureau's own work that belongs to no county.

- Every city: the employment core (城镇新增就业 year-to-date, 再就业, 就业困难人员, and the two stocks of
  the registered unemployment rate) for 2020 and 2021 — quarterly for the 20 other cities, monthly for
  江门市's leaves — and a 2021 城镇新增就业 target, so 江门市's 完成率 ranks among 21 peers.
- 江门市 only: the subsidies and loans monthly; every other figure of the city seed's 一(一)–一(五) as one
  year-to-date value for 1-12月 (flows) or one December value (stocks) per leaf, 2021 (and 2020 where a
  同比 is read). Each leaf reports each indicator, 0 where the item is not its work (the bureau's party
  building is 市本级's; training is the counties'), so every value is complete. Parameters (最低工资标准,
  缴费比例 …) are set at 江门市 in the month they changed.
- 其中 parts never exceed their whole; 2022 targets of section 二 (职业年金做实进度, 征地社保留存资金分配到人)
  are in targets.csv for the plan year.
"""

import argparse
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 4407002021
PROVINCE = "440000000000"
CITY = "440700000000"
BUREAU = "440700_sbj"
YEARS = (2020, 2021)

# 2021 城镇新增就业 (人) by city, and the 完成率 (‰) its target is set at; 江门市 as its counties add up.
CITY_JOBS = {
    "440100000000": (330000, 1040), "440200000000": (30000, 1010), "440300000000": (240000, 1060),
    "440400000000": (70000, 1030), "440500000000": (50000, 980), "440600000000": (140000, 1070),
    "440800000000": (45000, 1000), "440900000000": (40000, 990), "441200000000": (40000, 1020),
    "441300000000": (80000, 1050), "441400000000": (30000, 970), "441500000000": (20000, 1000),
    "441600000000": (25000, 1010), "441700000000": (24000, 990), "441800000000": (30000, 1040),
    "441900000000": (150000, 1080), "442000000000": (70000, 1060), "445100000000": (20000, 960),
    "445200000000": (30000, 1000), "445300000000": (18000, 1020),
}
JIANGMEN_JOBS_TARGET = 40000

# Relative size of each 江门 leaf (per 1000 of the city) for the counties' work; 市本级 has none.
WEIGHT = {
    "440703000000": 220,  # 蓬江区
    "440704000000": 80,   # 江海区
    "440705000000": 190,  # 新会区
    "440781000000": 170,  # 台山市
    "440783000000": 130,  # 开平市
    "440784000000": 110,  # 鹤山市
    "440785000000": 100,  # 恩平市
    BUREAU: 0,
}
assert sum(WEIGHT.values()) == 1000
SEASON = {
    2020: (950, 300, 700, 1000, 1100, 1150, 1200, 1100, 1100, 1000, 1100, 1300),
    2021: (950, 500, 1250, 1050, 1000, 1000, 1150, 1000, 1000, 900, 1050, 1150),
}
for _s in SEASON.values():
    assert sum(_s) == 12000
ANNUAL = {  # 江门 city-wide annual totals of the monthly flows (2020, 2021)
    "urban_new_employment": (41800, 45200),
    "unemployed_reemployed": (11800, 12600),
    "hard_to_employ_employed": (3100, 3400),
    "startup_guarantee_loan_count": (820, 930),
    "employment_subsidy_amount": (2800000, 3100000),  # 0.01 万元 (= 2.8 / 3.1 亿元)
}
CORE = ("urban_new_employment", "unemployed_reemployed", "hard_to_employ_employed", "registered_unemployed_eop",
        "urban_employed_eop")
MONEY = ("startup_guarantee_loan_amount", "startup_guarantee_loan_count", "employment_subsidy_amount")
CENTS = {"startup_guarantee_loan_amount", "employment_subsidy_amount", "ui_subsidy_amount",
         "job_retention_refund_amount", "annuity_funded", "annuity_due", "land_fund_allocated",
         "land_fund_retained"}  # kept in 0.01 万元

# 江门 2021 city-wide totals of the yearly figures, spread over the counties by WEIGHT (±15 %).
COUNTY_FLOWS = {
    "startup_contest_projects": 320, "startup_camp_trainees": 120, "employment_subsidy_firms": 5800,
    "employment_subsidy_workers": 62000, "job_fair_sessions": 260, "job_fair_employers": 12500,
    "job_posts_offered": 183000, "job_seekers": 251000, "chain_management_training": 5200,
    "new_skilled_talent": 38500, "training_yuecai_chef": 9200, "training_nanyue_housekeeping": 15400,
    "training_rural_craftsman": 6100, "rural_craftsman_projects": 12, "training_rural_ecommerce": 8300,
    "rural_ecommerce_jobs": 3100, "ecommerce_leader_training": 320, "rainbow_stores": 64,
    "rainbow_chains": 11, "rainbow_platforms": 23, "rainbow_jobs": 640, "chef_food_streets": 6,
    "training_vouchers": 52000, "voucher_training": 41000, "ui_subsidy_amount": 810000,
    "ui_subsidy_recipients": 12300, "job_retention_refund_amount": 1520000, "job_retention_refund_firms": 23400,
}
COUNTY_STOCKS = {
    "employment_service_specialists": 300, "skill_self_assessment_firms": 82, "housekeeping_stations": 21,
    "talent_supply_bases": 26, "postdoc_platforms": 63, "professional_technical_talent": 252000,
    "high_level_talent": 2850, "postdocs_in_station": 124, "special_allowance_experts": 46, "annuity_due": 2000000, "land_fund_retained": 360000,
}
PARTS = {  # 其中: the part's share (‰) of its whole, per leaf
    "new_high_skilled_talent": ("new_skilled_talent", 310),
    "yuecai_chef_certified": ("training_yuecai_chef", 700),
    "senior_title_talent": ("professional_technical_talent", 128),
    "annuity_funded": ("annuity_due", 460),
    "land_fund_allocated": ("land_fund_retained", 820),
}
# The city bureau's own work (市本级; the counties report 0), 2021 flows and December stocks.
BUREAU_FLOWS = {
    "skills_contest_events": 32, "skills_contest_contestants": 1560, "rural_craftsman_titled": 152,
    "sanzhiyifu_helpers": 20, "sanzhiyifu_bases": 10, "gold_mediation_orgs": 10, "party_history_meetings": 4,
    "group_study_sessions": 22, "tutorial_sessions": 6, "party_lectures": 31, "practical_projects_done": 10,
    "micro_projects_done": 12, "inspection_issues": 36, "inspection_issues_rectified": 36, "study_bulletins": 24,
    "branch_study_sessions": 126, "theme_party_days": 84, "labor_mass_incidents": 0, "migrant_petition_incidents": 0,
}
# Figures the seed gives as XX多 / X条以上: each leaf that reports one (not 0) reports it as a lower bound.
LOWER_BOUNDS = {"rainbow_chains", "rainbow_platforms", "rainbow_jobs", "hk_point_served_cumulative",
                "branch_study_sessions", "theme_party_days"}
BUREAU_STOCKS = {  # (2020, 2021) December values
    "flexible_talent_cumulative": (368, 412),
    "cross_border_services": (0, 21), "macau_service_points": (2, 4), "hk_point_served_cumulative": (1200, 3180),
}
PARAMETERS = [  # (indicator, period set, level or day): the month the standard changed
    ("ent_pension_employer_rate", "2020-01", "15"), ("ent_pension_employer_rate", "2021-01", "16"),
    ("resident_basic_pension_min", "2020-01", "180"), ("resident_basic_pension_min", "2021-01", "190"),
    ("ui_benefit_std", "2020-01", "1395"), ("ui_benefit_std", "2021-12", "1548"),
    ("min_wage_monthly", "2020-01", "1550"), ("min_wage_monthly", "2021-12", "1720"),
    ("min_wage_hourly", "2020-01", "15.3"), ("min_wage_hourly", "2021-12", "16.4"),
    ("work_injury_rate_cut", "2021-05", "50"),
    # a day date (unit 日期): decided in November 2021, 省级统筹 of the 失业保险基金 from 2022-01-01 on
    ("ui_provincial_pooling_from", "2021-11", "2022-01-01"),
]
TARGETS_2021 = [  # 江门市's own 2021 targets
    ("urban_new_employment", "floor", JIANGMEN_JOBS_TARGET), ("unemployed_reemployed", "floor", 12000),
    ("hard_to_employ_employed", "floor", 3000), ("startup_guarantee_loan_amount", "floor", 25000),
    ("registered_urban_unemployment_rate", "cap", "3.5"), ("labor_mass_incidents", "zero", 0),
    ("migrant_petition_incidents", "zero", 0), ("practical_projects_done", "floor", 10),
    ("micro_projects_done", "floor", 12),
]
TARGETS_2022 = [  # section 二's plan: (indicator, period, floor)
    ("annuity_funding_progress", "2022-01..2022-06", 70), ("land_fund_allocation_rate", "2022-01..2022-09", 100),
]

rng = random.Random(SEED)


def draw(mean_milli):
    """A non-negative integer with mean mean_milli/1000 (binomial, or ±15 % for large means)."""
    if mean_milli <= 0:
        return 0
    if mean_milli >= 60000:
        return mean_milli * (850 + rng.randrange(301)) // 1000000
    n = 2 * (mean_milli // 1000 + 1)
    return sum(1 for _ in range(n) if rng.randrange(1000 * n) < mean_milli)


def spread(total, leaf):
    """A leaf's share of a city-wide total by WEIGHT, ±15 %."""
    return total * WEIGHT[leaf] * (850 + rng.randrange(301)) // 1000000


def fmt(code, value):
    return "%d.%02d" % (value // 100, value % 100) if code in CENTS else str(value)


def month_mean(annual, leaf, year, month):
    """Mean (in 1/1000) of a leaf's flow in one month, from a city annual total."""
    return annual * WEIGHT[leaf] * SEASON[year][month - 1] // 12000


def unemployment_drift(year, month, unemployed):
    """The month's change in registered unemployed: COVID-19 in early 2020, the spring rise, the exits."""
    if year == 2020 and month in (2, 3, 4):
        return unemployed * 5 // 100
    if year == 2020 and month >= 9:
        return -(unemployed * 2 // 100)
    if month == 3:
        return unemployed * 2 // 100
    if month in (5, 6, 10, 11):
        return -(unemployed // 100)
    return 0


def jiangmen_monthly():
    """The core and the money flows of 江门's leaves, every month of both years."""
    rows = []
    leaves = list(WEIGHT)
    unemployed = {c: 20000 * WEIGHT[c] * (950 + rng.randrange(101)) // 1000000 for c in leaves}
    employed = {c: 845000 * WEIGHT[c] * (970 + rng.randrange(61)) // 1000000 for c in leaves}
    for yi, year in enumerate(YEARS):
        cumulative = {c: 0 for c in leaves}
        for month in range(1, 13):
            period = "%04d-%02d" % (year, month)
            for c in leaves:
                v = {code: draw(month_mean(ANNUAL[code][yi], c, year, month)) for code in ANNUAL}
                # loans of 10-50 万元 each (个人 up to 30 万, 小微企业 higher), in steps of 0.5 万元
                v["startup_guarantee_loan_amount"] = sum(rng.randrange(20, 101) * 50
                                                         for _ in range(v["startup_guarantee_loan_count"]))
                width = unemployed[c] // 50
                unemployed[c] += unemployment_drift(year, month, unemployed[c]) + rng.randrange(-width, width + 1)
                width = employed[c] // 400
                employed[c] += employed[c] // 900 + rng.randrange(-width, width + 1)
                v["registered_unemployed_eop"] = unemployed[c]
                v["urban_employed_eop"] = employed[c]
                cumulative[c] += v["urban_new_employment"]
                for code in CORE + MONEY:
                    if code == "urban_new_employment":
                        rows.append((c, "%04d-01..%s" % (year, period), code, str(cumulative[c])))
                    else:
                        rows.append((c, period, code, fmt(code, v[code])))
    return rows


def other_city_quarterly(city, jobs_2021):
    """The core of one of the 20 other cities, year-to-date at each quarter's end."""
    rows = []
    unemployed = jobs_2021 * (40 + rng.randrange(21)) // 100  # ~2-3 % of the employed
    employed = jobs_2021 * (17 + rng.randrange(8))
    for yi, year in enumerate(YEARS):
        annual = jobs_2021 * (92 + 8 * yi) // 100
        ytd = {"urban_new_employment": 0, "unemployed_reemployed": 0, "hard_to_employ_employed": 0}
        for q in range(1, 5):
            period = "%04d-%02d" % (year, 3 * q)
            ytd["urban_new_employment"] += annual * (2200 + rng.randrange(601)) // 10000 if q < 4 else 0
            if q == 4:
                ytd["urban_new_employment"] = max(ytd["urban_new_employment"], annual * (9700 + rng.randrange(601)) // 10000)
            # a year-to-date series never decreases
            ytd["unemployed_reemployed"] = max(ytd["unemployed_reemployed"],
                                               ytd["urban_new_employment"] * (27 + rng.randrange(5)) // 100)
            ytd["hard_to_employ_employed"] = max(ytd["hard_to_employ_employed"],
                                                 ytd["unemployed_reemployed"] * (25 + rng.randrange(5)) // 100)
            unemployed += unemployed * (rng.randrange(9) - 4) // 100
            employed += employed * rng.randrange(3) // 200
            for code in CORE:
                if code in ytd:
                    rows.append((city, "%04d-01..%s" % (year, period), code, str(ytd[code])))
                else:
                    rows.append((city, period, code, str(unemployed if code == "registered_unemployed_eop" else employed)))
    return rows


def jiangmen_yearly():
    """The seed's yearly figures of 江门's leaves: flows for 1-12月, stocks at December, parameters."""
    rows = []
    for c in WEIGHT:
        values = {code: spread(total, c) for code, total in sorted(COUNTY_FLOWS.items())}
        values.update({code: spread(total, c) for code, total in sorted(COUNTY_STOCKS.items())})
        for part, (whole, share) in sorted(PARTS.items()):
            values[part] = values[whole] * share * (950 + rng.randrange(101)) // 1000000
        for code, total in BUREAU_FLOWS.items():
            values[code] = total if c == BUREAU else 0
        for code, (_, level) in BUREAU_STOCKS.items():
            values[code] = level if c == BUREAU else 0
        for code in sorted(values):
            stock = code in COUNTY_STOCKS or code in BUREAU_STOCKS or (code in PARTS and PARTS[code][0] in COUNTY_STOCKS)
            bound = "lower_bound" if code in LOWER_BOUNDS and values[code] > 0 else ""
            rows.append((c, "2021-12" if stock else "2021-01..2021-12", code, fmt(code, values[code]), bound))
        for code, (level, _) in sorted(BUREAU_STOCKS.items()):
            rows.append((c, "2020-12", code, str(level if c == BUREAU else 0)))
    rows += [(CITY, period, code, level) for code, period, level in PARAMETERS]
    return rows


def targets():
    rows = [(CITY, code, "2021", kind, str(value)) for code, kind, value in TARGETS_2021]
    for city, (jobs, permille) in sorted(CITY_JOBS.items()):
        rows.append((city, "urban_new_employment", "2021", "floor", str(jobs * 1000 // permille // 100 * 100)))
    rows += [(CITY, code, period, "floor", str(value)) for code, period, value in TARGETS_2022]
    return rows


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def main():
    ap = argparse.ArgumentParser(description="Writes the city example's observations.csv and targets.csv.")
    ap.add_argument("--out", default=HERE, help="the folder to write into")
    args = ap.parse_args()
    rows = jiangmen_monthly()
    for city, (jobs, _) in sorted(CITY_JOBS.items()):
        rows += other_city_quarterly(city, jobs)
    rows += jiangmen_yearly()
    write(os.path.join(args.out, "observations.csv"), "region,period,indicator,value,qualifier",
          [r if len(r) == 5 else r + ("",) for r in rows])
    write(os.path.join(args.out, "targets.csv"), "region,indicator,period,kind,value,upper,schedule,tolerance",
          [r + ("", "", "") for r in targets()])


if __name__ == "__main__":
    main()
