// Report templates: parse placeholders, look the numbers up in the rolled-up model, format them once.
#include <zhibiao/csv.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/unit.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

namespace zhibiao {

namespace {

struct place {
  std::size_t line, column;
};

// Positions of bytes in the template as 1-based line and character column. Placeholders are met in
// order, so each query continues from the previous one: a template with many missing values costs
// linear time, not quadratic.
class locator {
 public:
  explicit locator(std::string_view t) : t_(t) {}
  place operator()(std::size_t off) {
    if (off < k_) {
      k_ = 0;
      p_ = place{1, 1};
    }
    for (; k_ < off && k_ < t_.size(); ++k_) {
      if (t_[k_] == '\n') {
        ++p_.line;
        p_.column = 1;
      } else if ((static_cast<unsigned char>(t_[k_]) & 0xC0) != 0x80) {
        ++p_.column;
      }
    }
    return p_;
  }

 private:
  std::string_view t_;
  std::size_t k_ = 0;
  place p_{1, 1};
};

const target* find_target(const std::vector<target>& ts, region_id r, indicator_id i, int year) {
  const target* best = nullptr;
  for (const target& t : ts)
    if (t.region == r && t.indicator == i && t.when.year() == year &&
        (!best || (t.when.kind() == period_kind::year && best->when.kind() != period_kind::year)))
      best = &t;
  return best;
}

}  // namespace

report_result render_report(const model& m, std::string_view tmpl, region_id region, const period& p,
                            const std::vector<target>& targets, const std::string& file) {
  if (!m.rolled_up()) throw error(errc::state, "the roll-up is not current: call rollup() before rendering a report");
  // Text crosses the C ABI as UTF-8: a GBK template would come back as bytes no caller can decode.
  csv::check_utf8(tmpl, file);
  report_result out;
  const hierarchy& h = m.regions();
  const catalogue& cat = m.indicators();
  std::size_t k = 0;
  locator position(tmpl);
  auto fail = [&](std::size_t off, const std::string& why) {
    place at = position(off);
    throw load_error(location{file, at.line, at.column, {}}, why, errc::parse);
  };
  while (k < tmpl.size()) {
    char c = tmpl[k];
    if (c == '}') {
      if (k + 1 < tmpl.size() && tmpl[k + 1] == '}') {
        out.text += '}';
        k += 2;
        continue;
      }
      fail(k, "a lone '}' (write '}}' for a literal brace)");
    }
    if (c != '{') {
      out.text += c;
      ++k;
      continue;
    }
    if (k + 1 < tmpl.size() && tmpl[k + 1] == '{') {
      out.text += '{';
      k += 2;
      continue;
    }
    std::size_t close = tmpl.find('}', k + 1);
    std::size_t nl = tmpl.find('\n', k + 1);
    if (close == std::string_view::npos || (nl != std::string_view::npos && nl < close)) fail(k, "unterminated placeholder '{'");
    std::string_view body = tmpl.substr(k + 1, close - k - 1);
    const std::size_t at_off = k;
    k = close + 1;
    if (body.find('{') != std::string_view::npos) fail(at_off, "'{' inside a placeholder");
    if (body == "region") {
      out.text += h.name(region, p.serial());
      continue;
    }
    if (body == "period") {
      out.text += p.label_zh();
      continue;
    }
    // code[@where][:modifier[:decimals]]
    std::string_view code = body, where, mod, decs;
    bool has_where = false;
    if (auto colon = body.find(':'); colon != std::string_view::npos) {
      code = body.substr(0, colon);
      mod = body.substr(colon + 1);
      if (auto c2 = mod.find(':'); c2 != std::string_view::npos) {
        decs = mod.substr(c2 + 1);
        mod = mod.substr(0, c2);
      }
    }
    if (auto a = code.find('@'); a != std::string_view::npos) {
      where = code.substr(a + 1);
      has_where = true;
      code = code.substr(0, a);
    }
    if (code.empty()) fail(at_off, "empty placeholder");
    indicator_id i = cat.find(code);
    if (i == npos) fail(at_off, fmt::format("unknown indicator '{}' in placeholder {{{}}}", code, body));
    const indicator& ind = cat[i];
    // Where the value comes from: the report's region, another region, or a scope.
    region_id r = region;
    std::optional<std::size_t> scope_index;
    std::string where_name = h.name(region, p.serial());
    if (has_where) {  // `{code@}` names no region: an error, not the report's own region
      r = h.find(where);
      if (r == npos) {
        for (std::size_t s = 0; s < m.scopes().size(); ++s)
          if (m.scopes()[s].code == where) scope_index = s;
        if (!scope_index) fail(at_off, fmt::format("unknown region or scope '{}' in placeholder {{{}}}", where, body));
        where_name = m.scopes()[*scope_index].name;
        r = region;
      } else {
        where_name = h.name(r, p.serial());
      }
    }
    auto get = [&](const period& q) -> aggregate { return scope_index ? m.scope_value(*scope_index, q, i) : m.value(r, q, i); };
    auto missing = [&](const std::string& what) {
      place pos = position(at_off);
      out.text += "—";
      out.warnings.push_back(fmt::format("{}:{}:{}: {{{}}}: {} for {} {}", file, pos.line, pos.column, body, what, where_name,
                                         p.label_zh()));
    };
    int want_decimals = -1;
    if (!decs.empty()) {
      int d = 0;
      for (char ch : decs) {
        if (ch < '0' || ch > '9') fail(at_off, fmt::format("decimals must be a number in {{{}}}", body));
        d = d * 10 + (ch - '0');
        if (d > 9) fail(at_off, "at most 9 decimals");
      }
      want_decimals = d;
    }
    if (mod.empty()) {
      aggregate a = get(p);
      if (!a.value) {
        missing(fmt::format("no value ({} of {} reported)", a.reporting, a.expected));
        continue;
      }
      out.text += a.value->rescaled(want_decimals >= 0 ? want_decimals : ind.decimals, rounding::half_up).to_string();
      continue;
    }
    if (mod == "target" || mod == "completion" || mod == "progress") {
      // A scope has no target of its own (r is the report's region there, whose target is not the scope's).
      if (scope_index) fail(at_off, "targets are set for regions, not scopes");
      const target* t = find_target(targets, r, i, p.year());
      if (!t) {
        missing("no target");
        continue;
      }
      if (mod == "target") {
        int d = want_decimals >= 0 ? want_decimals : std::max(t->value.scale(), t->kind == target_kind::cap ? 1 : 0);
        out.text += t->value.rescaled(std::max(d, 0), rounding::half_up).to_string();
        continue;
      }
      aggregate a = get(p);
      if (!a.value) {
        missing(fmt::format("no value ({} of {} reported)", a.reporting, a.expected));
        continue;
      }
      if (t->value.is_zero()) {
        missing("a zero target has no completion rate");
        continue;
      }
      decimal comp = decimal::ratio(*a.value, t->value, want_decimals >= 0 ? want_decimals : 1, rounding::half_up, 100);
      if (mod == "completion") {
        out.text += comp.to_string();
        continue;
      }
      // progress: judged like the floor check, as of the report period's last month.
      check_options opt;
      opt.as_of = period::month(p.year(), p.last_month());
      opt.builtin = false;
      std::vector<target> one{*t};
      auto fs = evaluate(m, one, nullptr, opt);
      std::string word;
      for (const finding& f : fs) {
        if (f.check != "target") continue;
        word = f.status == "ahead" ? "快于序时进度" : f.status == "behind" ? "慢于序时进度"
             : f.status == "on_track" ? "与序时进度基本一致" : f.status == "exceeded" ? "超额完成"
             : f.status == "met" ? "完成" : f.status == "not_met" ? "未完成" : f.status == "pending" ? "年末考核" : "";
      }
      if (word.empty()) missing("no progress status");
      else out.text += word;
      continue;
    }
    if (mod == "yoy" || mod == "yoy_diff") {
      aggregate a = get(p), b = get(p.same_period_last_year());
      if (!a.value || !b.value) {
        missing(!a.value ? "no value" : "no value a year earlier");
        continue;
      }
      int d = want_decimals >= 0 ? want_decimals : ind.decimals;
      decimal diff = (*a.value - *b.value).rescaled(std::max(d, a.value->scale()), rounding::half_up).rescaled(d, rounding::half_up);
      if (mod == "yoy_diff") {
        out.text += (diff.sign() > 0 ? "+" : "") + diff.to_string();
        continue;
      }
      if (ind.kind == indicator_kind::ratio) {
        decimal ad = diff.sign() < 0 ? -diff : diff;
        out.text += diff.is_zero() ? std::string("持平") : fmt::format("{}{}个百分点", diff.sign() > 0 ? "上升" : "下降", ad.to_string());
      } else {
        if (b.value->is_zero()) {
          missing("no growth rate from a zero base");
          continue;
        }
        decimal g = decimal::ratio(*a.value - *b.value, *b.value, want_decimals >= 0 ? want_decimals : 1, rounding::half_up, 100);
        decimal ag = g.sign() < 0 ? -g : g;
        out.text += g.is_zero() ? std::string("持平") : fmt::format("{}{}%", g.sign() > 0 ? "增长" : "下降", ag.to_string());
      }
      continue;
    }
    if (mod == "coverage") {
      aggregate a = get(p);
      out.text += fmt::format("{}/{}", a.reporting, a.expected);
      continue;
    }
    // A unit: 万元, 亿元, 万人, or a bare prefix 万 / 亿 applied to the indicator's own unit.
    std::optional<unit> to = find_unit(mod);
    if (!to && (mod == "万" || mod == "亿")) {
      std::string sym = std::string(mod) + std::string(ind.unit.symbol);
      to = find_unit(sym);
      if (!to) fail(at_off, fmt::format("no unit {} for '{}'", sym, code));
    }
    if (!to) fail(at_off, fmt::format("unknown modifier '{}' in placeholder {{{}}} (expected a unit, target, completion, progress, "
                                      "yoy, yoy_diff or coverage)", mod, body));
    if (!convertible(ind.unit, *to))
      fail(at_off, fmt::format("cannot show '{}' ({}) in {}", code, ind.unit.symbol, to->symbol));
    aggregate a = get(p);
    if (!a.value) {
      missing(fmt::format("no value ({} of {} reported)", a.reporting, a.expected));
      continue;
    }
    decimal v = convert(*a.value, ind.unit, *to);
    int d = want_decimals >= 0 ? want_decimals : (to->exponent > ind.unit.exponent ? 2 : ind.decimals);
    out.text += v.rescaled(d, rounding::half_up).to_string();
  }
  return out;
}

}  // namespace zhibiao
