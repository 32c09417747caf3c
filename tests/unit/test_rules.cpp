// The rule language (parser, exact evaluator, missing-value strategies, tolerance, levels) and the
// built-in checks, on tests/data/checks (see test_targets.cpp for the data month by month).
//   jobs: K ytd M3 = 360 (months 100, 120, 140), t1 ytd M3 240, t2 ytd M3 120; 2020: K 100 a month
//   loans: t1 0.10 (Jan) + 0.20 (Feb); t2 never; insured: never; incidents: 0 until t2's 1 in May
#include <doctest/doctest.h>

#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <string>
#include <vector>

using namespace zhibiao;

namespace {

model rules_model() {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/checks/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/checks/indicators.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/checks/observations.csv");
  m.rollup();
  return m;
}

rule one_rule(const model& m, const std::string& line) {
  rule_set rs = rule_set::parse(line, "rules.txt", m.indicators());
  REQUIRE(rs.rules().size() == 1);
  return rs.rules().front();
}

// Evaluates one rule line at a region for a period.
rule_result at(const model& m, const std::string& line, const char* region, const period& p) {
  return evaluate_rule(m, one_rule(m, line), m.regions().require(region), p);
}

const period q1 = period::year_to_date(2021, 3);

// True when the rule is evaluated and holds at K for 2021年1-3月.
bool holds(const model& m, const std::string& expr) {
  rule_result r = at(m, "r | error | " + expr, "K", q1);
  return r.evaluated && r.passed && !r.division_by_zero;
}

std::string s(const std::optional<decimal>& d) { return d ? d->to_string() : "—"; }

std::vector<finding> run_rules(const model& m, const std::string& text, int month, bool passes) {
  rule_set rs = rule_set::parse(text, "rules.txt", m.indicators());
  check_options o;
  o.as_of = period::month(2021, month);
  o.include_passes = passes;
  o.builtin = false;
  return evaluate(m, {}, &rs, o);
}

std::vector<std::string> regions_of(const model& m, const std::vector<finding>& fs) {
  std::vector<std::string> out;
  for (const finding& f : fs) out.push_back(m.regions()[f.region].code);
  return out;
}

struct where_reason {
  std::size_t line = 0, column = 0;
  std::string reason;
};

// The error a rules file raises: errc::rule for a mistake in the language, errc::limit past the nesting
// and operator limits.
where_reason rule_error(const model& m, const std::string& text, errc want = errc::rule) {
  try {
    rule_set::parse(text, "rules.txt", m.indicators());
  } catch (const load_error& e) {
    CHECK(e.code() == want);
    CHECK(e.where().file == "rules.txt");
    return {e.where().line, e.where().column, e.reason()};
  }
  return {};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("rules: precedence, associativity and unary minus") {
  model m = rules_model();
  CHECK(holds(m, "2 + 3 * 4 == 14"));      // * before +
  CHECK_FALSE(holds(m, "2 + 3 * 4 == 20"));
  CHECK(holds(m, "(2 + 3) * 4 == 20"));    // parentheses first
  CHECK(holds(m, "10 - 4 - 3 == 3"));      // (10 − 4) − 3, not 10 − (4 − 3) = 9
  CHECK(holds(m, "24 / 4 / 2 == 3"));      // (24 / 4) / 2, not 24 / (4 / 2) = 12
  CHECK(holds(m, "-2 * 3 == -6"));
  CHECK(holds(m, "-2 + 5 == 3"));          // (−2) + 5, not −(2 + 5) = −7
  CHECK(holds(m, "- -2 == 2"));
  CHECK(holds(m, "2 - -3 == 5"));
  CHECK(holds(m, "-(2 + 3) * 2 == -10"));
  CHECK(holds(m, "+2 == 2"));
  CHECK(holds(m, "2 × 3 ÷ 4 == 1.5"));     // 6 / 4
  CHECK(holds(m, "5 − 3 == 2"));           // U+2212 minus sign, as in typeset documents
  CHECK(holds(m, "−2 × 3 == −6"));
  CHECK(holds(m, "2+3*4==14"));            // no spaces needed
  // Every comparison.
  CHECK(holds(m, "1 < 2"));
  CHECK(holds(m, "2 <= 2"));
  CHECK(holds(m, "3 > 2"));
  CHECK(holds(m, "2 >= 2"));
  CHECK(holds(m, "1 != 2"));
  CHECK_FALSE(holds(m, "2 < 2"));
  CHECK_FALSE(holds(m, "2 > 2"));
  CHECK_FALSE(holds(m, "1 != 1"));
  // Both sides are reported (rounded to 6 decimals for display only).
  rule_result r = at(m, "r | error | 2 + 3 * 4 == 20", "K", q1);
  CHECK(r.evaluated);
  CHECK_FALSE(r.passed);
  CHECK(s(r.left) == "14");
  CHECK(s(r.right) == "20");
}

TEST_CASE("rules: arithmetic is exact rational arithmetic") {
  model m = rules_model();
  CHECK(holds(m, "0.1 + 0.2 == 0.3"));       // in binary floating point this is false
  CHECK(holds(m, "1 / 3 * 3 == 1"));         // no rounding inside a rule
  CHECK(holds(m, "1 / 3 + 1 / 3 + 1 / 3 == 1"));
  CHECK_FALSE(holds(m, "1 / 3 == 0.333333"));
  rule_result third = at(m, "r | error | 1 / 3 > 0", "K", q1);
  CHECK(s(third.left) == "0.333333");        // 1/3 shown to 6 decimals
  CHECK(s(at(m, "r | error | 2 / 3 > 0", "K", q1).left) == "0.666667");  // half-up
  // On the model: t1's loans 0.10 + 0.20 = 0.30 万元 as of February equal 0.1 + 0.2 exactly.
  auto fs = run_rules(m, "exact | error | loans == 0.1 + 0.2 | levels=town", 2, true);
  REQUIRE(fs.size() == 1);  // t2 has no loans: skipped (skip_any), not 0
  CHECK(m.regions()[fs[0].region].code == "t1");
  CHECK(fs[0].status == "pass");
  CHECK(fs[0].when == period::year_to_date(2021, 2));
  CHECK(s(fs[0].actual) == "0.3");
  CHECK(s(fs[0].expected) == "0.3");
  // A huge product does not overflow (the display value may be dropped, the verdict stays exact).
  rule_result big = at(m, "r | error | 9000000000000000000 * 9000000000000000000 * 9000000000000000000 > 1", "K", q1);
  CHECK(big.evaluated);
  CHECK(big.passed);
  CHECK_FALSE(big.left);  // 7.29 × 10^56 does not fit a decimal: not shown
  CHECK(s(big.right) == "1");
  std::vector<finding> bf;
  CHECK_NOTHROW(bf = run_rules(m, "big | info | 9000000000000000000 * 9000000000000000000 * 9000000000000000000 > 1 | levels=county", 3, true));
  REQUIRE(bf.size() == 1);
  CHECK(bf[0].status == "pass");
  CHECK(has(bf[0].message, "左边 —，右边 1，成立"));
}

TEST_CASE("rules: division by zero is a finding, not an exception") {
  model m = rules_model();
  // K's incidents ytd through March = 0 → jobs / incidents divides by zero.
  rule_result r;
  CHECK_NOTHROW(r = at(m, "r | error | jobs / incidents > 0", "K", q1));
  CHECK(r.evaluated);
  CHECK(r.division_by_zero);
  CHECK_FALSE(r.passed);
  CHECK(at(m, "r | error | 1 / (2 - 2) == 0", "K", q1).division_by_zero);
  CHECK(at(m, "r | error | 1 ÷ 0 == 0", "K", q1).division_by_zero);
  auto fs = run_rules(m, "per_incident | warning | jobs / incidents > 0 | levels=county", 3, false);
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].status == "division_by_zero");
  CHECK(fs[0].level == severity::warning);
  CHECK(fs[0].message == "示范县 2021年1-3月 规则 per_incident（jobs / incidents > 0）：除数为零，无法判断");
  // From May incidents = 1: 585 / 1 > 0 holds, and passes are not listed by default.
  CHECK(run_rules(m, "per_incident | warning | jobs / incidents > 0 | levels=county", 6, false).empty());
}

TEST_CASE("rules: missing-value strategies") {
  model m = rules_model();
  // At t2 (2021年1-3月): jobs = 120, loans missing, insured missing. At t1: jobs 240, loans 0.30.
  // Loans are 万元 and jobs 人, so a sum writes the loans' factor out (a product is not unit-checked).
  // skip_any (the default): one operand missing → skipped.
  rule_result any = at(m, "r | error | jobs + loans * 10000 >= 0", "t2", q1);
  CHECK_FALSE(any.evaluated);
  CHECK_FALSE(any.passed);
  rule_result t1 = at(m, "r | error | jobs + loans * 10000 >= 0", "t1", q1);
  CHECK(t1.evaluated);
  CHECK(s(t1.left) == "3240");  // 240 + 0.30 × 10000
  // skip_all: evaluated with the missing loans as 0 → 120 + 0 = 120.
  rule_result all = at(m, "r | error | jobs + loans * 10000 == 120 | missing=skip_all", "t2", q1);
  CHECK(all.evaluated);
  CHECK(all.passed);
  CHECK(s(all.left) == "120");
  // skip_all with every operand missing → skipped.
  CHECK_FALSE(at(m, "r | error | loans * 10000 + insured == 0 | missing=skip_all", "t2", q1).evaluated);
  // …even when treating them as 0 would divide by zero.
  rule_result all_div = at(m, "r | error | loans / insured >= 0 | missing=skip_all", "t2", q1);
  CHECK_FALSE(all_div.evaluated);
  CHECK_FALSE(all_div.division_by_zero);
  // skip_all with some present: the missing divisor counts as 0 → division by zero.
  CHECK(at(m, "r | error | jobs / insured >= 0 | missing=skip_all", "t2", q1).division_by_zero);
  // zero: always evaluated, missing = 0 → 0 + 0 == 0.
  rule_result zero = at(m, "r | error | loans * 10000 + insured == 0 | missing=zero", "t2", q1);
  CHECK(zero.evaluated);
  CHECK(zero.passed);
  CHECK(s(zero.left) == "0");
  CHECK(at(m, "r | error | loans / insured >= 0 | missing=zero", "t2", q1).division_by_zero);
  // skip_any: a missing operand skips the rule even when another part divides by zero.
  rule_result skip_div = at(m, "r | error | 1 / 0 >= loans", "t2", q1);
  CHECK_FALSE(skip_div.evaluated);
  CHECK_FALSE(skip_div.division_by_zero);
  CHECK_FALSE(at(m, "r | error | loans / 0 >= 0", "t2", q1).evaluated);
  // A rule of numbers only is never skipped, whatever the strategy.
  CHECK(at(m, "r | error | 1 + 1 == 2 | missing=skip_all", "t2", q1).evaluated);
  // In evaluate(): the skipped region produces no finding at all.
  auto fs = run_rules(m, "r | error | jobs + loans * 10000 < 0 | levels=town", 3, true);
  REQUIRE(fs.size() == 1);
  CHECK(m.regions()[fs[0].region].code == "t1");
  CHECK(fs[0].status == "fail");
  auto fz = run_rules(m, "r | error | jobs + loans * 10000 < 0 | missing=zero | levels=town", 3, true);
  CHECK(regions_of(m, fz) == std::vector<std::string>{"t1", "t2"});
}

TEST_CASE("rules: tolerance lets a comparison miss by a stated amount") {
  model m = rules_model();
  // K jobs 2021年1-3月 = 360.
  auto ok = [&](const std::string& line) {
    rule_result r = at(m, line, "K", q1);
    REQUIRE(r.evaluated);
    return r.passed;
  };
  CHECK_FALSE(ok("r | error | jobs == 361"));               // exactly: 360 ≠ 361
  CHECK(ok("r | error | jobs == 361 | tolerance=1"));       // |360 − 361| = 1 ≤ 1
  CHECK(ok("r | error | jobs == 359 | tolerance=1"));       // both directions
  CHECK_FALSE(ok("r | error | jobs == 361 | tolerance=0.5"));
  CHECK(ok("r | error | jobs <= 359 | tolerance=1"));       // 360 ≤ 359 + 1
  CHECK_FALSE(ok("r | error | jobs < 359 | tolerance=1"));  // 360 < 360 is false
  CHECK(ok("r | error | jobs >= 361 | tolerance=1"));       // 360 + 1 ≥ 361
  CHECK_FALSE(ok("r | error | jobs > 361 | tolerance=1"));
  CHECK_FALSE(ok("r | error | jobs != 361 | tolerance=1")); // differs by 1, within the tolerance
  CHECK(ok("r | error | jobs != 362 | tolerance=1"));
  // A decimal tolerance on money: t1 loans 0.30 vs 0.31 万元.
  CHECK(at(m, "r | error | loans == 0.31 | tolerance=0.01", "t1", q1).passed);
  CHECK_FALSE(at(m, "r | error | loans == 0.31 | tolerance=0.009", "t1", q1).passed);
  CHECK(one_rule(m, "r | error | jobs == 361 | tolerance=1").tolerance.to_string() == "1");
}

TEST_CASE("rules: levels restrict the regions a rule is checked at") {
  model m = rules_model();
  CHECK(regions_of(m, run_rules(m, "r | info | jobs >= 0", 3, true)) == std::vector<std::string>{"C", "K", "t1", "t2"});
  CHECK(regions_of(m, run_rules(m, "r | info | jobs >= 0 | levels=town", 3, true)) == std::vector<std::string>{"t1", "t2"});
  CHECK(regions_of(m, run_rules(m, "r | info | jobs >= 0 | levels=county,city", 3, true)) ==
        std::vector<std::string>{"C", "K"});
  CHECK(regions_of(m, run_rules(m, "r | info | jobs >= 0 | levels = county", 3, true)) == std::vector<std::string>{"K"});
  CHECK(run_rules(m, "r | info | jobs >= 0 | levels=village", 3, true).empty());
  rule r = one_rule(m, "r | info | jobs >= 0 | levels=county,town");
  CHECK(r.levels == std::vector<level>{level::county, level::town});
}

TEST_CASE("rules: ytd, monthly and last_year pick their periods") {
  model m = rules_model();
  // At K for 2021年1-3月 (the period evaluate() checks as of March): bare = year-to-date.
  CHECK(holds(m, "jobs == 360"));                        // 100 + 120 + 140
  CHECK(holds(m, "ytd(jobs) == 360"));
  CHECK(holds(m, "monthly(jobs) == 140"));               // March alone
  CHECK(holds(m, "ytd(jobs) - monthly(jobs) == 220"));   // January + February
  CHECK(holds(m, "last_year(jobs) == 300"));             // 2020年1-3月: 100 × 3
  CHECK(holds(m, "last_year(monthly(jobs)) == 100"));    // 2020-03
  CHECK(holds(m, "monthly(last_year(jobs)) == 100"));
  CHECK(holds(m, "jobs - last_year(jobs) == 60"));       // 360 − 300
  CHECK(holds(m, "monthly(ytd(jobs)) == 360"));          // the innermost span function decides: ytd
  CHECK(holds(m, "ytd(monthly(jobs)) == 140"));          // … and here monthly
  // A stock: the value as of the end of March (25 + 10 unemployed), the same for monthly().
  CHECK(holds(m, "unemp == 35"));
  CHECK(holds(m, "monthly(unemp) == 35"));
  CHECK(holds(m, "rate == 3.5"));                         // 35 / 1000 × 100 = 3.50
  // A parameter in force: 140 through March, 180 through June.
  CHECK(holds(m, "pension_std == 140"));
  CHECK(at(m, "r | error | pension_std == 180", "K", period::year_to_date(2021, 6)).passed);
  // For a single month, a bare code is that month and ytd() widens it.
  period march = period::month(2021, 3);
  CHECK(at(m, "r | error | jobs == 140", "K", march).passed);
  CHECK(at(m, "r | error | ytd(jobs) == 360", "K", march).passed);
  CHECK(at(m, "r | error | last_year(jobs) == 100", "K", march).passed);
  // last_year of data that does not exist is missing: skipped under skip_any.
  CHECK_FALSE(at(m, "r | error | last_year(loans) >= 0", "t1", q1).evaluated);
  CHECK(at(m, "r | error | last_year(loans) == 0 | missing=zero", "t1", q1).passed);
  // Through June: t1 345 ≥ 2020's 300; t2 240 < 300.
  auto fs = run_rules(m, "grow | info | ytd(jobs) >= last_year(ytd(jobs)) | levels=town", 6, true);
  REQUIRE(fs.size() == 2);
  CHECK(fs[0].status == "pass");
  CHECK(s(fs[0].actual) == "345");
  CHECK(s(fs[0].expected) == "300");
  CHECK(fs[1].status == "fail");
  CHECK(fs[1].level == severity::info);
  CHECK(fs[1].message == "西镇 2021年1-6月 规则 grow（ytd(jobs) >= last_year(ytd(jobs))）：左边 240，右边 300，不成立");
}

TEST_CASE("rules: evaluate() checks rules at the year-to-date period of the as-of month") {
  model m = rules_model();
  auto fs = run_rules(m, "# a comment\n\nenough | warning | jobs >= 400 | levels=county  # trailing comment\n", 3, false);
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].check == "enough");
  CHECK(fs[0].subject == "jobs >= 400");
  CHECK(fs[0].when == period::year_to_date(2021, 3));
  CHECK(fs[0].status == "fail");
  CHECK(fs[0].level == severity::warning);
  CHECK(s(fs[0].actual) == "360");
  CHECK(s(fs[0].expected) == "400");
  CHECK(fs[0].message == "示范县 2021年1-3月 规则 enough（jobs >= 400）：左边 360，右边 400，不成立");
  // As of June K has 585 ≥ 400: nothing to report unless passes are asked for.
  CHECK(run_rules(m, "enough | warning | jobs >= 400 | levels=county", 6, false).empty());
  auto pass = run_rules(m, "enough | warning | jobs >= 400 | levels=county", 6, true);
  REQUIRE(pass.size() == 1);
  CHECK(pass[0].status == "pass");
  CHECK(pass[0].level == severity::info);
  // The rules file in tests/data/checks parses with the line numbers of its rules.
  rule_set rs = rule_set::parse(csv::read_file(ZHIBIAO_TEST_DATA "/checks/rules.txt"), "rules.txt", m.indicators());
  REQUIRE(rs.rules().size() == 3);
  CHECK(rs.rules()[0].name == "hard_within_jobs");
  CHECK(rs.rules()[0].line == 3);
  CHECK(rs.rules()[1].missing == missing_strategy::zero);
  CHECK(rs.rules()[2].level == severity::warning);
  check_options o;
  o.as_of = period::month(2021, 1);
  o.builtin = false;
  auto ff = evaluate(m, {}, &rs, o);
  // January: t1 jobs_hard 30 + jobs_grad 40 = 70 > jobs 60 → the only failure of the three rules;
  // rate_cap: t1 20/500 = 4.00 % > 3.5 → a warning at t1 (towns only).
  REQUIRE(ff.size() == 2);
  CHECK(ff[0].check == "groups_within_jobs");
  CHECK(m.regions()[ff[0].region].code == "t1");
  CHECK(s(ff[0].actual) == "70");
  CHECK(s(ff[0].expected) == "60");
  CHECK(ff[1].check == "rate_cap");
  CHECK(m.regions()[ff[1].region].code == "t1");
  CHECK(s(ff[1].actual) == "4");
}

TEST_CASE("rules: built-in part_of, parts, share and reconcile checks") {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/checks/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/checks/indicators.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/checks/observations.csv");
  // K reports its own December total: 125, while its towns add up to 80 + 40 = 120.
  m.load_observations_text("region,period,indicator,value\nK,2021-12,jobs,125\n");
  m.rollup();
  check_options o;
  o.as_of = period::month(2021, 1);
  auto fs = evaluate(m, {}, nullptr, o);
  // January: t1 jobs_hard 30 + jobs_grad 40 = 70 > jobs 60 → parts fails at t1 (each part alone ≤ 60 passes);
  // t2 10 + 10 ≤ 40, K 40 + 50 ≤ 100, C the same: no failure elsewhere.
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].check == "parts");
  CHECK(m.regions()[fs[0].region].code == "t1");
  CHECK(fs[0].subject == "jobs_hard + jobs_grad <= jobs");
  CHECK(fs[0].status == "fail");
  CHECK(fs[0].level == severity::error);
  CHECK(s(fs[0].actual) == "70");
  CHECK(s(fs[0].expected) == "60");
  // With passes: part_of for both parts at every region (4 × 2), parts at every region (4), share of the rate (4).
  o.include_passes = true;
  auto all = evaluate(m, {}, nullptr, o);
  int part_of = 0, parts = 0, share = 0;
  for (const finding& f : all) {
    part_of += f.check == "part_of";
    parts += f.check == "parts";
    share += f.check == "share";
  }
  CHECK(part_of == 8);
  CHECK(parts == 4);
  CHECK(share == 4);
  // As of March (ytd): t1 70 ≤ 240 → nothing fails.
  o.include_passes = false;
  o.as_of = period::month(2021, 3);
  CHECK(evaluate(m, {}, nullptr, o).empty());
  // Reconcile: as of December K's reported 125 differs from the towns' 120; the roll-up keeps 120.
  o.as_of = period::month(2021, 12);
  auto dec = evaluate(m, {}, nullptr, o);
  REQUIRE(dec.size() == 1);
  CHECK(dec[0].check == "reconcile");
  CHECK(dec[0].status == "differs");
  CHECK(dec[0].when == period::month(2021, 12));
  CHECK(s(dec[0].actual) == "125");
  CHECK(s(dec[0].expected) == "120");
  CHECK(m.value(m.regions().require("K"), period::year_to_date(2021, 12), m.indicators().require("jobs")).value->to_string() == "1200");
  // Before December there is nothing to reconcile; without built-ins nothing at all.
  o.as_of = period::month(2021, 11);
  CHECK(evaluate(m, {}, nullptr, o).empty());
  o.as_of = period::month(2021, 12);
  o.builtin = false;
  CHECK(evaluate(m, {}, nullptr, o).empty());
}

TEST_CASE("rules: every parse error names its line, character column and reason") {
  model m = rules_model();
  // Lines 1–3 are a comment, a blank line and a good rule; the bad line is line 4.
  const std::string head = "# rules\n\nok | info | jobs >= 0\n";
  struct bad {
    std::string line;
    std::size_t column;
    const char* reason;
  };
  // "r | error | " is 12 characters: the expression starts at column 13.
  const bad cases[] = {
      {"r | error | jobs + foo >= 0", 20, "unknown indicator 'foo'"},
      {"r | error | sum(jobs) >= 0", 13, "unknown function 'sum' (expected ytd, monthly or last_year)"},
      {"r | error | (jobs + 1 >= 0", 23, "expected ')'"},
      {"r | error | ytd(jobs >= 0", 22, "expected ')' to close the function call"},
      {"r | error | jobs + 1", 21, "expected a comparison (== != < <= > >=)"},
      {"r | error | jobs 1 >= 0", 18, "expected a comparison (== != < <= > >=) or an operator"},
      {"r | error | jobs = 1", 18, "expected a comparison"},
      {"r | error | 0 <= jobs <= 10", 23, "only one comparison is allowed in a rule"},
      {"r | error | jobs >= 0 jobs", 23, "unexpected text after the expression"},
      {"r | error | jobs >= 0)", 22, "unexpected text after the expression"},
      {"r | error | jobs >=", 20, "expected a number, an indicator code or '('"},
      {"r | error | jobs >= @", 21, "unexpected '@'"},
      {"r | error | 1.2.3 >= 0", 13, "malformed number '1.2.3'"},
      {"r | error |", 12, "empty expression"},
      {"r | error |    | missing=zero", 16, "empty expression"},
      {"r | fatal | jobs >= 0", 5, "unknown severity 'fatal' (expected error, warning or info)"},
      {"r | error | jobs >= 0 | level=town", 25, "unknown option 'level'"},
      {"r | error | jobs >= 0 | missing=ignore", 25, "unknown missing strategy 'ignore'"},
      {"r | error | jobs >= 0 | zero", 25, "expected key=value"},
      {"r | error | jobs >= 0 | tolerance=abc", 25, "tolerance must be a decimal number"},
      {"r | error | jobs >= 0 | tolerance=-1", 25, "tolerance must not be negative"},
      {"r | error | jobs >= 0 | levels=county,villa", 25, "unknown level 'villa'"},
      {"ok | warning | jobs >= 1", 1, "duplicate rule name 'ok' (first at line 3)"},
      {"r | error", 10, "expected 'name | severity | expression'"},
      {"just_a_name", 12, "expected 'name | severity | expression'"},
      {"my rule | error | jobs >= 0", 1, "rule name 'my rule' must be letters"},
      {"   | error | jobs >= 0", 4, "empty rule name"},
      // Columns count characters, not bytes: × and ÷ are one column each (two bytes in UTF-8).
      {"r | error | 2 × 3 ÷ foo == 1", 21, "unknown indicator 'foo'"},
      // A full-width parenthesis (common with Chinese input methods) is shown whole in the message.
      {"r | error | jobs >= （1）", 21, "unexpected '（'"},
  };
  for (const bad& b : cases) {
    CAPTURE(b.line);
    where_reason e = rule_error(m, head + b.line + "\n");
    CHECK(e.line == 4);
    CHECK(e.column == b.column);
    CHECK_MESSAGE(has(e.reason, b.reason), e.reason);
  }
  // CRLF line ends: the line is still counted right and the '\r' is not part of the expression.
  where_reason crlf = rule_error(m, "a | info | jobs >= 0\r\nb | info | jobs >=\r\n");
  CHECK(crlf.line == 2);
  CHECK(crlf.column == 19);  // "b | info | " is 11 characters, "jobs >=" 7 more → the end, column 19
  CHECK(has(crlf.reason, "expected a number"));
  // The message is file:line:column: reason.
  try {
    rule_set::parse("r | error | jobs + foo >= 0", "rules.txt", m.indicators());
    FAIL("no error");
  } catch (const load_error& e) {
    CHECK(std::string(e.what()).rfind("rules.txt:1:20: unknown indicator 'foo'", 0) == 0);
  }
}

TEST_CASE("rules: nesting beyond the limit is a clear error, never a crash") {
  model m = rules_model();
  // 100 000 '(' : the parser stops at depth 201. "r | error | " is 12 characters and the error is at the
  // 202nd '(' (after 201 were opened): column 12 + 201 + 1 = 214.
  where_reason parens = rule_error(m, "r | error | " + std::string(100000, '(') + "1 == 1\n", errc::limit);
  CHECK(parens.line == 1);
  CHECK(parens.column == 214);
  CHECK(has(parens.reason, "expression nested more than 200 levels deep"));
  // The same for unary minus and for nested function calls ("ytd(" is 4 characters: 12 + 4 × 201 + 1 = 817).
  where_reason minus = rule_error(m, "r | error | " + std::string(100000, '-') + "1 == 1\n", errc::limit);
  CHECK(minus.column == 214);
  CHECK(has(minus.reason, "nested more than 200 levels"));
  std::string calls;
  for (int k = 0; k < 100000; ++k) calls += "ytd(";
  where_reason fn = rule_error(m, "r | error | " + calls + "jobs\n", errc::limit);
  CHECK(fn.column == 817);
  CHECK(has(fn.reason, "nested more than 200 levels"));
  // 200 levels are still fine.
  std::string ok = std::string(200, '(') + "1" + std::string(200, ')') + " == 1";
  CHECK(holds(m, ok));
  // A flat chain of 1000 operators (1001 terms) is fine: 1 + 1 + … = 1001.
  std::string chain = "1";
  for (int k = 0; k < 1000; ++k) chain += " + 1";
  CHECK(holds(m, chain + " == 1001"));
  // One more operator is over the limit: "… + 1 * 2" builds the '*' first, so the 1000th '+' (byte 3998,
  // column 12 + 3998 + 1 = 4011) is the 1001st operator.
  where_reason over = rule_error(m, "r | error | " + chain + " * 2 == 1002\n", errc::limit);
  CHECK(over.column == 4011);
  CHECK(has(over.reason, "more than 1000 operators"));
}

TEST_CASE("rules: a chain of more operators than the limit is a clear error, never a stack overflow") {
  model m = rules_model();
  // 100 000 terms "1 + 1 + …": the k-th '+' is at byte 4k − 2 of the expression, so the 1001st is at
  // 4002; column 12 + 4002 + 1 = 4015. (Evaluating a tree that deep used to overflow the stack.)
  std::string chain = "1";
  for (int k = 1; k < 100000; ++k) chain += " + 1";
  where_reason e = rule_error(m, "r | error | " + chain + " == 100000\n", errc::limit);
  CHECK(e.line == 1);
  CHECK(e.column == 4015);
  CHECK(has(e.reason, "expression has more than 1000 operators"));
  // The same with products; "2 * " is 4 characters as well.
  std::string product = "2";
  for (int k = 1; k < 5000; ++k) product += " * 2";
  CHECK(rule_error(m, "r | error | " + product + " > 0\n", errc::limit).column == 4015);
}

TEST_CASE("rules: the county example's rules as of 2021-04 and 2021-06") {
  model m;
  m.load_regions(ZHIBIAO_SOURCE_DIR "/examples/county/regions.csv");
  m.load_indicators(ZHIBIAO_SOURCE_DIR "/examples/county/indicators.csv");
  m.load_scopes(ZHIBIAO_SOURCE_DIR "/examples/county/scopes.csv");
  m.load_observations(ZHIBIAO_SOURCE_DIR "/examples/county/observations.csv");
  m.rollup();
  rule_set rs = rule_set::parse(csv::read_file(ZHIBIAO_SOURCE_DIR "/examples/county/rules.txt"), "rules.txt", m.indicators());
  CHECK(rs.rules().size() == 21);  // 14, and the 7 under "sections 二-四"
  auto cap_failures = [&](int month) {
    check_options o;
    o.as_of = period::month(2021, month);
    std::vector<finding> out;
    for (const finding& f : evaluate(m, {}, &rs, o))
      if (f.check == "unemployment_rate_under_cap") out.push_back(f);
    return out;
  };
  // 陶河镇 441521107000 as of the end of April: 128 / (128 + 3470) = 3.5575… % → 3.56 > 3.5.
  auto apr = cap_failures(4);
  REQUIRE(apr.size() == 1);
  CHECK(m.regions()[apr[0].region].code == "441521107000");
  CHECK(apr[0].status == "fail");
  CHECK(apr[0].level == severity::warning);
  CHECK(s(apr[0].actual) == "3.56");
  CHECK(s(apr[0].expected) == "3.5");
  // As of the end of June: 122 / (122 + 3479) = 3.3879… → 3.39 ≤ 3.5; and January's 125/3568 = 3.5034 %
  // is 3.50 once rounded to the indicator's 2 decimals, which the rule compares: no failure either.
  CHECK(cap_failures(6).empty());
  CHECK(cap_failures(1).empty());
}

TEST_CASE("rules: built-in part_of and parts compare across units of one dimension exactly") {
  // 专业技术人才 in 万人 (2 decimals) with its parts 政府特殊津贴专家 and 副高以上 in 人; one town, one county.
  model m;
  m.load_regions_text("code,name,level,parent\nK,示范县,county,\nt1,一镇,town,K\n", "regions.csv");
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of,parts\n"
                         "talent,专业技术人才,万人,stock,2,,,,,le\n"
                         "experts,政府特殊津贴专家,人,stock,0,,,,talent,\n"
                         "senior,副高以上,人,stock,0,,,,talent,\n",
                         "indicators.csv");
  // January: 35 人 = 0.0035 万人 ≤ 1.20 万人 (it used to read "35 > 1.20"); 35 + 11965 = 12000 人 = 1.2000 万人 ≤ 1.20.
  // February: 35 + 12000 = 12035 人 = 1.2035 万人 > 1.20 万人; each part alone still fits.
  m.load_observations_text("region,period,indicator,value\n"
                           "t1,2021-01,talent,1.20\nt1,2021-01,experts,35\nt1,2021-01,senior,11965\n"
                           "t1,2021-02,talent,1.20\nt1,2021-02,experts,35\nt1,2021-02,senior,12000\n",
                           "obs.csv");
  m.rollup();
  check_options o;
  o.as_of = period::month(2021, 1);
  CHECK(evaluate(m, {}, nullptr, o).empty());
  o.include_passes = true;
  auto jan = evaluate(m, {}, nullptr, o);
  REQUIRE(jan.size() == 6);  // at K, then at t1: parts of talent, part_of of experts and of senior
  CHECK(jan[0].check == "parts");
  CHECK(s(jan[0].actual) == "1.2000");
  CHECK(jan[0].status == "pass");
  CHECK(jan[1].check == "part_of");
  CHECK(jan[1].subject == "experts <= talent");
  CHECK(s(jan[1].actual) == "0.0035");
  CHECK(s(jan[1].expected) == "1.20");
  CHECK(jan[1].status == "pass");
  CHECK(jan[1].message == "示范县 2021年1月 其中 政府特殊津贴专家 35人（0.0035万人） ≤ 专业技术人才 1.20万人");
  o.include_passes = false;
  o.as_of = period::month(2021, 2);
  auto feb = evaluate(m, {}, nullptr, o);
  REQUIRE(feb.size() == 2);  // parts fails at K and at t1
  for (const finding& f : feb) {
    CHECK(f.check == "parts");
    CHECK(s(f.actual) == "1.2035");
    CHECK(s(f.expected) == "1.20");
  }
  CHECK(feb[0].message == "示范县 2021年1-2月 专业技术人才 各项合计 1.2035万人 > 专业技术人才 1.20万人");
}

namespace {

// One town with 人 and 万人, 元 and 万元, 人次, 个 and % indicators, January 2021 only.
model units_model() {
  model m;
  m.load_regions_text("code,name,level,parent\nt1,一镇,town,\n", "regions.csv");
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
                         "jobs,新增就业,人,flow,0,,,,\n"
                         "talent,人才,万人,stock,2,,,,\n"
                         "paid,补贴,元,flow,2,,,,\n"
                         "fund,资金,万元,flow,2,,,,\n"
                         "trainings,培训,人次,flow,0,,,,\n"
                         "posts,岗位,个,flow,0,,,,\n"
                         "rate,失业率,%,ratio,2,jobs,jobs+posts,,\n",
                         "indicators.csv");
  m.load_observations_text("region,period,indicator,value\n"
                           "t1,2021-01,jobs,12000\nt1,2021-01,talent,1.20\nt1,2021-01,paid,12345.67\n"
                           "t1,2021-01,fund,1.25\nt1,2021-01,trainings,30\nt1,2021-01,posts,40\n",
                           "obs.csv");
  m.rollup();
  return m;
}

}  // namespace

TEST_CASE("rules: operands of different dimensions are a rule error naming the rule and both operands") {
  model m = units_model();
  where_reason e = rule_error(m, "ok | info | jobs >= 0\nmixed | error | jobs + 1 <= fund\n");
  CHECK(e.line == 2);
  CHECK(e.column == 26);  // the comparison
  CHECK(e.reason == "rule 'mixed' compares jobs + 1 (人, people) with fund (万元, money): different dimensions in 'jobs + 1 <= fund'");
  where_reason add = rule_error(m, "sum | error | paid + trainings >= 0\n");
  CHECK(add.column == 20);
  CHECK(add.reason.find("rule 'sum' adds paid (元, money) and trainings (人次, person-times): different dimensions") == 0);
  CHECK(rule_error(m, "r | error | rate <= paid\n").reason.find("rule 'r' compares rate (%, ratio) with paid (元, money)") == 0);
  // Counts of people, person-times and items compare with one another (a plausibility check such as
  // 达成就业意向 ≤ 提供就业岗位); a product or quotient may carry a unit in its literal and is not checked.
  CHECK(rule_error(m, "a | info | jobs <= posts\nb | info | trainings <= jobs\nc | info | fund * 10000 >= paid\n"
                      "d | info | paid / trainings <= 500\n")
            .reason.empty());
}

TEST_CASE("rules: the same dimension in different units is converted exactly to the left operand's unit") {
  model m = units_model();
  const period jan = period::month(2021, 1);
  auto eval_at = [&](const std::string& expr) { return at(m, "r | error | " + expr, "t1", jan); };
  // 12000 人 = 1.2 万人 exactly, both ways.
  rule_result a = eval_at("jobs == talent");
  CHECK(a.passed);
  CHECK(s(a.left) == "12000");
  CHECK(s(a.right) == "12000");
  rule_result b = eval_at("talent == jobs");
  CHECK(b.passed);
  CHECK(s(b.left) == "1.2");
  CHECK(s(b.right) == "1.2");
  // 12345.67 元 ≤ 1.25 万元 = 12500 元; the other way 1.25 万元 > 1.234567 万元.
  rule_result c = eval_at("paid <= fund");
  CHECK(c.passed);
  CHECK(s(c.right) == "12500");
  rule_result d = eval_at("fund <= paid");
  CHECK_FALSE(d.passed);
  CHECK(s(d.right) == "1.234567");
  // In a sum: 1.25 万元 − 12345.67 元 = 0.015433 万元 (154.33 元); a literal is in the unit it meets.
  CHECK(eval_at("fund - paid == 0.015433").passed);
  CHECK(eval_at("paid + fund == 24845.67").passed);
  // A tolerance is in the left operand's unit: 12345.67 元 within 200 元 of 12500 元, not within 100.
  CHECK(at(m, "r | error | paid == fund | tolerance=200", "t1", jan).passed);
  CHECK_FALSE(at(m, "r | error | paid == fund | tolerance=100", "t1", jan).passed);
  // The written-out factor still works as before: 1.25 × 10000 = 12500 ≥ 12345.67.
  CHECK(eval_at("fund * 10000 >= paid").passed);
}
