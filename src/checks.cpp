// Targets and checks: read the rolled-up model, compare, and say what it means in a sentence.
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace zhibiao {

using rational = boost::multiprecision::cpp_rational;

namespace {

rational to_rational(const decimal& d) {
  return rational(boost::multiprecision::cpp_int(d.mantissa())) / rational(boost::multiprecision::cpp_int(decimal::pow10(d.scale())));
}

// A rational rounded half-up once to `decimals`.
decimal round_rational(const rational& r, int decimals) {
  using boost::multiprecision::cpp_int;
  cpp_int num = boost::multiprecision::numerator(r) * cpp_int(decimal::pow10(decimals));
  cpp_int den = boost::multiprecision::denominator(r);
  cpp_int q = num / den, rem = num % den;
  if (rem < 0) rem = -rem;
  if (2 * rem >= den) q += num < 0 ? -1 : 1;
  return decimal(decimal::rep(q), decimals);
}

std::optional<target_kind> parse_target_kind(std::string_view s) {
  for (target_kind k : {target_kind::floor, target_kind::cap, target_kind::band, target_kind::zero, target_kind::no_decrease})
    if (target_kind_name(k) == s) return k;
  return std::nullopt;
}

}  // namespace

std::vector<target> parse_targets(std::string_view text, const std::string& file, const model& m) {
  csv::reader in(text, file);
  in.read_header({"region", "indicator", "period", "kind", "value"}, {"upper", "schedule", "tolerance"});
  const int c_reg = in.column("region"), c_ind = in.column("indicator"), c_per = in.column("period"),
            c_kind = in.column("kind"), c_val = in.column("value"), c_up = in.column("upper"),
            c_sch = in.column("schedule"), c_tol = in.column("tolerance");
  std::vector<target> out;
  // (region, indicator, period) → line of the target; a scan of `out` per row would be quadratic.
  std::map<std::tuple<region_id, indicator_id, period>, std::size_t> first_line;
  auto parse_value = [&](int col, const indicator& ind) {
    std::string_view s = in.get(col);
    try {
      decimal d = decimal::parse(s);
      if (d.scale() > std::max(ind.decimals, 0) && d.rescaled(std::max(ind.decimals, 0), rounding::toward_zero) != d)
        in.fail(col, fmt::format("'{}' has more decimals than '{}' ({})", s, ind.code, ind.decimals));
      return d;
    } catch (const load_error&) {
      throw;
    } catch (const error& e) {
      in.fail(col, fmt::format("malformed value: {}", e.what()));
    }
  };
  while (in.next()) {
    target t;
    t.line = in.line();
    t.region = m.regions().find(in.get(c_reg));
    if (t.region == npos) in.fail(c_reg, fmt::format("unknown region '{}'", in.get(c_reg)));
    t.indicator = m.indicators().find(in.get(c_ind));
    if (t.indicator == npos) in.fail(c_ind, fmt::format("unknown indicator '{}'", in.get(c_ind)));
    const indicator& ind = m.indicators()[t.indicator];
    try {
      t.when = period::parse(in.get(c_per));
    } catch (const error& e) {
      in.fail(c_per, e.what());
    }
    if (t.when.kind() == period_kind::as_of) t.when = period::year_to_date(t.when.year(), t.when.last_month());
    auto k = parse_target_kind(in.get(c_kind));
    if (!k) in.fail(c_kind, fmt::format("unknown target kind '{}' (expected floor, cap, band, zero or no_decrease)", in.get(c_kind)));
    t.kind = *k;
    if (ind.kind == indicator_kind::parameter && t.kind != target_kind::cap && t.kind != target_kind::band)
      in.fail(c_kind, fmt::format("a {} target on '{}', a parameter, makes no sense (a parameter is not achieved, it is in force)",
                                  target_kind_name(t.kind), ind.code));
    if (t.kind == target_kind::no_decrease) {
      if (!in.get(c_val).empty()) t.value = parse_value(c_val, ind);
    } else {
      if (in.get(c_val).empty()) in.fail(c_val, "a target needs a value");
      t.value = parse_value(c_val, ind);
    }
    if (t.kind == target_kind::zero && !t.value.is_zero()) in.fail(c_val, "a zero target has value 0");
    if (t.kind == target_kind::floor && t.value.sign() <= 0) in.fail(c_val, "a floor target must be positive");
    if (!in.get(c_up).empty()) {
      if (t.kind != target_kind::band) in.fail(c_up, "only a band has an upper bound");
      t.upper = parse_value(c_up, ind);
      if (*t.upper < t.value)
        in.fail(c_up, fmt::format("band lower bound {} is above its upper bound {}", t.value.to_string(), t.upper->to_string()));
    } else if (t.kind == target_kind::band) {
      in.fail(c_up, "a band needs an upper bound");
    }
    std::string_view sch = in.get(c_sch);
    if (sch == "year_end") {
      t.schedule = schedule_kind::year_end;
    } else if (sch == "linear" || sch.empty()) {
      t.schedule = schedule_kind::linear;
    } else {
      t.schedule = schedule_kind::profile;
      std::size_t q = 0;
      while (q <= sch.size()) {
        std::size_t z = sch.find(';', q);
        if (z == std::string_view::npos) z = sch.size();
        try {
          t.profile.push_back(decimal::parse(sch.substr(q, z - q)));
        } catch (const error&) {
          in.fail(c_sch, fmt::format("schedule must be empty, linear, year_end or cumulative percentages a;b;…, not '{}'", sch));
        }
        q = z + 1;
      }
      if (static_cast<int>(t.profile.size()) != t.when.month_count())
        in.fail(c_sch, fmt::format("a schedule profile needs {} cumulative percentages (one per month), not {}",
                                   t.when.month_count(), t.profile.size()));
      for (std::size_t j = 0; j < t.profile.size(); ++j)
        if (t.profile[j].sign() < 0 || (j && t.profile[j] < t.profile[j - 1]))
          in.fail(c_sch, "schedule percentages must be non-negative and non-decreasing");
      if (t.profile.back() != decimal::from_int(100)) in.fail(c_sch, "a schedule profile must end at 100");
    }
    if (t.schedule != schedule_kind::linear && t.kind != target_kind::floor) in.fail(c_sch, "only a floor has a schedule");
    if (!in.get(c_tol).empty()) {
      try {
        t.tolerance = decimal::parse(in.get(c_tol));
      } catch (const error& e) {
        in.fail(c_tol, fmt::format("malformed tolerance: {}", e.what()));
      }
      if (t.tolerance.sign() < 0) in.fail(c_tol, "tolerance must not be negative");
    }
    if (auto [it, fresh] = first_line.emplace(std::tuple{t.region, t.indicator, t.when}, t.line); !fresh)
      in.fail(c_reg, fmt::format("duplicate target for ({}, {}, {}) (first at line {})", in.get(c_reg), in.get(c_ind),
                                 in.get(c_per), it->second));
    out.push_back(std::move(t));
  }
  return out;
}

period last_month_with_data(const model& m) {
  auto years = m.years();
  if (years.empty() || !m.rolled_up()) throw error(errc::state, "no data to check");
  const std::size_t I = m.indicators().size();
  for (auto y = years.rbegin(); y != years.rend(); ++y) {
    const rollup_year* b = m.rollup_block(*y);
    if (!b) continue;
    const tree& t = m.regions().at(*y * 12 + 11);
    for (int mo = 12; mo >= 1; --mo)
      for (region_id r : t.order)
        if (t.parent[static_cast<std::size_t>(r)] == npos)
          for (std::size_t i = 0; i < I; ++i)
            if (b->reporting[m.cell(r, static_cast<indicator_id>(i), mo)] > 0) return period::month(*y, mo);
  }
  throw error(errc::state, "no data to check");
}

namespace {

struct ctx {
  const model& m;
  std::vector<finding>& out;
};

std::string show(const std::optional<decimal>& d) { return d ? d->to_string() : std::string("—"); }

std::string unit_text(const indicator& ind) { return std::string(ind.unit.symbol); }

std::string margin_unit(const indicator& ind) {
  return ind.unit.dim == dimension::ratio && ind.unit.exponent == -2 ? "个百分点" : unit_text(ind);
}

void check_target(ctx& c, const target& t, const period& as_of) {
  const model& m = c.m;
  const indicator& ind = m.indicators()[t.indicator];
  const std::string& rname = m.regions().name(t.region, as_of.serial());
  // The month the target is judged at: inside its period, or its last month once the period is over.
  if (as_of.year() < t.when.year() || (as_of.year() == t.when.year() && as_of.last_month() < t.when.first_month())) return;
  int M = as_of.year() > t.when.year() ? t.when.last_month() : std::min(as_of.last_month(), t.when.last_month());
  bool whole_year_span = t.when.first_month() == 1;
  period judged = whole_year_span ? period::year_to_date(t.when.year(), M) : t.when;
  if (!whole_year_span && M < t.when.last_month()) return;  // a quarter or half-year target is judged when it ends
  auto base = [&](const period& p) {
    finding f;
    f.check = "target";
    f.subject = ind.code;
    f.region = t.region;
    f.when = p;
    return f;
  };
  auto missing = [&](const period& p, const aggregate& a) {
    finding f = base(p);
    f.level = severity::warning;
    f.status = "missing";
    f.expected = t.value;
    f.message = fmt::format("{} {} {}：无数据（{}/{} 上报），无法判断目标（{}）", rname, p.label_zh(), ind.name, a.reporting,
                            a.expected, target_kind_name(t.kind));
    c.out.push_back(std::move(f));
  };
  switch (t.kind) {
    case target_kind::floor: {
      aggregate a = m.value(t.region, judged, t.indicator);
      if (!a.value) return missing(judged, a);
      finding f = base(judged);
      f.actual = a.value;
      f.expected = t.value;
      rational comp = to_rational(*a.value) / to_rational(t.value) * 100;
      f.completion = round_rational(comp, 1);
      const int elapsed = M - t.when.first_month() + 1, total = t.when.month_count();
      const bool final = M == t.when.last_month();
      std::string head = fmt::format("{} {} {} {}{}，完成{}目标{}{}的{}%", rname, judged.label_zh(), ind.name,
                                     a.value->to_string(), unit_text(ind), t.when.label_zh(), t.value.to_string(), unit_text(ind),
                                     f.completion->to_string());
      if (final) {
        int cmp = to_rational(*a.value) > to_rational(t.value) ? 1 : to_rational(*a.value) == to_rational(t.value) ? 0 : -1;
        f.status = cmp > 0 ? "exceeded" : cmp == 0 ? "met" : "not_met";
        f.level = cmp >= 0 ? severity::info : severity::error;
        f.message = head + (cmp > 0 ? "：超额完成" : cmp == 0 ? "：完成" : "：未完成");
      } else if (t.schedule == schedule_kind::year_end) {
        f.status = "pending";
        f.level = severity::info;
        f.message = head + "（年末考核）";
      } else {
        rational share = t.schedule == schedule_kind::profile ? to_rational(t.profile[static_cast<std::size_t>(elapsed - 1)])
                                                              : rational(elapsed * 100) / total;
        f.progress = round_rational(share, 1);
        rational tol = to_rational(t.tolerance);
        if (comp > share + tol) {
          f.status = "ahead";
          f.level = severity::info;
        } else if (comp < share - tol) {
          f.status = "behind";
          f.level = severity::warning;
        } else {
          f.status = "on_track";
          f.level = severity::info;
        }
        if (share > 0) f.projected = round_rational(to_rational(*a.value) * 100 / share, ind.decimals);
        f.message = fmt::format("{}，序时进度{}%，{}，预计全年{}{}", head, f.progress->to_string(),
                                f.status == "ahead" ? "快于序时进度" : f.status == "behind" ? "慢于序时进度" : "与序时进度基本一致",
                                show(f.projected), unit_text(ind));
      }
      c.out.push_back(std::move(f));
      return;
    }
    case target_kind::cap:
    case target_kind::band: {
      // Checked at every month, not pro-rated: the value as of each month end.
      for (int mo = t.when.first_month(); mo <= M; ++mo) {
        period p = whole_year_span ? period::year_to_date(t.when.year(), mo) : period::month(t.when.year(), mo);
        if (ind.kind == indicator_kind::flow && !whole_year_span) p = period::month(t.when.year(), mo);
        aggregate a = m.value(t.region, p, t.indicator);
        if (!a.value) {
          missing(p, a);
          continue;
        }
        finding f = base(p);
        f.actual = a.value;
        f.expected = t.kind == target_kind::cap ? t.value : t.value;
        const decimal& v = *a.value;
        std::string cap_text = t.value.rescaled(std::max(t.value.scale(), ind.decimals)).to_string();
        if (t.kind == target_kind::cap) {
          bool ok = v <= t.value;
          f.status = ok ? "within" : "breached";
          f.level = ok ? severity::info : severity::error;
          decimal margin = ok ? t.value - v : v - t.value;
          f.message = fmt::format("{} {} {} {}{} {} 控制线 {}{}：{}", rname, p.label_zh(), ind.name, v.to_string(), unit_text(ind),
                                  ok ? "≤" : ">", cap_text, unit_text(ind),
                                  ok ? fmt::format("达标（余{}{}）", margin.to_string(), margin_unit(ind))
                                     : fmt::format("超标（超出{}{}）", margin.to_string(), margin_unit(ind)));
        } else {
          bool below = v < t.value, above = v > *t.upper;
          f.status = below ? "below" : above ? "above" : "within";
          f.level = below || above ? severity::error : severity::info;
          f.message = fmt::format("{} {} {} {}{}，区间 [{}, {}]：{}", rname, p.label_zh(), ind.name, v.to_string(), unit_text(ind),
                                  t.value.to_string(), t.upper->to_string(), below ? "低于下限" : above ? "高于上限" : "在区间内");
        }
        c.out.push_back(std::move(f));
      }
      return;
    }
    case target_kind::zero: {
      aggregate a = m.value(t.region, judged, t.indicator);
      if (!a.value) return missing(judged, a);
      finding f = base(judged);
      f.actual = a.value;
      f.expected = decimal();
      bool ok = a.value->is_zero();
      f.status = ok ? "met" : "breached";
      f.level = ok ? severity::info : severity::error;
      f.message = fmt::format("{} {} {} {}{}：{}", rname, judged.label_zh(), ind.name, a.value->to_string(), unit_text(ind),
                              ok ? "未发生，达标" : "发生，未达标");
      c.out.push_back(std::move(f));
      return;
    }
    case target_kind::no_decrease: {
      aggregate a = m.value(t.region, judged, t.indicator);
      aggregate b = m.value(t.region, judged.same_period_last_year(), t.indicator);
      if (!a.value) return missing(judged, a);
      if (!b.value) return missing(judged.same_period_last_year(), b);
      finding f = base(judged);
      f.actual = a.value;
      f.expected = b.value;
      bool ok = *a.value >= *b.value;
      f.status = ok ? "met" : "decreased";
      f.level = ok ? severity::info : severity::warning;
      f.message = fmt::format("{} {} {} {}{}，上年同期{}{}：{}", rname, judged.label_zh(), ind.name, a.value->to_string(),
                              unit_text(ind), b.value->to_string(), unit_text(ind),
                              ok ? "不低于上年同期" : fmt::format("比上年同期减少{}{}", (*b.value - *a.value).to_string(), unit_text(ind)));
      c.out.push_back(std::move(f));
      return;
    }
  }
}

void check_allocation(ctx& c, const std::vector<target>& targets, const period& as_of) {
  const model& m = c.m;
  // Floor targets by (region, indicator, period), so each child is found without a scan of every target.
  std::multimap<std::tuple<region_id, indicator_id, period>, const target*> floors;
  for (const target& o : targets)
    if (o.kind == target_kind::floor) floors.emplace(std::tuple{o.region, o.indicator, o.when}, &o);
  for (const target& parent : targets) {
    if (parent.kind != target_kind::floor) continue;
    const indicator& ind = m.indicators()[parent.indicator];
    if (ind.kind != indicator_kind::flow && ind.kind != indicator_kind::stock) continue;
    const tree& t = m.regions().at(parent.when.serial());
    const auto ur = static_cast<std::size_t>(parent.region);
    if (!t.valid[ur]) continue;
    decimal sum;
    int with = 0, n = 0;
    for (std::int32_t k = t.child_begin[ur]; k < t.child_begin[ur + 1]; ++k) {
      region_id child = t.children[static_cast<std::size_t>(k)];
      ++n;
      auto [lo, hi] = floors.equal_range(std::tuple{child, parent.indicator, parent.when});
      for (auto it = lo; it != hi; ++it) {
        sum += it->second->value;
        ++with;
      }
    }
    if (with == 0) continue;
    finding f;
    f.check = "allocation";
    f.subject = ind.code;
    f.region = parent.region;
    f.when = parent.when;
    f.actual = sum;
    f.expected = parent.value;
    int cmp = sum < parent.value ? -1 : sum == parent.value ? 0 : 1;
    f.status = cmp < 0 ? "under_allocated" : cmp == 0 ? "allocated" : "over_allocated";
    f.level = cmp < 0 ? severity::warning : severity::info;
    f.message = fmt::format("{} {} {} 目标{}{}，下级目标合计{}{}（{}/{} 个下级有目标）：{}", m.regions().name(parent.region, as_of.serial()),
                            parent.when.label_zh(), ind.name, parent.value.to_string(), unit_text(ind), sum.to_string(),
                            unit_text(ind), with, n,
                            cmp < 0 ? fmt::format("分解不足，差{}{}", (parent.value - sum).to_string(), unit_text(ind))
                            : cmp == 0 ? std::string("分解一致")
                                       : fmt::format("超额分解{}{}", (sum - parent.value).to_string(), unit_text(ind)));
    c.out.push_back(std::move(f));
  }
}

bool level_ok(const std::vector<level>& levels, const region_version* v) {
  if (!v) return false;
  return levels.empty() || std::find(levels.begin(), levels.end(), v->level) != levels.end();
}

void check_rules(ctx& c, const rule_set& rules, const period& p, bool passes) {
  const model& m = c.m;
  for (const rule& r : rules.rules()) {
    for (std::size_t k = 0; k < m.regions().size(); ++k) {
      auto reg = static_cast<region_id>(k);
      if (!level_ok(r.levels, m.regions()[reg].at(p.serial()))) continue;
      rule_result res = evaluate_rule(m, r, reg, p);
      if (!res.evaluated) continue;
      if (res.passed && !passes) continue;
      finding f;
      f.check = r.name;
      f.subject = r.text;
      f.region = reg;
      f.when = p;
      f.actual = res.left;
      f.expected = res.right;
      f.level = res.passed ? severity::info : r.level;
      f.status = res.division_by_zero ? "division_by_zero" : res.passed ? "pass" : "fail";
      f.message = res.division_by_zero
                      ? fmt::format("{} {} 规则 {}（{}）：除数为零，无法判断", m.regions().name(reg, p.serial()), p.label_zh(), r.name, r.text)
                      : fmt::format("{} {} 规则 {}（{}）：左边 {}，右边 {}，{}", m.regions().name(reg, p.serial()), p.label_zh(),
                                    r.name, r.text, show(res.left), show(res.right), res.passed ? "成立" : "不成立");
      c.out.push_back(std::move(f));
    }
  }
}

// Relations the catalogue already states: part ≤ whole, parts vs total, shares within 0..factor.
void check_builtin(ctx& c, const period& p, bool passes) {
  const model& m = c.m;
  const catalogue& cat = m.indicators();
  // The parts of each whole, found once (catalogue::parts_of scans the catalogue).
  std::vector<std::vector<indicator_id>> parts_of(cat.size());
  for (std::size_t i = 0; i < cat.size(); ++i)
    if (indicator_id w = cat[static_cast<indicator_id>(i)].part_of; w != npos)
      parts_of[static_cast<std::size_t>(w)].push_back(static_cast<indicator_id>(i));
  for (std::size_t k = 0; k < m.regions().size(); ++k) {
    auto reg = static_cast<region_id>(k);
    if (!m.regions()[reg].at(p.serial())) continue;
    const std::string& rname = m.regions().name(reg, p.serial());
    auto emit = [&](const std::string& check, const std::string& subject, bool ok, std::optional<decimal> actual,
                    std::optional<decimal> expected, const std::string& msg) {
      if (ok && !passes) return;
      finding f;
      f.check = check;
      f.subject = subject;
      f.region = reg;
      f.when = p;
      f.level = ok ? severity::info : severity::error;
      f.status = ok ? "pass" : "fail";
      f.actual = std::move(actual);
      f.expected = std::move(expected);
      f.message = msg;
      c.out.push_back(std::move(f));
    };
    for (std::size_t i = 0; i < cat.size(); ++i) {
      const indicator& ind = cat[static_cast<indicator_id>(i)];
      if (ind.part_of != npos) {
        aggregate part = m.value(reg, p, static_cast<indicator_id>(i)), whole = m.value(reg, p, ind.part_of);
        if (part.value && whole.value) {
          bool ok = *part.value <= *whole.value;
          emit("part_of", ind.code + " <= " + cat[ind.part_of].code, ok, part.value, whole.value,
               fmt::format("{} {} 其中 {} {} {} {} {}", rname, p.label_zh(), ind.name, part.value->to_string(), ok ? "≤" : ">",
                           cat[ind.part_of].name, whole.value->to_string()));
        }
      }
      if (ind.parts != parts_rule::none) {
        aggregate whole = m.value(reg, p, static_cast<indicator_id>(i));
        decimal sum;
        bool all = whole.value.has_value();
        std::string names;
        for (indicator_id part : parts_of[i]) {
          aggregate a = m.value(reg, p, part);
          if (!a.value) all = false;
          else sum += *a.value;
          names += (names.empty() ? "" : " + ") + cat[part].code;
        }
        if (all) {
          bool ok = ind.parts == parts_rule::le ? sum <= *whole.value : sum == *whole.value;
          emit("parts", names + (ind.parts == parts_rule::le ? " <= " : " == ") + ind.code, ok, sum, whole.value,
               fmt::format("{} {} {} 各项合计 {} {} {} {}", rname, p.label_zh(), ind.name, sum.to_string(),
                           ok ? (ind.parts == parts_rule::le ? "≤" : "=") : (ind.parts == parts_rule::le ? ">" : "≠"), ind.name,
                           whole.value->to_string()));
        }
      }
      if (ind.is_share()) {
        aggregate a = m.value(reg, p, static_cast<indicator_id>(i));
        if (a.value) {
          bool ok = a.value->sign() >= 0 && *a.value <= decimal::from_int(ind.factor);
          emit("share", ind.code + " within 0.." + std::to_string(ind.factor), ok, a.value, decimal::from_int(ind.factor),
               fmt::format("{} {} {} {}{} {}", rname, p.label_zh(), ind.name, a.value->to_string(), unit_text(ind),
                           ok ? "在 0 到 " + std::to_string(ind.factor) + " 之间" : "超出 0 到 " + std::to_string(ind.factor)));
        }
      }
    }
  }
  for (const reconciliation& rc : m.reconcile()) {
    if (rc.when.year() != p.year() || rc.when.last_month() > p.last_month()) continue;
    const indicator& ind = cat[rc.indicator];
    finding f;
    f.check = "reconcile";
    f.subject = ind.code;
    f.region = rc.region;
    f.when = rc.when;
    f.level = severity::warning;
    f.status = "differs";
    f.actual = rc.reported;
    f.expected = rc.computed;
    f.message = fmt::format("{} {} {} 上报合计 {}{}，下级汇总 {}{}：不一致", m.regions().name(rc.region, rc.when.serial()),
                            rc.when.label_zh(), ind.name, rc.reported.to_string(), unit_text(ind), show(rc.computed), unit_text(ind));
    c.out.push_back(std::move(f));
  }
}

}  // namespace

std::vector<finding> evaluate(const model& m, const std::vector<target>& targets, const rule_set* rules, const check_options& opt) {
  if (!m.rolled_up()) throw error(errc::state, "the roll-up is not current: call rollup() before checking");
  period as_of = opt.as_of ? period::month(opt.as_of->year(), opt.as_of->last_month()) : last_month_with_data(m);
  period ytd = period::year_to_date(as_of.year(), as_of.last_month());
  std::vector<finding> out;
  ctx c{m, out};
  for (const target& t : targets) check_target(c, t, as_of);
  check_allocation(c, targets, as_of);
  if (rules) check_rules(c, *rules, ytd, opt.include_passes);
  if (opt.builtin) check_builtin(c, ytd, opt.include_passes);
  return out;
}

namespace {

std::string json_string(std::string_view s) {
  std::string o = "\"";
  for (char ch : s) {
    switch (ch) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) o += fmt::format("\\u{:04x}", static_cast<int>(ch));
        else o += ch;
    }
  }
  return o + '"';
}

}  // namespace

std::string findings_csv(const model& m, const std::vector<finding>& fs) {
  std::string o = "check,subject,region,period,severity,status,actual,expected,message\n";
  for (const finding& f : fs)
    o += fmt::format("{},{},{},{},{},{},{},{},{}\n", csv::quote(f.check), csv::quote(f.subject), csv::quote(m.regions()[f.region].code),
                     f.when.code(), severity_name(f.level), f.status, f.actual ? f.actual->to_string() : "",
                     f.expected ? f.expected->to_string() : "", csv::quote(f.message));
  return o;
}

std::string findings_json(const model& m, const std::vector<finding>& fs) {
  std::string o = "[";
  for (std::size_t k = 0; k < fs.size(); ++k) {
    const finding& f = fs[k];
    auto num = [](const std::optional<decimal>& d) { return d ? json_string(d->to_string()) : std::string("null"); };
    o += fmt::format("{}\n  {{\"check\": {}, \"subject\": {}, \"region\": {}, \"region_name\": {}, \"period\": {}, \"severity\": {}, "
                     "\"status\": {}, \"actual\": {}, \"expected\": {}, \"completion\": {}, \"progress\": {}, \"projected\": {}, "
                     "\"message\": {}}}",
                     k ? "," : "", json_string(f.check), json_string(f.subject), json_string(m.regions()[f.region].code),
                     json_string(m.regions().name(f.region, f.when.serial())), json_string(f.when.code()),
                     json_string(severity_name(f.level)), json_string(f.status), num(f.actual), num(f.expected),
                     num(f.completion), num(f.progress), num(f.projected), json_string(f.message));
  }
  return o + (fs.empty() ? "]\n" : "\n]\n");
}

std::string findings_table(const model& m, const std::vector<finding>& fs) {
  std::string o;
  std::size_t errors = 0, warnings = 0;
  o += fmt::format("{:<8} {:<16} {:<14} {}\n", "severity", "status", "check", "finding");
  for (const finding& f : fs) {
    errors += f.level == severity::error;
    warnings += f.level == severity::warning;
    o += fmt::format("{:<8} {:<16} {:<14} {}\n", severity_name(f.level), f.status, f.check, f.message);
  }
  o += fmt::format("{} findings: {} errors, {} warnings\n", fs.size(), errors, warnings);
  (void)m;
  return o;
}

}  // namespace zhibiao
