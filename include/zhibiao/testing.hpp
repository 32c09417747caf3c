// zhibiao — unit tests for a bureau's own rules and targets (like `opa test` or dbt tests).
//
// A MODEL folder holds regions.csv, indicators.csv, optional scopes.csv, targets.csv and rules.txt (a
// real model folder such as examples/county works as is; its observations.csv is not used). A CASES
// folder holds one folder per case:
//
//   values.csv    observations (`region,period,indicator,value[,qualifier]`): only what the case needs;
//                 everything else is missing
//   expected.csv  `check,region,period,status[,subject,actual,expected]`: the findings the case must produce
//   case.txt      optional `key: value` lines: `description: …`, `as_of: 2021-06` (default: the last month
//                 with data), `only_listed: yes` (default no)
//   targets.csv   optional: replaces the model's targets for this case (a header alone means no targets)
//   rules.txt     optional: replaces the model's rules for this case
//
// The case passes when every expected row matches some finding and — unless `only_listed: yes` — every
// finding of severity warning or error is matched by an expected row. Info findings are never unexpected.
// Checks run with include_passes, so a case may also expect `pass`. Periods are compared by the months
// they cover (`2021`, `2021年1-12月` and `2021-01..2021-12` are the same), actual/expected as exact decimals
// (`4` equals `4.00`), subjects ignoring spaces.
#pragma once

#include <zhibiao/checks.hpp>
#include <zhibiao/decimal.hpp>
#include <zhibiao/error.hpp>
#include <zhibiao/period.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao::testing {

/// One expected finding (a row of expected.csv or a case_builder::expect call).
struct expectation {
  std::string check;                  ///< rule name, or target, allocation, part_of, parts, share, reconcile
  std::string region;                 ///< region code
  std::string period_text;            ///< the period as written
  zhibiao::period when = period::year(2000);  ///< parsed; compared by the months it covers
  std::string status;                 ///< behind, breached, fail, pass, under_allocated, differs, ...
  std::optional<std::string> subject; ///< indicator code or rule expression, when given
  std::optional<decimal> actual, expected;  ///< exact decimals, when given
  location at;                        ///< where it was written (`expected.csv:3`, or `expect #1` for a builder)
  int check_column = 0, region_column = 0;  ///< 1-based CSV columns, for error messages (0 for a builder)
};

/// The outcome of one case.
struct case_result {
  std::string name;                    ///< the case folder's name (or the builder's name)
  std::string description;             ///< from case.txt
  bool passed = false;
  zhibiao::period as_of = period::year(2000);  ///< the month the checks ran as of
  std::vector<expectation> missing;    ///< expected rows that no finding matched
  std::vector<finding> unexpected;     ///< warning/error findings no expected row matched (empty with only_listed)
  std::vector<finding> findings;       ///< every finding of the run (passes included)
  std::string report;                  ///< the rendered report, when the case has expected_report.txt
  /// Empty when the case passed; otherwise lines `- expected: …` (each followed by the closest
  /// `  actual findings: …`) and `+ unexpected: …`, each row written as an expected.csv row.
  std::string diff;
};

/// Runs one case folder against a model folder. Bad input (a malformed case or model file, an unknown
/// region or check) throws zhibiao::error; a load_error names file, line and column.
case_result run_case(const std::string& model_dir, const std::string& case_dir);

/// Runs every case folder of `cases_dir` (sub-folders in name order; names starting with '.' are skipped).
/// The model folder is read once. Throws like run_case, and when `cases_dir` holds no case.
std::vector<case_result> run_cases(const std::string& model_dir, const std::string& cases_dir);

/// The text `zhibiao test` prints: `PASS name` or `FAIL name` followed by the diff indented by four
/// spaces, then a closing line `N passed, N failed`.
std::string report_text(const std::vector<case_result>& results);

/// JUnit XML: one <testsuite> (tests and failures counts) with a <testcase> per case; a failing case has
/// a <failure> whose message (and text) is the diff.
std::string junit_xml(const std::vector<case_result>& results, const std::string& suite_name = "zhibiao");

/// Builds a case in memory for use inside a C++ test (nothing is written to disk):
///
///   zhibiao::testing::case_builder b(model_dir);
///   b.value("441521101000", "2021-06", "urban_new_employment", "12").as_of("2021-06")
///    .expect("target", "441521000000", "2021-01..2021-06", "behind");
///   auto r = b.run();
///   CHECK_MESSAGE(r.passed, r.diff);
///
/// The model folder's files are read by the constructor; values are checked by the observation loader
/// when run() builds the model (errors name `<name>/values.csv` and the value's line, value k on line k+1).
class case_builder {
 public:
  /// Reads the model folder's regions.csv, indicators.csv and optional scopes.csv, targets.csv, rules.txt.
  explicit case_builder(const std::string& model_dir, std::string name = "case");
  ~case_builder();
  case_builder(case_builder&&) noexcept;
  case_builder& operator=(case_builder&&) noexcept;
  case_builder(const case_builder&) = delete;
  case_builder& operator=(const case_builder&) = delete;

  /// Adds one value (a row of values.csv); `qualifier` is empty, lower_bound or approximate.
  case_builder& value(std::string_view region, std::string_view period, std::string_view indicator, std::string_view value,
                      std::string_view qualifier = {});
  /// Adds one expected finding; an empty subject, actual or expected is not compared. Throws a
  /// parse_error for a malformed period or decimal.
  case_builder& expect(std::string_view check, std::string_view region, std::string_view period, std::string_view status,
                       std::string_view subject = {}, std::string_view actual = {}, std::string_view expected = {});
  /// The month to check as of (default: the last month with data).
  case_builder& as_of(std::string_view period);
  /// Only the listed findings matter: unexpected findings do not fail the case.
  case_builder& only_listed(bool yes = true);
  /// Replaces the model's targets.csv (a header alone means no targets).
  case_builder& targets_csv(std::string text);
  /// Replaces the model's rules.txt.
  case_builder& rules(std::string text);
  /// Asserts that the rendered report holds `fragment` (or, with `present` false, does not).
  case_builder& expect_in_report(std::string_view fragment, bool present = true);
  /// Replaces the model's report.tmpl for the report assertions.
  case_builder& report_template(std::string text);
  /// The region and period the report is rendered for (default: the folder's region; the year or 1-M月 of as_of).
  case_builder& report_at(std::string_view region, std::string_view period);
  /// A description carried into the result.
  case_builder& description(std::string text);
  /// Builds the model in memory, evaluates the checks and matches them; throws zhibiao::error on bad input.
  case_result run() const;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace zhibiao::testing
