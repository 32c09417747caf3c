// zhibiao — targets and their one evaluation.
//
// A target is judged once, by evaluate_target, into typed outcomes (status, completion, time progress,
// projection, margin, coverage). Check findings and report placeholders both read those outcomes, so a
// report can never say more than the check found.
#pragma once

#include <zhibiao/decimal.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/period.hpp>
#include <zhibiao/vocabulary.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
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
  region_id region = npos;        ///< the region, or npos for a scope's target
  std::optional<std::size_t> scope;  ///< a scope's target (海丰县（不含深汕）): index into model::scopes()
  indicator_id indicator = npos;
  zhibiao::period when = period::year(2000);
  target_kind kind = target_kind::floor;
  decimal value;                  ///< the target (the lower bound of a band)
  std::optional<decimal> upper;   ///< a band's upper bound
  schedule_kind schedule = schedule_kind::linear;
  std::vector<decimal> profile;   ///< cumulative % per month of the period (schedule::profile)
  decimal tolerance;              ///< percentage points around the time progress counted as on track
  std::size_t line = 0;           ///< where it was defined
  /// Where the target is judged: its region or its scope.
  place where() const { return {region, scope}; }
};

/// Parses targets.csv (`region,indicator,period,kind,value[,upper,schedule,tolerance]`) against a model.
std::vector<target> parse_targets(std::string_view text, const std::string& file, const model& m);

/// One judgement of a target: for a floor, zero or no_decrease target one per evaluation; for a cap or a
/// band one per month judged.
struct target_outcome {
  zhibiao::period when = period::year(2000);  ///< the period judged (1-M月 for a whole-year target, else a month or the period)
  zhibiao::status status = status::missing;   ///< what the evaluation found
  zhibiao::severity level = severity::info;   ///< how bad it is
  aggregate actual;                          ///< the value judged, with its coverage (empty: missing)
  std::optional<decimal> expected;           ///< the target value, or last year's value for no_decrease
  std::optional<decimal> base;               ///< no_decrease: last year's value; band: the upper bound
  std::optional<boost::multiprecision::cpp_rational> completion_exact;  ///< floors: actual / target × 100, exact
  std::optional<decimal> completion;         ///< floors: 完成率, 1 decimal, half-up
  std::optional<decimal> progress;           ///< floors before the end: 序时进度 %, 1 decimal
  std::optional<decimal> projected;          ///< floors before the end: the year-end value at this pace
  std::optional<decimal> margin;             ///< caps: room left (within) or excess (breached), in the indicator's unit
  bool final = false;                        ///< floors: judged at the period's last month
};

/// Judges a target as of a month: nothing when the month is before the target's period (or inside a
/// quarter or half-year that has not ended); a `missing` outcome when there is no value.
std::vector<target_outcome> evaluate_target(const model& m, const target& t, const period& as_of);

/// The target of (region, indicator) for a year: a whole-year target before any shorter one; nullptr if none.
const target* find_target(const std::vector<target>& targets, region_id r, indicator_id i, int year) noexcept;
/// The same at a region or a scope.
const target* find_target(const std::vector<target>& targets, const place& where, indicator_id i, int year) noexcept;

/// 分解下达: a region's floor target against the sum of its children's floor targets of the same indicator and
/// period — what the `allocation` check finds and `{code:allocation}` words.
struct allocation_outcome {
  zhibiao::status status = status::allocated;  ///< allocated, under_allocated or over_allocated
  decimal allocated;     ///< Σ the children's targets
  decimal expected;      ///< the region's own target
  int with_target = 0;   ///< children with a floor target
  int children = 0;      ///< children in the tree of the target's period
};

/// The floor targets of regions indexed by (region, indicator, period), so each parent's children are found
/// without a scan of every target; refers to `targets`, which must outlive it.
class allocations {
 public:
  /// Indexes the floor targets of `targets` (scopes' targets are not allocated to anything).
  allocations(const model& m, const std::vector<target>& targets);
  /// The allocation of `parent`; nothing unless it is a region's floor of a flow or stock and some child has
  /// a floor target for the same indicator and period.
  std::optional<allocation_outcome> of(const target& parent) const;

 private:
  const model& m_;
  std::multimap<std::tuple<region_id, indicator_id, period>, const target*> floors_;
};

}  // namespace zhibiao
