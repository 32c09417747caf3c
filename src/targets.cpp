// Targets: targets.csv, and the one evaluation of a target that check findings and reports both read.
#include <zhibiao/csv.hpp>
#include <zhibiao/targets.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace zhibiao {

using rational = boost::multiprecision::cpp_rational;

namespace {

std::optional<target_kind> parse_target_kind(std::string_view s) {
  for (target_kind k : {target_kind::floor, target_kind::cap, target_kind::band, target_kind::zero, target_kind::no_decrease})
    if (target_kind_name(k) == s) return k;
  return std::nullopt;
}

// The columns of targets.csv, looked up once.
struct target_columns {
  int region, indicator, period, kind, value, upper, schedule, tolerance;
};

decimal parse_target_value(csv::reader& in, int col, const indicator& ind) {
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
}

// `a;b;…;100`: cumulative percentages, one per month of the target's period.
void parse_profile(csv::reader& in, int col, target& t) {
  std::string_view sch = in.get(col);
  t.schedule = schedule_kind::profile;
  std::size_t q = 0;
  while (q <= sch.size()) {
    std::size_t z = sch.find(';', q);
    if (z == std::string_view::npos) z = sch.size();
    try {
      t.profile.push_back(decimal::parse(sch.substr(q, z - q)));
    } catch (const error&) {
      in.fail(col, fmt::format("schedule must be empty, linear, year_end or cumulative percentages a;b;…, not '{}'", sch));
    }
    q = z + 1;
  }
  if (static_cast<int>(t.profile.size()) != t.when.month_count())
    in.fail(col, fmt::format("a schedule profile needs {} cumulative percentages (one per month), not {}", t.when.month_count(),
                             t.profile.size()));
  for (std::size_t j = 0; j < t.profile.size(); ++j)
    if (t.profile[j].sign() < 0 || (j && t.profile[j] < t.profile[j - 1]))
      in.fail(col, "schedule percentages must be non-negative and non-decreasing");
  if (t.profile.back() != decimal::from_int(100)) in.fail(col, "a schedule profile must end at 100");
}

// Region, indicator, period and kind: what identifies a target and what makes sense for its indicator.
void parse_target_head(csv::reader& in, const target_columns& c, const model& m, target& t) {
  t.line = in.line();
  // A region first, then a scope (scopes.csv keeps the two sets of codes apart).
  const std::optional<place> where = m.find_place(in.get(c.region));
  if (!where) in.fail(c.region, fmt::format("unknown region '{}' (nor a scope of scopes.csv)", in.get(c.region)));
  t.region = where->region;
  t.scope = where->scope;
  t.indicator = m.indicators().find(in.get(c.indicator));
  if (t.indicator == npos) in.fail(c.indicator, fmt::format("unknown indicator '{}'", in.get(c.indicator)));
  const indicator& ind = m.indicators()[t.indicator];
  if (ind.is_date())
    in.fail(c.indicator, fmt::format("'{}' is a date (日期): a day is in force, not a level to reach or stay within", ind.code));
  try {
    t.when = period::parse(in.get(c.period));
  } catch (const error& e) {
    in.fail(c.period, e.what());
  }
  // 序时进度 and the year's deadline are of one year: a target across years (a 累计 since a start) has neither.
  if (t.when.crosses_years()) in.fail(c.period, fmt::format("a target's period lies within one year; {} spans several", t.when.code()));
  if (t.when.kind() == period_kind::as_of) t.when = period::year_to_date(t.when.year(), t.when.last_month());
  auto k = parse_target_kind(in.get(c.kind));
  if (!k) in.fail(c.kind, fmt::format("unknown target kind '{}' (expected floor, cap, band, zero or no_decrease)", in.get(c.kind)));
  t.kind = *k;
  if (ind.kind == indicator_kind::parameter && t.kind == target_kind::zero)
    in.fail(c.kind, fmt::format("a zero target on '{}', a parameter, makes no sense (a parameter is a level in force, not a count of events)",
                                ind.code));
}

// Value, upper bound, schedule and tolerance, each checked against the kind.
void parse_target_terms(csv::reader& in, const target_columns& c, const indicator& ind, target& t) {
  if (t.kind != target_kind::no_decrease && in.get(c.value).empty()) in.fail(c.value, "a target needs a value");
  if (!in.get(c.value).empty()) t.value = parse_target_value(in, c.value, ind);
  if (t.kind == target_kind::zero && !t.value.is_zero()) in.fail(c.value, "a zero target has value 0");
  if (t.kind == target_kind::floor && t.value.sign() <= 0) in.fail(c.value, "a floor target must be positive");
  if (!in.get(c.upper).empty()) {
    if (t.kind != target_kind::band) in.fail(c.upper, "only a band has an upper bound");
    t.upper = parse_target_value(in, c.upper, ind);
    if (*t.upper < t.value)
      in.fail(c.upper, fmt::format("band lower bound {} is above its upper bound {}", t.value.to_string(), t.upper->to_string()));
  } else if (t.kind == target_kind::band) {
    in.fail(c.upper, "a band needs an upper bound");
  }
  std::string_view sch = in.get(c.schedule);
  if (sch == "year_end") t.schedule = schedule_kind::year_end;
  else if (sch == "linear" || sch.empty()) t.schedule = schedule_kind::linear;
  else parse_profile(in, c.schedule, t);
  if (t.schedule != schedule_kind::linear && t.kind != target_kind::floor) in.fail(c.schedule, "only a floor has a schedule");
  if (!in.get(c.tolerance).empty()) {
    try {
      t.tolerance = decimal::parse(in.get(c.tolerance));
    } catch (const error& e) {
      in.fail(c.tolerance, fmt::format("malformed tolerance: {}", e.what()));
    }
    if (t.tolerance.sign() < 0) in.fail(c.tolerance, "tolerance must not be negative");
  }
}

}  // namespace

// Stands for "no scope" in the duplicate-target key.
constexpr std::size_t npos_scope = static_cast<std::size_t>(-1);

std::vector<target> parse_targets(std::string_view text, const std::string& file, const model& m) {
  csv::reader in(text, file);
  in.require_plain_text();
  in.read_header({"region", "indicator", "period", "kind", "value"}, {"upper", "schedule", "tolerance"});
  const target_columns c{in.column("region"), in.column("indicator"), in.column("period"),   in.column("kind"),
                         in.column("value"),  in.column("upper"),     in.column("schedule"), in.column("tolerance")};
  std::vector<target> out;
  // (region, indicator, period) → line of the target; a scan of `out` per row would be quadratic.
  std::map<std::tuple<region_id, std::size_t, indicator_id, period>, std::size_t> first_line;
  while (in.next()) {
    target t;
    parse_target_head(in, c, m, t);
    parse_target_terms(in, c, m.indicators()[t.indicator], t);
    if (auto [it, fresh] = first_line.emplace(std::tuple{t.region, t.scope.value_or(npos_scope), t.indicator, t.when}, t.line); !fresh)
      in.fail(c.region, fmt::format("duplicate target for ({}, {}, {}) (first at line {})", in.get(c.region), in.get(c.indicator),
                                    in.get(c.period), it->second));
    out.push_back(std::move(t));
  }
  return out;
}

const target* find_target(const std::vector<target>& ts, region_id r, indicator_id i, int year) noexcept {
  return find_target(ts, place{r, std::nullopt}, i, year);
}

const target* find_target(const std::vector<target>& ts, const place& where, indicator_id i, int year) noexcept {
  const target* best = nullptr;
  for (const target& t : ts)
    if (t.where() == where && t.indicator == i && t.when.year() == year &&
        (!best || (t.when.kind() == period_kind::year && best->when.kind() != period_kind::year)))
      best = &t;
  return best;
}

namespace {

// Where a target is judged as of a month: the month M inside its period (or its last month once the
// period is over), and the period whose value is compared (1-M月 for a whole-year target).
struct judgement {
  int month = 0;
  period judged = period::year(2000);
  bool whole_year_span = false;
};

std::optional<judgement> judge_at(const target& t, const period& as_of) {
  if (as_of.year() < t.when.year() || (as_of.year() == t.when.year() && as_of.last_month() < t.when.first_month()))
    return std::nullopt;
  judgement j;
  j.month = as_of.year() > t.when.year() ? t.when.last_month() : std::min(as_of.last_month(), t.when.last_month());
  j.whole_year_span = t.when.first_month() == 1;
  j.judged = j.whole_year_span ? period::year_to_date(t.when.year(), j.month) : t.when;
  if (!j.whole_year_span && j.month < t.when.last_month()) return std::nullopt;  // a quarter or half-year is judged when it ends
  return j;
}

// An outcome for the value `a` of period `p`, compared with `expected`; the status is filled by the caller.
target_outcome outcome_of(const period& p, const aggregate& a, std::optional<decimal> expected) {
  target_outcome o;
  o.when = p;
  o.actual = a;
  o.expected = std::move(expected);
  return o;
}

target_outcome missing_outcome(const period& p, const aggregate& a, const target& t) {
  target_outcome o = outcome_of(p, a, t.value);
  o.status = status::missing;
  o.level = severity::warning;
  return o;
}

// A floor on a parameter (最低工资标准 提高至1900元): the level in force at the month is compared with the
// target; reached early is met, not yet reached is pending until the period's end (a level has no 序时进度).
target_outcome evaluate_parameter_floor(const model& m, const target& t, const judgement& j) {
  const period month = period::month(t.when.year(), j.month);
  aggregate a = m.value(t.where(), month, t.indicator);
  if (!a.value) return missing_outcome(month, a, t);
  target_outcome o = outcome_of(month, a, t.value);
  const rational actual = a.value->to_rational(), goal = t.value.to_rational();
  o.completion_exact = actual / goal * 100;
  o.completion = decimal::from_rational(*o.completion_exact, 1);
  o.final = j.month == t.when.last_month();
  const bool reached = actual >= goal;
  o.status = reached ? (actual > goal ? status::exceeded : status::met) : o.final ? status::not_met : status::pending;
  o.level = o.status == status::not_met ? severity::error : severity::info;
  return o;
}

target_outcome evaluate_floor(const model& m, const target& t, const judgement& j) {
  if (m.indicators()[t.indicator].kind == indicator_kind::parameter) return evaluate_parameter_floor(m, t, j);
  aggregate a = m.value(t.where(), j.judged, t.indicator);
  if (!a.value) return missing_outcome(j.judged, a, t);
  target_outcome o = outcome_of(j.judged, a, t.value);
  const rational actual = a.value->to_rational(), goal = t.value.to_rational();
  o.completion_exact = actual / goal * 100;
  o.completion = decimal::from_rational(*o.completion_exact, 1);
  o.final = j.month == t.when.last_month();
  if (o.final) {
    o.status = actual > goal ? status::exceeded : actual == goal ? status::met : status::not_met;
    o.level = actual >= goal ? severity::info : severity::error;
    return o;
  }
  if (t.schedule == schedule_kind::year_end) {
    o.status = status::pending;
    return o;
  }
  const int elapsed = j.month - t.when.first_month() + 1;
  const rational share = t.schedule == schedule_kind::profile ? t.profile[static_cast<std::size_t>(elapsed - 1)].to_rational()
                                                              : rational(elapsed * 100) / t.when.month_count();
  o.progress = decimal::from_rational(share, 1);
  const rational tol = t.tolerance.to_rational();
  o.status = *o.completion_exact > share + tol ? status::ahead : *o.completion_exact < share - tol ? status::behind : status::on_track;
  o.level = o.status == status::behind ? severity::warning : severity::info;
  if (share > 0) o.projected = decimal::from_rational(actual * 100 / share, m.indicators()[t.indicator].decimals);
  return o;
}

// Caps and bands hold at every month, not pro-rated: the value as of each month end.
std::vector<target_outcome> evaluate_bounds(const model& m, const target& t, const judgement& j) {
  const indicator& ind = m.indicators()[t.indicator];
  std::vector<target_outcome> out;
  for (int mo = t.when.first_month(); mo <= j.month; ++mo) {
    period p = j.whole_year_span ? period::year_to_date(t.when.year(), mo) : period::month(t.when.year(), mo);
    if (ind.kind == indicator_kind::flow && !j.whole_year_span) p = period::month(t.when.year(), mo);
    aggregate a = m.value(t.where(), p, t.indicator);
    if (!a.value) {
      out.push_back(missing_outcome(p, a, t));
      continue;
    }
    target_outcome o = outcome_of(p, a, t.value);
    const decimal& v = *a.value;
    if (t.kind == target_kind::cap) {
      const bool ok = v <= t.value;
      o.status = ok ? status::within : status::breached;
      o.level = ok ? severity::info : severity::error;
      o.margin = ok ? t.value - v : v - t.value;
    } else {
      o.base = t.upper;
      o.status = v < t.value ? status::below : v > *t.upper ? status::above : status::within;
      o.level = o.status == status::within ? severity::info : severity::error;
    }
    out.push_back(std::move(o));
  }
  return out;
}

target_outcome evaluate_zero(const model& m, const target& t, const judgement& j) {
  aggregate a = m.value(t.where(), j.judged, t.indicator);
  if (!a.value) return missing_outcome(j.judged, a, t);
  target_outcome o = outcome_of(j.judged, a, decimal());
  const bool ok = a.value->is_zero();
  o.status = ok ? status::met : status::breached;
  o.level = ok ? severity::info : severity::error;
  return o;
}

// A verdict on a qualified value stands only when the true value cannot change it: a lower bound (XX多) that
// already reaches a floor, or already breaks a cap, band top or zero target, does; the verdict the true value
// could overturn, and any verdict on an approximate value (约) or against a qualified base, is `approximate`.
target_outcome qualified(target_outcome o, const target& t, qualifier base = qualifier::none) {
  const qualifier q = o.actual.qualifier;
  if (o.status == status::missing || (q == qualifier::none && base == qualifier::none)) return o;
  bool stands = q != qualifier::approximate && base == qualifier::none;
  switch (t.kind) {
    case target_kind::floor:
      stands = stands && (o.status == status::exceeded || o.status == status::met || o.status == status::ahead ||
                          o.status == status::on_track || o.status == status::pending);
      break;
    case target_kind::cap:
    case target_kind::zero: stands = stands && o.status == status::breached; break;
    case target_kind::band: stands = stands && o.status == status::above; break;
    case target_kind::no_decrease: stands = stands && o.status == status::met; break;
  }
  if (!stands) {
    o.status = status::approximate;
    o.level = severity::warning;
  }
  return o;
}

target_outcome evaluate_no_decrease(const model& m, const target& t, const judgement& j) {
  aggregate a = m.value(t.where(), j.judged, t.indicator);
  aggregate b = m.value(t.where(), j.judged.same_period_last_year(), t.indicator);
  if (!a.value) return missing_outcome(j.judged, a, t);
  if (!b.value) return missing_outcome(j.judged.same_period_last_year(), b, t);
  target_outcome o = outcome_of(j.judged, a, b.value);
  o.base = b.value;
  const bool ok = *a.value >= *b.value;
  o.status = ok ? status::met : status::decreased;
  o.level = ok ? severity::info : severity::warning;
  return qualified(std::move(o), t, b.qualifier);
}

}  // namespace

std::vector<target_outcome> evaluate_target(const model& m, const target& t, const period& as_of) {
  std::optional<judgement> j = judge_at(t, as_of);
  if (!j) return {};
  switch (t.kind) {
    case target_kind::floor: return {qualified(evaluate_floor(m, t, *j), t)};
    case target_kind::cap:
    case target_kind::band: {
      std::vector<target_outcome> os = evaluate_bounds(m, t, *j);
      for (target_outcome& o : os) o = qualified(std::move(o), t);
      return os;
    }
    case target_kind::zero: return {qualified(evaluate_zero(m, t, *j), t)};
    case target_kind::no_decrease: return {evaluate_no_decrease(m, t, *j)};
  }
  return {};
}

}  // namespace zhibiao
