// Day dates: civil dates to day numbers and back through std::chrono's calendar, and their two texts.
#include <zhibiao/date.hpp>
#include <zhibiao/decimal.hpp>
#include <zhibiao/error.hpp>

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace zhibiao {

namespace {

std::chrono::year_month_day civil(std::int64_t day) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}};
}

// Digits at `s`, advancing it; false when there are none or more than `most`.
bool take_number(std::string_view& s, std::size_t most, int& out) {
  std::size_t n = 0;
  while (n < s.size() && n < most + 1 && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || n > most) return false;
  std::from_chars(s.data(), s.data() + n, out);
  s.remove_prefix(n);
  return true;
}

bool take(std::string_view& s, std::string_view sep) {
  if (!s.starts_with(sep)) return false;
  s.remove_prefix(sep.size());
  return true;
}

// Year, month and day of `2021-05-12` (two-digit month and day) or `2021年5月12日`; false for any other text.
bool split_date(std::string_view s, int& y, int& m, int& d) {
  std::string_view rest = s;
  if (!take_number(rest, 4, y) || s.size() - rest.size() != 4) return false;
  if (take(rest, "-")) {
    const std::size_t before = rest.size();
    if (!take_number(rest, 2, m) || before - rest.size() != 2 || !take(rest, "-")) return false;
    const std::size_t mid = rest.size();
    return take_number(rest, 2, d) && mid - rest.size() == 2 && rest.empty();
  }
  return take(rest, "年") && take_number(rest, 2, m) && take(rest, "月") && take_number(rest, 2, d) && take(rest, "日") && rest.empty();
}

}  // namespace

std::optional<std::int64_t> day_number(int year, int month, int day) noexcept {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

std::int64_t parse_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (!split_date(text, y, m, d)) {
    bool number = true;
    try {
      (void)decimal::parse(text);
    } catch (const error&) {
      number = false;
    }
    throw parse_error(std::string(text), number ? "a number where a date is expected (write the day as 2021-05-12 or 2021年5月12日)"
                                                : "not a date (expected 2021-05-12 or 2021年5月12日)");
  }
  if (y < 1900 || y > 2200) throw parse_error(std::string(text), "the year is outside 1900–2200");
  if (auto n = day_number(y, m, d)) return *n;
  if (m < 1 || m > 12) throw parse_error(std::string(text), fmt::format("there is no month {}", m));
  const unsigned last = static_cast<unsigned>(
      std::chrono::year_month_day_last{std::chrono::year{y}, std::chrono::month_day_last{std::chrono::month{static_cast<unsigned>(m)}}}.day());
  throw parse_error(std::string(text), fmt::format("there is no day {} in {}年{}月 (it has {} days)", d, y, m, last));
}

std::string date_iso(std::int64_t day) {
  const auto ymd = civil(day);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string date_zh(std::int64_t day) {
  return fmt::format("{}年{}", static_cast<int>(civil(day).year()), date_month_day_zh(day));
}

std::string date_month_day_zh(std::int64_t day) {
  const auto ymd = civil(day);
  return fmt::format("{}月{}日", static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace zhibiao
