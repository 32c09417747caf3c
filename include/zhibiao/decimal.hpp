// zhibiao — exact fixed-point decimal numbers for money, counts and rates.
//
// A decimal is a 128-bit integer mantissa with a decimal scale: value = mantissa / 10^scale.
// Every operation is exact or rounds once, in a mode the caller names; any result that does not
// fit 128 bits raises zhibiao::overflow_error instead of wrapping.
#pragma once

#include <zhibiao/error.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace zhibiao {

/// How a value is rounded when it must lose digits.
enum class rounding {
  half_up,      ///< 四舍五入: ties away from zero (the default for display)
  half_even,    ///< GB/T 8170 奇进偶不进: ties to the even neighbour
  toward_zero,  ///< truncation
  exact         ///< refuse to round: an error if digits would be lost
};

/// Outcome of the non-throwing fixed-scale parser used on hot load paths.
enum class parse_status { ok, empty, malformed, too_many_decimals, overflow, thousands_separator, exponent };

/// Reason text for a parse_status, used by every loader so messages agree.
constexpr std::string_view parse_status_message(parse_status s) noexcept {
  switch (s) {
    case parse_status::ok: return "ok";
    case parse_status::empty: return "empty number";
    case parse_status::malformed: return "not a decimal number";
    case parse_status::too_many_decimals: return "more decimals than allowed";
    case parse_status::overflow: return "number too large";
    case parse_status::thousands_separator: return "thousands separators are not allowed";
    case parse_status::exponent: return "exponent notation is not supported";
  }
  return "not a decimal number";
}

namespace detail {

/// 10^n as an unsigned 64-bit value, n in 0..19.
constexpr std::uint64_t pow10_u64(int n) noexcept {
  std::uint64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

/// Classifies a text that failed the digit grammar, so the message says why.
constexpr parse_status classify_bad_number(std::string_view t) noexcept {
  bool digit_seen = false;
  for (char c : t) {
    if (c >= '0' && c <= '9') digit_seen = true;
    if (c == ',' && digit_seen) return parse_status::thousands_separator;
    if ((c == 'e' || c == 'E') && digit_seen) return parse_status::exponent;
  }
  return parse_status::malformed;
}

}  // namespace detail

/// Parses `text` as a decimal with at most `scale` decimals into an int64 scaled by 10^scale.
/// Non-throwing and allocation-free: the loaders call it once per value.
inline parse_status parse_fixed(std::string_view text, int scale, std::int64_t& out) noexcept {
  if (text.empty()) return parse_status::empty;
  std::size_t i = 0;
  bool neg = false;
  if (text[0] == '+' || text[0] == '-') {
    neg = text[0] == '-';
    i = 1;
  }
  std::uint64_t m = 0;
  int digits = 0, decimals = 0;
  bool point = false;
  constexpr std::uint64_t limit = static_cast<std::uint64_t>(INT64_MAX);
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (point && ++decimals > scale) {
        // Trailing zeros beyond the scale lose nothing; anything else does.
        if (c != '0') {
          for (std::size_t j = i + 1; j < text.size(); ++j)
            if (text[j] < '0' || text[j] > '9') return detail::classify_bad_number(text);
          return parse_status::too_many_decimals;
        }
        --decimals;
        ++digits;
        continue;
      }
      std::uint64_t d = static_cast<std::uint64_t>(c - '0');
      if (m > (limit - d) / 10) return parse_status::overflow;
      m = m * 10 + d;
      ++digits;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return detail::classify_bad_number(text);
    }
  }
  if (digits == 0) return parse_status::malformed;
  for (int k = decimals; k < scale; ++k) {
    if (m > limit / 10) return parse_status::overflow;
    m *= 10;
  }
  out = neg ? -static_cast<std::int64_t>(m) : static_cast<std::int64_t>(m);
  return parse_status::ok;
}

/// An exact decimal number: a 128-bit mantissa and a scale (number of decimals, 0..max_scale).
class decimal {
 public:
  /// The mantissa type: a 128-bit integer that throws instead of wrapping.
  using rep = boost::multiprecision::checked_int128_t;
  /// Largest scale supported; 10^max_scale leaves 20 digits for the integer part.
  static constexpr int max_scale = 18;

  /// Zero with scale 0.
  decimal() = default;
  /// mantissa / 10^scale; scale must be within 0..max_scale.
  decimal(rep mantissa, int scale) : m_(std::move(mantissa)), s_(checked_scale(scale)) {}
  /// An integer value.
  static decimal from_int(long long v) { return decimal(rep(v), 0); }
  /// An int64 mantissa with a scale (the engine's fast representation).
  static decimal from_scaled(std::int64_t mantissa, int scale) { return decimal(rep(mantissa), scale); }

  /// Parses `12`, `-3`, `1234.56`, `0.05`, `+7`; the scale is the number of decimals written.
  /// Rejects empty text, `1.2.3`, `12a`, `NaN`, exponents (`1e5`), thousands separators.
  static decimal parse(std::string_view text) {
    std::size_t i = 0;
    bool neg = false;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
      neg = text[0] == '-';
      i = 1;
    }
    rep m = 0;
    int digits = 0, decimals = 0;
    bool point = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c >= '0' && c <= '9') {
        if (point) ++decimals;
        if (decimals > max_scale) throw parse_error(std::string(text), "more than 18 decimals");
        ++digits;
        try {
          m = m * 10 + (c - '0');
        } catch (const std::overflow_error&) {
          throw overflow_error("'" + std::string(text) + "': number does not fit 128 bits");
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        throw parse_error(std::string(text),
                          std::string(parse_status_message(detail::classify_bad_number(text))), i + 1);
      }
    }
    if (digits == 0) throw parse_error(std::string(text), text.empty() ? "empty number" : "not a decimal number");
    return decimal(neg ? rep(-m) : m, decimals);
  }

  /// Parses `text` and brings it to `scale`; with rounding::exact (the default) more decimals
  /// than `scale` is an error rather than a silent rounding.
  static decimal parse(std::string_view text, int scale, rounding mode = rounding::exact) {
    checked_scale(scale);
    decimal d = parse(text);
    if (d.s_ > scale && mode == rounding::exact) {
      try {
        return d.rescaled(scale, rounding::exact);
      } catch (const error&) {
        throw parse_error(std::string(text), "more than " + std::to_string(scale) + " decimals");
      }
    }
    return d.rescaled(scale, mode);
  }

  /// The integer mantissa.
  const rep& mantissa() const noexcept { return m_; }
  /// The number of decimals.
  int scale() const noexcept { return s_; }
  /// -1, 0 or 1.
  int sign() const noexcept { return m_.sign(); }
  /// True for any zero, whatever its scale.
  bool is_zero() const noexcept { return m_.is_zero(); }

  /// The same value with `scale` decimals, rounding once in `mode` when digits are lost.
  decimal rescaled(int scale, rounding mode = rounding::exact) const {
    checked_scale(scale);
    if (scale == s_) return *this;
    if (scale > s_) return decimal(mul_checked(m_, pow10(scale - s_)), scale);
    return decimal(divide_rounded(m_, pow10(s_ - scale), mode), scale);
  }

  /// The mantissa at `scale` as int64 when it is exact and fits; nullopt otherwise.
  std::optional<std::int64_t> to_scaled_int64(int scale) const {
    try {
      decimal r = rescaled(scale, rounding::exact);
      if (r.m_ > rep(INT64_MAX) || r.m_ < rep(INT64_MIN)) return std::nullopt;
      return static_cast<std::int64_t>(r.m_);
    } catch (const error&) {
      return std::nullopt;
    }
  }

  /// Plain text with exactly scale() decimals: `-1234.50`; no separators, no exponent.
  std::string to_string() const {
    std::string digits = (m_.sign() < 0 ? rep(-m_) : m_).str();
    if (s_ > 0) {
      if (digits.size() <= static_cast<std::size_t>(s_)) digits.insert(0, s_ - digits.size() + 1, '0');
      digits.insert(digits.size() - s_, 1, '.');
    }
    return m_.sign() < 0 ? "-" + digits : digits;
  }

  /// Exact sum; the scale is the larger of the two.
  friend decimal operator+(const decimal& a, const decimal& b) {
    int s = a.s_ > b.s_ ? a.s_ : b.s_;
    return decimal(add_checked(a.rescaled(s).m_, b.rescaled(s).m_), s);
  }
  /// Exact difference; the scale is the larger of the two.
  friend decimal operator-(const decimal& a, const decimal& b) { return a + (-b); }
  /// Negation.
  decimal operator-() const { return decimal(rep(-m_), s_); }
  /// Adds in place.
  decimal& operator+=(const decimal& b) { return *this = *this + b; }
  /// Subtracts in place.
  decimal& operator-=(const decimal& b) { return *this = *this - b; }
  /// Exact product with an integer.
  friend decimal operator*(const decimal& a, long long k) { return decimal(mul_checked(a.m_, rep(k)), a.s_); }
  /// Exact product with an integer.
  friend decimal operator*(long long k, const decimal& a) { return a * k; }
  /// Exact product of two decimals; scales add (an error past max_scale).
  friend decimal operator*(const decimal& a, const decimal& b) {
    if (a.s_ + b.s_ > max_scale) throw overflow_error("product needs more than 18 decimals");
    return decimal(mul_checked(a.m_, b.m_), a.s_ + b.s_);
  }
  /// Quotient by an integer, rounded once to `scale` decimals.
  decimal divided(long long k, int scale, rounding mode = rounding::half_up) const {
    if (k == 0) throw error(errc::invalid_argument, "division by zero");
    return ratio(*this, from_int(k), scale, mode);
  }

  /// The exact value as a rational: rules and target checks compare in exact arithmetic.
  boost::multiprecision::cpp_rational to_rational() const {
    using boost::multiprecision::cpp_int;
    return boost::multiprecision::cpp_rational(cpp_int(m_), cpp_int(pow10(s_)));
  }
  /// A rational rounded once to `decimals` in `mode` (the one place a rational becomes a decimal).
  static decimal from_rational(const boost::multiprecision::cpp_rational& r, int decimals, rounding mode = rounding::half_up) {
    using boost::multiprecision::cpp_int;
    checked_scale(decimals);
    cpp_int n = boost::multiprecision::numerator(r) * cpp_int(pow10(decimals));
    const cpp_int& d = boost::multiprecision::denominator(r);
    cpp_int q = n / d, rem = n % d;
    if (!rem.is_zero()) q = round_step(q, rem, d, n.sign(), mode);
    if (q > cpp_int(max_rep()) || q < -cpp_int(max_rep())) throw overflow_error("value does not fit 128 bits");
    return decimal(rep(q), decimals);
  }

  // Binary floating point has no exact decimal value: mixing it in is a compile error, not a silent
  // truncation through the integer overloads (`d * 1.5` would otherwise multiply by 1).
  template <std::floating_point F> friend decimal operator+(const decimal&, F) = delete;
  template <std::floating_point F> friend decimal operator+(F, const decimal&) = delete;
  template <std::floating_point F> friend decimal operator-(const decimal&, F) = delete;
  template <std::floating_point F> friend decimal operator-(F, const decimal&) = delete;
  template <std::floating_point F> friend decimal operator*(const decimal&, F) = delete;
  template <std::floating_point F> friend decimal operator*(F, const decimal&) = delete;
  template <std::floating_point F> decimal& operator+=(F) = delete;
  template <std::floating_point F> decimal& operator-=(F) = delete;
  template <std::floating_point F> decimal divided(F, int, rounding = rounding::half_up) const = delete;
  template <std::floating_point F> static decimal from_int(F) = delete;
  template <std::floating_point F> friend bool operator==(const decimal&, F) = delete;
  template <std::floating_point F> friend std::strong_ordering operator<=>(const decimal&, F) = delete;

  /// factor × num / den, rounded once to `decimals` in `mode`; den must not be zero.
  /// This is how every rate (城镇登记失业率 = 失业人数 / (从业 + 失业) × 100) is computed.
  static decimal ratio(const decimal& num, const decimal& den, int decimals, rounding mode = rounding::half_up,
                       long long factor = 1) {
    if (den.is_zero()) throw error(errc::invalid_argument, "division by zero");
    checked_scale(decimals);
    // 512 bits: n·f·10^(sd+decimals) reaches 2^128 · 2^63 · 10^36 ≈ 2^311, past 256 bits, even
    // when the quotient itself fits 128 bits.
    using wide = boost::multiprecision::checked_int512_t;
    // value = (n / 10^sn) / (d / 10^sd) * f  →  mantissa at `decimals` = n·f·10^(sd+decimals) / (d·10^sn)
    wide n = wide(num.m_) * factor;
    wide d = wide(den.m_);
    int up = den.s_ + decimals, down = num.s_;
    n *= wide(pow10(up));
    d *= wide(pow10(down));
    if (d.sign() < 0) {
      n = -n;
      d = -d;
    }
    wide q = n / d, r = n % d;
    if (!r.is_zero()) q = round_step(q, r, d, n.sign(), mode);
    if (q > wide(max_rep()) || q < -wide(max_rep())) throw overflow_error("ratio does not fit 128 bits");
    return decimal(rep(q), decimals);
  }

  /// Three-way comparison by value: 1.50 == 1.5.
  friend std::strong_ordering operator<=>(const decimal& a, const decimal& b) {
    if (a.s_ == b.s_) return cmp(a.m_, b.m_);
    using wide = boost::multiprecision::checked_int256_t;
    int s = a.s_ > b.s_ ? a.s_ : b.s_;
    wide x = wide(a.m_) * wide(pow10(s - a.s_)), y = wide(b.m_) * wide(pow10(s - b.s_));
    return x < y ? std::strong_ordering::less : x > y ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  /// Equality by value: 1.50 == 1.5.
  friend bool operator==(const decimal& a, const decimal& b) { return (a <=> b) == 0; }

  /// 10^n as a mantissa, n in 0..38.
  static rep pow10(int n) {
    rep p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
  }

  /// Integer division n / d rounded once in `mode` (d > 0 is not required).
  static rep divide_rounded(const rep& n, const rep& d, rounding mode) {
    rep q = n / d, r = n % d;
    if (r.is_zero()) return q;
    if (mode == rounding::exact) throw error(errc::invalid_argument, "rounding would lose digits");
    using wide = boost::multiprecision::checked_int256_t;
    wide wn = n, wd = d;
    if (wd.sign() < 0) {
      wn = -wn;
      wd = -wd;
    }
    return rep(round_step(wn / wd, wn % wd, wd, wn.sign(), mode));
  }

 private:
  static int checked_scale(int s) {
    if (s < 0 || s > max_scale) throw error(errc::invalid_argument, "decimal scale must be within 0..18");
    return s;
  }
  static rep max_rep() { return std::numeric_limits<rep>::max(); }
  static rep add_checked(const rep& a, const rep& b) {
    try {
      return a + b;
    } catch (const std::overflow_error&) {
      throw overflow_error("sum does not fit 128 bits");
    }
  }
  static rep mul_checked(const rep& a, const rep& b) {
    try {
      return a * b;
    } catch (const std::overflow_error&) {
      throw overflow_error("product does not fit 128 bits");
    }
  }
  static std::strong_ordering cmp(const rep& a, const rep& b) {
    return a < b ? std::strong_ordering::less : a > b ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  // q, r: truncated quotient and remainder of n/d with d > 0; nsign: sign of n.
  template <class W>
  static W round_step(W q, W r, const W& d, int nsign, rounding mode) {
    if (mode == rounding::exact) throw error(errc::invalid_argument, "rounding would lose digits");
    if (mode == rounding::toward_zero) return q;
    W twice = (r.sign() < 0 ? W(-r) : r) * 2;
    bool away = twice > d || (twice == d && (mode == rounding::half_up || (q % 2) != 0));
    if (away) q += nsign < 0 ? -1 : 1;
    return q;
  }

  rep m_ = 0;
  int s_ = 0;
};

}  // namespace zhibiao

/// Formats a decimal as its plain exact text (`{}`); rounding is the caller's, done before.
template <>
struct fmt::formatter<zhibiao::decimal> : fmt::formatter<std::string_view> {
  /// Writes the exact text, honouring width and alignment.
  template <class Ctx>
  auto format(const zhibiao::decimal& d, Ctx& ctx) const {
    std::string s = d.to_string();
    return fmt::formatter<std::string_view>::format(std::string_view(s), ctx);
  }
};
