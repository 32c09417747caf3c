// Fuzz target: the observations loader on the small fixed model (tests/data/small), then the roll-up,
// queries, explanations, checks and the roll-up CSV of whatever loaded.
#include "common.hpp"

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  model m = zhibiao_fuzz::empty_small_model();
  try {
    m.load_observations_text(zhibiao_fuzz::text(data, size), "<fuzz>");
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
    // A failed load changes nothing.
    ZB_FUZZ_ASSERT(m.observation_count() == 0 && m.years().empty());
    return 0;
  }
  try {
    m.rollup();
  } catch (const error& e) {
    ZB_FUZZ_ASSERT(e.code() == errc::overflow);
    ZB_FUZZ_ASSERT(!m.rolled_up());
    return 0;
  }
  const std::vector<int> years = m.years();
  std::size_t budget = 4;
  for (int y : years) {
    if (!budget--) break;
    for (const char* r : {"C1", "A", "a2"}) {
      for (const char* ind : {"new_jobs", "insured", "rate", "loan_amount", "policy_date"}) {
        region_id rid = m.regions().require(r);
        indicator_id iid = m.indicators().require(ind);
        for (period p : {period::month(y, 2), period::year_to_date(y, 12), period::quarter(y, 1), period::year(y)}) {
          try {
            aggregate a = m.value(rid, p, iid);
            ZB_FUZZ_ASSERT(a.reporting >= 0 && a.reporting <= a.expected);
            (void)m.explain_text(m.explain(rid, p, iid));
            (void)m.year_on_year(rid, p, iid);
            (void)m.period_on_period(rid, p, iid);
          } catch (const error&) {
          }
        }
      }
    }
  }
  try {
    (void)m.csv();
    (void)m.reconcile();
    check_options opt;
    opt.include_passes = true;
    (void)evaluate(m, {}, nullptr, opt);
  } catch (const error&) {
  }
  return 0;
}
