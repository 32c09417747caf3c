// Queries on the rolled-up model: values by the indicator's kind, comparisons, scopes, explanations,
// reconciliation. Everything outside the engine reads results through these functions.
#include "int128.hpp"

#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace zhibiao {

using namespace detail;

aggregate model::cell_value(const rollup_year& y, region_id r, indicator_id i, int month, bool ytd) const {
  std::size_t c = cell(r, i, month);
  aggregate a;
  a.reporting = y.reporting[c];
  a.expected = y.expected_of(cat_[i], static_cast<std::size_t>(r), month);
  if (y.has[c] & (ytd ? h_ytd : h_monthly)) {
    a.value = decimal::from_scaled((ytd ? y.ytd : y.monthly)[c], cat_[i].decimals);
    a.qualifier = qualifier_of_bits(static_cast<unsigned>(y.has[c] >> (ytd ? h_q_ytd_shift : h_q_monthly_shift)) & 3u);
  }
  return a;
}

// The first month of first..last whose end value is still current at `last` (the indicator's max_age).
static int oldest_current(const indicator& ind, int first, int last) {
  return std::max(first, ind.max_age < 0 ? 1 : last - ind.max_age);
}

// Leaves whose latest month-end value within months first..last (and still current at `last`, by the
// indicator's max_age) is from before `last`: a stock's value carried, not reported that month. Partial
// leaves are left out: their months are known only to the model they came from.
std::int32_t model::carried_leaves(const std::vector<region_id>& leaves, int year, int first, int last, indicator_id i,
                                   std::vector<std::pair<region_id, int>>* who) const {
  const observation_year* obs = obs_block(year);
  if (!obs) return 0;
  const int oldest = oldest_current(cat_[i], first, last);
  std::int32_t n = 0;
  auto partial = [&](region_id l) {
    return std::any_of(obs->partials.begin(), obs->partials.end(), [&](const partial_leaf& x) { return x.region == l; });
  };
  for (region_id l : leaves) {
    if ((obs->flags[cell(l, i, last)] & f_present) || (!obs->partials.empty() && partial(l))) continue;
    for (int m = last - 1; m >= oldest; --m)
      if (obs->flags[cell(l, i, m)] & f_present) {
        ++n;
        if (who) who->emplace_back(l, m);
        break;
      }
  }
  return n;
}

aggregate model::aggregate_leaves(const std::vector<region_id>& leaves, int year, int first, int last, indicator_id i,
                                  bool) const {
  const indicator& ind = cat_[i];
  aggregate a;
  a.expected = static_cast<std::int32_t>(leaves.size());
  const observation_year* obs = obs_block(year);
  if (!obs) return a;
  for (const partial_leaf& l : obs->partials)
    if (std::find(leaves.begin(), leaves.end(), l.region) != leaves.end())
      throw error(errc::state, fmt::format("'{}' is a leaf rolled up elsewhere (a partial): quarters, half-years and scopes "
                                           "over it need its own observations", h_[l.region].code));
  auto present = [&](region_id l, indicator_id t, int m) { return obs->flags[cell(l, t, m)] & f_present; };
  auto qual = [&](region_id l, int m) { return static_cast<qualifier>((obs->flags[cell(l, i, m)] & f_qual_mask) >> f_qual_shift); };
  if (ind.kind == indicator_kind::ratio) {
    auto sum_terms = [&](const std::vector<indicator_id>& terms, qualifier& q) -> std::optional<decimal> {
      decimal s;
      for (indicator_id t : terms) {
        aggregate ta = aggregate_leaves(leaves, year, first, last, t, false);
        if (!ta.value) return std::nullopt;
        s += *ta.value;
        q = combine(q, ta.qualifier);
      }
      return s;
    };
    for (region_id l : leaves) {
      a.reporting += ind.all_terms([&](indicator_id t) { return present(l, t, last); });
    }
    qualifier nq = qualifier::none, dq = qualifier::none;
    auto num = sum_terms(ind.numerator, nq), den = sum_terms(ind.denominator, dq);
    if (num && den && !den->is_zero()) {
      a.value = decimal::ratio(*num, *den, ind.decimals, rounding::half_up, ind.factor);
      a.qualifier = ratio_qualifier(nq, dq);
    }
    return a;
  }
  if (ind.kind == indicator_kind::parameter) throw error(errc::invalid_argument, fmt::format("'{}' is a parameter: it is not aggregated", ind.code));
  i128 sum = 0;
  bool any = false;
  for (region_id l : leaves) {
    a.reporting += present(l, i, last) ? 1 : 0;
    if (ind.kind == indicator_kind::flow) {
      for (int m = first; m <= last; ++m)
        if (present(l, i, m)) {
          sum += obs->value[cell(l, i, m)];
          any = true;
          a.qualifier = combine(a.qualifier, qual(l, m));
        }
    } else {
      // The latest month-end value of the period that is still current at its last month.
      const int oldest = oldest_current(ind, first, last);
      for (int m = last; m >= oldest; --m)
        if (present(l, i, m)) {
          sum += obs->value[cell(l, i, m)];
          any = true;
          a.qualifier = combine(a.qualifier, qual(l, m));
          break;
        }
    }
  }
  if (ind.kind == indicator_kind::stock) a.carried = carried_leaves(leaves, year, first, last, i);
  if (any) {
    if (sum > INT64_MAX || sum < INT64_MIN) overflow(fmt::format("a sum of '{}'", ind.code));
    a.value = decimal::from_scaled(static_cast<std::int64_t>(sum), ind.decimals);
  }
  return a;
}

namespace {

// A run of months (2021年3-11月, or across years: 2020年1月至2021年12月) read from the month and month-end values, the same rules
// as 1-M月: a flow sums its months, a stock is its value at the span's end (截至M月底), a ratio is
// recomputed from its parts over the span; coverage is that of the span's last month.
aggregate span_value(const model& m, const place& where, const period& p, indicator_id i) {
  const indicator& ind = m.indicators()[i];
  const period end = period::as_of(p.year(), p.last_month());
  switch (ind.kind) {
    case indicator_kind::flow: {
      aggregate a = m.value(where, period::month(p.year(), p.last_month()), i);
      std::optional<decimal> sum = a.value;
      for (int s = p.first_serial(); s < p.serial(); ++s) {
        const aggregate am = m.value(where, period::month(period::serial_year(s), period::serial_month(s)), i);
        if (!am.value) continue;
        sum = sum ? *sum + *am.value : *am.value;
        a.qualifier = combine(a.qualifier, am.qualifier);
      }
      a.value = sum;
      return a;
    }
    case indicator_kind::ratio: {
      aggregate a = m.value(where, end, i);  // coverage: every part reported at the span's end
      auto sum_terms = [&](const std::vector<indicator_id>& terms, qualifier& q) -> std::optional<decimal> {
        decimal s;
        for (indicator_id t : terms) {
          const aggregate v = span_value(m, where, p, t);
          if (!v.value) return std::nullopt;
          s += *v.value;
          q = combine(q, v.qualifier);
        }
        return s;
      };
      qualifier nq = qualifier::none, dq = qualifier::none;
      const std::optional<decimal> num = sum_terms(ind.numerator, nq), den = sum_terms(ind.denominator, dq);
      a.value.reset();
      a.qualifier = qualifier::none;
      if (num && den && !den->is_zero()) {
        a.value = decimal::ratio(*num, *den, ind.decimals, rounding::half_up, ind.factor);
        a.qualifier = ratio_qualifier(nq, dq);
      }
      return a;
    }
    default: return m.value(where, end, i);  // a stock at the span's end; a parameter in force then
  }
}

}  // namespace

aggregate model::value(region_id r, const period& p, indicator_id i) const {
  require_rollup();
  if (r < 0 || static_cast<std::size_t>(r) >= h_.size()) throw error(errc::invalid_argument, "unknown region id");
  if (i < 0 || static_cast<std::size_t>(i) >= cat_.size()) throw error(errc::invalid_argument, "unknown indicator id");
  const indicator& ind = cat_[i];
  const int M = p.last_month();
  const tree& t = h_.at(p.serial());
  if (ind.kind == indicator_kind::parameter) {
    // The value in force: the latest set at or before month M — in this year or an earlier one, since a
    // standard holds until it is set again — at the region or, failing that, at its nearest ancestor.
    aggregate a;
    a.expected = 1;
    int first_year = p.year() + 1;
    for (const auto& b : obs_) first_year = std::min(first_year, b.year);
    for (region_id x = r; x != npos; x = t.parent[static_cast<std::size_t>(x)])
      for (int yr = p.year(); yr >= first_year; --yr) {
        const observation_year* obs = obs_block(yr);
        if (!obs) continue;
        for (int m = yr == p.year() ? M : 12; m >= 1; --m)
          if (obs->flags[cell(x, i, m)] & f_present) {
            a.value = decimal::from_scaled(obs->value[cell(x, i, m)], ind.decimals);
            a.qualifier = static_cast<qualifier>((obs->flags[cell(x, i, m)] & f_qual_mask) >> f_qual_shift);
            a.reporting = 1;
            return a;
          }
      }
    return a;
  }
  if (p.kind() == period_kind::span) return span_value(*this, place{r, std::nullopt}, p, i);
  const rollup_year* y = rollup_block(p.year());
  if (!y) {
    aggregate a;
    a.expected = ind.reported_at ? static_cast<std::int32_t>(reporting_units(r, p.serial(), i).size())
                 : t.valid[static_cast<std::size_t>(r)] ? t.leaves[static_cast<std::size_t>(r)]
                                                        : 0;
    return a;
  }
  switch (p.kind()) {
    case period_kind::month: return cell_value(*y, r, i, M, false);
    case period_kind::year_to_date:
    case period_kind::year:
    case period_kind::as_of: {
      aggregate a = cell_value(*y, r, i, M, true);
      if (ind.kind == indicator_kind::stock && a.value && a.reporting < a.expected)
        a.carried = carried_leaves(reporting_units(r, p.serial(), i), p.year(), 1, M, i);
      return a;
    }
    default: return aggregate_leaves(reporting_units(r, p.serial(), i), p.year(), p.first_month(), M, i, false);
  }
}

std::optional<decimal> comparison::growth_at(int decimals) const {
  if (!change || is_ratio || base.value->is_zero()) return std::nullopt;
  return decimal::ratio(*change, *base.value, decimals, rounding::half_up, 100);
}

static comparison compare_values(const catalogue& cat, indicator_id i, aggregate cur, aggregate base, const period& bp) {
  // A difference of two days is a count of days, not a 同比 of anything a report states.
  if (cat[i].is_date()) throw error(errc::invalid_argument, fmt::format("'{}' is a date (日期): it has no 同比 or 环比", cat[i].code));
  comparison c{std::move(cur), std::move(base), bp, std::nullopt, std::nullopt, cat[i].kind == indicator_kind::ratio};
  if (!c.current.value || !c.base.value) return c;
  c.change = *c.current.value - *c.base.value;
  c.growth = c.growth_at(1);
  // A difference of bounds or estimates bounds nothing: any qualified side makes the change approximate.
  if (c.current.qualifier != qualifier::none || c.base.qualifier != qualifier::none) c.change_qualifier = qualifier::approximate;
  return c;
}

comparison model::year_on_year(region_id r, const period& p, indicator_id i) const {
  period b = p.same_period_last_year();
  return compare_values(cat_, i, value(r, p, i), value(r, b, i), b);
}

comparison model::period_on_period(region_id r, const period& p, indicator_id i) const {
  period b = p.previous();
  return compare_values(cat_, i, value(r, p, i), value(r, b, i), b);
}

aggregate model::scope_value(std::size_t scope_index, const period& p, indicator_id i) const {
  require_rollup();
  if (scope_index >= scopes_.size()) throw error(errc::invalid_argument, "unknown scope");
  if (p.kind() == period_kind::span) return span_value(*this, place{npos, scope_index}, p, i);
  int first = p.kind() == period_kind::month ? p.last_month()
              : (p.kind() == period_kind::quarter || p.kind() == period_kind::half_year) ? p.first_month()
                                                                                          : 1;
  const scope& sc = scopes_[scope_index];
  const std::optional<level> at = cat_[i].reported_at;
  return aggregate_leaves(at ? sc.units(h_, p.serial(), *at) : sc.leaves(h_, p.serial()), p.year(), first, p.last_month(), i, false);
}

explanation model::explain(region_id r, const period& p, indicator_id i) const {
  explanation e{r, i, p, value(r, p, i), {}, {}, {}, {}, {}, {}, {}};
  const indicator& ind = cat_[i];
  const int M = p.last_month();
  const bool cumulative = p.kind() != period_kind::month;
  switch (ind.kind) {
    case indicator_kind::flow:
      e.rule = cumulative ? fmt::format("flow: the sum over reporting leaves of their values for months {}; "
                                        "a leaf that did not report adds nothing (never 0)",
                                        p.crosses_years() ? p.code()
                                        : fmt::format("{}..{}", p.kind() == period_kind::quarter || p.kind() == period_kind::half_year ||
                                                                        p.kind() == period_kind::span
                                                                    ? p.first_month()
                                                                    : 1,
                                                      M))
                          : "flow: the sum over the leaves that reported this month; missing leaves add nothing (never 0)";
      break;
    case indicator_kind::stock:
      e.rule = cumulative ? "stock: the sum over leaves of each leaf's latest value within the period (截至月底), never summed over months"
                          : "stock: the sum over the leaves that reported this month's end value";
      break;
    case indicator_kind::ratio:
      e.rule = fmt::format("ratio: Σ numerator / Σ denominator × {} from the aggregated parts, rounded half-up once to {} "
                           "decimals (never an average of the leaves' rates)",
                           ind.factor, ind.decimals);
      break;
    case indicator_kind::parameter: e.rule = "parameter: the value in force at the region or its nearest ancestor; not aggregated"; break;
  }
  if (ind.reported_at)
    e.rule += fmt::format("; reported at level {}: its regions there (or above it where the tree skips it) stand for the leaves",
                          level_name(*ind.reported_at));
  const tree& t = h_.at(p.serial());
  const auto ur = static_cast<std::size_t>(r);
  if (ind.kind != indicator_kind::parameter && t.valid[ur]) {
    for (std::int32_t k = t.child_begin[ur]; k < t.child_begin[ur + 1]; ++k) {
      region_id c = t.children[static_cast<std::size_t>(k)];
      e.children.push_back(explained_part{c, value(c, p, i)});
    }
    const observation_year* obs = obs_block(p.year());
    for (region_id l : reporting_units(r, p.serial(), i)) {
      bool ok = obs != nullptr;
      if (ok && ind.kind == indicator_kind::ratio) {
        for (auto tid : ind.numerator) ok = ok && (obs->flags[cell(l, tid, M)] & f_present);
        for (auto tid : ind.denominator) ok = ok && (obs->flags[cell(l, tid, M)] & f_present);
      } else if (ok) {
        ok = obs->flags[cell(l, i, M)] & f_present;
      }
      if (!ok) e.missing.push_back(l);
    }
    if (ind.kind == indicator_kind::ratio) {
      auto sum = [&](const std::vector<indicator_id>& terms, qualifier& q) -> std::optional<decimal> {
        decimal s;
        for (auto tid : terms) {
          aggregate a = value(r, p, tid);
          if (!a.value) return std::nullopt;
          s += *a.value;
          q = combine(q, a.qualifier);
        }
        return s;
      };
      e.numerator = sum(ind.numerator, e.numerator_qualifier);
      e.denominator = sum(ind.denominator, e.denominator_qualifier);
    }
    const bool own = ind.reported_at ? h_.role(t, r, *ind.reported_at) == unit_role::unit : t.leaf[ur] != 0;
    if (!own && p.kind() == period_kind::month) e.reported_total = reported(r, p, i);
    if (ind.kind == indicator_kind::stock && cumulative) {
      const bool own_months = p.kind() == period_kind::quarter || p.kind() == period_kind::half_year;
      carried_leaves(reporting_units(r, p.serial(), i), p.year(), own_months ? p.first_month() : 1, M, i, &e.carried);
    }
  }
  return e;
}

std::string model::explain_text(const explanation& e) const {
  const indicator& ind = cat_[e.indicator];
  const int s = e.period.serial();
  auto qual = [](qualifier q) { return q == qualifier::none ? std::string() : fmt::format(" [{}]", qualifier_name(q)); };
  auto show = [&](const aggregate& a) {
    return fmt::format("{}{} ({} of {} reported)", a.value ? a.value->to_string() : std::string("—"), qual(a.qualifier), a.reporting,
                       a.expected);
  };
  std::string out = fmt::format("{} {} {} {} ({}) = {} {}{}\n", h_.name(e.region, s), h_[e.region].code, e.period.label_zh(),
                                ind.name, ind.code, e.value.value ? value_text(ind, *e.value.value) : std::string("— (missing)"),
                                ind.unit.symbol, e.value.value ? qual(e.value.qualifier) : std::string());
  out += fmt::format("  rule: {}\n", e.rule);
  if (e.value.value && e.value.qualifier != qualifier::none) {
    // Which parts carry one: the children that do, or for a ratio its numerator and denominator.
    std::string parts;
    for (const explained_part& c : e.children)
      if (c.value.value && c.value.qualifier != qualifier::none)
        parts += fmt::format("{}{} {} ({})", parts.empty() ? "" : "; ", h_[c.region].code, h_.name(c.region, s), qualifier_name(c.value.qualifier));
    if (e.numerator_qualifier != qualifier::none) parts += fmt::format("{}numerator ({})", parts.empty() ? "" : "; ", qualifier_name(e.numerator_qualifier));
    if (e.denominator_qualifier != qualifier::none)
      parts += fmt::format("{}denominator ({})", parts.empty() ? "" : "; ", qualifier_name(e.denominator_qualifier));
    out += fmt::format("  qualifier: {} ({}); parts carrying one: {}\n", qualifier_name(e.value.qualifier),
                       e.value.qualifier == qualifier::lower_bound ? "a lower bound, XX多" : "approximate, 约",
                       parts.empty() ? "the value as reported here" : parts);
  }
  out += fmt::format("  coverage: {} of {} {} reported {}-{:02}{}\n", e.value.reporting, e.value.expected,
                     ind.reported_at ? fmt::format("{}-level units", level_name(*ind.reported_at)) : std::string("leaves"),
                     e.period.year(), e.period.last_month(),
                     e.value.carried ? fmt::format("; {} more carried from an earlier month", e.value.carried) : std::string());
  if (e.numerator || e.denominator) {
    std::string num_codes, den_codes;
    for (auto t : ind.numerator) num_codes += (num_codes.empty() ? "" : " + ") + cat_[t].code;
    for (auto t : ind.denominator) den_codes += (den_codes.empty() ? "" : " + ") + cat_[t].code;
    out += fmt::format("  numerator ({}) = {}; denominator ({}) = {}; {} / {} × {} = {}\n", num_codes,
                       e.numerator ? e.numerator->to_string() : "—", den_codes,
                       e.denominator ? e.denominator->to_string() : "—", e.numerator ? e.numerator->to_string() : "—",
                       e.denominator ? e.denominator->to_string() : "—", ind.factor,
                       e.value.value ? e.value.value->to_string() : "—");
  }
  if (!e.children.empty()) {
    out += "  children:\n";
    for (const explained_part& c : e.children)
      out += fmt::format("    {} {}: {}\n", h_[c.region].code, h_.name(c.region, s), show(c.value));
  }
  if (!e.missing.empty()) {
    out += fmt::format("  not reported for {}-{:02}: ", e.period.year(), e.period.last_month());
    for (std::size_t k = 0; k < e.missing.size(); ++k)
      out += fmt::format("{}{} {}", k ? "; " : "", h_[e.missing[k]].code, h_.name(e.missing[k], s));
    out += "\n";
  }
  if (!e.carried.empty()) {
    out += fmt::format("  carried from an earlier month (not reported for {}-{:02}): ", e.period.year(), e.period.last_month());
    for (std::size_t k = 0; k < e.carried.size(); ++k)
      out += fmt::format("{}{} {} ({}-{:02})", k ? "; " : "", h_[e.carried[k].first].code, h_.name(e.carried[k].first, s),
                         e.period.year(), e.carried[k].second);
    out += "\n";
  }
  if (e.reported_total)
    out += fmt::format("  reported at {} itself: {} ({})\n", h_[e.region].code, e.reported_total->to_string(),
                       e.value.value && *e.value.value == *e.reported_total ? "agrees with the children" : "differs from the children");
  return out;
}

std::vector<reconciliation> model::reconcile() const {
  require_rollup();
  std::vector<reconciliation> out;
  const std::size_t R = h_.size(), I = cat_.size();
  for (const observation_year& obs : obs_) {
    const rollup_year* y = rollup_block(obs.year);
    for (int m = 1; m <= 12; ++m) {
      const tree& t = h_.at(period::month_serial(obs.year, m));
      for (std::size_t r = 0; r < R; ++r) {
        if (!t.valid[r] || t.leaf[r]) continue;
        for (std::size_t i = 0; i < I; ++i) {
          const indicator& ind = cat_[static_cast<indicator_id>(i)];
          if (ind.kind != indicator_kind::flow && ind.kind != indicator_kind::stock) continue;
          std::size_t c = cell(static_cast<region_id>(r), static_cast<indicator_id>(i), m);
          if (!(obs.flags[c] & f_present)) continue;
          if (ind.reported_at && h_.role(t, static_cast<region_id>(r), *ind.reported_at) == unit_role::unit) continue;  // its own value
          bool has = y->has[c] & h_monthly;
          if (has && y->monthly[c] == obs.value[c]) continue;
          out.push_back(reconciliation{static_cast<region_id>(r), static_cast<indicator_id>(i), period::month(obs.year, m),
                                       decimal::from_scaled(obs.value[c], ind.decimals),
                                       has ? std::optional<decimal>(decimal::from_scaled(y->monthly[c], ind.decimals))
                                           : std::nullopt});
        }
      }
    }
  }
  return out;
}

period model::last_month_with_data() const {
  if (obs_.empty() || !rolled_up_) throw error(errc::state, "no data to check");
  const std::size_t I = cat_.size();
  for (auto y = roll_.rbegin(); y != roll_.rend(); ++y) {
    const tree& t = h_.at(period::month(y->year, 12).serial());
    for (int mo = 12; mo >= 1; --mo)
      for (region_id r : t.order)
        if (t.parent[static_cast<std::size_t>(r)] == npos)
          for (std::size_t i = 0; i < I; ++i)
            if (y->reporting[cell(r, static_cast<indicator_id>(i), mo)] > 0) return period::month(y->year, mo);
  }
  throw error(errc::state, "no data to check");
}

std::optional<place> model::find_place(std::string_view code) const noexcept {
  if (region_id r = h_.find(code); r != npos) return place{r, std::nullopt};
  for (std::size_t s = 0; s < scopes_.size(); ++s)
    if (scopes_[s].code == code) return place{npos, s};
  return std::nullopt;
}

place model::require_place(std::string_view code) const {
  if (auto p = find_place(code)) return *p;
  throw error(errc::not_found, fmt::format("unknown region or scope '{}'", code));
}

aggregate model::value(const place& where, const period& p, indicator_id i) const {
  return where.scope ? scope_value(*where.scope, p, i) : value(where.region, p, i);
}

comparison model::year_on_year(const place& where, const period& p, indicator_id i) const {
  if (!where.scope) return year_on_year(where.region, p, i);
  period b = p.same_period_last_year();
  return compare_values(cat_, i, scope_value(*where.scope, p, i), scope_value(*where.scope, b, i), b);
}

const std::string& model::place_code(const place& where) const {
  return where.scope ? scopes_[*where.scope].code : h_[where.region].code;
}

const std::string& model::place_name(const place& where, const period& p) const {
  return where.scope ? scopes_[*where.scope].name : h_.name(where.region, p.serial());
}

}  // namespace zhibiao
