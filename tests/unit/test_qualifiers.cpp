// Qualifiers through the roll-up (tests/data/qualifiers): XX多 (lower_bound) and 约 (approximate) travel from
// the reported values into every aggregate, the roll-up CSV, explain, comparisons, rules, targets and
// reports. Every expectation is worked out by hand from observations.csv; the comments show how.
//
// The data (2021): jobs a1 10, 20多, 30; a2 约5, —, 15; b1 reported 1-M月 7, 12多 (so 7, 5多).
// posts a1 Jan 100, a2 Feb 50多, b1 Jan 40. unemp a1 Jan 30多; a2 Jan 20, Feb 22; b1 Feb 约10.
// emp a1 Jan 970; a2 Jan 480, Feb 478; b1 Feb 990. rate = unemp/(unemp+emp)×100; cover = jobs/posts×100.
#include <doctest/doctest.h>

#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/targets.hpp>

#include <sstream>
#include <string>

using namespace zhibiao;

namespace {

const std::string dir = ZHIBIAO_TEST_DATA "/qualifiers";

model qualified_model(std::string_view observations = {}) {
  model m;
  m.load_regions(dir + "/regions.csv");
  m.load_indicators(dir + "/indicators.csv");
  m.load_scopes_text("code,name,include,exclude\nS,甲一乙一,C,a2\n");
  if (observations.empty()) m.load_observations(dir + "/observations.csv");
  else m.load_observations_text(observations);
  m.rollup();
  return m;
}

aggregate at(const model& m, const char* where, const char* per, const char* ind) {
  return m.value(m.require_place(where), period::parse(per), m.indicators().require(ind));
}

// "value qualifier", e.g. "20 lower_bound", "35 approximate", "45 " — one string per check.
std::string vq(const model& m, const char* where, const char* per, const char* ind) {
  aggregate a = at(m, where, per, ind);
  return (a.value ? a.value->to_string() : "—") + " " + std::string(qualifier_name(a.qualifier));
}

// The CSV lines of one region (every month and indicator).
std::string rows_of(const std::string& csv, const std::string& region) {
  std::istringstream in(csv);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind(region + ",", 0) == 0) out += line + "\n";
  return out;
}

rule_result rule_at(const model& m, const std::string& text, const char* region, const char* per) {
  rule_set rs = rule_set::parse("r | error | " + text + "\n", "rules.txt", m.indicators());
  return evaluate_rule(m, rs.rules().front(), m.regions().require(region), period::parse(per));
}

status target_status(const model& m, const std::string& row, const char* as_of) {
  std::vector<target> ts = parse_targets("region,indicator,period,kind,value\n" + row + "\n", "targets.csv", m);
  std::vector<target_outcome> os = evaluate_target(m, ts.front(), period::parse(as_of));
  REQUIRE(!os.empty());
  return os.back().status;
}

}  // namespace

TEST_CASE("qualifiers: combining keeps the strongest, a ratio's denominator makes it approximate") {
  CHECK(combine(qualifier::none, qualifier::lower_bound) == qualifier::lower_bound);
  CHECK(combine(qualifier::lower_bound, qualifier::approximate) == qualifier::approximate);
  CHECK(combine(qualifier::none, qualifier::none) == qualifier::none);
  CHECK(ratio_qualifier(qualifier::lower_bound, qualifier::none) == qualifier::lower_bound);
  CHECK(ratio_qualifier(qualifier::none, qualifier::lower_bound) == qualifier::approximate);
  CHECK(ratio_qualifier(qualifier::approximate, qualifier::none) == qualifier::approximate);
  CHECK(qualified_text("20", qualifier::lower_bound) == "20多");
  CHECK(qualified_text("35", qualifier::approximate) == "约35");
  CHECK(qualified_text("45", qualifier::none) == "45");
}

TEST_CASE("qualifiers: flows OR over the reporting leaves each month, year-to-date over the months") {
  model m = qualified_model();
  CHECK(vq(m, "a1", "2021-02", "jobs") == "20 lower_bound");
  CHECK(vq(m, "a1", "2021-03", "jobs") == "30 ");                   // March itself is exact
  CHECK(vq(m, "a1", "2021年1-3月", "jobs") == "60 lower_bound");     // 10 + 20多 + 30
  CHECK(vq(m, "A", "2021-01", "jobs") == "15 approximate");         // 10 + 约5
  CHECK(vq(m, "A", "2021-02", "jobs") == "20 lower_bound");         // a1 20多 only (a2 did not report)
  CHECK(vq(m, "A", "2021-03", "jobs") == "45 ");                    // 30 + 15, both exact
  CHECK(vq(m, "A", "2021年1-2月", "jobs") == "35 approximate");      // 约15 + 20多: approximate wins
  CHECK(vq(m, "b1", "2021-02", "jobs") == "5 lower_bound");         // 12多 − 7: the month of the 1-2月 report
  CHECK(vq(m, "C", "2021-02", "jobs") == "25 lower_bound");         // 20多 + 5多
  CHECK(vq(m, "C", "2021年1-3月", "jobs") == "92 approximate");      // 80 (A, 约) + 12 (B, 多)
  CHECK(vq(m, "C", "2021-04", "jobs") == "— ");                     // nothing, and no qualifier on nothing
}

TEST_CASE("qualifiers: stocks OR over the leaves that month, as-of over the values carried") {
  model m = qualified_model();
  CHECK(vq(m, "A", "2021-01", "unemp") == "50 lower_bound");          // 30多 + 20
  CHECK(vq(m, "A", "2021-02", "unemp") == "22 ");                     // only a2 reported February
  CHECK(vq(m, "A", "截至2021年2月底", "unemp") == "52 lower_bound");  // a1's 30多 carried + a2's 22
  CHECK(vq(m, "C", "截至2021年3月底", "unemp") == "62 approximate");  // 52多 + 约10
}

TEST_CASE("qualifiers: a ratio is a lower bound only when the bound is in its numerator alone") {
  model m = qualified_model();
  // rate: A January 50多 / (50多 + 1450) — the lower bound is in the denominator too → approximate; 3.33.
  CHECK(vq(m, "A", "2021-01", "rate") == "3.33 approximate");
  // A February monthly: 22 / (22 + 478) = 4.40, every part exact.
  CHECK(vq(m, "A", "2021-02", "rate") == "4.40 ");
  // cover: a1 1-2月 30多 / 100 = 30.0, the bound only in the numerator → lower_bound.
  CHECK(vq(m, "a1", "2021年1-2月", "cover") == "30.0 lower_bound");
  // a2 1-2月: 约5 / 50多 → approximate, 10.0.
  CHECK(vq(m, "a2", "2021年1-2月", "cover") == "10.0 approximate");
  // A February: 20多 / 50多 — a bounded denominator → approximate, 40.0.
  CHECK(vq(m, "A", "2021-02", "cover") == "40.0 approximate");
  // B 1-2月: 12多 / 40 = 30.0 lower_bound.
  CHECK(vq(m, "B", "2021年1-2月", "cover") == "30.0 lower_bound");
}

TEST_CASE("qualifiers: quarters, scopes and spans combine by the same rules") {
  model m = qualified_model();
  CHECK(vq(m, "A", "2021Q1", "jobs") == "80 approximate");     // 10+20多+30 + 约5+15
  CHECK(vq(m, "B", "2021Q1", "jobs") == "12 lower_bound");     // 7 + 5多
  CHECK(vq(m, "A", "2021Q1", "unemp") == "52 lower_bound");    // at the quarter's end: 30多 (Jan) + 22 (Feb)
  CHECK(vq(m, "B", "2021Q1", "cover") == "30.0 lower_bound");  // 12多 / 40
  CHECK(vq(m, "A", "2021Q1", "rate") == "3.47 approximate");   // 52多 / (52多 + 970 + 478) = 52/1500
  CHECK(vq(m, "S", "2021-01", "jobs") == "17 ");               // scope a1 + b1: 10 + 7
  CHECK(vq(m, "S", "2021-02", "jobs") == "25 lower_bound");    // 20多 + 5多
  CHECK(vq(m, "A", "2021-02..2021-03", "jobs") == "65 lower_bound");  // span: 20多 + 45
  CHECK(vq(m, "A", "2021-02..2021-03", "cover") == "130.0 approximate");  // 65多 / 50多 (posts: Feb 50多, no March)
}

TEST_CASE("qualifiers: the roll-up CSV carries them, the segmented pass and partials agree") {
  model m = qualified_model();
  const std::string csv = m.csv();
  CHECK(csv.rfind("region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier\n", 0) == 0);
  CHECK(csv.find("\nA,2021-02,jobs,20,35,1,2,lower_bound,approximate\n") != std::string::npos);
  CHECK(csv.find("\nA,2021-02,unemp,22,52,1,2,,lower_bound\n") != std::string::npos);
  CHECK(csv.find("\nA,2021-01,rate,3.33,3.33,2,2,approximate,approximate\n") != std::string::npos);
  model seg = qualified_model();
  seg.rollup(model::rollup_path::segmented);
  CHECK(seg.csv() == csv);
  // County A and B rolled up as their own models, then the city over their partials: the same city rows.
  const std::string obs = csv::read_file(dir + "/observations.csv");
  auto sub = [&](const std::string& county, const std::string& towns) {
    model s;
    s.load_indicators(dir + "/indicators.csv");
    s.load_regions_text("code,name,level,parent\n" + county + ",县,county,\n" + towns);
    std::istringstream in(obs);
    std::string line, mine;
    std::getline(in, line);
    mine = line + "\n";
    while (std::getline(in, line))
      if (line.rfind(county == "A" ? "a" : "b", 0) == 0) mine += line + "\n";
    s.load_observations_text(mine);
    s.rollup();
    return s.export_partial(s.regions().require(county), 2021);
  };
  model top;
  top.load_indicators(dir + "/indicators.csv");
  top.load_regions_text("code,name,level,parent\nC,示例市,city,\nA,甲县,county,C\nB,乙县,county,C\n");
  const partial pa = sub("A", "a1,镇,town,A\na2,镇,town,A\n");
  // A's January jobs: present (1) and ytd present (2), the monthly pair approximate (2 << 2) and so the
  // year-to-date's (2 << 4): 1 + 2 + 8 + 32 = 43.
  CHECK(pa.present[0] == 43);
  top.load_partial(pa);
  top.load_partial(sub("B", "b1,镇,town,B\n"));
  top.rollup();
  CHECK(rows_of(top.csv(), "C") == rows_of(csv, "C"));
  // A qualifier on an absent value is not a roll-up: refused.
  partial bad = pa;
  bad.present[3] = 4;  // April jobs: no value, yet a lower-bound bit
  CHECK_THROWS_AS(top.load_partial(bad), error);
}

TEST_CASE("qualifiers: a revision in place updates them up the tree as a fresh roll-up would") {
  model m = qualified_model();
  const indicator_id jobs = m.indicators().require("jobs");
  // a1's February becomes exact: A's February is exact, A's 1-2月 stays approximate (a2's 约5).
  m.set_value(m.regions().require("a1"), period::parse("2021-02"), jobs, decimal::from_int(20), qualifier::none);
  CHECK(vq(m, "A", "2021-02", "jobs") == "20 ");
  CHECK(vq(m, "A", "2021年1-2月", "jobs") == "35 approximate");
  // a2's January becomes exact too: A is exact throughout, and C's 1-3月 is B's 12多 alone → lower_bound.
  m.set_value(m.regions().require("a2"), period::parse("2021-01"), jobs, decimal::from_int(5), qualifier::none);
  CHECK(vq(m, "A", "2021年1-3月", "jobs") == "80 ");
  CHECK(vq(m, "C", "2021年1-3月", "jobs") == "92 lower_bound");
  // a1's carried 30多 becomes 约30: A's 截至2月底 and the ratio over it are approximate.
  m.set_value(m.regions().require("a1"), period::parse("2021-01"), m.indicators().require("unemp"), decimal::from_int(30),
              qualifier::approximate);
  CHECK(vq(m, "A", "截至2021年2月底", "unemp") == "52 approximate");
  std::string text = csv::read_file(dir + "/observations.csv");
  auto replace = [&](const std::string& from, const std::string& to) { text.replace(text.find(from), from.size(), to); };
  replace("a1,2021-02,jobs,20,lower_bound", "a1,2021-02,jobs,20,");
  replace("a2,2021-01,jobs,5,approximate", "a2,2021-01,jobs,5,");
  replace("a1,2021-01,unemp,30,lower_bound", "a1,2021-01,unemp,30,approximate");
  CHECK(m.csv() == qualified_model(text).csv());
}

TEST_CASE("qualifiers: explain says the value's qualifier and which parts carry one; 环比 of a bound is approximate") {
  model m = qualified_model();
  const explanation e = m.explain(m.regions().require("A"), period::parse("2021-02"), m.indicators().require("jobs"));
  CHECK(e.value.qualifier == qualifier::lower_bound);
  const std::string text = m.explain_text(e);
  CHECK(text.find("= 20 人 [lower_bound]") != std::string::npos);
  CHECK(text.find("qualifier: lower_bound") != std::string::npos);
  CHECK(text.find("a1 甲一镇 (lower_bound)") != std::string::npos);
  const explanation r = m.explain(m.regions().require("A"), period::parse("2021-02"), m.indicators().require("cover"));
  CHECK(r.numerator_qualifier == qualifier::lower_bound);
  CHECK(r.denominator_qualifier == qualifier::lower_bound);
  CHECK(m.explain_text(r).find("numerator (lower_bound); denominator (lower_bound)") != std::string::npos);
  // 环比: A February 20多 against January 约15: a change of 5, approximate.
  const comparison c = m.period_on_period(m.regions().require("A"), period::parse("2021-02"), m.indicators().require("jobs"));
  REQUIRE(c.change);
  CHECK(c.change->to_string() == "5");
  CHECK(c.change_qualifier == qualifier::approximate);
  const comparison x = m.period_on_period(m.regions().require("A"), period::parse("2021-03"), m.indicators().require("posts"));
  CHECK_FALSE(x.change);  // no March value: nothing to qualify
  CHECK(x.change_qualifier == qualifier::none);
}

TEST_CASE("qualifiers: a rule holds or fails for certain only when the true value cannot overturn it") {
  model m = qualified_model();
  // A February jobs 20多 (the true value is 20 or more).
  rule_result r = rule_at(m, "jobs >= 10", "A", "2021-02");  // holds, and more only holds more
  CHECK(r.passed);
  CHECK_FALSE(r.approximate);
  r = rule_at(m, "jobs >= 30", "A", "2021-02");  // fails on the bound; the true value might reach 30
  CHECK_FALSE(r.passed);
  CHECK(r.approximate);
  r = rule_at(m, "jobs <= 10", "A", "2021-02");  // fails, and more only fails more
  CHECK_FALSE(r.approximate);
  r = rule_at(m, "jobs <= 30", "A", "2021-02");  // holds on the bound only
  CHECK(r.approximate);
  r = rule_at(m, "jobs * -1 >= -10", "A", "2021-02");  // −20 or less ≥ −10 fails for certain
  CHECK_FALSE(r.passed);
  CHECK_FALSE(r.approximate);
  r = rule_at(m, "posts >= jobs", "A", "2021-02");  // 50多 ≥ 20多: bounds on both sides bound nothing
  CHECK(r.passed);
  CHECK(r.approximate);
  r = rule_at(m, "jobs >= 1", "a2", "2021-01");  // 约5: never an exact verdict
  CHECK(r.approximate);
  r = rule_at(m, "jobs >= 1", "a1", "2021-01");  // exact 10
  CHECK_FALSE(r.approximate);
  // The finding says so: status approximate, a warning for an error rule, and the sentence (checks judge
  // 1-2月: A's 约35 ≥ 30 holds on the shown value only).
  rule_set rs = rule_set::parse("needs30 | error | jobs >= 30 | levels=county\n", "rules.txt", m.indicators());
  check_options o;
  o.as_of = period::parse("2021-02");
  const std::vector<finding> fs = evaluate(m, {}, &rs, o);
  const finding* a = nullptr;
  for (const finding& f : fs)
    if (f.check == "needs30" && m.regions()[f.region].code == "A") a = &f;
  REQUIRE(a);
  CHECK(a->status == status::approximate);
  CHECK(a->level == severity::warning);
  CHECK(a->message.find("含约数或下限，无法确定是否成立") != std::string::npos);
}

TEST_CASE("qualifiers: a target on a lower bound is met for certain, missed only approximately") {
  model m = qualified_model();
  CHECK(target_status(m, "A,jobs,2021-02,floor,10", "2021-02") == status::exceeded);     // 20多 > 10
  CHECK(target_status(m, "A,jobs,2021-02,floor,30", "2021-02") == status::approximate);  // 20多 < 30: unknown
  CHECK(target_status(m, "A,unemp,2021-01,cap,40", "2021-01") == status::breached);      // 50多 > 40
  CHECK(target_status(m, "A,unemp,2021-01,cap,60", "2021-01") == status::approximate);   // 50多 ≤ 60: unknown
  CHECK(target_status(m, "a2,jobs,2021-01,floor,1", "2021-01") == status::approximate);  // 约5
  CHECK(target_status(m, "a1,jobs,2021-01,floor,5", "2021-01") == status::exceeded);     // exact 10
}

TEST_CASE("qualifiers: a report renders X多 and 约X from the data; :plain is the number alone") {
  model m = qualified_model();
  const region_id a = m.regions().require("A");
  report_result r = render_report(m, "{jobs}人，{jobs:plain}人，{posts}个，{cover}%", a, period::parse("2021-02"), {});
  CHECK(r.text == "20多人，20人，50多个，约40.0%");
  r = render_report(m, "{jobs}人", a, period::parse("2021年1-2月"), {});
  CHECK(r.text == "约35人");
  r = render_report(m, "{jobs}人", a, period::parse("2021-03"), {});
  CHECK(r.text == "45人");
  const std::vector<target> ts = parse_targets("region,indicator,period,kind,value\nA,jobs,2021-02,floor,30\n", "t.csv", m);
  r = render_report(m, "{jobs:status}", a, period::parse("2021-02"), ts);
  CHECK(r.text == "数据为约数或下限，无法判定");
  // The qualifier as a condition, for wording that puts it after the unit (X条以上): A's February jobs are
  // a1's 20多 (lower bound), 1-2月 约35 (a2's 约5), March 45 exact.
  const std::string tmpl = "{jobs:plain}人{#if jobs:lower_bound}以上{#elif jobs:approximate}左右{/if}";
  CHECK(render_report(m, tmpl, a, period::parse("2021-02"), {}).text == "20人以上");
  CHECK(render_report(m, tmpl, a, period::parse("2021年1-2月"), {}).text == "35人左右");
  CHECK(render_report(m, tmpl, a, period::parse("2021-03"), {}).text == "45人");
  CHECK_THROWS_WITH_AS(render_report(m, "{#if jobs:bounded}x{/if}", a, period::parse("2021-03"), {}),
                       doctest::Contains("lower_bound or approximate"), load_error);
}

TEST_CASE("qualifiers: a year with none takes the lean pass, and a revision into it agrees with a fresh roll-up") {
  // The same data with every qualifier removed: the year has none, so the roll-up takes the lean pass.
  std::string text = csv::read_file(dir + "/observations.csv");
  for (const char* q : {"lower_bound", "approximate"})
    for (std::size_t at = text.find(q); at != std::string::npos; at = text.find(q)) text.erase(at, std::string_view(q).size());
  model m = qualified_model(text);
  CHECK(vq(m, "C", "2021年1-3月", "jobs") == "92 ");  // a1 10+20+30, a2 5+15, b1 7 and 12-7 = 5: 92, exact
  // unemp is a term of the ratio rate: revising it recomputes rate along the chain (and only the ratios using it).
  const indicator_id unemp = m.indicators().require("unemp");
  m.set_value(m.regions().require("a2"), period::parse("2021-02"), unemp, decimal::from_int(28), qualifier::none);
  auto replace = [&](const std::string& from, const std::string& to) { text.replace(text.find(from), from.size(), to); };
  replace("a2,2021-02,unemp,22,", "a2,2021-02,unemp,28,");
  CHECK(m.csv() == qualified_model(text).csv());
  // A qualified revision into the lean year: the year now has a qualifier, and A's February is 约 up the tree.
  m.set_value(m.regions().require("a1"), period::parse("2021-02"), m.indicators().require("jobs"), decimal::from_int(20),
              qualifier::approximate);
  CHECK(vq(m, "A", "2021-02", "jobs") == "20 approximate");  // a1 约20, a2 none that month
  replace("a1,2021-02,jobs,20,", "a1,2021-02,jobs,20,approximate");
  CHECK(m.csv() == qualified_model(text).csv());
}
