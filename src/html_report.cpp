// The one-page HTML report. Everything on the page is text escaped here or SVG from chart.cpp; the page
// links nothing, so it opens the same from a mail attachment, a USB stick or a browser with no network.
#include <zhibiao/chart.hpp>
#include <zhibiao/html.hpp>
#include <zhibiao/table.hpp>
#include <zhibiao/version.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace zhibiao {

namespace {

// Screen and print (A4) styles. The CJK faces are listed so that a page printed on a machine with any
// common Chinese font looks the same; nothing is downloaded.
constexpr std::string_view page_css = R"(
body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'WenQuanYi Zen Hei',
       SimSun, sans-serif; color: #1a1a1a; margin: 24px auto; max-width: 1100px; padding: 0 16px; line-height: 1.6; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; border-bottom: 2px solid #1f5fbf; padding-bottom: 2px; margin-top: 28px; }
h3 { font-size: 15px; margin: 14px 0 4px; }
p.meta, p.note { color: #555; font-size: 13px; }
section.report p { text-indent: 2em; margin: 6px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure.chart { margin: 0; border: 1px solid #ddd; flex: 1 1 480px; max-width: 640px; }
figure.chart svg { display: block; width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0 16px; }
th, td { border: 1px solid #999; padding: 2px 5px; }
td { white-space: nowrap; }
td.message { white-space: normal; }
th { background: #eef2f8; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.flag { background: #f8d0d0; }
td.missing { background: #f3f3f3; }
tr.total td { font-weight: bold; }
tr.scope td { font-style: italic; }
tr.error td.level { color: #c62828; font-weight: bold; }
ul.warnings { color: #8a4b00; font-size: 13px; }
footer { color: #777; font-size: 12px; margin-top: 24px; }
@page { size: A4 portrait; margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  figure.chart, tr { break-inside: avoid; }
  figure.chart { flex-basis: 100%; max-width: 140mm; margin: 0 auto; }
  table { font-size: 7.5pt; width: 100%; }
  th, td { padding: 1px 2px; }
  section.table { break-before: page; }
}
)";

// The report text: a short line without a full stop is a heading (一、… / （一）…), anything else a paragraph.
std::string text_html(std::string_view text) {
  std::string out;
  std::size_t k = 0;
  while (k <= text.size()) {
    std::size_t nl = text.find('\n', k);
    std::string_view line = text.substr(k, nl == std::string_view::npos ? std::string_view::npos : nl - k);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      bool heading = display_width(line) <= 80 && line.find("。") == std::string_view::npos;
      out += (heading ? "<h3>" : "<p>") + xml_escape(line) + (heading ? "</h3>\n" : "</p>\n");
    }
    if (nl == std::string_view::npos) break;
    k = nl + 1;
  }
  return out;
}

// Inline SVG needs no namespace declaration in HTML; dropping it keeps every URL off the page.
std::string inline_svg(std::string svg) {
  constexpr std::string_view ns = " xmlns=\"http://www.w3.org/2000/svg\"";
  if (auto at = svg.find(ns); at != std::string::npos) svg.erase(at, ns.size());
  return svg;
}

std::string cell_html(const table_column& c, const table_cell& cell) {
  std::string cls = cell.flagged ? " flag" : "";
  if (cell.number)
    return fmt::format("<td class=\"num{}\">{}</td>", cls, cell.number->rescaled(c.decimals, rounding::half_up).to_string());
  if (!cell.text.empty()) return fmt::format("<td class=\"text{}\">{}</td>", cls, xml_escape(cell.text));
  if (!cell.note.empty()) return fmt::format("<td class=\"missing{}\" title=\"{}\"></td>", cls, xml_escape(cell.note));
  return "<td></td>";
}

// The columns of one printed table: code and name, then whole indicator groups up to about `width`
// columns, so a wide 报表 prints as several tables one A4 page wide instead of one that runs off the page.
std::vector<std::vector<std::size_t>> column_chunks(const table_sheet& s, std::size_t width) {
  std::vector<std::size_t> fixed, current;
  std::vector<std::vector<std::size_t>> chunks;
  for (std::size_t k = 0; k < s.columns.size(); ++k) {
    const table_column& c = s.columns[k];
    if (c.role == table_column_role::code || c.role == table_column_role::name) {
      fixed.push_back(k);
      continue;
    }
    bool new_group = c.group.empty() || k == 0 || s.columns[k - 1].group != c.group;
    if (new_group && current.size() >= width) {
      chunks.push_back(current);
      current.clear();
    }
    current.push_back(k);
  }
  if (!current.empty() || chunks.empty()) chunks.push_back(current);
  for (auto& ch : chunks) ch.insert(ch.begin(), fixed.begin(), fixed.end());
  return chunks;
}

std::string table_html(const table_sheet& s, const std::vector<std::size_t>& cols) {
  std::string head1, head2;
  for (std::size_t n = 0; n < cols.size(); ++n) {
    const table_column& c = s.columns[cols[n]];
    if (c.group.empty()) {
      head1 += fmt::format("<th rowspan=\"2\">{}</th>", xml_escape(c.header));
      continue;
    }
    if (n == 0 || s.columns[cols[n - 1]].group != c.group) {
      std::size_t span = 1;
      while (n + span < cols.size() && s.columns[cols[n + span]].group == c.group) ++span;
      head1 += fmt::format("<th colspan=\"{}\">{}</th>", span, xml_escape(c.group));
    }
    head2 += fmt::format("<th>{}</th>", xml_escape(c.header));
  }
  std::string out = fmt::format("<table class=\"baobiao\">\n<thead><tr>{}</tr>\n<tr>{}</tr></thead>\n<tbody>\n", head1, head2);
  for (const table_row& r : s.rows) {
    std::string_view cls = r.role == table_row_role::total ? "total" : r.role == table_row_role::scope ? "scope" : "child";
    out += fmt::format("<tr class=\"{}\">", cls);
    for (std::size_t k : cols) out += cell_html(s.columns[k], r.cells[k]);
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string problems_html(const table_sheet& s) {
  if (s.problems.empty()) return "<p class=\"note\">没有需要关注的问题。</p>\n";
  std::string out = "<table class=\"findings\">\n<thead><tr><th>级别</th><th>地区</th><th>时期</th><th>检查</th><th>状态</th><th>说明</th></tr></thead>\n<tbody>\n";
  for (const table_problem& p : s.problems) {
    std::string_view level = p.level == severity::error ? "错误" : p.level == severity::warning ? "警告" : "提示";
    out += fmt::format("<tr class=\"{}\"><td class=\"level\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"message\">{}</td></tr>\n",
                       severity_name(p.level), level, xml_escape(p.region_name), xml_escape(p.period), xml_escape(p.check_zh),
                       xml_escape(p.status_zh), xml_escape(p.message));
  }
  return out + "</tbody></table>\n";
}

// The first target of `kind` at the region for the year, preferring one with a schedule for floors.
const target* first_target(const std::vector<target>& targets, region_id region, int year, target_kind kind) {
  const target* found = nullptr;
  for (const target& t : targets) {
    if (t.region != region || t.kind != kind || t.when.year() != year) continue;
    if (kind != target_kind::floor || t.schedule != schedule_kind::year_end) return &t;
    if (!found) found = &t;
  }
  return found;
}

std::string figure(std::string_view kind, const std::string& svg) {
  return fmt::format("<figure class=\"chart\" data-kind=\"{}\">\n{}</figure>\n", kind, inline_svg(svg));
}

std::string charts_html(const model& m, const std::vector<target>& targets, region_id region, const period& p) {
  std::string out;
  const target* floor = first_target(targets, region, p.year(), target_kind::floor);
  const target* cap = first_target(targets, region, p.year(), target_kind::cap);
  if (floor) out += figure("progress", progress_chart(m, targets, region, p, floor->indicator));
  if (cap) out += figure("cap", cap_chart(m, targets, region, p, cap->indicator));
  if (floor) {
    const tree& tr = m.regions().at(p.serial());
    const auto r = static_cast<std::size_t>(region);
    if (tr.child_begin[r] < tr.child_begin[r + 1] || tr.parent[r] != npos)
      out += figure("peers", chart_svg(m, targets, chart_kind::peers, region, p, floor->indicator));
    comparison c = m.year_on_year(place{region, std::nullopt}, period::year_to_date(p.year(), p.last_month()), floor->indicator);
    if (c.base.value) out += figure("yoy", yoy_chart(m, place{region, std::nullopt}, p, floor->indicator));
  }
  if (out.empty()) return "<p class=\"note\">没有年度目标，未绘制图表。</p>\n";
  return "<div class=\"charts\">\n" + out + "</div>\n";
}

// The 报表's indicators by default: those with a target at the region or below, in targets.csv order.
std::vector<indicator_id> targeted_indicators(const model& m, const std::vector<target>& targets, region_id region, const period& p) {
  std::vector<indicator_id> out;
  const tree& tr = m.regions().at(p.serial());
  for (const target& t : targets) {
    if (t.when.year() != p.year() || std::find(out.begin(), out.end(), t.indicator) != out.end()) continue;
    region_id r = t.region;
    while (r != npos && r != region) r = tr.parent[static_cast<std::size_t>(r)];
    if (r == region) out.push_back(t.indicator);
  }
  return out;
}

}  // namespace

report_result html_report(const model& m, std::string_view tmpl, region_id region, const period& p, const std::vector<target>& targets,
                          const html_report_options& opt, const std::string& file) {
  report_result text = render_report(m, tmpl, region, p, targets, file);
  const period span = table_period(p);
  table_options topt;
  topt.indicators = opt.indicators.empty() ? targeted_indicators(m, targets, region, p) : opt.indicators;
  std::vector<table_sheet> sheets = build_tables(m, region, span, targets, opt.rules, topt);
  const std::string name = xml_escape(m.regions().name(region, p.serial()));
  const std::string title = fmt::format("{}{}工作情况", name, xml_escape(p.label_zh()));
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      // The page may load nothing: no script, font, stylesheet or image from anywhere.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{0}</title>\n<style>{1}</style>\n</head>\n<body>\n"
      "<header><h1>{0}</h1><p class=\"meta\">{2}（{3}）· 数据截至{4}年{5}月底 · 报表期{6}</p></header>\n",
      title, page_css, name, xml_escape(m.regions()[region].code), p.year(), p.last_month(), xml_escape(span.label_zh()));
  page += "<section class=\"report\">\n<h2>报告</h2>\n" + text_html(text.text);
  if (!text.warnings.empty()) {
    page += "<p class=\"note\">以下数据未报送，文中以“—”表示：</p>\n<ul class=\"warnings\">\n";
    for (const std::string& w : text.warnings) page += "<li>" + xml_escape(w) + "</li>\n";
    page += "</ul>\n";
  }
  page += "</section>\n<section class=\"charts\">\n<h2>图表</h2>\n" + charts_html(m, targets, region, p) + "</section>\n";
  for (const table_sheet& s : sheets) {
    page += fmt::format("<section class=\"table\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n", xml_escape(s.title), xml_escape(s.unit_note));
    for (const auto& cols : column_chunks(s, 12)) page += table_html(s, cols);
    page += fmt::format("</section>\n<section class=\"findings\">\n<h2>问题清单</h2>\n{}</section>\n", problems_html(s));
  }
  page += fmt::format("<footer>zhibiao {} · {}</footer>\n</body>\n</html>\n", version(), xml_escape(span.label_zh()));
  return report_result{std::move(page), std::move(text.warnings)};
}

}  // namespace zhibiao
