// Loading observations into the dense grid: validate every row, stage into copies, commit at the end.
#include "observation_loader.hpp"

#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/date.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <functional>

namespace zhibiao {

using namespace detail;


void model::set_indicators(catalogue c) {
  if (n_obs_ || partial_count()) throw error(errc::state, "the catalogue cannot change once observations are loaded; start a new model");
  cat_ = std::move(c);
  build_ratio_plans();
  obs_.clear();
  roll_.clear();
  rolled_up_ = false;
}

void model::set_regions(hierarchy h) {
  if (n_obs_ || partial_count()) throw error(errc::state, "the regions cannot change once observations are loaded; start a new model");
  h_ = std::move(h);
  scopes_.clear();
  obs_.clear();
  roll_.clear();
  rolled_up_ = false;
}

void model::load_indicators_text(std::string_view text, const std::string& file) {
  catalogue c = catalogue::parse(text, file);
  set_indicators(std::move(c));
}

void model::load_regions_text(std::string_view text, const std::string& file) {
  hierarchy h = hierarchy::parse(text, file);
  set_regions(std::move(h));
}

void model::load_scopes_text(std::string_view text, const std::string& file) {
  if (!h_.size()) throw error(errc::state, "load the regions before the scopes");
  auto s = parse_scopes(text, file, h_);
  scopes_ = std::move(s);
}

void model::load_indicators(const std::string& path) { load_indicators_text(csv::read_file(path), path); }
void model::load_regions(const std::string& path) { load_regions_text(csv::read_file(path), path); }
void model::load_scopes(const std::string& path) { load_scopes_text(csv::read_file(path), path); }
void model::load_observations(const std::string& path) {
  csv::file_bytes bytes(path);  // national files are large: map them rather than copy
  load_observations_text(bytes.view(), path);
}

void model::require_model() const {
  if (!cat_.size()) throw error(errc::state, "no indicators loaded");
  if (!h_.size()) throw error(errc::state, "no regions loaded");
}

observation_year* model::obs_block(int year) noexcept {
  for (auto& b : obs_)
    if (b.year == year) return &b;
  return nullptr;
}
const observation_year* model::obs_block(int year) const noexcept {
  for (const auto& b : obs_)
    if (b.year == year) return &b;
  return nullptr;
}

std::vector<int> model::years() const {
  std::vector<int> y;
  for (const auto& b : obs_) y.push_back(b.year);
  return y;
}

void model::load_observations_text(std::string_view text, const std::string& file) {
  require_model();
  observation_loader(*this, text, file).run();
}

std::optional<decimal> model::reported(region_id r, const period& month, indicator_id i) const {
  const observation_year* b = obs_block(month.year());
  if (!b || r < 0 || static_cast<std::size_t>(r) >= h_.size() || i < 0 || static_cast<std::size_t>(i) >= cat_.size())
    return std::nullopt;
  std::size_t c = cell(r, i, month.last_month());
  if (!(b->flags[c] & f_present)) return std::nullopt;
  return decimal::from_scaled(b->value[c], cat_[i].decimals);
}

qualifier model::reported_qualifier(region_id r, const period& month, indicator_id i) const {
  const observation_year* b = obs_block(month.year());
  if (!b) return qualifier::none;
  return static_cast<qualifier>((b->flags[cell(r, i, month.last_month())] & f_qual_mask) >> f_qual_shift);
}

void model::set_value(region_id r, const period& p, indicator_id i, const decimal& v, qualifier q) {
  set_values({value_update{r, p, i, v, q}});
}

void model::clear_value(region_id r, const period& p, indicator_id i) {
  require_model();
  if (r < 0 || static_cast<std::size_t>(r) >= h_.size() || i < 0 || static_cast<std::size_t>(i) >= cat_.size())
    throw error(errc::invalid_argument, "unknown region or indicator id");
  transaction([&] { clear_value_unguarded(r, p, i); }, {{r, i, p.year()}});
}

void model::set_values(const std::vector<value_update>& updates) {
  std::vector<series_key> keys;
  keys.reserve(updates.size());
  for (const value_update& u : updates) keys.push_back({u.region, u.indicator, u.when.year()});
  transaction(
      [&] {
        for (std::size_t k = 0; k < updates.size(); ++k) {
          const value_update& u = updates[k];
          try {
            set_value_unguarded(u.region, u.when, u.indicator, u.value, u.qual);
          } catch (const error& e) {
            // Which of the values failed; other classes (overflow, limit) keep their own type.
            if (e.code() != errc::invalid_argument) throw;
            throw error(errc::invalid_argument, fmt::format("value {}: {}", k, e.what()));
          }
        }
      },
      keys);
}

void model::transaction(const std::function<void()>& change, const std::vector<series_key>& touched) {
  // Keep the touched series (12 months each) and the observation count; put them back if anything fails.
  struct saved {
    series_key key;
    bool year_existed;
    std::int64_t value[12];
    std::uint8_t flags[12];
  };
  std::vector<saved> before;
  before.reserve(touched.size());
  for (const series_key& k : touched) {
    saved s{k, false, {}, {}};
    if (k.region >= 0 && static_cast<std::size_t>(k.region) < h_.size() && k.indicator >= 0 &&
        static_cast<std::size_t>(k.indicator) < cat_.size()) {
      if (const observation_year* b = obs_block(k.year)) {
        s.year_existed = true;
        for (int m = 0; m < 12; ++m) {
          s.value[m] = b->value[cell(k.region, k.indicator, m + 1)];
          s.flags[m] = b->flags[cell(k.region, k.indicator, m + 1)];
        }
      }
    }
    before.push_back(s);
  }
  const std::size_t n_before = n_obs_;
  const bool was_rolled_up = rolled_up_;
  try {
    change();
  } catch (...) {
    // Restore in reverse so the oldest snapshot of a series wins, then recompute what the roll-up held.
    std::vector<int> years;
    for (auto it = before.rbegin(); it != before.rend(); ++it) {
      observation_year* b = obs_block(it->key.year);
      if (!b) continue;
      if (!it->year_existed) {
        for (int m = 1; m <= 12; ++m) b->flags[cell(it->key.region, it->key.indicator, m)] = 0;
      } else {
        for (int m = 0; m < 12; ++m) {
          b->value[cell(it->key.region, it->key.indicator, m + 1)] = it->value[m];
          b->flags[cell(it->key.region, it->key.indicator, m + 1)] = it->flags[m];
        }
      }
      years.push_back(it->key.year);
    }
    // A year created by the failed change holds nothing now: drop it.
    obs_.erase(std::remove_if(obs_.begin(), obs_.end(),
                              [](const observation_year& y) {
                                return y.partials.empty() && std::none_of(y.flags.begin(), y.flags.end(), [](std::uint8_t f) { return f != 0; });
                              }),
               obs_.end());
    n_obs_ = n_before;
    if (was_rolled_up) {
      rolled_up_ = false;
      rollup();  // the data is back to what rolled up before, so this succeeds
    }
    throw;
  }
}

void model::set_value_unguarded(region_id r, const period& p, indicator_id i, const decimal& v, qualifier q) {
  require_model();
  if (r < 0 || static_cast<std::size_t>(r) >= h_.size()) throw error(errc::invalid_argument, "unknown region id");
  if (i < 0 || static_cast<std::size_t>(i) >= cat_.size()) throw error(errc::invalid_argument, "unknown indicator id");
  const indicator& ind = cat_[i];
  if (ind.kind == indicator_kind::ratio)
    throw error(errc::invalid_argument, fmt::format("'{}' is a ratio: set its numerator and denominator", ind.code));
  if (p.kind() == period_kind::quarter || p.kind() == period_kind::half_year || p.kind() == period_kind::span)
    throw error(errc::invalid_argument, "values are set for a month or a year-to-date span");
  if (!h_[r].at(p.serial()))
    throw error(errc::invalid_argument, fmt::format("region '{}' does not exist in {}", h_[r].code, p.code()));
  if (std::string why = below_reporting_level(h_, ind, r, p.serial()); !why.empty()) throw error(errc::invalid_argument, why);
  auto m = v.to_scaled_int64(ind.decimals);
  if (!m) throw error(errc::invalid_argument, fmt::format("{} does not fit '{}' ({} decimals)", v.to_string(), ind.code, ind.decimals));
  std::int64_t value = *m;
  if (ind.unit.dim == dimension::date && !valid_day(value))
    throw error(errc::invalid_argument, fmt::format("{} is not the day number of a date in 1900–2200 (days since 1970-01-01) for '{}'",
                                                    v.to_string(), ind.code));
  if (value < 0 && !ind.allow_negative && ind.kind != indicator_kind::parameter)
    throw error(errc::invalid_argument, fmt::format("negative value for '{}', which the catalogue does not allow", ind.code));
  observation_year* b = obs_block(p.year());
  if (!b) {
    if ((obs_.size() + 1) * h_.size() * cat_.size() * 12 > max_grid_cells)
      throw error(errc::limit, grid_limit_message(obs_.size() + 1, h_.size(), cat_.size()));
    const std::size_t cells = h_.size() * cat_.size() * 12;
    obs_.push_back(observation_year{p.year(), std::vector<std::int64_t>(cells, 0), std::vector<std::uint8_t>(cells, 0), {}});
    std::sort(obs_.begin(), obs_.end(), [](const observation_year& a, const observation_year& c) { return a.year < c.year; });
    b = obs_block(p.year());
  }
  const int month = p.last_month();
  std::size_t c = cell(r, i, month);
  bool cumulative = ind.kind == indicator_kind::flow &&
                    (p.kind() == period_kind::year_to_date || p.kind() == period_kind::year || p.kind() == period_kind::as_of);
  if (cumulative) {
    // Book the difference to the last month; a later month keeps its own cumulative.
    std::int64_t before = 0;
    for (int k = 1; k < month; ++k)
      if (b->flags[cell(r, i, k)] & f_present) before += b->value[cell(r, i, k)];
    std::int64_t old_cum = before + ((b->flags[c] & f_present) ? b->value[c] : 0);
    std::int64_t diff = value - before;
    if (diff < 0 && !ind.allow_negative)
      throw error(errc::invalid_argument, fmt::format("year-to-date value {} is below the months before it ({})", v.to_string(),
                                                      decimal::from_scaled(before, ind.decimals).to_string()));
    for (int k = month + 1; k <= 12; ++k) {
      std::size_t ck = cell(r, i, k);
      if (b->flags[ck] & f_present) {
        std::int64_t adjusted = b->value[ck] + old_cum - value;
        if (adjusted < 0 && !ind.allow_negative)
          throw error(errc::invalid_argument, "the revision would make a later month's value negative");
        b->value[ck] = adjusted;
        if (!(b->flags[c] & f_present)) ++n_obs_;
        b->value[c] = diff;
        b->flags[c] = static_cast<std::uint8_t>(f_present | (static_cast<std::uint8_t>(q) << f_qual_shift) | f_ytd);
        if (q != qualifier::none) b->qualified = 1;
        if (rolled_up_) {
          update_after_revision(r, i, p.year(), month);
          update_after_revision(r, i, p.year(), k);
        }
        return;
      }
    }
    value = diff;
  }
  if (!(b->flags[c] & f_present)) ++n_obs_;
  b->value[c] = value;
  b->flags[c] = static_cast<std::uint8_t>(f_present | (static_cast<std::uint8_t>(q) << f_qual_shift) | (cumulative ? f_ytd : 0));
  if (q != qualifier::none) b->qualified = 1;
  if (rolled_up_) update_after_revision(r, i, p.year(), month);
}

void model::clear_value_unguarded(region_id r, const period& p, indicator_id i) {
  observation_year* b = obs_block(p.year());
  if (!b) return;
  std::size_t c = cell(r, i, p.last_month());
  if (!(b->flags[c] & f_present)) return;
  b->flags[c] = 0;
  b->value[c] = 0;
  --n_obs_;
  if (rolled_up_) update_after_revision(r, i, p.year(), p.last_month());
}

}  // namespace zhibiao
