// Any run of months within a year (2021-02..2021-03, 2021年2-3月, 2021年2月至3月) for every query: a flow sums
// its months, a stock is its value at the span's end, a ratio is recomputed from its parts over the span;
// at regions, scopes, in targets, rules and templates.
//
// The data (2021; 甲县 K = towns t1 + t2):
//   jobs (flow)      t1: 10 20 30 40 (Jan–Apr)   t2: 1 2 — 4 (no March report)
//   placed (flow)    t1: 5 5 5 5                 t2: 1 1 4 1
//   applicants       t1: 10 10 10 10             t2: 3 3 4 3
//   rate = placed / applicants × 100, 1 decimal
//   insured (stock)  t1: 100 in Jan, 120 in Mar   t2: 50 in Feb, 55 in Apr
#include <zhibiao/checks.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {

using namespace zhibiao;

model span_model() {
  model m;
  m.load_regions_text("code,name,level,parent\nK,甲县,county,\nt1,一镇,town,K\nt2,二镇,town,K\n", "regions.csv");
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                         "jobs,新增就业,人,flow,0,,,,\nplaced,安置,人,flow,0,,,,\napplicants,申请,人,flow,0,,,,\n"
                         "rate,安置率,%,ratio,1,placed,applicants,,\ninsured,参保人数,人,stock,0,,,,\n",
                         "indicators.csv");
  std::string obs = "region,period,indicator,value\n";
  const char* rows[][3] = {{"t1", "jobs", "10 20 30 40"}, {"t2", "jobs", "1 2 - 4"},       {"t1", "placed", "5 5 5 5"},
                           {"t2", "placed", "1 1 4 1"},   {"t1", "applicants", "10 10 10 10"}, {"t2", "applicants", "3 3 4 3"},
                           {"t1", "insured", "100 - 120 -"}, {"t2", "insured", "- 50 - 55"}};
  for (const auto& r : rows) {
    std::string values = r[2];
    int month = 1;
    for (std::size_t b = 0; b <= values.size(); ++month) {
      std::size_t e = values.find(' ', b);
      if (e == std::string::npos) e = values.size();
      const std::string v = values.substr(b, e - b);
      if (v != "-") obs += std::string(r[0]) + ",2021-0" + std::to_string(month) + "," + r[1] + "," + v + "\n";
      b = e + 1;
    }
  }
  m.load_observations_text(obs, "obs.csv");
  m.load_scopes_text("code,name,include,exclude\nk_ex_t2,甲县（不含二镇）,K,t2\n", "scopes.csv");
  m.rollup();
  return m;
}

// "value (reporting/expected)", "—" when missing.
std::string at(const model& m, const std::string& where, const std::string& p, const std::string& ind) {
  aggregate a = m.value(m.require_place(where), period::parse(p), m.indicators().require(ind));
  return (a.value ? a.value->to_string() : std::string("—")) + " (" + std::to_string(a.reporting) + "/" + std::to_string(a.expected) + ")";
}

}  // namespace

TEST_CASE("spans: a flow sums its months, a stock is its value at the end, a ratio comes from its parts") {
  model m = span_model();
  // Flow: 20 + 30 + 2 = 52; coverage as of March, when t2 did not report.
  CHECK(at(m, "K", "2021-02..2021-03", "jobs") == "52 (1/2)");
  CHECK(at(m, "K", "2021年2-3月", "jobs") == "52 (1/2)");
  CHECK(at(m, "K", "2021年2月至3月", "jobs") == "52 (1/2)");
  CHECK(at(m, "t2", "2021-02..2021-04", "jobs") == "6 (1/1)");  // 2 + 4, March missing adds nothing
  CHECK(at(m, "t2", "2021-03..2021-03", "jobs") == "— (0/1)");   // a one-month span is the month
  // Stock: 截至3月底 = t1 120 + t2 50 (its February value, the latest by March), never summed over months.
  CHECK(at(m, "K", "2021-02..2021-03", "insured") == "170 (1/2)");
  CHECK(at(m, "K", "2021-02..2021-04", "insured") == "175 (1/2)");
  // Ratio: (5 + 5 + 1 + 4) / (10 + 10 + 3 + 4) = 15 / 27 = 55.55… → 55.6; not the months' rates averaged
  // (6 / 13 = 46.2 and 9 / 14 = 64.3) nor 1-3月's 21 / 40 = 52.5.
  CHECK(at(m, "K", "2021-02..2021-03", "rate") == "55.6 (2/2)");
  CHECK(at(m, "K", "2021年1-3月", "rate") == "52.5 (2/2)");
  // Over a scope (甲县 without 二镇 = 一镇): 50 jobs, rate 10 / 20 = 50.0, insured 120.
  CHECK(at(m, "k_ex_t2", "2021-02..2021-03", "jobs") == "50 (1/1)");
  CHECK(at(m, "k_ex_t2", "2021-02..2021-03", "rate") == "50.0 (1/1)");
  CHECK(at(m, "k_ex_t2", "2021-02..2021-03", "insured") == "120 (1/1)");
  // A span is never an observation: values are set for a month or 1-M月.
  CHECK_THROWS_AS(m.set_value(m.regions().require("t1"), period::parse("2021-02..2021-03"), m.indicators().require("jobs"),
                              decimal::from_int(1)),
                  error);
}

TEST_CASE("spans: targets, rules and templates read the span the same way") {
  model m = span_model();
  // A floor of 100 for 2-4月: judged when the span ends; 20 + 30 + 40 + 2 + 4 = 96 → 96.0 %, not met.
  std::vector<target> ts = parse_targets(
      "region,indicator,period,kind,value\nK,jobs,2021年2-4月,floor,100\nk_ex_t2,jobs,2021-02..2021-04,floor,80\n", "t.csv", m);
  CHECK(evaluate_target(m, ts[0], period::month(2021, 3)).empty());
  auto o = evaluate_target(m, ts[0], period::month(2021, 4));
  REQUIRE(o.size() == 1);
  CHECK(o[0].when.code() == "2021-02..2021-04");
  CHECK(o[0].actual.value->to_string() == "96");
  CHECK(o[0].completion->to_string() == "96.0");
  CHECK(o[0].status == status::not_met);
  // The scope's: 20 + 30 + 40 = 90 of 80 → 112.5 %, exceeded.
  auto s = evaluate_target(m, ts[1], period::month(2021, 4));
  REQUIRE(s.size() == 1);
  CHECK(s[0].completion->to_string() == "112.5");
  CHECK(s[0].status == status::exceeded);
  // A rule evaluated over the span.
  rule_set rs = rule_set::parse("r | error | jobs == 52\n", "rules.txt", m.indicators());
  rule_result r = evaluate_rule(m, rs.rules()[0], m.regions().require("K"), period::parse("2021-02..2021-03"));
  CHECK(r.evaluated);
  CHECK(r.passed);
  // A template: the label and the values of the span.
  report_result t = render_report(m, "{period}{region}新增就业{jobs}人，安置率{rate}%，不含二镇{jobs@k_ex_t2}人",
                                  m.regions().require("K"), period::parse("2021年2月至3月"), ts, "r.tmpl");
  CHECK(t.text == "2021年2-3月甲县新增就业52人，安置率55.6%，不含二镇50人");
}

TEST_CASE("parameters: a standard holds from the month it is set until it is set again, across years") {
  model m;
  m.load_regions_text("code,name,level,parent\nK,甲县,county,\nt1,一镇,town,K\n", "regions.csv");
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                         "jobs,新增就业,人,flow,0,,,,\nstd,基础养老金,元/月,parameter,0,,,,\n",
                         "indicators.csv");
  // Set at the county in July 2020 (150 元/月) and again in May 2021 (170); the town never sets its own.
  m.load_observations_text("region,period,indicator,value\nK,2020-07,std,150\nt1,2021-01,jobs,5\nK,2021-05,std,170\n", "obs.csv");
  m.rollup();
  auto in_force = [&](const char* region, const char* p) {
    aggregate a = m.value(m.regions().require(region), period::parse(p), m.indicators().require("std"));
    return a.value ? a.value->to_string() : std::string("—");
  };
  CHECK(in_force("K", "2020-06") == "—");     // not yet set
  CHECK(in_force("K", "2020-07") == "150");
  CHECK(in_force("t1", "2021-03") == "150");  // carried into 2021, and down to the town
  CHECK(in_force("t1", "2021-05") == "170");
  CHECK(in_force("K", "2021年1-4月") == "150");
  CHECK(in_force("K", "2022-02") == "170");   // a year with no data at all: still in force
}
