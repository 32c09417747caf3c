// The observations loader: rows parsed (in two halves at once for large files), staged into copies of
// the touched years, year-to-date series turned into months, committed only when the whole file is good.
// Private to src/.
#pragma once

#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace zhibiao::detail {

/// The validity spans of a region, for messages (2021-01..2021-06, …).
inline std::string describe_validity(const region& r) {
  std::string s;
  for (const region_version& v : r.versions) {
    if (!s.empty()) s += ", ";
    auto fmt_serial = [](int x) { return fmt::format("{}-{:02}", period::serial_year(x), period::serial_month(x)); };
    s += (v.from == serial_min ? std::string("…") : fmt_serial(v.from)) + ".." +
         (v.to == serial_max ? std::string("…") : fmt_serial(v.to));
  }
  return s;
}

/// Why a load or revision that adds a year would pass model::max_grid_cells.
inline std::string grid_limit_message(std::size_t years, std::size_t regions, std::size_t indicators) {
  return fmt::format("{} years of {} regions × {} indicators × 12 months are {} cells, more than the limit of {} "
                     "(model::max_grid_cells); split the data into several models",
                     years, regions, indicators, years * regions * indicators * 12, model::max_grid_cells);
}

/// Loads one observations.csv text into a model, all or nothing.
class observation_loader {
 public:
  /// A loader for `text` (named `file` in messages) into `m`.
  observation_loader(model& m, std::string_view text, const std::string& file);
  /// Parses, converts and commits; on error the model is unchanged.
  void run();

 private:
  struct columns {
    int region, period, indicator, value, qualifier;
  };
  // What one row says, resolved to ids.
  struct row {
    region_id region = npos;
    indicator_id indicator = npos;
    std::optional<zhibiao::period> when;
    std::int64_t value = 0;
    std::uint8_t flags = 0;
  };
  // Per-thread caches of the last codes seen (files repeat them row after row).
  struct row_cache {
    std::string region, indicator, period;  // copies: the reader's scratch buffer is overwritten by the next record
    row last;
    int cached_year = 0;
    observation_year* block = nullptr;
  };

  observation_year& block(int year, const csv::reader& in);
  void resolve_codes(csv::reader& in, row_cache& c) const;
  bool resolve_period(csv::reader& in, row_cache& c) const;
  void resolve_value(csv::reader& in, row_cache& c, bool cumulative) const;
  void parse_rows(csv::reader& in, std::size_t& added, bool shared);
  bool parse_in_halves(const csv::reader& in, std::size_t& added);
  std::size_t first_line(const csv::reader& in, region_id r, indicator_id i, int year, int month) const;
  std::size_t row_of(region_id r, indicator_id i, int year, int month, bool* ytd_form) const;
  void to_monthly(observation_year& b);
  void to_monthly_series(observation_year& b, std::size_t base, region_id r, indicator_id i, const observation_year* before);
  void commit(std::size_t added);

  model& m_;
  std::string_view text_;
  const std::string& file_;
  bool parallel_;
  columns c_{};
  std::size_t cells_ = 0;
  // A deque keeps each staged year where it is while another thread adds a year.
  std::deque<observation_year> staged_;
  std::mutex staged_mu_;
};

}  // namespace zhibiao::detail
