// 分解下达: a parent's floor target against its children's, judged once for the check and the report.
#include <zhibiao/targets.hpp>

namespace zhibiao {

allocations::allocations(const model& m, const std::vector<target>& targets) : m_(m) {
  for (const target& t : targets)
    if (t.kind == target_kind::floor && !t.scope) floors_.emplace(std::tuple{t.region, t.indicator, t.when}, &t);
}

std::optional<allocation_outcome> allocations::of(const target& parent) const {
  // 分解下达 runs down the tree; a scope's target is not allocated to anything, nor a level or a ratio.
  if (parent.kind != target_kind::floor || parent.scope) return std::nullopt;
  const indicator& ind = m_.indicators()[parent.indicator];
  if (ind.kind != indicator_kind::flow && ind.kind != indicator_kind::stock) return std::nullopt;
  const tree& t = m_.regions().at(parent.when.serial());
  const auto ur = static_cast<std::size_t>(parent.region);
  if (!t.valid[ur]) return std::nullopt;
  allocation_outcome o;
  o.expected = parent.value;
  for (std::int32_t k = t.child_begin[ur]; k < t.child_begin[ur + 1]; ++k) {
    ++o.children;
    auto [lo, hi] = floors_.equal_range(std::tuple{t.children[static_cast<std::size_t>(k)], parent.indicator, parent.when});
    for (auto it = lo; it != hi; ++it) {
      o.allocated += it->second->value;
      ++o.with_target;
    }
  }
  if (o.with_target == 0) return std::nullopt;
  o.status = o.allocated < o.expected    ? status::under_allocated
             : o.allocated == o.expected ? status::allocated
                                         : status::over_allocated;
  return o;
}

}  // namespace zhibiao
