#!/usr/bin/env python3
"""Writes examples/county/observations.csv: invented but plausible monthly data for 海丰县 (汕尾市).

Standard library only, integer arithmetic only (no floats), one fixed random seed: running it again
reproduces observations.csv byte for byte. Usage: python3 examples/county/generate.py [--out FILE]

What it invents (2020 and 2021, every month, each of the 16 towns in regions.csv):
* flows as monthly values (`YYYY-MM`), except urban_new_employment and vocational_training which are
  reported year-to-date (`YYYY-01..YYYY-MM`, cumulative, non-decreasing);
* stocks as month-end values (`YYYY-MM`);
* the parameter resident_basic_pension_std only at the county 441521000000 (180 in 2020, 190 in 2021), and
  resident_pension_age (60岁) there once, in 2020-01: a parameter holds until it changes;
* no rows at all for 黄羌镇 441521112000 in 2021-07 (a town that did not report that month);
* qualifier `lower_bound` on a few job_posts_offered rows (the seed's "XXX多个"): value rounded down.
* for 2021 only, the seed's sections 二-四 (bureau_rows, from a generator of their own so that everything
  above is unchanged): the July pension adjustment, the 社保卡 issue and the pensions paid late or short
  (ent_pension_late, org_pension_late: none, hence 按时足额) of each town, and the figures the
  county bureau reports itself at 441521000000 (reported_at=county: 机关事业单位养老保险 reform, 快办 items,
  好差评, 职称评审, 人才, 公开招聘 with qualifier `approximate` on the 约40人 in progress, 岗位聘用, 调动,
  劳动监察, 信访, 仲裁, 工伤认定).
* the 建档立卡毕业生 who found work or study and those given employment services (outcome_rows, again from a
  generator of its own), and the county's four 见习单位 batches a year (internship_batches).

Every value obeys the part_of relations of indicators.csv (hard_to_employ_employed <= unemployed_reemployed,
training sub-types sum <= vocational_training, Σ subsidy amounts <= subsidy_total_amount,
employment_fund_spent x 10000 >= subsidy_total_amount, graduate outcomes <= unemployed_graduates, ...).
Ratios (unemployment rate, graduates' employment rate) are never reported; they are computed.
Magnitudes: ~3 250 (2020) and ~3 800 (2021) new urban jobs county-wide; ~1 700-2 050 registered
unemployed vs ~80 000-82 000 urban employed (rate 2.10-2.48 %); one town (陶河镇) runs above the 3.5 %
cap in many months of 2020 and a few of 2021 (2021-01 is 125/3568 = 3.5034 %, shown as 3.50 %).
"""

import argparse
import csv
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 4415212021
COUNTY = "441521000000"
MISSING_TOWN, MISSING_MONTH = "441521112000", (2021, 7)  # 黄羌镇, 2021-07: nothing reported
HIGH_UNEMPLOYMENT_TOWN = "441521107000"  # 陶河镇
YTD_FLOWS = ("urban_new_employment", "vocational_training")
YEARS = (2020, 2021)
RESIDENT_PENSION_AGE = 60  # 城乡居民养老保险: the age from which the pension is paid

# Relative size of each town (per 1000 of the county), roughly by population / economic weight.
WEIGHT = {
    "441521101000": 95,   # 梅陇镇
    "441521102000": 20,   # 小漠镇 (深汕)
    "441521103000": 32,   # 鹅埠镇 (深汕)
    "441521104000": 30,   # 赤石镇 (深汕)
    "441521105000": 28,   # 鮜门镇 (深汕)
    "441521106000": 50,   # 联安镇
    "441521107000": 42,   # 陶河镇
    "441521108000": 52,   # 赤坑镇
    "441521109000": 40,   # 大湖镇
    "441521110000": 72,   # 可塘镇
    "441521112000": 30,   # 黄羌镇
    "441521113000": 30,   # 平东镇
    "441521115000": 180,  # 海城镇 (county seat)
    "441521118000": 90,   # 公平镇
    "441521119000": 105,  # 附城镇
    "441521120000": 104,  # 城东镇
}
assert sum(WEIGHT.values()) == 1000
# 机关事业单位 staff and pensioners concentrate in the county seat.
ORG_WEIGHT = dict((k, v // 2) for k, v in WEIGHT.items())
ORG_WEIGHT["441521115000"] += 1000 - sum(ORG_WEIGHT.values())

# Monthly activity in per-mille of an average month. 2020: COVID-19 in Feb-Mar; Feb is 春节 every year;
# Mar is 春风行动 (job fairs); Jul graduates.
SEASON = {
    2020: (950, 300, 700, 1000, 1100, 1150, 1200, 1100, 1100, 1000, 1100, 1300),
    2021: (950, 500, 1250, 1050, 1000, 1000, 1150, 1000, 1000, 900, 1050, 1150),
}
# 广东技工 training and new skilled talent (certification) are concentrated in the second half.
LATE = (300, 200, 400, 500, 600, 600, 1200, 1300, 1500, 1600, 1700, 2100)
for _s in (SEASON[2020], SEASON[2021]):
    assert sum(_s) == 12000
assert sum(LATE) == 12000

# County-wide annual totals of the monthly flows (2020, 2021).
ANNUAL = {
    "urban_new_employment": (3300, 3700),
    "unemployed_reemployed": (860, 960),
    "loans": (30, 38),                     # number of startup guarantee loans
    "job_fair_sessions": (34, 46),
    "vocational_training": (5200, 6300),
    "new_skilled_talent": (1350, 1550),
    "hard_to_employ_certified": (420, 460),
    "public_welfare_posts": (150, 180),
    "internship_units": (36, 44),          # over four batches (internship_batches: 认定了四批见习单位)
    "ui_benefit_person_times": (2300, 1800),
    "wi_benefit_person_times": (200, 220),
}
# subsidy type -> (annual county count 2020, 2021), amount rule
SUBSIDIES = (
    ("startup_grant", (50, 62)),
    ("startup_rent", (70, 84)),
    ("grad_grassroots", (10, 14)),
    ("unemployed_living", (45, 30)),
    ("poor_labor_hiring", (40, 36)),
    ("skill_upgrade", (45, 55)),
    ("grad_grassroots_post", (10, 12)),
    ("hard_to_employ_post", (24, 28)),
    ("startup_job_creation", (16, 22)),
)

# Output order of the indicators within one (town, month): the order of indicators.csv.
ORDER = [
    "urban_new_employment", "unemployed_reemployed", "hard_to_employ_employed",
    "registered_unemployed_eop", "urban_employed_eop", "startup_guarantee_loan_amount",
    "job_fair_sessions", "job_fair_employers", "job_posts_offered", "job_match_intents",
    "vocational_training", "training_yuecai_chef", "training_nanyue_housekeeping",
    "training_guangdong_technician", "new_skilled_talent", "employment_fund_spent", "persons_supported",
]
for _name, _ in SUBSIDIES:
    ORDER += ["subsidy_%s_count" % _name, "subsidy_%s_amount" % _name]
ORDER += [
    "subsidy_total_amount", "unemployed_graduates", "grads_employed", "grads_further_study",
    "grads_enlisted", "poor_grads", "internship_units", "internship_posts", "hard_to_employ_certified",
    "hard_to_employ_flexible", "public_welfare_posts", "public_welfare_placed", "public_welfare_placed_hard",
    "public_welfare_placed_poverty_exit", "insured_pension", "insured_unemployment", "insured_work_injury",
    "collected_ent_pension", "collected_org_pension", "collected_unemployment", "collected_work_injury",
    "ent_pensioners", "ent_pension_paid", "org_pensioners", "org_pension_paid", "resident_pension_recipients",
    "resident_pension_paid", "ui_benefit_person_times", "ui_benefit_amount", "wi_benefit_person_times",
    "wi_benefit_amount", "major_mass_incidents",
]
# Values kept as integers: counts as is; 元 amounts in 分 (2 decimals); 万元 amounts in 0.01 万元 (= 100 元).
CENTS = {"startup_guarantee_loan_amount", "employment_fund_spent", "subsidy_total_amount", "collected_ent_pension",
         "collected_org_pension", "collected_unemployment", "collected_work_injury", "ent_pension_paid",
         "org_pension_paid", "resident_pension_paid", "ui_benefit_amount", "wi_benefit_amount"}
CENTS |= {"subsidy_%s_amount" % n for n, _ in SUBSIDIES}

rng = random.Random(SEED)


def draw(mean_milli):
    """A non-negative integer count with mean mean_milli/1000 (binomial, or ±20 % for large means)."""
    if mean_milli <= 0:
        return 0
    if mean_milli >= 60000:
        return mean_milli * (800 + rng.randrange(401)) // 1000000
    n = 2 * (mean_milli // 1000 + 1)
    return sum(1 for _ in range(n) if rng.randrange(1000 * n) < mean_milli)


def binom(n, per_mille):
    """How many of n succeed with probability per_mille/1000 each."""
    return sum(1 for _ in range(n) if rng.randrange(1000) < per_mille)


def jitter(value, per_mille):
    """value x (1 ± up to per_mille/1000)."""
    return value * (1000 - per_mille + rng.randrange(2 * per_mille + 1)) // 1000


def month_mean(annual, town, year, month, season=None):
    """Mean (in 1/1000) of a town's flow in one month, from a county annual total."""
    s = (season or SEASON[year])[month - 1]
    return annual * WEIGHT[town] * s // 12000


def fmt(code, value):
    if code in CENTS:
        return "%d.%02d" % (value // 100, value % 100)
    return str(value)


def read_towns():
    with open(os.path.join(HERE, "regions.csv"), newline="", encoding="utf-8") as f:
        towns = [r["code"] for r in csv.DictReader(f) if r["level"] == "town" and r["parent"] == COUNTY]
    assert sorted(towns) == sorted(WEIGHT), "regions.csv towns differ from WEIGHT"
    return towns


class Town:
    """The running state of one town (stocks and graduate cohorts)."""

    def __init__(self, code):
        w = WEIGHT[code]
        self.code = code
        self.insured_pension = jitter(63000 * w // 1000, 50)
        self.insured_unemployment = jitter(28500 * w // 1000, 50)
        self.insured_work_injury = jitter(38500 * w // 1000, 50)
        self.urban_employed = jitter(79000 * w // 1000, 40)
        unemp_share = 1700 * w // 1000
        if code == HIGH_UNEMPLOYMENT_TOWN:
            unemp_share = unemp_share * 16 // 10
        self.registered_unemployed = jitter(unemp_share, 60)
        self.ent_pensioners = jitter(11400 * w // 1000, 40)
        self.org_pensioners = jitter(5200 * ORG_WEIGHT[code] // 1000, 40)
        self.resident_recipients = jitter(95500 * w // 1000, 30)
        self.cohorts = {}

    def cohort(self, year):
        """Graduates who left school in `year`: one tuple per person (register month index 0..2 counted from
        July, outcome, outcome month index, poor)."""
        if year not in self.cohorts:
            size = draw({2019: 480, 2020: 520, 2021: 580}[year] * WEIGHT[self.code])
            people = []
            for _ in range(size):
                reg = rng.randrange(3)
                r = rng.randrange(1000)
                if r < 30:
                    outcome, at = "study", 2
                elif r < 50:
                    outcome, at = "enlisted", 2 + rng.randrange(2)
                elif r < 130:
                    outcome, at = "none", 99
                else:
                    outcome, at = "employed", reg + rng.randrange(0, 10) * rng.randrange(0, 10) // 20
                poor = rng.randrange(1000) < 60
                people.append((reg, outcome, max(at, reg), poor))
            self.cohorts[year] = people
        return self.cohorts[year]


def generate():
    towns = read_towns()
    state = {t: Town(t) for t in towns}
    rows = []
    lower_bounds = 0
    for year in YEARS:
        cumulative = {(t, c): 0 for t in towns for c in YTD_FLOWS}
        yi = YEARS.index(year)
        for month in range(1, 13):
            period = "%04d-%02d" % (year, month)
            rows.append((COUNTY, period, "resident_basic_pension_std", {2020: "180", 2021: "190"}[year], ""))
            if (year, month) == (YEARS[0], 1):  # set once: a parameter holds until it changes
                rows.append((COUNTY, period, "resident_pension_age", str(RESIDENT_PENSION_AGE), ""))
            for t in towns:
                st = state[t]
                v = {}
                # -- employment
                v["urban_new_employment"] = draw(month_mean(ANNUAL["urban_new_employment"][yi], t, year, month))
                v["unemployed_reemployed"] = draw(month_mean(ANNUAL["unemployed_reemployed"][yi], t, year, month))
                v["hard_to_employ_employed"] = binom(v["unemployed_reemployed"], 280)
                # registered unemployed and urban employed (month-end stocks)
                drift = 0
                if year == 2020 and month in (2, 3, 4):
                    drift = st.registered_unemployed * 6 // 100  # COVID-19
                elif year == 2020 and month in (9, 10, 11, 12):
                    drift = -(st.registered_unemployed * 3 // 100)
                elif month == 3:
                    drift = st.registered_unemployed * 2 // 100  # after 春节
                elif month in (5, 6, 10, 11):
                    drift = -(st.registered_unemployed * 1 // 100)
                spread = max(1, st.registered_unemployed // 40)
                st.registered_unemployed = max(3, st.registered_unemployed + drift + rng.randrange(-spread, spread + 1))
                spread = max(1, st.urban_employed // 300)
                st.urban_employed += st.urban_employed // 800 + rng.randrange(-spread, spread + 1)
                v["registered_unemployed_eop"] = st.registered_unemployed
                v["urban_employed_eop"] = st.urban_employed
                loans = draw(month_mean(ANNUAL["loans"][yi], t, year, month))
                v["startup_guarantee_loan_amount"] = sum(rng.randrange(10, 61) * 50 for _ in range(loans))
                sessions = draw(month_mean(ANNUAL["job_fair_sessions"][yi], t, year, month))
                employers = sum(rng.randrange(6, 31) for _ in range(sessions))
                posts = sum(rng.randrange(3, 13) for _ in range(employers))
                intents = binom(posts, 110)
                qualifier = ""
                if posts >= 100 and rng.randrange(1000) < 70:
                    posts -= posts % 10  # "XXX多个": reported as a round lower bound
                    qualifier = "lower_bound"
                    lower_bounds += 1
                v["job_fair_sessions"], v["job_fair_employers"] = sessions, employers
                v["job_posts_offered"], v["job_match_intents"] = posts, intents
                training = draw(month_mean(ANNUAL["vocational_training"][yi], t, year, month))
                chef = binom(training, 150)
                housekeeping = binom(training - chef, 120)
                technician = binom(training - chef - housekeeping, LATE[month - 1] * 18 // 100)
                v["vocational_training"] = training
                v["training_yuecai_chef"] = chef
                v["training_nanyue_housekeeping"] = housekeeping
                v["training_guangdong_technician"] = technician
                v["new_skilled_talent"] = draw(month_mean(ANNUAL["new_skilled_talent"][yi], t, year, month, LATE))
                # -- subsidies: counts (人次 / 项) and amounts (分)
                total = 0
                persons = 0
                for name, annual in SUBSIDIES:
                    n = draw(month_mean(annual[yi], t, year, month))
                    amount = 0
                    for _ in range(n):
                        if name == "startup_grant":
                            amount += 1000000                                  # 10 000 元
                        elif name == "startup_rent":
                            amount += rng.randrange(6, 25) * 25000               # 250 元 x months
                        elif name == "grad_grassroots":
                            amount += 500000                                     # 5 000 元
                        elif name == "unemployed_living":
                            amount += 137600 * rng.randrange(1, 4)               # 80 % of 1 720 元 x months
                        elif name == "poor_labor_hiring":
                            amount += 500000                                     # 5 000 元 per person
                        elif name == "skill_upgrade":
                            amount += rng.choice((100000, 150000, 200000))       # by skill level
                        elif name == "grad_grassroots_post":
                            amount += rng.randrange(6, 13) * 86000               # 860 元 x months
                        elif name == "hard_to_employ_post":
                            amount += rng.randrange(3, 13) * 43050               # 430.50 元 x months
                        else:                                                    # startup_job_creation
                            jobs = rng.randrange(1, 6)
                            persons += jobs
                            amount += jobs * 200000                              # 2 000 元 per job created
                    if name != "startup_job_creation":
                        persons += n
                    v["subsidy_%s_count" % name] = n
                    v["subsidy_%s_amount" % name] = amount
                    total += amount
                if total and rng.randrange(3) == 0:
                    total += rng.randrange(1, 50) * 10000  # other subsidy types (e.g. social-insurance subsidies)
                v["subsidy_total_amount"] = total
                v["persons_supported"] = persons - binom(persons, 80)  # one person can get several subsidies
                # 就业专项资金 (0.01 万元 = 100 元 = 10 000 分): all subsidies paid + training subsidies
                v["employment_fund_spent"] = -(-total // 10000) + training * rng.randrange(800, 1500) // 100
                # -- graduates: the cohort that left school in July of this year (Jul-Dec) or last year (Jan-Jun)
                cohort_year, k = (year, month - 7) if month >= 7 else (year - 1, month + 5)
                people = st.cohort(cohort_year)
                reg = [p for p in people if p[0] <= k]
                v["unemployed_graduates"] = len(reg)
                v["grads_employed"] = sum(1 for p in reg if p[1] == "employed" and p[2] <= k)
                v["grads_further_study"] = sum(1 for p in reg if p[1] == "study" and p[2] <= k)
                v["grads_enlisted"] = sum(1 for p in reg if p[1] == "enlisted" and p[2] <= k)
                v["poor_grads"] = sum(1 for p in reg if p[3])
                # -- 见习 (four batches a year), 就业困难人员, 公益性岗位
                if month in (3, 6, 9, 12):
                    units = draw(ANNUAL["internship_units"][yi] * WEIGHT[t] // 4)
                else:
                    units = 0
                v["internship_units"] = units
                v["internship_posts"] = sum(rng.randrange(2, 9) for _ in range(units))
                certified = draw(month_mean(ANNUAL["hard_to_employ_certified"][yi], t, year, month))
                v["hard_to_employ_certified"] = certified
                v["hard_to_employ_flexible"] = binom(certified, 350)
                wposts = draw(month_mean(ANNUAL["public_welfare_posts"][yi], t, year, month))
                placed = binom(wposts, 880) + draw(100)  # a few posts are refilled
                hard = binom(placed, 600)
                v["public_welfare_posts"] = wposts
                v["public_welfare_placed"] = placed
                v["public_welfare_placed_hard"] = hard
                v["public_welfare_placed_poverty_exit"] = binom(placed - hard, 500)
                # -- social insurance
                for attr, growth in (("insured_pension", 25), ("insured_unemployment", 20), ("insured_work_injury", 22)):
                    cur = getattr(st, attr)
                    spread = max(1, cur // 500)
                    cur += cur * growth // 10000 + rng.randrange(-spread, spread + 1)
                    if year == 2020 and month in (2, 3):
                        cur -= cur // 200
                    setattr(st, attr, cur)
                    v[attr] = cur
                relief = 550 if year == 2020 and month >= 2 else 1000  # 2020 阶段性减免 of employer contributions
                v["collected_ent_pension"] = jitter(st.insured_pension * 420 * relief // 1000, 80) // 100
                v["collected_org_pension"] = jitter(14000000 * ORG_WEIGHT[t] // 1000, 60) // 100
                v["collected_unemployment"] = jitter(st.insured_unemployment * 38 * relief // 1000, 80) // 100
                v["collected_work_injury"] = jitter(st.insured_work_injury * 15 * relief // 1000, 80) // 100
                st.ent_pensioners += rng.randrange(0, 2 * WEIGHT[t] * 40 // 1000 + 2) - rng.randrange(0, WEIGHT[t] * 20 // 1000 + 2)
                st.org_pensioners += rng.randrange(0, 2 * ORG_WEIGHT[t] * 15 // 1000 + 2) - rng.randrange(0, ORG_WEIGHT[t] * 8 // 1000 + 2)
                spread = max(1, st.resident_recipients // 400)
                st.resident_recipients += st.resident_recipients // 1000 + rng.randrange(-spread, spread + 1)
                v["ent_pensioners"] = st.ent_pensioners
                v["org_pensioners"] = st.org_pensioners
                v["resident_pension_recipients"] = st.resident_recipients
                ent_avg = {2020: 2400, 2021: 2510}[year] if month >= 7 else {2020: 2290, 2021: 2400}[year]
                org_avg = {2020: 5800, 2021: 6000}[year] if month >= 7 else {2020: 5600, 2021: 5800}[year]
                ent_paid = st.ent_pensioners * ent_avg
                org_paid = st.org_pensioners * org_avg
                if month == 7:  # the annual increase is paid back to January in July
                    ent_paid += st.ent_pensioners * 110 * 6
                    org_paid += st.org_pensioners * 200 * 6
                std = {2020: 180, 2021: 190}[year]
                v["ent_pension_paid"] = jitter(ent_paid, 5) // 100
                v["org_pension_paid"] = jitter(org_paid, 5) // 100
                v["resident_pension_paid"] = st.resident_recipients * std * 112 // 100 // 100
                ui = draw(month_mean(ANNUAL["ui_benefit_person_times"][yi], t, year, month, (1000,) * 12))
                v["ui_benefit_person_times"] = ui
                v["ui_benefit_amount"] = sum(rng.randrange(1376, 1721) for _ in range(ui)) // 100
                wi = draw(month_mean(ANNUAL["wi_benefit_person_times"][yi], t, year, month, (1000,) * 12))
                v["wi_benefit_person_times"] = wi
                v["wi_benefit_amount"] = sum(rng.randrange(2000, 15001) for _ in range(wi)) // 100
                v["major_mass_incidents"] = 0

                assert set(v) == set(ORDER), set(v) ^ set(ORDER)
                for c in YTD_FLOWS:
                    cumulative[(t, c)] += v[c]
                if t == MISSING_TOWN and (year, month) == MISSING_MONTH:
                    continue  # the town's July report never arrived (its YTD figures catch up in August)
                for c in ORDER:
                    if c in YTD_FLOWS:
                        rows.append((t, "%04d-01..%s" % (year, period), c, str(cumulative[(t, c)]), ""))
                    else:
                        q = qualifier if c == "job_posts_offered" else ""
                        rows.append((t, period, c, fmt(c, v[c]), q))
    assert 3 <= lower_bounds <= 20, lower_bounds
    return rows


BUREAU_YEAR = 2021
# 黄羌镇 sends its July report late: its share of the July pension adjustment is in its August report.
ADJUST_MONTH = 7


def town_values(rows, code):
    """{(town, period): value} of one indicator from the rows written so far."""
    return {(r[0], r[1]): int(r[3]) for r in rows if r[2] == code}


def bureau_rows(rows, towns):
    """The county seed's sections 二-四 for 2021, drawn from a random generator of their own, so that the
    values above stay as they were: the 2021 pension adjustment and 社保卡 issue of each town, and the
    bureau's own work reported by the county itself (reported_at=county): the 机关事业单位养老保险 reform,
    社保经办, 好差评, 职称评审, 人才, 公开招聘, 岗位聘用, 调动, 劳动监察, 信访, 仲裁 and 工伤认定.

    Every value obeys the relations of indicators.csv and rules.txt: parts add up to their totals
    (岗位聘用, 调动, 处理案件, 职称 中级 + 初级), 其中 parts stay within their wholes, 重核 and 多缴退费 are complete,
    every 信访 item is closed on time and every 仲裁 case filed is closed within the time limit."""
    r2 = random.Random(SEED + 1)
    out = []
    ent = town_values(rows, "ent_pensioners")
    org = town_values(rows, "org_pensioners")
    year = BUREAU_YEAR
    # Towns: the 2021 pension adjustment (an increase per person and month, paid from July) and 社保卡.
    for month in range(1, 13):
        period = "%04d-%02d" % (year, month)
        for t in towns:
            if t == MISSING_TOWN and (year, month) == MISSING_MONTH:
                continue
            adjust = month == ADJUST_MONTH or (t == MISSING_TOWN and month == ADJUST_MONTH + 1)
            # those retired before 2021, hence fewer than the pensioners at any month end from then on
            ent_base = min(n for (tt, p), n in ent.items() if tt == t and p >= period)
            org_base = min(n for (tt, p), n in org.items() if tt == t and p >= period)
            ent_n = ent_base - r2.randrange(0, ent_base // 100 + 1) if adjust else 0
            org_n = org_base - r2.randrange(0, org_base // 100 + 1) if adjust else 0
            ent_inc = ent_n * r2.randrange(10600, 11400) + r2.randrange(100) if ent_n else 0   # 分 a month
            org_inc = org_n * r2.randrange(19000, 21500) + r2.randrange(100) if org_n else 0
            share = 800 + 14 * month + r2.randrange(0, 12)  # per mille of pensioners paid by 社保卡
            out.append((t, period, "ent_pension_adjusted", str(ent_n), ""))
            out.append((t, period, "ent_pension_increase", "%d.%02d" % divmod(ent_inc, 100), ""))
            out.append((t, period, "org_pension_adjusted", str(org_n), ""))
            out.append((t, period, "org_pension_increase", "%d.%02d" % divmod(org_inc, 100), ""))
            out.append((t, period, "ent_pensioners_sscard", str(ent[(t, period)] * share // 1000), ""))
            # 按时足额: no pension paid late or short (逾期或未足额发放, person-times) in any town or month
            out.append((t, period, "ent_pension_late", "0", ""))
            out.append((t, period, "org_pension_late", "0", ""))
    # The county bureau's own figures, every month of the year (flows 0 in a month without any).
    eligible, tenure_required = 64, 96
    for month in range(1, 13):
        v = {}
        v["pension_recheck_eligible"] = eligible
        v["pension_recheck_done"] = min(eligible, eligible * month // 9)
        v["deemed_tenure_required"] = tenure_required
        v["deemed_tenure_collected"] = min(91, tenure_required * month // 12)
        v["ent_to_org_pension_transfers"] = r2.randrange(1, 3) if month in (4, 6, 9) else 0
        v["overpaid_persons"] = r2.randrange(1, 3) if month in (3, 5, 8, 11) else 0
        v["overpaid_refunded"] = v["overpaid_persons"]
        retirees = r2.randrange(0, 3)
        v["new_method_retirees"] = retirees
        v["new_method_paid"] = 0 if month == 12 else retirees  # December's retirees are paid in January
        v["quick_service_items"] = 36 + month // 2
        v["online_service_items"] = 58 + month * 2 // 3
        v["delegated_service_items"] = 24 if month < 6 else 28
        reviews = 40 + r2.randrange(0, 40)
        v["service_reviews"] = reviews
        v["service_reviews_good"] = reviews - binom_r(r2, reviews, 12)
        titles = month == 11
        v["teacher_title_passed_mid"] = 36 if titles else 0
        v["teacher_title_passed_junior"] = 22 if titles else 0
        v["teacher_title_passed"] = v["teacher_title_passed_mid"] + v["teacher_title_passed_junior"]
        v["teacher_title_confirmed_mid"] = 12 if titles else 0
        v["teacher_title_confirmed_junior"] = 5 if titles else 0
        v["teacher_title_confirmed"] = v["teacher_title_confirmed_mid"] + v["teacher_title_confirmed_junior"]
        v["teacher_title_failed"] = 4 if titles else 0
        v["water_title_passed"] = 14 if month == 12 else 0
        v["water_title_confirmed"] = 11 if month == 12 else 0
        v["rural_craftsman_titles"] = 7 if month == 10 else 0
        v["graduates_recruited"] = binom_r(r2, 2, 400)
        applicants = binom_r(r2, 2, 350) if month >= 6 else 0
        v["talent_subsidy_applicants"] = applicants
        v["talent_subsidy_amount"] = sum(r2.randrange(30, 101) for _ in range(applicants))  # 0.01 万元
        v["public_recruitment_sessions"] = 1 if month in (3, 4, 6, 8, 9, 10, 11) else 0
        v["public_recruitment_posts"] = r2.randrange(20, 60) if v["public_recruitment_sessions"] else 0
        v["public_recruitment_hired"] = v["public_recruitment_posts"] * r2.randrange(50, 80) // 100
        v["public_recruitment_in_progress"] = 0 if month < 10 else 40  # "约40人": a round estimate
        v["directed_medical_grads"] = 6 if month == 12 else 0
        v["post_appointments_management"] = binom_r(r2, 2, 250)
        v["post_appointments_professional"] = binom_r(r2, 8, 500)
        v["post_appointments_support"] = binom_r(r2, 1, 300)
        v["post_appointments"] = sum(v["post_appointments_" + k] for k in ("management", "professional", "support"))
        v["staff_transfers_within"] = binom_r(r2, 6, 400)
        v["staff_transfers_in"] = binom_r(r2, 2, 250)
        v["staff_transfers_out"] = binom_r(r2, 3, 400)
        v["staff_transfers"] = sum(v["staff_transfers_" + k] for k in ("within", "in", "out"))
        complaints = binom_r(r2, 2, 350)
        v["wage_arrears_complaints"] = complaints
        v["wage_arrears_workers"] = sum(r2.randrange(2, 12) for _ in range(complaints))
        v["wage_arrears_amount"] = sum(r2.randrange(50, 400) for _ in range(v["wage_arrears_workers"]))  # 0.01 万元
        v["rectification_orders"] = binom_r(r2, complaints, 500)
        v["employers_referred_police"] = binom_r(r2, 3, 350)
        v["labor_petitions"] = binom_r(r2, 6, 500)
        v["platform_complaints"] = binom_r(r2, 4, 500)
        v["arrears_clues"] = binom_r(r2, 2, 300)
        v["petitions_closed_on_time"] = v["labor_petitions"] + v["platform_complaints"] + v["arrears_clues"]
        outside = binom_r(r2, 2, 350)
        filed = binom_r(r2, 2, 400)
        v["arbitration_mediated_outside"] = outside
        v["arbitration_filed"] = filed
        v["arbitration_cases"] = outside + filed
        v["arbitration_workers"] = sum(r2.randrange(1, 4) for _ in range(outside + filed))
        v["arbitration_amount"] = sum(r2.randrange(100, 900) for _ in range(outside + filed))  # 0.01 万元
        v["arbitration_closed"] = filed
        v["arbitration_closed_in_time"] = filed
        v["arbitration_mediated"] = outside + binom_r(r2, filed, 300)
        applications = binom_r(r2, 4, 400)
        v["wi_cert_applications"] = applications
        v["wi_cert_withdrawn"] = binom_r(r2, applications, 50)
        v["wi_cert_refused"] = binom_r(r2, applications - v["wi_cert_withdrawn"], 150)
        pending = 1 if month == 12 and applications > v["wi_cert_withdrawn"] + v["wi_cert_refused"] else 0
        v["wi_cert_recognised"] = applications - v["wi_cert_withdrawn"] - v["wi_cert_refused"] - pending
        period = "%04d-%02d" % (year, month)
        for c in BUREAU_ORDER:
            value = fmt_bureau(c, v[c])
            q = "approximate" if c == "public_recruitment_in_progress" and v[c] else ""
            out.append((COUNTY, period, c, value, q))
    return out


BUREAU_ORDER = [
    "pension_recheck_eligible", "pension_recheck_done", "deemed_tenure_required", "deemed_tenure_collected",
    "ent_to_org_pension_transfers", "overpaid_persons", "overpaid_refunded", "new_method_retirees",
    "new_method_paid", "quick_service_items", "online_service_items", "delegated_service_items",
    "service_reviews", "service_reviews_good", "teacher_title_passed", "teacher_title_passed_mid",
    "teacher_title_passed_junior", "teacher_title_confirmed", "teacher_title_confirmed_mid",
    "teacher_title_confirmed_junior", "teacher_title_failed", "water_title_passed", "water_title_confirmed",
    "rural_craftsman_titles", "graduates_recruited", "talent_subsidy_applicants", "talent_subsidy_amount",
    "public_recruitment_sessions", "public_recruitment_posts", "public_recruitment_hired",
    "public_recruitment_in_progress", "directed_medical_grads", "post_appointments",
    "post_appointments_management", "post_appointments_professional", "post_appointments_support",
    "staff_transfers", "staff_transfers_within", "staff_transfers_in", "staff_transfers_out",
    "wage_arrears_complaints", "wage_arrears_workers", "wage_arrears_amount", "rectification_orders",
    "employers_referred_police", "labor_petitions", "platform_complaints", "arrears_clues",
    "petitions_closed_on_time", "arbitration_cases", "arbitration_mediated_outside", "arbitration_filed",
    "arbitration_workers", "arbitration_amount", "arbitration_closed", "arbitration_closed_in_time",
    "arbitration_mediated", "wi_cert_applications", "wi_cert_recognised", "wi_cert_refused", "wi_cert_withdrawn",
]
BUREAU_CENTS = {"talent_subsidy_amount", "wage_arrears_amount", "arbitration_amount"}


def policy_rows():
    """The day 《海丰县“海纳英才”人才计划》 came out (the seed's 2021年X月X日…出台至今), from a generator of its
    own so that every value above stays as it was: a day of May 2021, before the talent subsidy applications
    that start in June. A parameter of unit 日期, set at the county in that month: from then on it holds at
    the county and, as their nearest ancestor's, at its towns."""
    r3 = random.Random(SEED + 2)
    day = datetime.date(BUREAU_YEAR, 5, 1) + datetime.timedelta(days=r3.randrange(31))
    return [(COUNTY, "%04d-%02d" % (day.year, day.month), "talent_policy_date", day.isoformat(), "")]


def outcome_rows(rows):
    """The 建档立卡毕业生 who found work or study (实现就业或升学) and those given employment services (落实就业服务),
    month-end stocks of every town and month that reports poor_grads, each at most poor_grads (its part_of), and
    the county's 见习单位 batches (认定批次: one in each of March, June, September and December, 0 otherwise) —
    from a generator of their own so that every value above stays as it was."""
    r4 = random.Random(SEED + 3)
    out = []
    for region, period, code, value, _ in rows:
        if code != "poor_grads":
            continue
        poor = int(value)
        placed = binom_r(r4, poor, 900)
        served = placed + binom_r(r4, poor - placed, 980)
        out.append((region, period, "poor_grads_placed", str(placed), ""))
        out.append((region, period, "poor_grads_served", str(served), ""))
    for year in YEARS:
        for month in range(1, 13):
            batch = 1 if month in (3, 6, 9, 12) else 0
            out.append((COUNTY, "%04d-%02d" % (year, month), "internship_batches", str(batch), ""))
    return out


def fmt_bureau(code, value):
    """A bureau value as written: 万元 amounts kept in 0.01 万元."""
    return "%d.%02d" % divmod(value, 100) if code in BUREAU_CENTS else str(value)


def binom_r(gen, n, per_mille):
    """How many of n succeed with probability per_mille/1000 each, drawn from gen."""
    return sum(1 for _ in range(n) if gen.randrange(1000) < per_mille)


def main():
    ap = argparse.ArgumentParser(description="Writes the county example's observations.csv.")
    ap.add_argument("--out", default=os.path.join(HERE, "observations.csv"))
    args = ap.parse_args()
    rows = generate()
    rows += bureau_rows(rows, read_towns())
    rows += policy_rows()
    rows += outcome_rows(rows)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("region,period,indicator,value,qualifier\n")
        for r in rows:
            f.write(",".join(r) + "\n")


if __name__ == "__main__":
    main()
