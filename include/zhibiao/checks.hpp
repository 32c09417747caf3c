// zhibiao — targets, validation rules and the findings they produce.
//
// Targets and rules read the rolled-up model (never the raw files); every check produces findings
// with the actual and expected numbers and a sentence a bureau can paste into its report.
#pragma once

#include <zhibiao/decimal.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/targets.hpp>
#include <zhibiao/vocabulary.hpp>
#include <zhibiao/period.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// What a rule does when an operand has no value.
enum class missing_strategy {
  skip_any,  ///< skip the check when any operand is missing (the default)
  skip_all,  ///< skip only when every operand is missing; missing ones count as 0
  zero       ///< missing operands count as 0
};

/// One result of a check: a target, a rule, a built-in relation or a reconciliation.
struct finding {
  check_kind kind = check_kind::target;  ///< which check produced it
  std::string check;        ///< the rule's name for a rule, else the kind's name (`target`, `allocation`, …)
  std::string subject;      ///< indicator code (targets) or rule expression
  region_id region = npos;           ///< the region, or npos for a finding about a scope
  std::optional<std::size_t> scope;  ///< a scope's target: index into model::scopes()
  zhibiao::period when = period::year(2000);
  severity level = severity::info;
  zhibiao::status status = status::missing;  ///< what was found
  std::optional<decimal> actual, expected;
  std::optional<decimal> completion;  ///< floors: actual / target × 100, 1 decimal
  std::optional<decimal> progress;    ///< floors: expected share by this month, %, 1 decimal
  std::optional<decimal> projected;   ///< floors: simple projected year-end value
  std::optional<decimal> margin;      ///< caps: the room left or the excess, in the indicator's unit (个百分点 for a rate)
  std::string message;      ///< a readable sentence with the numbers
  /// The region or scope the finding is about.
  place where() const { return {region, scope}; }
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

/// How a shown difference (left − right of a comparison) bounds the true one, from the operands' qualifiers:
/// `lower` when the true difference can only be larger (a lower-bound left side), `upper` when only smaller
/// (a lower-bound right side), `unknown` when either way (anything approximate, or bounds on both sides).
enum class bound : std::uint8_t { exact, lower, upper, unknown };

/// Whether a comparison's verdict (`holds`, for OP one of == != < <= > >=) stands whatever the true values
/// within `difference`: a lower-bound left side that already satisfies `>=` does, one that fails it does not.
bool verdict_certain(bool holds, std::string_view op, bound difference) noexcept;

/// The bound of left − right when each side is a single value with its qualifier.
bound difference_bound(qualifier left, qualifier right) noexcept;

/// The outcome of evaluating one rule at one region and period.
struct rule_result {
  bool evaluated = false;            ///< false when skipped for missing values
  bool passed = false;
  bool division_by_zero = false;
  bool approximate = false;          ///< a qualified operand leaves the verdict uncertain (status approximate)
  std::optional<decimal> left, right;  ///< both sides, rounded to 6 decimals for display
};

/// Evaluates one rule at a region for a period (bare codes take the value for `p`).
rule_result evaluate_rule(const model& m, const rule& r, region_id region, const period& p);

}  // namespace zhibiao
