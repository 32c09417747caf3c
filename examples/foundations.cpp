// Exact decimals, units and periods: the value types every zhibiao number is made of.
#include <zhibiao/decimal.hpp>
#include <zhibiao/period.hpp>
#include <zhibiao/unit.hpp>

#include <fmt/format.h>

int main() {
  using namespace zhibiao;
  fmt::print("== units ==\n");
  decimal loan = decimal::parse("1234567.89");  // 元
  fmt::print("{} 元 = {} 万元 = {} 亿元\n", loan, convert(loan, unit_of("元"), unit_of("万元")),
             convert(loan, unit_of("元"), unit_of("亿元")));
  fmt::print("{} 万元 shown as 万元 with 2 decimals (四舍五入): {}\n",
             convert(loan, unit_of("元"), unit_of("万元")),
             convert(loan, unit_of("元"), unit_of("万元")).rescaled(2, rounding::half_up));

  fmt::print("== a rate recomputed from its parts ==\n");
  decimal unemployed = decimal::from_int(1234), employed = decimal::from_int(52345);
  decimal rate = decimal::ratio(unemployed, employed + unemployed, 2, rounding::half_up, 100);
  fmt::print("城镇登记失业率 = {} / ({} + {}) × 100 = {}%\n", unemployed, employed, unemployed, rate);
  fmt::print("0.1 + 0.2 = {} (exact)\n", decimal::parse("0.1") + decimal::parse("0.2"));
  fmt::print("2.345 half-up → {}, half-even (GB/T 8170) → {}\n", decimal::parse("2.345").rescaled(2, rounding::half_up),
             decimal::parse("2.345").rescaled(2, rounding::half_even));

  fmt::print("== periods ==\n");
  for (const char* text : {"2021年1-9月", "2021年第一季度", "2021年上半年", "截至2021年9月底", "2021-03", "202112"}) {
    period p = period::parse(text);
    fmt::print("{:<16} → {:<18} {:<14} months {}-{}, 序时进度 {}/12, 同比 {}\n", text, p.code(), p.label_zh(),
               p.first_month(), p.last_month(), p.last_month(), p.same_period_last_year().label_zh());
  }
  try {
    period::parse("2021年13月");
  } catch (const error& e) {
    fmt::print("rejected: {}\n", e.what());
  }
}
