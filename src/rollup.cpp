// The roll-up passes: one pass over the leaves, one children-first pass up the tree, then year-to-date
// sums and ratios recomputed from their aggregated parts at every node; revisions update in place.
#include "int128.hpp"

#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace zhibiao {

using namespace detail;

void model::require_rollup() const {
  if (!rolled_up_) throw error(errc::state, "the roll-up is not current: call rollup() after loading");
}

rollup_year* model::roll_block(int year) noexcept {
  for (auto& b : roll_)
    if (b.year == year) return &b;
  return nullptr;
}

const rollup_year* model::rollup_block(int year) const noexcept {
  if (!rolled_up_) return nullptr;
  for (const auto& b : roll_)
    if (b.year == year) return &b;
  return nullptr;
}

void model::rollup(rollup_path path) {
  require_model();
  // Reuse the previous result's memory when the shape is the same: no page faults on a re-run.
  std::vector<rollup_year> out(obs_.size());
  // A failed roll-up (an overflow) leaves the model loaded but not rolled up: queries say so.
  rolled_up_ = false;
  try {
    for (std::size_t k = 0; k < obs_.size(); ++k) {
      for (auto& old : roll_)
        if (old.year == obs_[k].year) out[k] = std::move(old);
      rollup_year_block(obs_[k], out[k], path);
    }
  } catch (...) {
    roll_.clear();
    throw;
  }
  roll_ = std::move(out);
  rolled_up_ = true;
}

void model::build_ratio_plans() {
  plans_.clear();
  for (std::size_t j = 0; j < cat_.size(); ++j) {
    const indicator& ind = cat_[static_cast<indicator_id>(j)];
    if (ind.kind != indicator_kind::ratio) continue;
    ratio_plan p;
    p.id = static_cast<indicator_id>(j);
    p.offset = j * 12;
    int ns = 0, ds = 0;
    for (auto t : ind.numerator) ns = std::max(ns, cat_[t].decimals);
    for (auto t : ind.denominator) ds = std::max(ds, cat_[t].decimals);
    for (auto t : ind.numerator) p.num.emplace_back(static_cast<std::size_t>(t) * 12, p10[ns - cat_[t].decimals]);
    for (auto t : ind.denominator) p.den.emplace_back(static_cast<std::size_t>(t) * 12, p10[ds - cat_[t].decimals]);
    // factor ≤ 10^9 and scales ≤ 9 each: the product fits int64 only for modest combinations; checked here.
    i128 nm = static_cast<i128>(ind.factor) * p10[ds] * p10[ind.decimals];
    if (nm > INT64_MAX) throw error(errc::rule, fmt::format("ratio '{}': factor and decimals too large", ind.code));
    p.n_mul = static_cast<std::int64_t>(nm);
    p.d_mul = p10[ns];
    plans_.push_back(std::move(p));
  }
}

// Σ terms at one month of one block; false when a term is missing there.
static inline bool plan_sum(const std::vector<std::pair<std::size_t, std::int64_t>>& terms, const std::int64_t* vals,
                            const std::uint8_t* has, std::uint8_t bit, i128& sum) {
  sum = 0;
  for (const auto& [off, mul] : terms) {
    if (!(has[off] & bit)) return false;
    sum += static_cast<i128>(vals[off]) * mul;
  }
  return true;
}

// n / d rounded half-up, n ≥ 0, d > 0. Small operands take a double-precision quotient that is then
// corrected with integer arithmetic, so the result is exact and no hardware integer division is needed.
static inline std::uint64_t div_round_u64(std::uint64_t n, std::uint64_t d) {
  std::uint64_t q;
  if (n < (1ull << 52) && d < (1ull << 52)) {
    q = static_cast<std::uint64_t>(static_cast<double>(n) / static_cast<double>(d));
    // The estimate is within one of the true quotient: fix it exactly.
    while (q * d > n) --q;
    while ((q + 1) * d <= n) ++q;
  } else {
    q = n / d;
  }
  std::uint64_t r = n - q * d;
  if (r >= d - r) ++q;
  return q;
}

// Σ terms in int64; false on overflow (the caller then takes the 128-bit path).
static inline bool plan_sum64(const std::vector<std::pair<std::size_t, std::int64_t>>& terms, const std::int64_t* vals,
                              std::int64_t& sum) {
  sum = 0;
  for (const auto& [off, mul] : terms) {
    std::int64_t x;
    if (__builtin_mul_overflow(vals[off], mul, &x) || __builtin_add_overflow(sum, x, &sum)) return false;
  }
  return true;
}

// Whether every term is present at `bit` (the year has no qualifier: the first missing term ends the scan).
static inline bool plan_present(const std::vector<std::pair<std::size_t, std::int64_t>>& terms, const std::uint8_t* has,
                                std::uint8_t bit) {
  for (const auto& t : terms)
    if (!(has[t.first] & bit)) return false;
  return true;
}

// Whether every term is present at `bit`, and their presence bytes OR-ed (for the qualifier bits) in `seen`.
static inline bool plan_scan(const std::vector<std::pair<std::size_t, std::int64_t>>& terms, const std::uint8_t* has,
                             std::uint8_t bit, unsigned& seen) {
  unsigned all = bit;
  for (const auto& t : terms) {
    all &= has[t.first];
    seen |= has[t.first];
  }
  return all != 0;
}

// Whether any of a series' 12 observation flags carries a qualifier (8 + 4 bytes, no loop).
static inline bool any_qualifier(const std::uint8_t* flags) {
  constexpr std::uint64_t m8 = 0x0101010101010101ull * f_qual_mask;
  std::uint64_t a;
  std::uint32_t b;
  std::memcpy(&a, flags, 8);
  std::memcpy(&b, flags + 8, 4);
  return ((a & m8) | (b & static_cast<std::uint32_t>(m8))) != 0;
}

// The children's qualifier bits of a region block OR-ed into its parent's, a word at a time (a ratio's
// cells get them too, and compute_ratios overwrites those).
static inline void or_qualifiers(std::uint8_t* parent, const std::uint8_t* child, std::size_t n) {
  constexpr std::uint64_t mask = 0x0101010101010101ull * h_quals;
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    std::uint64_t p, c;
    std::memcpy(&p, parent + k, 8);
    std::memcpy(&c, child + k, 8);
    p |= c & mask;
    std::memcpy(parent + k, &p, 8);
  }
  for (; k < n; ++k) parent[k] = static_cast<std::uint8_t>(parent[k] | (child[k] & h_quals));
}

void model::compute_ratios(rollup_year& out, region_id r, int m_first, int m_last, bool quals, indicator_id only) const {
  if (quals) compute_ratios_as<true>(out, r, m_first, m_last, only);
  else compute_ratios_as<false>(out, r, m_first, m_last, only);
}

// Without qualifiers in the year a ratio's terms need only their presence, and the scan stops at the first gap.
template <bool Quals>
void model::compute_ratios_as(rollup_year& out, region_id r, int m_first, int m_last, indicator_id only) const {
  const std::size_t rbase = static_cast<std::size_t>(r) * cat_.size() * 12;
  std::int64_t* mon = out.monthly.data() + rbase;
  std::int64_t* ytd = out.ytd.data() + rbase;
  std::uint8_t* has = out.has.data() + rbase;
  const auto is_only = [&](const std::pair<std::size_t, std::int64_t>& t) { return t.first == static_cast<std::size_t>(only) * 12; };
  for (const ratio_plan& p : plans_) {
    // A revision changes only the ratios built from its indicator.
    if (only != npos && std::none_of(p.num.begin(), p.num.end(), is_only) && std::none_of(p.den.begin(), p.den.end(), is_only)) continue;
    for (int m = m_first; m <= m_last; ++m) {
      const std::size_t mo = static_cast<std::size_t>(m - 1);
      const std::size_t c = p.offset + mo;
      std::uint8_t h = 0;
      for (int pass = 0; pass < 2; ++pass) {
        std::int64_t* vals = pass == 0 ? mon : ytd;
        const std::uint8_t bit = pass == 0 ? h_monthly : h_ytd;
        vals[c] = 0;
        unsigned nseen = 0, dseen = 0;
        if constexpr (Quals) {
          if (!plan_scan(p.num, has + mo, bit, nseen) || !plan_scan(p.den, has + mo, bit, dseen)) continue;
        } else {
          if (!plan_present(p.num, has + mo, bit) || !plan_present(p.den, has + mo, bit)) continue;
        }
        const unsigned shift = pass == 0 ? h_q_monthly_shift : h_q_ytd_shift;
        // value = num/10^ns ÷ den/10^ds × factor, as a mantissa at the ratio's decimals.
        std::int64_t num64, den64, n64, d64, q;
        bool ok = true;
        if (plan_sum64(p.num, vals + mo, num64) && plan_sum64(p.den, vals + mo, den64) &&
            !__builtin_mul_overflow(num64, p.n_mul, &n64) && !__builtin_mul_overflow(den64, p.d_mul, &d64) && n64 >= 0 &&
            d64 >= 0) {
          if (d64 == 0) continue;
          q = static_cast<std::int64_t>(div_round_u64(static_cast<std::uint64_t>(n64), static_cast<std::uint64_t>(d64)));
        } else {
          i128 num, den;
          plan_sum(p.num, vals + mo, has + mo, bit, num);
          plan_sum(p.den, vals + mo, has + mo, bit, den);
          if (den == 0) continue;
          // n_mul < 2^63 and d_mul ≤ 10^9 < 2^30: within these bounds the products fit 128 bits; sums of
          // many large terms (a hostile catalogue) take the exact 256-bit path instead of overflowing.
          constexpr i128 num_bound = static_cast<i128>(1) << 64, den_bound = static_cast<i128>(1) << 96;
          if (num >= num_bound || num <= -num_bound || den >= den_bound || den <= -den_bound) {
            q = div_half_up_wide(num, p.n_mul, den, p.d_mul, ok);
          } else {
            i128 n = num * p.n_mul, d = den * p.d_mul;
            if (d < 0) {
              n = -n;
              d = -d;
            }
            q = div_half_up(n, d, ok);
          }
        }
        if (!ok) overflow(fmt::format("ratio '{}' at '{}'", cat_[p.id].code, h_[r].code));
        vals[c] = q;
        h |= bit;
        if (Quals && (((nseen | dseen) >> shift) & 3u)) {
          const qualifier rq = ratio_qualifier(qualifier_of_bits((nseen >> shift) & 3u), qualifier_of_bits((dseen >> shift) & 3u));
          h |= static_cast<std::uint8_t>(static_cast<unsigned>(rq) << shift);
        }
      }
      has[c] = h;
    }
  }
}

// A pre-rolled leaf's months [m0, m1) of every indicator into a roll-up block.
static void copy_partial(const partial_leaf& l, std::int64_t* mon, std::int64_t* ytd, std::int32_t* rep, std::uint8_t* has,
                         std::size_t m0, std::size_t m1, std::size_t indicators) {
  for (std::size_t c0 = 0; c0 < indicators * 12; c0 += 12) {
    const std::size_t a = c0 + m0, n = m1 - m0;
    std::memcpy(mon + a, l.monthly.data() + a, n * sizeof(std::int64_t));
    std::memcpy(ytd + a, l.ytd.data() + a, n * sizeof(std::int64_t));
    std::memcpy(rep + a, l.reporting.data() + a, n * sizeof(std::int32_t));
    std::memcpy(has + a, l.has.data() + a, n);
  }
}

void model::refresh_presence(rollup_year& y, region_id r, indicator_id i) const {
  // A month is present when some leaf reported it; year-to-date when some leaf reported by then.
  const std::size_t base = cell(r, i, 1);
  bool seen = false;
  for (std::size_t m = 0; m < 12; ++m) {
    const bool p = y.reporting[base + m] > 0;
    seen = seen || p;
    y.has[base + m] = static_cast<std::uint8_t>((p ? h_monthly : 0) | (seen ? h_ytd : 0));
  }
}

void model::refresh_presence(rollup_year& y, const observation_year& obs, const tree& t, region_id r, indicator_id i,
                             bool requalify) const {
  // A month is present when some leaf reported it; year-to-date when some leaf reported by then. The
  // qualifier bits are a leaf's own (a flow's OR-ed over 1..M, a stock's of the value carried) or its
  // children's OR-ed, so a chain refreshed from the leaf up is exact; without `requalify` a non-leaf keeps its own.
  const std::size_t base = cell(r, i, 1), ur = static_cast<std::size_t>(r);
  const bool flow = cat_[i].kind == indicator_kind::flow;
  std::uint8_t q[12];
  for (std::size_t m = 0; m < 12; ++m) q[m] = requalify ? 0 : y.has[base + m] & h_quals;
  if (t.leaf[ur]) {
    std::uint8_t carried = 0;
    for (std::size_t m = 0; m < 12; ++m) {
      const std::uint8_t own = static_cast<std::uint8_t>((obs.flags[base + m] & f_qual_mask) << 1);
      carried = flow ? static_cast<std::uint8_t>(carried | own) : (obs.flags[base + m] & f_present) ? own : carried;
      q[m] = static_cast<std::uint8_t>(own | (carried << 2));
    }
  } else if (requalify) {
    for (std::int32_t k = t.child_begin[ur]; k < t.child_begin[ur + 1]; ++k) {
      const std::size_t cb = cell(t.children[static_cast<std::size_t>(k)], i, 1);
      for (std::size_t m = 0; m < 12; ++m) q[m] |= y.has[cb + m] & h_quals;
    }
  }
  bool seen = false;
  for (std::size_t m = 0; m < 12; ++m) {
    const bool p = y.reporting[base + m] > 0;
    seen = seen || p;
    y.has[base + m] = static_cast<std::uint8_t>(q[m] | (p ? h_monthly : 0) | (seen ? h_ytd : 0));
  }
}

void model::rollup_year_block(const observation_year& obs, rollup_year& out, rollup_path path) const {
  const std::size_t R = h_.size(), I = cat_.size(), N = R * I * 12;
  out.year = obs.year;
  out.monthly.resize(N);
  out.ytd.resize(N);
  out.reporting.resize(N);
  out.has.resize(N);
  out.expected.resize(R * 12);
  for (std::size_t l = 0; l < level_count; ++l) {
    const bool used = std::any_of(cat_.items().begin(), cat_.items().end(),
                                  [&](const indicator& ind) { return ind.reported_at && static_cast<std::size_t>(*ind.reported_at) == l; });
    out.expected_at[l].resize(used ? R * 12 : 0);
  }
  const tree& first = h_.at(period::month_serial(obs.year, 1));
  bool single = path == rollup_path::automatic;
  for (int m = 1; m < 12 && single; ++m) single = &h_.at(period::month_serial(obs.year, m + 1)) == &first;
  // The lean pass is the fused pass without qualifiers, reporting levels or max_age: a year that has none
  // of them (the national workload) pays nothing for them.
  const bool lean = !obs.qualified && obs.partials.empty() &&
                    std::none_of(cat_.items().begin(), cat_.items().end(),
                                 [](const indicator& ind) { return ind.reported_at || ind.max_age >= 0; });
  if (single && lean) rollup_single_tree<true>(obs, out, first);
  else if (single) rollup_single_tree<false>(obs, out, first);
  else rollup_segmented(obs, out);
}

// One fused children-first pass for a year whose tree does not change. It is one long function on purpose:
// a region's block is finished (year-to-date, presence, ratios) and added into its parent while it is in
// cache, and splitting the loop body into calls would cost the national roll-up its speed.
template <bool Lean>
void model::rollup_single_tree(const observation_year& obs, rollup_year& out, const tree& t) const {
  const std::size_t R = h_.size(), I = cat_.size(), B = I * 12;
  std::vector<indicator_id> flows, stocks, ratios;
  for (std::size_t i = 0; i < I; ++i) {
    indicator_kind k = cat_[static_cast<indicator_id>(i)].kind;
    (k == indicator_kind::flow ? flows : k == indicator_kind::stock ? stocks : ratios).push_back(static_cast<indicator_id>(i));
  }
  std::int64_t* mon = out.monthly.data();
  std::int64_t* ytd = out.ytd.data();
  std::int32_t* rep = out.reporting.data();
  std::uint8_t* has = out.has.data();
  const std::int64_t* val = obs.value.data();
  const std::uint8_t* fl = obs.flags.data();
  // Blocks that receive sums (and blocks of regions absent this year) start at zero; leaves overwrite theirs.
  for (std::size_t r = 0; r < R; ++r) {
    if (t.leaf[r]) continue;
    std::memset(mon + r * B, 0, B * sizeof(std::int64_t));
    std::memset(ytd + r * B, 0, B * sizeof(std::int64_t));
    std::memset(rep + r * B, 0, B * sizeof(std::int32_t));
    std::memset(has + r * B, 0, B);
  }
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t m = 0; m < 12; ++m) out.expected[r * 12 + m] = t.leaves[r];
  add_partial_expected(obs, out, t, 1, 12);
  const std::vector<level_roles> units = Lean ? std::vector<level_roles>{} : unit_roles(t);
  fill_unit_expected(out, t, units, 1, 12);
  const std::vector<const partial_leaf*> pre = partial_index(obs);
  // A year without any qualified value (most) skips the qualifier work; partials may carry qualifier bits.
  const bool quals = !Lean && (obs.qualified || !obs.partials.empty());
  // One children-first pass: a region's block is complete when its turn comes, so it is finished
  // (year-to-date, presence, ratios) while it is in cache and then added into its parent's.
  for (region_id rid : t.order) {
    const std::size_t r = static_cast<std::size_t>(rid);
    const std::size_t rb = r * B;
    if (t.leaf[r] && !pre.empty() && pre[r]) {
      copy_partial(*pre[r], mon + rb, ytd + rb, rep + rb, has + rb, 0, 12, I);
    } else if (t.leaf[r]) {
      std::memset(has + rb, 0, B);
      for (indicator_id i : flows) {
        const std::size_t c = rb + static_cast<std::size_t>(i) * 12;
        std::int64_t run = 0;
        std::uint8_t seen = 0;
        bool ovf = false;
        for (std::size_t m = 0; m < 12; ++m) {
          const bool p = fl[c + m] & f_present;
          const std::int64_t v = p ? val[c + m] : 0;
          mon[c + m] = v;
          rep[c + m] = p;
          ovf |= __builtin_add_overflow(run, v, &run);
          ytd[c + m] = run;
          seen |= p;
          has[c + m] = static_cast<std::uint8_t>((p ? h_monthly : 0) | (seen ? h_ytd : 0));
        }
        if (quals && any_qualifier(fl + c)) {  // rare: a separate pass keeps the common loop as it was
          std::uint8_t qseen = 0;
          for (std::size_t m = 0; m < 12; ++m) {
            const std::uint8_t q = static_cast<std::uint8_t>((fl[c + m] & f_qual_mask) << 1);  // the monthly pair
            qseen |= q;
            has[c + m] = static_cast<std::uint8_t>(has[c + m] | q | (qseen << 2));
          }
        }
        if (ovf) overflow(fmt::format("year-to-date '{}' at '{}'", cat_[i].code, h_[rid].code));
      }
      for (indicator_id i : stocks) {
        const std::size_t c = rb + static_cast<std::size_t>(i) * 12;
        // A month-end value is current for max_age months after its own (to the year's end by default).
        std::int64_t last = 0;
        if (cat_[i].max_age < 0) {  // the common case keeps the short loop: a value holds to the year's end
          std::uint8_t seen = 0;
          for (std::size_t m = 0; m < 12; ++m) {
            const bool p = fl[c + m] & f_present;
            const std::int64_t v = p ? val[c + m] : 0;
            last = p ? v : last;
            mon[c + m] = v;
            rep[c + m] = p;
            ytd[c + m] = last;
            seen |= p;
            has[c + m] = static_cast<std::uint8_t>((p ? h_monthly : 0) | (seen ? h_ytd : 0));
          }
        } else {
          // A month-end value is current for max_age months after its own.
          int last_m = -100;
          for (std::size_t m = 0; m < 12; ++m) {
            const bool p = fl[c + m] & f_present;
            const std::int64_t v = p ? val[c + m] : 0;
            last = p ? v : last;
            last_m = p ? static_cast<int>(m) : last_m;
            const bool current = static_cast<int>(m) - last_m <= cat_[i].max_age;
            mon[c + m] = v;
            rep[c + m] = p;
            ytd[c + m] = current ? last : 0;
            has[c + m] = static_cast<std::uint8_t>((p ? h_monthly : 0) | (current ? h_ytd : 0));
          }
        }
        if (quals && any_qualifier(fl + c)) {
          std::uint8_t qlast = 0;
          for (std::size_t m = 0; m < 12; ++m) {
            const std::uint8_t q = static_cast<std::uint8_t>((fl[c + m] & f_qual_mask) << 1);
            qlast = (fl[c + m] & f_present) ? q : qlast;  // the as-of value carries the qualifier of the value carried
            // A value past max_age is not summed, so its qualifier is not carried either.
            has[c + m] = static_cast<std::uint8_t>(has[c + m] | q | ((has[c + m] & h_ytd) ? qlast << 2 : 0));
          }
        }
      }
      for (indicator_id i : ratios) {
        const std::size_t c = rb + static_cast<std::size_t>(i) * 12;
        const indicator& ind = cat_[i];
        if (ind.kind == indicator_kind::parameter) {
          std::memset(mon + c, 0, 12 * sizeof(std::int64_t));
          std::memset(ytd + c, 0, 12 * sizeof(std::int64_t));
          std::memset(rep + c, 0, 12 * sizeof(std::int32_t));
          continue;
        }
        for (std::size_t m = 0; m < 12; ++m) {
          const bool all = ind.all_terms([&](indicator_id tid) { return (fl[rb + static_cast<std::size_t>(tid) * 12 + m] & f_present) != 0; });
          rep[c + m] = all;
        }
      }
    } else {
      for (indicator_id i : flows) {
        const std::size_t c = rb + static_cast<std::size_t>(i) * 12;
        std::int64_t run = 0;
        std::uint8_t seen = 0;
        bool ovf = false;
        for (std::size_t m = 0; m < 12; ++m) {
          ovf |= __builtin_add_overflow(run, mon[c + m], &run);
          ytd[c + m] = run;
          const bool p = rep[c + m] > 0;
          seen |= p;
          const std::uint8_t kept = Lean ? 0 : has[c + m] & h_quals;
          has[c + m] = static_cast<std::uint8_t>(kept | (p ? h_monthly : 0) | (seen ? h_ytd : 0));
        }
        if (ovf) overflow(fmt::format("year-to-date '{}' at '{}'", cat_[i].code, h_[rid].code));
      }
      for (indicator_id i : stocks) {
        const std::size_t c = rb + static_cast<std::size_t>(i) * 12;
        if constexpr (Lean) {  // every value holds to the year's end: a month-end value exists once a leaf reported
          std::uint8_t seen = 0;
          for (std::size_t m = 0; m < 12; ++m) {
            const bool p = rep[c + m] > 0;
            seen |= p;
            has[c + m] = static_cast<std::uint8_t>((p ? h_monthly : 0) | (seen ? h_ytd : 0));
          }
        } else {  // the month-end value exists when a child's does (its ytd bit was added in with the child)
          for (std::size_t m = 0; m < 12; ++m)
            has[c + m] = static_cast<std::uint8_t>((has[c + m] & (h_quals | h_ytd)) | (rep[c + m] > 0 ? h_monthly : 0));
        }
      }
      if (!units.empty()) own_values(obs, out, rid, units, 0, 11, nullptr);  // a unit with children reports itself
    }
    compute_ratios(out, rid, 1, 12, quals);
    const region_id p = t.parent[r];
    if (p == npos) continue;
    const std::size_t pb = static_cast<std::size_t>(p) * B;
    bool ovf = false;
    for (indicator_id i : flows) {
      const std::size_t o = static_cast<std::size_t>(i) * 12;
      for (std::size_t m = 0; m < 12; ++m) {
        ovf |= __builtin_add_overflow(mon[pb + o + m], mon[rb + o + m], &mon[pb + o + m]);
        rep[pb + o + m] += rep[rb + o + m];
      }
    }
    for (indicator_id i : stocks) {
      const std::size_t o = static_cast<std::size_t>(i) * 12;
      for (std::size_t m = 0; m < 12; ++m) {
        ovf |= __builtin_add_overflow(mon[pb + o + m], mon[rb + o + m], &mon[pb + o + m]);
        ovf |= __builtin_add_overflow(ytd[pb + o + m], ytd[rb + o + m], &ytd[pb + o + m]);
        rep[pb + o + m] += rep[rb + o + m];
        if constexpr (!Lean) has[pb + o + m] |= has[rb + o + m] & h_ytd;  // a month-end value exists where a child's does
      }
    }
    for (indicator_id i : ratios) {
      const std::size_t o = static_cast<std::size_t>(i) * 12;
      for (std::size_t m = 0; m < 12; ++m) rep[pb + o + m] += rep[rb + o + m];
    }
    if (quals) or_qualifiers(has + pb, has + rb, B);
    if (ovf) overflow(fmt::format("a sum at '{}' (adding '{}')", h_[p].code, h_[rid].code));
  }
}

// The month-by-month pass for a year whose tree changes (区划调整): each month rolls up with its own tree.
// Long like the fused pass, for the same reason: one hot loop over the grid.
void model::rollup_segmented(const observation_year& obs, rollup_year& out) const {
  const std::size_t R = h_.size(), I = cat_.size(), N = R * I * 12;
  std::fill(out.monthly.begin(), out.monthly.end(), 0);
  std::fill(out.ytd.begin(), out.ytd.end(), 0);
  std::fill(out.reporting.begin(), out.reporting.end(), 0);
  std::fill(out.has.begin(), out.has.end(), 0);
  std::vector<std::int32_t> ytd_count(N, 0);  // stocks: leaves below with a value in 1..M (tree of month M)
  const tree* tm[12];
  for (int m = 0; m < 12; ++m) tm[m] = &h_.at(period::month_serial(obs.year, m + 1));
  std::vector<indicator_kind> kind(I);
  for (std::size_t i = 0; i < I; ++i) kind[i] = cat_[static_cast<indicator_id>(i)].kind;
  const std::vector<const partial_leaf*> pre = partial_index(obs);

  for (int m0 = 0; m0 < 12;) {
    int m1 = m0;
    while (m1 + 1 < 12 && tm[m1 + 1] == tm[m0]) ++m1;
    const tree& t = *tm[m0];
    // Leaves: their own values; stocks carry their latest value forward for year-to-date.
    for (std::size_t r = 0; r < R; ++r) {
      if (!t.leaf[r]) continue;
      if (!pre.empty() && pre[r]) {
        const std::size_t rb = r * I * 12;
        copy_partial(*pre[r], out.monthly.data() + rb, out.ytd.data() + rb, out.reporting.data() + rb, out.has.data() + rb,
                     static_cast<std::size_t>(m0), static_cast<std::size_t>(m1 + 1), I);
        for (std::size_t i = 0; i < I; ++i)
          for (int m = m0; m <= m1; ++m) {
            const std::size_t c = rb + i * 12 + static_cast<std::size_t>(m);
            ytd_count[c] = (out.has[c] & h_ytd) ? 1 : 0;
          }
        continue;
      }
      for (std::size_t i = 0; i < I; ++i) {
        const std::size_t base = (r * I + i) * 12;
        if (kind[i] == indicator_kind::flow || kind[i] == indicator_kind::stock) {
          const int age = cat_[static_cast<indicator_id>(i)].max_age < 0 ? 12 : cat_[static_cast<indicator_id>(i)].max_age;
          std::int64_t last = 0;
          int last_m = -100;
          std::uint8_t qlast = 0;
          for (int m = 0; m <= m1; ++m) {
            const std::size_t c = base + static_cast<std::size_t>(m);
            bool p = obs.flags[c] & f_present;
            const std::uint8_t q = static_cast<std::uint8_t>((obs.flags[c] & f_qual_mask) << 1);
            if (p) {
              last = obs.value[c];
              last_m = m;
              qlast = q;
            }
            const bool have = m - last_m <= age;
            if (m < m0) continue;
            if (p) {
              out.monthly[c] = obs.value[c];
              out.reporting[c] = 1;
              out.has[c] = q;
            }
            if (kind[i] == indicator_kind::stock && have) {
              out.ytd[c] = last;
              out.has[c] = static_cast<std::uint8_t>(out.has[c] | (qlast << 2));
              ytd_count[c] = 1;
            }
          }
        } else if (kind[i] == indicator_kind::ratio) {
          const indicator& ind = cat_[static_cast<indicator_id>(i)];
          for (int m = m0; m <= m1; ++m) {
            const bool all = ind.all_terms([&](indicator_id tid) {
              return (obs.flags[(r * I + static_cast<std::size_t>(tid)) * 12 + static_cast<std::size_t>(m)] & f_present) != 0;
            });
            out.reporting[base + static_cast<std::size_t>(m)] = all ? 1 : 0;
          }
        }
      }
    }
    // Children before parents: add every cell of a region into its parent's for these months.
    const std::vector<level_roles> units = unit_roles(t);
    for (region_id r : t.order) {
      if (!units.empty() && !t.leaf[static_cast<std::size_t>(r)]) own_values(obs, out, r, units, m0, m1, ytd_count.data());
      region_id p = t.parent[static_cast<std::size_t>(r)];
      if (p == npos) continue;
      const std::size_t rb = static_cast<std::size_t>(r) * I * 12, pb = static_cast<std::size_t>(p) * I * 12;
      bool ovf = false;
      for (std::size_t i = 0; i < I; ++i)
        for (int m = m0; m <= m1; ++m) {
          std::size_t k = i * 12 + static_cast<std::size_t>(m);
          ovf |= __builtin_add_overflow(out.monthly[pb + k], out.monthly[rb + k], &out.monthly[pb + k]);
          ovf |= __builtin_add_overflow(out.ytd[pb + k], out.ytd[rb + k], &out.ytd[pb + k]);
          out.reporting[pb + k] += out.reporting[rb + k];
          out.has[pb + k] |= out.has[rb + k] & h_quals;
          ytd_count[pb + k] += ytd_count[rb + k];
        }
      if (ovf) overflow(fmt::format("a sum at '{}' (adding '{}')", h_[p].code, h_[r].code));
    }
    for (int m = m0; m <= m1; ++m)
      for (std::size_t r = 0; r < R; ++r) out.expected[r * 12 + static_cast<std::size_t>(m)] = t.leaves[r];
    add_partial_expected(obs, out, t, m0 + 1, m1 + 1);
    fill_unit_expected(out, t, units, m0 + 1, m1 + 1);
    m0 = m1 + 1;
  }
  finish_segmented(out, ytd_count);
}

// After the segmented pass: a flow's year-to-date is the running sum of its months (whichever tree each
// month had), the presence bits follow, and ratios are recomputed from the summed parts.
void model::finish_segmented(rollup_year& out, const std::vector<std::int32_t>& ytd_count) const {
  const std::size_t R = h_.size(), I = cat_.size();
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t i = 0; i < I; ++i) {
      const std::size_t base = (r * I + i) * 12;
      if (cat_[static_cast<indicator_id>(i)].kind == indicator_kind::flow) {
        std::int64_t run = 0;
        bool seen = false;
        std::uint8_t qseen = 0;  // a flow's year-to-date qualifier: its months' OR-ed, whichever tree each had
        for (std::size_t m = 0; m < 12; ++m) {
          if (__builtin_add_overflow(run, out.monthly[base + m], &run))
            overflow(fmt::format("year-to-date '{}' at '{}'", cat_[static_cast<indicator_id>(i)].code, h_[static_cast<region_id>(r)].code));
          seen = seen || out.reporting[base + m] > 0;
          const std::uint8_t q = out.has[base + m] & h_q_monthly;
          qseen |= q;
          out.ytd[base + m] = run;
          out.has[base + m] = static_cast<std::uint8_t>((out.reporting[base + m] > 0 ? h_monthly : 0) | (seen ? h_ytd : 0) | q |
                                                        (qseen << 2));
        }
      } else if (cat_[static_cast<indicator_id>(i)].kind == indicator_kind::stock) {
        for (std::size_t m = 0; m < 12; ++m)
          out.has[base + m] = static_cast<std::uint8_t>((out.has[base + m] & h_quals) | (out.reporting[base + m] > 0 ? h_monthly : 0) |
                                                        (ytd_count[base + m] > 0 ? h_ytd : 0));
      }
    }
    compute_ratios(out, static_cast<region_id>(r), 1, 12, true);
  }
}

void model::update_after_revision(region_id r, indicator_id i, int year, int month) {
  rollup_year* y = roll_block(year);
  const observation_year* obs = obs_block(year);
  if (!y || !obs) {
    rollup();  // a year the roll-up has not seen yet
    return;
  }
  const tree& first = h_.at(period::month_serial(year, 1));
  for (int m = 1; m < 12; ++m)
    if (&h_.at(period::month_serial(year, m + 1)) != &first) {
      // The tree changes within this year: recompute the year (rare; keeps presence exact).
      rollup_year_block(*obs, *y, rollup_path::segmented);
      return;
    }
  const indicator& ind = cat_[i];
  if (ind.kind == indicator_kind::stock && ind.max_age >= 0) {
    // Whether a carried value is still current depends on every leaf's months: recompute the year (exact).
    rollup_year_block(*obs, *y, rollup_path::automatic);
    return;
  }
  const int s = period::month_serial(year, month);
  const tree& t = first;
  // A reported total is not part of the sums; a unit of an indicator's reporting level is, as a leaf is.
  if (!(ind.reported_at ? h_.role(t, r, *ind.reported_at) == unit_role::unit : t.leaf[static_cast<std::size_t>(r)])) return;
  for (const partial_leaf& l : obs->partials)
    if (l.region == r) return;  // a pre-rolled leaf: its observations are a reported total too
  const std::size_t I = cat_.size();
  auto chain = [&](auto&& fn) {
    for (region_id x = r; x != npos; x = t.parent[static_cast<std::size_t>(x)]) fn(x);
  };
  (void)s;
  const std::size_t oc = cell(r, i, month);
  const bool present = obs->flags[oc] & f_present;
  const std::int64_t new_v = present ? obs->value[oc] : 0;
  const std::int64_t dv = new_v - y->monthly[oc];
  const std::int32_t drep = (present ? 1 : 0) - y->reporting[oc];
  auto add = [&](std::int64_t& a, std::int64_t d) {
    if (__builtin_add_overflow(a, d, &a)) overflow(fmt::format("revising '{}' at '{}'", ind.code, h_[r].code));
  };
  if (ind.kind == indicator_kind::flow) {
    chain([&](region_id x) {
      std::size_t c = cell(x, i, month);
      add(y->monthly[c], dv);
      y->reporting[c] += drep;
      for (int mm = month; mm <= 12; ++mm) add(y->ytd[cell(x, i, mm)], dv);
    });
  } else if (ind.kind == indicator_kind::stock) {
    // The leaf's carried-forward value changes from this month until its next report.
    std::int64_t d_ytd[13] = {};
    std::int64_t last = 0;
    for (int mm = 1; mm <= 12; ++mm) {
      std::size_t c = cell(r, i, mm);
      if (obs->flags[c] & f_present) last = obs->value[c];
      if (mm >= month) d_ytd[mm] = last - y->ytd[c];
    }
    chain([&](region_id x) {
      std::size_t c = cell(x, i, month);
      add(y->monthly[c], dv);
      y->reporting[c] += drep;
      for (int mm = month; mm <= 12; ++mm)
        if (d_ytd[mm]) add(y->ytd[cell(x, i, mm)], d_ytd[mm]);
    });
  } else {
    return;  // parameters are not aggregated
  }
  // A year with no qualifier (the revision's own included: it is stored before this runs) has none to refresh.
  const bool quals = obs->qualified || !obs->partials.empty();
  if (!quals) {
    chain([&](region_id x) { refresh_presence(*y, x, i); });
  } else {
    // The ancestors' qualifier bits need their children re-read only when the leaf's changed.
    std::uint8_t before[12];
    for (std::size_t m = 0; m < 12; ++m) before[m] = y->has[cell(r, i, 1) + m] & h_quals;
    refresh_presence(*y, *obs, t, r, i, true);
    bool requalify = false;
    for (std::size_t m = 0; m < 12; ++m) requalify = requalify || before[m] != (y->has[cell(r, i, 1) + m] & h_quals);
    for (region_id x = t.parent[static_cast<std::size_t>(r)]; x != npos; x = t.parent[static_cast<std::size_t>(x)])
      refresh_presence(*y, *obs, t, x, i, requalify);
  }
  // Every ratio that uses this indicator: its reporting count and its values along the chain.
  bool any_ratio = false;
  for (std::size_t j = 0; j < I; ++j) {
    const indicator& rj = cat_[static_cast<indicator_id>(j)];
    if (rj.kind != indicator_kind::ratio) continue;
    bool uses = std::find(rj.numerator.begin(), rj.numerator.end(), i) != rj.numerator.end() ||
                std::find(rj.denominator.begin(), rj.denominator.end(), i) != rj.denominator.end();
    if (!uses) continue;
    any_ratio = true;
    const bool all = rj.all_terms([&](indicator_id tid) { return (obs->flags[cell(r, tid, month)] & f_present) != 0; });
    std::int32_t d = (all ? 1 : 0) - y->reporting[cell(r, static_cast<indicator_id>(j), month)];
    if (d) chain([&](region_id x) { y->reporting[cell(x, static_cast<indicator_id>(j), month)] += d; });
  }
  if (any_ratio) chain([&](region_id x) { compute_ratios(*y, x, month, 12, quals, i); });
}

}  // namespace zhibiao
