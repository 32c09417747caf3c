// Shared pieces of the fuzz targets: the small fixed model (tests/data/small, embedded so that a
// fuzzer needs no files) and the one rule every target follows — a zhibiao::error is the expected
// answer to bad input; anything else escaping (another exception, a crash, a sanitizer report) is a bug.
#pragma once

#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace zhibiao_fuzz {

inline constexpr std::string_view small_regions =
    "code,name,level,parent\n"
    "C1,示例市,city,\n"
    "A,甲县,county,C1\n"
    "B,乙县,county,C1\n"
    "a1,甲一镇,town,A\n"
    "a2,甲二镇,town,A\n"
    "b1,乙一镇,town,B\n";

inline constexpr std::string_view small_indicators =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
    "new_jobs,城镇新增就业,人,flow,0,,,,\n"
    "loan_amount,发放创业担保贷款,万元,flow,2,,,,\n"
    "insured,参保人数,人,stock,0,,,,\n"
    "unemployed,期末城镇登记失业人数,人,stock,0,,,,\n"
    "employed,期末城镇从业人员数,人,stock,0,,,,\n"
    "rate,城镇登记失业率,%,ratio,2,unemployed,unemployed+employed,100,\n"
    "policy_date,政策出台日期,日期,parameter,0,,,,\n";

inline constexpr std::string_view small_observations =
    "region,period,indicator,value,qualifier\n"
    "a1,2021-01,new_jobs,10,\n"
    "a1,2021-02,new_jobs,20,\n"
    "a1,2021-03,new_jobs,30,\n"
    "a2,2021-01,new_jobs,5,\n"
    "a2,2021-03,new_jobs,15,\n"
    "b1,2021-01..2021-01,new_jobs,7,\n"
    "b1,2021-01..2021-02,new_jobs,12,\n"
    "b1,2021年1-3月,new_jobs,20,\n"
    "a1,2021-01,loan_amount,12.50,\n"
    "b1,2021-02,loan_amount,3.25,approximate\n"
    "a1,2021-01,insured,100,\n"
    "a1,2021-02,insured,110,\n"
    "a2,2021-01,insured,50,\n"
    "a2,2021-02,insured,55,\n"
    "a2,2021-03,insured,60,\n"
    "b1,2021-01,insured,80,\n"
    "b1,2021-02,insured,82,\n"
    "b1,2021-03,insured,85,\n"
    "a1,2021-01,unemployed,30,\n"
    "a1,2021-01,employed,970,\n"
    "a2,2021-01,unemployed,10,\n"
    "a2,2021-01,employed,90,\n"
    "b1,2021-01,unemployed,2,\n"
    "b1,2021-01,employed,398,\n"
    "a1,2021-02,unemployed,31,\n"
    "a2,2021-02,unemployed,11,\n"
    "a2,2021-02,employed,89,\n";

// A few targets on the small model, for the report placeholders :target, :completion and :progress.
inline constexpr std::string_view small_targets =
    "region,indicator,period,kind,value,upper,schedule,tolerance\n"
    "C1,new_jobs,2021,floor,300,,,2\n"
    "A,new_jobs,2021,floor,100,,year_end,\n"
    "B,new_jobs,2021,floor,150,,5;10;20;30;40;50;60;70;80;90;95;100,\n"
    "C1,rate,2021,cap,3.5,,,\n"
    "A,insured,2021,band,100,300,,\n"
    "C1,loan_amount,2021,floor,20.50,,,\n";

/// The small model with regions and indicators loaded, no observations.
inline const zhibiao::model& empty_small_model() {
  static const zhibiao::model m = [] {
    zhibiao::model x;
    x.load_regions_text(small_regions, "<regions>");
    x.load_indicators_text(small_indicators, "<indicators>");
    return x;
  }();
  return m;
}

/// The small model with its observations, rolled up.
inline const zhibiao::model& small_model() {
  static const zhibiao::model m = [] {
    zhibiao::model x = empty_small_model();
    x.load_observations_text(small_observations, "<observations>");
    x.rollup();
    return x;
  }();
  return m;
}

/// The small model's targets.
inline const std::vector<zhibiao::target>& small_model_targets() {
  static const std::vector<zhibiao::target> t = zhibiao::parse_targets(small_targets, "<targets>", small_model());
  return t;
}

/// The input as text.
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// An invariant of the library that must hold whatever the input; a failure is a bug.
#define ZB_FUZZ_ASSERT(cond)                                                            \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      __builtin_trap();                                                                 \
    }                                                                                   \
  } while (0)

/// Error messages about files cross the C ABI as C strings of UTF-8 text: whatever a file holds, the
/// message must be valid UTF-8 without control bytes (other than newline and tab). Files are checked for
/// UTF-8 before they are parsed, so this holds for every loader (not for text a caller passes directly).
inline void check_message(const zhibiao::error& e) {
  const std::string_view m = e.what();
  for (char ch : m) {
    const auto c = static_cast<unsigned char>(ch);
    ZB_FUZZ_ASSERT(!((c < 0x20 && ch != '\n' && ch != '\t') || c == 0x7F));
  }
  try {
    zhibiao::csv::check_utf8(m, "<message>");
  } catch (const zhibiao::error&) {
    ZB_FUZZ_ASSERT(!"error message is not valid UTF-8");
  }
}

}  // namespace zhibiao_fuzz
