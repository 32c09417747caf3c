// Fuzz target: the regions loader (codes, levels, inferred parents, validity spans, cycles, trees).
#include "common.hpp"

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    hierarchy h = hierarchy::parse(zhibiao_fuzz::text(data, size), "<fuzz>");
    ZB_FUZZ_ASSERT(h.size() > 0 && !h.trees().empty());
    (void)h.level_counts();
    for (const tree& t : h.trees()) {
      // Children come before their parents, and every valid region is in the order once.
      std::vector<int> pos(h.size(), -1);
      for (std::size_t k = 0; k < t.order.size(); ++k) pos[static_cast<std::size_t>(t.order[k])] = static_cast<int>(k);
      for (std::size_t r = 0; r < h.size(); ++r) {
        ZB_FUZZ_ASSERT((pos[r] >= 0) == static_cast<bool>(t.valid[r]));
        if (t.valid[r] && t.parent[r] != npos) ZB_FUZZ_ASSERT(pos[r] < pos[static_cast<std::size_t>(t.parent[r])]);
      }
      const int s = t.from == serial_min ? 1900 * 12 : t.from;
      std::size_t budget = 4096;
      for (std::size_t r = 0; r < h.size() && budget; ++r, --budget) {
        auto leaves = h.leaves_under(static_cast<region_id>(r), s);
        if (&h.at(s) == &t && t.valid[r]) ZB_FUZZ_ASSERT(static_cast<std::int32_t>(leaves.size()) == t.leaves[r]);
        (void)h.name(static_cast<region_id>(r), s);
      }
    }
    // A copy rebuilds the code index and finds every code again.
    hierarchy copy = h;
    for (std::size_t r = 0; r < copy.size(); ++r) ZB_FUZZ_ASSERT(copy.find(copy[static_cast<region_id>(r)].code) == static_cast<region_id>(r));
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
  }
  return 0;
}
