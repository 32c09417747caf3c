// The hand-worked 3-town / 2-county / 1-city example (tests/data/small): every number below was
// computed by hand from observations.csv, and the comments show the arithmetic.
#include <doctest/doctest.h>

#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <string>

using namespace zhibiao;

namespace {

model small_model() {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/small/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/small/indicators.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/small/observations.csv");
  m.rollup();
  return m;
}

std::string v(const model& m, const char* region, const char* per, const char* ind) {
  aggregate a = m.value(m.regions().require(region), period::parse(per), m.indicators().require(ind));
  return a.value ? a.value->to_string() : "—";
}

aggregate agg(const model& m, const char* region, const char* per, const char* ind) {
  return m.value(m.regions().require(region), period::parse(per), m.indicators().require(ind));
}

}  // namespace

TEST_CASE("rollup: flows sum over reporting towns, ytd sums the months, missing adds nothing") {
  model m = small_model();
  // a1: 10, 20, 30; a2: 5, —, 15; b1 reported cumulatively 7, 12, 20 → monthly 7, 5, 8.
  CHECK(v(m, "b1", "2021-02", "new_jobs") == "5");
  CHECK(v(m, "b1", "2021-03", "new_jobs") == "8");
  CHECK(v(m, "a2", "2021-02", "new_jobs") == "—");  // missing, not 0
  CHECK(v(m, "a2", "2021年1-2月", "new_jobs") == "5");
  // 甲县 A = a1 + a2: Jan 10+5 = 15, Feb 20 (a2 missing), Mar 30+15 = 45; ytd 15, 35, 80.
  CHECK(v(m, "A", "2021-01", "new_jobs") == "15");
  CHECK(v(m, "A", "2021-02", "new_jobs") == "20");
  CHECK(v(m, "A", "2021-03", "new_jobs") == "45");
  CHECK(v(m, "A", "2021-01..2021-03", "new_jobs") == "80");
  // City: Jan 15+7 = 22, Feb 20+5 = 25, Mar 45+8 = 53; ytd 22, 47, 100.
  CHECK(v(m, "C1", "2021-02", "new_jobs") == "25");
  CHECK(v(m, "C1", "2021年1-3月", "new_jobs") == "100");
  CHECK(v(m, "C1", "2021Q1", "new_jobs") == "100");
  // After March nothing is reported: the month is empty, the year-to-date stays 100.
  CHECK(v(m, "C1", "2021-04", "new_jobs") == "—");
  CHECK(v(m, "C1", "2021", "new_jobs") == "100");
  // Coverage: in February 2 of the city's 3 towns reported (a2 did not).
  aggregate feb = agg(m, "C1", "2021-02", "new_jobs");
  CHECK(feb.reporting == 2);
  CHECK(feb.expected == 3);
}

TEST_CASE("rollup: money keeps its decimals exactly") {
  model m = small_model();
  // 12.50 万元 in January (a1) and 3.25 万元 in February (b1): ytd 12.50, 15.75, 15.75.
  CHECK(v(m, "C1", "2021-01", "loan_amount") == "12.50");
  CHECK(v(m, "C1", "2021-01..2021-02", "loan_amount") == "15.75");
  CHECK(v(m, "C1", "2021-03", "loan_amount") == "—");
  CHECK(v(m, "C1", "2021-01..2021-03", "loan_amount") == "15.75");
  CHECK(v(m, "B", "2021-01..2021-01", "loan_amount") == "—");  // nothing reported yet: empty, not 0.00
  CHECK(m.reported_qualifier(m.regions().require("b1"), period::parse("2021-02"), m.indicators().require("loan_amount")) ==
        qualifier::approximate);
}

TEST_CASE("rollup: a stock takes each town's latest value, never a sum over months") {
  model m = small_model();
  // insured: a1 100, 110, —; a2 50, 55, 60; b1 80, 82, 85.
  // A in March: monthly only a2 reported → 60; 截至3月底 a1's latest (110) + a2 60 = 170.
  CHECK(v(m, "A", "2021-03", "insured") == "60");
  CHECK(agg(m, "A", "2021-03", "insured").reporting == 1);
  CHECK(v(m, "A", "2021-01..2021-03", "insured") == "170");
  CHECK(v(m, "A", "截至2021年3月底", "insured") == "170");
  // City: 110 + 60 + 85 = 255 at the end of March (a sum over months would be 732).
  CHECK(v(m, "C1", "2021-03-31", "insured") == "255");
  CHECK(v(m, "C1", "2021-02", "insured") == "247");  // 110 + 55 + 82
  CHECK(v(m, "C1", "2021Q1", "insured") == "255");    // latest within the quarter
}

TEST_CASE("rollup: a ratio is recomputed from summed parts, not averaged") {
  model m = small_model();
  // January: a1 30/(30+970) = 3.00 %, a2 10/(10+90) = 10.00 %, b1 2/(2+398) = 0.50 %.
  CHECK(v(m, "a1", "2021-01", "rate") == "3.00");
  CHECK(v(m, "a2", "2021-01", "rate") == "10.00");
  CHECK(v(m, "b1", "2021-01", "rate") == "0.50");
  // A = (30+10)/(30+10+970+90) = 40/1100 = 3.6363… → 3.64; the average of 3.00 and 10.00 would be 6.50.
  CHECK(v(m, "A", "2021-01", "rate") == "3.64");
  // City = 42/(42+1458) = 42/1500 = 2.80 %; the average of the three towns' rates would be 4.50.
  CHECK(v(m, "C1", "2021-01", "rate") == "2.80");
  // February: a1 reported only the numerator (31), a2 both (11, 89), b1 nothing.
  // A monthly = (31+11)/((31+11)+89) = 42/131 = 32.0610… → 32.06, with only a2 counted as reporting.
  CHECK(v(m, "A", "2021-02", "rate") == "32.06");
  CHECK(agg(m, "A", "2021-02", "rate").reporting == 1);
  // A 截至2月底: latest values: unemployed 31 + 11 = 42, employed 970 + 89 = 1059 → 42/1101 = 3.8147… → 3.81.
  CHECK(v(m, "A", "2021-01..2021-02", "rate") == "3.81");
  // City 截至2月底: (31+11+2)/((31+11+2)+(970+89+398)) = 44/1501 = 2.9313… → 2.93.
  CHECK(v(m, "C1", "2021-01..2021-02", "rate") == "2.93");
  // March: no part reported this month → empty monthly, but the 截至3月底 ratio still exists.
  CHECK(v(m, "C1", "2021-03", "rate") == "—");
  CHECK(v(m, "C1", "2021-01..2021-03", "rate") == "2.93");
}

TEST_CASE("rollup: the CSV rows of the county follow the pinned format") {
  model m = small_model();
  rollup_filter f;
  f.only_region = m.regions().require("A");
  f.only_period = period::parse("2021-02");
  f.only_level = level::county;
  CHECK(m.csv(f) ==
        "region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier\n"
        "A,2021-02,new_jobs,20,35,1,2,,\n"
        "A,2021-02,loan_amount,,12.50,0,2,,\n"
        "A,2021-02,insured,165,165,2,2,,\n"
        "A,2021-02,unemployed,42,42,2,2,,\n"
        "A,2021-02,employed,89,1059,1,2,,\n"
        "A,2021-02,rate,32.06,3.81,1,2,,\n");
  // Every region × 12 months × 6 indicators, plus the header: 6 × 12 × 6 + 1 lines.
  std::string all = m.csv();
  CHECK(std::count(all.begin(), all.end(), '\n') == 6 * 12 * 6 + 1);
}

TEST_CASE("rollup: explain shows the rule, each child's share and who is missing") {
  model m = small_model();
  region_id a = m.regions().require("A");
  explanation e = m.explain(a, period::parse("2021-02"), m.indicators().require("new_jobs"));
  REQUIRE(e.value.value);
  CHECK(e.value.value->to_string() == "20");
  REQUIRE(e.children.size() == 2);
  CHECK(m.regions()[e.children[0].region].code == "a1");
  CHECK(e.children[0].value.value->to_string() == "20");
  CHECK(m.regions()[e.children[1].region].code == "a2");
  CHECK_FALSE(e.children[1].value.value);
  REQUIRE(e.missing.size() == 1);
  CHECK(m.regions()[e.missing[0]].code == "a2");
  std::string text = m.explain_text(e);
  CHECK(text.find("甲县") != std::string::npos);
  CHECK(text.find("1 of 2") != std::string::npos);
  CHECK(text.find("a2 甲二镇") != std::string::npos);

  explanation r = m.explain(a, period::parse("2021-01"), m.indicators().require("rate"));
  REQUIRE(r.numerator);
  REQUIRE(r.denominator);
  CHECK(r.numerator->to_string() == "40");     // 30 + 10
  CHECK(r.denominator->to_string() == "1100");  // (30 + 10) + (970 + 90)
  CHECK(r.value.value->to_string() == "3.64");
  CHECK(m.explain_text(r).find("40 / 1100 × 100 = 3.64") != std::string::npos);
}

TEST_CASE("rollup: revising one town updates its ancestors exactly like a full roll-up") {
  model m = small_model();
  region_id a2 = m.regions().require("a2");
  // a2 reports February after all: 8 new jobs, and its stock of unemployed changes.
  m.set_value(a2, period::parse("2021-02"), m.indicators().require("new_jobs"), decimal::from_int(8));
  m.set_value(a2, period::parse("2021-02"), m.indicators().require("unemployed"), decimal::from_int(20));
  CHECK(v(m, "A", "2021-02", "new_jobs") == "28");
  CHECK(v(m, "C1", "2021年1-3月", "new_jobs") == "108");
  CHECK(agg(m, "C1", "2021-02", "new_jobs").reporting == 3);
  // A 截至2月底 rate = (31+20)/((31+20)+(970+89)) = 51/1110 = 4.5945… → 4.59.
  CHECK(v(m, "A", "2021-01..2021-02", "rate") == "4.59");
  // The incrementally updated model equals one rolled up from scratch.
  std::string incremental = m.csv();
  m.rollup();
  CHECK(m.csv() == incremental);
}

TEST_CASE("rollup: a revision that would overflow is refused and changes nothing") {
  model m = small_model();
  region_id a1 = m.regions().require("a1"), b1 = m.regions().require("b1");
  indicator_id loan = m.indicators().require("loan_amount");
  // 9·10^16 万元 at 2 decimals is 9·10^18 as a mantissa: it fits int64 alone, but not twice.
  m.set_value(a1, period::parse("2021-01"), loan, decimal::parse("90000000000000000"));
  const std::string before = m.csv();
  CHECK_THROWS_AS(m.set_value(b1, period::parse("2021-01"), loan, decimal::parse("90000000000000000")), overflow_error);
  CHECK(m.csv() == before);
  CHECK_FALSE(m.reported(b1, period::parse("2021-01"), loan));
  // All or nothing for several values: the first would fit, the second overflows.
  std::vector<model::value_update> two{{b1, period::parse("2021-05"), m.indicators().require("new_jobs"), decimal::from_int(7)},
                                       {b1, period::parse("2021-02"), loan, decimal::parse("90000000000000000")}};
  CHECK_THROWS_AS(m.set_values(two), overflow_error);
  CHECK(m.csv() == before);
  CHECK(m.observation_count() == 27);  // the 27 rows of observations.csv; a1 2021-01 was revised, not added
  m.rollup();
  CHECK(m.csv() == before);
}

TEST_CASE("rollup: the fused and the segmented passes agree") {
  model m = small_model();
  const std::string fused = m.csv();
  m.rollup(model::rollup_path::segmented);
  CHECK(m.csv() == fused);
}

TEST_CASE("rollup: 同比 and 环比 are computed, in 个百分点 for a ratio") {
  model m = small_model();
  // A second year: 2020 values for the same towns, so 2021 can be compared with them.
  m.load_observations_text("region,period,indicator,value\n"
                           "a1,2020-01,new_jobs,8\na2,2020-01,new_jobs,8\nb1,2020-01,new_jobs,4\n"
                           "a1,2020-01,unemployed,20\na1,2020-01,employed,980\n",
                           "2020.csv");
  m.rollup();
  indicator_id jobs = m.indicators().require("new_jobs"), rate = m.indicators().require("rate");
  region_id c1 = m.regions().require("C1"), a1 = m.regions().require("a1");
  // City January: 22 in 2021 against 20 in 2020: +2, growth 2/20 = 10.0 %.
  comparison y = m.year_on_year(c1, period::parse("2021-01"), jobs);
  REQUIRE(y.change);
  CHECK(y.change->to_string() == "2");
  CHECK(y.growth->to_string() == "10.0");
  CHECK(y.base_period.code() == "2020-01");
  // a1's rate: 3.00 % in January 2021 against 20/1000 = 2.00 % in 2020: +1.00 个百分点, no growth rate for a ratio.
  comparison r = m.year_on_year(a1, period::parse("2021-01"), rate);
  CHECK(r.change->to_string() == "1.00");
  CHECK_FALSE(r.growth);
  // 环比: February 25 against January 22 → +3, 3/22 = 13.636… → 13.6 %.
  comparison q = m.period_on_period(c1, period::parse("2021-02"), jobs);
  CHECK(q.base_period.code() == "2021-01");
  CHECK(q.change->to_string() == "3");
  CHECK(q.growth->to_string() == "13.6");
  // A base that is missing gives no change (never a comparison with 0).
  comparison none = m.year_on_year(c1, period::parse("2021-03"), jobs);
  CHECK_FALSE(none.change);
}
