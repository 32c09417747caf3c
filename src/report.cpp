// Report templates: a scanner finds the placeholders, a resolver says what each one asks for, and one
// function per modifier formats the answer from the query API and the one target evaluation.
#include <zhibiao/csv.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/unit.hpp>

#include <fmt/format.h>

namespace zhibiao {

namespace {

struct text_pos {
  std::size_t line, column;
};

// Positions of bytes in the template as 1-based line and character column. Placeholders are met in
// order, so each query continues from the previous one: a template with many missing values costs
// linear time, not quadratic.
class locator {
 public:
  explicit locator(std::string_view t) : t_(t) {}
  text_pos operator()(std::size_t off) {
    if (off < k_) {
      k_ = 0;
      p_ = text_pos{1, 1};
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
  text_pos p_{1, 1};
};

// One placeholder as written: `code[@where][:modifier[:decimals]]`, and where it stands.
struct placeholder {
  std::string_view body, code, where, mod;
  bool has_where = false;
  int decimals = -1;  // -1: the modifier's default
  std::size_t offset = 0;
};

// Everything a modifier needs: the placeholder, its indicator, its place and the output.
struct resolved {
  const placeholder& ph;
  indicator_id id;
  const indicator& ind;
  place where;
  std::string where_name;
};

class renderer {
 public:
  renderer(const model& m, std::string_view tmpl, region_id region, const period& p, const std::vector<target>& targets,
           const std::string& file)
      : m_(m), tmpl_(tmpl), region_(region), p_(p), targets_(targets), file_(file), position_(tmpl) {}

  report_result run();

 private:
  [[noreturn]] void fail(std::size_t off, const std::string& why) {
    text_pos at = position_(off);
    throw load_error(location{file_, at.line, at.column, {}}, why, errc::parse);
  }
  void missing(const resolved& r, const std::string& what) {
    text_pos pos = position_(r.ph.offset);
    out_.text += "—";
    out_.warnings.push_back(fmt::format("{}:{}:{}: {{{}}}: {} for {} {}", file_, pos.line, pos.column, r.ph.body, what, r.where_name,
                                        p_.label_zh()));
  }
  void missing_value(const resolved& r, const aggregate& a) {
    missing(r, fmt::format("no value ({} of {} reported)", a.reporting, a.expected));
  }
  std::size_t scan_placeholder(std::size_t k);
  placeholder parse(std::string_view body, std::size_t offset);
  void render(const placeholder& ph);
  void render_value(const resolved& r);
  void render_target(const resolved& r);
  void render_yoy(const resolved& r);
  void render_unit(const resolved& r);

  const model& m_;
  std::string_view tmpl_;
  region_id region_;
  period p_;
  const std::vector<target>& targets_;
  const std::string& file_;
  locator position_;
  report_result out_;
};

report_result renderer::run() {
  std::size_t k = 0;
  while (k < tmpl_.size()) {
    const char c = tmpl_[k];
    if (c == '}') {
      if (k + 1 < tmpl_.size() && tmpl_[k + 1] == '}') {
        out_.text += '}';
        k += 2;
        continue;
      }
      fail(k, "a lone '}' (write '}}' for a literal brace)");
    }
    if (c != '{') {
      out_.text += c;
      ++k;
    } else if (k + 1 < tmpl_.size() && tmpl_[k + 1] == '{') {
      out_.text += '{';
      k += 2;
    } else {
      k = scan_placeholder(k);
    }
  }
  return std::move(out_);
}

// `{…}` at k: renders it and returns the offset after its closing brace.
std::size_t renderer::scan_placeholder(std::size_t k) {
  std::size_t close = tmpl_.find('}', k + 1);
  std::size_t nl = tmpl_.find('\n', k + 1);
  if (close == std::string_view::npos || (nl != std::string_view::npos && nl < close)) fail(k, "unterminated placeholder '{'");
  std::string_view body = tmpl_.substr(k + 1, close - k - 1);
  if (body.find('{') != std::string_view::npos) fail(k, "'{' inside a placeholder");
  if (body == "region") out_.text += m_.regions().name(region_, p_.serial());
  else if (body == "period") out_.text += p_.label_zh();
  else render(parse(body, k));
  return close + 1;
}

placeholder renderer::parse(std::string_view body, std::size_t offset) {
  placeholder ph;
  ph.body = body;
  ph.offset = offset;
  ph.code = body;
  std::string_view decs;
  if (auto colon = body.find(':'); colon != std::string_view::npos) {
    ph.code = body.substr(0, colon);
    ph.mod = body.substr(colon + 1);
    if (auto c2 = ph.mod.find(':'); c2 != std::string_view::npos) {
      decs = ph.mod.substr(c2 + 1);
      ph.mod = ph.mod.substr(0, c2);
    }
  }
  if (auto a = ph.code.find('@'); a != std::string_view::npos) {
    ph.where = ph.code.substr(a + 1);
    ph.has_where = true;  // `{code@}` names no region: an error, not the report's own region
    ph.code = ph.code.substr(0, a);
  }
  if (ph.code.empty()) fail(offset, "empty placeholder");
  if (!decs.empty()) {
    int d = 0;
    for (char ch : decs) {
      if (ch < '0' || ch > '9') fail(offset, fmt::format("decimals must be a number in {{{}}}", body));
      d = d * 10 + (ch - '0');
      if (d > 9) fail(offset, "at most 9 decimals");
    }
    ph.decimals = d;
  }
  return ph;
}

void renderer::render(const placeholder& ph) {
  indicator_id i = m_.indicators().find(ph.code);
  if (i == npos) fail(ph.offset, fmt::format("unknown indicator '{}' in placeholder {{{}}}", ph.code, ph.body));
  place where{region_, std::nullopt};
  if (ph.has_where) {
    auto found = m_.find_place(ph.where);
    if (!found) fail(ph.offset, fmt::format("unknown region or scope '{}' in placeholder {{{}}}", ph.where, ph.body));
    where = *found;
  }
  resolved r{ph, i, m_.indicators()[i], where, m_.place_name(where, p_)};
  if (ph.mod.empty()) render_value(r);
  else if (ph.mod == "target" || ph.mod == "completion" || ph.mod == "progress") render_target(r);
  else if (ph.mod == "yoy" || ph.mod == "yoy_diff") render_yoy(r);
  else if (ph.mod == "coverage") {
    aggregate a = m_.value(r.where, p_, r.id);
    out_.text += fmt::format("{}/{}", a.reporting, a.expected);
  } else {
    render_unit(r);
  }
}

// `{code}`: the value by the indicator's kind, rounded half-up once to its decimals (or those asked).
void renderer::render_value(const resolved& r) {
  aggregate a = m_.value(r.where, p_, r.id);
  if (!a.value) return missing_value(r, a);
  out_.text += a.value->rescaled(r.ph.decimals >= 0 ? r.ph.decimals : r.ind.decimals, rounding::half_up).to_string();
}

// `{code:target}`, `{code:completion}`, `{code:progress}`: read from the one target evaluation.
void renderer::render_target(const resolved& r) {
  // A scope has its own targets (targets.csv names its code); the report region's target is not the scope's.
  const target* t = find_target(targets_, r.where, r.id, p_.year());
  if (!t) return missing(r, "no target");
  if (r.ph.mod == "target") {
    int d = r.ph.decimals >= 0 ? r.ph.decimals : std::max(t->value.scale(), t->kind == target_kind::cap ? 1 : 0);
    out_.text += t->value.rescaled(std::max(d, 0), rounding::half_up).to_string();
    return;
  }
  // Judged as of the report period's last month, like the check.
  std::vector<target_outcome> outcomes = evaluate_target(m_, *t, period::month(p_.year(), p_.last_month()));
  const target_outcome* o = outcomes.empty() ? nullptr : &outcomes.back();
  if (o && o->status == status::missing) return missing_value(r, o->actual);
  if (r.ph.mod == "completion") {
    if (!o || !o->completion_exact) {
      if (t->kind == target_kind::zero) return missing(r, "a zero target has no completion rate");
      return missing(r, "no completion rate");
    }
    out_.text += r.ph.decimals >= 0 ? decimal::from_rational(*o->completion_exact, r.ph.decimals).to_string() : o->completion->to_string();
    return;
  }
  std::string_view words = o ? floor_words_zh(o->status) : std::string_view();
  if (words.empty() || t->kind != target_kind::floor) return missing(r, "no progress status");
  out_.text += words;
}

// `{code:yoy}` in words (上升0.28个百分点 for a ratio, 增长5.3% otherwise), `{code:yoy_diff}` signed.
void renderer::render_yoy(const resolved& r) {
  comparison c = m_.year_on_year(r.where, p_, r.id);
  if (!c.change) return missing(r, !c.current.value ? "no value" : "no value a year earlier");
  int d = r.ph.decimals >= 0 ? r.ph.decimals : r.ind.decimals;
  decimal diff = c.change->rescaled(std::max(d, c.current.value->scale()), rounding::half_up).rescaled(d, rounding::half_up);
  if (r.ph.mod == "yoy_diff") {
    out_.text += (diff.sign() > 0 ? "+" : "") + diff.to_string();
    return;
  }
  if (c.is_ratio) {
    decimal ad = diff.sign() < 0 ? -diff : diff;
    out_.text += diff.is_zero() ? std::string("持平") : fmt::format("{}{}个百分点", diff.sign() > 0 ? "上升" : "下降", ad.to_string());
    return;
  }
  std::optional<decimal> g = c.growth_at(r.ph.decimals >= 0 ? r.ph.decimals : 1);
  if (!g) return missing(r, "no growth rate from a zero base");
  decimal ag = g->sign() < 0 ? -*g : *g;
  out_.text += g->is_zero() ? std::string("持平") : fmt::format("{}{}%", g->sign() > 0 ? "增长" : "下降", ag.to_string());
}

// `{code:万元}`, `{code:万人:1}`, or a bare prefix 万 / 亿 on the indicator's own unit.
void renderer::render_unit(const resolved& r) {
  std::optional<unit> to = find_unit(r.ph.mod);
  if (!to && (r.ph.mod == "万" || r.ph.mod == "亿")) {
    std::string sym = std::string(r.ph.mod) + std::string(r.ind.unit.symbol);
    to = find_unit(sym);
    if (!to) fail(r.ph.offset, fmt::format("no unit {} for '{}'", sym, r.ph.code));
  }
  if (!to)
    fail(r.ph.offset, fmt::format("unknown modifier '{}' in placeholder {{{}}} (expected a unit, target, completion, progress, "
                                  "yoy, yoy_diff or coverage)",
                                  r.ph.mod, r.ph.body));
  if (!convertible(r.ind.unit, *to)) fail(r.ph.offset, fmt::format("cannot show '{}' ({}) in {}", r.ph.code, r.ind.unit.symbol, to->symbol));
  aggregate a = m_.value(r.where, p_, r.id);
  if (!a.value) return missing_value(r, a);
  decimal v = convert(*a.value, r.ind.unit, *to);
  int d = r.ph.decimals >= 0 ? r.ph.decimals : (to->exponent > r.ind.unit.exponent ? 2 : r.ind.decimals);
  out_.text += v.rescaled(d, rounding::half_up).to_string();
}

}  // namespace

report_result render_report(const model& m, std::string_view tmpl, region_id region, const period& p,
                            const std::vector<target>& targets, const std::string& file) {
  if (!m.rolled_up()) throw error(errc::state, "the roll-up is not current: call rollup() before rendering a report");
  // Text crosses the C ABI as UTF-8: a GBK template would come back as bytes no caller can decode.
  csv::check_utf8(tmpl, file);
  csv::check_plain_text(tmpl, file);
  return renderer(m, tmpl, region, p, targets, file).run();
}

}  // namespace zhibiao
