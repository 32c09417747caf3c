// zhibiao — what a query answers: a value with its coverage, comparisons, explanations, reconciliations.
//
// These are the only shapes in which results leave the engine; checks, reports, the C ABI, the Python
// package and the CLI all read them.
#pragma once

#include <zhibiao/decimal.hpp>
#include <zhibiao/hierarchy.hpp>
#include <zhibiao/observations.hpp>
#include <zhibiao/period.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zhibiao {

/// An aggregate value with its coverage: "N of M towns reported".
struct aggregate {
  std::optional<decimal> value;  ///< empty when nothing was reported (never a silent 0)
  std::int32_t reporting = 0;    ///< leaves (the units of a reported_at level) that reported
  std::int32_t expected = 0;     ///< leaves (units) that should have
  std::int32_t carried = 0;      ///< stocks: leaves (units) whose value is an earlier month's end (in the value, not in reporting)
  zhibiao::qualifier qualifier = zhibiao::qualifier::none;  ///< XX多 / 约 carried from the reported parts
};

/// A value compared with a base: the same period a year earlier (同比) or the period before (环比).
struct comparison {
  aggregate current;               ///< the value for the period asked
  aggregate base;                  ///< the value it is compared with
  zhibiao::period base_period;     ///< the base's period
  std::optional<decimal> change;   ///< current − base, exact; for a ratio in 个百分点
  std::optional<decimal> growth;   ///< (current − base) / base × 100, 1 decimal, half-up; never for a ratio or a zero base
  bool is_ratio = false;           ///< a ratio's change is in 个百分点 and it has no growth rate
  zhibiao::qualifier change_qualifier = zhibiao::qualifier::none;  ///< approximate when either value is qualified

  /// The growth rate at other decimals (half-up), under the same conditions as `growth`.
  std::optional<decimal> growth_at(int decimals) const;
};

/// A reported parent total that differs from what its children add up to.
struct reconciliation {
  region_id region;
  indicator_id indicator;
  period when;
  decimal reported;
  std::optional<decimal> computed;
};

/// One child's share in an explanation.
struct explained_part {
  region_id region;
  aggregate value;
};

/// Where one number came from: the rule, each child's contribution, the leaves that did not report.
struct explanation {
  region_id region;
  indicator_id indicator;
  zhibiao::period period;
  aggregate value;
  std::string rule;                         ///< the aggregation rule in words
  std::vector<explained_part> children;     ///< direct children and what each contributed
  std::vector<region_id> missing;           ///< leaves (units) below that did not report the last month
  std::optional<decimal> numerator, denominator;  ///< ratios: the aggregated parts
  std::optional<decimal> reported_total;    ///< a total reported at this region itself, if any
  std::vector<std::pair<region_id, int>> carried;  ///< stocks: leaves whose value is an earlier month's end, and that month
  zhibiao::qualifier numerator_qualifier = zhibiao::qualifier::none;    ///< ratios: the numerator's qualifier
  zhibiao::qualifier denominator_qualifier = zhibiao::qualifier::none;  ///< ratios: the denominator's qualifier
};

/// Where a query is asked: a region of the hierarchy, or a reporting scope (海丰县（不含深汕）).
struct place {
  region_id region = npos;            ///< the region, when `scope` is empty
  std::optional<std::size_t> scope;   ///< index into model::scopes()
  /// The same region, or the same scope.
  friend bool operator==(const place&, const place&) = default;
};

/// A subtree root's roll-up for one year, in the form another model loads as one leaf (model::export_partial,
/// model::load_partial): the model above then adds up subtrees rolled up elsewhere with its own arithmetic.
/// A ratio's parts are indicators of the catalogue, so their sums travel as those indicators' cells, and so
/// do their qualifiers (in `present`'s higher bits).
struct partial {
  std::string region;                     ///< the subtree root's code
  int year = 0;                           ///< the year of every cell
  std::vector<std::string> indicators;    ///< the catalogue's codes: the order of the arrays
  std::vector<std::int64_t> monthly, ytd;  ///< [indicator × 12 + month − 1]: mantissas at the indicator's decimals, 0 when absent
  std::vector<std::int32_t> reporting;    ///< leaves that reported the month (a ratio: every part)
  std::vector<std::uint8_t> present;      ///< bit 0 the monthly value exists, bit 1 the year-to-date value; bits 2–3 the
                                          ///< monthly value's qualifier bits (1 lower bound, 2 approximate), 4–5 the year-to-date's
  std::array<std::int32_t, 12> expected{};  ///< leaves under the root each month; 0 when it did not exist
};

/// Filters for writing the roll-up CSV.
struct rollup_filter {
  std::optional<level> only_level;          ///< rows of regions at this level
  std::optional<region_id> only_region;     ///< rows of this region and its descendants
  std::optional<zhibiao::period> only_period;  ///< months within this period
};

}  // namespace zhibiao
