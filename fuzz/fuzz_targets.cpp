// Fuzz target: the targets loader against the small rolled-up model, then the target checks.
#include "common.hpp"

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const model& m = zhibiao_fuzz::small_model();
  std::vector<target> ts;
  try {
    ts = parse_targets(zhibiao_fuzz::text(data, size), "<fuzz>", m);
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
    return 0;
  }
  for (const char* as_of : {"2021-02", "2021-12", "2022-06"}) {
    try {
      check_options opt;
      opt.as_of = period::parse(as_of);
      opt.include_passes = true;
      opt.builtin = false;
      auto fs = evaluate(m, ts, nullptr, opt);
      (void)findings_csv(m, fs);
      (void)findings_json(m, fs);
    } catch (const error&) {
    }
  }
  return 0;
}
