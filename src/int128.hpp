// Exact integer helpers of the engine: 128-bit intermediates and half-up division (四舍五入) for the
// roll-up's ratios and queries. Private to src/.
#pragma once

#include <zhibiao/error.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <cstdint>
#include <string>

namespace zhibiao::detail {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr std::int64_t p10[19] = {1,
                                  10,
                                  100,
                                  1000,
                                  10000,
                                  100000,
                                  1000000,
                                  10000000,
                                  100000000,
                                  1000000000,
                                  10000000000,
                                  100000000000,
                                  1000000000000,
                                  10000000000000,
                                  100000000000000,
                                  1000000000000000,
                                  10000000000000000,
                                  100000000000000000,
                                  1000000000000000000};

[[noreturn]] inline void overflow(const std::string& what) {
  throw overflow_error(what + " exceeds the exact 64-bit range (±9.2·10^18 at the indicator's decimals)");
}

// Rounds n/d half away from zero (四舍五入), d > 0.
inline std::int64_t div_half_up(i128 n, i128 d, bool& ok) {
  i128 q = n / d, r = n % d;
  if (r < 0) r = -r;
  if (2 * r >= d) q += n < 0 ? -1 : 1;
  ok = q <= INT64_MAX && q >= INT64_MIN;
  return static_cast<std::int64_t>(q);
}

// (a·ka) / (b·kb) rounded half away from zero in 256 bits, b ≠ 0; ok is false when it does not fit int64.
inline std::int64_t div_half_up_wide(i128 a, std::int64_t ka, i128 b, std::int64_t kb, bool& ok) {
  using wide = boost::multiprecision::checked_int256_t;
  auto widen = [](i128 v) {
    const bool neg = v < 0;
    const u128 u = neg ? -static_cast<u128>(v) : static_cast<u128>(v);
    wide w = wide(static_cast<std::uint64_t>(u >> 64));
    w <<= 64;
    w += wide(static_cast<std::uint64_t>(u));
    return neg ? wide(-w) : w;
  };
  wide n = widen(a) * ka, d = widen(b) * kb;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  wide q = n / d, r = n % d;
  if (r < 0) r = -r;
  if (2 * r >= d) q += n < 0 ? -1 : 1;
  ok = q <= wide(INT64_MAX) && q >= wide(INT64_MIN);
  return ok ? static_cast<std::int64_t>(q) : 0;
}

}  // namespace zhibiao::detail
