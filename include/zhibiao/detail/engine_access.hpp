// zhibiao — the engine's own door to its grids: the roll-up CSV writer, the benchmark's streaming floor and
// white-box tests use it. Checks, reports, testing, the C ABI and the CLI read results through the query
// API instead (model::value, explain, …), so the grid layout can change without touching them.
#pragma once

#include <zhibiao/model.hpp>

#include <cstddef>
#include <vector>

namespace zhibiao::detail {

/// Read access to a model's grids for code that is part of the engine.
struct engine_access {
  /// The loaded observation grids, one per year with data, ascending.
  static const std::vector<observation_year>& observation_years(const model& m) noexcept { return m.obs_; }
  /// The roll-up block of a year, or nullptr when there is none (no data, or no current roll-up).
  static const rollup_year* rollup_block(const model& m, int year) noexcept { return m.rollup_block(year); }
  /// Flat cell index of (region, indicator, month 1..12) within a year block.
  static std::size_t cell(const model& m, region_id r, indicator_id i, int month) noexcept { return m.cell(r, i, month); }
};

}  // namespace zhibiao::detail
