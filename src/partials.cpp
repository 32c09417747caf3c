// Partials: a subtree root's roll-up exported from one model and loaded as a leaf of another, so the levels
// above disjoint subtrees rolled up elsewhere (a province per machine) are this engine's own sums.
#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace zhibiao {

using namespace detail;

namespace {

// A partial's coverage is one count per month for every indicator (its leaves): an indicator reported at a
// level (reported_at) has other units, so a catalogue with one cannot travel as partials.
void require_no_reporting_level(const catalogue& cat) {
  for (const indicator& ind : cat.items())
    if (ind.reported_at)
      throw error(errc::state, fmt::format("'{}' is reported at level {}: partials carry the leaves' coverage only, so a "
                                           "catalogue with reported_at cannot be exported or loaded as partials",
                                           ind.code, level_name(*ind.reported_at)));
}

}  // namespace

partial model::export_partial(region_id r, int year) const {
  require_rollup();
  require_no_reporting_level(cat_);
  if (r < 0 || static_cast<std::size_t>(r) >= h_.size()) throw error(errc::invalid_argument, "unknown region id");
  const rollup_year* y = rollup_block(year);
  if (!y) throw error(errc::not_found, fmt::format("no roll-up for {}: the model has no data that year", year));
  const std::size_t B = cat_.size() * 12, rb = static_cast<std::size_t>(r) * B;
  partial p;
  p.region = h_[r].code;
  p.year = year;
  for (std::size_t i = 0; i < cat_.size(); ++i) p.indicators.push_back(cat_[static_cast<indicator_id>(i)].code);
  p.monthly.assign(y->monthly.begin() + static_cast<std::ptrdiff_t>(rb), y->monthly.begin() + static_cast<std::ptrdiff_t>(rb + B));
  p.ytd.assign(y->ytd.begin() + static_cast<std::ptrdiff_t>(rb), y->ytd.begin() + static_cast<std::ptrdiff_t>(rb + B));
  p.reporting.assign(y->reporting.begin() + static_cast<std::ptrdiff_t>(rb),
                     y->reporting.begin() + static_cast<std::ptrdiff_t>(rb + B));
  p.present.assign(y->has.begin() + static_cast<std::ptrdiff_t>(rb), y->has.begin() + static_cast<std::ptrdiff_t>(rb + B));
  // Every indicator counts the leaves (require_no_reporting_level): the shared array is each one's coverage.
  for (std::size_t m = 0; m < 12; ++m) p.expected[m] = y->expected[static_cast<std::size_t>(r) * 12 + m];
  return p;
}

namespace {

// Checks one flow or stock series of a partial against what a roll-up can hold; the message says what is wrong.
std::string bad_series(const partial& p, std::size_t base, const indicator& ind) {
  std::int64_t run = 0;
  bool seen = false;
  unsigned qseen = 0;
  for (std::size_t m = 0; m < 12; ++m) {
    const std::size_t c = base + m;
    const std::uint8_t h = p.present[c];
    const bool mon = h & h_monthly, ytd = h & h_ytd;
    seen = seen || mon;
    if (h > (h_monthly | h_ytd | h_quals)) return fmt::format("month {}: presence {} is not 0..63", m + 1, h);
    if ((!mon && (h & h_q_monthly)) || (!ytd && (h & h_q_ytd)))
      return fmt::format("month {}: a qualifier on an absent value", m + 1);
    if (p.reporting[c] < 0 || p.reporting[c] > p.expected[m])
      return fmt::format("month {}: reporting {} is outside 0..{} (expected)", m + 1, p.reporting[c], p.expected[m]);
    if (mon != (p.reporting[c] > 0)) return fmt::format("month {}: a monthly value exists iff some leaf reported", m + 1);
    if (mon && !ytd) return fmt::format("month {}: a monthly value without a year-to-date value", m + 1);
    if ((!mon && p.monthly[c] != 0) || (!ytd && p.ytd[c] != 0))
      return fmt::format("month {}: an absent value must be 0", m + 1);
    if (!ind.allow_negative && (p.monthly[c] < 0 || p.ytd[c] < 0))
      return fmt::format("month {}: a negative value, which the catalogue does not allow", m + 1);
    if (ind.kind != indicator_kind::flow) continue;
    // A flow's year-to-date is the running sum of its months at every node: anything else is not a roll-up.
    if (__builtin_add_overflow(run, p.monthly[c], &run)) return fmt::format("month {}: the year-to-date sum overflows", m + 1);
    if (ytd != seen || p.ytd[c] != run) return fmt::format("month {}: year-to-date is not the sum of the months", m + 1);
    qseen |= (h & h_q_monthly) >> h_q_monthly_shift;
    if (((h & h_q_ytd) >> h_q_ytd_shift) != qseen)
      return fmt::format("month {}: the year-to-date qualifier is not that of the months", m + 1);
  }
  return {};
}

}  // namespace

void model::check_partial(const partial& p, region_id r) const {
  const std::string where = fmt::format("partial of '{}' for {}", p.region, p.year);
  auto fail = [&](const std::string& what) { throw error(errc::invalid_argument, fmt::format("{}: {}", where, what)); };
  if (p.year < period::min_year || p.year > period::max_year) fail("year out of range");
  const std::size_t I = cat_.size(), N = I * 12;
  for (std::size_t i = 0; i < std::max(I, p.indicators.size()); ++i) {
    const std::string theirs = i < p.indicators.size() ? p.indicators[i] : "(none)";
    const std::string ours = i < I ? cat_[static_cast<indicator_id>(i)].code : "(none)";
    if (theirs != ours)
      fail(fmt::format("indicator {} is '{}' there and '{}' here: load the same indicators.csv", i + 1, theirs, ours));
  }
  if (p.monthly.size() != N || p.ytd.size() != N || p.reporting.size() != N || p.present.size() != N)
    fail(fmt::format("the arrays must have {} entries (indicators × 12)", N));
  for (int m = 1; m <= 12; ++m) {
    const tree& t = h_.at(period::month_serial(p.year, m));
    const bool valid = t.valid[static_cast<std::size_t>(r)];
    if (valid && !t.leaf[static_cast<std::size_t>(r)]) fail(fmt::format("the region has children here in {}-{:02}", p.year, m));
    if (valid != (p.expected[static_cast<std::size_t>(m - 1)] > 0))
      fail(fmt::format("{}-{:02}: expected {} but the region {} here", p.year, m, p.expected[static_cast<std::size_t>(m - 1)],
                       valid ? "exists" : "does not exist"));
  }
  for (std::size_t i = 0; i < I; ++i) {
    const indicator& ind = cat_[static_cast<indicator_id>(i)];
    std::string bad;
    if (ind.kind == indicator_kind::flow || ind.kind == indicator_kind::stock) {
      bad = bad_series(p, i * 12, ind);
    } else if (ind.kind == indicator_kind::ratio) {
      for (std::size_t m = 0; m < 12 && bad.empty(); ++m)
        if (p.reporting[i * 12 + m] < 0 || p.reporting[i * 12 + m] > p.expected[m])
          bad = fmt::format("month {}: reporting {} is outside 0..{} (expected)", m + 1, p.reporting[i * 12 + m], p.expected[m]);
    }
    if (!bad.empty()) fail(fmt::format("'{}' {}", ind.code, bad));
  }
}

void model::load_partial(const partial& p) {
  require_model();
  require_no_reporting_level(cat_);
  const region_id r = h_.find(p.region);
  if (r == npos) throw error(errc::not_found, fmt::format("partial of '{}': no such region here", p.region));
  check_partial(p, r);
  partial_leaf leaf{r, p.monthly, p.ytd, p.reporting, p.present, p.expected};
  for (std::size_t i = 0; i < cat_.size(); ++i) {
    const indicator_kind k = cat_[static_cast<indicator_id>(i)].kind;
    if (k == indicator_kind::flow || k == indicator_kind::stock) continue;
    // Ratios are recomputed from their parts and parameters are not aggregated: only a ratio's count stays.
    for (std::size_t c = i * 12; c < i * 12 + 12; ++c) {
      leaf.monthly[c] = leaf.ytd[c] = 0;
      leaf.has[c] = 0;
      if (k == indicator_kind::parameter) leaf.reporting[c] = 0;
    }
  }
  observation_year* b = obs_block(p.year);
  if (!b) {
    if ((obs_.size() + 1) * h_.size() * cat_.size() * 12 > max_grid_cells)
      throw error(errc::limit, fmt::format("a partial for {} would add a year past the grid limit of {} cells", p.year,
                                           max_grid_cells));
    const std::size_t cells = h_.size() * cat_.size() * 12;
    observation_year y{p.year, std::vector<std::int64_t>(cells, 0), std::vector<std::uint8_t>(cells, 0), {}};
    y.partials.push_back(std::move(leaf));
    obs_.insert(std::upper_bound(obs_.begin(), obs_.end(), p.year, [](int yr, const observation_year& o) { return yr < o.year; }),
                std::move(y));
  } else {
    auto at = std::lower_bound(b->partials.begin(), b->partials.end(), r,
                               [](const partial_leaf& l, region_id x) { return l.region < x; });
    if (at != b->partials.end() && at->region == r) *at = std::move(leaf);
    else b->partials.insert(at, std::move(leaf));
  }
  rolled_up_ = false;
}

std::size_t model::partial_count() const noexcept {
  std::size_t n = 0;
  for (const observation_year& y : obs_) n += y.partials.size();
  return n;
}

std::vector<const partial_leaf*> model::partial_index(const observation_year& obs) const {
  std::vector<const partial_leaf*> idx;
  if (obs.partials.empty()) return idx;
  idx.assign(h_.size(), nullptr);
  for (const partial_leaf& l : obs.partials) idx[static_cast<std::size_t>(l.region)] = &l;
  return idx;
}

void model::add_partial_expected(const observation_year& obs, rollup_year& out, const tree& t, int m_first, int m_last) const {
  // A pre-rolled leaf counts the leaves of its subtree, not itself, in every ancestor's expected.
  for (const partial_leaf& l : obs.partials) {
    if (!t.leaf[static_cast<std::size_t>(l.region)]) continue;
    for (region_id x = l.region; x != npos; x = t.parent[static_cast<std::size_t>(x)])
      for (int m = m_first; m <= m_last; ++m)
        out.expected[static_cast<std::size_t>(x) * 12 + static_cast<std::size_t>(m - 1)] +=
            l.expected[static_cast<std::size_t>(m - 1)] - 1;
  }
}

}  // namespace zhibiao
