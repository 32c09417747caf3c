// Ranking among peers: one competition ranking for the report's "排名第N" and the peers chart.
#include <zhibiao/ranking.hpp>

#include <algorithm>

namespace zhibiao {

namespace {

using boost::multiprecision::cpp_rational;

std::optional<level> level_at(const model& m, region_id r, int serial) {
  const region_version* v = m.regions()[r].at(serial);
  return v ? std::optional<level>(v->level) : std::nullopt;
}

// The ancestor of `r` the peers share: the first of level `within`, else the top of the tree.
region_id common_ancestor(const model& m, const tree& t, region_id r, int serial, std::optional<level> within) {
  region_id a = r;
  while (t.parent[static_cast<std::size_t>(a)] != npos) {
    a = t.parent[static_cast<std::size_t>(a)];
    if (within && level_at(m, a, serial) == within) return a;
  }
  return within ? npos : a;
}

// As a report's values are: some but not all leaves reported the period's last month (none reporting with a
// value still there is a carried stock or an earlier month's flow, not a partial one).
bool is_partial(const aggregate& a) { return a.reporting > 0 && a.reporting < a.expected; }

ranked_region rank_key(const model& m, const std::vector<target>& targets, region_id r, const period& p, indicator_id indicator,
                       rank_by by) {
  ranked_region out{r, std::nullopt, 0, false};
  switch (by) {
    case rank_by::value: {
      const aggregate a = m.value(r, p, indicator);
      if (a.value) out.key = a.value->to_rational();
      out.partial = is_partial(a);
      break;
    }
    case rank_by::completion: {
      const target* t = find_target(targets, r, indicator, p.year());
      if (!t || t->kind != target_kind::floor) break;
      const std::vector<target_outcome> os = evaluate_target(m, *t, period::month(p.year(), p.last_month()));
      if (os.empty()) break;
      out.key = os.back().completion_exact;
      out.partial = is_partial(os.back().actual);
      break;
    }
    case rank_by::change: {
      const comparison c = m.year_on_year(r, p, indicator);
      out.partial = is_partial(c.current) || is_partial(c.base);
      if (!c.change) break;
      if (c.is_ratio) {
        out.key = c.change->to_rational();
        break;
      }
      const cpp_rational base = c.base.value->to_rational();
      if (base != 0) out.key = c.change->to_rational() / base;  // no growth rate from a zero base
      break;
    }
  }
  if (!out.key) out.partial = false;
  return out;
}

// a <=> b by cross-multiplication (denominators are positive): boost's own comparison divides, which made
// ranking thousands of reports' peers cost more than the roll-up.
int compare(const cpp_rational& a, const cpp_rational& b) {
  using boost::multiprecision::cpp_int;
  const cpp_int l = numerator(a) * denominator(b), r = numerator(b) * denominator(a);
  return l < r ? -1 : l > r ? 1 : 0;
}

}  // namespace

void competition_rank(const model& m, std::vector<ranked_region>& regions, rank_order order) {
  const auto& h = m.regions();
  std::sort(regions.begin(), regions.end(), [&](const ranked_region& a, const ranked_region& b) {
    if (a.key.has_value() != b.key.has_value()) return a.key.has_value();
    if (a.key) {
      const int c = compare(*a.key, *b.key);
      if (c != 0) return order == rank_order::higher_first ? c > 0 : c < 0;
    }
    return h[a.region].code < h[b.region].code;
  });
  // A tie shares the rank, and the next rank counts everyone above it.
  for (std::size_t k = 0; k < regions.size(); ++k)
    regions[k].rank = !regions[k].key ? 0
                      : k > 0 && regions[k - 1].key && compare(*regions[k].key, *regions[k - 1].key) == 0 ? regions[k - 1].rank
                                                                                                          : static_cast<int>(k) + 1;
}

std::vector<region_id> peers_of(const model& m, region_id r, const period& p, std::optional<level> within) {
  const int s = p.serial();
  const tree& t = m.regions().at(s);
  const std::optional<level> lv = level_at(m, r, s);
  if (!lv || !t.valid[static_cast<std::size_t>(r)]) return {};
  const region_id anchor = common_ancestor(m, t, r, s, within);
  if (anchor == npos) return {};
  // Down from the ancestor, stopping at the level: the cost is the regions above the peers, not the tree.
  std::vector<region_id> out, stack{anchor};
  while (!stack.empty()) {
    const region_id a = stack.back();
    stack.pop_back();
    if (a != anchor && level_at(m, a, s) == lv) {
      out.push_back(a);
      continue;
    }
    const auto k = static_cast<std::size_t>(a);
    for (auto c = t.child_begin[k + 1]; c-- > t.child_begin[k];) stack.push_back(t.children[static_cast<std::size_t>(c)]);
  }
  return out;
}

std::vector<ranked_region> rank_regions(const model& m, const std::vector<target>& targets, const std::vector<region_id>& regions,
                                        const period& p, indicator_id indicator, rank_by by, rank_order order) {
  std::vector<ranked_region> out;
  out.reserve(regions.size());
  for (region_id r : regions) out.push_back(rank_key(m, targets, r, p, indicator, by));
  competition_rank(m, out, order);
  return out;
}

peer_standing standing(const model& m, const std::vector<target>& targets, region_id r, const period& p, indicator_id indicator,
                       rank_by by, rank_order order, std::optional<level> within) {
  const std::vector<ranked_region> ranks = rank_regions(m, targets, peers_of(m, r, p, within), p, indicator, by, order);
  peer_standing s;
  s.peers = static_cast<int>(ranks.size());
  for (const ranked_region& x : ranks) {
    if (x.key) ++s.ranked;
    if (x.partial) ++s.partial;
    if (x.region == r) s.rank = x.rank;
  }
  return s;
}

std::string rank_numeral_zh(int n) {
  static constexpr std::string_view digit[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) return std::to_string(n);
  if (n < 10) return std::string(digit[n]);
  return std::string(n >= 20 ? digit[n / 10] : "") + "十" + std::string(digit[n % 10]);
}

}  // namespace zhibiao
