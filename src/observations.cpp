// Loading observations into the dense grid: validate every row, stage into copies, commit at the end.
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

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

namespace {


std::string describe_validity(const region& r) {
  std::string s;
  for (const region_version& v : r.versions) {
    if (!s.empty()) s += ", ";
    auto fmt_serial = [](int x) { return fmt::format("{}-{:02}", period::serial_year(x), period::serial_month(x)); };
    s += (v.from == serial_min ? std::string("…") : fmt_serial(v.from)) + ".." +
         (v.to == serial_max ? std::string("…") : fmt_serial(v.to));
  }
  return s;
}

// Why a load or revision that adds a year would pass model::max_grid_cells.
std::string grid_limit_message(std::size_t years, std::size_t regions, std::size_t indicators) {
  return fmt::format("{} years of {} regions × {} indicators × 12 months are {} cells, more than the limit of {} "
                     "(model::max_grid_cells); split the data into several models",
                     years, regions, indicators, years * regions * indicators * 12, model::max_grid_cells);
}

}  // namespace

void model::set_indicators(catalogue c) {
  if (n_obs_) throw error(errc::state, "the catalogue cannot change once observations are loaded; start a new model");
  cat_ = std::move(c);
  build_ratio_plans();
  obs_.clear();
  roll_.clear();
  rolled_up_ = false;
}

void model::set_regions(hierarchy h) {
  if (n_obs_) throw error(errc::state, "the regions cannot change once observations are loaded; start a new model");
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
  // Large files without quotes are split at a line boundary into two halves parsed at once (each half
  // checks its own encoding); a quote could hide a line break inside a field, so such files are read in
  // one pass.
  const bool parallel = text.size() > (8u << 20) && std::thread::hardware_concurrency() > 1 &&
                        text.find('"') == std::string_view::npos;
  csv::reader in(text, file, {}, !parallel);
  in.read_header({"region", "period", "indicator", "value"}, {"qualifier"});
  const int c_reg = in.column("region"), c_per = in.column("period"), c_ind = in.column("indicator"),
            c_val = in.column("value"), c_q = in.column("qualifier");
  const std::size_t cells = h_.size() * cat_.size() * 12;
  // Staging: the touched years are copied, filled, and swapped in only when the whole file is good.
  // A deque keeps each year where it is while another thread adds a year.
  std::deque<observation_year> staged;
  std::mutex staged_mu;
  auto block = [&](int year, const csv::reader& in) -> observation_year& {
    std::lock_guard lock(staged_mu);
    for (auto& b : staged)
      if (b.year == year) return b;
    if (const observation_year* cur = obs_block(year)) {
      staged.push_back(*cur);
    } else {
      // A new year adds a grid of every (region, indicator, month): bound the total before allocating.
      std::size_t years = obs_.size() + 1;
      for (const auto& b : staged) years += obs_block(b.year) ? 0 : 1;
      if (years * cells > max_grid_cells) in.fail(c_per, grid_limit_message(years, h_.size(), cat_.size()), errc::limit);
      staged.push_back(observation_year{year, std::vector<std::int64_t>(cells, 0), std::vector<std::uint8_t>(cells, 0)});
    }
    return staged.back();
  };
  // The row loop, for the whole file or, in parallel, for one part of it. `shared` marks the parallel
  // case: cells are claimed with an atomic exchange, and any error makes the caller start again
  // sequentially so the error reported is the first in file order, with its exact line.
  auto parse_rows = [&](csv::reader& in, std::size_t& added, bool shared) {
    // The line of the earlier row for a cell, found again only when a duplicate is reported.
    auto first_line = [&](region_id r, indicator_id i, int year, int month) -> std::size_t {
      csv::reader again(text, file);
      again.read_header({"region", "period", "indicator", "value"}, {"qualifier"});
      while (again.next()) {
        if (again.line() >= in.line()) break;
        if (h_.find(again.get(c_reg)) != r || cat_.find(again.get(c_ind)) != i) continue;
        try {
          period p = period::parse(again.get(c_per));
          if (p.year() == year && p.last_month() == month) return again.line();
        } catch (const error&) {
        }
      }
      return 0;
    };
    // Copies, not views: a quoted field is unescaped into the reader's scratch buffer, which the next
    // record overwrites in place, so a view could silently compare equal to a different code.
    std::string last_region, last_ind, last_per;
    region_id r = npos;
    indicator_id i = npos;
    std::optional<period> p;
    int cached_year = 0;
    observation_year* b = nullptr;
    while (in.next()) {
      std::string_view rs = in.get(c_reg), is = in.get(c_ind), ps = in.get(c_per);
      if (rs != last_region || r == npos) {
        r = h_.find(rs);
        if (r == npos) in.fail(c_reg, rs.empty() ? "empty region code" : fmt::format("unknown region '{}'", rs));
        last_region = rs;
      }
      if (is != last_ind || i == npos) {
        // Files list a region's indicators in catalogue order: try the next one before hashing.
        indicator_id guess = i + 1;
        i = guess >= 0 && static_cast<std::size_t>(guess) < cat_.size() && cat_[guess].code == is ? guess : cat_.find(is);
        if (i == npos) in.fail(c_ind, is.empty() ? "empty indicator code" : fmt::format("unknown indicator '{}'", is));
        last_ind = is;
      }
      const indicator& ind = cat_[i];
      if (ind.kind == indicator_kind::ratio) {
        std::string parts;
        std::vector<indicator_id> seen;
        for (const auto* side : {&ind.numerator, &ind.denominator})
          for (auto t : *side)
            if (std::find(seen.begin(), seen.end(), t) == seen.end()) {
              seen.push_back(t);
              parts += (parts.empty() ? "" : ", ") + cat_[t].code;
            }
        in.fail(c_ind, fmt::format("'{}' is a ratio: it is computed, report its parts ({}) instead", ind.code, parts));
      }
      if (ps != last_per || !p) {
        try {
          p = period::parse(ps);
        } catch (const error& e) {
          p.reset();
          in.fail(c_per, e.what());
        }
        last_per = ps;
      }
      bool cumulative = false;
      switch (p->kind()) {
        case period_kind::month: break;
        // 截至9月底 for a flow is its cumulative total through September, as for 1-9月.
        case period_kind::as_of:
        case period_kind::year_to_date:
        case period_kind::year: cumulative = ind.kind == indicator_kind::flow; break;
        default:
          in.fail(c_per, fmt::format("'{}' is a {}: observations are monthly (2021-03) or year-to-date (2021-01..2021-09)",
                                     ps, period_kind_name(p->kind())));
      }
      const int month = p->last_month(), year = p->year();
      if (!h_[r].at(p->serial()))
        in.fail(c_reg, fmt::format("region '{}' does not exist in {} (valid {})", rs, p->code(), describe_validity(h_[r])));
      std::int64_t v = 0;
      parse_status st = parse_fixed(in.get(c_val), ind.decimals, v);
      if (st != parse_status::ok) {
        if (st == parse_status::too_many_decimals)
          in.fail(c_val, fmt::format("'{}' has more than {} decimals, the most '{}' allows", in.get(c_val), ind.decimals, ind.code));
        in.fail(c_val, fmt::format("'{}': {}", in.get(c_val), parse_status_message(st)),
                st == parse_status::overflow ? errc::overflow : errc::load);
      }
      if (v < 0 && !ind.allow_negative && ind.kind != indicator_kind::parameter)
        in.fail(c_val, fmt::format("negative value {} for '{}', which the catalogue does not allow (signed=no)", in.get(c_val), ind.code));
      std::uint8_t q = 0;
      std::string_view qs = in.get(c_q);
      if (qs == "lower_bound") q = static_cast<std::uint8_t>(qualifier::lower_bound);
      else if (qs == "approximate") q = static_cast<std::uint8_t>(qualifier::approximate);
      else if (!qs.empty()) in.fail(c_q, fmt::format("unknown qualifier '{}' (expected lower_bound or approximate)", qs));
      if (!b || year != cached_year) {
        b = &block(year, in);
        cached_year = year;
      }
      const std::size_t c = cell(r, i, month);
      const auto f = static_cast<std::uint8_t>(f_present | (q << f_qual_shift) | (cumulative ? f_ytd : 0));
      const std::uint8_t old = shared ? std::atomic_ref<std::uint8_t>(b->flags[c]).exchange(f) : b->flags[c];
      if (old & f_present) {
        if (shared) throw error(errc::load, "duplicate");  // reported exactly by the sequential pass
        std::size_t l = first_line(r, i, year, month);
        in.fail(c_per, l ? fmt::format("duplicate: ({}, {}, {}) was already given at line {}", rs, ps, is, l)
                         : fmt::format("duplicate: ({}, {}-{:02}, {}) was already loaded", rs, year, month, is));
      }
      b->value[c] = v;
      if (!shared) b->flags[c] = f;
      ++added;
    }
  };
  std::size_t added = 0;
  const std::size_t body = in.offset();
  bool done = false;
  if (parallel) {
    std::size_t split = text.find('\n', body + (text.size() - body) / 2);
    if (split != std::string_view::npos && split + 1 < text.size()) {
      std::size_t added2 = 0;
      std::exception_ptr err1, err2;
      // Each half checks its own encoding inside its thread.
      std::thread t([&] {
        try {
          csv::reader second(text.substr(split + 1), file);
          second.use_header(in);
          parse_rows(second, added2, true);
        } catch (...) {
          err2 = std::current_exception();
        }
      });
      try {
        csv::reader first(text.substr(0, split + 1), file);
        first.read_header({"region", "period", "indicator", "value"}, {"qualifier"});
        parse_rows(first, added, true);
      } catch (...) {
        err1 = std::current_exception();
      }
      t.join();
      if (!err1 && !err2) {
        added += added2;
        done = true;
      } else {
        staged.clear();  // start again in file order for the exact first error
        added = 0;
      }
    }
  }
  if (!done && parallel) csv::check_utf8(text.substr(text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0), file);
  if (!done) parse_rows(in, added, false);
  // The line of this file's row for one cell (0 when the cell came from an earlier load), and whether
  // the row was written year-to-date; for messages only.
  auto row_of = [&](region_id rr, indicator_id ii, int year, int month, bool* ytd_form) -> std::size_t {
    csv::reader again(text, file);
    again.read_header({"region", "period", "indicator", "value"}, {"qualifier"});
    while (again.next()) {
      if (h_.find(again.get(c_reg)) != rr || cat_.find(again.get(c_ind)) != ii) continue;
      try {
        period pp = period::parse(again.get(c_per));
        if (pp.year() == year && pp.last_month() == month) {
          if (ytd_form) *ytd_form = pp.kind() == period_kind::year_to_date || pp.kind() == period_kind::year;
          return again.line();
        }
      } catch (const error&) {
      }
    }
    return 0;
  };
  auto line_text = [](std::size_t l) { return l ? fmt::format("line {}", l) : std::string("loaded earlier"); };
  // Year-to-date series become monthly values by difference; a series is either monthly or cumulative.
  const std::size_t I = cat_.size();
  for (observation_year& b : staged) {
    for (std::size_t series = 0; series < h_.size() * I; ++series) {
      const std::size_t base = series * 12;
      bool any_ytd = false, any_monthly = false;
      for (int m = 0; m < 12; ++m) {
        std::uint8_t f = b.flags[base + m];
        if (f & f_present) (f & f_ytd ? any_ytd : any_monthly) = true;
      }
      if (!any_ytd) continue;
      auto rr = static_cast<region_id>(series / I);
      auto ii = static_cast<indicator_id>(series % I);
      const indicator& ind = cat_[ii];
      const observation_year* before = obs_block(b.year);
      if (any_monthly) {
        // Name the rows of this file that mix the forms (the other form may come from an earlier load).
        std::size_t l_monthly = 0, l_ytd = 0;
        for (int m = 1; m <= 12; ++m) {
          bool ytd_form = false;
          std::size_t l = row_of(rr, ii, b.year, m, &ytd_form);
          std::size_t& slot = ytd_form ? l_ytd : l_monthly;
          if (l && !slot) slot = l;
        }
        const std::size_t l = std::max(l_monthly, l_ytd);
        throw load_error(location{file, l, l ? static_cast<std::size_t>(c_per + 1) : 0, l ? "period" : ""},
                         fmt::format("{} / {} in {}: values are given both monthly ({}) and year-to-date ({}); use one "
                                     "form per series",
                                     h_[rr].code, ind.code, b.year, line_text(l_monthly), line_text(l_ytd)));
      }
      // Cells already converted by an earlier load hold monthly values; new ones still hold cumulatives.
      // `old_running` rebuilds the earlier cumulatives, so that a month arriving after a later one (Feb
      // in this file, Mar loaded before) re-derives the later month from its own cumulative.
      std::int64_t running = 0, old_running = 0, prev_cum = 0;
      int prev_month = 0;
      for (int m = 0; m < 12; ++m) {
        std::size_t c = base + m;
        if (!(b.flags[c] & f_present)) continue;
        bool fresh = !before || !(before->flags[c] & f_present);
        std::int64_t cum = b.value[c], diff = 0;
        if (!fresh) {
          if (__builtin_add_overflow(old_running, b.value[c], &old_running)) throw overflow_error("year-to-date sum overflows");
          cum = old_running;
        }
        if (__builtin_sub_overflow(cum, running, &diff)) throw overflow_error("year-to-date difference overflows");
        if (diff < 0 && !ind.allow_negative) {
          std::size_t l1 = row_of(rr, ii, b.year, prev_month, nullptr), l2 = row_of(rr, ii, b.year, m + 1, nullptr);
          throw load_error(location{file, l2 ? l2 : l1, static_cast<std::size_t>(c_val + 1), "value"},
                           fmt::format("year-to-date value of '{}' at '{}' decreases: {} through month {} ({}) then {} "
                                       "through month {} ({})",
                                       ind.code, h_[rr].code, decimal::from_scaled(prev_cum, ind.decimals), prev_month,
                                       line_text(l1), decimal::from_scaled(cum, ind.decimals), m + 1, line_text(l2)));
        }
        b.value[c] = diff;
        running = cum;
        prev_cum = cum;
        prev_month = m + 1;
      }
    }
  }
  // Commit: nothing above touched the model.
  for (observation_year& b : staged) {
    if (observation_year* cur = obs_block(b.year)) *cur = std::move(b);
    else obs_.push_back(std::move(b));
  }
  std::sort(obs_.begin(), obs_.end(), [](const observation_year& a, const observation_year& b) { return a.year < b.year; });
  n_obs_ += added;
  rolled_up_ = false;
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
        for (const value_update& u : updates) set_value_unguarded(u.region, u.when, u.indicator, u.value, u.qual);
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
                                return std::none_of(y.flags.begin(), y.flags.end(), [](std::uint8_t f) { return f != 0; });
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
  if (p.kind() == period_kind::quarter || p.kind() == period_kind::half_year)
    throw error(errc::invalid_argument, "values are set for a month or a year-to-date span");
  if (!h_[r].at(p.serial()))
    throw error(errc::invalid_argument, fmt::format("region '{}' does not exist in {}", h_[r].code, p.code()));
  auto m = v.to_scaled_int64(ind.decimals);
  if (!m) throw error(errc::invalid_argument, fmt::format("{} does not fit '{}' ({} decimals)", v.to_string(), ind.code, ind.decimals));
  std::int64_t value = *m;
  if (value < 0 && !ind.allow_negative && ind.kind != indicator_kind::parameter)
    throw error(errc::invalid_argument, fmt::format("negative value for '{}', which the catalogue does not allow", ind.code));
  observation_year* b = obs_block(p.year());
  if (!b) {
    if ((obs_.size() + 1) * h_.size() * cat_.size() * 12 > max_grid_cells)
      throw error(errc::limit, grid_limit_message(obs_.size() + 1, h_.size(), cat_.size()));
    const std::size_t cells = h_.size() * cat_.size() * 12;
    obs_.push_back(observation_year{p.year(), std::vector<std::int64_t>(cells, 0), std::vector<std::uint8_t>(cells, 0)});
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
