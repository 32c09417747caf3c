// Unit tests for the limits that protect against hostile input and for the reliability fixes found by
// fuzzing and the bad-input catalogue (tests/bad-inputs): grid and tree limits, exact ratios of huge sums,
// UTF-8 checks on rules and templates, and loads that stay linear in the size of the file.
#include <zhibiao/checks.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>

namespace {

using namespace zhibiao;

template <class F>
std::optional<error> error_of(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return e;
  }
  return std::nullopt;
}

const std::string small_regions = "code,name,level,parent\nC1,示例市,city,\nA,甲县,county,C1\na1,甲一镇,town,A\n";
const std::string small_indicators = "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\nnew_jobs,城镇新增就业,人,flow,0,,,,\n";

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("limits: observations that would pass model::max_grid_cells are errc::limit before any allocation") {
  // 22 400 regions × 1 000 indicators × 12 months = 268 800 000 cells, just past 2^28.
  std::string regions = "code,name,level,parent\n";
  for (int k = 0; k < 22400; ++k) regions += "r" + std::to_string(k) + ",镇,town,\n";
  std::string indicators = "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n";
  for (int k = 0; k < 1000; ++k) indicators += "i" + std::to_string(k) + ",指标,人,flow,0,,,,\n";
  model m;
  m.load_regions_text(regions);
  m.load_indicators_text(indicators);
  auto e = error_of([&] { m.load_observations_text("region,period,indicator,value\nr0,2021-01,i0,1\n", "obs.csv"); });
  REQUIRE(e);
  CHECK(e->code() == errc::limit);
  CHECK(std::string(e->what()).find("obs.csv:2:2 (period): 1 years of 22400 regions × 1000 indicators × 12 months") == 0);
  CHECK(std::string(e->what()).find("model::max_grid_cells") != std::string::npos);
  CHECK(m.observation_count() == 0);
  CHECK(m.years().empty());
  // A revision that would add the year is refused the same way.
  auto r = error_of([&] { m.set_value(0, period::parse("2021-01"), 0, decimal::from_int(1)); });
  REQUIRE(r);
  CHECK(r->code() == errc::limit);
  CHECK(m.years().empty());
}

TEST_CASE("limits: validity runs × regions past hierarchy::max_tree_cells are errc::limit") {
  // 10 000 regions starting in 3 612 different months: 3 613 runs × 10 000 regions of trees.
  std::string text = "code,name,level,parent,valid_from,valid_to\n";
  for (int k = 0; k < 10000; ++k) {
    const int m = k % 3612;
    text += "r" + std::to_string(k) + ",镇,town,," + std::to_string(1900 + m / 12) + "-" + (m % 12 < 9 ? "0" : "") +
            std::to_string(m % 12 + 1) + ",\n";
  }
  auto e = error_of([&] { (void)hierarchy::parse(text, "regions.csv"); });
  REQUIRE(e);
  CHECK(e->code() == errc::limit);
  CHECK(std::string(e->what()).find("regions.csv: 10000 regions with 3613 validity runs need 36130000 tree entries") == 0);
  // A tenth of that is fine.
  CHECK(hierarchy::parse(text.substr(0, text.find("r1000,")), "regions.csv").size() == 1000);
}

TEST_CASE("rollup: a ratio of parts whose scaled sums pass 128 bits is exact, not wrapped") {
  // r = (20 terms of x) / (3 terms of x) × 10^9 at 9 decimals: with x = 9·10^18 the numerator times its
  // multiplier (10^18) is 1.8·10^38, past the signed 128-bit range (it used to overflow silently).
  std::string ind = "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\nx,人数,人,flow,0,,,,\nr,比,1,ratio,9,";
  for (int k = 0; k < 20; ++k) ind += k ? "+x" : "x";
  ind += ",x+x+x,1000000000,\n";
  model m;
  m.load_regions_text(small_regions);
  m.load_indicators_text(ind);
  m.load_observations_text("region,period,indicator,value\na1,2021-01,x,9000000000000000000\n");
  m.rollup();
  for (const char* code : {"a1", "A", "C1"}) {
    aggregate a = m.value(m.regions().require(code), period::parse("2021-01"), m.indicators().require("r"));
    REQUIRE(a.value);
    CHECK(a.value->to_string() == "6666666666.666666667");  // 20/3 × 10^9, half-up at 9 decimals
  }
}

TEST_CASE("rules and templates must be UTF-8: GBK text is a load error with a hint, not bytes passed through") {
  model m;
  m.load_regions_text(small_regions);
  m.load_indicators_text(small_indicators);
  m.load_observations_text("region,period,indicator,value\na1,2021-01,new_jobs,3\n");
  m.rollup();
  const std::string gbk_name = "\xD0\xC2\xD4\xF6";  // 新增 in GBK
  auto r = error_of([&] { (void)rule_set::parse("r1 | error | " + gbk_name + " >= 0\n", "rules.txt", m.indicators()); });
  REQUIRE(r);
  CHECK(r->code() == errc::load);
  CHECK(std::string(r->what()).find("GBK/GB18030") != std::string::npos);
  auto t = error_of([&] { (void)render_report(m, gbk_name + "{new_jobs}", 0, period::parse("2021-01"), {}, "r.tmpl"); });
  REQUIRE(t);
  CHECK(t->code() == errc::load);
  CHECK(std::string(t->what()).find("r.tmpl:1:1: not valid UTF-8") == 0);
}

TEST_CASE("rules: nesting and operator limits are errc::limit") {
  catalogue cat = catalogue::parse(small_indicators, "i.csv");
  auto deep = error_of([&] { (void)rule_set::parse("r | error | " + std::string(300, '(') + "1" + std::string(300, ')') + " > 0", "r", cat); });
  REQUIRE(deep);
  CHECK(deep->code() == errc::limit);
  std::string chain = "1";
  for (int k = 0; k < 1001; ++k) chain += "+1";
  auto ops = error_of([&] { (void)rule_set::parse("r | error | " + chain + " > 0", "r", cat); });
  REQUIRE(ops);
  CHECK(ops->code() == errc::limit);
  // Other mistakes stay errc::rule.
  auto bad = error_of([&] { (void)rule_set::parse("r | error | (1 > 0", "r", cat); });
  REQUIRE(bad);
  CHECK(bad->code() == errc::rule);
}

TEST_CASE("loads stay linear: long parent and part_of chains, many targets, rules, scopes and missing placeholders") {
  const auto t0 = std::chrono::steady_clock::now();
  // A chain of 20 000 towns, each the parent of the next: the level check rejects it, after a cycle check
  // that used to walk every chain to its root (quadratic).
  std::string chain = "code,name,level,parent\nr0,镇,town,\n";
  for (int k = 1; k < 20000; ++k) chain += "r" + std::to_string(k) + ",镇,town,r" + std::to_string(k - 1) + "\n";
  auto lv = error_of([&] { (void)hierarchy::parse(chain, "chain.csv"); });
  REQUIRE(lv);
  CHECK(std::string(lv->what()).find("a child's level must be below its parent's") != std::string::npos);
  // The same chain closed into a loop is reported at the first row, as before.
  std::string loop = "code,name,level,parent\nr0,镇,town,r19999\n" + chain.substr(chain.find("r1,"));
  auto cy = error_of([&] { (void)hierarchy::parse(loop, "loop.csv"); });
  REQUIRE(cy);
  CHECK(std::string(cy->what()).find("loop.csv:2:4 (parent): cycle: region 'r0' is its own ancestor") == 0);
  // A part_of chain of 20 000 indicators ending in a loop.
  std::string parts = "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\ni0,指标,人,flow,0,,,,i19999\n";
  for (int k = 1; k < 20000; ++k) parts += "i" + std::to_string(k) + ",指标,人,flow,0,,,,i" + std::to_string(k - 1) + "\n";
  auto pc = error_of([&] { (void)catalogue::parse(parts, "parts.csv"); });
  REQUIRE(pc);
  CHECK(std::string(pc->what()).find("parts.csv:2:9 (part_of): circular part_of involving 'i0'") == 0);
  // 20 000 rules then a duplicate name; the first line is named.
  catalogue cat = catalogue::parse(small_indicators, "i.csv");
  std::string rules;
  for (int k = 0; k < 20000; ++k) rules += "r" + std::to_string(k) + " | info | new_jobs >= 0\n";
  auto dup = error_of([&] { (void)rule_set::parse(rules + "r7 | info | new_jobs >= 1\n", "rules.txt", cat); });
  REQUIRE(dup);
  CHECK(std::string(dup->what()).find("rules.txt:20001:1: duplicate rule name 'r7' (first at line 8)") == 0);
  // Targets: every month of 1900–2200 for one region, then a duplicate.
  model m;
  m.load_regions_text(small_regions);
  m.load_indicators_text(small_indicators);
  m.load_observations_text("region,period,indicator,value\na1,2021-01,new_jobs,3\n");
  m.rollup();
  std::string targets = "region,indicator,period,kind,value\n";
  for (int y = 1900; y <= 2200; ++y)
    for (int mo = 1; mo <= 12; ++mo) targets += fmt::format("C1,new_jobs,{}-{:02},floor,1\n", y, mo);
  auto dt = error_of([&] { (void)parse_targets(targets + "C1,new_jobs,2021-01,floor,2\n", "t.csv", m); });
  REQUIRE(dt);
  CHECK(std::string(dt->what()).find("duplicate target for (C1, new_jobs, 2021-01) (first at line 1454)") != std::string::npos);
  // 20 000 scopes then a duplicate.
  std::string scopes = "code,name,include,exclude\n";
  for (int k = 0; k < 20000; ++k) scopes += "s" + std::to_string(k) + ",范围,a1,\n";
  auto ds = error_of([&] { (void)parse_scopes(scopes + "s5,范围,A,\n", "s.csv", m.regions()); });
  REQUIRE(ds);
  CHECK(std::string(ds->what()).find("duplicate scope code 's5'") != std::string::npos);
  // A template with 20 000 missing values (each warned about with its position): positions are found
  // incrementally, not by rescanning the template from its start.
  std::string tmpl;
  for (int k = 0; k < 20000; ++k) tmpl += "值{new_jobs@A}\n";
  report_result r = render_report(m, tmpl, 0, period::parse("2021-02"), {}, "t.tmpl");
  REQUIRE(r.warnings.size() == 20000);
  CHECK(r.warnings.back().find("t.tmpl:20000:2: {new_jobs@A}: no value") == 0);
  // All of the above together in well under a second normally; generous for sanitizer builds.
  CHECK(seconds_since(t0) < 60.0);
}
