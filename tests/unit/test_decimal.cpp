// Unit tests for zhibiao::decimal, parse_fixed and the rounding modes (include/zhibiao/decimal.hpp).
// Every expected value below is worked out by hand in the comment next to it.
#include <zhibiao/decimal.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <limits>
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

using zhibiao::decimal;
using zhibiao::parse_status;
using zhibiao::rounding;
using rep = decimal::rep;

decimal D(const char* text) { return decimal::parse(text); }

// Runs f and returns the exception of type E it threw (nullopt when it threw nothing).
template <class E, class F>
std::optional<E> thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  return std::nullopt;
}

// 2^n as a mantissa.
rep pow2(int n) {
  rep p = 1;
  for (int i = 0; i < n; ++i) p *= 2;
  return p;
}

// parse_fixed wrapper: the status, and the value when ok.
struct fixed_result {
  parse_status status;
  std::int64_t value;
};
fixed_result fixed(std::string_view text, int scale) {
  std::int64_t v = -12345;  // sentinel: untouched on failure
  parse_status s = zhibiao::parse_fixed(text, scale, v);
  return {s, v};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// parse
// ---------------------------------------------------------------------------------------------

TEST_CASE("decimal: parse accepts integers, decimals and an explicit sign") {
  SUBCASE("12") {
    decimal d = D("12");
    CHECK(d.mantissa() == 12);
    CHECK(d.scale() == 0);
    CHECK(d.to_string() == "12");
    CHECK(d.sign() == 1);
  }
  SUBCASE("-3") {
    decimal d = D("-3");
    CHECK(d.mantissa() == -3);
    CHECK(d.scale() == 0);
    CHECK(d.to_string() == "-3");
    CHECK(d.sign() == -1);
  }
  SUBCASE("1234.56") {
    decimal d = D("1234.56");
    CHECK(d.mantissa() == 123456);
    CHECK(d.scale() == 2);
    CHECK(d.to_string() == "1234.56");
  }
  SUBCASE("0.05 keeps its leading zeros") {
    decimal d = D("0.05");
    CHECK(d.mantissa() == 5);
    CHECK(d.scale() == 2);
    CHECK(d.to_string() == "0.05");
  }
  SUBCASE("+7") {
    decimal d = D("+7");
    CHECK(d.mantissa() == 7);
    CHECK(d.scale() == 0);
    CHECK(d.to_string() == "7");
  }
  SUBCASE("-0.05") {
    decimal d = D("-0.05");
    CHECK(d.mantissa() == -5);
    CHECK(d.scale() == 2);
    CHECK(d.to_string() == "-0.05");
  }
  SUBCASE("trailing zeros are kept as scale") {
    decimal d = D("1.50");
    CHECK(d.mantissa() == 150);
    CHECK(d.scale() == 2);
    CHECK(d.to_string() == "1.50");
  }
  SUBCASE("zero in several spellings") {
    CHECK(D("0").is_zero());
    CHECK(D("0.000").is_zero());
    CHECK(D("0.000").scale() == 3);
    CHECK(D("0.000").to_string() == "0.000");
    CHECK(D("-0").is_zero());
    CHECK(D("-0").sign() == 0);
    CHECK(D("-0").to_string() == "0");
    CHECK(D("-0.00").to_string() == "0.00");
  }
  SUBCASE("18 decimals is the maximum scale") {
    decimal d = D("0.000000000000000001");
    CHECK(d.scale() == 18);
    CHECK(d.mantissa() == 1);
    CHECK(d.to_string() == "0.000000000000000001");
  }
  SUBCASE("the largest mantissa, 2^128 - 1, still fits") {
    decimal d = D("340282366920938463463374607431768211455");
    CHECK(d.mantissa() == std::numeric_limits<rep>::max());
    CHECK(d.to_string() == "340282366920938463463374607431768211455");
    CHECK(D("-340282366920938463463374607431768211455").to_string() ==
          "-340282366920938463463374607431768211455");
  }
}

TEST_CASE("decimal: parse rejects malformed text with a reason and column") {
  using zhibiao::parse_error;
  SUBCASE("1.2.3: a second point") {
    auto e = thrown<parse_error>([] { D("1.2.3"); });
    REQUIRE(e);
    CHECK(e->code() == zhibiao::errc::parse);
    CHECK(e->text() == "1.2.3");
    CHECK(e->reason() == "not a decimal number");
    CHECK(e->column() == 4);
    CHECK(std::string(e->what()) == "'1.2.3': not a decimal number (at column 4)");
  }
  SUBCASE("12a: a letter") {
    auto e = thrown<parse_error>([] { D("12a"); });
    REQUIRE(e);
    CHECK(e->reason() == "not a decimal number");
    CHECK(e->column() == 3);
    CHECK(std::string(e->what()) == "'12a': not a decimal number (at column 3)");
  }
  SUBCASE("empty") {
    CHECK_THROWS_WITH_AS(D(""), "'': empty number", parse_error);
  }
  SUBCASE("NaN") {
    CHECK_THROWS_WITH_AS(D("NaN"), doctest::Contains("not a decimal number"), parse_error);
    CHECK_THROWS_WITH_AS(D("nan"), doctest::Contains("'nan'"), parse_error);
    CHECK_THROWS_AS(D("inf"), parse_error);
  }
  SUBCASE("1e5: exponents are not supported") {
    auto e = thrown<parse_error>([] { D("1e5"); });
    REQUIRE(e);
    CHECK(e->reason() == "exponent notation is not supported");
    CHECK(e->column() == 2);
    CHECK_THROWS_WITH_AS(D("1e5"), doctest::Contains("exponent"), parse_error);
    CHECK_THROWS_WITH_AS(D("2.5E-3"), doctest::Contains("exponent"), parse_error);
  }
  SUBCASE("1,234: thousands separators are not allowed") {
    auto e = thrown<parse_error>([] { D("1,234"); });
    REQUIRE(e);
    CHECK(e->reason() == "thousands separators are not allowed");
    CHECK(e->column() == 2);
    CHECK_THROWS_WITH_AS(D("1,234,567.00"), doctest::Contains("thousands separator"), parse_error);
  }
  SUBCASE("a sign or a point alone") {
    CHECK_THROWS_WITH_AS(D("-"), "'-': not a decimal number", parse_error);
    CHECK_THROWS_WITH_AS(D("+"), "'+': not a decimal number", parse_error);
    CHECK_THROWS_WITH_AS(D("."), "'.': not a decimal number", parse_error);
  }
  SUBCASE("surrounding spaces, doubled signs, a comma as decimal point") {
    CHECK_THROWS_AS(D(" 12"), parse_error);
    CHECK_THROWS_AS(D("12 "), parse_error);
    CHECK_THROWS_AS(D("+-3"), parse_error);
    CHECK_THROWS_AS(D("--3"), parse_error);
    // A leading comma before any digit is just malformed, not a thousands separator.
    CHECK_THROWS_WITH_AS(D(",5"), "',5': not a decimal number (at column 1)", parse_error);
  }
  SUBCASE("more than 18 decimals") {
    CHECK_THROWS_WITH_AS(D("0.0000000000000000001"), doctest::Contains("more than 18 decimals"), parse_error);
  }
}

TEST_CASE("decimal: parse of a number wider than 128 bits throws overflow_error") {
  // 2^128 - 1 = 340282366920938463463374607431768211455, so one more does not fit.
  CHECK_THROWS_AS(D("340282366920938463463374607431768211456"), zhibiao::overflow_error);
  // A 40-digit number is at least 10^39 > 3.4 * 10^38.
  CHECK_THROWS_WITH_AS(D("1234567890123456789012345678901234567890"), doctest::Contains("does not fit 128 bits"),
                       zhibiao::overflow_error);
  CHECK_THROWS_AS(D("-1234567890123456789012345678901234567890"), zhibiao::overflow_error);
  auto e = thrown<zhibiao::overflow_error>([] { D("1234567890123456789012345678901234567890"); });
  REQUIRE(e);
  CHECK(e->code() == zhibiao::errc::overflow);
  CHECK(std::string(e->what()).find("1234567890123456789012345678901234567890") != std::string::npos);
}

TEST_CASE("decimal: parse to a fixed scale refuses to round unless asked") {
  SUBCASE("exact: fewer decimals are padded") {
    decimal d = decimal::parse("1.5", 3);
    CHECK(d.scale() == 3);
    CHECK(d.mantissa() == 1500);
    CHECK(d.to_string() == "1.500");
    CHECK(decimal::parse("12", 2).to_string() == "12.00");
  }
  SUBCASE("exact: trailing zeros beyond the scale lose nothing") {
    decimal d = decimal::parse("1.50", 1);
    CHECK(d.scale() == 1);
    CHECK(d.mantissa() == 15);
    CHECK(d.to_string() == "1.5");
    CHECK(decimal::parse("-2.000", 0).to_string() == "-2");
  }
  SUBCASE("exact: digits that would be lost are a parse_error") {
    auto e = thrown<zhibiao::parse_error>([] { decimal::parse("1.234", 2); });
    REQUIRE(e);
    CHECK(e->text() == "1.234");
    CHECK(e->reason() == "more than 2 decimals");
    CHECK(std::string(e->what()) == "'1.234': more than 2 decimals");
    CHECK_THROWS_AS(decimal::parse("1.51", 1, rounding::exact), zhibiao::parse_error);
    CHECK_THROWS_AS(decimal::parse("0.5", 0), zhibiao::parse_error);
  }
  SUBCASE("half_up rounds once") {
    CHECK(decimal::parse("2.345", 2, rounding::half_up).to_string() == "2.35");
    CHECK(decimal::parse("-2.345", 2, rounding::half_up).to_string() == "-2.35");
    CHECK(decimal::parse("1.2345", 2, rounding::half_up).to_string() == "1.23");
    CHECK(decimal::parse("0.5", 0, rounding::half_up).to_string() == "1");
  }
  SUBCASE("half_even and toward_zero") {
    CHECK(decimal::parse("2.345", 2, rounding::half_even).to_string() == "2.34");
    CHECK(decimal::parse("2.349", 2, rounding::toward_zero).to_string() == "2.34");
    CHECK(decimal::parse("-2.349", 2, rounding::toward_zero).to_string() == "-2.34");
  }
  SUBCASE("the syntax is still checked") {
    CHECK_THROWS_WITH_AS(decimal::parse("1e5", 2), doctest::Contains("exponent"), zhibiao::parse_error);
    CHECK_THROWS_AS(decimal::parse("", 2, rounding::half_up), zhibiao::parse_error);
  }
  SUBCASE("a target scale outside 0..18 is an invalid argument, not a parse error") {
    auto big = thrown<zhibiao::error>([] { decimal::parse("1.5", 19); });
    REQUIRE(big);
    CHECK(big->code() == zhibiao::errc::invalid_argument);
    auto neg = thrown<zhibiao::error>([] { decimal::parse("1.5", -1); });
    REQUIRE(neg);
    CHECK(neg->code() == zhibiao::errc::invalid_argument);
    CHECK(std::string(neg->what()).find("0..18") != std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// construction, arithmetic and comparison
// ---------------------------------------------------------------------------------------------

TEST_CASE("decimal: construction from mantissa and scale") {
  CHECK(decimal().is_zero());
  CHECK(decimal().scale() == 0);
  CHECK(decimal().to_string() == "0");
  CHECK(decimal(rep(-5), 3).to_string() == "-0.005");
  CHECK(decimal(rep(0), 2).to_string() == "0.00");
  CHECK(decimal(rep(123456), 2).to_string() == "1234.56");
  CHECK(decimal::from_int(-42).to_string() == "-42");
  CHECK(decimal::from_int(std::numeric_limits<long long>::min()).to_string() == "-9223372036854775808");
  CHECK(decimal::from_scaled(123456, 2) == D("1234.56"));
  CHECK(decimal::from_scaled(-1, 18).to_string() == "-0.000000000000000001");
  CHECK_THROWS_WITH_AS(decimal(rep(1), 19), "decimal scale must be within 0..18", zhibiao::error);
  CHECK_THROWS_AS(decimal(rep(1), -1), zhibiao::error);
  auto e = thrown<zhibiao::error>([] { decimal(rep(1), 19); });
  REQUIRE(e);
  CHECK(e->code() == zhibiao::errc::invalid_argument);
}

TEST_CASE("decimal: addition and subtraction are exact across scales") {
  SUBCASE("0.1 + 0.2 == 0.3 exactly") {
    decimal s = D("0.1") + D("0.2");
    CHECK(s == D("0.3"));
    CHECK(s.to_string() == "0.3");
    CHECK(s.mantissa() == 3);
  }
  SUBCASE("the result takes the larger scale") {
    decimal s = D("1.5") + D("2.25");  // 1.50 + 2.25 = 3.75
    CHECK(s.scale() == 2);
    CHECK(s.to_string() == "3.75");
    CHECK((D("10") + D("0.001")).to_string() == "10.001");
  }
  SUBCASE("subtraction and negative results") {
    CHECK((D("1") - D("0.25")).to_string() == "0.75");
    CHECK((D("0.25") - D("1")).to_string() == "-0.75");
    CHECK((D("-1.5") - D("-1.5")).is_zero());
    CHECK((D("-1.5") - D("-1.5")).to_string() == "0.0");
  }
  SUBCASE("negation") {
    CHECK((-D("1.50")).to_string() == "-1.50");
    CHECK((-D("-3")).to_string() == "3");
    CHECK((-D("0")).is_zero());
  }
  SUBCASE("compound assignment") {
    decimal a = D("100");
    a += D("0.01");
    CHECK(a.to_string() == "100.01");
    a -= D("100.02");
    CHECK(a.to_string() == "-0.01");
  }
  SUBCASE("a long sum of 0.1 stays exact") {
    decimal a;
    for (int i = 0; i < 1000; ++i) a += D("0.1");
    CHECK(a == D("100"));
    CHECK(a.to_string() == "100.0");
  }
}

TEST_CASE("decimal: comparison is by value, whatever the scale") {
  CHECK(D("1.50") == D("1.5"));
  CHECK(D("1.5") == D("1.500000"));
  CHECK(D("0") == D("-0.00"));
  CHECK(D("1.50") != D("1.51"));
  CHECK(D("1.49") < D("1.5"));
  CHECK(D("1.5") < D("1.51"));
  CHECK(D("2") > D("1.999999999999999999"));
  CHECK(D("-2") < D("-1.5"));
  CHECK(D("-0.001") < D("0"));
  CHECK(D("10") >= D("10.0"));
  CHECK(D("10") <= D("10.0"));
  CHECK((D("3.14") <=> D("3.140")) == std::strong_ordering::equal);
  CHECK((D("3.14") <=> D("3.2")) == std::strong_ordering::less);
  CHECK((D("-3.14") <=> D("-3.2")) == std::strong_ordering::greater);
  // Extremes: the largest mantissa at scale 0 versus scale 18.
  const rep max = std::numeric_limits<rep>::max();
  CHECK(decimal(max, 0) > decimal(max, 18));
  CHECK(decimal(-max, 0) < decimal(-max, 18));
  // max / 10^18 = 340282366920938463463.374607431768211455
  CHECK(decimal(max, 18) > D("340282366920938463463"));
  CHECK(decimal(max, 18) < D("340282366920938463464"));
  CHECK(decimal(max, 18) == D("340282366920938463463.374607431768211455"));
}

TEST_CASE("decimal: multiplication by integers and decimals is exact") {
  CHECK((D("1.25") * 4LL).to_string() == "5.00");
  CHECK((3LL * D("-0.1")).to_string() == "-0.3");
  CHECK((D("19.99") * 0LL).is_zero());
  decimal p = D("1.5") * D("2.25");  // 15 × 225 = 3375, scale 1 + 2 = 3
  CHECK(p.mantissa() == 3375);
  CHECK(p.scale() == 3);
  CHECK(p.to_string() == "3.375");
  CHECK((D("-0.5") * D("-0.5")).to_string() == "0.25");
  // Scales add: 9 + 9 = 18 is allowed, 10 + 9 = 19 is not.
  CHECK((D("0.000000001") * D("0.000000001")).to_string() == "0.000000000000000001");
  CHECK_THROWS_WITH_AS(D("0.0000000001") * D("0.000000001"), doctest::Contains("18 decimals"),
                       zhibiao::overflow_error);
}

TEST_CASE("decimal: division by an integer rounds once to the requested scale") {
  CHECK(D("10").divided(3, 2).to_string() == "3.33");   // 3.333...
  CHECK(D("20").divided(3, 2).to_string() == "6.67");   // 6.666...
  CHECK(D("-20").divided(3, 2).to_string() == "-6.67");
  CHECK(D("1").divided(8, 3).to_string() == "0.125");   // exact
  CHECK(D("-10").divided(4, 0).to_string() == "-3");    // -2.5 half_up → -3
  CHECK(D("-10").divided(4, 0, rounding::half_even).to_string() == "-2");
  CHECK(D("10").divided(-4, 0, rounding::half_even).to_string() == "-2");
  CHECK(D("7").divided(2, 0, rounding::toward_zero).to_string() == "3");
  CHECK(D("1").divided(4, 2, rounding::exact).to_string() == "0.25");
  CHECK_THROWS_AS(D("1").divided(3, 2, rounding::exact), zhibiao::error);
  auto e = thrown<zhibiao::error>([] { D("1").divided(0, 2); });
  REQUIRE(e);
  CHECK(e->code() == zhibiao::errc::invalid_argument);
  CHECK(std::string(e->what()).find("division by zero") != std::string::npos);
}

TEST_CASE("decimal: ratio with factor and decimals") {
  SUBCASE("registered unemployment rate 1234 / (52345 + 1234) × 100") {
    // 123400 / 53579 = 2.30314... → 2.30 at 2 decimals (53579 × 230 = 12323170, remainder 16830 < 26789.5).
    decimal unemployed = D("1234"), employed = D("52345");
    decimal rate = decimal::ratio(unemployed, employed + unemployed, 2, rounding::half_up, 100);
    CHECK(rate.to_string() == "2.30");
    CHECK(rate.scale() == 2);
    CHECK(rate.mantissa() == 230);
    // At 4 decimals: 1234000000 / 53579 = 23031.4... → 2.3031
    CHECK(decimal::ratio(unemployed, employed + unemployed, 4, rounding::half_up, 100).to_string() == "2.3031");
  }
  SUBCASE("operands with different scales") {
    CHECK(decimal::ratio(D("1.5"), D("0.25"), 1).to_string() == "6.0");
    CHECK(decimal::ratio(D("0.25"), D("1.5"), 4).to_string() == "0.1667");  // 0.16666...
    CHECK(decimal::ratio(D("12345.67"), D("10000"), 6).to_string() == "1.234567");
  }
  SUBCASE("ties follow the mode") {
    // 1/8 = 0.125
    CHECK(decimal::ratio(D("1"), D("8"), 2, rounding::half_up).to_string() == "0.13");
    CHECK(decimal::ratio(D("1"), D("8"), 2, rounding::half_even).to_string() == "0.12");
    CHECK(decimal::ratio(D("3"), D("8"), 2, rounding::half_even).to_string() == "0.38");  // 0.375
    CHECK(decimal::ratio(D("1"), D("8"), 2, rounding::toward_zero).to_string() == "0.12");
    CHECK_THROWS_AS(decimal::ratio(D("1"), D("8"), 2, rounding::exact), zhibiao::error);
    CHECK(decimal::ratio(D("1"), D("8"), 3, rounding::exact).to_string() == "0.125");
  }
  SUBCASE("signs") {
    CHECK(decimal::ratio(D("2"), D("-3"), 2).to_string() == "-0.67");
    CHECK(decimal::ratio(D("-2"), D("3"), 2).to_string() == "-0.67");
    CHECK(decimal::ratio(D("-2"), D("-3"), 2).to_string() == "0.67");
    CHECK(decimal::ratio(D("-2"), D("3"), 2, rounding::toward_zero).to_string() == "-0.66");
    CHECK(decimal::ratio(D("-1"), D("8"), 2, rounding::half_up).to_string() == "-0.13");
    CHECK(decimal::ratio(D("-1"), D("8"), 2, rounding::half_even).to_string() == "-0.12");
    CHECK(decimal::ratio(D("1"), D("3"), 2, rounding::half_up, -100).to_string() == "-33.33");
  }
  SUBCASE("zero numerator, zero denominator") {
    CHECK(decimal::ratio(D("0"), D("7"), 2).to_string() == "0.00");
    auto e = thrown<zhibiao::error>([] { decimal::ratio(D("1"), D("0.00"), 2); });
    REQUIRE(e);
    CHECK(e->code() == zhibiao::errc::invalid_argument);
    CHECK(std::string(e->what()).find("division by zero") != std::string::npos);
  }
  SUBCASE("decimals outside 0..18") {
    CHECK_THROWS_AS(decimal::ratio(D("1"), D("3"), 19), zhibiao::error);
    CHECK_THROWS_AS(decimal::ratio(D("1"), D("3"), -1), zhibiao::error);
  }
  SUBCASE("a result wider than 128 bits is an overflow_error") {
    // 10^30 / 10^-18 = 10^48 does not fit.
    CHECK_THROWS_WITH_AS(decimal::ratio(decimal(decimal::pow10(30), 0), decimal(rep(1), 18), 0),
                         doctest::Contains("does not fit 128 bits"), zhibiao::overflow_error);
    // The numerator's intermediate (2^128 - 1) × 10^9 × 10^(18 + 18) ≈ 2^282 is wider than 256 bits;
    // still an overflow_error, never a bare std::overflow_error.
    const rep max = std::numeric_limits<rep>::max();
    CHECK_THROWS_AS(decimal::ratio(decimal(max, 0), decimal(rep(1), 18), 18, rounding::half_up, 1000000000LL),
                    zhibiao::overflow_error);
    CHECK_THROWS_AS(decimal::ratio(decimal(max, 0), D("1"), 0, rounding::half_up, std::numeric_limits<long long>::min()),
                    zhibiao::overflow_error);
  }
  SUBCASE("a result that fits is computed even when the intermediate is wider than 256 bits") {
    // n = (2^128 - 1) × 10^9 × 10^(18 + 18) ≈ 2^282, d = (2^128 - 1) × 10^18; n / d = 10^9 × 10^18.
    const decimal m18(std::numeric_limits<rep>::max(), 18);
    CHECK(decimal::ratio(m18, m18, 18, rounding::half_up, 1000000000LL).to_string() ==
          "1000000000.000000000000000000");
    // (max / 10^18) × 10^9 / 0.000000000000000003 at 0 decimals: max × 10^45 / 3 — does not fit.
    CHECK_THROWS_AS(decimal::ratio(m18, decimal(rep(3), 18), 0, rounding::half_up, 1000000000LL),
                    zhibiao::overflow_error);
    // 1 / 3 of the largest value at 18 decimals: (2^128 - 1) / 3 = 113427455640312821154458202477256070485 exactly.
    CHECK(decimal::ratio(m18, D("3"), 18, rounding::exact).to_string() == "113427455640312821154.458202477256070485");
  }
}

// ---------------------------------------------------------------------------------------------
// rounding
// ---------------------------------------------------------------------------------------------

TEST_CASE("decimal: half_up and half_even differ only on ties") {
  auto r = [](const char* t, int s, rounding m) { return D(t).rescaled(s, m).to_string(); };
  SUBCASE("2.345: half_up away from zero, half_even to the even 4") {
    CHECK(r("2.345", 2, rounding::half_up) == "2.35");
    CHECK(r("2.345", 2, rounding::half_even) == "2.34");
  }
  SUBCASE("2.355: both give 2.36 (5 is odd, so half_even goes up too)") {
    CHECK(r("2.355", 2, rounding::half_up) == "2.36");
    CHECK(r("2.355", 2, rounding::half_even) == "2.36");
  }
  SUBCASE("negative ties") {
    CHECK(r("-2.345", 2, rounding::half_up) == "-2.35");
    CHECK(r("-2.345", 2, rounding::half_even) == "-2.34");
    CHECK(r("-2.355", 2, rounding::half_even) == "-2.36");
    CHECK(r("-0.5", 0, rounding::half_up) == "-1");
    CHECK(r("-0.5", 0, rounding::half_even) == "0");
  }
  SUBCASE("GB/T 8170 examples for half_even") {
    CHECK(r("1.050", 1, rounding::half_even) == "1.0");  // tie, 0 even
    CHECK(r("0.35", 1, rounding::half_even) == "0.4");   // tie, 3 odd
    CHECK(r("0.25", 1, rounding::half_even) == "0.2");
    CHECK(r("0.45", 1, rounding::half_even) == "0.4");
    CHECK(r("2.5", 0, rounding::half_even) == "2");
    CHECK(r("3.5", 0, rounding::half_even) == "4");
  }
  SUBCASE("not a tie: both modes agree") {
    CHECK(r("2.3451", 2, rounding::half_up) == "2.35");
    CHECK(r("2.3451", 2, rounding::half_even) == "2.35");  // more than half
    CHECK(r("2.3449", 2, rounding::half_up) == "2.34");
    CHECK(r("2.3449", 2, rounding::half_even) == "2.34");
    CHECK(r("-2.3451", 2, rounding::half_even) == "-2.35");
  }
}

TEST_CASE("decimal: toward_zero truncates and exact refuses") {
  auto r = [](const char* t, int s, rounding m) { return D(t).rescaled(s, m).to_string(); };
  CHECK(r("2.349", 2, rounding::toward_zero) == "2.34");
  CHECK(r("-2.349", 2, rounding::toward_zero) == "-2.34");
  CHECK(r("0.999", 0, rounding::toward_zero) == "0");
  CHECK(r("-0.999", 0, rounding::toward_zero) == "0");
  CHECK(r("2.340", 2, rounding::exact) == "2.34");
  auto e = thrown<zhibiao::error>([] { D("2.345").rescaled(2, rounding::exact); });
  REQUIRE(e);
  CHECK(e->code() == zhibiao::errc::invalid_argument);
  CHECK(std::string(e->what()).find("rounding would lose digits") != std::string::npos);
  // rescaled() defaults to exact.
  CHECK_THROWS_AS(D("2.345").rescaled(2), zhibiao::error);
}

TEST_CASE("decimal: rounding happens once, not digit by digit") {
  // 1.2345 → 2 decimals: the dropped part 0.0045 is less than half a unit, so 1.23.
  // Rounding in steps (1.2345 → 1.235 → 1.24) would be wrong.
  CHECK(D("1.2345").rescaled(2, rounding::half_up).to_string() == "1.23");
  CHECK(D("1.2345").rescaled(3, rounding::half_up).rescaled(2, rounding::half_up).to_string() == "1.24");
  CHECK(D("1.2345").rescaled(2, rounding::half_even).to_string() == "1.23");
  CHECK(D("0.4445").rescaled(0, rounding::half_up).to_string() == "0");
  CHECK(D("-1.2345").rescaled(2, rounding::half_up).to_string() == "-1.23");
  // Same rule inside ratio: 12345 / 10000 = 1.2345 → 1.23.
  CHECK(decimal::ratio(D("12345"), D("10000"), 2, rounding::half_up).to_string() == "1.23");
}

TEST_CASE("decimal: rescaled up pads, down rounds, range is checked") {
  CHECK(D("1.5").rescaled(4).to_string() == "1.5000");
  CHECK(D("1.5").rescaled(4).mantissa() == 15000);
  CHECK(D("1.5").rescaled(1).to_string() == "1.5");
  CHECK(D("-7").rescaled(18).to_string() == "-7.000000000000000000");
  CHECK(D("1.5").rescaled(0, rounding::half_up).to_string() == "2");
  CHECK_THROWS_AS(D("1").rescaled(19), zhibiao::error);
  CHECK_THROWS_AS(D("1").rescaled(-1), zhibiao::error);
  // 10^21 at scale 18 needs 10^39 > 2^128.
  CHECK_THROWS_AS(decimal(decimal::pow10(21), 0).rescaled(18), zhibiao::overflow_error);
}

// ---------------------------------------------------------------------------------------------
// overflow
// ---------------------------------------------------------------------------------------------

TEST_CASE("decimal: sums past the 128-bit limit throw overflow_error") {
  const rep max = std::numeric_limits<rep>::max();
  CHECK(max.str() == "340282366920938463463374607431768211455");  // 2^128 - 1
  const rep half = pow2(127);
  SUBCASE("2^127 + 2^127 = 2^128 > 2^128 - 1") {
    decimal a(half, 0);
    auto e = thrown<zhibiao::overflow_error>([&] { (void)(a + a); });
    REQUIRE(e);
    CHECK(e->code() == zhibiao::errc::overflow);
    CHECK(std::string(e->what()).find("sum does not fit 128 bits") != std::string::npos);
  }
  SUBCASE("right at the limit is fine") {
    decimal s = decimal(half, 0) + decimal(half - 1, 0);
    CHECK(s.mantissa() == max);
    CHECK_THROWS_AS(s + D("1"), zhibiao::overflow_error);
    CHECK_NOTHROW(s - D("1"));
  }
  SUBCASE("the negative limit too") {
    decimal lo(-max, 0);
    CHECK_THROWS_AS(lo - D("1"), zhibiao::overflow_error);
    CHECK_THROWS_AS(lo + decimal(-half, 0), zhibiao::overflow_error);
    decimal s = lo;
    CHECK_THROWS_AS(s -= D("1"), zhibiao::overflow_error);
  }
  SUBCASE("bringing an operand to the larger scale can overflow") {
    // max at scale 0 plus 0.1: max × 10 does not fit.
    CHECK_THROWS_AS(decimal(max, 0) + D("0.1"), zhibiao::overflow_error);
  }
  SUBCASE("a long sum") {
    decimal acc;
    decimal big(pow2(125), 0);
    acc += big;
    acc += big;
    acc += big;
    acc += big;  // 2^127
    acc += big;
    acc += big;
    acc += big;  // 7 × 2^125 = 2^128 - 2^125 < 2^128 - 1
    CHECK_THROWS_AS(acc += big, zhibiao::overflow_error);
  }
}

TEST_CASE("decimal: products past the 128-bit limit throw overflow_error") {
  const rep two64 = pow2(64);
  CHECK_THROWS_WITH_AS(decimal(two64, 0) * decimal(two64, 0), doctest::Contains("product does not fit 128 bits"),
                       zhibiao::overflow_error);
  // 2^64 × (2^64 - 1) = 2^128 - 2^64 fits.
  CHECK((decimal(two64, 0) * decimal(two64 - 1, 0)).to_string() == "340282366920938463444927863358058659840");
  CHECK_THROWS_AS(decimal(pow2(127), 0) * 2LL, zhibiao::overflow_error);
  CHECK_THROWS_AS(-2LL * decimal(pow2(127), 0), zhibiao::overflow_error);
  CHECK_NOTHROW(decimal(pow2(127), 0) * 1LL);
  CHECK_THROWS_AS(decimal(pow2(100), 0) * std::numeric_limits<long long>::max(), zhibiao::overflow_error);
}

// ---------------------------------------------------------------------------------------------
// to_scaled_int64, formatting
// ---------------------------------------------------------------------------------------------

TEST_CASE("decimal: to_scaled_int64 is exact or nullopt") {
  CHECK(D("12.34").to_scaled_int64(2) == std::optional<std::int64_t>(1234));
  CHECK(D("12.34").to_scaled_int64(4) == std::optional<std::int64_t>(123400));
  CHECK(D("12.30").to_scaled_int64(1) == std::optional<std::int64_t>(123));
  CHECK(D("-0.5").to_scaled_int64(0) == std::nullopt);  // would lose digits
  CHECK(D("12.34").to_scaled_int64(1) == std::nullopt);
  CHECK(D("-12.34").to_scaled_int64(2) == std::optional<std::int64_t>(-1234));
  // INT64_MAX = 9223372036854775807
  CHECK(D("92233720368547758.07").to_scaled_int64(2) == std::optional<std::int64_t>(INT64_MAX));
  CHECK(D("92233720368547758.08").to_scaled_int64(2) == std::nullopt);
  CHECK(D("-92233720368547758.08").to_scaled_int64(2) == std::optional<std::int64_t>(INT64_MIN));
  CHECK(D("-92233720368547758.09").to_scaled_int64(2) == std::nullopt);
  CHECK(D("1").to_scaled_int64(19) == std::nullopt);                         // bad scale
  CHECK(decimal(decimal::pow10(21), 0).to_scaled_int64(18) == std::nullopt);  // rescale overflows
  CHECK(D("0").to_scaled_int64(18) == std::optional<std::int64_t>(0));
}

TEST_CASE("decimal: fmt formats the exact text") {
  CHECK(fmt::format("{}", D("-1234.50")) == "-1234.50");
  CHECK(fmt::format("{}", D("0.05")) == "0.05");
  CHECK(fmt::format("{}", decimal(rep(-5), 3)) == "-0.005");
  CHECK(fmt::format("{}", D("+7")) == "7");
  CHECK(fmt::format("{:>8}", D("1.5")) == "     1.5");
  CHECK(fmt::format("{:<6}|", D("-2")) == "-2    |");
  CHECK(fmt::format("[{}]", decimal::ratio(D("1234"), D("53579"), 2, rounding::half_up, 100)) == "[2.30]");
  CHECK(fmt::format("{}", decimal(std::numeric_limits<rep>::max(), 18)) == "340282366920938463463.374607431768211455");
}

// ---------------------------------------------------------------------------------------------
// parse_fixed
// ---------------------------------------------------------------------------------------------

TEST_CASE("decimal: parse_fixed ok cases") {
  CHECK(fixed("12", 0).status == parse_status::ok);
  CHECK(fixed("12", 0).value == 12);
  CHECK(fixed("12", 2).value == 1200);
  CHECK(fixed("1234.56", 2).value == 123456);
  CHECK(fixed("1234.5", 2).value == 123450);
  CHECK(fixed("0.05", 2).value == 5);
  CHECK(fixed("-3", 1).value == -30);
  CHECK(fixed("+7", 0).value == 7);
  CHECK(fixed("-0.01", 2).value == -1);
  CHECK(fixed("007", 0).value == 7);
  // INT64_MAX = 9223372036854775807 exactly.
  CHECK(fixed("9223372036854775807", 0).status == parse_status::ok);
  CHECK(fixed("9223372036854775807", 0).value == INT64_MAX);
  CHECK(fixed("-9223372036854775807", 0).value == -INT64_MAX);
  CHECK(fixed("92233720368547758.07", 2).value == INT64_MAX);
}

TEST_CASE("decimal: parse_fixed accepts trailing zeros beyond the scale") {
  CHECK(fixed("1.50", 1).status == parse_status::ok);
  CHECK(fixed("1.50", 1).value == 15);
  CHECK(fixed("1.500000", 1).value == 15);
  CHECK(fixed("2.000", 0).value == 2);
  CHECK(fixed("-2.10", 1).value == -21);
  CHECK(fixed("0.0", 0).value == 0);
  // A zero followed by a non-zero digit is not trailing.
  CHECK(fixed("1.505", 1).status == parse_status::too_many_decimals);
  CHECK(fixed("1.005", 1).status == parse_status::too_many_decimals);
}

TEST_CASE("decimal: parse_fixed failures") {
  SUBCASE("too many decimals") {
    CHECK(fixed("1.234", 2).status == parse_status::too_many_decimals);
    CHECK(fixed("1.234", 2).value == -12345);  // out untouched
    CHECK(fixed("0.5", 0).status == parse_status::too_many_decimals);
  }
  SUBCASE("overflow past INT64_MAX") {
    CHECK(fixed("9223372036854775808", 0).status == parse_status::overflow);
    CHECK(fixed("-9223372036854775808", 0).status == parse_status::overflow);
    CHECK(fixed("99999999999999999999", 0).status == parse_status::overflow);
    // Fits as digits but not once scaled: 922337203685477581 × 10 > INT64_MAX.
    CHECK(fixed("922337203685477581", 1).status == parse_status::overflow);
    CHECK(fixed("922337203685477580", 1).status == parse_status::ok);
    CHECK(fixed("922337203685477580", 1).value == 9223372036854775800);
  }
  SUBCASE("malformed") {
    CHECK(fixed("1.2.3", 2).status == parse_status::malformed);
    CHECK(fixed("12a", 2).status == parse_status::malformed);
    CHECK(fixed("NaN", 2).status == parse_status::malformed);
    CHECK(fixed("-", 2).status == parse_status::malformed);
    CHECK(fixed(".", 2).status == parse_status::malformed);
    CHECK(fixed(" 1", 2).status == parse_status::malformed);
    CHECK(fixed("1.50a", 1).status == parse_status::malformed);
    CHECK(fixed("1.23x", 1).status == parse_status::malformed);  // bad text wins over too many decimals
  }
  SUBCASE("empty") { CHECK(fixed("", 2).status == parse_status::empty); }
  SUBCASE("thousands separator") {
    CHECK(fixed("1,234", 0).status == parse_status::thousands_separator);
    CHECK(fixed("1,234.56", 2).status == parse_status::thousands_separator);
  }
  SUBCASE("exponent") {
    CHECK(fixed("1e5", 0).status == parse_status::exponent);
    CHECK(fixed("1.5E3", 2).status == parse_status::exponent);
    CHECK(fixed("1.23e1", 1).status == parse_status::exponent);
  }
}

TEST_CASE("decimal: parse_status messages") {
  CHECK(zhibiao::parse_status_message(parse_status::ok) == "ok");
  CHECK(zhibiao::parse_status_message(parse_status::empty) == "empty number");
  CHECK(zhibiao::parse_status_message(parse_status::malformed) == "not a decimal number");
  CHECK(zhibiao::parse_status_message(parse_status::too_many_decimals) == "more decimals than allowed");
  CHECK(zhibiao::parse_status_message(parse_status::overflow) == "number too large");
  CHECK(zhibiao::parse_status_message(parse_status::thousands_separator).find("thousands") != std::string::npos);
  CHECK(zhibiao::parse_status_message(parse_status::exponent).find("exponent") != std::string::npos);
}

TEST_CASE("decimal: pow10 and divide_rounded helpers") {
  CHECK(decimal::pow10(0) == 1);
  CHECK(decimal::pow10(4) == 10000);
  CHECK(decimal::pow10(38).str() == "100000000000000000000000000000000000000");
  CHECK(decimal::divide_rounded(rep(7), rep(2), rounding::half_up) == 4);
  CHECK(decimal::divide_rounded(rep(7), rep(2), rounding::half_even) == 4);
  CHECK(decimal::divide_rounded(rep(5), rep(2), rounding::half_even) == 2);
  CHECK(decimal::divide_rounded(rep(-7), rep(2), rounding::half_up) == -4);
  CHECK(decimal::divide_rounded(rep(7), rep(-2), rounding::half_up) == -4);
  CHECK(decimal::divide_rounded(rep(-7), rep(-2), rounding::half_even) == 4);
  CHECK(decimal::divide_rounded(rep(7), rep(-2), rounding::toward_zero) == -3);
  CHECK(decimal::divide_rounded(rep(8), rep(-2), rounding::exact) == -4);
  CHECK_THROWS_AS(decimal::divide_rounded(rep(7), rep(2), rounding::exact), zhibiao::error);
}
