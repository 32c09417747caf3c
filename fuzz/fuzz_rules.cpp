// Fuzz target: the rule-language parser against the small catalogue, then each rule evaluated on the
// small rolled-up model.
#include "common.hpp"

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const model& m = zhibiao_fuzz::small_model();
  std::optional<rule_set> rules;
  try {
    rules = rule_set::parse(zhibiao_fuzz::text(data, size), "<fuzz>", m.indicators());
  } catch (const error& e) {
    // A mistake in the language, a nesting or operator limit, or text that is not UTF-8.
    ZB_FUZZ_ASSERT(e.code() == errc::rule || e.code() == errc::limit || e.code() == errc::load);
    zhibiao_fuzz::check_message(e);
    return 0;
  }
  std::size_t budget = 16;
  for (const rule& r : rules->rules()) {
    if (!budget--) break;
    ZB_FUZZ_ASSERT(r.expr != nullptr);
    for (const char* reg : {"C1", "A", "a2"})
      for (period p : {period::month(2021, 2), period::year_to_date(2021, 3), period::year(2020)}) {
        try {
          rule_result res = evaluate_rule(m, r, m.regions().require(reg), p);
          if (res.passed) ZB_FUZZ_ASSERT(res.evaluated);
        } catch (const error&) {
        }
      }
  }
  if (rules->rules().size() <= 16) {
    try {
      check_options opt;
      opt.as_of = period::month(2021, 3);
      opt.include_passes = true;
      (void)evaluate(m, {}, &*rules, opt);
    } catch (const error&) {
    }
  }
  return 0;
}
