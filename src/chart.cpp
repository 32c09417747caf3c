// Charts as hand-written SVG. Positions are worked out in exact rationals and written at 0.1 px, so a value
// of 0 lands exactly on the axis and a line at M/12 of a target is exactly there; numbers in labels are
// rounded half-up once, at the indicator's decimals.
#include <zhibiao/chart.hpp>
#include <zhibiao/ranking.hpp>
#include <zhibiao/table.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace zhibiao {

namespace {

using rational = boost::multiprecision::cpp_rational;
using boost::multiprecision::cpp_int;

// Chinese faces first: a browser without them falls back to whatever sans-serif face it has.
constexpr std::string_view font_family =
    "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei','WenQuanYi Zen Hei',SimSun,sans-serif";

constexpr std::string_view blue = "#1f5fbf", orange = "#e07b00", grey = "#6b6b6b", red = "#c62828", light = "#e3e3e3";

// A pixel position at 0.1 px.
std::string px(const rational& r) { return decimal::from_rational(r, 1).to_string(); }

rational floor_of(const rational& r) {
  cpp_int n = numerator(r), d = denominator(r), q = n / d;
  if (n % d != 0 && n < 0) --q;
  return rational(q);
}

rational ceil_of(const rational& r) { return -floor_of(-r); }

// A value axis from `lo` (0 unless something is negative) to a round `hi`, in 1, 2 or 5 × 10^k steps.
struct value_axis {
  rational lo, hi, step;
  int decimals = 0;           // of the tick labels
  rational top, bottom;       // pixels of hi and lo (vertical axes), or left and right (horizontal ones)
  rational at(const rational& v) const { return bottom + (v - lo) * (top - bottom) / (hi - lo); }
};

value_axis make_axis(const rational& data_lo, const rational& data_hi, const rational& px_lo, const rational& px_hi) {
  value_axis a;
  a.top = px_hi;
  a.bottom = px_lo;
  rational lo = std::min(data_lo, rational(0)), hi = std::max(data_hi, rational(0));
  rational span = hi - lo;
  if (span == 0) span = 1;
  for (int k = -9; k <= 30; ++k) {
    rational p10 = k >= 0 ? rational(boost::multiprecision::pow(cpp_int(10), k))
                          : rational(1, boost::multiprecision::pow(cpp_int(10), -k));
    for (int mul : {1, 2, 5}) {
      rational step = p10 * mul;
      if (span <= step * 5) {
        a.step = step;
        a.decimals = std::max(0, -k);
        a.lo = floor_of(lo / step) * step;
        a.hi = std::max(rational(ceil_of(hi / step) * step), rational(a.lo + step));
        return a;
      }
    }
  }
  throw error(errc::overflow, "a chart value too large for an axis");
}

std::string fmt_value(const decimal& v, int decimals) { return v.rescaled(decimals, rounding::half_up).to_string(); }

// The months of a year as the x axis: month m at the centre of the m-th of 12 equal slots.
struct month_axis {
  rational left, right;
  rational at(int month) const { return left + (right - left) * (2 * month - 1) / 24; }
};

// The frame every chart shares: a title, a summary line, a legend, then the plot.
struct frame {
  int width = 640, height = 330;
  int left = 64, right = 600, top = 84, bottom = 290;
};

class svg {
 public:
  svg(const frame& f, std::string_view title) : f_(f) {
    out_ = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
                       "font-family=\"{2}\" font-size=\"12\" role=\"img\">\n<title>{3}</title>\n"
                       "<rect class=\"background\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
                       "<text class=\"chart-title\" x=\"{4}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" "
                       "font-weight=\"bold\">{3}</text>\n",
                       f.width, f.height, font_family, xml_escape(title), f.width / 2);
  }
  void summary(std::string_view text) {
    out_ += fmt::format("<text class=\"summary\" x=\"{}\" y=\"42\" text-anchor=\"middle\" fill=\"#333333\">{}</text>\n", f_.width / 2,
                        xml_escape(text));
  }
  // A legend entry: a short line (dashed or not) or a square, then its text; entries run left to right.
  void legend(std::string_view color, std::string_view text, bool dashed = false, bool square = false) {
    int x = legend_x_, y = 62;
    if (square)
      out_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>", x, y - 10, color);
    else
      out_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>", x, y - 4, x + 20, y - 4,
                          color, dashed ? " stroke-dasharray=\"5 3\"" : "");
    out_ += fmt::format("<text class=\"legend\" x=\"{}\" y=\"{}\">{}</text>\n", x + 26, y, xml_escape(text));
    legend_x_ += 26 + static_cast<int>(display_width(text)) * 6 + 18;
  }
  void raw(std::string_view s) { out_ += s; }
  std::string finish() { return std::move(out_) + "</svg>\n"; }
  const frame& geometry() const { return f_; }

 private:
  frame f_;
  std::string out_;
  int legend_x_ = 64;
};

// Horizontal grid lines and tick labels of a vertical value axis, the zero line as `axis`, the unit on top.
void draw_value_axis(svg& s, const value_axis& a, std::string_view unit) {
  const frame& f = s.geometry();
  for (rational v = a.lo; v <= a.hi; v += a.step) {
    std::string y = px(a.at(v));
    s.raw(fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>"
                      "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>\n",
                      f.left, y, f.right, y, light, f.left - 6, px(a.at(v) + 4), grey,
                      decimal::from_rational(v, a.decimals).to_string()));
  }
  std::string y0 = px(a.at(0));
  s.raw(fmt::format("<line class=\"axis\" data-value=\"0\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\"/>\n", f.left, y0,
                    f.right, y0));
  s.raw(fmt::format("<text class=\"unit\" x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">（{}）</text>\n", f.left - 6, f.top - 10,
                    grey, xml_escape(unit)));
}

void draw_month_labels(svg& s, const month_axis& x) {
  const frame& f = s.geometry();
  for (int mo = 1; mo <= 12; ++mo)
    s.raw(fmt::format("<text class=\"month\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}月</text>\n", px(x.at(mo)),
                      f.bottom + 18, grey, mo));
}

// One value per month (index 0 = January); nullopt where nothing was reported.
using month_series = std::vector<std::optional<decimal>>;

// A line through the months that have a value: a missing month breaks it (a new `M`), it is never drawn as 0.
void draw_line(svg& s, const month_series& v, const month_axis& x, const value_axis& y, std::string_view cls, std::string_view color,
               bool dashed) {
  std::string d;
  bool pen = false;
  for (int mo = 1; mo <= static_cast<int>(v.size()); ++mo) {
    const auto& val = v[static_cast<std::size_t>(mo - 1)];
    if (!val) {
      pen = false;
      continue;
    }
    d += fmt::format("{}{} {} ", pen ? "L" : "M", px(x.at(mo)), px(y.at(val->to_rational())));
    pen = true;
  }
  if (d.empty()) return;
  d.pop_back();
  s.raw(fmt::format("<path class=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", cls, d, color,
                    dashed ? " stroke-dasharray=\"5 3\"" : ""));
}

// A dot per month with a value, its tooltip saying the month and the number with its unit.
void draw_points(svg& s, const month_series& v, const month_axis& x, const value_axis& y, const indicator& ind, std::string_view cls,
                 std::string_view color, std::string_view what, const std::vector<bool>& flagged = {}) {
  for (int mo = 1; mo <= static_cast<int>(v.size()); ++mo) {
    const auto& val = v[static_cast<std::size_t>(mo - 1)];
    if (!val) continue;
    bool flag = static_cast<std::size_t>(mo - 1) < flagged.size() && flagged[static_cast<std::size_t>(mo - 1)];
    std::string text = fmt_value(*val, ind.decimals);
    s.raw(fmt::format("<circle class=\"{}{}\" data-month=\"{}\" data-value=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\">"
                      "<title>{}月 {}：{}{}</title></circle>\n",
                      cls, flag ? " breach" : "", mo, text, px(x.at(mo)), px(y.at(val->to_rational())), flag ? "5" : "3.5",
                      flag ? red : color, mo, xml_escape(what), text, xml_escape(ind.unit.symbol)));
  }
}

// A small 无数据 under each month up to `through` that has no value, so a gap reads as "not reported".
void draw_missing(svg& s, const month_series& v, const month_axis& x, int through) {
  for (int mo = 1; mo <= through && mo <= static_cast<int>(v.size()); ++mo)
    if (!v[static_cast<std::size_t>(mo - 1)])
      s.raw(fmt::format("<text class=\"missing\" data-month=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" "
                        "fill=\"{}\">无数据</text>\n",
                        mo, px(x.at(mo)), s.geometry().bottom - 6, red));
}

// A horizontal reference line (target, cap) with its label at one end (the left one where a rising
// cumulative line would run through it).
void draw_level(svg& s, const value_axis& y, const rational& v, std::string_view cls, std::string_view color, std::string_view label,
                std::string_view value_text, bool label_left = false) {
  const frame& f = s.geometry();
  std::string yy = px(y.at(v));
  s.raw(fmt::format("<line class=\"{}\" data-value=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\" "
                    "stroke-dasharray=\"6 4\"><title>{}</title></line>"
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"{}\">{}</text>\n",
                    cls, value_text, f.left, yy, f.right, yy, color, xml_escape(label), label_left ? f.left + 4 : f.right,
                    px(y.at(v) - 4), label_left ? "start" : "end", color, xml_escape(label)));
}

// The as-of month: a vertical line with 截至M月.
void draw_as_of(svg& s, const month_axis& x, int month) {
  const frame& f = s.geometry();
  std::string xx = px(x.at(month));
  s.raw(fmt::format("<line class=\"asof\" data-month=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-dasharray=\"2 3\"/>"
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">截至{}月</text>\n",
                    month, xx, f.top, xx, f.bottom, grey, xx, f.top - 6, grey, month));
}

std::string name_of(const model& m, region_id r, const period& p) { return m.regions().name(r, p.serial()); }

const target& require_target(const model& m, const std::vector<target>& targets, region_id r, indicator_id i, int year,
                             target_kind kind) {
  const target* t = find_target(targets, r, i, year);
  if (!t || t->kind != kind)
    throw error(errc::not_found, fmt::format("no {} target for {} ({}) {} in {}", target_kind_name(kind), m.regions()[r].code,
                                             m.regions().name(r), m.indicators()[i].code, year));
  return *t;
}

// 序时进度 of a floor by month `mo` as an exact share in %, as evaluate_target defines it; nullopt for year_end.
std::optional<rational> schedule_share(const target& t, int mo) {
  if (t.schedule == schedule_kind::year_end) return std::nullopt;
  int elapsed = mo - t.when.first_month() + 1;
  if (elapsed < 1 || mo > t.when.last_month()) return std::nullopt;
  if (t.schedule == schedule_kind::profile) return t.profile[static_cast<std::size_t>(elapsed - 1)].to_rational();
  return rational(elapsed * 100, t.when.month_count());
}

rational max_of(const month_series& v, rational start) {
  for (const auto& x : v)
    if (x) start = std::max(start, x->to_rational());
  return start;
}

rational min_of(const month_series& v) {
  rational lo = 0;
  for (const auto& x : v)
    if (x) lo = std::min(lo, x->to_rational());
  return lo;
}

std::string progress_summary(const indicator& ind, const target& t, const target_outcome& o) {
  if (!o.actual.value) return fmt::format("{}无数据（{}/{}报送）", o.when.label_zh(), o.actual.reporting, o.actual.expected);
  std::string s = fmt::format("{}累计{}{}，完成目标{}{}的{}%", o.when.label_zh(), fmt_value(*o.actual.value, ind.decimals),
                              ind.unit.symbol, t.value.to_string(), ind.unit.symbol, o.completion ? o.completion->to_string() : "—");
  if (o.progress) s += fmt::format("，序时进度{}%", o.progress->to_string());
  if (!floor_words_zh(o.status).empty()) s += fmt::format("，{}", floor_words_zh(o.status));
  return s;
}

}  // namespace

std::string_view chart_kind_name(chart_kind k) noexcept {
  switch (k) {
    case chart_kind::progress: return "progress";
    case chart_kind::cap: return "cap";
    case chart_kind::peers: return "peers";
    case chart_kind::yoy: return "yoy";
  }
  return "unknown";
}

std::optional<chart_kind> parse_chart_kind(std::string_view name) noexcept {
  for (chart_kind k : {chart_kind::progress, chart_kind::cap, chart_kind::peers, chart_kind::yoy})
    if (chart_kind_name(k) == name) return k;
  return std::nullopt;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string progress_chart(const model& m, const std::vector<target>& targets, region_id region, const period& p,
                           indicator_id indicator) {
  const zhibiao::indicator& ind = m.indicators()[indicator];
  const target& t = require_target(m, targets, region, indicator, p.year(), target_kind::floor);
  const int as_of = std::min(p.last_month(), t.when.last_month());
  month_series actual(12), plan(12);
  target_outcome last;
  for (int mo = t.when.first_month(); mo <= as_of; ++mo) {
    std::vector<target_outcome> os = evaluate_target(m, t, period::month(p.year(), mo));
    if (os.empty()) continue;
    actual[static_cast<std::size_t>(mo - 1)] = os.back().actual.value;
    last = os.back();
  }
  rational hi = max_of(actual, t.value.to_rational());
  svg s(frame{}, fmt::format("{}{}年{}目标完成进度", name_of(m, region, p), p.year(), ind.name));
  s.summary(progress_summary(ind, t, last));
  const frame& f = s.geometry();
  value_axis y = make_axis(min_of(actual), hi, f.bottom, f.top);
  month_axis x{f.left, f.right};
  s.legend(blue, fmt::format("{}（逐月累计）", ind.name));
  if (t.schedule != schedule_kind::year_end) s.legend(orange, "序时进度", true);
  s.legend(grey, "年度目标", true);
  draw_value_axis(s, y, ind.unit.symbol);
  draw_month_labels(s, x);
  std::string value_text = t.value.to_string();
  draw_level(s, y, t.value.to_rational(), "target", grey, fmt::format("目标{}{}", value_text, ind.unit.symbol), value_text, true);
  std::string points;
  for (int mo = t.when.first_month(); mo <= t.when.last_month(); ++mo)
    if (auto share = schedule_share(t, mo))
      points += fmt::format("{}{},{}", points.empty() ? "" : " ", px(x.at(mo)), px(y.at(t.value.to_rational() * *share / 100)));
  if (!points.empty())
    s.raw(fmt::format("<polyline class=\"schedule\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" "
                      "stroke-dasharray=\"5 3\"><title>序时进度</title></polyline>\n",
                      points, orange));
  draw_as_of(s, x, as_of);
  draw_missing(s, actual, x, as_of);
  draw_line(s, actual, x, y, "actual", blue, false);
  draw_points(s, actual, x, y, ind, "point", blue, fmt::format("累计{}", ind.name));
  return s.finish();
}

std::string cap_chart(const model& m, const std::vector<target>& targets, region_id region, const period& p, indicator_id indicator) {
  const zhibiao::indicator& ind = m.indicators()[indicator];
  const target& t = require_target(m, targets, region, indicator, p.year(), target_kind::cap);
  month_series actual(12);
  std::vector<bool> breached(12, false);
  int breaches = 0, last_month = 0;
  for (const target_outcome& o : evaluate_target(m, t, period::month(p.year(), p.last_month()))) {
    auto k = static_cast<std::size_t>(o.when.last_month() - 1);
    actual[k] = o.actual.value;
    breached[k] = o.status == status::breached;
    breaches += breached[k] ? 1 : 0;
    last_month = std::max(last_month, o.when.last_month());
  }
  const std::string cap_text = t.value.rescaled(std::max(t.value.scale(), 1)).to_string();
  svg s(frame{}, fmt::format("{}{}年{}（上限{}{}）", name_of(m, region, p), p.year(), ind.name, cap_text, ind.unit.symbol));
  const auto& now = last_month ? actual[static_cast<std::size_t>(last_month - 1)] : std::nullopt;
  std::string summary = now ? fmt::format("截至{}月底{}{}", last_month, fmt_value(*now, ind.decimals), ind.unit.symbol)
                            : fmt::format("{}月无数据", std::max(last_month, 1));
  summary += breaches ? fmt::format("，{}个月超过上限", breaches) : fmt::format("，各月均控制在{}{}以内", cap_text, ind.unit.symbol);
  s.summary(summary);
  const frame& f = s.geometry();
  value_axis y = make_axis(min_of(actual), max_of(actual, t.value.to_rational()), f.bottom, f.top);
  month_axis x{f.left, f.right};
  s.legend(blue, ind.name);
  s.legend(red, "上限", true);
  s.legend(red, "超过上限的月份", false, true);
  draw_value_axis(s, y, ind.unit.symbol);
  draw_month_labels(s, x);
  draw_level(s, y, t.value.to_rational(), "cap", red, fmt::format("上限{}{}", cap_text, ind.unit.symbol), t.value.to_string());
  if (last_month) draw_as_of(s, x, last_month);
  draw_missing(s, actual, x, last_month);
  draw_line(s, actual, x, y, "actual", blue, false);
  draw_points(s, actual, x, y, ind, "point", blue, ind.name, breached);
  return s.finish();
}

std::vector<peer_rank> rank_peers(const model& m, const std::vector<target>& targets, region_id parent, const period& p,
                                  indicator_id indicator) {
  const tree& tr = m.regions().at(p.serial());
  const period as_of = period::month(p.year(), p.last_month());
  std::vector<peer_rank> out;
  for (auto k = tr.child_begin[static_cast<std::size_t>(parent)]; k < tr.child_begin[static_cast<std::size_t>(parent) + 1]; ++k) {
    peer_rank r;
    r.region = tr.children[static_cast<std::size_t>(k)];
    const target* t = find_target(targets, r.region, indicator, p.year());
    r.has_target = t && t->kind == target_kind::floor;
    if (r.has_target) {
      std::vector<target_outcome> os = evaluate_target(m, *t, as_of);
      if (!os.empty()) {
        r.status = os.back().status;
        r.completion_exact = os.back().completion_exact;
        r.completion = os.back().completion;
      }
    }
    out.push_back(std::move(r));
  }
  std::vector<ranked_region> order;
  for (const peer_rank& r : out) order.push_back(ranked_region{r.region, r.completion_exact, 0, false});
  competition_rank(m, order, rank_order::higher_first);
  std::vector<peer_rank> sorted;
  for (const ranked_region& o : order) {
    auto it = std::find_if(out.begin(), out.end(), [&](const peer_rank& r) { return r.region == o.region; });
    it->rank = o.rank;
    sorted.push_back(std::move(*it));
  }
  out = std::move(sorted);
  return out;
}

namespace {

// The 序时进度 peers are judged against: the parent's own floor target, or else the first child's.
std::optional<rational> peers_schedule(const std::vector<target>& targets, region_id parent,
                                       const std::vector<peer_rank>& ranks, const period& p, indicator_id indicator) {
  const target* t = find_target(targets, parent, indicator, p.year());
  for (std::size_t k = 0; (!t || t->kind != target_kind::floor) && k < ranks.size(); ++k)
    t = find_target(targets, ranks[k].region, indicator, p.year());
  if (!t || t->kind != target_kind::floor) return std::nullopt;
  return schedule_share(*t, std::min(p.last_month(), t->when.last_month()));
}

void draw_peer_bar(svg& s, const model& m, const peer_rank& r, const value_axis& xa, int row_y, bool highlight, const period& p) {
  const std::string name = xml_escape(name_of(m, r.region, p));
  const std::string code = xml_escape(m.regions()[r.region].code);
  const frame& f = s.geometry();
  s.raw(fmt::format("<text class=\"peer-name\" x=\"{}\" y=\"{}\" text-anchor=\"end\"{}>{} {}</text>", f.left - 8, row_y + 13,
                    highlight ? " font-weight=\"bold\"" : "", r.rank ? std::to_string(r.rank) : "—", name));
  if (!r.completion_exact) {
    s.raw(fmt::format("<text class=\"no-data\" data-region=\"{}\" x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>\n", code, f.left + 4,
                      row_y + 13, grey, r.has_target ? "无数据" : "无目标"));
    return;
  }
  rational x0 = xa.at(0), x1 = xa.at(*r.completion_exact);
  const bool behind = r.status == status::behind || r.status == status::not_met;
  std::string_view color = highlight ? orange : behind ? red : "#5b8fd9";
  s.raw(fmt::format("<rect class=\"bar{}{}\" data-region=\"{}\" data-rank=\"{}\" data-value=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
                    "height=\"16\" fill=\"{}\"><title>第{}名 {}：完成率{}%（{}）</title></rect>"
                    "<text class=\"bar-label\" x=\"{}\" y=\"{}\" fill=\"#333333\">{}%</text>\n",
                    highlight ? " highlight" : "", behind ? " behind" : "", code, r.rank, r.completion->to_string(), px(std::min(x0, x1)),
                    row_y, px(x1 > x0 ? x1 - x0 : x0 - x1), color, r.rank, name, r.completion->to_string(),
                    floor_words_zh(r.status), px(std::max(x0, x1) + 4), row_y + 13, r.completion->to_string()));
}

}  // namespace

std::string peers_chart(const model& m, const std::vector<target>& targets, region_id parent, const period& p, indicator_id indicator,
                        region_id highlight) {
  const zhibiao::indicator& ind = m.indicators()[indicator];
  std::vector<peer_rank> ranks = rank_peers(m, targets, parent, p, indicator);
  if (ranks.empty())
    throw error(errc::invalid_argument, fmt::format("{} ({}) has no child regions to rank", m.regions()[parent].code, name_of(m, parent, p)));
  frame f;
  f.left = 150;
  f.right = 570;
  f.height = f.top + static_cast<int>(ranks.size()) * 24 + 36;
  f.bottom = f.height - 36;
  const period span = period::year_to_date(p.year(), p.last_month());
  svg s(f, fmt::format("{}{}{}完成率排名", name_of(m, parent, p), span.label_zh(), ind.name));
  std::optional<rational> share = peers_schedule(targets, parent, ranks, p, indicator);
  int behind = 0;
  for (const peer_rank& r : ranks) behind += r.completion_exact && share && *r.completion_exact < *share ? 1 : 0;
  std::string summary = fmt::format("{}个下辖地区", ranks.size());
  if (share) summary += fmt::format("，序时进度{}%，{}个完成率低于序时进度", decimal::from_rational(*share, 1).to_string(), behind);
  s.summary(summary);
  s.legend("#5b8fd9", "完成率", false, true);
  s.legend(red, "慢于序时进度", false, true);
  if (highlight != npos) s.legend(orange, name_of(m, highlight, p), false, true);
  if (share) s.legend(orange, "序时进度", true);
  rational hi = 100, lo = 0;
  for (const peer_rank& r : ranks)
    if (r.completion_exact) hi = std::max(hi, *r.completion_exact), lo = std::min(lo, *r.completion_exact);
  value_axis xa = make_axis(lo, hi, f.left, f.right);
  for (rational v = xa.lo; v <= xa.hi; v += xa.step) {
    std::string xx = px(xa.at(v));
    s.raw(fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\"/><text class=\"tick\" x=\"{0}\" "
                      "y=\"{4}\" text-anchor=\"middle\" fill=\"{5}\">{6}%</text>\n",
                      xx, f.top, f.bottom, light, f.bottom + 16, grey, decimal::from_rational(v, xa.decimals).to_string()));
  }
  s.raw(fmt::format("<line class=\"axis\" data-value=\"0\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\"/>\n",
                    px(xa.at(0)), f.top, f.bottom));
  for (std::size_t k = 0; k < ranks.size(); ++k)
    draw_peer_bar(s, m, ranks[k], xa, f.top + 4 + static_cast<int>(k) * 24, ranks[k].region == highlight, p);
  if (share) {
    std::string xx = px(xa.at(*share)), label = decimal::from_rational(*share, 1).to_string();
    s.raw(fmt::format("<line class=\"schedule\" data-value=\"{0}\" x1=\"{1}\" y1=\"{2}\" x2=\"{1}\" y2=\"{3}\" stroke=\"{4}\" "
                      "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>序时进度{0}%</title></line>\n",
                      label, xx, f.top - 2, f.bottom, orange));
  }
  return s.finish();
}

std::string yoy_chart(const model& m, const place& where, const period& p, indicator_id indicator) {
  const zhibiao::indicator& ind = m.indicators()[indicator];
  const int y = p.year(), through = p.last_month();
  month_series now(12), before(12);
  for (int mo = 1; mo <= 12; ++mo) {
    if (mo <= through) now[static_cast<std::size_t>(mo - 1)] = m.value(where, period::year_to_date(y, mo), indicator).value;
    before[static_cast<std::size_t>(mo - 1)] = m.value(where, period::year_to_date(y - 1, mo), indicator).value;
  }
  const std::string_view what = ind.kind == indicator_kind::flow ? "逐月累计" : "月末";
  svg s(frame{}, fmt::format("{}{}同比（{}年与{}年）", m.place_name(where, p), ind.name, y, y - 1));
  comparison c = m.year_on_year(where, period::year_to_date(y, through), indicator);
  std::string summary = fmt::format("{}{}", period::year_to_date(y, through).label_zh(), c.current.value ? fmt_value(*c.current.value, ind.decimals) + std::string(ind.unit.symbol) : "无数据");
  if (c.is_ratio && c.change) summary += fmt::format("，同比变化{}个百分点", fmt_value(*c.change, ind.decimals));
  else if (c.growth) summary += fmt::format("，同比{}{}%", c.growth->sign() < 0 ? "下降" : "增长", (c.growth->sign() < 0 ? -*c.growth : *c.growth).to_string());
  else summary += "，上年同期无可比数据";
  s.summary(summary);
  const frame& f = s.geometry();
  value_axis ya = make_axis(std::min(min_of(now), min_of(before)), std::max(max_of(now, 0), max_of(before, 0)), f.bottom, f.top);
  month_axis x{f.left, f.right};
  s.legend(blue, fmt::format("{}年（{}）", y, what));
  s.legend(grey, fmt::format("{}年（{}）", y - 1, what), true);
  draw_value_axis(s, ya, ind.unit.symbol);
  draw_month_labels(s, x);
  draw_missing(s, now, x, through);
  draw_line(s, before, x, ya, "last-year", grey, true);
  draw_points(s, before, x, ya, ind, "point last-year", grey, fmt::format("{}年", y - 1));
  draw_line(s, now, x, ya, "actual", blue, false);
  draw_points(s, now, x, ya, ind, "point", blue, fmt::format("{}年", y));
  return s.finish();
}

std::string chart_svg(const model& m, const std::vector<target>& targets, chart_kind kind, region_id region, const period& p,
                      indicator_id indicator) {
  switch (kind) {
    case chart_kind::progress: return progress_chart(m, targets, region, p, indicator);
    case chart_kind::cap: return cap_chart(m, targets, region, p, indicator);
    case chart_kind::yoy: return yoy_chart(m, place{region, std::nullopt}, p, indicator);
    case chart_kind::peers: break;
  }
  const tree& tr = m.regions().at(p.serial());
  const auto r = static_cast<std::size_t>(region);
  if (tr.child_begin[r] < tr.child_begin[r + 1]) return peers_chart(m, targets, region, p, indicator);
  if (tr.parent[r] == npos)
    throw error(errc::invalid_argument, fmt::format("{} has neither children nor a parent: no peers to rank", m.regions()[region].code));
  return peers_chart(m, targets, tr.parent[r], p, indicator, region);
}

}  // namespace zhibiao
