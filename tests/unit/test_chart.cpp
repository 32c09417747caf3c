// Charts (chart.hpp) and the HTML report (html.hpp) on a small hand-worked model.
//
// 测试市 C ⊃ 甲县 X ⊃ {甲镇 x1, <b> x2, 丙镇 x3, 丁镇 x4}. Worked out by hand from the data below:
//   jobs (flow, 人)  2021: x1 0 (Jan) 30 (Feb); x2 20 (Feb); x3 10 (Mar); x4 never
//                    → X 1-1月 0, 1-2月 50, 1-3月 60; x3 has nothing in Jan and Feb
//                    2020: x1 10 (Jan) 40 (Jun) → X 1-3月 10, so 同比 (60 − 10) / 10 = 增长500.0%
//   targets 2021: X floor 120 → as of March 60/120 = 50.0% against 序时进度 3/12 = 25.0%, ahead;
//                 x1 floor 40 (30 → 75.0%), x2 floor 40 (20 → 50.0%), x3 floor 20 (10 → 50.0%), x4 none
//                 → ranks x1 1, x2 2, x3 2 (a tie shares the rank), x4 unranked;
//                 X rate cap 3.5
//   rate (ratio, %, 2) from stocks only x1 reports: Jan 3/100 = 3.00, Feb 5/100 = 5.00 (over the cap),
//                 Mar 2/100 = 2.00
#include <doctest/doctest.h>

#include <zhibiao/chart.hpp>
#include <zhibiao/html.hpp>
#include <zhibiao/model.hpp>

#include <string>
#include <vector>

using namespace zhibiao;

namespace {

model chart_model() {
  model m;
  m.load_regions_text("code,name,level,parent\nC,测试市,city,\nX,甲县,county,C\nx1,甲镇,town,X\nx2,<b>,town,X\nx3,丙镇,town,X\n"
                      "x4,丁镇,town,X\n");
  m.load_indicators_text(
      "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
      "jobs,新增就业,人,flow,0,,,,\nunemployed,失业人数,人,stock,0,,,,\nemployed,从业人数,人,stock,0,,,,\n"
      "rate,失业率,%,ratio,2,unemployed,unemployed+employed,100,\n");
  m.load_observations_text(
      "region,period,indicator,value\n"
      "x1,2021-01,jobs,0\nx1,2021-02,jobs,30\nx2,2021-02,jobs,20\nx3,2021-03,jobs,10\n"
      "x1,2020-01,jobs,10\nx1,2020-06,jobs,40\n"
      "x1,2021-01,unemployed,3\nx1,2021-01,employed,97\nx1,2021-02,unemployed,5\nx1,2021-02,employed,95\n"
      "x1,2021-03,unemployed,2\nx1,2021-03,employed,98\n");
  m.rollup();
  return m;
}

std::vector<target> chart_targets(const model& m) {
  return parse_targets("region,indicator,period,kind,value\nX,jobs,2021,floor,120\nx1,jobs,2021,floor,40\nx2,jobs,2021,floor,40\n"
                       "x3,jobs,2021,floor,20\nX,rate,2021,cap,3.5\n",
                       "<targets>", m);
}

// Every start tag `<tag …>` whose class list contains `cls`.
std::vector<std::string> tags(const std::string& svg, const std::string& tag, const std::string& cls) {
  std::vector<std::string> out;
  for (std::size_t k = svg.find("<" + tag + " "); k != std::string::npos; k = svg.find("<" + tag + " ", k + 1)) {
    std::string t = svg.substr(k, svg.find('>', k) - k + 1);
    std::size_t c = t.find("class=\"");
    if (c == std::string::npos) continue;
    std::string classes = " " + t.substr(c + 7, t.find('"', c + 7) - c - 7) + " ";
    if (classes.find(" " + cls + " ") != std::string::npos) out.push_back(t);
  }
  return out;
}

std::string attr(const std::string& tag, const std::string& name) {
  std::size_t k = tag.find(" " + name + "=\"");
  REQUIRE(k != std::string::npos);
  k += name.size() + 3;
  return tag.substr(k, tag.find('"', k) - k);
}

double num(const std::string& tag, const std::string& name) { return std::stod(attr(tag, name)); }

// The circle of month `mo` among `points`, or "" when there is none.
std::string point_of(const std::vector<std::string>& points, int mo) {
  for (const auto& p : points)
    if (attr(p, "data-month") == std::to_string(mo)) return p;
  return {};
}

}  // namespace

TEST_CASE("chart: progress puts 0 on the axis, 序时进度 at M/12 of the target and marks the as-of month") {
  model m = chart_model();
  auto targets = chart_targets(m);
  std::string svg = progress_chart(m, targets, m.regions().require("X"), period::parse("2021年1-3月"), m.indicators().require("jobs"));
  auto axis = tags(svg, "line", "axis");
  auto target_line = tags(svg, "line", "target");
  REQUIRE(axis.size() == 1);
  REQUIRE(target_line.size() == 1);
  CHECK(attr(target_line[0], "data-value") == "120");
  const double y0 = num(axis[0], "y1"), y120 = num(target_line[0], "y1");
  CHECK(y120 < y0);  // up is more
  auto points = tags(svg, "circle", "point");
  REQUIRE(points.size() == 3);  // January to March, nothing after the as-of month
  CHECK(attr(point_of(points, 1), "data-value") == "0");
  CHECK(attr(point_of(points, 1), "cy") == attr(axis[0], "y1"));  // a 0 sits exactly on the axis
  CHECK(attr(point_of(points, 3), "data-value") == "60");
  CHECK(num(point_of(points, 3), "cy") == doctest::Approx(y0 + (y120 - y0) * 60 / 120).epsilon(0.0005));
  // 序时进度: one point a month, the M-th at M/12 of the target's height above the axis.
  auto schedule = tags(svg, "polyline", "schedule");
  REQUIRE(schedule.size() == 1);
  std::string pts = attr(schedule[0], "points");
  std::vector<double> ys;
  for (std::size_t k = 0; k < pts.size();) {
    std::size_t comma = pts.find(',', k), space = pts.find(' ', comma);
    ys.push_back(std::stod(pts.substr(comma + 1, space == std::string::npos ? std::string::npos : space - comma - 1)));
    k = space == std::string::npos ? pts.size() : space + 1;
  }
  REQUIRE(ys.size() == 12);
  for (int mo = 1; mo <= 12; ++mo) CHECK(ys[static_cast<std::size_t>(mo - 1)] == doctest::Approx(y0 + (y120 - y0) * mo / 12).epsilon(0.0005));
  CHECK(pts.substr(pts.rfind(',') + 1) == attr(target_line[0], "y1"));  // month 12 reaches the target exactly
  auto asof = tags(svg, "line", "asof");
  REQUIRE(asof.size() == 1);
  CHECK(attr(asof[0], "data-month") == "3");
  CHECK(attr(asof[0], "x1") == attr(point_of(points, 3), "cx"));
  CHECK(svg.find("完成目标120人的50.0%，序时进度25.0%，快于序时进度") != std::string::npos);
  CHECK(svg.find("<title>甲县2021年新增就业目标完成进度</title>") != std::string::npos);
  CHECK(svg.find("Noto Sans CJK SC") != std::string::npos);
}

TEST_CASE("chart: a month without a value is a gap, never a 0") {
  model m = chart_model();
  auto targets = chart_targets(m);
  std::string svg = progress_chart(m, targets, m.regions().require("x3"), period::parse("2021-03"), m.indicators().require("jobs"));
  auto points = tags(svg, "circle", "point");
  REQUIRE(points.size() == 1);
  CHECK(attr(points[0], "data-month") == "3");
  CHECK(attr(points[0], "data-value") == "10");
  auto missing = tags(svg, "text", "missing");
  REQUIRE(missing.size() == 2);
  CHECK(attr(missing[0], "data-month") == "1");
  CHECK(attr(missing[1], "data-month") == "2");
  auto line = tags(svg, "path", "actual");
  REQUIRE(line.size() == 1);
  CHECK(attr(line[0], "d") == "M" + attr(points[0], "cx") + " " + attr(points[0], "cy"));  // starts at March
  // In the county chart the 同比 line of 2021 starts in January, and has no point after March.
  std::string yoy = yoy_chart(m, place{m.regions().require("X"), std::nullopt}, period::parse("2021-03"), m.indicators().require("jobs"));
  CHECK(tags(yoy, "circle", "last-year").size() == 12);
  CHECK(tags(yoy, "circle", "point").size() == 15);
  CHECK(yoy.find("同比增长500.0%") != std::string::npos);
}

TEST_CASE("chart: cap marks the month over the cap") {
  model m = chart_model();
  auto targets = chart_targets(m);
  std::string svg = cap_chart(m, targets, m.regions().require("X"), period::parse("2021-03"), m.indicators().require("rate"));
  auto points = tags(svg, "circle", "point");
  REQUIRE(points.size() == 3);
  CHECK(attr(point_of(points, 1), "data-value") == "3.00");
  CHECK(attr(point_of(points, 2), "data-value") == "5.00");
  CHECK(attr(point_of(points, 3), "data-value") == "2.00");
  auto breaches = tags(svg, "circle", "breach");
  REQUIRE(breaches.size() == 1);
  CHECK(attr(breaches[0], "data-month") == "2");
  auto cap = tags(svg, "line", "cap");
  REQUIRE(cap.size() == 1);
  CHECK(attr(cap[0], "data-value") == "3.5");
  const double y0 = num(tags(svg, "line", "axis")[0], "y1"), ycap = num(cap[0], "y1");
  CHECK(num(breaches[0], "cy") < ycap);
  CHECK(num(point_of(points, 1), "cy") > ycap);
  CHECK(num(point_of(points, 1), "cy") == doctest::Approx(y0 + (ycap - y0) * 3 / 3.5).epsilon(0.0005));
  CHECK(svg.find("1个月超过上限") != std::string::npos);
}

TEST_CASE("chart: peers are ranked by 完成率, ties share a rank, regions without a target come last") {
  model m = chart_model();
  auto targets = chart_targets(m);
  const period p = period::parse("2021-03");
  auto ranks = rank_peers(m, targets, m.regions().require("X"), p, m.indicators().require("jobs"));
  REQUIRE(ranks.size() == 4);
  const char* order[] = {"x1", "x2", "x3", "x4"};
  const int rank[] = {1, 2, 2, 0};
  const char* completion[] = {"75.0", "50.0", "50.0", ""};
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(m.regions()[ranks[k].region].code == order[k]);
    CHECK(ranks[k].rank == rank[k]);
    CHECK((ranks[k].completion ? ranks[k].completion->to_string() : "") == std::string(completion[k]));
  }
  CHECK_FALSE(ranks[3].has_target);
  // x2 (named <b>) has no children: it is highlighted among its siblings, its name escaped.
  std::string svg = chart_svg(m, targets, chart_kind::peers, m.regions().require("x2"), p, m.indicators().require("jobs"));
  auto bars = tags(svg, "rect", "bar");
  REQUIRE(bars.size() == 3);
  auto hl = tags(svg, "rect", "highlight");
  REQUIRE(hl.size() == 1);
  CHECK(attr(hl[0], "data-region") == "x2");
  CHECK(attr(hl[0], "data-rank") == "2");
  CHECK(svg.find("&lt;b&gt;") != std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  // Bar lengths are proportional to 完成率: 75% is 1.5 times 50%.
  CHECK(num(bars[0], "width") == doctest::Approx(num(bars[1], "width") * 1.5).epsilon(0.002));
  auto schedule = tags(svg, "line", "schedule");
  REQUIRE(schedule.size() == 1);
  CHECK(attr(schedule[0], "data-value") == "25.0");
  const double x0 = num(tags(svg, "line", "axis")[0], "x1");
  CHECK(num(schedule[0], "x1") - x0 == doctest::Approx(num(bars[1], "width") / 2).epsilon(0.002));
  CHECK(tags(svg, "text", "no-data").size() == 1);
}

TEST_CASE("chart: unknown targets and kinds are errors") {
  model m = chart_model();
  auto targets = chart_targets(m);
  CHECK_THROWS_AS(progress_chart(m, targets, m.regions().require("x4"), period::parse("2021-03"), m.indicators().require("jobs")), error);
  CHECK_THROWS_AS(cap_chart(m, targets, m.regions().require("X"), period::parse("2021-03"), m.indicators().require("jobs")), error);
  CHECK(parse_chart_kind("peers") == chart_kind::peers);
  CHECK_FALSE(parse_chart_kind("pie"));
  CHECK(xml_escape("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;");
}

TEST_CASE("html report: escaped text, the 报表, the findings and the charts in one page that loads nothing") {
  model m = chart_model();
  auto targets = chart_targets(m);
  report_result r = html_report(m, "{region}新增就业{jobs}人。\n", m.regions().require("x2"), period::parse("2021年1-3月"), targets);
  const std::string& page = r.text;
  CHECK(page.find("<p>&lt;b&gt;新增就业20人。</p>") != std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("<table class=\"baobiao\">") != std::string::npos);
  CHECK(page.find("<figure class=\"chart\" data-kind=\"progress\">") != std::string::npos);
  CHECK(page.find("<figure class=\"chart\" data-kind=\"peers\">") != std::string::npos);
  CHECK(page.find("@media print") != std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  // 甲县's page: its towns in the 报表, the cap chart, and 丁镇's missing jobs as an empty cell, not a 0.
  report_result x = html_report(m, "{region}\n", m.regions().require("X"), period::parse("2021年1-3月"), targets);
  CHECK(x.text.find("<figure class=\"chart\" data-kind=\"cap\">") != std::string::npos);
  CHECK(x.text.find("<td class=\"text\">丁镇</td><td class=\"missing\"") != std::string::npos);
}
