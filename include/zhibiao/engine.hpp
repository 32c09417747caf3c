// zhibiao — observations and the roll-up engine: every region, every month, year-to-date, coverage.
//
// Data flows one way: files → catalogue/hierarchy → observation grid → roll-up grid → queries.
// Both grids are dense arrays indexed by (region, indicator, month); values are int64 mantissas at
// the indicator's decimals, added with overflow checks (an overflow is an error, never a wrap).
#pragma once

#include <zhibiao/decimal.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/period.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// How a reported value qualifies its number (the seeds' "XX多人", "约X人").
enum class qualifier : std::uint8_t { none = 0, lower_bound = 1, approximate = 2 };

/// Name of a qualifier as written in observations.csv.
constexpr std::string_view qualifier_name(qualifier q) noexcept {
  return q == qualifier::lower_bound ? "lower_bound" : q == qualifier::approximate ? "approximate" : "";
}

/// One year of reported values for every (region, indicator, month); missing is a flag, never 0.
struct observation_year {
  int year = 0;
  std::vector<std::int64_t> value;  ///< mantissa at the indicator's decimals
  std::vector<std::uint8_t> flags;  ///< bit 0 present, bits 1–2 qualifier, bit 3 reported year-to-date
};

/// One year of roll-up results for every (region, indicator, month).
struct rollup_year {
  int year = 0;
  std::vector<std::int64_t> monthly, ytd;  ///< mantissas at the indicator's decimals
  std::vector<std::int32_t> reporting;     ///< leaves that reported month M (ratios: every part)
  std::vector<std::uint8_t> has;           ///< bit 0 monthly present, bit 1 ytd present
  std::vector<std::int32_t> expected;      ///< per (region, month): leaves of the region then
};

/// An aggregate value with its coverage: "N of M towns reported".
struct aggregate {
  std::optional<decimal> value;  ///< empty when nothing was reported (never a silent 0)
  std::int32_t reporting = 0;    ///< leaves that reported
  std::int32_t expected = 0;     ///< leaves that should have
};

/// A value compared with a base: the same period a year earlier (同比) or the period before (环比).
struct comparison {
  aggregate current;               ///< the value for the period asked
  aggregate base;                  ///< the value it is compared with
  zhibiao::period base_period;     ///< the base's period
  std::optional<decimal> change;   ///< current − base, exact; for a ratio in 个百分点
  std::optional<decimal> growth;   ///< (current − base) / base × 100, 1 decimal, half-up; never for a ratio or a zero base
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
  std::vector<region_id> missing;           ///< leaves below that did not report the last month
  std::optional<decimal> numerator, denominator;  ///< ratios: the aggregated parts
  std::optional<decimal> reported_total;    ///< a total reported at this region itself, if any
};

/// Filters for writing the roll-up CSV.
struct rollup_filter {
  std::optional<level> only_level;          ///< rows of regions at this level
  std::optional<region_id> only_region;     ///< rows of this region and its descendants
  std::optional<zhibiao::period> only_period;  ///< months within this period
};

/// The whole model: catalogue, hierarchy, observations and the roll-up computed from them.
/// One owner; queries on a rolled-up model are const and may run concurrently; loads, revisions and
/// roll-ups need exclusive access.
class model {
 public:
  /// Limit on the observation grids: years with data × regions × indicators × 12 months (each cell is 9
  /// bytes observed and 21 rolled up, so about 8 GB in all). A load or revision that would add a year past
  /// it is an errc::limit error; nothing is allocated.
  static constexpr std::size_t max_grid_cells = std::size_t{1} << 28;

  /// Replaces the catalogue (only before any observation is loaded).
  void set_indicators(catalogue c);
  /// Replaces the hierarchy (only before any observation is loaded).
  void set_regions(hierarchy h);
  /// Loads indicators.csv text; on error nothing changes.
  void load_indicators_text(std::string_view text, const std::string& file = "<indicators>");
  /// Loads regions.csv text; on error nothing changes.
  void load_regions_text(std::string_view text, const std::string& file = "<regions>");
  /// Loads scopes.csv text (after the regions); on error nothing changes.
  void load_scopes_text(std::string_view text, const std::string& file = "<scopes>");
  /// Loads observations.csv text (`region,period,indicator,value[,qualifier]`); all or nothing.
  void load_observations_text(std::string_view text, const std::string& file = "<observations>");
  /// Reads and loads a file of each kind.
  void load_indicators(const std::string& path);
  /// Reads and loads regions.csv.
  void load_regions(const std::string& path);
  /// Reads and loads scopes.csv.
  void load_scopes(const std::string& path);
  /// Reads and loads observations.csv.
  void load_observations(const std::string& path);

  /// Sets or revises one monthly value (a year-to-date period books the difference to its last month);
  /// after a roll-up, the ancestors are updated in place (cost ∝ depth × months).
  void set_value(region_id r, const period& p, indicator_id i, const decimal& v, qualifier q = qualifier::none);
  /// Removes one monthly value (it becomes missing, not 0); ancestors are updated as for set_value.
  void clear_value(region_id r, const period& p, indicator_id i);
  /// One value to set: region, period (month or year-to-date), indicator, value, qualifier.
  struct value_update {
    region_id region;
    zhibiao::period when;
    indicator_id indicator;
    decimal value;
    qualifier qual = qualifier::none;
  };
  /// Sets several values, all or nothing: when one fails (overflow, a bad value), every value and the
  /// roll-up are as they were before the call.
  void set_values(const std::vector<value_update>& updates);

  /// How rollup() walks the tree.
  enum class rollup_path {
    automatic,  ///< one fused children-first pass when a year has one tree, the segmented pass otherwise
    segmented   ///< always the month-by-month segmented pass (kept for years whose tree changes; tests compare both)
  };
  /// Computes the full roll-up: every region, month, indicator; monthly, ytd, ratios, coverage.
  void rollup(rollup_path path = rollup_path::automatic);
  /// True when the roll-up is current.
  bool rolled_up() const noexcept { return rolled_up_; }

  /// The catalogue.
  const catalogue& indicators() const noexcept { return cat_; }
  /// The hierarchy.
  const hierarchy& regions() const noexcept { return h_; }
  /// The scopes.
  const std::vector<zhibiao::scope>& scopes() const noexcept { return scopes_; }
  /// Years that have observations, ascending.
  std::vector<int> years() const;
  /// Number of loaded values.
  std::size_t observation_count() const noexcept { return n_obs_; }

  /// The value of an indicator at a region for a period (month, year-to-date, as-of, quarter,
  /// half-year, year), by the indicator's kind; needs a current roll-up.
  aggregate value(region_id r, const period& p, indicator_id i) const;
  /// 同比: the value against the same period one year earlier, on the tree of each period.
  comparison year_on_year(region_id r, const period& p, indicator_id i) const;
  /// 环比: the value against the previous period of the same kind (month, quarter, ..., year-to-date through M−1).
  comparison period_on_period(region_id r, const period& p, indicator_id i) const;
  /// The same, over a reporting scope (海丰县（不含深汕）).
  aggregate scope_value(std::size_t scope_index, const period& p, indicator_id i) const;
  /// The value reported at a region itself for one month (no roll-up), if any.
  std::optional<decimal> reported(region_id r, const period& month, indicator_id i) const;
  /// The qualifier of a reported value.
  qualifier reported_qualifier(region_id r, const period& month, indicator_id i) const;
  /// Where a value came from.
  explanation explain(region_id r, const period& p, indicator_id i) const;
  /// An explanation as readable text (Chinese names, codes, coverage).
  std::string explain_text(const explanation& e) const;
  /// Totals reported at non-leaf regions that differ from their children's sum.
  std::vector<reconciliation> reconcile() const;

  /// Writes the roll-up CSV (`region,period,indicator,monthly,ytd,reporting,expected`).
  void write_csv(std::FILE* out, const rollup_filter& f = {}) const;
  /// The roll-up CSV as a string (small models, tests, bindings).
  std::string csv(const rollup_filter& f = {}) const;

  /// The loaded observation grids, one per year (for bulk readers such as the benchmark).
  const std::vector<observation_year>& observation_years() const noexcept { return obs_; }
  /// The roll-up block of a year, or nullptr (for bulk readers such as the C ABI and the benchmark).
  const rollup_year* rollup_block(int year) const noexcept;
  /// Flat cell index of (region, indicator, month 1..12) within a year block.
  std::size_t cell(region_id r, indicator_id i, int month) const noexcept {
    return (static_cast<std::size_t>(r) * cat_.size() + static_cast<std::size_t>(i)) * 12 + static_cast<std::size_t>(month - 1);
  }

 private:
  struct series_key {
    region_id region;
    indicator_id indicator;
    int year;
  };
  void transaction(const std::function<void()>& change, const std::vector<series_key>& touched);
  void set_value_unguarded(region_id r, const period& p, indicator_id i, const decimal& v, qualifier q);
  void clear_value_unguarded(region_id r, const period& p, indicator_id i);
  void require_rollup() const;
  void require_model() const;
  observation_year* obs_block(int year) noexcept;
  const observation_year* obs_block(int year) const noexcept;
  rollup_year* roll_block(int year) noexcept;
  void rollup_year_block(const observation_year& obs, rollup_year& out, rollup_path path) const;
  void rollup_single_tree(const observation_year& obs, rollup_year& out, const tree& t) const;
  void rollup_segmented(const observation_year& obs, rollup_year& out) const;
  void refresh_presence(rollup_year& y, region_id r, indicator_id i) const;
  void compute_ratios(rollup_year& out, region_id r, int m_first, int m_last) const;
  void update_after_revision(region_id r, indicator_id i, int year, int month);
  aggregate aggregate_leaves(const std::vector<region_id>& leaves, int year, int first, int last, indicator_id i,
                             bool cumulative) const;
  aggregate cell_value(const rollup_year& y, region_id r, indicator_id i, int month, bool ytd) const;

  /// A ratio's terms and constants, worked out once per catalogue so the hot loop only adds and divides.
  struct ratio_plan {
    std::size_t offset = 0;                                   ///< the ratio's cell offset in a region block
    std::vector<std::pair<std::size_t, std::int64_t>> num, den;  ///< (term offset, multiplier to the common scale)
    std::int64_t n_mul = 1, d_mul = 1;                        ///< factor·10^(den scale + decimals), 10^(num scale)
    indicator_id id = npos;
  };
  void build_ratio_plans();

  catalogue cat_;
  std::vector<ratio_plan> plans_;
  hierarchy h_;
  std::vector<zhibiao::scope> scopes_;
  std::vector<observation_year> obs_;  // sorted by year
  std::vector<rollup_year> roll_;      // sorted by year
  std::size_t n_obs_ = 0;
  bool rolled_up_ = false;
};

/// Formats an int64 mantissa with `decimals` decimals into `buf` (no separators); returns the length.
std::size_t format_fixed(std::int64_t mantissa, int decimals, char* buf) noexcept;

}  // namespace zhibiao
