// Unit tests for units and exact unit conversion (include/zhibiao/unit.hpp).
#include <zhibiao/unit.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace doctest {
template <>
struct StringMaker<zhibiao::decimal> {
  static String convert(const zhibiao::decimal& d) {
    return String((d.to_string() + " [scale " + std::to_string(d.scale()) + "]").c_str());
  }
};
}  // namespace doctest

namespace {

using zhibiao::convert;
using zhibiao::decimal;
using zhibiao::dimension;
using zhibiao::find_unit;
using zhibiao::unit;
using zhibiao::unit_of;

decimal D(const char* text) { return decimal::parse(text); }

template <class E, class F>
std::optional<E> thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("unit: find_unit knows the bureau's units") {
  SUBCASE("money") {
    auto yuan = find_unit("元"), wan = find_unit("万元"), yi = find_unit("亿元");
    REQUIRE(yuan);
    REQUIRE(wan);
    REQUIRE(yi);
    CHECK(yuan->dim == dimension::money);
    CHECK(yuan->exponent == 0);
    CHECK(wan->dim == dimension::money);
    CHECK(wan->exponent == 4);
    CHECK(yi->exponent == 8);
    CHECK(yi->symbol == "亿元");
  }
  SUBCASE("people and person-times are different dimensions") {
    CHECK(find_unit("人")->dim == dimension::people);
    CHECK(find_unit("名")->dim == dimension::people);
    CHECK(find_unit("万人")->exponent == 4);
    CHECK(find_unit("人次")->dim == dimension::person_times);
    CHECK(find_unit("万人次")->dim == dimension::person_times);
    CHECK(find_unit("万人次")->exponent == 4);
  }
  SUBCASE("ratios and points") {
    CHECK(find_unit("%")->dim == dimension::ratio);
    CHECK(find_unit("%")->exponent == -2);
    CHECK(find_unit("‰")->exponent == -3);
    CHECK(find_unit("1")->dim == dimension::ratio);
    CHECK(find_unit("1")->exponent == 0);
    CHECK(find_unit("倍")->dim == dimension::ratio);
    CHECK(find_unit("个百分点")->dim == dimension::points);
  }
  SUBCASE("items and standards") {
    CHECK(find_unit("家")->dim == dimension::items);
    CHECK(find_unit("万家")->exponent == 4);
    CHECK(find_unit("场次")->dim == dimension::items);
    CHECK(find_unit("元/月")->dim == dimension::money_per_month);
    CHECK(find_unit("元/人·月")->dim == dimension::money_per_month);
    CHECK(find_unit("元/小时")->dim == dimension::money_per_hour);
  }
  SUBCASE("unknown symbols give nullopt") {
    CHECK_FALSE(find_unit("美元"));
    CHECK_FALSE(find_unit(""));
    CHECK_FALSE(find_unit("元 "));
    CHECK_FALSE(find_unit("万"));
    CHECK_FALSE(find_unit("percent"));
  }
}

TEST_CASE("unit: every symbol in the table is unique and found as itself") {
  for (const unit& u : zhibiao::detail::unit_table) {
    CAPTURE(std::string(u.symbol));
    auto f = find_unit(u.symbol);
    REQUIRE(f);
    CHECK(*f == u);
    CHECK(unit_of(u.symbol) == u);
  }
}

TEST_CASE("unit: unit_of throws parse_error for an unknown symbol") {
  auto e = thrown<zhibiao::parse_error>([] { unit_of("美元"); });
  REQUIRE(e);
  CHECK(e->code() == zhibiao::errc::parse);
  CHECK(e->text() == "美元");
  CHECK(e->reason().find("unknown unit") != std::string::npos);
  CHECK(std::string(e->what()).find("'美元'") != std::string::npos);
  CHECK_THROWS_WITH_AS(unit_of("kg"), doctest::Contains("unknown unit"), zhibiao::parse_error);
  CHECK_THROWS_AS(unit_of(""), zhibiao::parse_error);
}

TEST_CASE("unit: equality compares symbol, dimension and exponent") {
  CHECK(unit_of("万元") == unit{"万元", dimension::money, 4});
  CHECK_FALSE(unit_of("人") == unit_of("名"));  // same measure, different symbol
  CHECK_FALSE(unit_of("人") == unit_of("人次"));
  CHECK(zhibiao::convertible(unit_of("人"), unit_of("名")));
  CHECK(zhibiao::convertible(unit_of("万人"), unit_of("人")));
  CHECK_FALSE(zhibiao::convertible(unit_of("人"), unit_of("人次")));
  CHECK_FALSE(zhibiao::convertible(unit_of("%"), unit_of("个百分点")));
  CHECK_FALSE(zhibiao::convertible(unit_of("元"), unit_of("元/月")));
}

TEST_CASE("unit: dimension names") {
  CHECK(zhibiao::dimension_name(dimension::people) == "people");
  CHECK(zhibiao::dimension_name(dimension::person_times) == "person-times");
  CHECK(zhibiao::dimension_name(dimension::money) == "money");
  CHECK(zhibiao::dimension_name(dimension::items) == "items");
  CHECK(zhibiao::dimension_name(dimension::ratio) == "ratio");
  CHECK(zhibiao::dimension_name(dimension::points) == "percentage points");
  CHECK(zhibiao::dimension_name(dimension::money_per_month) == "money per month");
  CHECK(zhibiao::dimension_name(dimension::money_per_hour) == "money per hour");
  CHECK(zhibiao::dimension_name(dimension::age) == "age");
}

TEST_CASE("unit: 岁 is an age, comparable only with itself") {
  REQUIRE(find_unit("岁"));
  CHECK(find_unit("岁")->dim == dimension::age);
  CHECK(find_unit("岁")->exponent == 0);
  CHECK(zhibiao::convertible(unit_of("岁"), unit_of("岁")));
  CHECK_FALSE(zhibiao::convertible(unit_of("岁"), unit_of("人")));
  CHECK_FALSE(zhibiao::convertible(unit_of("岁"), unit_of("1")));
}

TEST_CASE("unit: 1 亿元 = 10000 万元 = 10^8 元 in every direction") {
  const unit yuan = unit_of("元"), wan = unit_of("万元"), yi = unit_of("亿元");
  SUBCASE("down: 亿元 → 万元 → 元") {
    decimal w = convert(D("1"), yi, wan);
    CHECK(w == D("10000"));
    CHECK(w.to_string() == "10000");
    decimal y = convert(D("1"), yi, yuan);
    CHECK(y == D("100000000"));
    CHECK(y.to_string() == "100000000");
    CHECK(convert(w, wan, yuan) == y);
  }
  SUBCASE("up: 元 → 万元 → 亿元 keeps every digit by growing the scale") {
    decimal w = convert(D("100000000"), yuan, wan);
    CHECK(w == D("10000"));
    CHECK(w.scale() == 4);
    CHECK(w.to_string() == "10000.0000");
    decimal i = convert(D("100000000"), yuan, yi);
    CHECK(i == D("1"));
    CHECK(i.to_string() == "1.00000000");
    CHECK(convert(D("10000"), wan, yi) == D("1"));
  }
  SUBCASE("same unit is the identity") {
    CHECK(convert(D("12.5"), wan, wan).to_string() == "12.5");
  }
}

TEST_CASE("unit: 12345.67 元 → 1.234567 万元 and back") {
  const unit yuan = unit_of("元"), wan = unit_of("万元");
  decimal w = convert(D("12345.67"), yuan, wan);
  CHECK(w.to_string() == "1.234567");
  CHECK(w.mantissa() == 1234567);
  CHECK(w.scale() == 6);
  decimal back = convert(w, wan, yuan);
  CHECK(back == D("12345.67"));
  CHECK(back.to_string() == "12345.670000");  // exact; trailing zeros only
  CHECK(convert(D("-12345.67"), yuan, wan).to_string() == "-1.234567");
}

TEST_CASE("unit: 万人 → 人 and other multipliers") {
  CHECK(convert(D("1.5"), unit_of("万人"), unit_of("人")) == D("15000"));
  CHECK(convert(D("1.5"), unit_of("万人"), unit_of("人")).to_string() == "15000.0");
  CHECK(convert(D("3"), unit_of("万人次"), unit_of("人次")) == D("30000"));
  CHECK(convert(D("25"), unit_of("人"), unit_of("万人")).to_string() == "0.0025");
  CHECK(convert(D("2"), unit_of("万名"), unit_of("人")) == D("20000"));  // 名 and 人 are both people
  CHECK(convert(D("7"), unit_of("万家"), unit_of("家")) == D("70000"));
}

TEST_CASE("unit: % and ‰ convert to the pure ratio 1") {
  const unit pct = unit_of("%"), permille = unit_of("‰"), one = unit_of("1");
  CHECK(convert(D("50"), pct, one) == D("0.5"));
  CHECK(convert(D("50"), pct, one).to_string() == "0.50");
  CHECK(convert(D("0.5"), one, pct) == D("50"));
  CHECK(convert(D("3.25"), pct, one).to_string() == "0.0325");
  CHECK(convert(D("5"), permille, pct) == D("0.5"));
  CHECK(convert(D("5"), permille, one) == D("0.005"));
  CHECK(convert(D("0.5"), pct, permille) == D("5"));
  CHECK(convert(D("2"), unit_of("倍"), pct) == D("200"));
}

TEST_CASE("unit: converting across dimensions throws errc::unit") {
  auto e = thrown<zhibiao::error>([] { convert(D("1"), unit_of("元"), unit_of("人")); });
  REQUIRE(e);
  CHECK(e->code() == zhibiao::errc::unit);
  std::string what = e->what();
  CHECK(what.find("元") != std::string::npos);
  CHECK(what.find("人") != std::string::npos);
  CHECK(what.find("money") != std::string::npos);
  CHECK(what.find("people") != std::string::npos);
  CHECK(what == "cannot convert 元 (money) to 人 (people)");
  CHECK_THROWS_AS(convert(D("1"), unit_of("人"), unit_of("人次")), zhibiao::error);
  CHECK_THROWS_AS(convert(D("1"), unit_of("%"), unit_of("个百分点")), zhibiao::error);
  CHECK_THROWS_AS(convert(D("1"), unit_of("元/月"), unit_of("元/小时")), zhibiao::error);
  CHECK_THROWS_WITH_AS(convert(D("1"), unit_of("万元"), unit_of("万人")), doctest::Contains("cannot convert"),
                       zhibiao::error);
}

TEST_CASE("unit: conversions that cannot be exact throw overflow_error") {
  // 0.000000000000001 元 (scale 15) → 亿元 needs scale 23 > 18.
  CHECK_THROWS_WITH_AS(convert(D("0.000000000000001"), unit_of("元"), unit_of("亿元")),
                       doctest::Contains("18 decimals"), zhibiao::overflow_error);
  // Scale 10 + 8 = 18 is still fine.
  CHECK(convert(D("0.0000000001"), unit_of("元"), unit_of("亿元")).to_string() == "0.000000000000000001");
  // 10^35 亿元 = 10^43 元 does not fit 128 bits.
  CHECK_THROWS_AS(convert(decimal(decimal::pow10(35), 0), unit_of("亿元"), unit_of("元")), zhibiao::overflow_error);
}
