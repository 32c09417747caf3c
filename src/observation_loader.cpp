// The observations loader: a row parser, the split of a large file into two halves parsed at once,
// the year-to-date conversion, and the commit that makes a load all or nothing.
#include "observation_loader.hpp"

#include <zhibiao/date.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

namespace zhibiao::detail {

namespace {

const std::initializer_list<std::string_view> required_columns = {"region", "period", "indicator", "value"};
const std::initializer_list<std::string_view> optional_columns = {"qualifier"};

std::string line_text(std::size_t l) { return l ? fmt::format("line {}", l) : std::string("loaded earlier"); }

}  // namespace

observation_loader::observation_loader(model& m, std::string_view text, const std::string& file)
    : m_(m),
      text_(text),
      file_(file),
      // Large files without quotes are split at a line boundary into two halves parsed at once (each half
      // checks its own encoding); a quote could hide a line break inside a field, so such files are read
      // in one pass.
      parallel_(text.size() > (8u << 20) && std::thread::hardware_concurrency() > 1 && text.find('"') == std::string_view::npos),
      cells_(m.h_.size() * m.cat_.size() * 12) {}

void observation_loader::run() {
  csv::reader in(text_, file_, {}, !parallel_);
  in.read_header(required_columns, optional_columns);
  c_ = {in.column("region"), in.column("period"), in.column("indicator"), in.column("value"), in.column("qualifier")};
  std::size_t added = 0;
  bool done = parallel_ && parse_in_halves(in, added);
  if (!done && parallel_) csv::check_utf8(text_.substr(text_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0), file_);
  if (!done) parse_rows(in, added, false);
  for (observation_year& b : staged_) to_monthly(b);
  commit(added);
}

// The staged copy of a year (a copy of the loaded year, or a new empty grid within the cell limit).
observation_year& observation_loader::block(int year, const csv::reader& in) {
  std::lock_guard lock(staged_mu_);
  for (auto& b : staged_)
    if (b.year == year) return b;
  if (const observation_year* cur = m_.obs_block(year)) {
    staged_.push_back(*cur);
  } else {
    // A new year adds a grid of every (region, indicator, month): bound the total before allocating.
    std::size_t years = m_.obs_.size() + 1;
    for (const auto& b : staged_) years += m_.obs_block(b.year) ? 0 : 1;
    if (years * cells_ > model::max_grid_cells)
      in.fail(c_.period, grid_limit_message(years, m_.h_.size(), m_.cat_.size()), errc::limit);
    staged_.push_back(observation_year{year, std::vector<std::int64_t>(cells_, 0), std::vector<std::uint8_t>(cells_, 0), {}});
  }
  return staged_.back();
}

// Region and indicator codes to ids; a ratio is refused (it is computed from its parts).
void observation_loader::resolve_codes(csv::reader& in, row_cache& c) const {
  const hierarchy& h = m_.h_;
  const catalogue& cat = m_.cat_;
  std::string_view rs = in.get(c_.region), is = in.get(c_.indicator);
  if (rs != c.region || c.last.region == npos) {
    c.last.region = h.find(rs);
    if (c.last.region == npos) in.fail(c_.region, rs.empty() ? "empty region code" : fmt::format("unknown region '{}'", rs));
    c.region = rs;
  }
  if (is != c.indicator || c.last.indicator == npos) {
    // Files list a region's indicators in catalogue order: try the next one before hashing.
    indicator_id guess = c.last.indicator + 1;
    c.last.indicator = guess >= 0 && static_cast<std::size_t>(guess) < cat.size() && cat[guess].code == is ? guess : cat.find(is);
    if (c.last.indicator == npos) in.fail(c_.indicator, is.empty() ? "empty indicator code" : fmt::format("unknown indicator '{}'", is));
    c.indicator = is;
  }
  const indicator& ind = cat[c.last.indicator];
  if (ind.kind != indicator_kind::ratio) return;
  std::string parts;
  std::vector<indicator_id> seen;
  for (const auto* side : {&ind.numerator, &ind.denominator})
    for (auto t : *side)
      if (std::find(seen.begin(), seen.end(), t) == seen.end()) {
        seen.push_back(t);
        parts += (parts.empty() ? "" : ", ") + cat[t].code;
      }
  in.fail(c_.indicator, fmt::format("'{}' is a ratio: it is computed, report its parts ({}) instead", ind.code, parts));
}

// The row's period; true when it is cumulative (a flow given year-to-date or as of a month end).
bool observation_loader::resolve_period(csv::reader& in, row_cache& c) const {
  std::string_view ps = in.get(c_.period);
  if (ps != c.period || !c.last.when) {
    try {
      c.last.when = period::parse(ps);
    } catch (const error& e) {
      c.last.when.reset();
      in.fail(c_.period, e.what());
    }
    c.period = ps;
  }
  const period& p = *c.last.when;
  const indicator& ind = m_.cat_[c.last.indicator];
  bool cumulative = false;
  switch (p.kind()) {
    case period_kind::month: break;
    // 截至9月底 for a flow is its cumulative total through September, as for 1-9月.
    case period_kind::as_of:
    case period_kind::year_to_date:
    case period_kind::year: cumulative = ind.kind == indicator_kind::flow; break;
    default:
      in.fail(c_.period, fmt::format("'{}' is a {}: observations are monthly (2021-03) or year-to-date (2021-01..2021-09)", ps,
                                     period_kind_name(p.kind())));
  }
  const region& reg = m_.h_[c.last.region];
  if (!reg.at(p.serial()))
    in.fail(c_.region, fmt::format("region '{}' does not exist in {} (valid {})", in.get(c_.region), p.code(), describe_validity(reg)));
  if (ind.reported_at)
    if (std::string why = below_reporting_level(m_.h_, ind, c.last.region, p.serial()); !why.empty()) in.fail(c_.region, why);
  return cumulative;
}

// The value at the indicator's decimals and the qualifier, into the row's value and flags.
void observation_loader::resolve_value(csv::reader& in, row_cache& c, bool cumulative) const {
  const indicator& ind = m_.cat_[c.last.indicator];
  std::int64_t v = 0;
  if (ind.unit.dim == dimension::date) {
    try {
      v = parse_date(in.get(c_.value));
    } catch (const parse_error& e) {
      in.fail(c_.value, fmt::format("'{}': {} ('{}' is a date, 日期)", e.text(), e.reason(), ind.code));
    }
    if (!in.get(c_.qualifier).empty()) in.fail(c_.qualifier, fmt::format("'{}' is a date (日期): a day has no qualifier", ind.code));
  } else if (parse_status st = parse_fixed(in.get(c_.value), ind.decimals, v); st != parse_status::ok) {
    if (st == parse_status::too_many_decimals)
      in.fail(c_.value, fmt::format("'{}' has more than {} decimals, the most '{}' allows", in.get(c_.value), ind.decimals, ind.code));
    in.fail(c_.value, fmt::format("'{}': {}", in.get(c_.value), parse_status_message(st)),
            st == parse_status::overflow ? errc::overflow : errc::load);
  }
  if (v < 0 && !ind.allow_negative && ind.kind != indicator_kind::parameter)
    in.fail(c_.value, fmt::format("negative value {} for '{}', which the catalogue does not allow (signed=no)", in.get(c_.value), ind.code));
  std::uint8_t q = 0;
  std::string_view qs = in.get(c_.qualifier);
  if (qs == "lower_bound") q = static_cast<std::uint8_t>(qualifier::lower_bound);
  else if (qs == "approximate") q = static_cast<std::uint8_t>(qualifier::approximate);
  else if (!qs.empty()) in.fail(c_.qualifier, fmt::format("unknown qualifier '{}' (expected lower_bound or approximate)", qs));
  c.last.value = v;
  c.last.flags = static_cast<std::uint8_t>(f_present | (q << f_qual_shift) | (cumulative ? f_ytd : 0));
}

// The row loop, for the whole file or, in parallel, for one part of it. `shared` marks the parallel
// case: cells are claimed with an atomic exchange, and any error makes the caller start again
// sequentially so the error reported is the first in file order, with its exact line.
void observation_loader::parse_rows(csv::reader& in, std::size_t& added, bool shared) {
  row_cache c;
  while (in.next()) {
    resolve_codes(in, c);
    const bool cumulative = resolve_period(in, c);
    resolve_value(in, c, cumulative);
    const int month = c.last.when->last_month(), year = c.last.when->year();
    if (!c.block || year != c.cached_year) {
      c.block = &block(year, in);
      c.cached_year = year;
    }
    const std::size_t cell = m_.cell(c.last.region, c.last.indicator, month);
    const std::uint8_t old = shared ? std::atomic_ref<std::uint8_t>(c.block->flags[cell]).exchange(c.last.flags) : c.block->flags[cell];
    if (old & f_present) {
      if (shared) throw error(errc::load, "duplicate");  // reported exactly by the sequential pass
      std::size_t l = first_line(in, c.last.region, c.last.indicator, year, month);
      in.fail(c_.period, l ? fmt::format("duplicate: ({}, {}, {}) was already given at line {}", in.get(c_.region), in.get(c_.period),
                                         in.get(c_.indicator), l)
                           : fmt::format("duplicate: ({}, {}-{:02}, {}) was already loaded", in.get(c_.region), year, month,
                                         in.get(c_.indicator)));
    }
    c.block->value[cell] = c.last.value;
    if (!shared) c.block->flags[cell] = c.last.flags;
    if (c.last.flags & f_qual_mask) std::atomic_ref<std::uint8_t>(c.block->qualified).store(1, std::memory_order_relaxed);
    ++added;
  }
}

// Parses the two halves of the body at once; false (with nothing staged) when either half failed, so
// that the sequential pass reports the first error in file order.
bool observation_loader::parse_in_halves(const csv::reader& in, std::size_t& added) {
  const std::size_t body = in.offset();
  std::size_t split = text_.find('\n', body + (text_.size() - body) / 2);
  if (split == std::string_view::npos || split + 1 >= text_.size()) return false;
  std::size_t added2 = 0;
  std::exception_ptr err1, err2;
  // Each half checks its own encoding inside its thread.
  std::thread t([&] {
    try {
      csv::reader second(text_.substr(split + 1), file_);
      second.use_header(in);
      parse_rows(second, added2, true);
    } catch (...) {
      err2 = std::current_exception();
    }
  });
  try {
    csv::reader first(text_.substr(0, split + 1), file_);
    first.read_header(required_columns, optional_columns);
    parse_rows(first, added, true);
  } catch (...) {
    err1 = std::current_exception();
  }
  t.join();
  if (!err1 && !err2) {
    added += added2;
    return true;
  }
  staged_.clear();  // start again in file order for the exact first error
  added = 0;
  return false;
}

// The line of the earlier row for a cell, found again only when a duplicate is reported.
std::size_t observation_loader::first_line(const csv::reader& in, region_id r, indicator_id i, int year, int month) const {
  csv::reader again(text_, file_);
  again.read_header(required_columns, optional_columns);
  while (again.next()) {
    if (again.line() >= in.line()) break;
    if (m_.h_.find(again.get(c_.region)) != r || m_.cat_.find(again.get(c_.indicator)) != i) continue;
    try {
      period p = period::parse(again.get(c_.period));
      if (p.year() == year && p.last_month() == month) return again.line();
    } catch (const error&) {
    }
  }
  return 0;
}

// The line of this file's row for one cell (0 when the cell came from an earlier load), and whether
// the row was written year-to-date; for messages only.
std::size_t observation_loader::row_of(region_id r, indicator_id i, int year, int month, bool* ytd_form) const {
  csv::reader again(text_, file_);
  again.read_header(required_columns, optional_columns);
  while (again.next()) {
    if (m_.h_.find(again.get(c_.region)) != r || m_.cat_.find(again.get(c_.indicator)) != i) continue;
    try {
      period pp = period::parse(again.get(c_.period));
      if (pp.year() == year && pp.last_month() == month) {
        if (ytd_form) *ytd_form = pp.kind() == period_kind::year_to_date || pp.kind() == period_kind::year;
        return again.line();
      }
    } catch (const error&) {
    }
  }
  return 0;
}

// Year-to-date series become monthly values by difference; a series is either monthly or cumulative.
void observation_loader::to_monthly(observation_year& b) {
  const std::size_t I = m_.cat_.size();
  const observation_year* before = m_.obs_block(b.year);
  for (std::size_t series = 0; series < m_.h_.size() * I; ++series) {
    const std::size_t base = series * 12;
    bool any_ytd = false, any_monthly = false;
    for (int m = 0; m < 12; ++m) {
      std::uint8_t f = b.flags[base + m];
      if (f & f_present) (f & f_ytd ? any_ytd : any_monthly) = true;
    }
    if (!any_ytd) continue;
    auto r = static_cast<region_id>(series / I);
    auto i = static_cast<indicator_id>(series % I);
    if (any_monthly) {
      // Name the rows of this file that mix the forms (the other form may come from an earlier load).
      std::size_t l_monthly = 0, l_ytd = 0;
      for (int m = 1; m <= 12; ++m) {
        bool ytd_form = false;
        std::size_t l = row_of(r, i, b.year, m, &ytd_form);
        std::size_t& slot = ytd_form ? l_ytd : l_monthly;
        if (l && !slot) slot = l;
      }
      const std::size_t l = std::max(l_monthly, l_ytd);
      throw load_error(location{file_, l, l ? static_cast<std::size_t>(c_.period + 1) : 0, l ? "period" : ""},
                       fmt::format("{} / {} in {}: values are given both monthly ({}) and year-to-date ({}); use one "
                                   "form per series",
                                   m_.h_[r].code, m_.cat_[i].code, b.year, line_text(l_monthly), line_text(l_ytd)));
    }
    to_monthly_series(b, base, r, i, before);
  }
}

// One cumulative series to months. Cells already converted by an earlier load hold monthly values; new
// ones still hold cumulatives. `old_running` rebuilds the earlier cumulatives, so that a month arriving
// after a later one (Feb in this file, Mar loaded before) re-derives the later month from its own cumulative.
void observation_loader::to_monthly_series(observation_year& b, std::size_t base, region_id r, indicator_id i,
                                           const observation_year* before) {
  const indicator& ind = m_.cat_[i];
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
      std::size_t l1 = row_of(r, i, b.year, prev_month, nullptr), l2 = row_of(r, i, b.year, m + 1, nullptr);
      throw load_error(location{file_, l2 ? l2 : l1, static_cast<std::size_t>(c_.value + 1), "value"},
                       fmt::format("year-to-date value of '{}' at '{}' decreases: {} through month {} ({}) then {} "
                                   "through month {} ({})",
                                   ind.code, m_.h_[r].code, decimal::from_scaled(prev_cum, ind.decimals), prev_month,
                                   line_text(l1), decimal::from_scaled(cum, ind.decimals), m + 1, line_text(l2)));
    }
    b.value[c] = diff;
    running = cum;
    prev_cum = cum;
    prev_month = m + 1;
  }
}

// Nothing before this touched the model.
void observation_loader::commit(std::size_t added) {
  for (observation_year& b : staged_) {
    if (observation_year* cur = m_.obs_block(b.year)) *cur = std::move(b);
    else m_.obs_.push_back(std::move(b));
  }
  std::sort(m_.obs_.begin(), m_.obs_.end(), [](const observation_year& a, const observation_year& b) { return a.year < b.year; });
  m_.n_obs_ += added;
  m_.rolled_up_ = false;
}

}  // namespace zhibiao::detail
