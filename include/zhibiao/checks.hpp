// zhibiao — targets, validation rules and the findings they produce.
//
// Targets and rules read the rolled-up model (never the raw files); every check produces findings
// with the actual and expected numbers and a sentence a bureau can paste into its report.
#pragma once

#include <zhibiao/decimal.hpp>
#include <zhibiao/engine.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/period.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// What a target demands.
enum class target_kind {
  floor,       ///< actual ≥ value (annual targets: 完成率, 序时进度)
  cap,         ///< actual ≤ value at every month (控制在X%以内), not pro-rated
  band,        ///< value ≤ actual ≤ upper at every month
  zero,        ///< actual = 0 (no major mass incidents)
  no_decrease  ///< actual ≥ the same period last year
};

/// Name of a target kind as written in targets.csv.
constexpr std::string_view target_kind_name(target_kind k) noexcept {
  switch (k) {
    case target_kind::floor: return "floor";
    case target_kind::cap: return "cap";
    case target_kind::band: return "band";
    case target_kind::zero: return "zero";
    case target_kind::no_decrease: return "no_decrease";
  }
  return "unknown";
}

/// How much of a floor is expected by each month (序时进度).
enum class schedule_kind {
  linear,    ///< M/12 of the target by month M (months elapsed / months in the period)
  profile,   ///< a cumulative percentage per month given with the target
  year_end   ///< judged only at the period's last month
};

/// One target from targets.csv.
struct target {
  region_id region = npos;
  indicator_id indicator = npos;
  zhibiao::period when = period::year(2000);
  target_kind kind = target_kind::floor;
  decimal value;                  ///< the target (the lower bound of a band)
  std::optional<decimal> upper;   ///< a band's upper bound
  schedule_kind schedule = schedule_kind::linear;
  std::vector<decimal> profile;   ///< cumulative % per month of the period (schedule::profile)
  decimal tolerance;              ///< percentage points around the time progress counted as on track
  std::size_t line = 0;           ///< where it was defined
};

/// Parses targets.csv (`region,indicator,period,kind,value[,upper,schedule,tolerance]`) against a model.
std::vector<target> parse_targets(std::string_view text, const std::string& file, const model& m);

/// How bad a finding is.
enum class severity { info, warning, error };

/// Name of a severity.
constexpr std::string_view severity_name(severity s) noexcept {
  return s == severity::error ? "error" : s == severity::warning ? "warning" : "info";
}

/// What a rule does when an operand has no value.
enum class missing_strategy {
  skip_any,  ///< skip the check when any operand is missing (the default)
  skip_all,  ///< skip only when every operand is missing; missing ones count as 0
  zero       ///< missing operands count as 0
};

/// One result of a check: a target, a rule, a built-in relation or a reconciliation.
struct finding {
  std::string check;        ///< rule name, or `target`, `allocation`, `part_of`, `parts`, `share`, `reconcile`
  std::string subject;      ///< indicator code (targets) or rule expression
  region_id region = npos;
  zhibiao::period when = period::year(2000);
  severity level = severity::info;
  std::string status;       ///< exceeded met not_met ahead on_track behind within breached below above missing pass fail ...
  std::optional<decimal> actual, expected;
  std::optional<decimal> completion;  ///< floors: actual / target × 100, 1 decimal
  std::optional<decimal> progress;    ///< floors: expected share by this month, %, 1 decimal
  std::optional<decimal> projected;   ///< floors: simple projected year-end value
  std::string message;      ///< a readable sentence with the numbers
};

class rule_set;

/// Options for evaluating checks.
struct check_options {
  std::optional<zhibiao::period> as_of;  ///< the month to check as of; default: the last month with data
  bool include_passes = false;           ///< also list rules and built-ins that passed
  bool builtin = true;                   ///< the checks generated from the catalogue
};

/// Evaluates targets, rules, built-in relations and reconciliation on a rolled-up model.
std::vector<finding> evaluate(const model& m, const std::vector<target>& targets, const rule_set* rules,
                              const check_options& opt = {});

/// The last month with any data, as a month period (the default as-of month).
period last_month_with_data(const model& m);

/// Findings as CSV (`check,subject,region,period,severity,status,actual,expected,message`).
std::string findings_csv(const model& m, const std::vector<finding>& f);
/// Findings as a JSON array of objects.
std::string findings_json(const model& m, const std::vector<finding>& f);
/// Findings as an aligned table for a terminal.
std::string findings_table(const model& m, const std::vector<finding>& f);

// ---------------------------------------------------------------------------------------------
// Validation rules

struct rule_node;

/// One parsed rule: `name | severity | expression [| missing=…] [| tolerance=…] [| levels=…]`.
struct rule {
  std::string name;
  zhibiao::severity level = severity::error;
  std::string text;                   ///< the expression as written
  missing_strategy missing = missing_strategy::skip_any;
  decimal tolerance;                  ///< allowed miss for comparisons of rounded figures
  std::vector<zhibiao::level> levels; ///< empty: every level
  std::size_t line = 0;
  std::shared_ptr<const rule_node> expr;  ///< the parsed expression (a comparison)
};

/// A set of rules parsed from a rules file; parse errors name line, column and what was expected.
class rule_set {
 public:
  /// Parses a rules file against a catalogue (indicator codes are resolved here).
  static rule_set parse(std::string_view text, const std::string& file, const catalogue& cat);
  /// The rules in file order.
  const std::vector<rule>& rules() const noexcept { return rules_; }
  /// Adds rules parsed from a single expression (for tests and bindings): `name | severity | expr ...`.
  void add(rule r) { rules_.push_back(std::move(r)); }

 private:
  std::vector<rule> rules_;
};

/// The outcome of evaluating one rule at one region and period.
struct rule_result {
  bool evaluated = false;            ///< false when skipped for missing values
  bool passed = false;
  bool division_by_zero = false;
  std::optional<decimal> left, right;  ///< both sides, rounded to 6 decimals for display
};

/// Evaluates one rule at a region for a period (bare codes take the value for `p`).
rule_result evaluate_rule(const model& m, const rule& r, region_id region, const period& p);

}  // namespace zhibiao
