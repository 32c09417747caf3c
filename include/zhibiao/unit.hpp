// zhibiao — units as a dimension plus a power of ten (1 亿元 = 10 000 万元 = 10^8 元).
#pragma once

#include <zhibiao/decimal.hpp>
#include <zhibiao/error.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace zhibiao {

/// What a unit measures; conversion is only possible within one dimension.
enum class dimension {
  people,           ///< 人, 名, 万人
  person_times,     ///< 人次, 万人次 (one person may count more than once)
  money,            ///< 元, 万元, 亿元
  items,            ///< 个, 家, 场, 宗, 件, 项, 笔, 条, 份, 张, 起, 次 ...
  ratio,            ///< a pure number, %, ‰
  points,           ///< 个百分点: the difference of two percentages
  money_per_month,  ///< 元/月, 元/人·月 (standards such as 最低工资标准)
  money_per_hour,   ///< 元/小时
  age,              ///< 岁: an age in years (领取待遇的年龄 60岁), comparable only with another age
  date              ///< 日期: a day (a parameter's value only; see date.hpp), never converted or added
};

/// Name of a dimension, for messages.
constexpr std::string_view dimension_name(dimension d) noexcept {
  switch (d) {
    case dimension::people: return "people";
    case dimension::person_times: return "person-times";
    case dimension::money: return "money";
    case dimension::items: return "items";
    case dimension::ratio: return "ratio";
    case dimension::points: return "percentage points";
    case dimension::money_per_month: return "money per month";
    case dimension::money_per_hour: return "money per hour";
    case dimension::age: return "age";
    case dimension::date: return "date";
  }
  return "unknown";
}

/// A unit: its written symbol, dimension and decimal exponent (万 = 4, 亿 = 8, % = −2, ‰ = −3).
struct unit {
  std::string_view symbol;
  zhibiao::dimension dim;
  int exponent;

  /// Units are equal when they measure the same thing at the same multiplier.
  friend constexpr bool operator==(const unit& a, const unit& b) noexcept {
    return a.dim == b.dim && a.exponent == b.exponent && a.symbol == b.symbol;
  }
};

namespace detail {
inline constexpr std::array<unit, 45> unit_table{{
    {"人", dimension::people, 0},          {"名", dimension::people, 0},
    {"万人", dimension::people, 4},        {"万名", dimension::people, 4},
    {"人次", dimension::person_times, 0},  {"万人次", dimension::person_times, 4},
    {"元", dimension::money, 0},           {"万元", dimension::money, 4},
    {"亿元", dimension::money, 8},         {"个", dimension::items, 0},
    {"万个", dimension::items, 4},         {"个次", dimension::items, 0},
    {"万个次", dimension::items, 4},       {"家", dimension::items, 0},
    {"万家", dimension::items, 4},         {"家次", dimension::items, 0},
    {"万家次", dimension::items, 4},       {"场", dimension::items, 0},
    {"场次", dimension::items, 0},         {"宗", dimension::items, 0},
    {"件", dimension::items, 0},           {"项", dimension::items, 0},
    {"笔", dimension::items, 0},           {"条", dimension::items, 0},
    {"份", dimension::items, 0},           {"张", dimension::items, 0},
    {"万张", dimension::items, 4},         {"起", dimension::items, 0},
    {"次", dimension::items, 0},           {"期", dimension::items, 0},
    {"批", dimension::items, 0},           {"所", dimension::items, 0},
    {"户", dimension::items, 0},           {"%", dimension::ratio, -2},
    {"‰", dimension::ratio, -3},           {"1", dimension::ratio, 0},
    {"倍", dimension::ratio, 0},           {"个百分点", dimension::points, 0},
    {"元/月", dimension::money_per_month, 0}, {"元/人·月", dimension::money_per_month, 0},
    {"元/人/月", dimension::money_per_month, 0}, {"元/小时", dimension::money_per_hour, 0},
    {"元/时", dimension::money_per_hour, 0}, {"岁", dimension::age, 0}, {"日期", dimension::date, 0},
}};
}  // namespace detail

/// Looks up a unit by its symbol (`万元`, `%`, `人次`); nullopt when unknown.
constexpr std::optional<unit> find_unit(std::string_view symbol) noexcept {
  for (const unit& u : detail::unit_table)
    if (u.symbol == symbol) return u;
  return std::nullopt;
}

/// Looks up a unit by its symbol, or throws a parse_error listing what is known.
inline unit unit_of(std::string_view symbol) {
  if (auto u = find_unit(symbol)) return *u;
  throw parse_error(std::string(symbol), "unknown unit (known: 人 人次 万人 万人次 元 万元 亿元 个 家 场 宗 件 项 % ‰ 个百分点 日期 ...)");
}

/// True when values in `a` can be converted to `b`.
constexpr bool convertible(const unit& a, const unit& b) noexcept { return a.dim == b.dim; }

/// Converts `value` from unit `from` to unit `to` exactly (scale grows when dividing by 10^k).
/// Across dimensions (元 → 人) this is an error.
inline decimal convert(const decimal& value, const unit& from, const unit& to) {
  if (!convertible(from, to))
    throw error(errc::unit, "cannot convert " + std::string(from.symbol) + " (" + std::string(dimension_name(from.dim)) +
                                ") to " + std::string(to.symbol) + " (" + std::string(dimension_name(to.dim)) + ")");
  int shift = from.exponent - to.exponent;  // value·10^shift
  if (shift >= 0) return value * decimal(decimal::pow10(shift), 0);
  int scale = value.scale() - shift;
  if (scale > decimal::max_scale) throw overflow_error("conversion needs more than 18 decimals");
  return decimal(value.mantissa(), scale);
}

}  // namespace zhibiao
