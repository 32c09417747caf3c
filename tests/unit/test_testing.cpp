// The rule test harness (zhibiao/testing.hpp) on the 海丰县 model of examples/county: the in-memory
// case_builder (a passing and a failing case), case folders (examples/county/rules-tests and the
// deliberately failing tests/data/rules-tests-failing), the report, JUnit XML and bad input.
//
// The numbers: 梅陇镇 reports 12 (or 1200) 城镇新增就业 in June; the county floor is 3600, so at M = 6
// (序时进度 50.0%) 12 is 0.3% and 1200 is 33.3% — both behind (a warning).
#include <doctest/doctest.h>

#include <zhibiao/testing.hpp>

#include <filesystem>
#include <fstream>
#include <string>

using namespace zhibiao;
namespace zt = zhibiao::testing;

namespace {

const std::string county = ZHIBIAO_SOURCE_DIR "/examples/county";
const std::string floor_3600 = "region,indicator,period,kind,value\n441521000000,urban_new_employment,2021,floor,3600\n";

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A scratch folder removed at the end of a test.
struct scratch {
  std::filesystem::path dir;
  explicit scratch(const std::string& name) : dir(std::filesystem::temp_directory_path() / ("zhibiao-test-" + name)) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  void write(const std::string& file, const std::string& text) const {
    std::filesystem::create_directories((dir / file).parent_path());
    std::ofstream(dir / file, std::ios::binary) << text;
  }
};

}  // namespace

TEST_CASE("testing: case_builder, a passing case") {
  zt::case_builder b(county, "june-behind");
  b.value("441521101000", "2021-06", "urban_new_employment", "12")
      .as_of("2021-06")
      .targets_csv(floor_3600)
      .expect("target", "441521000000", "2021-01..2021-06", "behind");
  auto r = b.run();
  CHECK_MESSAGE(r.passed, r.diff);
  CHECK(r.name == "june-behind");
  CHECK(r.diff.empty());
  CHECK(r.as_of == period::month(2021, 6));
  CHECK(r.missing.empty());
  CHECK(r.unexpected.empty());
  REQUIRE_FALSE(r.findings.empty());

  // The model's own targets.csv: the other targets have no actual (missing, warnings) and the town targets
  // add up to 3560 of 3600; with only_listed those do not count.
  zt::case_builder all(county);
  all.value("441521101000", "2021-06", "urban_new_employment", "12").as_of("2021-06").expect("target", "441521000000",
                                                                                              "2021-01..2021-06", "behind");
  auto strict = all.run();
  CHECK_FALSE(strict.passed);
  CHECK(strict.missing.empty());
  CHECK(strict.unexpected.size() > 10);
  all.only_listed().expect("allocation", "441521000000", "2021", "under_allocated", "urban_new_employment", "3560", "3600.0");
  auto listed = all.run();
  CHECK_MESSAGE(listed.passed, listed.diff);
}

TEST_CASE("testing: the README example") {
  zhibiao::testing::case_builder b(county);
  b.value("441521101000", "2021-06", "urban_new_employment", "12").as_of("2021-06").only_listed()
   .expect("target", "441521000000", "2021-01..2021-06", "behind");
  auto r = b.run();
  CHECK_MESSAGE(r.passed, r.diff);
}

TEST_CASE("testing: case_builder, a failing case says what differs") {
  zt::case_builder b(county, "wrong");
  b.value("441521101000", "2021-06", "urban_new_employment", "1200")
      .as_of("2021-06")
      .targets_csv(floor_3600)
      .expect("target", "441521000000", "2021-01..2021-06", "ahead", "urban_new_employment");
  auto r = b.run();
  CHECK_FALSE(r.passed);
  REQUIRE(r.missing.size() == 1);
  CHECK(r.missing[0].status == "ahead");
  REQUIRE(r.unexpected.size() == 1);
  CHECK(r.unexpected[0].status == "behind");
  CHECK(r.unexpected[0].level == severity::warning);
  CHECK(contains(r.diff, "- expected: target,441521000000,2021-01..2021-06,ahead,urban_new_employment (expect #1)\n"));
  CHECK(contains(r.diff, "  actual findings: target,441521000000,2021-01..2021-06,behind,urban_new_employment,1200,3600 [warning]\n"));
  CHECK(contains(r.diff, "+ unexpected: target,441521000000,2021-01..2021-06,behind,urban_new_employment,1200,3600 [warning] 海丰县"));

  // actual / expected are exact decimals: 1200 matches 1200, 1200.5 does not.
  zt::case_builder exact(county);
  exact.value("441521101000", "2021-06", "urban_new_employment", "1200").as_of("2021-06").targets_csv(floor_3600);
  exact.expect("target", "441521000000", "2021年1-6月", "behind", "", "1200.00", "3600");
  CHECK(exact.run().passed);
  exact.expect("target", "441521000000", "2021-01..2021-06", "behind", "", "1200.5");
  auto off = exact.run();
  CHECK_FALSE(off.passed);
  CHECK(off.missing.size() == 1);
  CHECK(off.unexpected.empty());  // the finding was matched by the first row
}

TEST_CASE("testing: rules and info findings") {
  // Info findings (passes) are never unexpected; a skipped rule produces nothing.
  zt::case_builder b(county);
  b.value("441521101000", "2021-05", "job_posts_offered", "50")
      .value("441521101000", "2021-05", "job_match_intents", "30")
      .value("441521102000", "2021-05", "job_match_intents", "5")
      .as_of("2021-05")
      .targets_csv("region,indicator,period,kind,value\n")
      .rules("any | error | job_match_intents <= job_posts_offered\n"
             "zero | warning | job_match_intents <= job_posts_offered | missing=zero | levels=town\n")
      .expect("zero", "441521102000", "2021-01..2021-05", "fail", "job_match_intents<=job_posts_offered", "5", "0");
  auto r = b.run();
  CHECK_MESSAGE(r.passed, r.diff);
}

TEST_CASE("testing: run_cases on examples/county/rules-tests") {
  auto results = zt::run_cases(county, county + "/rules-tests");
  CHECK(results.size() >= 12);
  for (const auto& r : results) CHECK_MESSAGE(r.passed, r.name << "\n" << r.diff);
  std::string report = zt::report_text(results);
  CHECK(contains(report, "PASS cap-breached-one-month\n"));
  CHECK(contains(report, std::to_string(results.size()) + " passed, 0 failed\n"));
  std::string xml = zt::junit_xml(results, "rules-tests");
  CHECK(contains(xml, "<testsuite name=\"rules-tests\" tests=\"" + std::to_string(results.size()) + "\" failures=\"0\""));
  CHECK(contains(xml, "<testcase classname=\"rules-tests\" name=\"missing-strategies\"/>"));
}

TEST_CASE("testing: a deliberately wrong expectation fails with a diff") {
  auto results = zt::run_cases(county, ZHIBIAO_TEST_DATA "/rules-tests-failing");
  REQUIRE(results.size() == 1);
  CHECK_FALSE(results[0].passed);
  std::string report = zt::report_text(results);
  CHECK(contains(report, "FAIL wrong-status\n    - expected: target,441521000000,2021-01..2021-06,ahead,urban_new_employment (expected.csv:2)\n"));
  CHECK(contains(report, "    + unexpected: target,441521000000,2021-01..2021-06,behind"));
  CHECK(report.size() >= 19);
  CHECK(report.substr(report.size() - 19) == "0 passed, 1 failed\n");
  std::string xml = zt::junit_xml(results);
  CHECK(contains(xml, "tests=\"1\" failures=\"1\""));
  CHECK(contains(xml, "<failure message=\"- expected: target,441521000000,2021-01..2021-06,ahead"));
  CHECK(contains(xml, "&#10;+ unexpected: "));

  auto one = zt::run_case(county, ZHIBIAO_TEST_DATA "/rules-tests-failing/wrong-status");
  CHECK(one.name == "wrong-status");
  CHECK(one.diff == results[0].diff);
}

TEST_CASE("testing: malformed case files name file, line and column") {
  scratch s("harness-errors");
  const std::string values = "region,period,indicator,value\n441521101000,2021-06,urban_new_employment,1\n";
  auto error_at = [&](const std::string& file, const std::string& text) -> location {
    std::filesystem::remove_all(s.dir / "c");
    s.write("c/values.csv", values);
    s.write("c/expected.csv", "check,region,period,status\n");
    s.write("c/targets.csv", "region,indicator,period,kind,value\n");
    s.write("c/" + file, text);
    try {
      zt::run_cases(county, s.dir.string());
    } catch (const load_error& e) {
      return e.where();
    }
    FAIL("no load_error for " << file);
    return {};
  };
  location l = error_at("expected.csv", "check,region,period,status\ntarget,441521000000,2021-13,behind\n");
  CHECK(l.line == 2);
  CHECK(l.column == 3);
  l = error_at("expected.csv", "check,region,period,status\n\ntarget,4415,2021-06,behind\n");
  CHECK(l.line == 3);
  CHECK(l.column == 2);
  l = error_at("expected.csv", "check,region,period,status\nno_such_rule,441521000000,2021-06,fail\n");
  CHECK(l.column == 1);
  CHECK(l.field == "check");
  l = error_at("case.txt", "description: x\n  as_of: 2021-6x\n");
  CHECK(l.line == 2);
  CHECK(l.column == 10);
  l = error_at("case.txt", "# comment\nonly_listed: perhaps\n");
  CHECK(l.line == 2);
  l = error_at("case.txt", "speed: fast\n");
  CHECK(l.line == 1);
  CHECK(l.column == 1);
  CHECK_THROWS_AS(zt::run_cases(county, (s.dir / "nothing").string()), error);
  s.write("c/rules.txt", "");
  s.write("c/target.csv", "");
  CHECK_THROWS_WITH_AS(zt::run_cases(county, s.dir.string()), doctest::Contains("unknown file 'target.csv'"), error);
  CHECK_THROWS_AS(zt::case_builder(county).expect("target", "441521000000", "2021-13", "behind"), parse_error);
  CHECK_THROWS_AS(zt::case_builder(county).value("nowhere", "2021-06", "urban_new_employment", "1").run(), load_error);
}

TEST_CASE("testing: an expected row may name a scope, matched against the scope's own target") {
  // 梅陇镇 is inside 海丰县（不含深汕）: 1200 of the scope's 3600 at M = 6 → 33.3 % against 50.0 % → behind.
  zt::case_builder b(county, "scope-behind");
  b.value("441521101000", "2021-06", "urban_new_employment", "1200")
      .as_of("2021-06")
      .targets_csv("region,indicator,period,kind,value\nhaifeng_ex_shenshan,urban_new_employment,2021,floor,3600\n")
      .only_listed()
      .expect("target", "haifeng_ex_shenshan", "2021-01..2021-06", "behind", "urban_new_employment", "1200", "3600");
  auto r = b.run();
  CHECK_MESSAGE(r.passed, r.diff);
  // The county itself has no target here: a row expecting one there is missing (the scope's is not the county's).
  zt::case_builder wrong(county, "county-row");
  wrong.value("441521101000", "2021-06", "urban_new_employment", "1200")
      .as_of("2021-06")
      .targets_csv("region,indicator,period,kind,value\nhaifeng_ex_shenshan,urban_new_employment,2021,floor,3600\n")
      .only_listed()
      .expect("target", "441521000000", "2021-01..2021-06", "behind");
  auto w = wrong.run();
  CHECK_FALSE(w.passed);
  CHECK(w.missing.size() == 1);
}

TEST_CASE("testing: a case asserts on the rendered report, present and absent") {
  // 梅陇镇 12 of 3600 at M = 6: 0.3% against 序时进度 50.0% — 慢于序时进度.
  auto base = [] {
    zt::case_builder b(county, "report-words");
    b.value("441521101000", "2021-06", "urban_new_employment", "12")
        .as_of("2021-06")
        .targets_csv(floor_3600)
        .only_listed()
        .report_template("{region}{period}城镇新增就业{urban_new_employment}人，完成率{urban_new_employment:completion}%，"
                         "{urban_new_employment:progress}\n");
    return b;
  };
  auto ok = base().expect_in_report("海丰县2021年1-6月城镇新增就业12人，完成率0.3%，慢于序时进度").expect_in_report("快于", false).run();
  CHECK_MESSAGE(ok.passed, ok.diff);
  CHECK(ok.report == "海丰县2021年1-6月城镇新增就业12人，完成率0.3%，慢于序时进度\n");
  auto bad = base().expect_in_report("快于序时进度").run();
  CHECK_FALSE(bad.passed);
  CHECK(contains(bad.diff, "- expected in the report: 快于序时进度 (expect_in_report #1:0)"));
  CHECK(contains(bad.diff, "    海丰县2021年1-6月城镇新增就业12人"));
  // A period of its own: the county for 1-3月 has no value yet (12 is June's).
  auto march = base().report_at("441521000000", "2021年1-3月").expect_in_report("城镇新增就业—人").run();
  CHECK_MESSAGE(march.passed, march.diff);
}

TEST_CASE("testing: expected_report.txt in a case folder; a bare '!' names its line") {
  scratch s("report-case");
  s.write("c/values.csv", "region,period,indicator,value\n441521101000,2021-12,urban_new_employment,3700\n");
  s.write("c/expected.csv", "check,region,period,status,subject\ntarget,441521000000,2021,exceeded,urban_new_employment\n");
  s.write("c/case.txt", "only_listed: yes\nreport_region: 441521000000\nreport_period: 2021\n");
  s.write("c/targets.csv", floor_3600);
  s.write("c/report.tmpl", "城镇新增就业{urban_new_employment}人，{urban_new_employment:status}\n");
  s.write("c/expected_report.txt", "# 3700 of 3600\n城镇新增就业3700人，超额完成年度任务\n!未完成\n");
  auto r = zt::run_case(county, (s.dir / "c").string());
  CHECK_MESSAGE(r.passed, r.diff);
  s.write("c/expected_report.txt", "城镇新增就业3700人\n!\n");
  try {
    zt::run_case(county, (s.dir / "c").string());
    FAIL("a bare '!' must be an error");
  } catch (const load_error& e) {
    CHECK(e.where().line == 2);
    CHECK(contains(e.what(), "'!' needs the text"));
  }
}
