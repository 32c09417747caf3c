// zhibiao — day dates (日期): the value of a parameter that is a day (2021年5月12日 出台), held exactly as
// a whole number of days since 1970-01-01, read and written as text at every edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zhibiao {

/// The first and last days a date may name (the years 1900–2200 of every period), as day numbers.
inline constexpr std::int64_t first_day = -25567;  // 1900-01-01
inline constexpr std::int64_t last_day = 84370;    // 2200-12-31

/// Days since 1970-01-01 of a civil date; nullopt when the day does not exist (2021-02-30) or lies
/// outside 1900–2200.
std::optional<std::int64_t> day_number(int year, int month, int day) noexcept;

/// Parses `2021-05-12` or `2021年5月12日` into a day number; throws parse_error saying why not (a number
/// where a date is expected, a day that does not exist).
std::int64_t parse_date(std::string_view text);

/// True when `day` is a day number within 1900–2200.
constexpr bool valid_day(std::int64_t day) noexcept { return day >= first_day && day <= last_day; }

/// ISO 8601 text of a day number (2021-05-12): the roll-up's and explain's form.
std::string date_iso(std::int64_t day);

/// The date as a report writes it: 2021年5月12日.
std::string date_zh(std::int64_t day);

/// The date without its year, for a sentence that named the year already: 5月12日.
std::string date_month_day_zh(std::int64_t day);

}  // namespace zhibiao
