// Report templates (render_report) on the hand-worked data set tests/data/report and on the examples.
//
// tests/data/report: 示例市 C ⊃ {甲县 X ⊃ {甲一镇 x1, 甲二镇 x2, 甲三镇 x3}, 乙县 Y ⊃ {乙一镇 y1}};
// scope x_ex3 = 甲县（不含甲三镇） = X minus x3. Every number below is worked out by hand from the files:
//   jobs (flow, 人)       2020: x1 100, x2 60, x3 0, y1 80 (all in December)
//                              → X 160, Y 80, C 240, x_ex3 160
//                         2021: x1 30 (Mar) 60 (Sep) 30 (Dec); x2 20 (Mar) 25 (Sep) 15 (Dec);
//                               x3 10 (Mar) 10 (Dec); y1 50 (Dec)
//                              → year: x1 120, x2 60, x3 20, X 200, Y 50, C 250, x_ex3 180
//                              → 1-9月: x1 90, x2 45, x3 10, X 145, Y none; in September x1 and x2
//                                reported, x3 did not (coverage 2/3)
//   loan (flow, 万元, 2)   2021: x1 12.50 (Mar), x2 12332.50 (Sep) → X 12345.00 万元 = 1.2345 亿元; no 2020 data
//   subsidy (flow, 元, 2)  2021: x1 1250.00 (May) → 0.125 万元
//   training (flow, 人次)  2021: x1 12345 (Jun) → 1.2345 万人次
//   insured (stock, 人)    2021-09: x1 14449 (1.4449 万人), x2 5551 → X 20000 = 2.00 万人
//   rate (ratio, %, 2) = unemployed / (unemployed + employed) × 100, stocks reported in September:
//                         2020: x1 28/1000 = 2.80, x2 10/100 = 10.00, x3 3/400 = 0.75, X 41/1500 = 2.7333… → 2.73
//                         2021: x1 30/1000 = 3.00, x2 10/100 = 10.00, x3 2/400 = 0.50, X 42/1500 = 2.80
//                         y1 never reports the parts: Y has no rate.
// targets.csv (2021): X jobs floor 800, C jobs floor 800, x1 jobs floor 120, x2 jobs floor 50,
//                     x3 jobs floor 30 (schedule year_end), X rate cap 3.5; Y has none.
#include <doctest/doctest.h>

#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace zhibiao;

namespace {

model report_model() {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/report/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/report/indicators.csv");
  m.load_scopes(ZHIBIAO_TEST_DATA "/report/scopes.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/report/observations.csv");
  m.rollup();
  return m;
}

std::vector<target> report_targets(const model& m) {
  return parse_targets(csv::read_file(ZHIBIAO_TEST_DATA "/report/targets.csv"), "targets.csv", m);
}

const period y2021 = period::year(2021);
const period ytd9 = period::year_to_date(2021, 9);

report_result full(const model& m, std::string_view tmpl, const char* region = "X", const period& p = y2021) {
  return render_report(m, tmpl, m.regions().require(region), p, report_targets(m));
}

// The rendered text; fails the test when a value is missing (so an expected "—" must use full()). Numbers
// from partial reports, and stocks carried from an earlier month (September's values for the year), are
// warned about too; those warnings have their own test cases (below, and in test_cross_year.cpp).
std::string render(const model& m, std::string_view tmpl, const char* region = "X", const period& p = y2021) {
  report_result r = full(m, tmpl, region, p);
  std::vector<std::string> missing;
  for (const std::string& w : r.warnings)
    if (w.find(": partial: ") == std::string::npos && w.find(": carried: ") == std::string::npos) missing.push_back(w);
  CHECK_MESSAGE(missing.empty(), "unexpected warning for ", tmpl, ": ", missing.empty() ? "" : missing[0]);
  return r.text;
}

struct failure {
  location where;
  std::string reason, what;
  errc code = errc::ok;
};

// The load_error a template raises (a test failure when it renders).
std::optional<failure> fail_of(const model& m, std::string_view tmpl, const std::string& file = "<template>") {
  try {
    render_report(m, tmpl, m.regions().require("X"), y2021, report_targets(m), file);
  } catch (const load_error& e) {
    return failure{e.where(), e.reason(), e.what(), e.code()};
  }
  return std::nullopt;
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("report: {region} and {period} render the region's name and the period's Chinese label") {
  model m = report_model();
  CHECK(render(m, "{region}：{period}") == "甲县：2021年");
  CHECK(render(m, "{period}，{region}", "X", period::year_to_date(2021, 9)) == "2021年1-9月，甲县");
  CHECK(render(m, "{period}", "X", period::parse("2021-03")) == "2021年3月");
  CHECK(render(m, "{period}", "X", period::parse("2021-09-30")) == "截至2021年9月底");
  CHECK(render(m, "{period}{region}", "C", period::parse("2021年1-9月")) == "2021年1-9月示例市");
  CHECK(render(m, "{region}", "x1") == "甲一镇");
  // Text without placeholders passes through unchanged, multi-byte characters and newlines included.
  CHECK(render(m, "一、就业\n（一）稳就业。") == "一、就业\n（一）稳就业。");
  CHECK(render(m, "") == "");
}

TEST_CASE("report: {code} shows the value by the indicator's kind at its own decimals") {
  model m = report_model();
  CHECK(render(m, "{jobs}") == "200");          // flow: 120 + 60 + 20
  CHECK(render(m, "{jobs}", "X", ytd9) == "145");  // 90 + 45 + 10
  CHECK(render(m, "{jobs}", "X", period::month(2021, 9)) == "85");  // September alone: 60 + 25
  CHECK(render(m, "{loan}") == "12345.00");     // 12.50 + 12332.50
  CHECK(render(m, "{loan@x1}") == "12.50");     // money keeps its trailing zero
  CHECK(render(m, "{subsidy}") == "1250.00");
  CHECK(render(m, "{insured}") == "20000");     // stock: 14449 + 5551
  CHECK(render(m, "{rate}") == "2.80");         // 42 / 1500 × 100, recomputed, not averaged
  CHECK(render(m, "{rate@x3}") == "0.50");
  CHECK(render(m, "全县新增就业{jobs}人，失业率{rate}%。") == "全县新增就业200人，失业率2.80%。");
}

TEST_CASE("report: unit conversion with default and explicit decimals, rounded half-up once") {
  model m = report_model();
  // 万元 → 亿元: 12345.00 万元 = 1.2345 亿元 → 1.23 (rounding in steps, 1.235 then 1.24, would be wrong).
  CHECK(render(m, "{loan:亿元}") == "1.23");
  CHECK(render(m, "{loan:亿元:3}") == "1.235");
  CHECK(render(m, "{loan:亿元:4}") == "1.2345");
  CHECK(render(m, "{loan:亿元:6}") == "1.234500");
  CHECK(render(m, "{loan:亿元:0}") == "1");
  CHECK(render(m, "{loan@x1:亿元:4}") == "0.0013");  // 0.00125 亿元
  // 元 → 万元: 1250.00 元 = 0.125 万元 → 0.13 (half-up, not half-even 0.12).
  CHECK(render(m, "{subsidy:万元}") == "0.13");
  CHECK(render(m, "{subsidy:万元:3}") == "0.125");
  CHECK(render(m, "{subsidy:亿元:6}") == "0.000013");  // 0.0000125
  // 人 → 万人: 14449 人 = 1.4449 万人 → 1.44 (in steps 1.445 → 1.45 would be wrong).
  CHECK(render(m, "{insured@x1:万人}") == "1.44");
  CHECK(render(m, "{insured@x1:万人:1}") == "1.4");
  CHECK(render(m, "{insured@x1:万人:3}") == "1.445");
  CHECK(render(m, "{insured:万人}") == "2.00");  // 20000 人: the decimals are kept
  CHECK(render(m, "{jobs:万人:4}") == "0.0200");
  // A bare prefix applies to the indicator's own unit: 人 → 万人, 人次 → 万人次, 元 → 万元.
  CHECK(render(m, "{insured@x1:万}") == "1.44");
  CHECK(render(m, "{training:万}") == "1.23");  // 12345 人次 = 1.2345 万人次
  CHECK(render(m, "{training:万:3}") == "1.235");
  CHECK(render(m, "{training:万人次:4}") == "1.2345");
  CHECK(render(m, "{subsidy:万}") == "0.13");
  CHECK(render(m, "共发放{loan:亿元}亿元，培训{training:万}万人次。") == "共发放1.23亿元，培训1.23万人次。");
}

TEST_CASE("report: {code:target} shows a cap and a floor target") {
  model m = report_model();
  CHECK(render(m, "{rate:target}") == "3.5");  // the cap as written
  CHECK(render(m, "{jobs:target}") == "800");  // a floor
  CHECK(render(m, "{jobs@x1:target}") == "120");
  CHECK(render(m, "{jobs@x3:target}") == "30");
  CHECK(render(m, "失业率{rate}%，控制在{rate:target}%以内") == "失业率2.80%，控制在3.5%以内");
  // The target of the report's year also serves a year-to-date report.
  CHECK(render(m, "{jobs:target}", "X", ytd9) == "800");
}

TEST_CASE("report: {code:completion} is actual / target × 100 at 1 decimal, half-up") {
  model m = report_model();
  CHECK(render(m, "{jobs:completion}") == "25.0");        // 200 / 800
  CHECK(render(m, "{jobs@C:completion}") == "31.3");      // 250 / 800 = 31.25 → 31.3
  CHECK(render(m, "{jobs@x3:completion}") == "66.7");     // 20 / 30 = 66.66…
  CHECK(render(m, "{jobs@x1:completion}") == "100.0");    // 120 / 120
  CHECK(render(m, "{jobs@x2:completion}") == "120.0");    // 60 / 50
  CHECK(render(m, "{jobs:completion}", "X", ytd9) == "18.1");      // 145 / 800 = 18.125
  CHECK(render(m, "{jobs@x2:completion}", "X", ytd9) == "90.0");   // 45 / 50
  CHECK(render(m, "{jobs@x1:completion}", "X", ytd9) == "75.0");   // 90 / 120
  CHECK(render(m, "{jobs@C:completion:2}") == "31.25");
}

TEST_CASE("report: {code:progress} against 序时进度 mid-year and the outcome at year end") {
  model m = report_model();
  // 1-9月: 序时进度 9/12 = 75 %, tolerance 0.
  CHECK(render(m, "{jobs@x2:progress}", "X", ytd9) == "快于序时进度");        // 90.0 % > 75 %
  CHECK(render(m, "{jobs:progress}", "X", ytd9) == "慢于序时进度");           // 18.1 % < 75 %
  CHECK(render(m, "{jobs@x1:progress}", "X", ytd9) == "与序时进度基本一致");  // exactly 75 %
  CHECK(render(m, "{jobs@x3:progress}", "X", ytd9) == "年末考核");            // schedule year_end
  // Whole year: the outcome.
  CHECK(render(m, "{jobs@x2:progress}") == "超额完成");  // 60 > 50
  CHECK(render(m, "{jobs@x1:progress}") == "完成");      // 120 = 120
  CHECK(render(m, "{jobs:progress}") == "未完成");       // 200 < 800
  CHECK(render(m, "{jobs@x3:progress}") == "未完成");    // year_end schedule, judged now: 20 < 30
  CHECK(render(m, "甲县完成年度任务的{jobs:completion}%，{jobs:progress}", "X", ytd9) ==
        "甲县完成年度任务的18.1%，慢于序时进度");
}

TEST_CASE("report: {code:yoy} in words for a ratio and for a flow, {code:yoy_diff} signed") {
  model m = report_model();
  // A ratio: the difference of the two published rates in 个百分点.
  CHECK(render(m, "{rate:yoy}") == "上升0.07个百分点");      // 2.80 − 2.73
  CHECK(render(m, "{rate@x1:yoy}") == "上升0.20个百分点");   // 3.00 − 2.80
  CHECK(render(m, "{rate@x3:yoy}") == "下降0.25个百分点");   // 0.50 − 0.75
  CHECK(render(m, "{rate@x2:yoy}") == "持平");               // 10.00 − 10.00
  CHECK(render(m, "{rate:yoy_diff}") == "+0.07");
  CHECK(render(m, "{rate@x3:yoy_diff}") == "-0.25");
  CHECK(render(m, "{rate@x2:yoy_diff}") == "0.00");
  // A flow: the growth rate, 1 decimal, half-up.
  CHECK(render(m, "{jobs:yoy}") == "增长25.0%");       // (200 − 160) / 160
  CHECK(render(m, "{jobs@Y:yoy}") == "下降37.5%");     // (50 − 80) / 80
  CHECK(render(m, "{jobs@C:yoy}") == "增长4.2%");      // (250 − 240) / 240 = 4.166…
  CHECK(render(m, "{jobs@C:yoy:2}") == "增长4.17%");
  CHECK(render(m, "{jobs@x2:yoy}") == "持平");         // 60 and 60
  CHECK(render(m, "{jobs@x_ex3:yoy}") == "增长12.5%");  // (180 − 160) / 160
  CHECK(render(m, "{jobs:yoy_diff}") == "+40");
  CHECK(render(m, "{jobs@Y:yoy_diff}") == "-30");
  CHECK(render(m, "{jobs@x2:yoy_diff}") == "0");
  CHECK(render(m, "{jobs@x3:yoy_diff}") == "+20");     // from 0: the difference exists, the rate does not
  CHECK(render(m, "新增就业{jobs}人，同比{jobs:yoy}（{jobs:yoy_diff}人）") == "新增就业200人，同比增长25.0%（+40人）");
}

TEST_CASE("report: {code:coverage} shows reporting / expected leaves") {
  model m = report_model();
  CHECK(render(m, "{jobs:coverage}", "X", ytd9) == "2/3");  // x3 did not report in September
  CHECK(render(m, "{jobs:coverage}", "X", period::month(2021, 9)) == "2/3");
  CHECK(render(m, "{jobs:coverage}") == "3/3");              // all three reported in December
  CHECK(render(m, "{jobs@C:coverage}") == "4/4");
  CHECK(render(m, "{jobs@x_ex3:coverage}", "X", ytd9) == "2/2");
  CHECK(render(m, "{rate@Y:coverage}") == "0/1");            // coverage exists even without a value
}

TEST_CASE("report: {code@REGION} and {code@SCOPE} with any modifier") {
  model m = report_model();
  CHECK(render(m, "{jobs@C}") == "250");
  CHECK(render(m, "{jobs@Y}") == "50");
  CHECK(render(m, "{jobs@y1}") == "50");
  CHECK(render(m, "{jobs@X}", "C") == "200");          // a child of the report's region
  CHECK(render(m, "{jobs@x_ex3}") == "180");           // 甲县（不含甲三镇）: 120 + 60
  CHECK(render(m, "{jobs@x_ex3}", "X", ytd9) == "135");  // 90 + 45
  CHECK(render(m, "{insured@x_ex3:万人}") == "2.00");  // x3 has no insured: 14449 + 5551
  CHECK(render(m, "{loan@x_ex3:亿元:4}") == "1.2345");
  CHECK(render(m, "{rate@x_ex3}") == "3.64");          // (30 + 10) / (1000 + 100) = 3.6363…
  CHECK(render(m, "{jobs@x_ex3:yoy_diff}") == "+20");
  CHECK(render(m, "{region}{jobs}人，其中不含甲三镇{jobs@x_ex3}人，全市{jobs@C}人") == "甲县200人，其中不含甲三镇180人，全市250人");
}

TEST_CASE("report: {{ and }} are literal braces") {
  model m = report_model();
  CHECK(render(m, "{{region}} = {region}") == "{region} = 甲县");
  CHECK(render(m, "{{{region}}}") == "{甲县}");
  CHECK(render(m, "}}{{") == "}{");
  CHECK(render(m, "{{}}") == "{}");
  CHECK(render(m, "{{jobs:万人}}：{jobs:万人:4}") == "{jobs:万人}：0.0200");
}

TEST_CASE("report: unknown indicator, modifier, region or scope is a load_error at the '{'") {
  model m = report_model();
  auto f = fail_of(m, "全县{nope}人");
  REQUIRE(f);
  CHECK(f->code == errc::parse);
  CHECK(f->where.file == "<template>");
  CHECK(f->where.line == 1);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "unknown indicator 'nope'"));
  CHECK(has(f->what, "<template>:1:3: "));

  f = fail_of(m, "{jobs:foo}");
  REQUIRE(f);
  CHECK(f->where.line == 1);
  CHECK(f->where.column == 1);
  CHECK(has(f->reason, "unknown modifier 'foo'"));

  f = fail_of(m, "ab{jobs:万人次}");  // a unit that does not exist for people is no unit of this indicator
  REQUIRE(f);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "cannot show 'jobs'"));

  f = fail_of(m, "ab{jobs@Z9}");
  REQUIRE(f);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "unknown region or scope 'Z9'"));

  f = fail_of(m, "ab{jobs@Z9:万人}");
  REQUIRE(f);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "unknown region or scope 'Z9'"));

  f = fail_of(m, "{nope@X}");
  REQUIRE(f);
  CHECK(has(f->reason, "unknown indicator 'nope'"));

  // An '@' with nothing after it names no region: an error, not the report's own region.
  f = fail_of(m, "a{jobs@}");
  REQUIRE(f);
  CHECK(f->where.column == 2);
  CHECK(has(f->reason, "unknown region or scope ''"));
}

TEST_CASE("report: unterminated '{', a lone '}', '{' inside a placeholder and {} are load_errors") {
  model m = report_model();
  auto f = fail_of(m, "新增就业{jobs人");
  REQUIRE(f);
  CHECK(f->where.line == 1);
  CHECK(f->where.column == 5);
  CHECK(has(f->reason, "unterminated placeholder"));

  f = fail_of(m, "新增就业{");  // at the very end of the text
  REQUIRE(f);
  CHECK(f->where.line == 1);
  CHECK(f->where.column == 5);
  CHECK(has(f->reason, "unterminated placeholder"));

  f = fail_of(m, "第一行\n新增{jobs\n}人");  // its '}' is on the next line
  REQUIRE(f);
  CHECK(f->where.line == 2);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "unterminated placeholder"));

  f = fail_of(m, "失业率控制在3.5%}以内");
  REQUIRE(f);
  CHECK(f->where.line == 1);
  CHECK(f->where.column == 11);
  CHECK(has(f->reason, "lone '}'"));

  f = fail_of(m, "{jobs}}");  // one '}' closes, the next is alone
  REQUIRE(f);
  CHECK(f->where.column == 7);
  CHECK(has(f->reason, "lone '}'"));

  f = fail_of(m, "ab{jo{bs}");  // reported at the placeholder's opening '{'
  REQUIRE(f);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "'{' inside a placeholder"));

  f = fail_of(m, "空{}");
  REQUIRE(f);
  CHECK(f->where.column == 2);
  CHECK(has(f->reason, "empty placeholder"));
}

TEST_CASE("report: a unit of another dimension and bad decimals are load_errors") {
  model m = report_model();
  auto f = fail_of(m, "贷款{loan:万人}");
  REQUIRE(f);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "cannot show 'loan' (万元) in 万人"));

  f = fail_of(m, "{rate:万元}");
  REQUIRE(f);
  CHECK(has(f->reason, "cannot show 'rate'"));

  f = fail_of(m, "贷款{loan:亿}");  // 亿 + 万元 is no unit
  REQUIRE(f);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "no unit 亿万元"));

  f = fail_of(m, "贷款{loan:万元:x}");
  REQUIRE(f);
  CHECK(f->where.column == 3);
  CHECK(has(f->reason, "decimals must be a number"));

  f = fail_of(m, "{loan:万元:-1}");
  REQUIRE(f);
  CHECK(has(f->reason, "decimals must be a number"));

  f = fail_of(m, "{loan:万元:10}");
  REQUIRE(f);
  CHECK(has(f->reason, "at most 9 decimals"));
}

TEST_CASE("report: the column of an error counts characters, not bytes, on later lines") {
  model m = report_model();
  // Line 3 starts with four Chinese characters (12 bytes): the '{' is character 5.
  auto f = fail_of(m, "一、就业创业\n（一）全县新增就业{jobs}人\n全县新增{nope}人", "county.tmpl");
  REQUIRE(f);
  CHECK(f->where.file == "county.tmpl");
  CHECK(f->where.line == 3);
  CHECK(f->where.column == 5);
  CHECK(has(f->what, "county.tmpl:3:5: "));
  CHECK(has(f->reason, "unknown indicator 'nope'"));
  // Full-width punctuation counts one each as well.
  f = fail_of(m, "“战略重点”，（{jobs:bad}）");
  REQUIRE(f);
  CHECK(f->where.column == 9);
}

TEST_CASE("report: a missing value renders as — with one warning naming the placeholder and its place") {
  model m = report_model();
  // Y reported no jobs before December: nothing for 1-9月, never 0.
  report_result r = full(m, "新增{jobs@Y}人", "X", ytd9);
  CHECK(r.text == "新增—人");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == "<template>:1:3: {jobs@Y}: no value (0 of 1 reported) for 乙县 2021年1-9月");

  // The report's own region, a whole year: y1 never reports the parts of the rate.
  r = full(m, "失业率{rate}%", "Y", y2021);
  CHECK(r.text == "失业率—%");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == "<template>:1:4: {rate}: no value (0 of 1 reported) for 乙县 2021年");
}

TEST_CASE("report: each missing value gets its own warning with line:column") {
  model m = report_model();
  report_result r = full(m, "第一行\n　　{rate@Y}%，{jobs@Y}人，{jobs}人", "X", ytd9);
  CHECK(r.text == "第一行\n　　—%，—人，145人");
  // {jobs}: 145 from 2 of 3 towns is shown, and says it is partial (the template does not show coverage).
  REQUIRE(r.warnings.size() == 3);
  CHECK(r.warnings[2] == "<template>:2:23: {jobs}: partial: 2 of 3 reported for 甲县 2021年1-9月");
  CHECK(has(r.warnings[0], "<template>:2:3: {rate@Y}: no value"));
  CHECK(has(r.warnings[0], "乙县"));
  CHECK(has(r.warnings[1], "<template>:2:13: {jobs@Y}: no value"));
  CHECK(r.text.find('0') == std::string::npos);  // no silent 0
  // A missing value in another unit is missing too, not 0.00.
  r = full(m, "{jobs@Y:万人}", "X", ytd9);
  CHECK(r.text == "—");
  REQUIRE(r.warnings.size() == 1);
  CHECK(has(r.warnings[0], "<template>:1:1: {jobs@Y:万人}: no value"));
}

TEST_CASE("report: a missing target, last-year value or zero base renders — with a warning") {
  model m = report_model();
  // Y has no target: target, completion and progress are all missing.
  report_result r = full(m, "{jobs@Y:target}/{jobs@Y:completion}/{jobs@Y:progress}");
  CHECK(r.text == "—/—/—");
  REQUIRE(r.warnings.size() == 3);
  CHECK(has(r.warnings[0], "<template>:1:1: {jobs@Y:target}: no target"));
  CHECK(has(r.warnings[1], "<template>:1:17: {jobs@Y:completion}: no target"));
  CHECK(has(r.warnings[2], "<template>:1:37: {jobs@Y:progress}: no target"));

  // A target but no value: completion cannot be worked out.
  r = full(m, "{jobs:completion}", "X", period::month(2021, 1));
  CHECK(r.text == "—");
  REQUIRE(r.warnings.size() == 1);
  CHECK(has(r.warnings[0], "{jobs:completion}: no value"));

  // No loan was reported in 2020: no 同比.
  r = full(m, "同比{loan:yoy}，{loan:yoy_diff}");
  CHECK(r.text == "同比—，—");
  REQUIRE(r.warnings.size() == 2);
  CHECK(has(r.warnings[0], "<template>:1:3: {loan:yoy}: no value a year earlier"));
  CHECK(has(r.warnings[1], "<template>:1:14: {loan:yoy_diff}: no value a year earlier"));

  // No value this year: the current value is what is missing.
  r = full(m, "{jobs@Y:yoy}", "X", ytd9);
  CHECK(r.text == "—");
  REQUIRE(r.warnings.size() == 1);
  CHECK(has(r.warnings[0], "{jobs@Y:yoy}: no value"));
  CHECK_FALSE(has(r.warnings[0], "a year earlier"));

  // x3 created 0 jobs in 2020: a growth rate from 0 does not exist (the difference does).
  r = full(m, "{jobs@x3:yoy}（{jobs@x3:yoy_diff}）");
  CHECK(r.text == "—（+20）");
  REQUIRE(r.warnings.size() == 1);
  CHECK(has(r.warnings[0], "<template>:1:1: {jobs@x3:yoy}: no growth rate from a zero base"));
}

TEST_CASE("report: a scope has only its own targets, never the report region's") {
  model m = report_model();
  // X has a jobs target of 800; 甲县（不含甲三镇） has none here, and must not borrow X's.
  for (std::string t : {"{jobs@x_ex3:target}", "{jobs@x_ex3:completion}", "{jobs@x_ex3:progress}"}) {
    CAPTURE(t);
    report_result r = full(m, t);
    CHECK(r.text == "—");
    REQUIRE(r.warnings.size() == 1);
    CHECK(has(r.warnings[0], "no target"));
  }
  // With a target of its own in targets.csv: 180 of 200 → 90.0 %, judged at the year's end → 未完成.
  std::vector<target> ts = report_targets(m);
  std::vector<target> own = parse_targets("region,indicator,period,kind,value\nx_ex3,jobs,2021,floor,200\n", "t.csv", m);
  ts.insert(ts.end(), own.begin(), own.end());
  report_result r = render_report(m, "{jobs@x_ex3:target} {jobs@x_ex3:completion} {jobs:target}", m.regions().require("X"), y2021, ts);
  CHECK(r.warnings.empty());
  CHECK(r.text == "200 90.0 800");
}

TEST_CASE("report: rendering before rollup() is a state error") {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/report/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/report/indicators.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/report/observations.csv");
  try {
    render_report(m, "{region}", m.regions().require("X"), y2021, {});
    FAIL("render_report before rollup() did not throw");
  } catch (const load_error& e) {
    FAIL("expected a state error, got a load_error: ", e.what());
  } catch (const error& e) {
    CHECK(e.code() == errc::state);
    CHECK(has(e.what(), "rollup()"));
  }
  // After the roll-up the same call renders.
  m.rollup();
  CHECK(render_report(m, "{region}{jobs}", m.regions().require("X"), y2021, {}).text == "甲县200");
}

namespace {

model example_model(const std::string& dir, bool scopes) {
  model m;
  m.load_regions(dir + "/regions.csv");
  m.load_indicators(dir + "/indicators.csv");
  if (scopes) m.load_scopes(dir + "/scopes.csv");
  m.load_observations(dir + "/observations.csv");
  m.rollup();
  return m;
}

std::string value_text(const model& m, const char* region, const period& p, const char* code) {
  aggregate a = m.value(m.regions().require(region), p, m.indicators().require(code));
  REQUIRE(a.value);
  return a.value->to_string();
}

// The value in a unit 10^shift larger, at `decimals`, rounded half-up once, by integer arithmetic on
// the mantissa (independent of convert() and rescaled()).
std::string in_larger_unit(const model& m, const char* region, const period& p, const char* code, int shift, int decimals) {
  aggregate a = m.value(m.regions().require(region), p, m.indicators().require(code));
  REQUIRE(a.value);
  REQUIRE(a.value->sign() >= 0);
  const int scale = a.value->scale();
  auto mant = a.value->to_scaled_int64(scale);
  REQUIRE(mant);
  int drop = scale + shift - decimals;  // digits to drop from the mantissa
  REQUIRE(drop > 0);
  std::int64_t div = 1;
  for (int k = 0; k < drop; ++k) div *= 10;
  std::int64_t q = (*mant + div / 2) / div;  // half-up for a non-negative value
  std::string digits = std::to_string(q);
  if (decimals == 0) return digits;
  if (digits.size() <= static_cast<std::size_t>(decimals)) digits.insert(0, static_cast<std::size_t>(decimals) - digits.size() + 1, '0');
  digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
  return digits;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t q = 0;
  while (q <= text.size()) {
    std::size_t z = text.find('\n', q);
    if (z == std::string::npos) z = text.size();
    out.push_back(text.substr(q, z - q));
    q = z + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("report: the county example renders completely with the rolled-up values") {
  const std::string dir = ZHIBIAO_SOURCE_DIR "/examples/county";
  model m = example_model(dir, true);
  std::vector<target> targets = parse_targets(csv::read_file(dir + "/targets.csv"), "targets.csv", m);
  const period p = period::year(2021);
  report_result r = render_report(m, csv::read_file(dir + "/report.tmpl"), m.regions().require("441521000000"), p, targets,
                                  "report.tmpl");
  const std::string& t = r.text;
  CHECK(t.find('{') == std::string::npos);
  CHECK(t.find('}') == std::string::npos);
  CHECK(t.find('X') == std::string::npos);
  CHECK(has(t, "城镇新增就业3784人"));
  CHECK(has(t, "城镇登记失业率2.10%"));
  CHECK(has(t, "控制在3.5%以内"));
  for (const std::string& w : r.warnings) MESSAGE(w);
  CHECK(r.warnings.empty());

  std::vector<std::string> lines = lines_of(t);
  REQUIRE(lines.size() >= 2);
  const std::string& first = lines[1];  // line 1 is the heading 一、…
  CHECK(first.rfind("2021年，海丰县实现城镇新增就业", 0) == 0);
  const char* county = "441521000000";
  CHECK(has(first, "城镇新增就业" + value_text(m, county, p, "urban_new_employment") + "人"));
  CHECK(has(first, "城镇失业人员再就业" + value_text(m, county, p, "unemployed_reemployed") + "人"));
  CHECK(has(first, "其中就业困难人员再就业" + value_text(m, county, p, "hard_to_employ_employed") + "人"));
  CHECK(has(first, "城镇登记失业率" + value_text(m, county, p, "registered_urban_unemployment_rate") + "%"));
  CHECK(has(first, "发放创业担保贷款" + value_text(m, county, p, "startup_guarantee_loan_amount") + "万元"));
  CHECK(value_text(m, county, p, "urban_new_employment") == "3784");
  CHECK(value_text(m, county, p, "registered_urban_unemployment_rate") == "2.10");
}

TEST_CASE("report: the city example shows its roll-up in 万人 and 亿元") {
  const std::string dir = ZHIBIAO_SOURCE_DIR "/examples/city";
  model m = example_model(dir, false);
  std::vector<target> targets = parse_targets(csv::read_file(dir + "/targets.csv"), "targets.csv", m);
  const period p = period::year(2021);
  const char* city = "440700000000";
  report_result r = render_report(m, csv::read_file(dir + "/report.tmpl"), m.regions().require(city), p, targets, "report.tmpl");
  const std::string& t = r.text;
  for (const std::string& w : r.warnings) MESSAGE(w);
  CHECK(r.warnings.empty());
  CHECK(t.find('{') == std::string::npos);
  CHECK(t.find('}') == std::string::npos);
  CHECK(t.find("—") == std::string::npos);
  CHECK(has(t, "全年，全市城镇新增就业"));
  // 人 → 万人 and 人次 → 万人次: shift 4; 万元 → 亿元: shift 4; 2 decimals, half-up once.
  CHECK(has(t, "城镇新增就业" + in_larger_unit(m, city, p, "urban_new_employment", 4, 2) + "万人"));
  CHECK(has(t, "城镇失业人员再就业" + in_larger_unit(m, city, p, "unemployed_reemployed", 4, 2) + "万人"));
  CHECK(has(t, "创业担保贷款" + in_larger_unit(m, city, p, "startup_guarantee_loan_amount", 4, 2) + "亿元"));
  CHECK(has(t, "就业创业补贴" + in_larger_unit(m, city, p, "employment_subsidy_amount", 4, 2) + "亿元"));
  CHECK(has(t, "专业技术人才" + in_larger_unit(m, city, p, "professional_technical_talent", 4, 2) + "万人"));
  CHECK(has(t, "就业困难人员实现就业" + value_text(m, city, p, "hard_to_employ_employed") + "人"));
  CHECK(has(t, "城镇登记失业率控制在" + value_text(m, city, p, "registered_urban_unemployment_rate") + "%"));
  CHECK(has(t, "共发放" + value_text(m, city, p, "startup_guarantee_loan_count") + "笔"));
  CHECK(has(t, "控制在年度目标3.5%以内"));
  // Summed by hand over observations.csv: the 8 leaves' 2021 1-12月 城镇新增就业 add to 45479 against a
  // target of 40000 (113.7%), the highest 完成率 of the 21 cities; December's 20580 registered unemployed
  // and 866773 employed make 20580 / 887353 = 2.319…%; the loans add to 26873.00万元 = 2.69亿元; the
  // December stocks of 专业技术人才 add to 238944人 = 23.89万人.
  // Parameters set at the city: 1550 → 1720 元/月 is +10.97%, 15.3 → 16.4 元/小时 is +7.19%.
  for (const char* fragment : {"全市城镇新增就业4.55万人，超额完成年度任务", "城镇新增就业目标完成率113.7%，在全省各地级以上市中排名全省第一",
                               "城镇登记失业率控制在2.32%", "创业担保贷款2.69亿元", "现有专业技术人才23.89万人",
                               "月最低工资标准调升至1720元/月，增幅约11.0%", "调升至16.4元/小时，增幅约7.2%",
                               "全市未发生重特大恶性劳资群体性事件，未发生农民工到省进京聚访闹访事件"}) {
    INFO(fragment);
    CHECK(has(t, fragment));
  }
}
