// Unit tests for reporting periods (include/zhibiao/period.hpp).
#include <zhibiao/period.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <optional>
#include <string>

namespace doctest {
template <>
struct StringMaker<zhibiao::period> {
  static String convert(const zhibiao::period& p) {
    return String((p.code() + " [" + std::string(zhibiao::period_kind_name(p.kind())) + "]").c_str());
  }
};
}  // namespace doctest

namespace {

using zhibiao::period;
using zhibiao::period_kind;

period P(std::string_view text) { return period::parse(text); }

template <class E, class F>
std::optional<E> thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  return std::nullopt;
}

// Checks that parsing `text` fails with a parse_error whose what() names the text and `reason`.
void check_rejected(const char* text, const char* reason) {
  CAPTURE(text);
  auto e = thrown<zhibiao::parse_error>([&] { period::parse(text); });
  REQUIRE(e);
  CHECK(e->code() == zhibiao::errc::parse);
  CHECK(e->text() == text);
  std::string what = e->what();
  CHECK(what.find(std::string("'") + text + "'") != std::string::npos);
  CHECK(what.find(reason) != std::string::npos);
  CHECK(e->reason().find(reason) != std::string::npos);
}

// Kind, year and months of a period in one check.
void check_span(const period& p, period_kind kind, int year, int first, int last) {
  CAPTURE(p);
  CHECK(p.kind() == kind);
  CHECK(p.year() == year);
  CHECK(p.first_month() == first);
  CHECK(p.last_month() == last);
  CHECK(p.month_count() == last - first + 1);
}

}  // namespace

TEST_CASE("period: parse canonical codes") {
  SUBCASE("month 2021-03 and 202103") {
    check_span(P("2021-03"), period_kind::month, 2021, 3, 3);
    check_span(P("202103"), period_kind::month, 2021, 3, 3);
    CHECK(P("202103") == P("2021-03"));
    check_span(P("2021-12"), period_kind::month, 2021, 12, 12);
  }
  SUBCASE("quarter 2021Q1 .. 2021Q4") {
    check_span(P("2021Q1"), period_kind::quarter, 2021, 1, 3);
    check_span(P("2021Q2"), period_kind::quarter, 2021, 4, 6);
    check_span(P("2021Q3"), period_kind::quarter, 2021, 7, 9);
    check_span(P("2021Q4"), period_kind::quarter, 2021, 10, 12);
  }
  SUBCASE("half-year 2021S1, 2021S2") {
    check_span(P("2021S1"), period_kind::half_year, 2021, 1, 6);
    check_span(P("2021S2"), period_kind::half_year, 2021, 7, 12);
  }
  SUBCASE("year 2021") { check_span(P("2021"), period_kind::year, 2021, 1, 12); }
  SUBCASE("year to date 2021-01..2021-09") {
    check_span(P("2021-01..2021-09"), period_kind::year_to_date, 2021, 1, 9);
    check_span(P("2021-01..2021-01"), period_kind::year_to_date, 2021, 1, 1);
    check_span(P("2021-01..2021-12"), period_kind::year_to_date, 2021, 1, 12);
  }
  SUBCASE("as-of 2021-09-30, month ends only") {
    check_span(P("2021-09-30"), period_kind::as_of, 2021, 9, 9);
    check_span(P("2021-12-31"), period_kind::as_of, 2021, 12, 12);
    check_span(P("2024-02-29"), period_kind::as_of, 2024, 2, 2);  // leap year
    check_span(P("2023-02-28"), period_kind::as_of, 2023, 2, 2);
  }
  SUBCASE("the year range ends are included") {
    CHECK(P("1900").year() == 1900);
    CHECK(P("2200-12").year() == 2200);
  }
}

TEST_CASE("period: parse Chinese labels") {
  SUBCASE("year: 2021年, 2021年度, 2021年全年") {
    check_span(P("2021年"), period_kind::year, 2021, 1, 12);
    check_span(P("2021年度"), period_kind::year, 2021, 1, 12);
    check_span(P("2021年全年"), period_kind::year, 2021, 1, 12);
  }
  SUBCASE("month: 2021年3月, 2021年12月, 2021年03月") {
    check_span(P("2021年3月"), period_kind::month, 2021, 3, 3);
    check_span(P("2021年12月"), period_kind::month, 2021, 12, 12);
    check_span(P("2021年03月"), period_kind::month, 2021, 3, 3);
  }
  SUBCASE("year to date: 2021年1-9月 with hyphen, em dash, en dash, tilde, 至") {
    check_span(P("2021年1-9月"), period_kind::year_to_date, 2021, 1, 9);
    check_span(P("2021年1—9月"), period_kind::year_to_date, 2021, 1, 9);  // U+2014 em dash
    check_span(P("2021年1–9月"), period_kind::year_to_date, 2021, 1, 9);  // U+2013 en dash
    check_span(P("2021年1~9月"), period_kind::year_to_date, 2021, 1, 9);
    check_span(P("2021年1～9月"), period_kind::year_to_date, 2021, 1, 9);  // fullwidth tilde
    check_span(P("2021年1至9月"), period_kind::year_to_date, 2021, 1, 9);
    check_span(P("2021年1-12月"), period_kind::year_to_date, 2021, 1, 12);
    check_span(P("2021年1-1月"), period_kind::year_to_date, 2021, 1, 1);
  }
  SUBCASE("quarter: 2021年一季度, 2021年第一季度, 2021年第3季度") {
    check_span(P("2021年一季度"), period_kind::quarter, 2021, 1, 3);
    check_span(P("2021年第一季度"), period_kind::quarter, 2021, 1, 3);
    check_span(P("2021年第二季度"), period_kind::quarter, 2021, 4, 6);
    check_span(P("2021年三季度"), period_kind::quarter, 2021, 7, 9);
    check_span(P("2021年第四季度"), period_kind::quarter, 2021, 10, 12);
    check_span(P("2021年第3季度"), period_kind::quarter, 2021, 7, 9);
    check_span(P("2021年2季度"), period_kind::quarter, 2021, 4, 6);
  }
  SUBCASE("half-year: 2021年上半年, 2021年下半年") {
    check_span(P("2021年上半年"), period_kind::half_year, 2021, 1, 6);
    check_span(P("2021年下半年"), period_kind::half_year, 2021, 7, 12);
  }
  SUBCASE("as-of: 截至2021年9月底, 截止/月末 variants") {
    check_span(P("截至2021年9月底"), period_kind::as_of, 2021, 9, 9);
    check_span(P("截止2021年9月底"), period_kind::as_of, 2021, 9, 9);
    check_span(P("截至2021年12月末"), period_kind::as_of, 2021, 12, 12);
    CHECK(P("截至2021年9月底") == P("2021-09-30"));
  }
  SUBCASE("Chinese and canonical forms agree") {
    CHECK(P("2021年3月") == P("2021-03"));
    CHECK(P("2021年1-9月") == P("2021-01..2021-09"));
    CHECK(P("2021年第一季度") == P("2021Q1"));
    CHECK(P("2021年上半年") == P("2021S1"));
    CHECK(P("2021年") == P("2021"));
  }
}

TEST_CASE("period: parse rejects bad codes naming the reason") {
  check_rejected("2021-13", "month 13 is outside 1..12");
  check_rejected("2021-00", "month 0 is outside 1..12");
  check_rejected("202113", "month 13 is outside 1..12");
  check_rejected("2021Q5", "quarter must be Q1..Q4");
  check_rejected("2021Q0", "quarter must be Q1..Q4");
  check_rejected("2021Q", "quarter must be Q1..Q4");
  check_rejected("2021Q12", "quarter must be Q1..Q4");
  check_rejected("2021S3", "half-year must be S1 or S2");
  check_rejected("2021-03..2021-01", "the span ends before it starts");
  check_rejected("2021-01..2020-03", "the span ends before it starts");
  check_rejected("2021-01..2021-13", "month 13 is outside 1..12");
  check_rejected("2021-01..2021-9", "expected YYYY-MM..YYYY-MM");
  check_rejected("2021-01..", "expected YYYY-MM..YYYY-MM");
  check_rejected("1800", "year 1800 is outside 1900..2200");
  check_rejected("2201-01", "year 2201 is outside 1900..2200");
  check_rejected("1899Q4", "year 1899 is outside 1900..2200");
  check_rejected("2021-09-29", "last day of its month");
  check_rejected("2021-09-31", "last day of its month");
  check_rejected("2023-02-29", "last day of its month");
  check_rejected("2021-09-3", "expected YYYY-MM-DD");
  check_rejected("2021-3", "expected a 2-digit month");
  check_rejected("21-03", "expected a 4-digit year");
  check_rejected("2021/03", "not a period");
  check_rejected("2021031", "not a period");
  check_rejected(" 2021", "expected a 4-digit year");
  check_rejected("2021 ", "not a period");
  check_rejected("2021-03x", "unexpected text after the month");
  check_rejected("", "empty period");
}

TEST_CASE("period: parse rejects bad Chinese labels naming the reason") {
  check_rejected("2021年13月", "month 13 is outside 1..12");
  check_rejected("2021年0月", "month 0 is outside 1..12");
  check_rejected("2021年3月至", "expected YYYY年A-B月 or YYYY年A月至B月");
  check_rejected("2021年3月11月", "unexpected text after the month");
  check_rejected("2021年9-1月", "the span ends before it starts");
  check_rejected("2021年1-13月", "month 13 is outside 1..12");
  check_rejected("2021年1-9", "expected YYYY年A-B月 or YYYY年A月至B月");
  check_rejected("2021年第五季度", "expected a month, quarter or half-year");
  check_rejected("2021年第5季度", "quarter 5 is outside 1..4");
  check_rejected("2021年第3月", "expected 季度 after 第");
  check_rejected("2021年一季", "expected 季度 after the quarter number");
  check_rejected("2021年3", "expected 月 after the month");
  check_rejected("2021年3月份", "unexpected text after the month");
  check_rejected("2021年上半年度", "unexpected text after the half-year");
  check_rejected("2021年度x", "unexpected text after the year");
  check_rejected("1800年", "year 1800 is outside 1900..2200");
  check_rejected("21年3月", "expected a 4-digit year");
  check_rejected("二〇二一年", "expected a 4-digit year");
  check_rejected("截至2021年9月", "expected 截至YYYY年M月底");
  check_rejected("截至2021年13月底", "month 13 is outside 1..12");
  check_rejected("截至2021年9月底前", "expected 截至YYYY年M月底");
}

TEST_CASE("period: factories check their arguments") {
  check_span(period::month(2021, 3), period_kind::month, 2021, 3, 3);
  check_span(period::quarter(2021, 2), period_kind::quarter, 2021, 4, 6);
  check_span(period::half_year(2021, 2), period_kind::half_year, 2021, 7, 12);
  check_span(period::year(2021), period_kind::year, 2021, 1, 12);
  check_span(period::year_to_date(2021, 9), period_kind::year_to_date, 2021, 1, 9);
  check_span(period::as_of(2021, 9), period_kind::as_of, 2021, 9, 9);
  auto code_of = [](auto f) {
    auto e = thrown<zhibiao::error>(f);
    return e ? e->code() : zhibiao::errc::ok;
  };
  CHECK(code_of([] { period::month(2021, 13); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::month(2021, 0); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::quarter(2021, 5); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::quarter(2021, 0); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::half_year(2021, 3); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::year(1899); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::year(2201); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::year_to_date(2021, 13); }) == zhibiao::errc::invalid_argument);
  CHECK(code_of([] { period::as_of(2021, 0); }) == zhibiao::errc::invalid_argument);
  CHECK_THROWS_WITH_AS(period::month(2021, 13), "month 13 is outside 1..12", zhibiao::error);
  CHECK_THROWS_WITH_AS(period::year(1800), "year 1800 is outside 1900..2200", zhibiao::error);
}

TEST_CASE("period: code() and label_zh() format both ways") {
  struct row {
    const char* text;
    const char* code;
    const char* label;
  };
  const row rows[] = {
      {"2021-03", "2021-03", "2021年3月"},
      {"202112", "2021-12", "2021年12月"},
      {"2021Q1", "2021Q1", "2021年第一季度"},
      {"2021Q2", "2021Q2", "2021年第二季度"},
      {"2021Q3", "2021Q3", "2021年第三季度"},
      {"2021Q4", "2021Q4", "2021年第四季度"},
      {"2021S1", "2021S1", "2021年上半年"},
      {"2021S2", "2021S2", "2021年下半年"},
      {"2021", "2021", "2021年"},
      {"2021-01..2021-09", "2021-01..2021-09", "2021年1-9月"},
      {"2021年1—9月", "2021-01..2021-09", "2021年1-9月"},
      {"2021-01..2021-12", "2021-01..2021-12", "2021年1-12月"},
      {"2021-09-30", "2021-09-30", "截至2021年9月底"},
      {"截至2021年2月底", "2021-02-28", "截至2021年2月底"},
      {"2024-02-29", "2024-02-29", "截至2024年2月底"},
      {"2021年一季度", "2021Q1", "2021年第一季度"},
  };
  for (const row& r : rows) {
    CAPTURE(r.text);
    period p = P(r.text);
    CHECK(p.code() == r.code);
    CHECK(p.label_zh() == r.label);
    CHECK(fmt::format("{}", p) == r.code);
    CHECK(fmt::format("{:zh}", p) == r.label);
    // Both forms parse back to the same period.
    CHECK(P(r.code) == p);
    CHECK(P(r.label) == p);
  }
  SUBCASE("year to date through January is labelled like the month") {
    period p = P("2021-01..2021-01");
    CHECK(p.code() == "2021-01..2021-01");
    CHECK(p.label_zh() == "2021年1月");
    CHECK(P(p.code()) == p);
  }
  SUBCASE("fmt inside other text") {
    CHECK(fmt::format("[{}|{:zh}]", P("2021Q3"), P("2021Q3")) == "[2021Q3|2021年第三季度]");
  }
}

TEST_CASE("period: kind names") {
  CHECK(zhibiao::period_kind_name(period_kind::month) == "month");
  CHECK(zhibiao::period_kind_name(period_kind::quarter) == "quarter");
  CHECK(zhibiao::period_kind_name(period_kind::half_year) == "half_year");
  CHECK(zhibiao::period_kind_name(period_kind::year) == "year");
  CHECK(zhibiao::period_kind_name(period_kind::year_to_date) == "year_to_date");
  CHECK(zhibiao::period_kind_name(period_kind::as_of) == "as_of");
}

TEST_CASE("period: serial and end_date") {
  // serial = year × 12 + last month − 1
  CHECK(P("2021-03").serial() == 2021 * 12 + 2);
  CHECK(P("2021-03").serial() == 24254);
  CHECK(P("2021Q1").serial() == 24254);           // ends in March too
  CHECK(P("2021").serial() == 2021 * 12 + 11);    // 24263
  CHECK(P("2022-01").serial() == P("2021-12").serial() + 1);
  CHECK(P("2021-01..2021-09").serial() == 2021 * 12 + 8);
  CHECK(P("2021-02").end_date() == boost::gregorian::date(2021, 2, 28));
  CHECK(P("2024-02").end_date() == boost::gregorian::date(2024, 2, 29));
  CHECK(P("2021Q3").end_date() == boost::gregorian::date(2021, 9, 30));
  CHECK(P("2021").end_date() == boost::gregorian::date(2021, 12, 31));
  CHECK(P("2000-02-29").end_date() == boost::gregorian::date(2000, 2, 29));  // 2000 is a leap year
  CHECK_THROWS_AS(P("1900-02-29"), zhibiao::parse_error);                    // 1900 is not
}

TEST_CASE("period: contains") {
  CHECK(P("2021").contains(P("2021-03")));
  CHECK(P("2021").contains(P("2021Q4")));
  CHECK(P("2021").contains(P("2021")));
  CHECK(P("2021S1").contains(P("2021Q2")));
  CHECK(P("2021S1").contains(P("2021-06")));
  CHECK_FALSE(P("2021S1").contains(P("2021-07")));
  CHECK_FALSE(P("2021S1").contains(P("2021Q3")));
  CHECK(P("2021Q1").contains(P("2021-01")));
  CHECK_FALSE(P("2021Q1").contains(P("2021-04")));
  CHECK(P("2021-01..2021-09").contains(P("2021Q3")));
  CHECK(P("2021-01..2021-09").contains(P("2021-09-30")));
  CHECK_FALSE(P("2021-01..2021-09").contains(P("2021-10")));
  CHECK_FALSE(P("2021").contains(P("2020-12")));        // another year
  CHECK_FALSE(P("2021-03").contains(P("2021Q1")));      // the smaller does not contain the larger
  CHECK(P("2021-03").contains(P("2021-03")));
}

TEST_CASE("period: same_period_last_year keeps kind and months") {
  CHECK(P("2021-03").same_period_last_year() == P("2020-03"));
  CHECK(P("2021Q1").same_period_last_year() == P("2020Q1"));
  CHECK(P("2021S2").same_period_last_year() == P("2020S2"));
  CHECK(P("2021").same_period_last_year() == P("2020"));
  CHECK(P("2021-01..2021-09").same_period_last_year() == P("2020-01..2020-09"));
  CHECK(P("2021-09-30").same_period_last_year() == P("2020-09-30"));
  // The as-of date follows the calendar: 2024-02-29 a year earlier ends on 2023-02-28.
  CHECK(P("2024-02-29").same_period_last_year().code() == "2023-02-28");
  CHECK_THROWS_AS(P("1900").same_period_last_year(), zhibiao::error);
}

TEST_CASE("period: previous steps back one period of the same kind") {
  SUBCASE("month") {
    CHECK(P("2021-03").previous() == P("2021-02"));
    CHECK(P("2021-01").previous() == P("2020-12"));
  }
  SUBCASE("quarter") {
    CHECK(P("2021Q3").previous() == P("2021Q2"));
    CHECK(P("2021Q2").previous() == P("2021Q1"));
    CHECK(P("2021Q1").previous() == P("2020Q4"));
    check_span(P("2021Q1").previous(), period_kind::quarter, 2020, 10, 12);
  }
  SUBCASE("half-year") {
    CHECK(P("2021S2").previous() == P("2021S1"));
    CHECK(P("2021S1").previous() == P("2020S2"));
  }
  SUBCASE("year") { CHECK(P("2021").previous() == P("2020")); }
  SUBCASE("year to date") {
    CHECK(P("2021-01..2021-09").previous() == P("2021-01..2021-08"));
    CHECK(P("2021-01..2021-02").previous() == P("2021-01..2021-01"));
    CHECK(P("2021-01..2021-01").previous() == P("2020-01..2020-12"));
    check_span(P("2021年1-1月").previous(), period_kind::year_to_date, 2020, 1, 12);
  }
  SUBCASE("as-of") {
    CHECK(P("2021-09-30").previous() == P("2021-08-31"));
    CHECK(P("2021-01-31").previous() == P("2020-12-31"));
    CHECK(P("2021-03-31").previous().code() == "2021-02-28");
  }
  SUBCASE("not before 1900") { CHECK_THROWS_AS(P("1900-01").previous(), zhibiao::error); }
}

TEST_CASE("period: equality and ordering") {
  SUBCASE("equality needs the same kind and months") {
    CHECK(P("2021-03") == P("2021年3月"));
    CHECK(P("2021-03") != P("2021-04"));
    CHECK(P("2021-03") != P("2020-03"));
    CHECK(P("2021Q1") != P("2021-01..2021-03"));  // same months, different kind
    CHECK(P("2021-03") != P("2021-03-31"));
    CHECK(P("2021") != P("2021-01..2021-12"));
  }
  SUBCASE("ordered by year, then last month, then first month, then kind") {
    CHECK(P("2020-12") < P("2021-01"));
    CHECK(P("2020") < P("2021-01"));
    CHECK(P("2021-02") < P("2021-03"));
    CHECK(P("2021Q1") < P("2021-04"));
    CHECK(P("2021Q1") < P("2021-03"));           // same end; starts earlier
    CHECK(P("2021Q1") < P("2021-01..2021-03"));  // same months; quarter before year_to_date
    CHECK(P("2021-03") < P("2021-03-31"));       // month before as_of
    CHECK(P("2021S1") < P("2021Q2"));            // both end in June; S1 starts earlier
    CHECK(P("2021") < P("2021-12"));
    CHECK(P("2021-12") > P("2021S2"));
    CHECK((P("2021-03") <=> P("202103")) == std::strong_ordering::equal);
    CHECK(P("2021-03") <= P("2021-03"));
    CHECK(P("2021-03") >= P("2021-03"));
  }
}

TEST_CASE("period: any run of months within a year, written three ways") {
  const period p = period::parse("2021-03..2021-11");
  CHECK(p.kind() == period_kind::span);
  CHECK(p.first_month() == 3);
  CHECK(p.last_month() == 11);
  CHECK(p.month_count() == 9);
  CHECK(p.code() == "2021-03..2021-11");
  CHECK(p.label_zh() == "2021年3-11月");
  CHECK(period::parse("2021年3-11月") == p);
  CHECK(period::parse("2021年3月至11月") == p);
  CHECK(period::parse("2021年3至11月") == p);
  CHECK(period::parse(p.label_zh()) == p);
  // From January it is year-to-date, and one month is a month, however written.
  CHECK(period::parse("2021年1月至9月") == period::year_to_date(2021, 9));
  CHECK(period::parse("2021-05..2021-05") == period::month(2021, 5));
  CHECK(period::parse("2021年5-5月") == period::month(2021, 5));
  CHECK(period::months(2021, 4, 6).code() == "2021-04..2021-06");
  // The same months a year earlier, and the span of the same length before (across the year boundary).
  CHECK(p.same_period_last_year() == period::parse("2020-03..2020-11"));
  CHECK(period::parse("2021-05..2021-07").previous().code() == "2021-02..2021-04");
  CHECK(period::parse("2021-04..2021-06").previous() == period::year_to_date(2021, 3));
  // Just before February: three months across the year boundary, a span across years.
  CHECK(period::parse("2021-02..2021-04").previous().code() == "2020-11..2021-01");
}
