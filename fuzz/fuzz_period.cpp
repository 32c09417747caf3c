// Fuzz target: the period parser (codes and Chinese labels) and what a period computes from itself.
#include "common.hpp"

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view t = zhibiao_fuzz::text(data, size);
  period p = period::year(2000);
  try {
    p = period::parse(t);
  } catch (const error& e) {
    ZB_FUZZ_ASSERT(e.code() == errc::parse);
    return 0;
  }
  ZB_FUZZ_ASSERT(p.year() >= period::min_year && p.year() <= period::max_year);
  ZB_FUZZ_ASSERT(p.first_month() >= 1 && p.first_month() <= p.last_month() && p.last_month() <= 12);
  // The canonical code reads back as the same period; the Chinese label as the same months.
  const std::string code = p.code();
  ZB_FUZZ_ASSERT(period::parse(code) == p);
  const period q = period::parse(p.label_zh());
  ZB_FUZZ_ASSERT(q.serial() == p.serial() && q.first_month() == p.first_month());
  ZB_FUZZ_ASSERT(fmt::format("{}", p) == code);
  (void)fmt::format("{:zh}", p);
  (void)p.end_date();
  try {
    period prev = p.previous();
    ZB_FUZZ_ASSERT(prev < p);
    period last = p.same_period_last_year();
    ZB_FUZZ_ASSERT(last.year() == p.year() - 1 && last.kind() == p.kind());
  } catch (const error& e) {
    ZB_FUZZ_ASSERT(e.code() == errc::invalid_argument && p.year() == period::min_year);
  }
  return 0;
}
