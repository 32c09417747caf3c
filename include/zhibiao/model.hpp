// zhibiao — the model: catalogue, hierarchy, observations and the roll-up computed from them.
//
// Data flows one way: files → catalogue/hierarchy → observation grid → roll-up grid → queries.
// Values are int64 mantissas at the indicator's decimals, added with overflow checks (an overflow is
// an error, never a wrap).
#pragma once

#include <zhibiao/catalogue.hpp>
#include <zhibiao/decimal.hpp>
#include <zhibiao/hierarchy.hpp>
#include <zhibiao/observations.hpp>
#include <zhibiao/period.hpp>
#include <zhibiao/query.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

namespace detail {
struct engine_access;
class observation_loader;
}  // namespace detail

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

  /// The roll-up of region `r` for `year` as a partial another model can load as a leaf; needs a current
  /// roll-up, and an errc::not_found error when the year has no roll-up; an errc::state error naming the
  /// indicator when the catalogue has one with a reported_at level (a partial carries the leaves' coverage).
  partial export_partial(region_id r, int year) const;
  /// Loads a partial as a leaf whose roll-up is the partial's own (values, year-to-date, coverage): the
  /// roll-up copies it instead of reading the region's observations (those stay as a reported total), so
  /// the levels above come out as in the model the partial came from. The region must be a leaf in every
  /// month it exists and the catalogue must match; replaces an earlier partial of the same region and year;
  /// all or nothing; an errc::state error for a catalogue with reported_at, as for export_partial. Quarter,
  /// half-year and scope values over such a leaf are an errc::state error (they
  /// need the leaf's own observations).
  void load_partial(const partial& p);
  /// Number of partials loaded.
  std::size_t partial_count() const noexcept;

  /// Writes the roll-up CSV (`region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier`).
  void write_csv(std::FILE* out, const rollup_filter& f = {}) const;
  /// The roll-up CSV as a string (small models, tests, bindings).
  std::string csv(const rollup_filter& f = {}) const;

  /// The last month with any data at a root of the tree, as a month period (the default as-of month of
  /// checks); an errc::state error when nothing was loaded or the roll-up is not current.
  period last_month_with_data() const;
  /// The region or scope with this code (a region first), or nullopt.
  std::optional<place> find_place(std::string_view code) const noexcept;
  /// The region or scope with this code, or a not_found error naming it.
  place require_place(std::string_view code) const;
  /// The value at a region or a scope.
  aggregate value(const place& where, const period& p, indicator_id i) const;
  /// 同比 at a region or a scope.
  comparison year_on_year(const place& where, const period& p, indicator_id i) const;
  /// The display name of a region or scope at the period's last month.
  const std::string& place_name(const place& where, const period& p) const;
  /// The code of a region or scope.
  const std::string& place_code(const place& where) const;

 private:
  friend struct detail::engine_access;
  friend class detail::observation_loader;
  /// The roll-up block of a year, or nullptr.
  const detail::rollup_year* rollup_block(int year) const noexcept;
  /// Flat cell index of (region, indicator, month 1..12) within a year block.
  std::size_t cell(region_id r, indicator_id i, int month) const noexcept {
    return (static_cast<std::size_t>(r) * cat_.size() + static_cast<std::size_t>(i)) * 12 + static_cast<std::size_t>(month - 1);
  }
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
  detail::observation_year* obs_block(int year) noexcept;
  const detail::observation_year* obs_block(int year) const noexcept;
  detail::rollup_year* roll_block(int year) noexcept;
  void rollup_year_block(const detail::observation_year& obs, detail::rollup_year& out, rollup_path path) const;
  template <bool Lean>
  void rollup_single_tree(const detail::observation_year& obs, detail::rollup_year& out, const tree& t) const;
  void rollup_segmented(const detail::observation_year& obs, detail::rollup_year& out) const;
  void finish_segmented(detail::rollup_year& out, const std::vector<std::int32_t>& ytd_count) const;
  void refresh_presence(detail::rollup_year& y, region_id r, indicator_id i) const;
  void refresh_presence(detail::rollup_year& y, const detail::observation_year& obs, const tree& t, region_id r,
                        indicator_id i, bool requalify) const;
  void compute_ratios(detail::rollup_year& out, region_id r, int m_first, int m_last, bool quals,
                      indicator_id only = npos) const;
  template <bool Quals>
  void compute_ratios_as(detail::rollup_year& out, region_id r, int m_first, int m_last, indicator_id only) const;
  std::vector<const detail::partial_leaf*> partial_index(const detail::observation_year& obs) const;
  void add_partial_expected(const detail::observation_year& obs, detail::rollup_year& out, const tree& t, int m_first,
                            int m_last) const;
  void check_partial(const partial& p, region_id r) const;
  /// The regions' roles in one tree for one level some indicator is reported at, and those indicators.
  struct level_roles {
    zhibiao::level at;
    std::vector<unit_role> role;
    std::vector<indicator_id> indicators;
  };
  std::vector<level_roles> unit_roles(const tree& t) const;
  void fill_unit_expected(detail::rollup_year& out, const tree& t, const std::vector<level_roles>& units, int m_first,
                          int m_last) const;
  void own_values(const detail::observation_year& obs, detail::rollup_year& out, region_id r,
                  const std::vector<level_roles>& units, int m0, int m1, std::int32_t* ytd_count) const;
  std::vector<region_id> reporting_units(region_id r, int s, indicator_id i) const;
  void update_after_revision(region_id r, indicator_id i, int year, int month);
  aggregate aggregate_leaves(const std::vector<region_id>& leaves, int year, int first, int last, indicator_id i,
                             bool cumulative) const;
  aggregate cell_value(const detail::rollup_year& y, region_id r, indicator_id i, int month, bool ytd) const;
  std::int32_t carried_leaves(const std::vector<region_id>& leaves, int year, int first, int last, indicator_id i,
                              std::vector<std::pair<region_id, int>>* who = nullptr) const;

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
  std::vector<detail::observation_year> obs_;  // sorted by year
  std::vector<detail::rollup_year> roll_;      // sorted by year
  std::size_t n_obs_ = 0;
  bool rolled_up_ = false;
};

}  // namespace zhibiao
