// Day dates (unit 日期): parsing, day numbers, the parameter in force across years, every text edge, and the
// uses that are refused. On tests/data/dates (see its README):
//   甲市 C ⊃ {甲县 K ⊃ {一镇 t1, 二镇 t2}, 乙县 L ⊃ {三镇 u1}}
//   policy_date: K 2020-11-05 (set 2020-11), L 2021-04-30 (set 2021-04); C never → t1, t2 read K's, u1 L's
//   provincial_pooling_from: C 2022-01-01 (set 2021-09, written 2022年1月1日)
// Day numbers are days since 1970-01-01: 2021-01-01 is 51 × 365 + 13 leap days (1972 … 2020) = 18628;
// 2021-05-12 = 18628 + 31 + 28 + 31 + 30 + 11 = 18759; 2020-01-01 = 18628 − 366 = 18262,
// 2020-11-05 = 18262 + 305 (Jan–Oct of a leap year) + 4 = 18571; 2022-01-01 = 18628 + 365 = 18993;
// 2021-04-30 = 18628 + 31 + 28 + 31 + 29 = 18747.
#include "support.hpp"

#include <doctest/doctest.h>

#include <zhibiao/checks.hpp>
#include <zhibiao/date.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/table.hpp>
#include <zhibiao/targets.hpp>

#include <optional>
#include <string>

using namespace zhibiao;
using zhibiao_test::load_failure;

namespace {

model dates_model() {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/dates/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/dates/indicators.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/dates/observations.csv");
  m.rollup();
  return m;
}

std::optional<std::int64_t> day_at(const model& m, const char* region, const period& p, const char* code) {
  aggregate a = m.value(m.regions().require(region), p, m.indicators().require(code));
  if (!a.value) return std::nullopt;
  return a.value->to_scaled_int64(0);
}

std::string render(const model& m, std::string_view tmpl, const char* region, const period& p) {
  return render_report(m, tmpl, m.regions().require(region), p, {}).text;
}

// The parse error a template raises, as "line:column: reason".
std::string template_error(const model& m, std::string_view tmpl) {
  try {
    render(m, tmpl, "K", period::year(2021));
  } catch (const load_error& e) {
    CHECK(e.code() == errc::parse);
    return std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + ": " + e.reason();
  }
  FAIL("expected a parse error");
  return {};
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

const char* const regions_csv = "code,name,level,parent\nC,甲市,city,\nK,甲县,county,C\n";

}  // namespace

TEST_CASE("dates: ISO and Chinese text to day numbers and back") {
  CHECK(parse_date("1970-01-01") == 0);
  CHECK(parse_date("2021-05-12") == 18759);
  CHECK(parse_date("2021年5月12日") == 18759);
  CHECK(parse_date("2021年05月12日") == 18759);
  CHECK(parse_date("2020-11-05") == 18571);
  CHECK(parse_date("2022-01-01") == 18993);
  CHECK(parse_date("1900-01-01") == first_day);
  CHECK(parse_date("2200-12-31") == last_day);
  CHECK(date_iso(18759) == "2021-05-12");
  CHECK(date_zh(18759) == "2021年5月12日");
  CHECK(date_month_day_zh(18759) == "5月12日");
  CHECK(date_iso(first_day) == "1900-01-01");
  CHECK(date_iso(last_day) == "2200-12-31");
  // Leap years: 2020 and 2000 have 29 February, 2021 and 1900 (a century not divisible by 400) do not.
  CHECK(parse_date("2020-02-29") == 18262 + 31 + 28);
  CHECK(parse_date("2000-02-29") == 10957 + 31 + 28);  // 2000-01-01: 30 × 365 + 7 leap days (1972 … 1996) = 10957
  CHECK(date_iso(parse_date("2000-02-29")) == "2000-02-29");
  CHECK(day_number(2021, 2, 29) == std::nullopt);
  CHECK(day_number(1900, 2, 29) == std::nullopt);
  CHECK(day_number(2021, 4, 31) == std::nullopt);
  CHECK(day_number(2021, 13, 1) == std::nullopt);
  CHECK(day_number(1899, 12, 31) == std::nullopt);
  CHECK(day_number(2201, 1, 1) == std::nullopt);
  CHECK(valid_day(0));
  CHECK_FALSE(valid_day(last_day + 1));
}

TEST_CASE("dates: a bad date says why") {
  auto reason = [](std::string_view text) {
    try {
      parse_date(text);
    } catch (const parse_error& e) {
      return e.reason();
    }
    FAIL("expected a parse_error for " << std::string(text));
    return std::string();
  };
  CHECK(reason("2021-02-30") == "there is no day 30 in 2021年2月 (it has 28 days)");
  CHECK(reason("2020-02-30") == "there is no day 30 in 2020年2月 (it has 29 days)");
  CHECK(reason("2021-13-01") == "there is no month 13");
  CHECK(reason("1899-12-31") == "the year is outside 1900–2200");
  CHECK(has(reason("18759"), "a number where a date is expected"));
  CHECK(has(reason("2021.5"), "a number where a date is expected"));
  CHECK(has(reason("2021-5-12"), "not a date"));
  CHECK(has(reason("2021-05-12 "), "not a date"));
  CHECK(has(reason("二〇二一年五月"), "not a date"));
  CHECK(has(reason(""), "not a date"));
}

TEST_CASE("dates: unit 日期 is for parameters with 0 decimals, a load error at indicators.csv:line:field") {
  model m;
  auto e = load_failure([&] { m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                                                     "d,出台日期,日期,flow,0,,,,\n", "indicators.csv"); });
  CHECK_LOAD_AT(e, 2, 3, "unit 日期 (a day date) is for parameter indicators only, not a flow");
  CHECK(e.where().file == "indicators.csv");
  CHECK(e.where().field == "unit");
  e = load_failure([&] { m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                                                "j,就业,人,flow,0,,,,\nd,出台日期,日期,stock,0,,,,\n", "indicators.csv"); });
  CHECK_LOAD_AT(e, 3, 3, "not a stock");
  e = load_failure([&] { m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                                                "d,出台日期,日期,parameter,2,,,,\n", "indicators.csv"); });
  CHECK_LOAD_AT(e, 2, 5, "its decimals must be 0, not 2");
  CHECK(find_unit("日期")->dim == dimension::date);
  CHECK(dimension_name(dimension::date) == "date");
}

TEST_CASE("dates: a date parameter holds from its month on, across a year, at the region and below") {
  model m = dates_model();
  // Set at 甲县 in November 2020: in force there and at its towns through 2021 (no other value).
  CHECK(day_at(m, "K", period::month(2020, 10), "policy_date") == std::nullopt);
  CHECK(day_at(m, "K", period::month(2020, 11), "policy_date") == 18571);
  CHECK(day_at(m, "K", period::year(2021), "policy_date") == 18571);
  CHECK(day_at(m, "t2", period::month(2021, 2), "policy_date") == 18571);
  // 乙县 sets its own in April 2021; 甲市 has none, so before April 乙县 and 三镇 have no value.
  CHECK(day_at(m, "L", period::month(2021, 3), "policy_date") == std::nullopt);
  CHECK(day_at(m, "u1", period::month(2021, 4), "policy_date") == 18747);
  CHECK(day_at(m, "C", period::year(2021), "policy_date") == std::nullopt);
  // 2022年1月1日 set at 甲市 in September 2021: present for 1-9月, not for 1-8月; its counties inherit it.
  CHECK(day_at(m, "C", period::year_to_date(2021, 8), "provincial_pooling_from") == std::nullopt);
  CHECK(day_at(m, "C", period::year_to_date(2021, 9), "provincial_pooling_from") == 18993);
  CHECK(day_at(m, "u1", period::year(2021), "provincial_pooling_from") == 18993);
}

TEST_CASE("dates: observations accept a date only, and a bad one is an error at file:line:field that loses nothing") {
  model m = dates_model();
  const char* header = "region,period,indicator,value,qualifier\n";
  auto bad = [&](const std::string& row) {
    return load_failure([&] { m.load_observations_text(std::string(header) + "t1,2021-05,jobs,3,\n" + row + "\n", "obs.csv"); });
  };
  auto e = bad("C,2021-02,policy_date,2021-02-30,");
  CHECK_LOAD_AT(e, 3, 4, "'2021-02-30': there is no day 30 in 2021年2月 (it has 28 days) ('policy_date' is a date, 日期)");
  CHECK(e.where().file == "obs.csv");
  CHECK(e.where().field == "value");
  e = bad("C,2021-02,policy_date,18759,");
  CHECK_LOAD_AT(e, 3, 4, "a number where a date is expected");
  e = bad("C,2021-02,policy_date,下月,");
  CHECK_LOAD_AT(e, 3, 4, "not a date (expected 2021-05-12 or 2021年5月12日)");
  e = bad("C,2021-02,policy_date,2021-02-01,approximate");
  CHECK_LOAD_AT(e, 3, 5, "a day has no qualifier");
  // A date where a number is expected is the ordinary bad-number error.
  e = bad("C,2021-02,min_wage,2021-02-01,");
  CHECK(e.where().column == 4);
  // All or nothing: the good row before the bad one is not kept, and what was loaded stays.
  CHECK_FALSE(m.value(m.regions().require("t1"), period::month(2021, 5), m.indicators().require("jobs")).value);
  CHECK(day_at(m, "K", period::year(2021), "policy_date") == 18571);
  CHECK(m.value(m.regions().require("t1"), period::month(2021, 1), m.indicators().require("jobs")).value->to_string() == "10");
}

TEST_CASE("dates: set_value takes the day number; one outside 1900–2200 is refused") {
  model m = dates_model();
  const indicator_id d = m.indicators().require("policy_date");
  m.set_value(m.regions().require("C"), period::month(2021, 1), d, decimal::parse("18759"));
  CHECK(day_at(m, "C", period::year(2021), "policy_date") == 18759);
  CHECK_THROWS_AS(m.set_value(m.regions().require("C"), period::month(2021, 2), d, decimal::parse("84371")), error);
  CHECK_THROWS_AS(m.set_value(m.regions().require("C"), period::month(2021, 2), d, decimal::parse("18759.5")), error);
}

TEST_CASE("dates: {code} renders 2021年5月12日, {code:md} 5月12日, and :present tests it") {
  model m = dates_model();
  CHECK(render(m, "{policy_date}我县《人才计划》出台至今", "K", period::year(2021)) == "2020年11月5日我县《人才计划》出台至今");
  CHECK(render(m, "{policy_date:md}", "t1", period::year(2021)) == "11月5日");
  CHECK(render(m, "推进失业保险基金{provincial_pooling_from}起实施省级统筹", "C", period::year(2021)) ==
        "推进失业保险基金2022年1月1日起实施省级统筹");
  const std::string tmpl = "{#if policy_date:present}{policy_date}出台{#else}尚未出台{/if}";
  CHECK(render(m, tmpl, "L", period::month(2021, 3)) == "尚未出台");
  CHECK(render(m, tmpl, "L", period::year_to_date(2021, 4)) == "2021年4月30日出台");
  // A missing date is — with a warning, never a made-up day.
  report_result r = render_report(m, "{policy_date}", m.regions().require("C"), period::year(2021), {});
  CHECK(r.text == "—");
  REQUIRE(r.warnings.size() == 1);
  CHECK(has(r.warnings[0], "{policy_date}: no value"));
}

TEST_CASE("dates: 同比, growth, conversion, decimals and comparisons on a date are parse errors at line:column") {
  model m = dates_model();
  CHECK(template_error(m, "出台\n{policy_date:yoy}") ==
        "2:1: 'policy_date' is a date (日期): write {policy_date} (2021年5月12日) or {policy_date:md} (5月12日), not {policy_date:yoy}");
  CHECK(has(template_error(m, "{policy_date:growth}"), "1:1: 'policy_date' is a date"));
  CHECK(has(template_error(m, "{policy_date:to}"), "not {policy_date:to}"));
  CHECK(has(template_error(m, "{policy_date:万元}"), "not {policy_date:万元}"));
  CHECK(has(template_error(m, "{policy_date:plain:2}"), "not {policy_date:plain:2}"));
  CHECK(has(template_error(m, "{policy_date:rank}"), "not {policy_date:rank}"));
  CHECK(template_error(m, "ab{#if policy_date > 3}x{/if}") ==
        "1:3: 'policy_date' is a date (日期): it is not compared with a number (test policy_date:present)");
  // Also inside a branch the data does not take.
  CHECK(has(template_error(m, "{#if jobs:present and not jobs:present}{policy_date:yoy}{/if}"), "is a date"));
}

TEST_CASE("dates: no target, rule or 同比 on a date") {
  model m = dates_model();
  auto e = load_failure([&] {
    parse_targets("region,indicator,period,kind,value\nK,policy_date,2021,floor,18759\n", "targets.csv", m);
  });
  CHECK_LOAD_AT(e, 2, 2, "'policy_date' is a date (日期)");
  e = load_failure([&] { rule_set::parse("before | warning | policy_date >= 1\n", "rules.txt", m.indicators()); });
  CHECK(e.where().line == 1);
  CHECK(has(e.reason(), "'policy_date' is a date (日期): a rule computes with numbers, not days"));
  CHECK_THROWS_AS(m.year_on_year(m.regions().require("K"), period::year(2021), m.indicators().require("policy_date")), error);
}

TEST_CASE("dates: explain and the 报表 write the day as 2021-05-12") {
  model m = dates_model();
  const std::string text = m.explain_text(m.explain(m.regions().require("t1"), period::year(2021), m.indicators().require("policy_date")));
  CHECK(has(text, "(policy_date) = 2020-11-05 日期"));
  table_options opt;
  opt.indicators = {m.indicators().require("policy_date")};
  table_sheet s = build_table(m, m.regions().require("C"), period::year(2021), {}, opt);
  std::string cells;
  for (const table_row& row : s.rows)
    for (const table_cell& c : row.cells) cells += c.text + "|";
  CHECK(has(cells, "2020-11-05|"));  // 甲县
  CHECK(has(cells, "2021-04-30|"));  // 乙县
  CHECK_FALSE(has(cells, "18571"));
}

TEST_CASE("dates: a date set two years earlier, in the Chinese form, is still in force") {
  model m;
  m.load_regions_text(regions_csv);
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\nd,出台日期,日期,parameter,0,,,,\n"
                         "j,就业,人,flow,0,,,,\n");
  m.load_observations_text("region,period,indicator,value\nK,2019-03,d,2019年3月8日\n");
  m.rollup();
  CHECK(m.value(m.regions().require("K"), period::year(2021), m.indicators().require("d")).value->to_string() ==
        std::to_string(*day_number(2019, 3, 8)));
}
