// Fuzz target: the report template parser, rendered on the small rolled-up model with its targets.
#include "common.hpp"

#include <zhibiao/report.hpp>

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const model& m = zhibiao_fuzz::small_model();
  const auto& targets = zhibiao_fuzz::small_model_targets();
  const std::string_view t = zhibiao_fuzz::text(data, size);
  for (auto [reg, per] : {std::pair{"C1", "2021年1-3月"}, std::pair{"a2", "2021-02"}}) {
    try {
      report_result r = render_report(m, t, m.regions().require(reg), period::parse(per), targets);
      for (const std::string& w : r.warnings) ZB_FUZZ_ASSERT(w.find("<template>:") == 0);
      // The rendered text goes back to callers (C ABI, Python) as UTF-8.
      try {
        csv::check_utf8(r.text, "<report>");
      } catch (const error&) {
        ZB_FUZZ_ASSERT(!"the rendered report is not valid UTF-8");
      }
    } catch (const error& e) {
      // A bad placeholder, text that is not UTF-8, or a value too large to show at the decimals asked.
      ZB_FUZZ_ASSERT(e.code() == errc::parse || e.code() == errc::load || e.code() == errc::overflow);
      zhibiao_fuzz::check_message(e);
    }
  }
  return 0;
}
