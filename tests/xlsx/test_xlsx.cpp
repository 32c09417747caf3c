// The xlsx reader and the wide-table import, on workbooks written by make_workbooks.py (openpyxl and
// hand-built archives) with the observations it worked out independently.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/import.hpp>
#include <zhibiao/xlsx.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace zhibiao;

namespace {

const std::string data = ZHIBIAO_XLSX_DATA;
const std::string county = std::string(ZHIBIAO_SOURCE_DIR) + "/examples/county/";

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) v.push_back(l.back() == '\r' ? l.substr(0, l.size() - 1) : l);
  std::sort(v.begin(), v.end());
  return v;
}

std::string slurp(const std::string& path) { return csv::read_file(path); }

model county_model() {
  model m;
  m.load_regions(county + "regions.csv");
  m.load_indicators(county + "indicators.csv");
  return m;
}

import::options bureau_options() {
  import::options o;
  o.map_path = data + "/map.csv";
  o.under = "441521000000";
  return o;
}

// The error `f` throws, as (class, message); fails the test when it throws nothing.
template <class F>
std::pair<errc, std::string> failure(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return {e.code(), e.what()};
  }
  FAIL("expected an error");
  return {errc::ok, ""};
}

std::pair<errc, std::string> read_failure(const std::string& file, xlsx::limits lim = {}) {
  return failure([&] {
    xlsx::workbook wb(data + "/" + file, lim);
    for (std::size_t k = 0; k < wb.sheet_names().size(); ++k) wb.read_sheet(k);
  });
}

import::options under_county() {
  import::options o;
  o.under = "441521000000";
  return o;
}

// A wide CSV held in memory, read against the county model.
import::table wide(const model& m, const std::string& text, const import::options& o = under_county()) {
  return import::read_bytes(m, text, "t.csv", o);
}

}  // namespace

TEST_CASE("xlsx: cell names") {
  CHECK(xlsx::column_name(1) == "A");
  CHECK(xlsx::column_name(26) == "Z");
  CHECK(xlsx::column_name(27) == "AA");
  CHECK(xlsx::column_name(16384) == "XFD");
  CHECK(xlsx::cell_name(8, 2) == "B8");
  CHECK(xlsx::parse_column("AB") == 28);
  CHECK(xlsx::parse_column("xfd") == 16384);
  CHECK(xlsx::parse_column("XFE") == 0);
  CHECK(xlsx::parse_column("A1") == 0);
}

TEST_CASE("xlsx: every kind of cell, rich shared strings and merged ranges") {
  xlsx::workbook wb(data + "/kinds.xlsx");
  REQUIRE(wb.sheet_names() == std::vector<std::string>{"2021年9月"});
  xlsx::sheet s = wb.read_sheet(0);
  REQUIRE(s.cells.size() == 9);
  auto at = [&](std::size_t k) -> const xlsx::cell& { return s.cells[k]; };
  CHECK((at(0).row == 2 && at(0).col == 2 && at(0).type == xlsx::cell_type::text && s.text(at(0)) == "梅陇镇"));  // runs joined, phonetic dropped
  CHECK((at(1).type == xlsx::cell_type::number && at(1).number == 42.900000000000006));
  CHECK((at(2).type == xlsx::cell_type::text && s.text(at(2)) == "内联"));
  CHECK((at(3).type == xlsx::cell_type::boolean && at(3).number == 1));
  CHECK((at(4).type == xlsx::cell_type::text && s.text(at(4)) == "xy"));  // a string formula's cached value
  CHECK((at(5).type == xlsx::cell_type::number && at(5).number == 2));  // a formula's cached value
  CHECK((at(6).type == xlsx::cell_type::error && s.text(at(6)) == "#DIV/0!"));
  CHECK((at(7).col == 9 && at(7).number == 7));  // no r attribute: the column after H
  CHECK((at(8).row == 3 && at(8).col == 1 && s.text(at(8)) == " 合计 "));  // a row without r follows row 2; spaces kept
  REQUIRE(s.merges.size() == 1);
  CHECK((s.merges[0].first_row == 2 && s.merges[0].first_col == 2 && s.merges[0].last_row == 3 && s.merges[0].last_col == 4));
  CHECK(s.xml_bytes > 0);
}

// One sheet's XML around `rows`, read by the given parser in chunks of `chunk` bytes.
xlsx::sheet scan(const std::string& rows, xlsx::sheet_parser parser = xlsx::sheet_parser::fast, std::size_t chunk = 1 << 16,
                 const std::string& head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n") {
  static const std::vector<std::string> shared{"梅陇镇", "合计"};
  const std::string xml = head + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" + rows +
                          "</sheetData></worksheet>";
  return xlsx::parse_sheet_xml(xml, shared, "t.xlsx", "S", {}, parser, chunk);
}

// The one cell's text, checking that the sheet holds exactly one text cell.
std::string only_text(const xlsx::sheet& s) {
  REQUIRE(s.cells.size() == 1);
  CHECK(s.cells[0].type == xlsx::cell_type::text);
  return std::string(s.text(s.cells[0]));
}

TEST_CASE("xlsx scanner: references, line ends, quotes, spacing, prefixes and empty cells") {
  // &#x4E00; is 一 (U+4E00), &#20013; is 中 (U+4E2D); CR LF is reported as LF, as XML says.
  xlsx::sheet s = scan("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a&amp;b&lt;c&gt;&quot;&apos;&#x4E00;&#20013;\r\nz</t></is></c></row>");
  CHECK(s.scanned);
  CHECK(only_text(s) == "a&b<c>\"'一中\nz");
  s = scan("<row r='2'><c t='s' r='D2'><v>0</v></c><c  r = \"E2\"\n\tt=\"n\" ><v >7.25</v ></c ><c r=\"F2\" s=\"3\"/><c r=\"G2\"><v/></c></row>");
  CHECK(s.scanned);
  REQUIRE(s.cells.size() == 2);  // F2 and G2 are styled but empty
  CHECK((s.cells[0].row == 2 && s.cells[0].col == 4 && s.text(s.cells[0]) == "梅陇镇"));
  CHECK((s.cells[1].col == 5 && s.cells[1].type == xlsx::cell_type::number && s.cells[1].number == 7.25));
  s = scan("", xlsx::sheet_parser::fast, 1 << 16, "");
  CHECK((s.scanned && s.cells.empty()));
  // A declaration that never closes is malformed, however the chunks fall.
  for (std::size_t chunk : {3, 7, 1 << 16})
    CHECK(failure([&] { scan("", xlsx::sheet_parser::fast, chunk, "<?xml version=\"1.0\" "); }).second.find("malformed XML") != std::string::npos);
  const std::string prefixed = "<x:worksheet xmlns:x=\"urn:x\"><x:sheetData><x:row x:r=\"3\"><x:c r=\"B3\"><x:v>12</x:v></x:c></x:row>"
                               "</x:sheetData></x:worksheet>";
  s = xlsx::parse_sheet_xml(prefixed, {}, "t.xlsx", "S");
  CHECK(s.scanned);
  REQUIRE(s.cells.size() == 1);
  CHECK((s.cells[0].row == 3 && s.cells[0].col == 2 && s.cells[0].number == 12));
}

TEST_CASE("xlsx scanner: every chunk size gives the same sheet as expat") {
  const std::string rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"B1\"><v>42.900000000000006</v></c>"
                           "<c r=\"C1\" t=\"inlineStr\"><is><r><t>甲</t></r><r><t xml:space=\"preserve\"> 乙&amp;</t></r>"
                           "<rPh><t>jia</t></rPh></is></c><c r=\"D1\" t=\"b\"><v>1</v></c><c r=\"E1\" t=\"str\"><f>A1</f><v>x</v></c></row>";
  const xlsx::sheet slow = scan(rows, xlsx::sheet_parser::expat);
  CHECK(!slow.scanned);
  REQUIRE(slow.cells.size() == 5);
  CHECK(slow.text(slow.cells[2]) == "甲 乙&");
  for (std::size_t chunk = 1; chunk <= 40; ++chunk) {
    const xlsx::sheet fast = scan(rows, xlsx::sheet_parser::fast, chunk);
    CHECK(fast.scanned);
    REQUIRE(fast.cells.size() == slow.cells.size());
    for (std::size_t k = 0; k < fast.cells.size(); ++k) {
      CHECK((fast.cells[k].col == slow.cells[k].col && fast.cells[k].type == slow.cells[k].type));
      CHECK(fast.text(fast.cells[k]) == slow.text(slow.cells[k]));
      CHECK(fast.cells[k].number == slow.cells[k].number);
    }
  }
}

TEST_CASE("xlsx scanner: what it leaves to expat still reads, and malformed XML is refused as before") {
  // CDATA, comments, another encoding: read by expat, with the same result.
  xlsx::sheet s = scan("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t><![CDATA[x<y&z]]></t></is></c></row>");
  CHECK(!s.scanned);
  CHECK(only_text(s) == "x<y&z");
  s = scan("<!-- note --><row r=\"1\"><c r=\"A1\" t=\"str\"><v>ok</v></c></row>");
  CHECK((!s.scanned && only_text(s) == "ok"));
  s = scan("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>\xE9</v></c></row>", xlsx::sheet_parser::fast, 1 << 16,
           "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
  CHECK((!s.scanned && only_text(s) == "\xC3\xA9"));  // é in Latin-1, as UTF-8
  for (const std::string bad : {"<row><c r=\"A1\"><v>1</c></v></row>", "<row><c r=\"A1\" r=\"B1\"/></row>", "<row><c r=\"A1\"t=\"s\"/></row>",
                                "<row><c r=\"A1\" t=\"str\"><v>&bogus;</v></c></row>", "<row><c r=\"A1\" t=\"str\"><v>\x01</v></c></row>",
                                "<row><c r=\"A1\" t=\"str\"><v>\xC3</v></c></row>", "<row><c r=\"A1\" t=\"str\"><v>&#0;</v></c></row>",
                                "<row><c r=\"A1\" t=\"str\"><v>a]]>b</v></c></row>", "<row>"}) {
    auto [code, message] = failure([&] { scan(bad); });
    CHECK(code == errc::load);
    CHECK(message.find("malformed XML") != std::string::npos);
    CHECK(message == failure([&] { scan(bad, xlsx::sheet_parser::expat); }).second);
  }
  auto [code, message] = failure([&] { scan("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", xlsx::sheet_parser::fast, 1 << 16, "<!DOCTYPE x [<!ENTITY a \"b\">]>"); });
  CHECK(message.find("DOCTYPE") != std::string::npos);
}

TEST_CASE("xlsx scanner: limits and cell errors are the same as expat's") {
  xlsx::limits lim;
  lim.max_depth = 4;
  const std::string deep = "<worksheet><sheetData><row><c><is><t>x</t></is></c></row></sheetData></worksheet>";
  auto [c1, m1] = failure([&] { xlsx::parse_sheet_xml(deep, {}, "t.xlsx", "S", lim); });
  CHECK(c1 == errc::limit);
  CHECK(m1.find("nested deeper than 4") != std::string::npos);
  lim = {};
  lim.max_cells = 2;
  auto [c2, m2] = failure([&] { xlsx::parse_sheet_xml("<w><c r=\"A1\"><v>1</v></c><c r=\"A2\"><v>2</v></c><c r=\"A3\"><v>3</v></c></w>", {}, "t.xlsx", "S", lim); });
  CHECK(c2 == errc::limit);
  CHECK(m2.find("more than 2 cells") != std::string::npos);
  auto [c3, m3] = failure([&] { scan("<row r=\"8\"><c r=\"B8\" t=\"s\"><v>5</v></c></row>"); });
  CHECK(c3 == errc::load);
  CHECK(m3.find("t.xlsx:S!B8") != std::string::npos);
  CHECK(m3.find("shared string index '5' out of range (2 shared strings)") != std::string::npos);
  auto [c4, m4] = failure([&] { scan("<row r=\"1\"><c r=\"A1\"><v>1e</v></c></row>"); });
  CHECK(m4.find("bad number '1e'") != std::string::npos);
}

TEST_CASE("xlsx: hostile and broken workbooks give the right error class") {
  auto [c1, m1] = read_failure("deep.xlsx");
  CHECK(c1 == errc::limit);
  CHECK(m1.find("nested deeper than 64") != std::string::npos);
  auto [c2, m2] = read_failure("doctype.xlsx");
  CHECK(c2 == errc::load);
  CHECK(m2.find("DOCTYPE") != std::string::npos);
  auto [c3, m3] = read_failure("formula.xlsx");
  CHECK(c3 == errc::load);
  CHECK(m3.find("formula.xlsx:2021年9月!B1: a formula without a cached value") != std::string::npos);
  auto [c4, m4] = read_failure("shared.xlsx");
  CHECK(c4 == errc::load);
  CHECK(m4.find("!B1: shared string index '7' out of range (3 shared strings)") != std::string::npos);
  auto [c5, m5] = read_failure("forged.xlsx");
  CHECK(c5 == errc::limit);
  CHECK(m5.find("longer than its declared size") != std::string::npos);
  auto [c6, m6] = read_failure("bomb.xlsx");
  CHECK(c6 == errc::limit);
  CHECK(m6.find("3221225472 bytes uncompressed") != std::string::npos);
  auto [c7, m7] = read_failure("notzip.xlsx");
  CHECK(c7 == errc::load);
  CHECK(m7.find("not a zip archive") != std::string::npos);
  CHECK(read_failure("missing.xlsx").first == errc::io);
  auto truncated = failure([] { xlsx::workbook wb(std::string_view("PK\x03\x04garbage", 11), "t.xlsx"); });
  CHECK(truncated.first == errc::load);
}

TEST_CASE("xlsx: each limit is enforced") {
  xlsx::limits cells;
  cells.max_cells = 4999;  // cells.xlsx has 500 rows × 10 columns
  auto [c1, m1] = read_failure("cells.xlsx", cells);
  CHECK(c1 == errc::limit);
  CHECK(m1.find("more than 4999 cells") != std::string::npos);
  cells.max_cells = 5000;
  CHECK(xlsx::workbook(data + "/cells.xlsx", cells).read_sheet(0).cells.size() == 5000);
  xlsx::limits entry;
  entry.max_entry_bytes = 10'000;
  CHECK(read_failure("cells.xlsx", entry).first == errc::limit);
  xlsx::limits total;
  total.max_total_bytes = 10'000;
  CHECK(read_failure("cells.xlsx", total).first == errc::limit);
  xlsx::limits shared;
  shared.max_shared_strings = 2;
  auto [c4, m4] = read_failure("shared.xlsx", shared);
  CHECK(c4 == errc::limit);
  CHECK(m4.find("more than 2 shared strings") != std::string::npos);
  xlsx::limits entries;
  entries.max_entries = 4;  // the archive has 6 parts
  CHECK(read_failure("shared.xlsx", entries).first == errc::limit);
  xlsx::limits depth;
  depth.max_depth = 3;  // worksheet > sheetData > row > c is already 4
  CHECK(read_failure("cells.xlsx", depth).first == errc::limit);
}

TEST_CASE("import: merged ranges over the header are bounded") {
  model m = county_model();
  auto [code, msg] = failure([&] { import::read(m, data + "/merges.xlsx", under_county()); });
  CHECK(code == errc::limit);
  CHECK(msg.find("merges.xlsx:2021年9月: more merged ranges over the header than 16 rows of 16384 columns") != std::string::npos);
}

TEST_CASE("import: the bureau workbook imports to exactly the observations worked out by its generator") {
  model m = county_model();
  import::table t = import::read(m, data + "/haifeng.xlsx", bureau_options());
  CHECK(sorted_lines(import::observations_csv(m, t)) == sorted_lines(slurp(data + "/haifeng_expected.csv")));
  // The source of each value is its cell: 梅陇镇 is row 5, 城镇新增就业 column C.
  auto it = std::find_if(t.cells.begin(), t.cells.end(), [&](const import::cell_value& c) {
    return c.region == m.regions().find("441521101000") && c.indicator == m.indicators().find("urban_new_employment");
  });
  REQUIRE(it != t.cells.end());
  CHECK(t.source(*it) == data + "/haifeng.xlsx:2021年9月!C5");
}

TEST_CASE("import: check reports the 合计 row that disagrees with its towns") {
  model m = county_model();
  import::load(m, import::read(m, data + "/haifeng.xlsx", bureau_options()));
  m.rollup();
  // The expected sum of the towns, from the generator's file: every town row of urban_new_employment.
  long towns = 0, total = 0;
  for (const std::string& l : sorted_lines(slurp(data + "/haifeng_expected.csv"))) {
    if (l.find(",urban_new_employment,") == std::string::npos) continue;
    long v = std::stol(l.substr(l.rfind(',') + 1));
    (l.starts_with("441521000000,") ? total : towns) += v;
  }
  REQUIRE(total == towns + 3);
  auto r = m.reconcile();
  REQUIRE(r.size() == 1);
  CHECK(m.regions()[r[0].region].code == "441521000000");
  CHECK(m.indicators()[r[0].indicator].code == "urban_new_employment");
  CHECK(r[0].reported == decimal::from_int(total));
  REQUIRE(r[0].computed);
  CHECK(*r[0].computed == decimal::from_int(towns));
}

TEST_CASE("import: bad cells are named by workbook, sheet and cell") {
  model m = county_model();
  const std::string book = data + "/bad_cells.xlsx";
  struct bad {
    const char* sheet;
    const char* where_and_why;
  };
  for (const bad& b : {bad{"unknown_town", "!B6: unknown town '新城镇' under 441521000000"},
                       bad{"thousands", "!C5: '1,234' has thousands separators"},
                       bad{"fullwidth", "!C5: '１２' has full-width digits"},
                       bad{"decimals", "!G5: 42.9001 has more decimals than the 2 that 'startup_guarantee_loan_amount' keeps"},
                       bad{"boolean", "!C5: 'TRUE' is not a number (a boolean)"},
                       bad{"unit_text", "!C5: '12人' is not a number"},
                       bad{"formula", "!C5: a formula without a cached value"}}) {
    import::options o = bureau_options();
    o.sheet = b.sheet;
    auto [code, msg] = failure([&] { import::read(m, book, o); });
    INFO(msg);
    CHECK(code == errc::load);
    CHECK(msg.find(book + ":" + b.sheet + b.where_and_why) != std::string::npos);
  }
}

TEST_CASE("import: the same table saved as CSV reads through the same mapping") {
  model m = county_model();
  import::options o = bureau_options();
  o.period = "2021年9月";
  import::table t = import::read(m, data + "/wide.csv", o);
  CHECK(sorted_lines(import::observations_csv(m, t)) == sorted_lines(slurp(data + "/wide_expected.csv")));
}

TEST_CASE("import: headers, regions and periods of a wide table") {
  model m = county_model();
  // Period from the title (year to date), a code column, units converted exactly (万元 → 元).
  import::table t = wide(m, "海丰县2021年1-9月累计,\n代码,一次性创业资助金额（万元）,城镇新增就业\n441521101000,1.2345,7\n", {});
  CHECK(import::observations_csv(m, t) ==
        "region,period,indicator,value\n441521101000,2021-01..2021-09,subsidy_startup_grant_amount,12345.00\n"
        "441521101000,2021-01..2021-09,urban_new_employment,7\n");
  // A unit row applies the one unit of each dimension it lists; 梅陇 matches 梅陇镇.
  t = wide(m, "2021年3月\n单位：元、人\n镇,发放创业担保贷款,城镇新增就业\n梅陇,12300,3\n");
  CHECK(import::observations_csv(m, t) ==
        "region,period,indicator,value\n441521101000,2021-03,startup_guarantee_loan_amount,1.23\n441521101000,2021-03,urban_new_employment,3\n");
  // MAP.csv by column letter, and the column it ignores.
  const std::string map = (std::filesystem::temp_directory_path() / "zb_map_letters.csv").string();
  std::ofstream(map) << "column,indicator\nB,job_fair_sessions\nC,-\n";
  import::options o = under_county();
  o.map_path = map;
  t = wide(m, "2021年4月\n镇,场,其他\n梅陇镇,2,x\n", o);
  CHECK(import::observations_csv(m, t) == "region,period,indicator,value\n441521101000,2021-04,job_fair_sessions,2\n");
  // A MAP.csv row that matches no column is an error (a typo would otherwise be silently ignored).
  std::ofstream(map) << "column,indicator\nB,job_fair_sessions\n举办招聘会,job_fair_sessions\n";
  auto [c0, m0] = failure([&] { wide(m, "2021年4月\n镇,场\n梅陇镇,2\n", o); });
  CHECK(m0.find("zb_map_letters.csv:3:1 (column): '举办招聘会' matches no column") != std::string::npos);
  std::filesystem::remove(map);
}

TEST_CASE("import: what a wide table may not do") {
  model m = county_model();
  auto fails = [&](const std::string& text, const std::string& fragment, errc code = errc::load, const import::options& o = under_county()) {
    auto [c, msg] = failure([&] { wide(m, text, o); });
    INFO(msg);
    CHECK(c == code);
    CHECK(msg.find(fragment) != std::string::npos);
  };
  fails("2021年9月\n镇,城镇新增就业（万元）\n梅陇镇,1\n", "t.csv:2:2: column B '城镇新增就业（万元）' is in 万元 (money), but 'urban_new_employment' is in 人", errc::unit);
  fails("2021年9月\n镇,新增岗位数\n梅陇镇,1\n", "t.csv:2:2: column B '新增岗位数' matches no indicator");
  fails("2021年9月\n镇,城镇新增就业,urban_new_employment\n梅陇镇,1,2\n", "columns B and C are both 'urban_new_employment'");
  fails("镇,城镇新增就业\n梅陇镇,1\n", "no period");
  fails("2021年9月\n镇,城镇新增就业\n梅陇镇,1\n梅陇镇,2\n", "t.csv:4:2: (441521101000, 2021-09, urban_new_employment) is also given at t.csv:3:2");
  fails("2021年9月\n镇,城镇新增就业\n,5\n", "t.csv:3:2: a value in a row without a region");
  fails("2021年9月\n镇,城镇新增就业\n梅陇镇,1,9\n", "t.csv:3:3: '9' stands in column C, which has no header");
  fails("2021年9月\n镇,城镇新增就业\n梅陇镇,12.5\n", "'12.5' has more decimals than the 0");
  fails("2021年9月\n镇,城镇新增就业\n梅陇镇,-3\n", "t.csv:3:2: negative value -3");
  import::options elsewhere;
  elsewhere.under = "441521101000";
  fails("2021年9月\n镇,城镇新增就业\n小漠镇,1\n", "unknown town '小漠镇' under 441521101000", errc::load, elsewhere);
  fails("2021年9月\n代码,城镇新增就业\n441521999000,1\n", "t.csv:3:1: unknown region code '441521999000'");
  fails("2021年9月\n镇,城镇登记失业率\n梅陇镇,3.1\n", "t.csv:2:2: column B '城镇登记失业率' is the ratio");
  fails("2021年9月\n镇,城镇新增就业\n合计,3\n", "t.csv:3:1: a '合计' row needs --under CODE", errc::load, import::options{"", "", "", ""});
  // Missing marks are missing, never 0; a note row ends nothing and loads nothing.
  import::table t = wide(m, "2021年9月\n镇,城镇新增就业,职业技能培训\n梅陇镇,—,/\n小漠镇,－,\n注：—表示未报\n");
  CHECK(import::observations_csv(m, t) == "region,period,indicator,value\n");
  CHECK(t.cells.size() == 4);
}

TEST_CASE("import: a failed load changes nothing") {
  model m = county_model();
  m.load_observations(county + "observations.csv");
  const std::size_t before = m.observation_count();
  // 2021-09 of every town is in observations.csv already: the workbook's first value is refused.
  auto [c, msg] = failure([&] { import::load(m, import::read(m, data + "/haifeng.xlsx", bureau_options()), {county + "observations.csv"}); });
  CHECK(c == errc::load);
  CHECK(msg.find("haifeng.xlsx:2021年9月!C5: (441521101000, 2021-09, urban_new_employment) = ") != std::string::npos);
  CHECK(msg.find("was already loaded from " + county + "observations.csv:") != std::string::npos);
  CHECK(m.observation_count() == before);
}

TEST_CASE("import: revising with a corrected workbook logs every replaced and cleared value") {
  model m = county_model();
  import::load(m, import::read(m, data + "/haifeng.xlsx", bureau_options()));
  m.rollup();
  import::revision_log log = import::revise(m, import::read(m, data + "/haifeng_corrected.xlsx", bureau_options()));
  std::vector<std::string> got;
  for (const auto& r : log.entries)
    got.push_back(r.region + "," + r.period + "," + r.indicator + "," + (r.old_value ? r.old_value->to_string() : "") + "," +
                  (r.new_value ? r.new_value->to_string() : ""));
  std::sort(got.begin(), got.end());
  auto want = sorted_lines(slurp(data + "/haifeng_revisions_expected.csv"));
  want.erase(std::remove(want.begin(), want.end(), "region,period,indicator,old,new"), want.end());
  CHECK(got == want);
  // The model now holds exactly the corrected workbook, and its total reconciles.
  for (const std::string& l : sorted_lines(slurp(data + "/haifeng_corrected_expected.csv"))) {
    if (l.starts_with("region,")) continue;
    std::vector<std::string> f;
    std::stringstream ss(l);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    auto v = m.reported(m.regions().require(f[0]), period::parse(f[1]), m.indicators().require(f[2]));
    REQUIRE_MESSAGE(v, l);
    CHECK(*v == decimal::parse(f[3]));
  }
  CHECK_FALSE(m.reported(m.regions().require("441521102000"), period::parse("2021-09"), m.indicators().require("vocational_training")));
  CHECK(m.reconcile().empty());
  // The log as CSV, appended with one header.
  const std::string path = (std::filesystem::temp_directory_path() / "zb_revisions.csv").string();
  std::filesystem::remove(path);
  log.append_to(path);
  log.append_to(path);
  auto lines = sorted_lines(slurp(path));
  CHECK(lines.size() == 1 + 2 * want.size());
  CHECK(std::count(lines.begin(), lines.end(), "time,region,period,indicator,old,new,source") == 1);
  CHECK(slurp(path).find(",441521101000,2021-09,urban_new_employment,20,25," + data + "/haifeng_corrected.xlsx:2021年9月!C5\n") !=
        std::string::npos);
  std::filesystem::remove(path);
  // Revising again with the same workbook changes nothing.
  CHECK(import::revise(m, import::read(m, data + "/haifeng_corrected.xlsx", bureau_options())).entries.empty());
}

TEST_CASE("import: --suggest-map names every column with its best guess") {
  model m = county_model();
  import::options o;
  o.under = "441521000000";
  std::string map = import::suggest_map(m, data + "/haifeng.xlsx", o);
  CHECK(map.starts_with("column,indicator\n序号,-\n镇（街道）,region\n城镇新增就业,urban_new_employment\n"));
  CHECK(map.find("城镇失业人员再就业/人数,unemployed_reemployed\n") != std::string::npos);
  CHECK(map.find("一次性创业资助金额（万元）,subsidy_startup_grant_amount\n") != std::string::npos);
  CHECK(map.find("城镇失业人员再就业/其中：就业困难人员,hard_to_employ") != std::string::npos);  // a guess, to be checked
}
