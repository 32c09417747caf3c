// Unit tests for bad text: a control character in a name, code, target, rule or template is a load error
// at its file:line:column (through the C ABI a name with a NUL would come back cut short), while a tab
// inside a quoted field and line breaks in rules and templates stay allowed.
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace {

using namespace zhibiao;
using namespace std::string_literals;

template <class F>
std::optional<error> error_of(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return e;
  }
  return std::nullopt;
}

// The message of the load error `f` throws ("" when it throws none, or another class).
template <class F>
std::string load_message(F&& f) {
  auto e = error_of(f);
  if (!e || e->code() != errc::load) return e ? "wrong class: "s + e->what() : "";
  return e->what();
}

const std::string regions_header = "code,name,level,parent\n";
const std::string small_regions = regions_header + "C1,示例市,city,\nA,甲县,county,C1\na1,甲一镇,town,A\n";
const std::string small_indicators =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\nnew_jobs,城镇新增就业,人,flow,0,,,,\n";

model small_model() {
  model m;
  m.load_regions_text(small_regions, "regions.csv");
  m.load_indicators_text(small_indicators, "indicators.csv");
  m.load_observations_text("region,period,indicator,value\na1,2021-01,new_jobs,3\n", "obs.csv");
  m.rollup();
  return m;
}

}  // namespace

TEST_CASE("text: a NUL in a region name is a load error at its line and column, and changes nothing") {
  model m;
  m.load_regions_text(small_regions, "regions.csv");
  // Line 3, the name (column 2); the message shows the byte as \x00 so it survives as a C string.
  const std::string msg = load_message([&] { m.load_regions_text(regions_header + "C1,示例市,city,\nA,甲\0县,county,C1\n"s, "r.csv"); });
  CHECK(msg == "r.csv:3:2 (name): control character U+0000 (NUL) in a name or code (only a tab, inside quotes, is allowed)");
  CHECK(m.regions().size() == 3);  // the good regions are still there
}

TEST_CASE("text: control characters in codes, quoted names and across quoted line breaks") {
  auto reg = [](const std::string& rows) { return load_message([&] { (void)hierarchy::parse(regions_header + rows, "r.csv"); }); };
  CHECK(reg("C\0"s + "1,市,city,\n").find("r.csv:2:1 (code): control character U+0000 (NUL)") == 0);
  CHECK(reg("C1,\"示例\x1B市\",city,\n").find("r.csv:2:2 (name): control character U+001B (ESC)") == 0);
  // A line break inside a quoted name: reported on the line the field starts on.
  CHECK(reg("C1,市,city,\nA,\"甲\n县\",county,C1\n").find("r.csv:3:2 (name): control character U+000A (LF)") == 0);
  // DEL and a C1 control (U+0085, NEL, as UTF-8 C2 85) in the level column.
  CHECK(reg("C1,市,city\x7F,\n").find("r.csv:2:3 (level): control character U+007F (DEL)") == 0);
  CHECK(reg("C1,市\xC2\x85,city,\n").find("r.csv:2:2 (name): control character U+0085") == 0);
  // A tab in the middle of an unquoted name is refused; inside quotes it is kept.
  CHECK(reg("C1,示例\t市,city,\n").find("r.csv:2:2 (name): control character U+0009 (TAB)") == 0);
  hierarchy h = hierarchy::parse(regions_header + "C1,\"示例\t市\",city,\n", "r.csv");
  CHECK(h[0].versions.front().name == "示例\t市");
  // Spaces and tabs around an unquoted field are trimmed as before, not errors.
  CHECK(hierarchy::parse(regions_header + "C1,\t示例市 ,city,\n", "r.csv")[0].versions.front().name == "示例市");
}

TEST_CASE("text: control characters in indicators.csv, scopes.csv and targets.csv") {
  const std::string ind = load_message([] {
    (void)catalogue::parse("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\nnew_jobs,城镇\0新增,人,flow,0,,,,\n"s, "i.csv");
  });
  CHECK(ind.find("i.csv:2:2 (name): control character U+0000 (NUL)") == 0);
  const std::string code = load_message([] {
    (void)catalogue::parse("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\nnew\x07jobs,城镇新增就业,人,flow,0,,,,\n", "i.csv");
  });
  CHECK(code.find("i.csv:2:1 (code): control character U+0007 (BEL)") == 0);
  model m = small_model();
  CHECK(load_message([&] { m.load_scopes_text("code,name,include,exclude\ns1,\"甲县\0不含\",A,a1\n"s, "s.csv"); })
            .find("s.csv:2:2 (name): control character U+0000 (NUL)") == 0);
  CHECK(load_message([&] { (void)parse_targets("region,indicator,period,kind,value\nA\0,new_jobs,2021,floor,10\n"s, "t.csv", m); })
            .find("t.csv:2:1 (region): control character U+0000 (NUL)") == 0);
}

TEST_CASE("text: a control character in a rule or template is a load error at line and character column") {
  model m = small_model();
  const std::string rules = "# 城镇\nr1 | error | new_jobs >\0= 0\n"s;
  CHECK(load_message([&] { (void)rule_set::parse(rules, "rules.txt", m.indicators()); }) ==
        "rules.txt:2:24: control character U+0000 (NUL) in the text (only tab and line breaks are allowed)");
  CHECK(load_message([&] { (void)rule_set::parse("r1 | error |\tnew_jobs >= 0\r\n", "rules.txt", m.indicators()); }).empty());
  // Column 13 counts characters, not bytes: 城镇 are two characters of three bytes each.
  CHECK(load_message([&] { (void)render_report(m, "第一行\n城镇{new_jobs}\x0C人\n", 1, period::parse("2021-01"), {}, "r.tmpl"); }) ==
        "r.tmpl:2:13: control character U+000C (FF) in the text (only tab and line breaks are allowed)");
  report_result r = render_report(m, "\t{new_jobs}人\r\n", 1, period::parse("2021-01"), {}, "r.tmpl");
  CHECK(r.text == "\t3人\r\n");
}
