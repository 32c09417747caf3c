// zhibiao — what a reported value says beyond its number: its qualifier, and the grids that hold values.
//
// Both grids are dense arrays indexed by (region, indicator, month); values are int64 mantissas at the
// indicator's decimals, and missing is a flag, never 0. Their layout belongs to the engine: checks,
// reports and every front end read results through the query API (query.hpp), never these arrays.
#pragma once

#include <zhibiao/catalogue.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// How a reported value qualifies its number (the seeds' "XX多人", "约X人").
enum class qualifier : std::uint8_t { none = 0, lower_bound = 1, approximate = 2 };

/// Name of a qualifier as written in observations.csv.
constexpr std::string_view qualifier_name(qualifier q) noexcept {
  return q == qualifier::lower_bound ? "lower_bound" : q == qualifier::approximate ? "approximate" : "";
}

/// A number as a report words it with its qualifier: "X多" for a lower bound, "约X" for an approximate value.
inline std::string qualified_text(const std::string& number, qualifier q) {
  return q == qualifier::lower_bound ? number + "多" : q == qualifier::approximate ? "约" + number : number;
}

/// The qualifier of a sum (or any aggregate) of two values: approximate over lower_bound over none.
constexpr qualifier combine(qualifier a, qualifier b) noexcept { return a > b ? a : b; }

/// The qualifier of a ratio: a qualified denominator makes it approximate (a lower bound below the bar bounds
/// nothing), else the numerator's (a lower-bound numerator over an exact denominator is a lower bound).
constexpr qualifier ratio_qualifier(qualifier numerator, qualifier denominator) noexcept {
  return denominator != qualifier::none ? qualifier::approximate : numerator;
}

namespace detail {

/// Bits of an observation cell's flags: present, the qualifier (2 bits), reported year-to-date.
inline constexpr std::uint8_t f_present = 1, f_qual_shift = 1, f_qual_mask = 6, f_ytd = 8;
/// Bits of a roll-up cell's presence: the monthly value, the year-to-date value.
inline constexpr std::uint8_t h_monthly = 1, h_ytd = 2;
/// Bits of a roll-up cell's qualifiers, two OR-able bits per value (1 a lower-bound part seen, 2 an
/// approximate part seen) at bits 2–3 for the monthly value and 4–5 for the year-to-date value; an
/// observation's qualifier bits (flags & f_qual_mask) shifted left by one are the monthly pair.
inline constexpr std::uint8_t h_q_monthly_shift = 2, h_q_ytd_shift = 4, h_q_monthly = 12, h_q_ytd = 48, h_quals = 60;

/// The qualifier of an OR-ed pair of qualifier bits (bit 0 lower bound, bit 1 approximate).
constexpr qualifier qualifier_of_bits(unsigned pair) noexcept {
  return (pair & 2) ? qualifier::approximate : (pair & 1) ? qualifier::lower_bound : qualifier::none;
}

/// A leaf whose roll-up block another model computed (model::load_partial): the roll-up copies it
/// instead of reading the leaf's observations, so the levels above add up the subtree exactly.
struct partial_leaf {
  region_id region = -1;
  std::vector<std::int64_t> monthly, ytd;   ///< [indicator × 12 + month − 1], as a rollup_year holds them
  std::vector<std::int32_t> reporting;
  std::vector<std::uint8_t> has;
  std::array<std::int32_t, 12> expected{};  ///< leaves of the subtree each month
};

/// One year of reported values for every (region, indicator, month); missing is a flag, never 0.
struct observation_year {
  int year = 0;
  std::vector<std::int64_t> value;  ///< mantissa at the indicator's decimals
  std::vector<std::uint8_t> flags;  ///< bit 0 present, bits 1–2 qualifier, bit 3 reported year-to-date
  std::vector<partial_leaf> partials;  ///< pre-rolled leaves of this year, by region id ascending
  std::uint8_t qualified = 0;  ///< 1 once any value of the year was stored with a qualifier (never reset: the roll-up's fast path)
};

/// One year of roll-up results for every (region, indicator, month).
struct rollup_year {
  int year = 0;
  std::vector<std::int64_t> monthly, ytd;  ///< mantissas at the indicator's decimals
  std::vector<std::int32_t> reporting;     ///< leaves that reported month M (ratios: every part)
  std::vector<std::uint8_t> has;           ///< bit 0 monthly present, bit 1 ytd present, bits 2–5 qualifiers (h_q_*)
  std::vector<std::int32_t> expected;      ///< per (region, month): leaves of the region then
  /// Per level some indicator is reported at (indicators.csv `reported_at`), else empty: per (region,
  /// month), the reporting units at or below the region then.
  std::array<std::vector<std::int32_t>, level_count> expected_at;

  /// The units that should report indicator `ind` at region `r` in month 1..12: every reader of coverage
  /// asks here, so indicators without a reporting level share one array.
  std::int32_t expected_of(const indicator& ind, std::size_t r, int month) const noexcept {
    const std::vector<std::int32_t>& e = ind.reported_at ? expected_at[static_cast<std::size_t>(*ind.reported_at)] : expected;
    return e[r * 12 + static_cast<std::size_t>(month - 1)];
  }
};

}  // namespace detail

}  // namespace zhibiao
