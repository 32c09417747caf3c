// Unit tests for the CSV reader (include/zhibiao/csv.hpp, src/csv.cpp) and the error types it
// reports with (include/zhibiao/error.hpp).
#include <zhibiao/csv.hpp>
#include <zhibiao/error.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

using zhibiao::errc;
using zhibiao::load_error;
using zhibiao::location;
namespace csv = zhibiao::csv;

template <class E, class F>
std::optional<E> thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  return std::nullopt;
}

// All records of `data` (no header handling), as strings.
std::vector<std::vector<std::string>> records(std::string_view data, csv::limits lim = {}) {
  csv::reader r(data, "t.csv", lim);
  std::vector<std::vector<std::string>> out;
  while (r.next()) {
    std::vector<std::string> rec;
    for (std::size_t i = 0; i < r.size(); ++i) rec.emplace_back(r[i]);
    out.push_back(std::move(rec));
  }
  return out;
}

// The lines the records of `data` start on.
std::vector<std::size_t> record_lines(std::string_view data) {
  csv::reader r(data, "t.csv");
  std::vector<std::size_t> out;
  while (r.next()) out.push_back(r.line());
  return out;
}

// The load_error raised while reading all of `data` (header-less), or nullopt.
std::optional<load_error> read_error(std::string_view data, csv::limits lim = {}) {
  return thrown<load_error>([&] { records(data, lim); });
}

using rows = std::vector<std::vector<std::string>>;
using lines = std::vector<std::size_t>;

// A file in the temporary directory that is removed at the end of the scope.
struct temp_file {
  std::filesystem::path path;
  explicit temp_file(std::string_view content) {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("zhibiao_test_csv_" + std::to_string(rd()) + "_" + std::to_string(rd()) + ".csv");
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// error.hpp
// ---------------------------------------------------------------------------------------------

TEST_CASE("error: errc numbers and names are stable") {
  CHECK(static_cast<int>(errc::ok) == 0);
  CHECK(static_cast<int>(errc::invalid_argument) == 1);
  CHECK(static_cast<int>(errc::parse) == 2);
  CHECK(static_cast<int>(errc::load) == 3);
  CHECK(static_cast<int>(errc::overflow) == 4);
  CHECK(static_cast<int>(errc::unit) == 5);
  CHECK(static_cast<int>(errc::state) == 6);
  CHECK(static_cast<int>(errc::not_found) == 7);
  CHECK(static_cast<int>(errc::limit) == 8);
  CHECK(static_cast<int>(errc::io) == 9);
  CHECK(static_cast<int>(errc::rule) == 10);
  CHECK(static_cast<int>(errc::internal) == 99);
  CHECK(zhibiao::errc_name(errc::ok) == "ok");
  CHECK(zhibiao::errc_name(errc::invalid_argument) == "invalid_argument");
  CHECK(zhibiao::errc_name(errc::parse) == "parse");
  CHECK(zhibiao::errc_name(errc::load) == "load");
  CHECK(zhibiao::errc_name(errc::overflow) == "overflow");
  CHECK(zhibiao::errc_name(errc::unit) == "unit");
  CHECK(zhibiao::errc_name(errc::state) == "state");
  CHECK(zhibiao::errc_name(errc::not_found) == "not_found");
  CHECK(zhibiao::errc_name(errc::limit) == "limit");
  CHECK(zhibiao::errc_name(errc::io) == "io");
  CHECK(zhibiao::errc_name(errc::rule) == "rule");
  CHECK(zhibiao::errc_name(errc::internal) == "internal");
  CHECK(zhibiao::errc_name(static_cast<errc>(42)) == "unknown");
}

TEST_CASE("error: the exception classes carry code and message") {
  SUBCASE("error") {
    zhibiao::error e(errc::state, "query before roll-up");
    CHECK(e.code() == errc::state);
    CHECK(std::string(e.what()) == "query before roll-up");
    const std::runtime_error& base = e;  // catchable as std::runtime_error
    CHECK(std::string(base.what()) == "query before roll-up");
  }
  SUBCASE("overflow_error") {
    zhibiao::overflow_error e("too big");
    CHECK(e.code() == errc::overflow);
    CHECK(std::string(e.what()) == "too big");
    CHECK_THROWS_AS(throw e, zhibiao::error);
  }
  SUBCASE("parse_error with and without a column") {
    zhibiao::parse_error a("12a", "not a decimal number", 3);
    CHECK(a.code() == errc::parse);
    CHECK(a.text() == "12a");
    CHECK(a.reason() == "not a decimal number");
    CHECK(a.column() == 3);
    CHECK(std::string(a.what()) == "'12a': not a decimal number (at column 3)");
    zhibiao::parse_error b("x", "bad");
    CHECK(b.column() == 0);
    CHECK(std::string(b.what()) == "'x': bad");
  }
  SUBCASE("load_error") {
    load_error e(location{"data.csv", 7, 3, "value"}, "not a number");
    CHECK(e.code() == errc::load);
    CHECK(e.reason() == "not a number");
    CHECK(e.where().file == "data.csv");
    CHECK(e.where().line == 7);
    CHECK(e.where().column == 3);
    CHECK(e.where().field == "value");
    CHECK(std::string(e.what()) == "data.csv:7:3 (value): not a number");
    load_error l(location{"data.csv", 0, 0, {}}, "too large", errc::limit);
    CHECK(l.code() == errc::limit);
    CHECK(std::string(l.what()) == "data.csv: too large");
  }
}

TEST_CASE("error: location to_string is file:line:column (field)") {
  CHECK(zhibiao::to_string(location{"f.csv", 3, 2, "value"}) == "f.csv:3:2 (value)");
  CHECK(zhibiao::to_string(location{"f.csv", 3, 2, {}}) == "f.csv:3:2");
  CHECK(zhibiao::to_string(location{"f.csv", 3, 0, {}}) == "f.csv:3");
  CHECK(zhibiao::to_string(location{"f.csv", 3, 0, "code"}) == "f.csv:3 (code)");
  CHECK(zhibiao::to_string(location{"f.csv", 0, 0, {}}) == "f.csv");
  CHECK(zhibiao::to_string(location{"f.csv", 0, 5, {}}) == "f.csv");  // no line: the column means nothing
  CHECK(zhibiao::to_string(location{"", 0, 0, {}}) == "<input>");
  CHECK(zhibiao::to_string(location{"", 4, 1, "x"}) == "<input>:4:1 (x)");
  CHECK(zhibiao::to_string(location{"<memory>", 12, 10, "单位"}) == "<memory>:12:10 (单位)");
}

// ---------------------------------------------------------------------------------------------
// header
// ---------------------------------------------------------------------------------------------

TEST_CASE("csv: read_header maps required and optional columns") {
  csv::reader r("code,name,value\n110000,北京,12\n", "t.csv");
  r.read_header({"code", "value"}, {"name", "note"});
  CHECK(r.column("code") == 0);
  CHECK(r.column("name") == 1);
  CHECK(r.column("value") == 2);
  CHECK(r.column("note") == -1);
  CHECK(r.column("Code") == -1);  // names are case-sensitive
  CHECK(r.line() == 1);
  REQUIRE(r.next());
  CHECK(r.line() == 2);
  CHECK(r.get(r.column("code")) == "110000");
  CHECK(r.get(r.column("name")) == "北京");
  CHECK(r.get(r.column("value")) == "12");
  CHECK(r.get(r.column("note")).empty());  // absent column
  CHECK_FALSE(r.next());
  CHECK_FALSE(r.next());  // stays at the end
}

TEST_CASE("csv: read_header accepts columns in any order and without the optional ones") {
  csv::reader r("value , code\n1,2\n", "t.csv");  // header names are trimmed too
  r.read_header({"code", "value"}, {"name"});
  CHECK(r.column("value") == 0);
  CHECK(r.column("code") == 1);
  CHECK(r.column("name") == -1);
  REQUIRE(r.next());
  CHECK(r.get(r.column("code")) == "2");
}

TEST_CASE("csv: read_header rejects an unknown column with line and column") {
  csv::reader r("code,nmae\n1,x\n", "t.csv");
  auto e = thrown<load_error>([&] { r.read_header({"code"}, {"name"}); });
  REQUIRE(e);
  CHECK(e->code() == errc::load);
  CHECK(e->where().file == "t.csv");
  CHECK(e->where().line == 1);
  CHECK(e->where().column == 2);
  CHECK(e->where().field == "nmae");
  CHECK(e->reason() == "unknown column 'nmae' (expected header code[,name])");
  CHECK(std::string(e->what()) == "t.csv:1:2 (nmae): unknown column 'nmae' (expected header code[,name])");
}

TEST_CASE("csv: read_header reports the header's own line after blank lines") {
  csv::reader r("\n\ncode,extra\n", "t.csv");
  auto e = thrown<load_error>([&] { r.read_header({"code", "value"}, {}); });
  REQUIRE(e);
  CHECK(e->where().line == 3);
  CHECK(e->where().column == 2);
  CHECK(e->reason().find("unknown column 'extra'") != std::string::npos);
  CHECK(e->reason().find("code,value") != std::string::npos);
}

TEST_CASE("csv: read_header rejects a missing required column") {
  csv::reader r("code,name\n1,x\n", "t.csv");
  auto e = thrown<load_error>([&] { r.read_header({"code", "value"}, {"name"}); });
  REQUIRE(e);
  CHECK(e->code() == errc::load);
  CHECK(e->where().line == 1);
  CHECK(e->where().column == 0);
  CHECK(e->where().field == "value");
  CHECK(std::string(e->what()) == "t.csv:1 (value): missing required column 'value'");
}

TEST_CASE("csv: read_header rejects a duplicate column") {
  csv::reader r("code,value,code\n", "t.csv");
  auto e = thrown<load_error>([&] { r.read_header({"code", "value"}, {}); });
  REQUIRE(e);
  CHECK(e->where().line == 1);
  CHECK(e->where().column == 3);
  CHECK(e->where().field == "code");
  CHECK(std::string(e->what()) == "t.csv:1:3 (code): column named twice");
}

TEST_CASE("csv: read_header on an empty file") {
  for (std::string_view data : {std::string_view(""), std::string_view("\n\n  \r\n"), std::string_view("\xEF\xBB\xBF")}) {
    CAPTURE(data.size());
    csv::reader r(data, "empty.csv");
    auto e = thrown<load_error>([&] { r.read_header({"code"}, {}); });
    REQUIRE(e);
    CHECK(e->code() == errc::load);
    CHECK(e->where().line == 1);
    CHECK(std::string(e->what()) == "empty.csv:1: empty file: a header line is required");
  }
}

TEST_CASE("csv: an empty header name is an unknown column") {
  csv::reader r("code,\n", "t.csv");  // trailing comma: a second, empty column
  auto e = thrown<load_error>([&] { r.read_header({"code"}, {}); });
  REQUIRE(e);
  CHECK(e->where().column == 2);
  CHECK(e->reason().find("unknown column ''") != std::string::npos);
}

TEST_CASE("csv: a record with more fields than the header is an error") {
  csv::reader r("code,name\n1,a\n2,b,extra\n", "t.csv");
  r.read_header({"code", "name"}, {});
  REQUIRE(r.next());
  auto e = thrown<load_error>([&] { r.next(); });
  REQUIRE(e);
  CHECK(e->code() == errc::load);
  CHECK(e->where().line == 3);
  CHECK(e->where().column == 3);
  CHECK(std::string(e->what()) == "t.csv:3:3: 3 fields but the header has 2");
}

TEST_CASE("csv: a record with fewer fields than the header reads as empty fields") {
  csv::reader r("code,name,value\n1\n", "t.csv");
  r.read_header({"code"}, {"name", "value"});
  REQUIRE(r.next());
  CHECK(r.size() == 1);
  CHECK(r.get(r.column("code")) == "1");
  CHECK(r.get(r.column("name")).empty());
  CHECK(r.get(r.column("value")).empty());
  CHECK(r.get(-1).empty());
  CHECK(r.get(99).empty());
}

// ---------------------------------------------------------------------------------------------
// RFC 4180 syntax
// ---------------------------------------------------------------------------------------------

TEST_CASE("csv: BOM, CRLF and quoted fields with commas and doubled quotes") {
  std::string_view data =
      "\xEF\xBB\xBF"
      "code,name\r\n"
      "1,\"Beijing, Haidian\"\r\n"
      "2,\"say \"\"hi\"\"\"\r\n"
      "3,\"\"\"\"\r\n"
      "4,\"\"\r\n";
  csv::reader r(data, "t.csv");
  r.read_header({"code", "name"}, {});
  CHECK(r.column("code") == 0);  // the BOM is not part of the first name
  REQUIRE(r.next());
  CHECK(r.line() == 2);
  CHECK(r[0] == "1");
  CHECK(r[1] == "Beijing, Haidian");
  REQUIRE(r.next());
  CHECK(r.line() == 3);
  CHECK(r[1] == "say \"hi\"");
  REQUIRE(r.next());
  CHECK(r[1] == "\"");
  REQUIRE(r.next());
  CHECK(r.line() == 5);
  CHECK(r.size() == 2);
  CHECK(r[1].empty());
  CHECK_FALSE(r.next());
}

TEST_CASE("csv: a quoted field may span lines and line() counts them") {
  SUBCASE("LF") {
    csv::reader r("code,name\n1,\"line one\nline two\"\n2,x\n", "t.csv");
    r.read_header({"code", "name"}, {});
    REQUIRE(r.next());
    CHECK(r.line() == 2);
    CHECK(r[1] == "line one\nline two");
    REQUIRE(r.next());
    CHECK(r.line() == 4);  // the quoted newline used line 3
    CHECK(r[1] == "x");
  }
  SUBCASE("CRLF is kept inside the quotes") {
    csv::reader r("code,name\r\n1,\"a\r\nb\r\nc\"\r\n2,x\r\n", "t.csv");
    r.read_header({"code", "name"}, {});
    REQUIRE(r.next());
    CHECK(r[1] == "a\r\nb\r\nc");
    REQUIRE(r.next());
    CHECK(r.line() == 5);
  }
  SUBCASE("several multi-line fields in one record, with doubled quotes") {
    CHECK(record_lines("\"a\nb\",\"c\"\"\nd\"\"\ne\"\nz\n") == lines{1, 5});  // three quoted newlines
    CHECK(records("\"a\nb\",\"c\"\"\nd\"\"\ne\"\nz\n") == rows{{"a\nb", "c\"\nd\"\ne"}, {"z"}});
  }
  SUBCASE("the error after a multi-line record names the right line") {
    auto e = read_error("code\n\"a\nb\nc\"\nbad\"quote\n");
    REQUIRE(e);
    CHECK(e->where().line == 5);
  }
}

TEST_CASE("csv: blank lines are skipped and still counted") {
  std::string_view data = "code\n\n1\n   \n\r\n\t\n2\n\n";
  CHECK(records(data) == rows{{"code"}, {"1"}, {"2"}});
  CHECK(record_lines(data) == lines{1, 3, 7});
  csv::reader r(data, "t.csv");
  r.read_header({"code"}, {});
  REQUIRE(r.next());
  CHECK(r.line() == 3);
  REQUIRE(r.next());
  CHECK(r.line() == 7);
  CHECK_FALSE(r.next());
}

TEST_CASE("csv: a line of commas or an empty quoted field is not blank") {
  CHECK(records(",,\n") == rows{{"", "", ""}});
  CHECK(records("\"\"\n") == rows{{""}});
  CHECK(records(" \"\" \n") == rows{{""}});
}

TEST_CASE("csv: unquoted fields are trimmed, quoted ones are not") {
  CHECK(records("  a  ,\tb\t, \"  c  \" ,d e\n") == rows{{"a", "b", "  c  ", "d e"}});
  CHECK(records("a,,b\n") == rows{{"a", "", "b"}});
  CHECK(records("a,b,\n") == rows{{"a", "b", ""}});
  CHECK(records(",a\n") == rows{{"", "a"}});
  CHECK(records("  \"x,y\"  ,z\n") == rows{{"x,y", "z"}});
}

TEST_CASE("csv: line endings LF, CRLF, CR and none at the end") {
  CHECK(records("a,b\nc,d") == rows{{"a", "b"}, {"c", "d"}});
  CHECK(records("a,b\r\nc,d\r\n") == rows{{"a", "b"}, {"c", "d"}});
  CHECK(records("a\rb\r") == rows{{"a"}, {"b"}});
  CHECK(record_lines("a\rb\rc") == lines{1, 2, 3});
  CHECK(records("\"x\"") == rows{{"x"}});
  CHECK(records("") == rows{});
}

TEST_CASE("csv: many quoted fields in one record keep their values") {
  // Enough unescaped text to make the reader's scratch buffer grow several times.
  std::string data;
  std::vector<std::string> expect;
  for (int i = 0; i < 30; ++i) {
    std::string v(static_cast<std::size_t>(i * 7 + 1), static_cast<char>('a' + i % 26));
    v += "\"";
    expect.push_back(v);
    if (i) data += ",";
    data += "\"" + std::string(v.begin(), v.end() - 1) + "\"\"\"";
  }
  data += "\n";
  CHECK(records(data) == rows{expect});
}

TEST_CASE("csv: an unterminated quote names the line it starts on") {
  auto e = read_error("code,name\n1,\"abc\n2,x\n3,y\n");
  REQUIRE(e);
  CHECK(e->code() == errc::load);
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 2);
  CHECK(e->reason() == "unterminated quoted field");
  CHECK(std::string(e->what()) == "t.csv:2:2: unterminated quoted field");
  auto end = read_error("\"");
  REQUIRE(end);
  CHECK(end->where().line == 1);
  CHECK(end->where().column == 1);
}

TEST_CASE("csv: a quote inside an unquoted field is an error") {
  auto e = read_error("code,name\n1,ab\"c\n");
  REQUIRE(e);
  CHECK(e->code() == errc::load);
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 2);
  CHECK(e->reason().find("a quote inside an unquoted field") != std::string::npos);
  CHECK(std::string(e->what()).rfind("t.csv:2:2: ", 0) == 0);
}

TEST_CASE("csv: text after a closing quote is an error") {
  auto e = read_error("code,name\n1,\"ab\"c,2\n");
  REQUIRE(e);
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 2);
  CHECK(e->reason() == "text after a closing quote");
  CHECK_FALSE(read_error("1,\"ab\"  ,2\n"));  // spaces are fine
}

// ---------------------------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------------------------

TEST_CASE("csv: UTF-8 text, including four-byte sequences, is accepted") {
  CHECK(records("code,name\n1,海丰\n") == rows{{"code", "name"}, {"1", "海丰"}});
  CHECK(records("x,\xF0\x9F\x98\x80\n") == rows{{"x", "\xF0\x9F\x98\x80"}});  // U+1F600
  CHECK(records("\xE0\xA0\x80\n") == rows{{"\xE0\xA0\x80"}});                 // U+0800, smallest 3-byte
  CHECK(records("\xC2\x80\n") == rows{{"\xC2\x80"}});                         // U+0080, smallest 2-byte
  CHECK(records("\xF4\x8F\xBF\xBF\n") == rows{{"\xF4\x8F\xBF\xBF"}});         // U+10FFFF
  CHECK_NOTHROW(csv::check_utf8("plain ascii, longer than eight bytes\n", "t.csv"));
}

TEST_CASE("csv: a GBK-encoded file is rejected naming UTF-8, GB18030 and the place") {
  // 海丰 in GBK: BA A3 B7 E1.
  std::string_view gbk = "code,name\n1,\xBA\xA3\xB7\xE1\n";
  auto e = thrown<load_error>([&] { csv::reader r(gbk, "gbk.csv"); });
  REQUIRE(e);
  CHECK(e->code() == errc::load);
  CHECK(e->where().file == "gbk.csv");
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 2);
  std::string what = e->what();
  CHECK(what.find("UTF-8") != std::string::npos);
  CHECK(what.find("GB18030") != std::string::npos);
  CHECK(what.find("0xBA") != std::string::npos);
  CHECK(what.rfind("gbk.csv:2:2: ", 0) == 0);
  // check_utf8 on its own says the same.
  CHECK_THROWS_WITH_AS(csv::check_utf8(gbk, "gbk.csv"), doctest::Contains("GB18030"), load_error);
}

TEST_CASE("csv: GBK after a long ASCII prefix and a BOM still reports the right line") {
  std::string data = "\xEF\xBB\xBF" "code,name,value\n";
  for (int i = 0; i < 20; ++i) data += std::to_string(i) + ",abcdefghijklmnop,12345\n";
  data += "20,\xC9\xEE\xDB\xDA,1\n";  // 深圳 in GBK, line 22
  auto e = thrown<load_error>([&] { csv::reader r(data, "big.csv"); });
  REQUIRE(e);
  CHECK(e->where().line == 22);
  CHECK(e->where().column == 2);
  CHECK(std::string(e->what()).find("GB18030") != std::string::npos);
}

TEST_CASE("csv: the bad-encoding column ignores commas and newlines inside quotes") {
  SUBCASE("a quoted comma before the bad byte") {
    // Fields: a | "x,y" | <GBK 海>: the bad byte is in CSV column 3, not 4.
    auto e = thrown<load_error>([] { csv::check_utf8("a,\"x,y\",\xBA\xA3\n", "q.csv"); });
    REQUIRE(e);
    CHECK(e->where().line == 1);
    CHECK(e->where().column == 3);
  }
  SUBCASE("a quoted newline before the bad byte") {
    // The record starts on line 1; the bad byte is on physical line 2, still in column 3.
    auto e = thrown<load_error>([] { csv::check_utf8("a,\"x\ny\",\xBA\xA3\n", "q.csv"); });
    REQUIRE(e);
    CHECK(e->where().line == 2);
    CHECK(e->where().column == 3);
  }
  SUBCASE("doubled quotes and a later record") {
    // Line 1 is `"a"",""",b`: one quoted field a"," then b.
    auto e = thrown<load_error>([] { csv::check_utf8("\"a\"\",\"\"\",b\nc,\xBA\xA3\n", "q.csv"); });
    REQUIRE(e);
    CHECK(e->where().line == 2);
    CHECK(e->where().column == 2);
  }
}

TEST_CASE("csv: invalid UTF-8 that is not GBK gets the plain hint") {
  SUBCASE("0xFF") {
    auto e = thrown<load_error>([] { csv::check_utf8("a\nb,\xFF\n", "t.csv"); });
    REQUIRE(e);
    CHECK(e->where().line == 2);
    CHECK(e->where().column == 2);
    std::string what = e->what();
    CHECK(what.find("UTF-8") != std::string::npos);
    CHECK(what.find("0xFF") != std::string::npos);
    CHECK(what.find("GB18030") == std::string::npos);
  }
  SUBCASE("malformed sequences") {
    CHECK_THROWS_AS(csv::check_utf8("\xC0\xAF", "t.csv"), load_error);          // overlong '/'
    CHECK_THROWS_AS(csv::check_utf8("\xE0\x80\xAF", "t.csv"), load_error);      // overlong
    CHECK_THROWS_AS(csv::check_utf8("\xED\xA0\x80", "t.csv"), load_error);      // surrogate
    CHECK_THROWS_AS(csv::check_utf8("\xF4\x90\x80\x80", "t.csv"), load_error);  // past U+10FFFF
    CHECK_THROWS_AS(csv::check_utf8("\xF0\x80\x80\x80", "t.csv"), load_error);  // overlong
    CHECK_THROWS_AS(csv::check_utf8("\xF5\x80\x80\x80", "t.csv"), load_error);
    CHECK_THROWS_AS(csv::check_utf8("ok \xE6\xB5", "t.csv"), load_error);       // truncated at the end
    CHECK_THROWS_AS(csv::check_utf8("\x80", "t.csv"), load_error);              // lone continuation
  }
}

// ---------------------------------------------------------------------------------------------
// limits
// ---------------------------------------------------------------------------------------------

TEST_CASE("csv: a field longer than max_field_bytes is errc::limit") {
  csv::limits lim;
  lim.max_field_bytes = 4;
  SUBCASE("unquoted") {
    auto e = read_error("abcd,abcde\n", lim);
    REQUIRE(e);
    CHECK(e->code() == errc::limit);
    CHECK(e->where().line == 1);
    CHECK(e->where().column == 2);
    CHECK(e->reason() == "field longer than 4 bytes");
  }
  SUBCASE("quoted, counting the unescaped text") {
    auto e = read_error("x\n\"abcde\"\n", lim);
    REQUIRE(e);
    CHECK(e->code() == errc::limit);
    CHECK(e->where().line == 2);
    CHECK(e->where().column == 1);
    CHECK(read_error("\"ab\"\"cd\"\n", lim));  // ab"cd is 5 bytes
    CHECK(read_error("\"abcd\"\"\"\n", lim));  // abcd" is 5 bytes
  }
  SUBCASE("exactly the limit is fine, and trimmed spaces do not count") {
    CHECK(records("abcd,\"ab\"\"c\",  wxyz  \n", lim) == rows{{"abcd", "ab\"c", "wxyz"}});
  }
}

TEST_CASE("csv: more fields than max_fields is errc::limit") {
  csv::limits lim;
  lim.max_fields = 3;
  CHECK(records("a,b,c\n", lim) == rows{{"a", "b", "c"}});
  auto e = read_error("a,b,c\nd,e,f,g\n", lim);
  REQUIRE(e);
  CHECK(e->code() == errc::limit);
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 4);
  CHECK(e->reason() == "more than 3 fields in one record");
  CHECK(read_error("a,b,c,\n", lim));  // a trailing comma opens a fourth field
}

TEST_CASE("csv: data larger than max_file_bytes is errc::limit") {
  csv::limits lim;
  lim.max_file_bytes = 5;
  CHECK_NOTHROW(csv::reader("a,b\nc", "t.csv", lim));
  auto e = thrown<load_error>([&] { csv::reader r("a,b\ncd", "t.csv", lim); });
  REQUIRE(e);
  CHECK(e->code() == errc::limit);
  CHECK(e->where().line == 0);
  CHECK(std::string(e->what()) == "t.csv: file larger than the size limit");
}

// ---------------------------------------------------------------------------------------------
// locations for callers' errors
// ---------------------------------------------------------------------------------------------

TEST_CASE("csv: at() and fail() locate a field of the current record") {
  csv::reader r("code,value\n\n1,abc\n", "data/wages.csv");
  CHECK(r.file() == "data/wages.csv");
  r.read_header({"code", "value"}, {});
  REQUIRE(r.next());
  CHECK(r.line() == 3);
  location at = r.at(r.column("value"));
  CHECK(at.file == "data/wages.csv");
  CHECK(at.line == 3);
  CHECK(at.column == 2);
  CHECK(at.field == "value");
  auto e = thrown<load_error>([&] { r.fail(r.column("value"), "not a number"); });
  REQUIRE(e);
  CHECK(e->code() == errc::load);
  CHECK(e->where().file == "data/wages.csv");
  CHECK(e->where().line == 3);
  CHECK(e->where().column == 2);
  CHECK(e->where().field == "value");
  CHECK(e->reason() == "not a number");
  CHECK(std::string(e->what()) == "data/wages.csv:3:2 (value): not a number");
  SUBCASE("with another error class") {
    auto o = thrown<load_error>([&] { r.fail(0, "too big", errc::overflow); });
    REQUIRE(o);
    CHECK(o->code() == errc::overflow);
    CHECK(std::string(o->what()) == "data/wages.csv:3:1 (code): too big");
  }
  SUBCASE("the whole record, or a column past the header") {
    location whole = r.at(-1);
    CHECK(whole.column == 0);
    CHECK(whole.field.empty());
    CHECK(zhibiao::to_string(whole) == "data/wages.csv:3");
    location past = r.at(5);
    CHECK(past.column == 6);
    CHECK(past.field.empty());
  }
}

TEST_CASE("csv: at() without a header has no field names") {
  csv::reader r("1,2\n", "t.csv");
  REQUIRE(r.next());
  location at = r.at(1);
  CHECK(at.line == 1);
  CHECK(at.column == 2);
  CHECK(at.field.empty());
  CHECK(zhibiao::to_string(at) == "t.csv:1:2");
}

// ---------------------------------------------------------------------------------------------
// read_file
// ---------------------------------------------------------------------------------------------

TEST_CASE("csv: read_file reads bytes exactly, or names the path") {
  SUBCASE("a file with CRLF and non-ASCII bytes") {
    std::string content = "\xEF\xBB\xBF" "code,name\r\n1,海丰\r\n";
    temp_file f(content);
    CHECK(csv::read_file(f.path.string()) == content);
  }
  SUBCASE("an empty file") {
    temp_file f("");
    CHECK(csv::read_file(f.path.string()).empty());
  }
  SUBCASE("a missing file is errc::io") {
    std::string path = (std::filesystem::temp_directory_path() / "zhibiao_no_such_dir" / "x.csv").string();
    auto e = thrown<zhibiao::error>([&] { csv::read_file(path); });
    REQUIRE(e);
    CHECK(e->code() == errc::io);
    CHECK(std::string(e->what()).find(path) != std::string::npos);
  }
  SUBCASE("a file over max_file_bytes is errc::limit") {
    temp_file f("0123456789");
    csv::limits lim;
    lim.max_file_bytes = 9;
    auto e = thrown<zhibiao::error>([&] { csv::read_file(f.path.string(), lim); });
    REQUIRE(e);
    CHECK(e->code() == errc::limit);
    CHECK(std::string(e->what()).find("9 byte limit") != std::string::npos);
    lim.max_file_bytes = 10;
    CHECK(csv::read_file(f.path.string(), lim) == "0123456789");
  }
}

TEST_CASE("csv: quote writes what the reader reads back unchanged") {
  using zhibiao::csv::quote;
  // The reader trims spaces and tabs around an unquoted field and accepts a tab only inside quotes, so
  // such fields are quoted; a plain one, spaces inside included, is written as it is.
  CHECK(quote("a b") == "a b");
  CHECK(quote("") == "");
  CHECK(quote("a,b") == "\"a,b\"");
  CHECK(quote("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(quote("a\tb") == "\"a\tb\"");
  CHECK(quote(" a") == "\" a\"");
  CHECK(quote("a ") == "\"a \"");
  for (const std::string field : {"a b", "a,b", "x\ty", " lead", "trail ", "two\nlines", "q\"q", "  "}) {
    CAPTURE(field);
    const std::string text = "h\n" + quote(field) + "\n";
    zhibiao::csv::reader in(text, "q.csv");
    in.read_header({"h"}, {});
    REQUIRE(in.next());
    CHECK(in.get(0) == field);
  }
}
