// Targets and checks: read the rolled-up model, compare, and say what it means in a sentence.
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace zhibiao {

period last_month_with_data(const model& m) { return m.last_month_with_data(); }

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

// The sentence of a floor outcome: 完成率, and 序时进度 before the period's end.
std::string floor_message(const model& m, const target& t, const target_outcome& o, const std::string& rname) {
  const indicator& ind = m.indicators()[t.indicator];
  if (ind.kind == indicator_kind::parameter) {  // a level in force, reached or not: no 完成率 or 序时进度 in words
    const bool reached = o.status == status::exceeded || o.status == status::met;
    return fmt::format("{} {} {} {}{}，目标{}{}（{}）：{}", rname, o.when.label_zh(), ind.name, o.actual.value->to_string(), unit_text(ind),
                       t.value.to_string(), unit_text(ind), t.when.deadline_zh(),
                       reached ? "已达到" : o.status == status::pending ? "尚未达到" : "未达到");
  }
  std::string head = fmt::format("{} {} {} {}{}，完成{}目标{}{}的{}%", rname, o.when.label_zh(), ind.name, o.actual.value->to_string(),
                                 unit_text(ind), t.when.label_zh(), t.value.to_string(), unit_text(ind), o.completion->to_string());
  if (o.final) return head + "：" + std::string(floor_words_zh(o.status));
  if (o.status == status::pending) return head + "（年末考核）";
  return fmt::format("{}，序时进度{}%，{}，预计全年{}{}", head, o.progress->to_string(), floor_words_zh(o.status), show(o.projected),
                     unit_text(ind));
}

// The sentence of a cap or band outcome for one month.
std::string bounds_message(const model& m, const target& t, const target_outcome& o, const std::string& rname) {
  const indicator& ind = m.indicators()[t.indicator];
  const decimal& v = *o.actual.value;
  if (t.kind == target_kind::cap) {
    const bool ok = o.status == status::within;
    std::string cap_text = t.value.rescaled(std::max(t.value.scale(), ind.decimals)).to_string();
    return fmt::format("{} {} {} {}{} {} 控制线 {}{}：{}", rname, o.when.label_zh(), ind.name, v.to_string(), unit_text(ind),
                       ok ? "≤" : ">", cap_text, unit_text(ind),
                       ok ? fmt::format("达标（余{}{}）", o.margin->to_string(), margin_unit(ind))
                          : fmt::format("超标（超出{}{}）", o.margin->to_string(), margin_unit(ind)));
  }
  return fmt::format("{} {} {} {}{}，区间 [{}, {}]：{}", rname, o.when.label_zh(), ind.name, v.to_string(), unit_text(ind),
                     t.value.to_string(), t.upper->to_string(),
                     o.status == status::below ? "低于下限" : o.status == status::above ? "高于上限" : "在区间内");
}

std::string outcome_message(const model& m, const target& t, const target_outcome& o, const std::string& rname) {
  const indicator& ind = m.indicators()[t.indicator];
  if (o.status == status::missing)
    return fmt::format("{} {} {}：无数据（{}/{} 上报），无法判断目标（{}）", rname, o.when.label_zh(), ind.name, o.actual.reporting,
                       o.actual.expected, target_kind_name(t.kind));
  if (o.status == status::approximate)
    return fmt::format("{} {} {} {}{}，目标{}{}：{}，无法确定是否达到目标（{}）", rname, o.when.label_zh(), ind.name,
                       qualified_text(o.actual.value->to_string(), o.actual.qualifier), unit_text(ind), show(o.expected), unit_text(ind),
                       o.actual.qualifier == qualifier::lower_bound ? "数值为下限"
                       : o.actual.qualifier == qualifier::approximate ? "数值为约数"
                                                                    : "上年同期值含约数或下限",
                       target_kind_name(t.kind));
  switch (t.kind) {
    case target_kind::floor: return floor_message(m, t, o, rname);
    case target_kind::cap:
    case target_kind::band: return bounds_message(m, t, o, rname);
    case target_kind::zero:
      return fmt::format("{} {} {} {}{}：{}", rname, o.when.label_zh(), ind.name, o.actual.value->to_string(), unit_text(ind),
                         o.status == status::met ? "未发生，达标" : "发生，未达标");
    case target_kind::no_decrease:
      return fmt::format("{} {} {} {}{}，上年同期{}{}：{}", rname, o.when.label_zh(), ind.name, o.actual.value->to_string(),
                         unit_text(ind), o.base->to_string(), unit_text(ind),
                         o.status == status::met ? std::string("不低于上年同期")
                                                 : fmt::format("比上年同期减少{}{}", (*o.base - *o.actual.value).to_string(), unit_text(ind)));
  }
  return {};
}

void check_target(ctx& c, const target& t, const period& as_of) {
  const std::string& rname = c.m.place_name(t.where(), as_of);
  for (const target_outcome& o : evaluate_target(c.m, t, as_of)) {
    finding f;
    f.kind = check_kind::target;
    f.check = std::string(check_kind_name(check_kind::target));
    f.subject = c.m.indicators()[t.indicator].code;
    f.region = t.region;
    f.scope = t.scope;
    f.when = o.when;
    f.level = o.level;
    f.status = o.status;
    f.actual = o.actual.value;
    f.expected = o.expected;
    f.completion = o.completion;
    f.progress = o.progress;
    f.projected = o.projected;
    f.margin = o.margin;
    f.message = outcome_message(c.m, t, o, rname);
    c.out.push_back(std::move(f));
  }
}

void check_allocation(ctx& c, const std::vector<target>& targets, const period& as_of) {
  const model& m = c.m;
  const allocations index(m, targets);
  for (const target& parent : targets) {
    const std::optional<allocation_outcome> a = index.of(parent);
    if (!a) continue;
    const indicator& ind = m.indicators()[parent.indicator];
    finding f;
    f.kind = check_kind::allocation;
    f.check = std::string(check_kind_name(f.kind));
    f.subject = ind.code;
    f.region = parent.region;
    f.when = parent.when;
    f.actual = a->allocated;
    f.expected = a->expected;
    f.status = a->status;
    f.level = a->status == status::under_allocated ? severity::warning : severity::info;
    f.message = fmt::format("{} {} {} 目标{}{}，下级目标合计{}{}（{}/{} 个下级有目标）：{}", m.regions().name(parent.region, as_of.serial()),
                            parent.when.label_zh(), ind.name, a->expected.to_string(), unit_text(ind), a->allocated.to_string(),
                            unit_text(ind), a->with_target, a->children,
                            a->status == status::under_allocated ? fmt::format("分解不足，差{}{}", (a->expected - a->allocated).to_string(), unit_text(ind))
                            : a->status == status::allocated     ? std::string("分解一致")
                                                                 : fmt::format("超额分解{}{}", (a->allocated - a->expected).to_string(), unit_text(ind)));
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
      if (res.passed && !res.approximate && !passes) continue;
      finding f;
      f.kind = check_kind::rule;
      f.check = r.name;
      f.subject = r.text;
      f.region = reg;
      f.when = p;
      f.actual = res.left;
      f.expected = res.right;
      f.level = res.approximate ? std::min(r.level, severity::warning) : res.passed ? severity::info : r.level;
      f.status = res.division_by_zero ? status::division_by_zero
                 : res.approximate    ? status::approximate
                 : res.passed         ? status::pass
                                      : status::fail;
      f.message = res.division_by_zero
                      ? fmt::format("{} {} 规则 {}（{}）：除数为零，无法判断", m.regions().name(reg, p.serial()), p.label_zh(), r.name, r.text)
                      : fmt::format("{} {} 规则 {}（{}）：左边 {}，右边 {}，{}", m.regions().name(reg, p.serial()), p.label_zh(),
                                    r.name, r.text, show(res.left), show(res.right),
                                    res.approximate ? "含约数或下限，无法确定是否成立" : res.passed ? "成立" : "不成立");
      c.out.push_back(std::move(f));
    }
  }
}

// `v` of indicator `from` in the unit of `to`: exact, so 35 人 compares with 1.20 万人 as 0.0035 万人.
decimal in_unit_of(const decimal& v, const indicator& from, const indicator& to) {
  return from.unit == to.unit ? v : convert(v, from.unit, to.unit);
}

// A value with its unit, and in the whole's unit when that differs: `35人（0.0035万人）`.
std::string with_units(const decimal& v, const indicator& ind, const indicator& whole) {
  std::string s = v.to_string() + unit_text(ind);
  if (!(ind.unit == whole.unit)) s += "（" + in_unit_of(v, ind, whole).to_string() + unit_text(whole) + "）";
  return s;
}

// A finding of a built-in relation at one region and period.
using builtin_emit = std::function<void(check_kind, const std::string&, bool, bool, std::optional<decimal>, std::optional<decimal>,
                                        const std::string&)>;

// 其中: the part at most the whole, compared in the whole's unit.
void check_part_of(const model& m, region_id reg, const period& p, indicator_id i, const std::string& rname, const builtin_emit& emit) {
  const catalogue& cat = m.indicators();
  const indicator &ind = cat[i], &w = cat[ind.part_of];
  aggregate part = m.value(reg, p, i), whole = m.value(reg, p, ind.part_of);
  if (!part.value || !whole.value) return;
  const decimal converted = in_unit_of(*part.value, ind, w);
  const bool ok = converted <= *whole.value;
  emit(check_kind::part_of, ind.code + " <= " + w.code, ok, verdict_certain(ok, "<=", difference_bound(part.qualifier, whole.qualifier)),
       converted, whole.value,
       fmt::format("{} {} 其中 {} {} {} {} {}{}", rname, p.label_zh(), ind.name, with_units(*part.value, ind, w), ok ? "≤" : ">", w.name,
                   whole.value->to_string(), unit_text(w)));
}

// The parts of a whole summed in the whole's unit, against it (≤ or =); nothing when any is missing.
void check_parts(const model& m, region_id reg, const period& p, indicator_id i, const std::vector<indicator_id>& parts,
                 const std::string& rname, const builtin_emit& emit) {
  const catalogue& cat = m.indicators();
  const indicator& ind = cat[i];
  aggregate whole = m.value(reg, p, i);
  decimal sum;
  qualifier sum_q = qualifier::none;
  bool all = whole.value.has_value();
  std::string names;
  for (indicator_id part : parts) {
    aggregate a = m.value(reg, p, part);
    if (!a.value) all = false;
    else sum += in_unit_of(*a.value, cat[part], ind);
    sum_q = combine(sum_q, a.qualifier);
    names += (names.empty() ? "" : " + ") + cat[part].code;
  }
  if (!all) return;
  const bool le = ind.parts == parts_rule::le, ok = le ? sum <= *whole.value : sum == *whole.value;
  emit(check_kind::parts, names + (le ? " <= " : " == ") + ind.code, ok,
       verdict_certain(ok, le ? "<=" : "==", difference_bound(sum_q, whole.qualifier)), sum, whole.value,
       fmt::format("{} {} {} 各项合计 {}{} {} {} {}{}", rname, p.label_zh(), ind.name, sum.to_string(), unit_text(ind),
                   ok ? (le ? "≤" : "=") : (le ? ">" : "≠"), ind.name, whole.value->to_string(), unit_text(ind)));
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
    const builtin_emit emit = [&](check_kind kind, const std::string& subject, bool ok, bool certain, std::optional<decimal> actual,
                                  std::optional<decimal> expected, const std::string& msg) {
      if (ok && certain && !passes) return;
      finding f;
      f.kind = kind;
      f.check = std::string(check_kind_name(kind));
      f.subject = subject;
      f.region = reg;
      f.when = p;
      f.level = !certain ? severity::warning : ok ? severity::info : severity::error;
      f.status = !certain ? status::approximate : ok ? status::pass : status::fail;
      f.actual = std::move(actual);
      f.expected = std::move(expected);
      f.message = certain ? msg : msg + "（含约数或下限，无法确定）";
      c.out.push_back(std::move(f));
    };
    for (std::size_t i = 0; i < cat.size(); ++i) {
      const auto id = static_cast<indicator_id>(i);
      const indicator& ind = cat[id];
      if (ind.part_of != npos) check_part_of(m, reg, p, id, rname, emit);
      if (ind.parts != parts_rule::none) check_parts(m, reg, p, id, parts_of[i], rname, emit);
      if (ind.is_share()) {
        aggregate a = m.value(reg, p, id);
        if (a.value) {
          bool ok = a.value->sign() >= 0 && *a.value <= decimal::from_int(ind.factor);
          emit(check_kind::share, ind.code + " within 0.." + std::to_string(ind.factor), ok,
               verdict_certain(ok, "<=", difference_bound(a.qualifier, qualifier::none)), a.value, decimal::from_int(ind.factor),
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
    f.kind = check_kind::reconcile;
    f.check = std::string(check_kind_name(f.kind));
    f.subject = ind.code;
    f.region = rc.region;
    f.when = rc.when;
    f.level = severity::warning;
    f.status = status::differs;
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
    o += fmt::format("{},{},{},{},{},{},{},{},{}\n", csv::quote(f.check), csv::quote(f.subject), csv::quote(m.place_code(f.where())),
                     f.when.code(), severity_name(f.level), status_name(f.status), f.actual ? f.actual->to_string() : "",
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
                     k ? "," : "", json_string(f.check), json_string(f.subject), json_string(m.place_code(f.where())),
                     json_string(m.place_name(f.where(), f.when)), json_string(f.when.code()),
                     json_string(severity_name(f.level)), json_string(status_name(f.status)), num(f.actual), num(f.expected),
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
    o += fmt::format("{:<8} {:<16} {:<14} {}\n", severity_name(f.level), status_name(f.status), f.check, f.message);
  }
  o += fmt::format("{} findings: {} errors, {} warnings\n", fs.size(), errors, warnings);
  (void)m;
  return o;
}

}  // namespace zhibiao
