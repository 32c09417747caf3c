// Report templates: a scanner finds the placeholders, a resolver says what each one asks for, and one
// function per modifier formats the answer from the query API and the one target evaluation.
#include <zhibiao/csv.hpp>
#include <zhibiao/date.hpp>
#include <zhibiao/ranking.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/unit.hpp>

#include <fmt/format.h>

#include <algorithm>

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

// One placeholder as written: `code[@where][~start[..end]][:modifier[:decimals]]` (a ranking's third part is
// the level of the peers' common ancestor, `:rank:province`; a target's is the year whose target it reads,
// `:target:2022[:decimals]`, `:deadline:next`; `~2019-01` asks for the months since then), and where it stands.
struct placeholder {
  std::string_view body, code, where, mod, within;
  bool has_where = false;
  int decimals = -1;  // -1: the modifier's default
  std::size_t offset = 0;
  std::optional<period> since;    // `~start`: the months from the start through the report period's end
  std::optional<int> target_year;  // `:target:2022`: a later (or earlier) year's target, not the report year's
};

// Everything a modifier needs: the placeholder, its indicator, its place and the output.
// A ranking modifier: `rank` (higher first), `rank_low` (lower first), `completion_rank` (完成率), `yoy_rank`
// (同比), each with `_zh` for Chinese numerals (排名全省第三).
struct rank_modifier {
  rank_by by = rank_by::value;
  rank_order order = rank_order::higher_first;
  bool zh = false;
};

std::optional<rank_modifier> parse_rank_modifier(std::string_view mod) {
  rank_modifier r;
  if (mod.ends_with("_zh")) {
    r.zh = true;
    mod.remove_suffix(3);
  }
  if (mod == "rank") return r;
  if (mod == "rank_low") return r.order = rank_order::lower_first, r;
  if (mod == "completion_rank") return r.by = rank_by::completion, r;
  if (mod == "yoy_rank") return r.by = rank_by::change, r;
  return std::nullopt;
}

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
  void no_target(const resolved& r) {
    missing(r, r.ph.target_year ? fmt::format("no target for {}", *r.ph.target_year) : std::string("no target"));
  }
  void missing_value(const resolved& r, const aggregate& a) {
    missing(r, fmt::format("no value ({} of {} reported)", a.reporting, a.expected));
  }
  std::size_t scan_placeholder(std::size_t k);
  placeholder parse(std::string_view body, std::size_t offset);
  resolved resolve(const placeholder& ph);
  void render(const placeholder& ph);
  template <class F>
  void discarding_unless_active(F&& render_it);
  void control(std::string_view body, std::size_t offset);
  bool condition(std::string_view expr, std::size_t offset);
  bool atom(std::string_view a, std::size_t offset);
  bool compare(const placeholder& ph, std::string_view lhs, std::string_view op, std::string_view rhs, std::size_t offset);
  bool predicate(const resolved& r, std::string_view pred);
  std::vector<target_outcome> outcomes(const resolved& r, const target** t);
  std::optional<allocation_outcome> allocation(const resolved& r, const target** t);
  void render_allocation(const resolved& r);
  void render_status(const resolved& r);
  void render_missed(std::string_view list, std::size_t offset);
  std::string status_words(const resolved& r, const target& t, const std::vector<target_outcome>& os);
  void render_value(const resolved& r);
  void render_date(const resolved& r);
  void render_target(const resolved& r);
  void render_yoy(const resolved& r);
  void render_unit(const resolved& r);
  void render_rank(const resolved& r, const rank_modifier& how);
  int rank_of(const resolved& r, const rank_modifier& how, peer_standing* st = nullptr);
  void render_deadline(const resolved& r);
  void render_growth(const resolved& r);
  void render_period(std::string_view style, std::size_t offset);
  period since_period(std::string_view start, std::size_t offset);
  std::string_view parse_target_year(placeholder& ph, std::string_view rest);
  /// The year whose target a placeholder reads: its `:target:YEAR`, else the report period's.
  int target_year(const placeholder& ph) const { return ph.target_year.value_or(p_.year()); }
  /// Runs `f` with the report period replaced by the placeholder's `~start` span, if it has one.
  template <class F>
  auto at_period(const placeholder& ph, F&& f) {
    if (!ph.since) return f();
    struct restore {
      period& p;
      period kept;
      ~restore() { p = kept; }
    } guard{p_, p_};
    p_ = *ph.since;
    return f();
  }

  const model& m_;
  std::string_view tmpl_;
  region_id region_;
  period p_;
  const std::vector<target>& targets_;
  const std::string& file_;
  locator position_;
  report_result out_;
  std::optional<allocations> allocations_;  // indexed at the first {code:allocation}
  // Open {#if}s: whether the current branch renders, whether an earlier branch was taken, where it opened.
  struct branch {
    bool active, taken, enclosing_active;
    std::size_t offset;
  };
  std::vector<branch> branches_;
  bool active() const noexcept { return branches_.empty() || branches_.back().active; }
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
    if (c == '\n' && !active() && k > 0 && tmpl_[k - 1] == '}') {
      ++k;  // a line that only closed a skipped branch leaves no blank line behind
      continue;
    }
    if (c != '{') {
      if (active()) out_.text += c;
      ++k;
    } else if (k + 1 < tmpl_.size() && tmpl_[k + 1] == '{') {
      if (active()) out_.text += '{';
      k += 2;
    } else {
      k = scan_placeholder(k);
    }
  }
  if (!branches_.empty()) fail(branches_.back().offset, "{#if} without {/if}");
  return std::move(out_);
}

// `{…}` at k: renders it and returns the offset after its closing brace.
std::size_t renderer::scan_placeholder(std::size_t k) {
  std::size_t close = tmpl_.find('}', k + 1);
  std::size_t nl = tmpl_.find('\n', k + 1);
  if (close == std::string_view::npos || (nl != std::string_view::npos && nl < close)) fail(k, "unterminated placeholder '{'");
  std::string_view body = tmpl_.substr(k + 1, close - k - 1);
  if (body.find('{') != std::string_view::npos) fail(k, "'{' inside a placeholder");
  if (!body.empty() && (body[0] == '#' || body[0] == '/')) control(body, k);
  else if (body == "region") out_.text += active() ? m_.regions().name(region_, p_.serial()) : "";
  else if (body == "period") out_.text += active() ? p_.label_zh() : "";
  else if (body.starts_with("period:")) render_period(body.substr(7), k);
  else if (body.starts_with("period~")) {
    const std::string_view rest = body.substr(7);
    const std::size_t colon = rest.find(':');
    placeholder ph;
    ph.since = since_period(rest.substr(0, colon), k);
    at_period(ph, [&] {
      if (colon == std::string_view::npos) out_.text += active() ? p_.label_zh() : "";
      else render_period(rest.substr(colon + 1), k);
    });
  }
  else if (body.substr(0, 7) == "missed:") discarding_unless_active([&] { render_missed(body.substr(7), k); });
  else discarding_unless_active([&] {
    const placeholder ph = parse(body, k);
    at_period(ph, [&] { render(ph); });
  });
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
  if (auto tilde = ph.code.find('~'); tilde != std::string_view::npos) {
    ph.since = since_period(ph.code.substr(tilde + 1), offset);
    ph.code = ph.code.substr(0, tilde);
  }
  if (auto a = ph.code.find('@'); a != std::string_view::npos) {
    ph.where = ph.code.substr(a + 1);
    ph.has_where = true;  // `{code@}` names no region: an error, not the report's own region
    ph.code = ph.code.substr(0, a);
  }
  if (ph.code.empty()) fail(offset, "empty placeholder");
  if ((ph.mod == "target" || ph.mod == "deadline") && !decs.empty()) decs = parse_target_year(ph, decs);
  if (parse_rank_modifier(ph.mod)) {
    ph.within = decs;
    if (!decs.empty() && !parse_level(decs))
      fail(offset, fmt::format("unknown level '{}' in {{{}}} (the peers' common ancestor: province, city, county, …)", decs, body));
  } else if (!decs.empty()) {
    if (ph.mod == "deadline") fail(offset, fmt::format("a deadline takes a year, not decimals, in {{{}}}", body));
    if (decs.size() == 4 || decs == "next") fail(offset, fmt::format("a year goes with :target or :deadline, not in {{{}}}", body));
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

// `:target:2022`, `:target:next` (the report year + 1), `:deadline:2022`: the year whose target the placeholder
// reads (a plan year's target in this year's report); returns what follows it (decimals), or all of `rest`
// when it names no year (`:target:1` is decimals: a year has four digits).
std::string_view renderer::parse_target_year(placeholder& ph, std::string_view rest) {
  const std::string_view word = rest.substr(0, rest.find(':'));
  const bool digits = word.size() == 4 && std::all_of(word.begin(), word.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (word != "next" && !digits) return rest;
  ph.target_year = word == "next" ? p_.year() + 1 : std::stoi(std::string(word));
  return word.size() == rest.size() ? std::string_view() : rest.substr(word.size() + 1);
}

// `~2019-01` (or `~2019`, `~2019年1月`: any period, by its first month): the months from that start through
// the report period's last month, a span across years when need be (累计 since a start). `~2021-03..2021-11`
// ends at its own last month; a span the report period does not hold whole would speak of months the report
// has not reached, so it is refused like one that starts after the report.
period renderer::since_period(std::string_view start, std::size_t offset) {
  period from = period::month(p_.year(), 1);
  try {
    from = period::parse(start);
  } catch (const error& e) {
    fail(offset, fmt::format("'~{}': {}", start, e.what()));
  }
  if (from.first_serial() > p_.serial())
    fail(offset, fmt::format("'~{}' starts after the report period {} ends", start, p_.code()));
  if (start.find("..") == std::string_view::npos) return period::from_serials(from.first_serial(), p_.serial());
  if (from.serial() > p_.serial())
    fail(offset, fmt::format("'~{}' ends after the report period {} ends (its last month has no data yet)", start, p_.code()));
  return period::from_serials(from.first_serial(), from.serial());
}

resolved renderer::resolve(const placeholder& ph) {
  indicator_id i = m_.indicators().find(ph.code);
  if (i == npos) fail(ph.offset, fmt::format("unknown indicator '{}' in placeholder {{{}}}", ph.code, ph.body));
  place where{region_, std::nullopt};
  if (ph.has_where) {
    auto found = m_.find_place(ph.where);
    if (!found) fail(ph.offset, fmt::format("unknown region or scope '{}' in placeholder {{{}}}", ph.where, ph.body));
    where = *found;
  }
  return resolved{ph, i, m_.indicators()[i], where, m_.place_name(where, p_)};
}

// Renders a placeholder; in a branch that is not taken it is still checked (a typo fails the first time,
// not in the bad year), and its text and warnings are dropped.
template <class F>
void renderer::discarding_unless_active(F&& render_it) {
  if (active()) return render_it();
  report_result kept = std::move(out_);
  out_ = report_result{};
  try {
    render_it();
  } catch (...) {
    out_ = std::move(kept);
    throw;
  }
  out_ = std::move(kept);
}

void renderer::render(const placeholder& ph) {
  resolved r = resolve(ph);
  if (r.ind.is_date()) return render_date(r);
  if (ph.mod.empty() || ph.mod == "plain") render_value(r);
  else if (ph.mod == "status") render_status(r);
  else if (ph.mod == "target" || ph.mod == "completion" || ph.mod == "progress") render_target(r);
  else if (ph.mod == "yoy" || ph.mod == "yoy_diff") render_yoy(r);
  else if (ph.mod == "coverage") {
    aggregate a = m_.value(r.where, p_, r.id);
    out_.text += fmt::format("{}/{}", a.reporting, a.expected);
  } else if (auto how = parse_rank_modifier(ph.mod)) {
    render_rank(r, *how);
  } else if (ph.mod == "deadline") {
    render_deadline(r);
  } else if (ph.mod == "allocation") {
    render_allocation(r);
  } else if (ph.mod == "growth" || ph.mod == "to") {
    render_growth(r);
  } else {
    render_unit(r);
  }
}

// `{code}`: the value by the indicator's kind, rounded half-up once to its decimals (or those asked), worded
// with its qualifier (X多, 约X); `{code:plain}` is the number alone.
void renderer::render_value(const resolved& r) {
  aggregate a = m_.value(r.where, p_, r.id);
  if (!a.value) return missing_value(r, a);
  const std::string number = a.value->rescaled(r.ph.decimals >= 0 ? r.ph.decimals : r.ind.decimals, rounding::half_up).to_string();
  out_.text += r.ph.mod == "plain" ? number : qualified_text(number, a.qualifier);
  // A number built from partial reports (some leaves reported the period's last month, not all) says so,
  // unless the template shows its coverage. Nothing reported that month with a value still there is a
  // carried stock or an earlier month's flow, which coverage alone does not make partial.
  // A stock whose value holds earlier months' ends is not current either: it says how many.
  const bool partial = a.reporting > 0 && a.reporting < a.expected;
  if ((partial || a.carried > 0) && tmpl_.find(fmt::format("{}:coverage", r.ph.code)) == std::string_view::npos &&
      tmpl_.find(fmt::format("{}@{}:coverage", r.ph.code, r.ph.where)) == std::string_view::npos) {
    text_pos pos = position_(r.ph.offset);
    const std::string carried = a.carried ? fmt::format("{} carried from an earlier month", a.carried) : std::string();
    out_.warnings.push_back(partial ? fmt::format("{}:{}:{}: {{{}}}: partial: {} of {} reported for {} {}{}", file_, pos.line, pos.column,
                                                  r.ph.body, a.reporting, a.expected, r.where_name, p_.label_zh(),
                                                  carried.empty() ? "" : "; " + carried)
                                    : fmt::format("{}:{}:{}: {{{}}}: carried: {} of {} values are an earlier month's end for {} {}", file_,
                                                  pos.line, pos.column, r.ph.body, a.carried, a.expected, r.where_name, p_.label_zh()));
  }
}

// `{code}` of a date (日期) is the day as a report writes it, 2021年5月12日, and `{code:md}` the day without
// its year (5月12日); a date is never converted, compared with 同比, ranked or judged against a target.
void renderer::render_date(const resolved& r) {
  if (!(r.ph.mod.empty() || r.ph.mod == "md") || r.ph.decimals >= 0)
    fail(r.ph.offset, fmt::format("'{}' is a date (日期): write {{{}}} (2021年5月12日) or {{{}:md}} (5月12日), not {{{}}}", r.ph.code,
                                  r.ph.code, r.ph.code, r.ph.body));
  aggregate a = m_.value(r.where, p_, r.id);
  if (!a.value) return missing_value(r, a);
  const std::int64_t day = a.value->to_scaled_int64(0).value_or(0);
  out_.text += r.ph.mod == "md" ? date_month_day_zh(day) : date_zh(day);
}

// `{code:target}`, `{code:completion}`, `{code:progress}`: read from the one target evaluation.
void renderer::render_target(const resolved& r) {
  // A scope has its own targets (targets.csv names its code); the report region's target is not the scope's.
  const target* t = find_target(targets_, r.where, r.id, target_year(r.ph));
  if (!t) return no_target(r);
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
                                  "yoy, yoy_diff, growth, to, coverage, deadline, allocation, plain, rank, rank_low, completion_rank, yoy_rank or a _zh rank)",
                                  r.ph.mod, r.ph.body));
  if (!convertible(r.ind.unit, *to)) fail(r.ph.offset, fmt::format("cannot show '{}' ({}) in {}", r.ph.code, r.ind.unit.symbol, to->symbol));
  aggregate a = m_.value(r.where, p_, r.id);
  if (!a.value) return missing_value(r, a);
  decimal v = convert(*a.value, r.ind.unit, *to);
  int d = r.ph.decimals >= 0 ? r.ph.decimals : (to->exponent > r.ind.unit.exponent ? 2 : r.ind.decimals);
  out_.text += qualified_text(v.rescaled(d, rounding::half_up).to_string(), a.qualifier);
}

// The rank of the placeholder's region among the regions of its level under the common ancestor; 0 when
// it has no key (no value, no target) and so is unranked.
int renderer::rank_of(const resolved& r, const rank_modifier& how, peer_standing* st) {
  if (r.where.scope) fail(r.ph.offset, fmt::format("{{{}}}: a scope has no peers to rank among", r.ph.body));
  const std::optional<level> within = r.ph.within.empty() ? std::nullopt : parse_level(r.ph.within);
  const peer_standing s = standing(m_, targets_, r.where.region, p_, r.id, how.by, how.order, within);
  if (st) *st = s;
  return s.rank;
}

// `{code:rank}` 3, `{code:rank_zh}` 三: ties share a rank, the direction is the modifier's.
void renderer::render_rank(const resolved& r, const rank_modifier& how) {
  peer_standing s;
  const int rank = rank_of(r, how, &s);
  if (!rank) return missing(r, fmt::format("no rank ({} of {} peers ranked, not this one)", s.ranked, s.peers));
  out_.text += how.zh ? rank_numeral_zh(rank) : std::to_string(rank);
  // A rank among values built from partial reports may change when the rest report: say so, as for a value.
  if (s.partial > 0) {
    text_pos pos = position_(r.ph.offset);
    out_.warnings.push_back(fmt::format("{}:{}:{}: {{{}}}: partial: {} of the {} ranked peers are built from partial reports", file_, pos.line,
                                        pos.column, r.ph.body, s.partial, s.ranked));
  }
}

// `{code:deadline}`: the end of the region's target period as a deadline (6月底前, 年底前); with a year,
// `{code:deadline:2022}`, the deadline of that year's target says its year (2022年6月底前).
void renderer::render_deadline(const resolved& r) {
  const target* t = find_target(targets_, r.where, r.id, target_year(r.ph));
  if (!t) return no_target(r);
  out_.text += r.ph.target_year ? t->when.dated_deadline_zh() : t->when.deadline_zh();
}

// `{code:growth}`: the 同比 growth rate as a number (增幅约{code:growth}%); `{code:to}`: the value with the
// direction it moved, 提高至1900 / 降低至1700 / 保持1800, so a template never doubles a verb.
void renderer::render_growth(const resolved& r) {
  comparison c = m_.year_on_year(r.where, p_, r.id);
  if (!c.change) return missing(r, !c.current.value ? "no value" : "no value a year earlier");
  if (r.ph.mod == "growth") {
    if (c.is_ratio) fail(r.ph.offset, fmt::format("{{{}}}: a ratio has no growth rate (use :yoy, in 个百分点)", r.ph.body));
    std::optional<decimal> g = c.growth_at(r.ph.decimals >= 0 ? r.ph.decimals : 1);
    if (!g) return missing(r, "no growth rate from a zero base");
    out_.text += g->to_string();
    return;
  }
  const int d = r.ph.decimals >= 0 ? r.ph.decimals : r.ind.decimals;
  const std::string_view verb = c.change->sign() > 0 ? "提高至" : c.change->sign() < 0 ? "降低至" : "保持";
  out_.text += std::string(verb) + c.current.value->rescaled(d, rounding::half_up).to_string();
}

// `{period:year}` 2021年, `{period:months}` 1-9月, `{period:span}` 1月至9月, `{period:dated}` 2021年1月至2021年9月,
// `{period:asof}` 截至9月底; `{period~START[..END]:…}` the same of a span.
void renderer::render_period(std::string_view style, std::size_t offset) {
  std::string label;
  if (style == "year") label = std::to_string(p_.year()) + "年";
  else if (style == "months") label = p_.months_label_zh();
  else if (style == "span") label = p_.span_label_zh();
  else if (style == "dated") label = p_.dated_span_label_zh();
  else if (style == "asof") label = fmt::format("截至{}月底", p_.last_month());
  else fail(offset, fmt::format("unknown period label '{}' (expected year, months, span, dated or asof)", style));
  if (active()) out_.text += label;
}

// ---------------------------------------------------------------------------------------------
// Conditions: {#if EXPR} … {#elif EXPR} … {#else} … {/if}

void renderer::control(std::string_view body, std::size_t offset) {
  auto word_end = body.find(' ');
  std::string_view word = body.substr(0, word_end), rest = word_end == std::string_view::npos ? "" : body.substr(word_end + 1);
  if (word == "#if") {
    const bool enclosing = active();
    // A skipped branch still checks its condition's codes, so a typo fails the first time, not the bad year.
    const bool c = condition(rest, offset);
    branches_.push_back(branch{enclosing && c, c, enclosing, offset});
    return;
  }
  if (branches_.empty()) fail(offset, fmt::format("{{{}}} without {{#if}}", body));
  branch& b = branches_.back();
  if (word == "#elif") {
    const bool c = condition(rest, offset);
    b.active = b.enclosing_active && !b.taken && c;
    b.taken = b.taken || c;
  } else if (word == "#else" && rest.empty()) {
    b.active = b.enclosing_active && !b.taken;
    b.taken = true;
  } else if (word == "/if" && rest.empty()) {
    branches_.pop_back();
  } else {
    fail(offset, fmt::format("unknown control {{{}}} (expected #if, #elif, #else or /if)", body));
  }
}

// EXPR := TERM { and TERM } { or … }: `or` of `and`s, each TERM an optional `not` and an atom.
bool renderer::condition(std::string_view expr, std::size_t offset) {
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < expr.size();) {
    std::size_t j = expr.find(' ', i);
    if (j == std::string_view::npos) j = expr.size();
    if (j > i) words.push_back(expr.substr(i, j - i));
    i = j + 1;
  }
  if (words.empty()) fail(offset, "{#if} needs a condition");
  bool any = false, all = true, negate = false, expect_atom = true;
  for (std::size_t k = 0; k < words.size(); ++k) {
    std::string_view w = words[k];
    if (expect_atom && w == "not") {
      negate = !negate;
      continue;
    }
    if (expect_atom) {
      // An atom is one word, or three for a comparison (`code > 100`, `code:status == met`).
      std::string a(w);
      if (k + 2 < words.size() && (words[k + 1] == "==" || words[k + 1] == "!=" || words[k + 1] == "<" || words[k + 1] == "<=" ||
                                   words[k + 1] == ">" || words[k + 1] == ">=")) {
        a = fmt::format("{} {} {}", w, words[k + 1], words[k + 2]);
        k += 2;
      }
      all = all && (atom(a, offset) != negate);
      negate = false;
      expect_atom = false;
    } else if (w == "and") {
      expect_atom = true;
    } else if (w == "or") {
      any = any || all;
      all = true;
      expect_atom = true;
    } else {
      fail(offset, fmt::format("expected 'and' or 'or' in condition '{}', not '{}'", expr, w));
    }
  }
  if (expect_atom) fail(offset, fmt::format("condition '{}' ends without a test", expr));
  return any || all;
}

// One test: `code[@where]:PRED`, `all(a,b,…):PRED`, `any(a,b,…):PRED`, `code[:mod] OP NUMBER`,
// `code:status == NAME[,NAME…]`.
bool renderer::atom(std::string_view a, std::size_t offset) {
  if (a.substr(0, 4) == "all(" || a.substr(0, 4) == "any(") {
    const bool every = a[1] == 'l';
    std::size_t close = a.find(')');
    if (close == std::string_view::npos || close + 1 >= a.size() || a[close + 1] != ':')
      fail(offset, fmt::format("a group is written {}(code,code,…):predicate, not '{}'", every ? "all" : "any", a));
    std::string_view pred = a.substr(close + 2);
    bool result = every;
    for (std::string_view code : csv::split_terms(a.substr(4, close - 4), ",")) {
      placeholder ph = parse(code, offset);
      bool v = at_period(ph, [&] { return predicate(resolve(ph), pred); });
      result = every ? result && v : result || v;
    }
    return result;
  }
  std::size_t sp = a.find(' ');
  if (sp == std::string_view::npos) {
    std::size_t colon = a.rfind(':');
    if (colon == std::string_view::npos) fail(offset, fmt::format("a test is code:predicate or a comparison, not '{}'", a));
    placeholder ph = parse(a.substr(0, colon), offset);
    return at_period(ph, [&] { return predicate(resolve(ph), a.substr(colon + 1)); });
  }
  std::string_view lhs = a.substr(0, sp), rest = a.substr(sp + 1);
  std::string_view op = rest.substr(0, rest.find(' ')), rhs = rest.substr(rest.find(' ') + 1);
  const placeholder ph = parse(lhs, offset);
  return at_period(ph, [&] { return compare(ph, lhs, op, rhs, offset); });
}

// `code[:mod] OP NUMBER` or `code:status == NAME[,NAME…]`, at the placeholder's period.
bool renderer::compare(const placeholder& ph, std::string_view lhs, std::string_view op, std::string_view rhs, std::size_t offset) {
  resolved r = resolve(ph);
  if (r.ind.is_date())
    fail(offset, fmt::format("'{}' is a date (日期): it is not compared with a number (test {}:present)", ph.code, ph.code));
  if (ph.mod == "status") {
    if (op != "==" && op != "!=") fail(offset, "a status is compared with == or !=");
    const target* t = nullptr;
    std::vector<target_outcome> os = outcomes(r, &t);
    if (os.empty()) return op == "!=";
    bool hit = false;
    for (std::string_view name : csv::split_terms(rhs, ",")) {
      if (!status_from_name(name)) fail(offset, fmt::format("unknown status '{}'", name));
      hit = hit || os.back().status == name;
    }
    return (op == "==") == hit;
  }
  if (ph.mod == "allocation") {
    if (op != "==" && op != "!=") fail(offset, "an allocation is compared with == or !=");
    const target* t = nullptr;
    const std::optional<allocation_outcome> a = allocation(r, &t);
    bool hit = false;
    for (std::string_view name : csv::split_terms(rhs, ",")) {
      const std::optional<status> s = status_from_name(name);
      if (s != status::allocated && s != status::under_allocated && s != status::over_allocated)
        fail(offset, fmt::format("unknown allocation status '{}' (expected allocated, under_allocated or over_allocated)", name));
      hit = hit || (a && a->status == *s);
    }
    return a ? (op == "==") == hit : op == "!=";  // as for a status: nothing to judge is never == a name
  }
  std::optional<decimal> v;
  if (ph.mod.empty()) v = m_.value(r.where, p_, r.id).value;
  else if (ph.mod == "target") {
    if (const target* t = find_target(targets_, r.where, r.id, target_year(ph))) v = t->value;
  } else if (ph.mod == "completion") {
    const target* t = nullptr;
    std::vector<target_outcome> os = outcomes(r, &t);
    if (!os.empty()) v = os.back().completion;
  } else if (ph.mod == "yoy_diff") {
    v = m_.year_on_year(r.where, p_, r.id).change;
  } else if (auto how = parse_rank_modifier(ph.mod)) {
    if (const int rank = rank_of(r, *how)) v = decimal::parse(std::to_string(rank));
  } else {
    fail(offset, fmt::format("cannot compare '{}' (compare a value, :target, :completion, :yoy_diff or a rank)", lhs));
  }
  decimal x;
  try {
    x = decimal::parse(rhs);
  } catch (const error&) {
    fail(offset, fmt::format("'{}' is not a number to compare with", rhs));
  }
  if (!v) return false;  // a missing value satisfies no comparison: missing is never 0
  const auto c = *v <=> x;
  return op == "==" ? c == 0 : op == "!=" ? c != 0 : op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
}

// ok: judged and nothing found wrong; met: a floor done or on schedule (any other target: ok); exceeded; missed (not ok);
// breached: a cap, band or zero target broken; allocated: the children's floors add up to the region's (分解下达);
// present: a value; complete: a value every leaf reported; lower_bound, approximate: the value's qualifier.
bool renderer::predicate(const resolved& r, std::string_view pred) {
  if (pred == "present" || pred == "complete") {
    aggregate a = m_.value(r.where, p_, r.id);
    return a.value && (pred == "present" || a.reporting == a.expected);
  }
  // The value's qualifier as the roll-up carries it, for wording that puts it elsewhere than `{code}` does
  // ("{chains:plain}条{#if chains:lower_bound}以上{/if}").
  if (pred == "lower_bound" || pred == "approximate") {
    aggregate a = m_.value(r.where, p_, r.id);
    return a.value && a.qualifier == (pred == "lower_bound" ? qualifier::lower_bound : qualifier::approximate);
  }
  const target* t = nullptr;
  if (pred == "allocated") {
    const std::optional<allocation_outcome> a = allocation(r, &t);
    return a && a->status == status::allocated;
  }
  std::vector<target_outcome> os = outcomes(r, &t);
  auto all_info = [&] {
    if (os.empty()) return false;
    for (const target_outcome& o : os)
      if (o.level != severity::info) return false;
    return true;
  };
  auto any_of = [&](std::initializer_list<status> ss) {
    for (const target_outcome& o : os)
      for (status x : ss)
        if (o.status == x) return true;
    return false;
  };
  if (pred == "ok") return all_info();
  if (pred == "missed") return !all_info();
  if (pred == "exceeded") return !os.empty() && os.back().status == status::exceeded;
  // A floor is met when done at the end, or not behind before it (快于 / 符合序时进度, or judged at year end).
  if (pred == "met")
    return t && t->kind == target_kind::floor
               ? any_of({status::exceeded, status::met, status::ahead, status::on_track, status::pending})
               : all_info();
  if (pred == "breached") return any_of({status::breached, status::below, status::above, status::decreased});
  fail(r.ph.offset, fmt::format("unknown predicate '{}' (expected ok, met, exceeded, missed, breached, allocated, present, complete, lower_bound or approximate)", pred));
}

// The one evaluation of the region's target for this indicator, as of the report period's last month.
std::vector<target_outcome> renderer::outcomes(const resolved& r, const target** t) {
  // A scope's target is its own row in targets.csv, never the report region's.
  *t = find_target(targets_, r.where, r.id, p_.year());
  if (!*t) return {};
  return evaluate_target(m_, **t, period::month(p_.year(), p_.last_month()));
}

// The one allocation (分解下达) of the region's target for this indicator, as `zhibiao check` finds it.
std::optional<allocation_outcome> renderer::allocation(const resolved& r, const target** t) {
  *t = find_target(targets_, r.where, r.id, p_.year());
  if (!*t) return std::nullopt;
  if (!allocations_) allocations_.emplace(m_, targets_);
  return allocations_->of(**t);
}

// What a target is called in a sentence: 年度任务 for a whole year, else 任务.
std::string_view task_zh(const target& t) { return t.when.kind() == period_kind::year ? "年度任务" : "任务"; }

// `{code:allocation}`: 已全部分解下达, or 分解下达X，少于 / 超过年度任务Y in the indicator's unit and decimals.
void renderer::render_allocation(const resolved& r) {
  const target* t = nullptr;
  const std::optional<allocation_outcome> a = allocation(r, &t);
  if (!t) return missing(r, "no target");
  if (!a) return missing(r, "no allocation (分解下达): not a region's floor of a flow or stock, or no child has a target");
  if (a->status == status::allocated) {
    out_.text += "已全部分解下达";
    return;
  }
  // Decimals as asked, but never so few that the two numbers read the same (4.6万人，少于年度任务4.6万人).
  int d = std::max(r.ph.decimals >= 0 ? r.ph.decimals : r.ind.decimals, 0);
  while (a->allocated.rescaled(d, rounding::half_up) == a->expected.rescaled(d, rounding::half_up)) ++d;
  const std::string unit(r.ind.unit.symbol);
  out_.text += fmt::format("分解下达{}{}，{}{}{}{}", a->allocated.rescaled(d, rounding::half_up).to_string(), unit,
                           a->status == status::under_allocated ? "少于" : "超过", task_zh(*t),
                           a->expected.rescaled(d, rounding::half_up).to_string(), unit);
}

// ---------------------------------------------------------------------------------------------
// Status wording: every target kind in the words of a 工作总结, from the one evaluation

std::string renderer::status_words(const resolved& r, const target& t, const std::vector<target_outcome>& os) {
  const std::string unit(r.ind.unit.symbol);
  const std::string task(task_zh(t));
  const target_outcome& last = os.back();
  // No verdict from a qualified value, unless a cap or band was broken for certain in some month.
  constexpr std::string_view undecided = "数据为约数或下限，无法判定";
  if (last.status == status::approximate && t.kind != target_kind::cap && t.kind != target_kind::band) return std::string(undecided);
  std::string months;
  decimal worst;
  bool any_undecided = false;
  for (const target_outcome& o : os) {
    any_undecided = any_undecided || o.status == status::approximate;
    if (o.status == status::breached || o.status == status::below || o.status == status::above) {
      months += fmt::format("{}{}月", months.empty() ? "" : "、", o.when.last_month());
      if (o.margin && *o.margin > worst) worst = *o.margin;
    }
  }
  if (months.empty() && any_undecided) return std::string(undecided);
  switch (t.kind) {
    case target_kind::floor:
      if (r.ind.kind == indicator_kind::parameter) {
        const std::string goal = t.value.to_string() + unit;
        if (last.status == status::exceeded || last.status == status::met) return "达到" + goal + "的目标";
        return (last.status == status::pending ? "尚未达到" : "未达到") + goal + "的目标";
      }
      if (last.status == status::exceeded || last.status == status::met) return std::string(floor_words_zh(last.status)) + task;
      if (last.status == status::not_met) return fmt::format("未完成{}（完成率{}%）", task, last.completion->to_string());
      return last.status == status::on_track ? std::string("符合序时进度") : std::string(floor_words_zh(last.status));
    case target_kind::cap: {
      const bool rate = r.ind.unit.dim == dimension::ratio && r.ind.unit.exponent == -2;
      std::string cap = t.value.rescaled(std::max(t.value.scale(), 1)).to_string();
      if (months.empty()) return fmt::format("控制在{}{}以内", cap, unit);
      return fmt::format("超出控制线{}{}（{}）", worst.rescaled(std::max(worst.scale(), r.ind.decimals), rounding::half_up).to_string(),
                         rate ? "个百分点" : unit, months);
    }
    case target_kind::band:
      if (months.empty()) return fmt::format("保持在{}至{}{}之间", t.value.to_string(), t.upper->to_string(), unit);
      return fmt::format("超出{}至{}{}的区间（{}）", t.value.to_string(), t.upper->to_string(), unit, months);
    case target_kind::zero:
      if (last.status == status::met) return "未发生";
      return fmt::format("发生{}{}", last.actual.value->to_string(), unit);
    case target_kind::no_decrease: {
      comparison c = m_.year_on_year(r.where, last.when, r.id);
      if (!c.change || c.change->is_zero()) return "与上年同期持平";
      std::optional<decimal> g = c.growth_at(1);
      decimal ag = g ? (g->sign() < 0 ? -*g : *g) : decimal();
      return fmt::format("比上年同期{}{}%", c.change->sign() > 0 ? "增长" : "下降", ag.to_string());
    }
  }
  return {};
}

// `{code:status}`: what the check found, in words; missing (—, a warning) when it could not judge.
void renderer::render_status(const resolved& r) {
  const target* t = nullptr;
  std::vector<target_outcome> os = outcomes(r, &t);
  if (!t) return missing(r, "no target");
  if (os.empty()) return missing(r, "the target's period has not begun");
  for (const target_outcome& o : os)
    if (o.status == status::missing && t->kind != target_kind::cap && t->kind != target_kind::band) return missing_value(r, o.actual);
  if (os.back().status == status::missing) return missing_value(r, os.back().actual);
  out_.text += status_words(r, *t, os);
}

// `{missed:a,b,…}`: each listed target that is not met, named with its status ("“南粤家政”培训未完成
// 年度任务（完成率83.3%）"), joined by "，"; empty when every one is met.
void renderer::render_missed(std::string_view list, std::size_t offset) {
  std::string text;
  for (std::string_view code : csv::split_terms(list, ",")) {
    placeholder ph = parse(code, offset);
    resolved r = resolve(ph);
    if (predicate(r, "met")) continue;
    const target* t = nullptr;
    std::vector<target_outcome> os = outcomes(r, &t);
    if (!t || os.empty() || os.back().status == status::missing) {
      missing(r, "no value to judge its target");
      continue;
    }
    text += (text.empty() ? "" : "，") + r.ind.name + status_words(r, *t, os);
  }
  out_.text += text;
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
