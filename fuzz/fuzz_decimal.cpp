// Fuzz target: the two decimal parsers (decimal::parse and the loaders' parse_fixed), which must agree,
// and the exact arithmetic on what they produce.
#include "common.hpp"

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view t = zhibiao_fuzz::text(data, size);
  std::optional<decimal> d;
  try {
    d = decimal::parse(t);
  } catch (const error& e) {
    ZB_FUZZ_ASSERT(e.code() == errc::parse || e.code() == errc::overflow);
  }
  if (d) {
    // The exact text reads back as the same value and scale.
    decimal back = decimal::parse(d->to_string());
    ZB_FUZZ_ASSERT(back == *d && back.scale() == d->scale());
    try {
      ZB_FUZZ_ASSERT((*d - *d).is_zero());
      ZB_FUZZ_ASSERT(*d + decimal() == *d);
      for (rounding mode : {rounding::half_up, rounding::half_even, rounding::toward_zero}) {
        decimal r = d->rescaled(2, mode);
        ZB_FUZZ_ASSERT(r.scale() == 2);
        (void)decimal::ratio(*d, decimal::from_int(3), 4, mode, 100);
      }
      if (!d->is_zero()) (void)decimal::ratio(decimal::from_int(1), *d, 6);
      (void)(*d * *d);
      (void)(*d <=> decimal::parse("0.5"));
    } catch (const error& e) {
      ZB_FUZZ_ASSERT(e.code() == errc::overflow || e.code() == errc::invalid_argument);
    }
  }
  // parse_fixed at every scale the loaders use agrees with decimal::parse brought to that scale.
  for (int scale = 0; scale <= 9; ++scale) {
    std::int64_t v = 0;
    parse_status st = parse_fixed(t, scale, v);
    if (st == parse_status::ok) {
      if (!d) {
        // parse_fixed drops zeros past its scale; decimal::parse keeps every decimal, at most 18.
        const std::size_t point = t.find('.');
        ZB_FUZZ_ASSERT(point != std::string_view::npos && t.size() - point - 1 > static_cast<std::size_t>(decimal::max_scale));
        continue;
      }
      auto want = d->to_scaled_int64(scale);
      ZB_FUZZ_ASSERT(want && *want == v);
    } else if (d) {
      // decimal::parse took it, so parse_fixed may refuse only a value that does not fit its scale
      // (INT64_MIN itself is outside parse_fixed's symmetric range).
      ZB_FUZZ_ASSERT(st == parse_status::too_many_decimals || st == parse_status::overflow);
      auto want = d->to_scaled_int64(scale);
      ZB_FUZZ_ASSERT(!want || (st == parse_status::overflow && *want == INT64_MIN));
    }
    (void)parse_status_message(st);
    try {
      decimal e = decimal::parse(t, scale, rounding::exact);
      ZB_FUZZ_ASSERT(e.scale() == scale);
    } catch (const error&) {
    }
  }
  return 0;
}
