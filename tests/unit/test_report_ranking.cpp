// Report placeholders for ranking among peers, year-less period labels, deadlines and growth wording, on a
// small model worked out by hand:
//
//   全国 N ⊃ {甲省 P ⊃ {A市, B市, C市, D市}, 乙省 Q ⊃ {E市}}
//   jobs (flow, 人), 2021: A 30, B 50, C 50, D none, E 99       (by value: E 1, B 2, C 2, A 4; D unranked)
//                     2020: A 20, B 50, C 100, E 99             (同比: A +50%, B 0%, C −50%, E 0%)
//   floor targets 2021: A 20 (150%), B 100 (50%), C 40 (125%)  (by 完成率 in 甲省: A 1, C 2, B 3)
//   wage (parameter, 元), 2020-01 / 2021-01: A 1800 → 1900 (+5.6%), B 1800 → 1700 (−5.6%), C 1800 → 1800
#include <doctest/doctest.h>

#include <zhibiao/model.hpp>
#include <zhibiao/ranking.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/targets.hpp>

#include <string>

using namespace zhibiao;

namespace {

model ranking_model() {
  model m;
  m.load_regions_text("code,name,level,parent\nN,全国,nation,\nP,甲省,province,N\nQ,乙省,province,N\n"
                      "A,A市,city,P\nB,B市,city,P\nC,C市,city,P\nD,D市,city,P\nE,E市,city,Q\n",
                      "regions.csv");
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                         "jobs,城镇新增就业,人,flow,0,,,,\nwage,最低工资标准,元,parameter,0,,,,\n",
                         "indicators.csv");
  m.load_observations_text("region,period,indicator,value\n"
                           "A,2021-06,jobs,30\nB,2021-06,jobs,50\nC,2021-06,jobs,50\nE,2021-06,jobs,99\n"
                           "A,2020-06,jobs,20\nB,2020-06,jobs,50\nC,2020-06,jobs,100\nE,2020-06,jobs,99\n"
                           "A,2020-01,wage,1800\nB,2020-01,wage,1800\nC,2020-01,wage,1800\n"
                           "A,2021-01,wage,1900\nB,2021-01,wage,1700\nC,2021-01,wage,1800\n",
                           "observations.csv");
  m.rollup();
  return m;
}

std::vector<target> ranking_targets(const model& m) {
  return parse_targets("region,indicator,period,kind,value\nA,jobs,2021,floor,20\nB,jobs,2021,floor,100\n"
                       "C,jobs,2021-01..2021-06,floor,40\n",
                       "targets.csv", m);
}

report_result render_at(const model& m, const std::string& tmpl, const char* region, const period& p = period::year(2021)) {
  return render_report(m, tmpl, m.regions().require(region), p, ranking_targets(m), "<template>");
}

std::string text_at(const model& m, const std::string& tmpl, const char* region, const period& p = period::year(2021)) {
  report_result r = render_at(m, tmpl, region, p);
  CHECK_MESSAGE(r.warnings.empty(), tmpl, ": ", r.warnings.empty() ? "" : r.warnings[0]);
  return r.text;
}

std::string error_of(const model& m, const std::string& tmpl) {
  try {
    render_at(m, tmpl, "A");
  } catch (const load_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("rank: among the regions of a level under the top, ties share a rank, the unranked is missing") {
  model m = ranking_model();
  CHECK(text_at(m, "{jobs:rank}", "E") == "1");
  CHECK(text_at(m, "{jobs:rank}", "B") == "2");
  CHECK(text_at(m, "{jobs:rank}", "C") == "2");
  CHECK(text_at(m, "{jobs:rank}", "A") == "4");
  report_result d = render_at(m, "{jobs:rank}", "D");
  CHECK(d.text == "—");
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].find("no rank (4 of 5 peers ranked") != std::string::npos);
}

TEST_CASE("rank: within the province, lower first, in Chinese numerals") {
  model m = ranking_model();
  CHECK(text_at(m, "排名全省第{jobs:rank_zh:province}", "B") == "排名全省第一");
  CHECK(text_at(m, "{jobs:rank:province}", "A") == "3");
  CHECK(text_at(m, "{jobs:rank_low:province}", "A") == "1");
  CHECK(text_at(m, "{jobs:rank_low:province}", "C") == "2");  // B and C tie at 50
  CHECK(text_at(m, "{jobs:rank_low}", "E") == "4");
}

TEST_CASE("rank: by 完成率 and by 同比") {
  model m = ranking_model();
  // 150%, 125% (C's target ends in June and is met by then), 50%.
  CHECK(text_at(m, "{jobs:completion_rank}", "A") == "1");
  CHECK(text_at(m, "{jobs:completion_rank}", "C") == "2");
  CHECK(text_at(m, "{jobs:completion_rank_zh}", "B") == "三");
  // +50%, 0%, 0%, −50%: E has 0% too and ties with B.
  CHECK(text_at(m, "{jobs:yoy_rank}", "A") == "1");
  CHECK(text_at(m, "{jobs:yoy_rank}", "B") == "2");
  CHECK(text_at(m, "{jobs:yoy_rank}", "E") == "2");
  CHECK(text_at(m, "{jobs:yoy_rank}", "C") == "4");
}

TEST_CASE("rank: in conditions, so a sentence is written only when it is true") {
  model m = ranking_model();
  const std::string t = "{#if jobs:rank:province <= 1}位居全省第一{#else}全省第{jobs:rank_zh:province}{/if}";
  CHECK(text_at(m, t, "B") == "位居全省第一");
  CHECK(text_at(m, t, "A") == "全省第三");
  // Unranked satisfies no comparison.
  CHECK(render_at(m, "{#if jobs:rank <= 9}上榜{#else}未排名{/if}", "D").text == "未排名");
}

TEST_CASE("rank: Chinese numerals") {
  CHECK(rank_numeral_zh(1) == "一");
  CHECK(rank_numeral_zh(10) == "十");
  CHECK(rank_numeral_zh(11) == "十一");
  CHECK(rank_numeral_zh(20) == "二十");
  CHECK(rank_numeral_zh(21) == "二十一");
  CHECK(rank_numeral_zh(100) == "100");
}

TEST_CASE("period labels without the year, spans and deadlines") {
  model m = ranking_model();
  const period ytd9 = period::year_to_date(2021, 9);
  CHECK(text_at(m, "{period:year}{period:months}", "A", ytd9) == "2021年1-9月");
  CHECK(text_at(m, "{period:span}", "A", ytd9) == "1月至9月");
  CHECK(text_at(m, "{period:asof}", "A", ytd9) == "截至9月底");
  CHECK(text_at(m, "{period:months}", "A", period::year(2021)) == "全年");
  CHECK(text_at(m, "{period:months}", "A", period::month(2021, 9)) == "9月");
  CHECK(text_at(m, "{period:span}", "A", period::parse("2021年3-11月")) == "3月至11月");
  CHECK(text_at(m, "{period:months}", "A", period::parse("2021Q3")) == "第三季度");
  // A target's period end as a deadline: C's target runs to June, A's to the year end.
  CHECK(text_at(m, "{jobs:deadline}", "C") == "6月底前");
  CHECK(text_at(m, "{jobs:deadline}", "A") == "年底前");
  CHECK(error_of(m, "{period:weekly}").find("unknown period label 'weekly'") != std::string::npos);
}

TEST_CASE("growth wording: the number alone, and the direction from the data") {
  model m = ranking_model();
  CHECK(text_at(m, "最低工资标准{wage:to}元，增幅约{wage:growth}%", "A") == "最低工资标准提高至1900元，增幅约5.6%");
  CHECK(text_at(m, "{wage:to}元（{wage:growth}%）", "B") == "降低至1700元（-5.6%）");
  CHECK(text_at(m, "{wage:to}元", "C") == "保持1800元");
  CHECK(text_at(m, "{wage:growth:2}", "A") == "5.56");
}

TEST_CASE("ranking placeholders: bad levels and scopes are errors with the place") {
  model m = ranking_model();
  CHECK(error_of(m, "\n  {jobs:rank:planet}").find("<template>:2:3") != std::string::npos);
  CHECK(error_of(m, "{jobs:rank:planet}").find("unknown level 'planet'") != std::string::npos);
  CHECK(error_of(m, "{jobs:ranked}").find("unknown modifier 'ranked'") != std::string::npos);
}

TEST_CASE("targets on a parameter: no_decrease a year apart and a floor, in the report's words") {
  model m = ranking_model();
  // wage in force: A 1800 → 1900, B 1800 → 1700, C 1800 → 1800 (2020 → 2021).
  const auto ts = parse_targets("region,indicator,period,kind,value\nA,wage,2021,no_decrease,\nB,wage,2021,no_decrease,\n"
                                "C,wage,2021,floor,1850\n",
                                "targets.csv", m);
  auto words = [&](const char* region) {
    return render_report(m, "{wage:status}", m.regions().require(region), period::year(2021), ts, "<t>").text;
  };
  CHECK(words("A") == "比上年同期增长5.6%");  // 100 / 1800 = 5.55…%
  CHECK(words("B") == "比上年同期下降5.6%");
  CHECK(words("C") == "未达到1850元的目标");  // 1800 < 1850 when the year ends
  const auto os_a = evaluate_target(m, *find_target(ts, m.regions().require("A"), m.indicators().require("wage"), 2021), period::month(2021, 12));
  REQUIRE(os_a.size() == 1);
  CHECK(os_a[0].status == status::met);
  const auto os_b = evaluate_target(m, *find_target(ts, m.regions().require("B"), m.indicators().require("wage"), 2021), period::month(2021, 12));
  CHECK(os_b[0].status == status::decreased);
}

TEST_CASE("rank: a rank among values built from partial reports is warned about") {
  model m;
  m.load_regions_text("code,name,level,parent\nP,省,province,\nA,A市,city,P\nB,B市,city,P\na1,a1,county,A\na2,a2,county,A\nb1,b1,county,B\n",
                      "regions.csv");
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\njobs,城镇新增就业,人,flow,0,,,,\n", "i.csv");
  m.load_observations_text("region,period,indicator,value\na1,2021-03,jobs,5\nb1,2021-03,jobs,9\n", "o.csv");  // a2 silent
  m.rollup();
  report_result r = render_report(m, "{jobs:rank_low}", m.regions().require("A"), period::year_to_date(2021, 3), {}, "<t>");
  CHECK(r.text == "1");  // 5 < 9, but A's 5 is 1 of its 2 counties
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("partial: 1 of the 2 ranked peers") != std::string::npos);
}
