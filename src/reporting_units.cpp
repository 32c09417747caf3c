// Reporting units: an indicator with a reported_at level is reported by the regions at that level (or
// above it where the tree skips it), which stand for leaves in its roll-up, coverage and checks.
#include "int128.hpp"

#include <zhibiao/hierarchy.hpp>
#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace zhibiao {

using namespace detail;

unit_role hierarchy::role(const tree& t, region_id r, level l) const noexcept {
  const auto ur = static_cast<std::size_t>(r);
  if (!t.valid[ur]) return unit_role::below;
  const level own = regions_[ur].at(t.from)->level;
  if (own > l) return unit_role::below;
  if (own == l) return unit_role::unit;
  for (std::int32_t k = t.child_begin[ur]; k < t.child_begin[ur + 1]; ++k)
    if (regions_[static_cast<std::size_t>(t.children[static_cast<std::size_t>(k)])].at(t.from)->level <= l) return unit_role::above;
  return unit_role::unit;  // every child is below the level (a 东莞 town under its city): the region reports itself
}

std::vector<unit_role> hierarchy::roles(const tree& t, level l) const {
  std::vector<unit_role> out(regions_.size());
  for (std::size_t r = 0; r < regions_.size(); ++r) out[r] = role(t, static_cast<region_id>(r), l);
  return out;
}

std::vector<region_id> hierarchy::units_under(region_id r, int s, level l) const {
  const tree& t = at(s);
  std::vector<region_id> out, stack{r};
  while (!stack.empty()) {
    region_id x = stack.back();
    stack.pop_back();
    const unit_role k = role(t, x, l);
    if (k == unit_role::unit) out.push_back(x);
    if (k != unit_role::above) continue;
    const auto ux = static_cast<std::size_t>(x);
    for (std::int32_t c = t.child_begin[ux + 1]; c > t.child_begin[ux]; --c) stack.push_back(t.children[static_cast<std::size_t>(c - 1)]);
  }
  return out;
}

std::vector<region_id> scope::units(const hierarchy& h, int s, level l) const {
  const tree& t = h.at(s);
  // Regions in an excluded subtree, or with one below them: a unit among them would be split.
  std::vector<std::uint8_t> cut(h.size(), 0), seen(h.size(), 0);
  for (region_id e : exclude) {
    if (!t.valid[static_cast<std::size_t>(e)]) continue;
    for (region_id a = t.parent[static_cast<std::size_t>(e)]; a != npos; a = t.parent[static_cast<std::size_t>(a)]) cut[static_cast<std::size_t>(a)] = 1;
    std::vector<region_id> stack{e};
    while (!stack.empty()) {
      const auto x = static_cast<std::size_t>(stack.back());
      stack.pop_back();
      cut[x] = 1;
      for (std::int32_t c = t.child_begin[x]; c < t.child_begin[x + 1]; ++c) stack.push_back(t.children[static_cast<std::size_t>(c)]);
    }
  }
  std::vector<region_id> out;
  for (region_id r : include)
    for (region_id u : h.units_under(r, s, l)) {
      const auto uu = static_cast<std::size_t>(u);
      if (cut[uu] || seen[uu]) continue;
      seen[uu] = 1;
      out.push_back(u);
    }
  return out;
}

std::string below_reporting_level(const hierarchy& h, const indicator& ind, region_id r, int s) {
  if (!ind.reported_at) return {};
  const region_version* v = h[r].at(s);
  if (!v || v->level <= *ind.reported_at) return {};
  return fmt::format("'{}' is reported at level {}: '{}' is a {}, below that level", ind.code,
                     level_name(*ind.reported_at), h[r].code, level_name(v->level));
}

std::vector<model::level_roles> model::unit_roles(const tree& t) const {
  std::vector<level_roles> out;
  for (std::size_t i = 0; i < cat_.size(); ++i) {
    const indicator& ind = cat_[static_cast<indicator_id>(i)];
    if (!ind.reported_at) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const level_roles& x) { return x.at == *ind.reported_at; });
    if (it == out.end()) it = out.insert(out.end(), level_roles{*ind.reported_at, h_.roles(t, *ind.reported_at), {}});
    it->indicators.push_back(static_cast<indicator_id>(i));
  }
  return out;
}

void model::fill_unit_expected(rollup_year& out, const tree& t, const std::vector<level_roles>& units, int m_first,
                               int m_last) const {
  std::vector<std::int32_t> n(h_.size());
  for (const level_roles& u : units) {
    // Children first: a unit counts itself whatever lies below it, a region below the level counts nothing.
    std::fill(n.begin(), n.end(), 0);
    for (region_id r : t.order) {
      const auto ur = static_cast<std::size_t>(r);
      if (u.role[ur] != unit_role::above) n[ur] = u.role[ur] == unit_role::unit ? 1 : 0;
      if (t.parent[ur] != npos) n[static_cast<std::size_t>(t.parent[ur])] += n[ur];
    }
    std::vector<std::int32_t>& e = out.expected_at[static_cast<std::size_t>(u.at)];
    for (std::size_t r = 0; r < h_.size(); ++r)
      for (int m = m_first; m <= m_last; ++m) e[r * 12 + static_cast<std::size_t>(m - 1)] = n[r];
  }
}

// A unit that has children in the tree reports for itself: its block of each such indicator is its own
// observations, exactly as a leaf's (the regions below it report nothing and added zeros into it).
void model::own_values(const observation_year& obs, rollup_year& out, region_id r, const std::vector<level_roles>& units,
                       int m0, int m1, std::int32_t* ytd_count) const {
  for (const level_roles& u : units) {
    if (u.role[static_cast<std::size_t>(r)] != unit_role::unit) continue;
    for (indicator_id i : u.indicators) {
      const indicator& ind = cat_[i];
      const std::size_t base = cell(r, i, 1);
      std::int64_t run = 0, last = 0;
      bool seen = false;
      // A stock's month-end value is current for max_age months after its own (as at a leaf).
      const int age = ind.max_age < 0 ? 12 : ind.max_age;
      int last_m = -100;
      std::uint8_t q_run = 0, q_last = 0;  // the qualifier bits (as in rollup_year::has) of the ytd value
      for (int m = 0; m <= m1; ++m) {
        const std::size_t c = base + static_cast<std::size_t>(m);
        bool p = (obs.flags[c] & f_present) != 0;
        if (ind.kind == indicator_kind::ratio)
          p = ind.all_terms([&](indicator_id tid) { return (obs.flags[cell(r, tid, m + 1)] & f_present) != 0; });
        const std::int64_t v = p && ind.kind != indicator_kind::ratio ? obs.value[c] : 0;
        if (__builtin_add_overflow(run, v, &run)) overflow(fmt::format("year-to-date '{}' at '{}'", ind.code, h_[r].code));
        last = p ? v : last;
        last_m = p ? m : last_m;
        const std::uint8_t q = p ? static_cast<std::uint8_t>((obs.flags[c] & f_qual_mask) << 1) : 0;
        q_run = static_cast<std::uint8_t>(q_run | q);
        q_last = p ? q : q_last;
        seen = seen || p;
        const bool held = ind.kind == indicator_kind::stock ? m - last_m <= age : seen;
        if (m < m0 || ind.kind == indicator_kind::ratio) {
          if (m >= m0) out.reporting[c] = p;
          continue;
        }
        out.monthly[c] = v;
        out.reporting[c] = p;
        out.ytd[c] = ind.kind == indicator_kind::flow ? run : held ? last : 0;
        const std::uint8_t q_ytd = ind.kind == indicator_kind::flow ? q_run : held ? q_last : 0;
        out.has[c] = static_cast<std::uint8_t>((p ? h_monthly : 0) | q | (held ? h_ytd | q_ytd << 2 : 0));
        if (ytd_count) ytd_count[c] = ind.kind == indicator_kind::stock && held;
      }
    }
  }
}

std::vector<region_id> model::reporting_units(region_id r, int s, indicator_id i) const {
  const indicator& ind = cat_[i];
  return ind.reported_at ? h_.units_under(r, s, *ind.reported_at) : h_.leaves_under(r, s);
}

}  // namespace zhibiao
