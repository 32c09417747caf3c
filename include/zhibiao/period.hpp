// zhibiao — reporting periods: months, quarters, half-years, years, year-to-date spans, as-of dates.
#pragma once

#include <zhibiao/error.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <fmt/format.h>

#include <compare>
#include <string>
#include <string_view>

namespace zhibiao {

/// The kinds of period bureaus report in.
enum class period_kind {
  month,         ///< 2021-03 / 2021年3月
  quarter,       ///< 2021Q1 / 2021年第一季度
  half_year,     ///< 2021S1 / 2021年上半年
  year,          ///< 2021 / 2021年
  year_to_date,  ///< 2021-01..2021-09 / 2021年1-9月 (1-X月累计)
  as_of,         ///< 2021-09-30 / 截至2021年9月底 (the value of a stock at a month end)
  span           ///< 2021-03..2021-11 / 2021年3-11月, or across years: 2020-01..2021-12 / 2020年1月至2021年12月
};

/// Name of a period kind, for messages.
constexpr std::string_view period_kind_name(period_kind k) noexcept {
  switch (k) {
    case period_kind::month: return "month";
    case period_kind::quarter: return "quarter";
    case period_kind::half_year: return "half_year";
    case period_kind::year: return "year";
    case period_kind::year_to_date: return "year_to_date";
    case period_kind::as_of: return "as_of";
    case period_kind::span: return "span";
  }
  return "unknown";
}

/// A run of whole months with the kind it was written as: within one calendar year, except a span, which
/// may cross years (2020-01..2021-12, a 累计 since a start).
class period {
 public:
  /// Years zhibiao accepts; anything else is taken for a typing error.
  static constexpr int min_year = 1900, max_year = 2200;

  /// One calendar month.
  static period month(int y, int m) { return period(y, check_month(y, m), m, period_kind::month); }
  /// Quarter q (1..4).
  static period quarter(int y, int q) {
    if (q < 1 || q > 4) throw error(errc::invalid_argument, "quarter must be 1..4");
    return period(y, 3 * q - 2, 3 * q, period_kind::quarter);
  }
  /// Half-year h (1 = 上半年, 2 = 下半年).
  static period half_year(int y, int h) {
    if (h < 1 || h > 2) throw error(errc::invalid_argument, "half-year must be 1 or 2");
    return period(y, 6 * h - 5, 6 * h, period_kind::half_year);
  }
  /// The whole calendar year.
  static period year(int y) { return period(y, 1, 12, period_kind::year); }
  /// January to month m of year y (1-m月累计).
  static period year_to_date(int y, int m) { return period(y, 1, check_month(y, m), period_kind::year_to_date); }
  /// The end of month m (截至m月底), for stocks.
  static period as_of(int y, int m) { return period(y, check_month(y, m), m, period_kind::as_of); }
  /// Months `first`..`last` of year `y`: year-to-date when `first` is 1, a single month when they are equal.
  static period months(int y, int first, int last) {
    check_month(y, first);
    check_month(y, last);
    if (last < first) throw error(errc::invalid_argument, "a span of months ends before it starts");
    if (first == 1) return year_to_date(y, last);
    if (first == last) return month(y, last);
    return period(y, first, last, period_kind::span);
  }
  /// Months (y0, m0) through (y1, m1): as months() within one year, a span across years otherwise.
  static period months(int y0, int m0, int y1, int m1) {
    if (y0 == y1) return months(y0, m0, m1);
    check_month(y0, m0);
    check_month(y1, m1);
    if (y1 < y0) throw error(errc::invalid_argument, "a span of months ends before it starts");
    period p(y1, m0, m1, period_kind::span);
    p.first_year_ = y0;
    return p;
  }
  /// The months from month serial `first` through month serial `last` (see month_serial()).
  static period from_serials(int first, int last) {
    return months(serial_year(first), serial_month(first), serial_year(last), serial_month(last));
  }

  /// Parses a canonical code (`2021-03`, `202103`, `2021Q1`, `2021S1`, `2021`, `2021-01..2021-09`,
  /// `2021-09-30`) or a Chinese label (`2021年3月`, `2021年1-9月`, `2021年第一季度`, `2021年上半年`,
  /// `2021年`, `截至2021年9月底`); anything else is a parse_error naming the text and the reason.
  static period parse(std::string_view text);

  /// The kind it was written as.
  period_kind kind() const noexcept { return kind_; }
  /// Calendar year (of the last month, for a span across years).
  int year() const noexcept { return year_; }
  /// The year of the first month: year() except for a span across years.
  int first_year() const noexcept { return first_year_; }
  /// True for a span whose months lie in more than one year.
  bool crosses_years() const noexcept { return first_year_ != year_; }
  /// First month covered (1..12), in first_year().
  int first_month() const noexcept { return first_; }
  /// Last month covered (1..12); for 序时进度 this is M in M/12.
  int last_month() const noexcept { return last_; }
  /// Number of months covered.
  int month_count() const noexcept { return serial() - first_serial() + 1; }
  /// A dense, ordered month number (year·12 + month − 1) of the last month; used as an index.
  int serial() const noexcept { return month_serial(year_, last_); }
  /// The month serial of the first month.
  int first_serial() const noexcept { return month_serial(first_year_, first_); }
  /// The month serial of (year, month 1..12): months since year 0, so a serial's order is time order.
  static constexpr int month_serial(int year, int month) noexcept { return year * 12 + month - 1; }
  /// The year of a month serial.
  static constexpr int serial_year(int serial) noexcept { return serial / 12; }
  /// The month 1..12 of a month serial.
  static constexpr int serial_month(int serial) noexcept { return serial % 12 + 1; }
  /// The date the period ends on (an as-of date's own date).
  boost::gregorian::date end_date() const { return boost::gregorian::date(year_, last_, 1).end_of_month(); }

  /// True when every month of `other` lies in this period.
  bool contains(const period& other) const noexcept {
    return other.first_serial() >= first_serial() && other.serial() <= serial();
  }
  /// The same months one year earlier (同比).
  period same_period_last_year() const {
    period p(year_ - 1, first_, last_, kind_);
    p.first_year_ = check_year(first_year_ - 1);
    return p;
  }
  /// The period just before (环比): the previous month, quarter, half-year or year; for a
  /// year-to-date span through M the span through M−1 (through December of the year before for M = 1);
  /// for another span the same number of months just before it (which may cross into the year before).
  period previous() const {
    switch (kind_) {
      case period_kind::month:
      case period_kind::as_of:
        return last_ == 1 ? period(year_ - 1, 12, 12, kind_) : period(year_, last_ - 1, last_ - 1, kind_);
      case period_kind::span: {
        // The same number of months just before, across January into the year before when need be.
        const int n = month_count();
        return from_serials(first_serial() - n, first_serial() - 1);
      }
      case period_kind::quarter:
      case period_kind::half_year: {
        int n = month_count();
        return first_ == 1 ? period(year_ - 1, 13 - n, 12, kind_) : period(year_, first_ - n, first_ - 1, kind_);
      }
      case period_kind::year: return period(year_ - 1, 1, 12, kind_);
      case period_kind::year_to_date:
        return last_ == 1 ? period(year_ - 1, 1, 12, kind_) : period(year_, 1, last_ - 1, kind_);
    }
    return *this;
  }

  /// The canonical code: `2021-03`, `2021Q1`, `2021S1`, `2021`, `2021-01..2021-09`, `2021-09-30`.
  std::string code() const {
    auto two = [](int m) { return std::string(m < 10 ? "0" : "") + std::to_string(m); };
    std::string y = std::to_string(year_);
    switch (kind_) {
      case period_kind::month: return y + "-" + two(last_);
      case period_kind::quarter: return y + "Q" + std::to_string(last_ / 3);
      case period_kind::half_year: return y + "S" + std::to_string(last_ / 6);
      case period_kind::year: return y;
      case period_kind::year_to_date: return y + "-01.." + y + "-" + two(last_);
      case period_kind::as_of: return y + "-" + two(last_) + "-" + two(end_date().day());
      case period_kind::span: return std::to_string(first_year_) + "-" + two(first_) + ".." + y + "-" + two(last_);
    }
    return y;
  }

  /// The label a report uses: `2021年3月`, `2021年第一季度`, `2021年上半年`, `2021年`, `2021年1-9月`,
  /// `截至2021年9月底`.
  std::string label_zh() const {
    static constexpr std::string_view cn[] = {"", "一", "二", "三", "四"};
    std::string y = std::to_string(year_) + "年";
    switch (kind_) {
      case period_kind::month: return y + std::to_string(last_) + "月";
      case period_kind::quarter: return y + "第" + std::string(cn[last_ / 3]) + "季度";
      case period_kind::half_year: return y + (last_ == 6 ? "上半年" : "下半年");
      case period_kind::year: return y;
      case period_kind::year_to_date:
        return last_ == 1 ? y + "1月" : y + "1-" + std::to_string(last_) + "月";
      case period_kind::as_of: return "截至" + y + std::to_string(last_) + "月底";
      case period_kind::span:
        if (crosses_years()) return std::to_string(first_year_) + "年" + std::to_string(first_) + "月至" + y + std::to_string(last_) + "月";
        return y + std::to_string(first_) + "-" + std::to_string(last_) + "月";
    }
    return y;
  }

  /// The label without its year, for a sentence that named the year already: `9月`, `第三季度`, `上半年`,
  /// `全年`, `1-9月`, `9月底`, `3-11月`; a span across years keeps its years (2020年1月至2021年12月).
  std::string months_label_zh() const {
    const std::string label = label_zh(), y = std::to_string(year_) + "年";
    if (crosses_years()) return label;
    if (kind_ == period_kind::year) return "全年";
    if (kind_ == period_kind::as_of) return std::to_string(last_) + "月底";
    return label.substr(label.find(y) + y.size());
  }
  /// The months as a span in words: `3月至11月`, `1月至9月`; one month alone is `9月`; across years
  /// `2020年1月至2021年12月`.
  std::string span_label_zh() const {
    if (crosses_years()) return label_zh();
    const std::string last = std::to_string(last_) + "月";
    return first_ == last_ ? last : std::to_string(first_) + "月至" + last;
  }
  /// The months as a span with the year at each end, as a 工作总结 dates a span: `2021年3月至2021年12月`;
  /// one month alone is `2021年9月`.
  std::string dated_span_label_zh() const {
    const std::string last = std::to_string(year_) + "年" + std::to_string(last_) + "月";
    if (first_serial() == serial()) return last;
    return std::to_string(first_year_) + "年" + std::to_string(first_) + "月至" + last;
  }
  /// The period's end as a deadline: `6月底前`, and `年底前` for December.
  std::string deadline_zh() const { return last_ == 12 ? std::string("年底前") : std::to_string(last_) + "月底前"; }
  /// The deadline with its year, for a later year's plan: `2022年6月底前`, `2022年底前`.
  std::string dated_deadline_zh() const { return std::to_string(year_) + (last_ == 12 ? std::string("年底前") : "年" + deadline_zh()); }

  /// Periods are equal when they have the same kind and months.
  friend bool operator==(const period&, const period&) = default;
  /// Ordered by year, then last month, then first month, then kind.
  friend std::strong_ordering operator<=>(const period& a, const period& b) noexcept {
    if (auto c = a.year_ <=> b.year_; c != 0) return c;
    if (auto c = a.last_ <=> b.last_; c != 0) return c;
    if (auto c = a.first_serial() <=> b.first_serial(); c != 0) return c;
    return static_cast<int>(a.kind_) <=> static_cast<int>(b.kind_);
  }

 private:
  period(int y, int first, int last, period_kind k) : year_(check_year(y)), first_year_(y), first_(first), last_(last), kind_(k) {}
  static int check_year(int y) {
    if (y < min_year || y > max_year)
      throw error(errc::invalid_argument, "year " + std::to_string(y) + " is outside 1900..2200");
    return y;
  }
  static int check_month(int y, int m) {
    check_year(y);
    if (m < 1 || m > 12) throw error(errc::invalid_argument, "month " + std::to_string(m) + " is outside 1..12");
    return m;
  }

  int year_ = 2000, first_year_ = 2000, first_ = 1, last_ = 1;
  period_kind kind_ = period_kind::month;
};

namespace detail {

/// A tiny cursor over UTF-8 text for the period grammar.
struct period_cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const noexcept { return i >= s.size(); }
  bool eat(std::string_view lit) noexcept {
    if (s.substr(i, lit.size()) == lit) {
      i += lit.size();
      return true;
    }
    return false;
  }
  // Reads 1..max_digits ASCII digits; -1 when none.
  int number(std::size_t max_digits, std::size_t* count = nullptr) noexcept {
    std::size_t start = i;
    int v = 0;
    while (i < s.size() && i - start < max_digits && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
    if (count) *count = i - start;
    return i == start ? -1 : v;
  }
};

[[noreturn]] inline void bad_period(std::string_view text, const std::string& why) {
  throw parse_error(std::string(text), why);
}

inline int period_month(std::string_view text, int m) {
  if (m < 1 || m > 12) bad_period(text, "month " + std::to_string(m) + " is outside 1..12");
  return m;
}

inline int period_year(std::string_view text, int y) {
  if (y < period::min_year || y > period::max_year)
    bad_period(text, "year " + std::to_string(y) + " is outside 1900..2200");
  return y;
}

inline period parse_period_zh(std::string_view text) {
  period_cursor c{text};
  bool as_of = c.eat("截至") || c.eat("截止");
  std::size_t n = 0;
  int y = c.number(4, &n);
  if (n != 4) bad_period(text, "expected a 4-digit year");
  period_year(text, y);
  if (!c.eat("年")) bad_period(text, "expected 年 after the year");
  if (as_of) {
    int m = c.number(2);
    if (m < 0 || !c.eat("月") || !(c.eat("底") || c.eat("末")) || !c.done())
      bad_period(text, "expected 截至YYYY年M月底");
    return period::as_of(y, period_month(text, m));
  }
  if (c.done() || c.eat("度") || c.eat("全年")) {
    if (!c.done()) bad_period(text, "unexpected text after the year");
    return period::year(y);
  }
  if (c.eat("上半年") || c.eat("下半年")) {
    if (!c.done()) bad_period(text, "unexpected text after the half-year");
    return period::half_year(y, text.substr(c.i - 9, 3) == "上" ? 1 : 2);
  }
  bool ordinal = c.eat("第");
  static constexpr std::string_view cn[] = {"一", "二", "三", "四"};
  for (int q = 0; q < 4; ++q) {
    if (c.eat(cn[q])) {
      if (!c.eat("季度") || !c.done()) bad_period(text, "expected 季度 after the quarter number");
      return period::quarter(y, q + 1);
    }
  }
  int a = c.number(2);
  if (a < 0) bad_period(text, "expected a month, quarter or half-year after the year");
  if (c.eat("季度")) {
    if (a < 1 || a > 4) bad_period(text, "quarter " + std::to_string(a) + " is outside 1..4");
    if (!c.done()) bad_period(text, "unexpected text after the quarter");
    return period::quarter(y, a);
  }
  if (ordinal) bad_period(text, "expected 季度 after 第");
  // `3月至11月` names the month twice, `3-11月` once.
  const bool month_named = c.eat("月");
  if (month_named && c.done()) return period::month(y, period_month(text, a));
  if (c.eat("-") || c.eat("—") || c.eat("–") || c.eat("~") || c.eat("～") || c.eat("至")) {
    if (month_named) {
      // 2020年1月至2021年12月: the second end names its own year.
      const std::size_t at = c.i;
      std::size_t yn = 0;
      const int y2 = c.number(4, &yn);
      if (yn == 4 && c.eat("年")) {
        int b = c.number(2);
        if (b < 0 || !c.eat("月") || !c.done()) bad_period(text, "expected YYYY年A月至YYYY年B月");
        period_month(text, a);
        period_month(text, b);
        period_year(text, y2);
        if (y2 < y || (y2 == y && b < a)) bad_period(text, "the span ends before it starts");
        return period::months(y, a, y2, b);
      }
      c.i = at;
    }
    int b = c.number(2);
    if (b < 0 || !c.eat("月") || !c.done()) bad_period(text, "expected YYYY年A-B月 or YYYY年A月至B月");
    period_month(text, a);
    period_month(text, b);
    if (b < a) bad_period(text, "the span ends before it starts");
    return period::months(y, a, b);
  }
  if (month_named) bad_period(text, "unexpected text after the month");
  bad_period(text, "expected 月 after the month");
}

inline period parse_period_code(std::string_view text) {
  period_cursor c{text};
  std::size_t n = 0;
  int y = c.number(4, &n);
  if (n != 4) bad_period(text, "expected a 4-digit year");
  if (c.done()) return period::year(period_year(text, y));
  if (c.eat("Q")) {
    int q = c.number(1);
    if (q < 1 || q > 4 || !c.done()) bad_period(text, "quarter must be Q1..Q4");
    return period::quarter(period_year(text, y), q);
  }
  if (c.eat("S")) {
    int h = c.number(1);
    if (h < 1 || h > 2 || !c.done()) bad_period(text, "half-year must be S1 or S2");
    return period::half_year(period_year(text, y), h);
  }
  if (!c.eat("-")) {
    int m = c.number(2, &n);
    if (n == 2 && c.done()) return period::month(period_year(text, y), period_month(text, m));
    bad_period(text, "not a period (expected 2021, 2021-03, 202103, 2021Q1, 2021S1 or 2021-01..2021-09)");
  }
  int m = c.number(2, &n);
  if (n != 2) bad_period(text, "expected a 2-digit month");
  period_year(text, y);
  period_month(text, m);
  if (c.done()) return period::month(y, m);
  if (c.eat("..")) {
    int y2 = c.number(4, &n);
    if (n != 4 || !c.eat("-")) bad_period(text, "expected YYYY-MM..YYYY-MM");
    int m2 = c.number(2, &n);
    if (n != 2 || !c.done()) bad_period(text, "expected YYYY-MM..YYYY-MM");
    period_month(text, m2);
    period_year(text, y2);
    if (y2 < y || (y2 == y && m2 < m)) bad_period(text, "the span ends before it starts");
    return period::months(y, m, y2, m2);
  }
  if (c.eat("-")) {
    int d = c.number(2, &n);
    if (n != 2 || !c.done()) bad_period(text, "expected YYYY-MM-DD");
    period p = period::as_of(y, m);
    if (d != p.end_date().day()) bad_period(text, "an as-of date must be the last day of its month");
    return p;
  }
  bad_period(text, "unexpected text after the month");
}

}  // namespace detail

inline period period::parse(std::string_view text) {
  if (text.empty()) detail::bad_period(text, "empty period");
  if (text.find("年") != std::string_view::npos) return detail::parse_period_zh(text);
  return detail::parse_period_code(text);
}

}  // namespace zhibiao

/// Formats a period as its canonical code (`{}`) or, with `{:zh}`, its Chinese label.
template <>
struct fmt::formatter<zhibiao::period> {
  bool zh = false;
  /// Accepts an empty spec or `zh`.
  constexpr auto parse(fmt::format_parse_context& ctx) {
    auto it = ctx.begin(), end = ctx.end();
    if (it != end && *it == 'z') {
      if (end - it < 2 || it[1] != 'h') throw fmt::format_error("period format spec must be empty or 'zh'");
      zh = true;
      it += 2;
    }
    if (it != end && *it != '}') throw fmt::format_error("period format spec must be empty or 'zh'");
    return it;
  }
  /// Writes the code or the label.
  template <class Ctx>
  auto format(const zhibiao::period& p, Ctx& ctx) const {
    std::string s = zh ? p.label_zh() : p.code();
    return fmt::format_to(ctx.out(), "{}", s);
  }
};
