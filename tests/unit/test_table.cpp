// The 报表 builder (build_table / build_tables, table_csv, the xlsx writer) on the hand-worked data set
// tests/data/report: 示例市 C ⊃ {甲县 X ⊃ {甲一镇 x1, 甲二镇 x2, 甲三镇 x3}, 乙县 Y ⊃ {乙一镇 y1}};
// scope x_ex3 = 甲县（不含甲三镇）. Every expected number is worked out by hand from the files:
//   jobs (flow)   2020: x1 100, x2 60, x3 0, y1 80, all in December (so 2020 1-9月 has no value anywhere)
//                 2021: x1 30 (Mar) 60 (Sep) 30 (Dec); x2 20 (Mar) 25 (Sep) 15 (Dec); x3 10 (Mar) 10 (Dec); y1 50 (Dec)
//                 September: x1 60, x2 25, x3 not reported → X 85 (2 of 3), x_ex3 85 (2 of 2)
//                 1-9月: x1 90, x2 45, x3 10, X 145, x_ex3 135
//                 1-12月: x1 120, x2 60, x3 20, X 200, Y 50, C 250; December: X 55, Y 50, C 105
//                 同比 1-12月: x1 (120−100)/100 = 20.0 %, x2 0.0 %, x3 base 0 → none, X 200/160 → 25.0 %, Y −37.5 %, C 250/240 → 4.2 %
//   rate (ratio of stocks, %, 2) at September: x1 30/1000 = 3.00, x2 10/100 = 10.00, x3 2/400 = 0.50,
//                 X 42/1500 = 2.80, x_ex3 40/1100 = 3.636… → 3.64; 2020: x1 2.80, x2 10.00, x3 0.75, X 41/1500 → 2.73,
//                 x_ex3 38/1100 → 3.45; change in 个百分点: x1 0.20, x2 0.00, x3 −0.25, X 0.07, x_ex3 0.19
//   targets 2021: X jobs floor 800 → 1-9月 145/800 = 18.125 → 18.1 %, 序时进度 9/12 = 75.0 %, behind;
//                 x1 floor 120 → 75.0 % = 75.0 % on_track; x2 floor 50 → 90.0 % ahead; x3 floor 30 year_end → 33.3 %, pending;
//                 C floor 800 → 1-12月 250/800 = 31.25 → 31.3 %, not_met; X rate cap 3.5 → 2.80 within
#include <doctest/doctest.h>

#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/table.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace zhibiao;

namespace {

model table_model() {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/report/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/report/indicators.csv");
  m.load_scopes(ZHIBIAO_TEST_DATA "/report/scopes.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/report/observations.csv");
  m.rollup();
  return m;
}

std::vector<target> table_targets(const model& m) {
  return parse_targets(csv::read_file(ZHIBIAO_TEST_DATA "/report/targets.csv"), "targets.csv", m);
}

table_sheet sheet_of(const model& m, const char* region, const char* when, const char* indicators) {
  table_options opt;
  opt.indicators = parse_indicator_list(m.indicators(), indicators);
  auto sheets = build_tables(m, m.regions().require(region), period::parse(when), table_targets(m), nullptr, opt);
  REQUIRE(sheets.size() == 1);
  return sheets[0];
}

bool has_key(const table_sheet& s, const std::string& key);

// The cell of the row whose code cell is `code`, in the column keyed `key`.
const table_cell& at(const table_sheet& s, const std::string& code, const std::string& key) {
  std::size_t col = s.keys.size();
  for (std::size_t c = 0; c < s.keys.size(); ++c)
    if (s.keys[c] == key) col = c;
  REQUIRE_MESSAGE(col < s.keys.size(), "no column ", key);
  for (const table_row& r : s.rows)
    if (r.cells[0].text == code) return r.cells[col];
  FAIL("no row " << code);
  throw std::logic_error("unreachable");
}

std::string num(const table_cell& c) { return c.number ? c.number->to_string() : std::string("<none>"); }

bool has_key(const table_sheet& s, const std::string& key) {
  for (const std::string& k : s.keys)
    if (k == key) return true;
  return false;
}

}  // namespace

TEST_CASE("table: rows are the children in code order, the parent as 全县合计, then the scopes within it") {
  model m = table_model();
  table_sheet s = sheet_of(m, "X", "2021-09", "jobs");
  REQUIRE(s.rows.size() == 5);
  std::vector<std::string> codes, names;
  for (const table_row& r : s.rows) {
    codes.push_back(r.cells[0].text);
    names.push_back(r.cells[1].text);
  }
  CHECK(codes == std::vector<std::string>{"x1", "x2", "x3", "X", "x_ex3"});
  CHECK(names == std::vector<std::string>{"甲一镇", "甲二镇", "甲三镇", "全县合计", "甲县（不含甲三镇）"});
  CHECK(s.rows[3].role == table_row_role::total);
  CHECK(s.rows[4].role == table_row_role::scope);
  CHECK(s.title == "甲县2021年1-9月就业工作主要指标完成情况表");
  CHECK(s.sheet_name == "甲县");
}

TEST_CASE("table: with declared_order the children come as regions.csv lists them, not in code order") {
  // The bureau lists 镇 b before 镇 a; code order would put a first.
  model m;
  m.load_regions_text("code,name,level,parent\nK,丙县,county,\nk2,丙二镇,town,K\nk1,丙一镇,town,K\n");
  m.load_indicators_text("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\njobs,城镇新增就业,人,flow,0,,,,\n");
  m.load_observations_text("region,period,indicator,value\nk1,2021-01,jobs,1\nk2,2021-01,jobs,2\n");
  m.rollup();
  auto codes = [&](bool declared) {
    table_options opt;
    opt.declared_order = declared;
    auto sheets = build_tables(m, m.regions().require("K"), period::parse("2021-01"), {}, nullptr, opt);
    REQUIRE(sheets.size() == 1);
    std::vector<std::string> out;
    for (const table_row& r : sheets[0].rows) out.push_back(r.cells[0].text);
    return out;
  };
  CHECK(codes(false) == std::vector<std::string>{"k1", "k2", "K"});
  CHECK(codes(true) == std::vector<std::string>{"k2", "k1", "K"});
}

TEST_CASE("table: 本月 and 1-M月累计 of a flow, a missing month is an empty cell with 未报送 (never 0)") {
  model m = table_model();
  table_sheet s = sheet_of(m, "X", "2021-09", "jobs");
  CHECK(num(at(s, "x1", "jobs:monthly")) == "60");
  CHECK(num(at(s, "x2", "jobs:monthly")) == "25");
  CHECK(num(at(s, "X", "jobs:monthly")) == "85");
  CHECK(num(at(s, "x_ex3", "jobs:monthly")) == "85");
  const table_cell& x3 = at(s, "x3", "jobs:monthly");
  CHECK(x3.missing());
  CHECK_FALSE(x3.number);
  CHECK(x3.note == "未报送");
  CHECK(num(at(s, "x1", "jobs:cumulative")) == "90");
  CHECK(num(at(s, "x3", "jobs:cumulative")) == "10");
  CHECK(num(at(s, "X", "jobs:cumulative")) == "145");
  CHECK(num(at(s, "x_ex3", "jobs:cumulative")) == "135");
  CHECK(at(s, "X", "jobs:coverage").text == "2/3");
  CHECK(at(s, "x3", "jobs:coverage").text == "0/1");
  CHECK(at(s, "x_ex3", "jobs:coverage").text == "2/2");
  CHECK(at(s, "x3", "notes").text == "9月未报送");
  CHECK(at(s, "x1", "notes").text.empty());
  // No 1-9月 value in 2020 anywhere: no 同比 column rather than a column of blanks.
  CHECK_FALSE(has_key(s, "jobs:yoy"));
  CHECK(s.columns[3].header == "1-9月累计");
  CHECK(s.columns[3].group == "城镇新增就业（人）");
}

TEST_CASE("table: target columns come from the findings — 完成率, 序时进度 and the status in words") {
  model m = table_model();
  table_sheet s = sheet_of(m, "X", "2021-09", "jobs");
  CHECK(num(at(s, "X", "jobs:target")) == "800");
  CHECK(num(at(s, "X", "jobs:completion")) == "18.1");
  CHECK(num(at(s, "X", "jobs:progress")) == "75.0");
  CHECK(at(s, "X", "jobs:status").text == "慢于序时进度");
  CHECK(at(s, "X", "jobs:status").flagged);
  CHECK(at(s, "X", "jobs:completion").flagged);
  CHECK(num(at(s, "x1", "jobs:completion")) == "75.0");
  CHECK(at(s, "x1", "jobs:status").text == "与序时进度基本一致");
  CHECK_FALSE(at(s, "x1", "jobs:status").flagged);
  CHECK(num(at(s, "x2", "jobs:completion")) == "90.0");
  CHECK(at(s, "x2", "jobs:status").text == "快于序时进度");
  // year_end: a completion but no 序时进度 — not applicable, so empty without a note.
  CHECK(num(at(s, "x3", "jobs:completion")) == "33.3");
  CHECK_FALSE(at(s, "x3", "jobs:progress").number);
  CHECK(at(s, "x3", "jobs:progress").note.empty());
  CHECK(at(s, "x3", "jobs:status").text == "年末考核");
  // A scope has no targets: empty, not missing.
  CHECK_FALSE(at(s, "x_ex3", "jobs:target").missing());
  CHECK(at(s, "x_ex3", "jobs:status").text.empty());
}

TEST_CASE("table: a ratio shows its value 截至M月底 and 同比 in 个百分点; a cap has no 完成率") {
  model m = table_model();
  table_sheet s = sheet_of(m, "X", "2021-09", "rate");
  CHECK(num(at(s, "x1", "rate:cumulative")) == "3.00");
  CHECK(num(at(s, "x2", "rate:cumulative")) == "10.00");
  CHECK(num(at(s, "x3", "rate:cumulative")) == "0.50");
  CHECK(num(at(s, "X", "rate:cumulative")) == "2.80");
  CHECK(num(at(s, "x_ex3", "rate:cumulative")) == "3.64");
  CHECK(num(at(s, "x1", "rate:yoy")) == "0.20");
  CHECK(num(at(s, "x2", "rate:yoy")) == "0.00");
  CHECK(num(at(s, "x3", "rate:yoy")) == "-0.25");
  CHECK(num(at(s, "X", "rate:yoy")) == "0.07");
  CHECK(num(at(s, "x_ex3", "rate:yoy")) == "0.19");
  CHECK(num(at(s, "X", "rate:target")) == "3.50");
  CHECK(at(s, "X", "rate:status").text == "达标");
  CHECK_FALSE(has_key(s, "rate:monthly"));
  CHECK_FALSE(has_key(s, "rate:completion"));
  CHECK_FALSE(has_key(s, "rate:progress"));
  CHECK_FALSE(has_key(s, "rate:coverage"));  // every part reported in September everywhere
  CHECK(s.columns[2].header == "截至9月底");
  CHECK(s.columns[3].header == "同比（个百分点）");
}

TEST_CASE("table: a rate over its cap is marked on the value and the status") {
  model m = table_model();
  // 甲县's rate at September is 42/1500 = 2.80 %: over a cap of 2.5.
  auto targets = parse_targets("region,indicator,period,kind,value\nX,rate,2021,cap,2.5\n", "targets.csv", m);
  table_options opt;
  opt.indicators = parse_indicator_list(m.indicators(), "rate");
  auto sheets = build_tables(m, m.regions().require("X"), period::parse("2021-09"), targets, nullptr, opt);
  REQUIRE(sheets.size() == 1);
  CHECK(num(at(sheets[0], "X", "rate:cumulative")) == "2.80");
  CHECK(at(sheets[0], "X", "rate:cumulative").flagged);
  CHECK(at(sheets[0], "X", "rate:status").text == "超标");
  CHECK(at(sheets[0], "X", "rate:status").flagged);
  CHECK(num(at(sheets[0], "X", "rate:target")) == "2.50");
  CHECK_FALSE(at(sheets[0], "x2", "rate:cumulative").flagged);  // 10.00 % but no target for 甲二镇
  bool listed = false;
  for (const table_problem& p : sheets[0].problems)
    listed = listed || (p.status == "breached" && p.status_zh == "超标" && p.check_zh == "目标" && p.period == "2021年1-9月");
  CHECK(listed);
}

TEST_CASE("table: 同比 growth at December, a zero base gives no growth; a finished year has no 序时进度 column") {
  model m = table_model();
  table_sheet x = sheet_of(m, "X", "2021-12", "jobs");
  CHECK(num(at(x, "x1", "jobs:yoy")) == "20.0");
  CHECK(num(at(x, "x2", "jobs:yoy")) == "0.0");
  CHECK(at(x, "x3", "jobs:yoy").note == "上年同期为0，不计算增长");
  CHECK(num(at(x, "X", "jobs:yoy")) == "25.0");
  table_sheet c = sheet_of(m, "C", "2021年1-12月", "jobs");
  std::vector<std::string> codes;
  for (const table_row& r : c.rows) codes.push_back(r.cells[0].text);
  CHECK(codes == std::vector<std::string>{"X", "Y", "C", "x_ex3"});
  CHECK(at(c, "C", "name").text == "全市合计");
  CHECK(num(at(c, "Y", "jobs:yoy")) == "-37.5");
  CHECK(num(at(c, "C", "jobs:yoy")) == "4.2");
  CHECK(num(at(c, "C", "jobs:monthly")) == "105");
  CHECK(num(at(c, "C", "jobs:cumulative")) == "250");
  CHECK(num(at(c, "C", "jobs:completion")) == "31.3");
  CHECK(at(c, "C", "jobs:status").text == "未完成");
  CHECK(at(c, "C", "jobs:status").flagged);
  CHECK_FALSE(has_key(c, "jobs:progress"));
  CHECK(has_key(c, "jobs:completion"));
  CHECK_FALSE(at(c, "Y", "jobs:target").number);  // 乙县 has no target
  // The findings that need attention are on the sheet; on-schedule targets are only in the table.
  bool not_met = false;
  for (const table_problem& p : c.problems) not_met = not_met || (p.region_code == "C" && p.status == "not_met");
  CHECK(not_met);
}

TEST_CASE("table: --level county under a city gives one sheet per county, in code order") {
  model m = table_model();
  table_options opt;
  opt.level = level::county;
  opt.indicators = parse_indicator_list(m.indicators(), "jobs,insured");
  auto sheets = build_tables(m, m.regions().require("C"), period::parse("2021-09"), table_targets(m), nullptr, opt);
  REQUIRE(sheets.size() == 2);
  CHECK(sheets[0].sheet_name == "甲县");
  CHECK(sheets[1].sheet_name == "乙县");
  CHECK(sheets[1].rows.size() == 2);  // 乙一镇, 全县合计; the scope lies in 甲县
  CHECK(at(sheets[0], "X", "insured:cumulative").number->to_string() == "20000");
  for (std::size_t c = 0; c < sheets[0].keys.size(); ++c)
    if (sheets[0].keys[c] == "insured:cumulative") CHECK(sheets[0].columns[c].header == "截至9月底");
  CHECK_FALSE(at(sheets[1], "Y", "insured:cumulative").number);
  CHECK(at(sheets[1], "Y", "insured:cumulative").note == "未报送");
}

TEST_CASE("table: CSV has one header line per header level, exact numbers and empty missing cells") {
  model m = table_model();
  table_sheet s = sheet_of(m, "X", "2021-09", "rate");
  std::string csv = table_csv(s);
  std::string expected =
      "代码,名称,城镇登记失业率（%）,城镇登记失业率（%）,城镇登记失业率（%）,城镇登记失业率（%）,备注\n"
      ",,截至9月底,同比（个百分点）,年度目标,完成情况,\n"
      "x1,甲一镇,3.00,0.20,,,\n"
      "x2,甲二镇,10.00,0.00,,,\n"
      "x3,甲三镇,0.50,-0.25,,,\n"
      "X,全县合计,2.80,0.07,3.50,达标,\n"
      "x_ex3,甲县（不含甲三镇）,3.64,0.19,,,\n";
  CHECK(csv == expected);
  CHECK(table_csv(s, true).rfind("code,name,rate:cumulative,rate:yoy,rate:target,rate:status,notes\n", 0) == 0);
  // Several sheets: one after the other, separated by one empty line.
  table_sheet t = sheet_of(m, "X", "2021-09", "jobs");
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  write_table_csv({s, t}, f);
  std::rewind(f);
  std::string back;
  for (int ch; (ch = std::fgetc(f)) != EOF;) back += static_cast<char>(ch);
  std::fclose(f);
  CHECK(back == expected + "\n" + table_csv(t));
}

TEST_CASE("table: periods, unknown codes and widths") {
  model m = table_model();
  CHECK(table_period(period::parse("2021-07")) == period::year_to_date(2021, 7));
  CHECK(table_period(period::parse("2021")) == period::year_to_date(2021, 12));
  CHECK_THROWS_AS(table_period(period::parse("2021Q3")), error);
  CHECK_THROWS_AS(parse_indicator_list(m.indicators(), "jobs,nope"), error);
  CHECK(display_width("海丰县（不含深汕）") == 18);
  CHECK(display_width("15/16") == 5);
  table_options opt;
  opt.level = level::village;
  CHECK_THROWS_AS(build_tables(m, m.regions().require("C"), period::parse("2021-09"), {}, nullptr, opt), error);
}

TEST_CASE("table: the workbook is written (an xlsx is a zip) and an unwritable path is an io error") {
  model m = table_model();
  auto sheets = build_tables(m, m.regions().require("X"), period::parse("2021-09"), table_targets(m), nullptr);
  std::filesystem::path p = std::filesystem::temp_directory_path() / "zhibiao_test_table.xlsx";
  write_table_xlsx(sheets, p.string());
  std::ifstream in(p, std::ios::binary);
  char magic[2] = {0, 0};
  in.read(magic, 2);
  CHECK(magic[0] == 'P');
  CHECK(magic[1] == 'K');
  std::filesystem::remove(p);
  try {
    write_table_xlsx(sheets, "/nonexistent-dir/x.xlsx");
    FAIL("expected an io error");
  } catch (const error& e) {
    CHECK(e.code() == errc::io);
  }
}

TEST_CASE("table: a scope's own target fills its row and its problem is in the sheet's 问题清单") {
  model m = table_model();
  // 甲县（不含甲三镇） floor 270: 1-9月 135 / 270 = 50.0 % against 序时进度 75.0 % → behind.
  std::vector<target> ts = table_targets(m);
  std::vector<target> own = parse_targets("region,indicator,period,kind,value\nx_ex3,jobs,2021,floor,270\n", "t.csv", m);
  ts.insert(ts.end(), own.begin(), own.end());
  table_options opt;
  opt.indicators = parse_indicator_list(m.indicators(), "jobs");
  auto sheets = build_tables(m, m.regions().require("X"), period::parse("2021-09"), ts, nullptr, opt);
  REQUIRE(sheets.size() == 1);
  const table_sheet& s = sheets[0];
  CHECK(num(at(s, "x_ex3", "jobs:target")) == "270");
  CHECK(num(at(s, "x_ex3", "jobs:completion")) == "50.0");
  CHECK(num(at(s, "x_ex3", "jobs:progress")) == "75.0");
  CHECK(at(s, "x_ex3", "jobs:status").text == "慢于序时进度");
  // The county's own target is untouched: 145 / 800.
  CHECK(num(at(s, "X", "jobs:completion")) == "18.1");
  bool listed = false;
  for (const table_problem& p : s.problems)
    listed = listed || (p.region_code == "x_ex3" && p.region_name == "甲县（不含甲三镇）" && p.status == "behind");
  CHECK(listed);
}
