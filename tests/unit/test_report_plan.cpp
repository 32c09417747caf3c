// Templates that say what a 工作总结 says beyond the report period's own numbers: a span with its own end and
// its label as the seed dates it, a later year's targets (the plan year) with their deadlines, a parameter in
// 岁, and 按时足额 from zero targets on pensions paid late or short. Expected values are worked out by hand.
//
// The data (丁县 D = towns d1 + d2):
//   jobs (flow, 人)        d1: 5 in March, 6 in April, 7 in November, 8 in December;  d2: 10 in May
//   funded / due (stocks)  d1 in December: 45 / 100 → progress 45.0 %
//   allocated / retained   d1 in December: 80 / 100 → alloc 80.0 %
//   age (parameter, 岁)    D: 60, set once in January 2020
//   late (flow, 人次)      d1, d2: 0 in June; the bad year: d2 3 in June
#include <zhibiao/checks.hpp>
#include <zhibiao/report.hpp>

#include <doctest/doctest.h>

#include "support.hpp"

#include <string>

using namespace zhibiao;

namespace {

const char* regions = "code,name,level,parent\nD,丁县,county,\nd1,丁一镇,town,D\nd2,丁二镇,town,D\n";
const char* indicators =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
    "funded,已做实,万元,stock,2,,,,\n"
    "due,应做实,万元,stock,2,,,,\n"
    "progress,做实进度,%,ratio,1,funded,due,100,\n"
    "allocated,已分配,万元,stock,2,,,,\n"
    "retained,留存资金,万元,stock,2,,,,\n"
    "alloc,分配到人比例,%,ratio,1,allocated,retained,100,\n"
    "age,待遇领取年龄,岁,parameter,0,,,,\n"
    "late,逾期或未足额发放,人次,flow,0,,,,\n"
    "jobs,城镇新增就业,人,flow,0,,,,\n";

std::string observations(int late_d2) {
  return "region,period,indicator,value\n"
         "D,2020-01,age,60\n"
         "d1,2021-03,jobs,5\nd1,2021-04,jobs,6\nd2,2021-05,jobs,10\nd1,2021-11,jobs,7\nd1,2021-12,jobs,8\n"
         "d1,2021-12,funded,45\nd1,2021-12,due,100\nd1,2021-12,allocated,80\nd1,2021-12,retained,100\n"
         "d1,2021-06,late,0\nd2,2021-06,late," +
         std::to_string(late_d2) + "\n";
}

// 2021's own targets, and the plan year's: 做实进度 70 % by June 2022, 分配到人 `alloc_2022` % by September 2022.
std::string targets(const std::string& alloc_2022 = "100") {
  return "region,indicator,period,kind,value\n"
         "D,progress,2021,floor,40\n"
         "D,progress,2022-01..2022-06,floor,70\n"
         "D,alloc,2022-01..2022-09,floor," +
         alloc_2022 + "\nD,late,2021,zero,0\n";
}

model make(int late_d2 = 0) {
  model m;
  m.load_regions_text(regions);
  m.load_indicators_text(indicators);
  m.load_observations_text(observations(late_d2));
  m.rollup();
  return m;
}

report_result render_full(const model& m, const std::string& tmpl, const period& p = period::year(2021),
                          const std::string& ts = targets()) {
  return render_report(m, tmpl, m.regions().require("D"), p, parse_targets(ts, "targets.csv", m), "r.tmpl");
}

std::string render(const model& m, const std::string& tmpl, const period& p = period::year(2021), const std::string& ts = targets()) {
  return render_full(m, tmpl, p, ts).text;
}

std::string template_error(const model& m, const std::string& tmpl, const period& p = period::year(2021)) {
  return zhibiao_test::load_failure([&] { render(m, tmpl, p); }).what();
}

}  // namespace

TEST_CASE("report plan: ~START..END is a span with its own end, whatever the report period's end") {
  model m = make();
  // March to November: 5 + 6 + 10 + 7 = 28; from March through the report's December: 28 + 8 = 36.
  CHECK(render(m, "{jobs~2021-03..2021-11}/{jobs~2021-03}") == "28/36");
  // The same span in a report for 1-11月 and in a condition.
  CHECK(render(m, "{jobs~2021-03..2021-11}", period::year_to_date(2021, 11)) == "28");
  CHECK(render(m, "{#if jobs~2021-03..2021-11 == 28}是{#else}否{/if}") == "是");
  // A span that ends after the report period would speak of months not yet reported: refused at its '{'.
  CHECK(template_error(m, "前{jobs~2021-03..2021-11}", period::year_to_date(2021, 9)).find(
            "r.tmpl:1:2: '~2021-03..2021-11' ends after the report period 2021-01..2021-09 ends") != std::string::npos);
  CHECK(template_error(m, "{period~2021-03..2022-01}").find("ends after the report period 2021 ends") != std::string::npos);
  CHECK(template_error(m, "{jobs~2021-03..2021-02}").find("the span ends before it starts") != std::string::npos);
  CHECK(template_error(m, "{jobs~2022-01..2022-02}").find("starts after the report period 2021 ends") != std::string::npos);
}

TEST_CASE("report plan: a span's label takes the period modifiers, and :dated gives each end its year") {
  model m = make();
  CHECK(render(m, "{period~2021-03..2021-11}") == "2021年3-11月");
  CHECK(render(m, "{period~2021-03..2021-11:months}|{period~2021-03..2021-11:span}|{period~2021-03..2021-11:year}") ==
        "3-11月|3月至11月|2021年");
  // The county seed's form: 2021年3月至2021年12月; and the year once, then the months: 2021年3月至12月.
  CHECK(render(m, "{period~2021-03:dated}") == "2021年3月至2021年12月");
  CHECK(render(m, "{period~2021-03:year}{period~2021-03:span}") == "2021年3月至12月");
  CHECK(render(m, "{period:dated}") == "2021年1月至2021年12月");
  CHECK(render(m, "{period~2021-05..2021-05:dated}") == "2021年5月");  // one month has one end
  CHECK(render(m, "{period~2020-11..2021-02:dated}") == "2020年11月至2021年2月");
  CHECK(render(m, "{period~2021-03:asof}") == "截至12月底");
  CHECK(template_error(m, "{period~2021-03:dates}").find("expected year, months, span, dated or asof") != std::string::npos);
}

TEST_CASE("report plan: :target:YEAR and :deadline:YEAR read a later year's target, the deadline with its year") {
  model m = make();
  // The report year's target and deadline as before; the plan year's by number or as `next` (2021 + 1).
  CHECK(render(m, "{progress:target}，{progress:deadline}") == "40，年底前");
  CHECK(render(m, "{progress:deadline:2022}做实进度达{progress:target:2022}%") == "2022年6月底前做实进度达70%");
  CHECK(render(m, "{progress:deadline:next}做实进度达{progress:target:next}%") == "2022年6月底前做实进度达70%");
  CHECK(render(m, "{alloc:deadline:next}") == "2022年9月底前");
  CHECK(render(m, "{progress:deadline:2021}") == "2021年底前");  // a year named is a year written
  CHECK(render(m, "{progress:target:2022:1}|{progress:target:1}") == "70.0|40.0");  // then decimals
  // 2023 has no target: missing, with the year in the warning.
  report_result none = render_full(m, "{progress:target:2023}");
  CHECK(none.text == "—");
  REQUIRE(none.warnings.size() == 1);
  CHECK(none.warnings[0].find("no target for 2023") != std::string::npos);
  CHECK(template_error(m, "{progress:deadline:1}").find("a deadline takes a year, not decimals") != std::string::npos);
  CHECK(template_error(m, "{progress:completion:2022}").find("a year goes with :target or :deadline") != std::string::npos);
}

TEST_CASE("report plan: a condition compares a year's target, so 全部 is written only for a 100 % target") {
  model m = make();
  const std::string tmpl =
      "{alloc:deadline:next}{#if alloc:target:next >= 100}全部分配到人{#else}分配到人比例达{alloc:target:next}%{/if}";
  CHECK(render(m, tmpl) == "2022年9月底前全部分配到人");
  CHECK(render(m, tmpl, period::year(2021), targets("95")) == "2022年9月底前分配到人比例达95%");
  // The report year's target (40) and a year without one: a missing target satisfies no comparison.
  CHECK(render(m, "{#if progress:target == 40}四十{/if}{#if progress:target:2023 >= 0}有{#else}无{/if}") == "四十无");
}

TEST_CASE("report plan: a target for a year with no data yet loads, is not judged before it begins, and is missing in it") {
  model m = make();
  const std::vector<target> ts = parse_targets(targets(), "targets.csv", m);
  REQUIRE(ts.size() == 4);
  CHECK(ts[1].when.code() == "2022-01..2022-06");
  // As of December 2021 the 2022 target has not begun: no outcome, so no finding.
  CHECK(evaluate_target(m, ts[1], period::month(2021, 12)).empty());
  // As of June 2022, a year without any observation: judged, and missing (never 0).
  const auto o = evaluate_target(m, ts[1], period::month(2022, 6));
  REQUIRE(o.size() == 1);
  CHECK(o[0].status == status::missing);
  CHECK_FALSE(o[0].actual.value);
}

TEST_CASE("report plan: a parameter in 岁 set once holds in every later report") {
  model m = make();
  // Set in January 2020 at the county: in force in 2021 and in 1-6月 2021, without a warning.
  report_result r = render_full(m, "全县{age}岁以上领取城乡居民养老保险待遇");
  CHECK(r.text == "全县60岁以上领取城乡居民养老保险待遇");
  CHECK(r.warnings.empty());
  CHECK(render(m, "{age}", period::year_to_date(2021, 6)) == "60");
  CHECK(render(m, "{age:岁}") == "60");
  CHECK(template_error(m, "{age:人}").find("cannot show 'age' (岁) in 人") != std::string::npos);
}

TEST_CASE("report plan: 按时足额 follows a zero target on pensions paid late or short") {
  const std::string tmpl =
      "{#if late:ok}按时足额{/if}支付全县离退休人员{#if not late:ok}，其中逾期或未足额发放{late}人次{/if}；{late:status}";
  // No late payment (0 + 0): 按时足额, 未发生.
  CHECK(render(make(0), tmpl) == "按时足额支付全县离退休人员；未发生");
  // d2 paid 3 人次 late in June: 0 + 3 = 3.
  CHECK(render(make(3), tmpl) == "支付全县离退休人员，其中逾期或未足额发放3人次；发生3人次");
}
