// Fuzz target: the indicators loader (kinds, units, decimals, ratio terms, part_of chains) and the
// ratio plans a model builds from a catalogue.
#include "common.hpp"

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    catalogue c = catalogue::parse(zhibiao_fuzz::text(data, size), "<fuzz>");
    for (std::size_t i = 0; i < c.size(); ++i) {
      const indicator& ind = c[static_cast<indicator_id>(i)];
      ZB_FUZZ_ASSERT(c.find(ind.code) == static_cast<indicator_id>(i));
      ZB_FUZZ_ASSERT(ind.decimals >= 0 && ind.decimals <= 9);
      if (ind.part_of != npos) ZB_FUZZ_ASSERT(static_cast<std::size_t>(ind.part_of) < c.size());
      if (i < 64) (void)c.parts_of(static_cast<indicator_id>(i));
    }
    model m;
    m.load_regions_text(zhibiao_fuzz::small_regions, "<regions>");
    m.set_indicators(std::move(c));
    m.rollup();
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
  }
  return 0;
}
