// Spans across years and 累计 since a start, and stocks whose month-end value is carried from an earlier
// month: marked in coverage and explain, and no longer counted once older than the indicator's max_age.
//
// The data (甲县 K = towns t1 + t2):
//   jobs (flow)        t1: 2019-12 9, 2020-01 1, 2020-11 5, 2020-12 7, 2021-01 10, 2021-02 20
//                      t2: 2020-12 3, 2021-02 4
//   placed, applicants t1: 2020-12 1 / 4, 2021-01 3 / 6    (rate = placed / applicants × 100, 1 decimal)
//   insured (stock)    t1: 2021-01 100, 2021-03 120        t2: 2021-02 50
//   insured_q (stock, max_age 1: a month-end value stays current one month after its own)
//                      t1: 2021-01 100, 2021-03 120        t2: 2021-01 50
#include <zhibiao/checks.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/targets.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {

using namespace zhibiao;

const char* const indicators_csv =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of,max_age\n"
    "jobs,新增就业,人,flow,0,,,,,\nplaced,安置,人,flow,0,,,,,\napplicants,申请,人,flow,0,,,,,\n"
    "rate,安置率,%,ratio,1,placed,applicants,,,\ninsured,参保人数,人,stock,0,,,,,\ninsured_q,季报参保人数,人,stock,0,,,,,1\n";

model cross_model(model::rollup_path path = model::rollup_path::automatic) {
  model m;
  m.load_regions_text("code,name,level,parent\nK,甲县,county,\nt1,一镇,town,K\nt2,二镇,town,K\n", "regions.csv");
  m.load_indicators_text(indicators_csv, "indicators.csv");
  m.load_observations_text("region,period,indicator,value\n"
                           "t1,2019-12,jobs,9\nt1,2020-01,jobs,1\nt1,2020-11,jobs,5\nt1,2020-12,jobs,7\nt1,2021-01,jobs,10\n"
                           "t1,2021-02,jobs,20\nt2,2020-12,jobs,3\nt2,2021-02,jobs,4\n"
                           "t1,2020-12,placed,1\nt1,2020-12,applicants,4\nt1,2021-01,placed,3\nt1,2021-01,applicants,6\n"
                           "t1,2021-01,insured,100\nt1,2021-03,insured,120\nt2,2021-02,insured,50\n"
                           "t1,2021-01,insured_q,100\nt1,2021-03,insured_q,120\nt2,2021-01,insured_q,50\n",
                           "obs.csv");
  m.rollup(path);
  return m;
}

// "value (reporting/expected, carried)", "—" when missing.
std::string at(const model& m, const std::string& where, const std::string& p, const std::string& ind) {
  aggregate a = m.value(m.require_place(where), period::parse(p), m.indicators().require(ind));
  return (a.value ? a.value->to_string() : std::string("—")) + " (" + std::to_string(a.reporting) + "/" + std::to_string(a.expected) +
         ", " + std::to_string(a.carried) + ")";
}

}  // namespace

TEST_CASE("periods across years: codes, labels, arithmetic") {
  const period p = period::parse("2020-11..2021-02");
  CHECK(p.kind() == period_kind::span);
  CHECK(p.crosses_years());
  CHECK(p.first_year() == 2020);
  CHECK(p.year() == 2021);
  CHECK(p.first_month() == 11);
  CHECK(p.last_month() == 2);
  CHECK(p.month_count() == 4);
  CHECK(p.code() == "2020-11..2021-02");
  CHECK(p.label_zh() == "2020年11月至2021年2月");
  CHECK(p.months_label_zh() == "2020年11月至2021年2月");
  CHECK(p.span_label_zh() == "2020年11月至2021年2月");
  CHECK(period::parse(p.label_zh()) == p);
  CHECK(period::parse("2020年11月-2021年2月") == p);
  CHECK(period::months(2020, 11, 2021, 2) == p);
  CHECK(period::from_serials(p.first_serial(), p.serial()) == p);
  CHECK(p.contains(period::month(2020, 12)));
  CHECK(p.contains(period::month(2021, 2)));
  CHECK_FALSE(p.contains(period::month(2020, 10)));
  CHECK_FALSE(p.contains(period::month(2021, 3)));
  // 同比: the same four months a year earlier; 环比: the four months just before.
  CHECK(p.same_period_last_year().code() == "2019-11..2020-02");
  CHECK(p.previous().code() == "2020-07..2020-10");
  // A span within a year whose previous months reach into the year before: now a span across years.
  CHECK(period::parse("2021-02..2021-04").previous().code() == "2020-11..2021-01");
  // Within one year it is what it always was.
  CHECK(period::months(2021, 3, 2021, 11) == period::months(2021, 3, 11));
  CHECK_FALSE(period::parse("2021-03..2021-11").crosses_years());
  CHECK(period::parse("2019-01..2021-12").month_count() == 36);
  CHECK_THROWS_WITH(period::parse("2021-03..2020-01"), doctest::Contains("the span ends before it starts"));
  CHECK_THROWS_WITH(period::parse("2021年3月至2020年1月"), doctest::Contains("the span ends before it starts"));
  CHECK_THROWS_WITH(period::parse("2020年3月至2021年"), doctest::Contains("expected YYYY年A月至YYYY年B月"));
}

TEST_CASE("periods across years: a flow sums every month of every year, a ratio its parts, a stock its end") {
  model m = cross_model();
  // 2020-11..2021-02: t1 5 + 7 + 10 + 20, t2 3 + 4 = 49; coverage of 2021-02: both towns.
  CHECK(at(m, "K", "2020-11..2021-02", "jobs") == "49 (2/2, 0)");
  CHECK(at(m, "t2", "2020年11月至2021年2月", "jobs") == "7 (1/1, 0)");
  // 累计 since 2019-12 through 2021-02: 9 + 1 + 49 = 59.
  CHECK(at(m, "K", "2019-12..2021-02", "jobs") == "59 (2/2, 0)");
  // Rate over 2020-12..2021-01: (1 + 3) / (4 + 6) × 100 = 40.0; coverage of 2021-01: t1 has both parts.
  CHECK(at(m, "K", "2020-12..2021-01", "rate") == "40.0 (1/2, 0)");
  // A stock is its value at the span's end: 截至2021年3月底 = t1 120 + t2 50 (carried from February).
  CHECK(at(m, "K", "2020-12..2021-03", "insured") == "170 (1/2, 1)");
  // 同比 compares the same four months a year earlier: 2019-11..2020-02 = 9 + 1 = 10; (49 − 10) / 10 = 390.0%.
  comparison c = m.year_on_year(m.regions().require("K"), period::parse("2020-11..2021-02"), m.indicators().require("jobs"));
  REQUIRE(c.base.value);
  CHECK(c.base.value->to_string() == "10");
  CHECK(c.base_period.code() == "2019-11..2020-02");
  REQUIRE(c.growth);
  CHECK(c.growth->to_string() == "390.0");
  // 环比: 2020-07..2020-10 has nothing.
  comparison pp = m.period_on_period(m.regions().require("K"), period::parse("2020-11..2021-02"), m.indicators().require("jobs"));
  CHECK_FALSE(pp.base.value);
  CHECK_FALSE(pp.change);
}

TEST_CASE("stocks: a value carried from an earlier month is marked, and max_age ends it") {
  for (auto path : {model::rollup_path::automatic, model::rollup_path::segmented}) {
    CAPTURE(static_cast<int>(path));
    model m = cross_model(path);
    // insured (no max_age), as of March: t1 reported 120, t2's February 50 is carried.
    CHECK(at(m, "K", "2021-03-31", "insured") == "170 (1/2, 1)");
    CHECK(at(m, "K", "2021-01..2021-03", "insured") == "170 (1/2, 1)");
    // As of January only t1 had a value (reported then): nothing carried.
    CHECK(at(m, "K", "2021-01-31", "insured") == "100 (1/2, 0)");
    // insured_q, max_age 1. End of February: both January values are one month old, still current.
    CHECK(at(m, "K", "2021-02-28", "insured_q") == "150 (0/2, 2)");
    // End of March: t1 reported 120; t2's January value is two months old: no longer counted.
    CHECK(at(m, "K", "2021-03-31", "insured_q") == "120 (1/2, 0)");
    CHECK(at(m, "t2", "2021-03-31", "insured_q") == "— (0/1, 0)");
    // End of April: t1's March value, one month old.
    CHECK(at(m, "K", "2021-04-30", "insured_q") == "120 (0/2, 1)");
    // End of May: every value is too old — missing, never the stale sum.
    CHECK(at(m, "K", "2021-05-31", "insured_q") == "— (0/2, 0)");
    // A quarter of a stock is its last month-end value within the quarter, current at the quarter's end.
    CHECK(at(m, "K", "2021Q1", "insured_q") == "120 (1/2, 0)");
    CHECK(at(m, "K", "2021Q1", "insured") == "170 (1/2, 1)");
    // The month's own values are not affected.
    CHECK(at(m, "K", "2021-01", "insured_q") == "150 (2/2, 0)");
  }
}

TEST_CASE("stocks: both roll-up paths and revisions agree on max_age") {
  model a = cross_model(model::rollup_path::automatic), b = cross_model(model::rollup_path::segmented);
  CHECK(a.csv() == b.csv());
  // t2 reports 60 for February: as of March it is one month old, so counted: 120 + 60 = 180, one carried.
  const indicator_id q = a.indicators().require("insured_q");
  a.set_value(a.regions().require("t2"), period::month(2021, 2), q, decimal::parse("60"));
  CHECK(at(a, "K", "2021-03-31", "insured_q") == "180 (1/2, 1)");
  b.set_value(b.regions().require("t2"), period::month(2021, 2), q, decimal::parse("60"));
  b.rollup();
  CHECK(a.csv() == b.csv());
  a.clear_value(a.regions().require("t2"), period::month(2021, 2), q);
  CHECK(at(a, "K", "2021-03-31", "insured_q") == "120 (1/2, 0)");
}

TEST_CASE("stocks: explain names the carried values and their months") {
  model m = cross_model();
  explanation e = m.explain(m.regions().require("K"), period::as_of(2021, 3), m.indicators().require("insured"));
  REQUIRE(e.carried.size() == 1);
  CHECK(m.regions()[e.carried[0].first].code == "t2");
  CHECK(e.carried[0].second == 2);
  const std::string text = m.explain_text(e);
  CHECK(text.find("coverage: 1 of 2 leaves reported 2021-03; 1 more carried from an earlier month") != std::string::npos);
  CHECK(text.find("carried from an earlier month (not reported for 2021-03): t2 二镇 (2021-02)") != std::string::npos);
  // Nothing carried: no such line.
  CHECK(m.explain_text(m.explain(m.regions().require("K"), period::as_of(2021, 1), m.indicators().require("insured"))).find("carried") ==
        std::string::npos);
}

TEST_CASE("max_age: only on stocks, 0..11 months") {
  auto load = [](const std::string& row) {
    model m;
    m.load_indicators_text(std::string("code,name,unit,kind,decimals,numerator,denominator,factor,part_of,max_age\n") + row, "ind.csv");
  };
  CHECK_THROWS_WITH(load("jobs,新增就业,人,flow,0,,,,,2\n"), doctest::Contains("ind.csv:2"));
  CHECK_THROWS_WITH(load("jobs,新增就业,人,flow,0,,,,,2\n"), doctest::Contains("max_age is for stocks"));
  CHECK_THROWS_WITH(load("s,参保,人,stock,0,,,,,12\n"), doctest::Contains("max_age must be a whole number of months 0..11, not '12'"));
  CHECK_THROWS_WITH(load("s,参保,人,stock,0,,,,,x\n"), doctest::Contains("not 'x'"));
  CHECK_NOTHROW(load("s,参保,人,stock,0,,,,,0\n"));
}

TEST_CASE("templates: ~start asks for the months since then, a span across years") {
  model m = cross_model();
  const region_id k = m.regions().require("K");
  report_result r = render_report(m, "自{period~2020-11}，累计新增就业{jobs~2020-11}人，去年以来{jobs~2020}人；"
                                     "{#if jobs~2020-11 > 48}多于48{#else}不多于48{/if}。",
                                  k, period::month(2021, 2), {});
  // Since 2020-11: 49; since 2020 (its first month, January): 1 + 5 + 7 + 3 + 10 + 20 + 4 = 50.
  CHECK(r.text == "自2020年11月至2021年2月，累计新增就业49人，去年以来50人；多于48。");
  CHECK_THROWS_WITH(render_report(m, "{jobs~2021-03}", k, period::month(2021, 2), {}), doctest::Contains("starts after the report period"));
  CHECK_THROWS_WITH(render_report(m, "{jobs~2021-13}", k, period::month(2021, 2), {}), doctest::Contains("'~2021-13'"));
  // A carried stock is not presented as current: the report lists it.
  report_result s = render_report(m, "{insured_q}", k, period::as_of(2021, 2), {});
  CHECK(s.text == "150");
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].find("carried: 2 of 2 values are an earlier month's end") != std::string::npos);
}

TEST_CASE("targets: a target's period lies within one year") {
  model m = cross_model();
  CHECK_THROWS_WITH(parse_targets("region,indicator,period,kind,value\nK,jobs,2020-11..2021-02,floor,10\n", "targets.csv", m),
                    doctest::Contains("targets.csv:2"));
  CHECK_THROWS_WITH(parse_targets("region,indicator,period,kind,value\nK,jobs,2020-11..2021-02,floor,10\n", "targets.csv", m),
                    doctest::Contains("a target's period lies within one year; 2020-11..2021-02 spans several"));
}
