// zhibiao — the indicator catalogue: what is measured, in which unit, and how it aggregates.
//
// Everything is addressed by dense integer ids (indicator_id, region_id) so the engine never looks
// up a string in its hot loops; the string→id maps are used only while loading and answering queries.
#pragma once

#include <zhibiao/error.hpp>
#include <zhibiao/level.hpp>
#include <zhibiao/period.hpp>
#include <zhibiao/unit.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// Dense index of an indicator in its catalogue.
using indicator_id = std::int32_t;
/// Dense index of a region in its hierarchy.
using region_id = std::int32_t;
/// "No such index" (a root's parent, an indicator that is part of nothing).
inline constexpr std::int32_t npos = -1;

/// How an indicator aggregates; users choose the kind, never the rule.
enum class indicator_kind : std::uint8_t {
  flow,      ///< sums over regions; year-to-date is the sum of the months (新增就业, 培训人次)
  stock,     ///< sums over regions; over time the latest value (参保人数 截至X月底)
  ratio,     ///< recomputed from aggregated numerator and denominator, never averaged (失业率)
  parameter  ///< a value in force, not aggregated (最低工资标准)
};

/// Name of a kind as written in indicators.csv.
constexpr std::string_view kind_name(indicator_kind k) noexcept {
  switch (k) {
    case indicator_kind::flow: return "flow";
    case indicator_kind::stock: return "stock";
    case indicator_kind::ratio: return "ratio";
    case indicator_kind::parameter: return "parameter";
  }
  return "unknown";
}

/// How the parts of a whole (indicators `part_of` it) relate to it.
enum class parts_rule : std::uint8_t {
  none,  ///< each part ≤ the whole, nothing about their sum
  le,    ///< the parts' sum ≤ the whole (其中 lists that are not exhaustive)
  eq     ///< the parts sum exactly to the whole (管理 + 专业技术 + 工勤 = 岗位聘用)
};

/// One indicator definition.
struct indicator {
  std::string code;                        ///< identifier used in files and rules
  std::string name;                        ///< Chinese name
  zhibiao::unit unit{"人", dimension::people, 0};  ///< unit values are reported in
  indicator_kind kind = indicator_kind::flow;  ///< aggregation kind
  int decimals = 0;                        ///< decimals stored and shown
  std::vector<indicator_id> numerator;     ///< ratio: terms summed as numerator
  std::vector<indicator_id> denominator;   ///< ratio: terms summed as denominator
  long long factor = 1;                    ///< ratio: 100 for %, 1000 for ‰
  indicator_id part_of = npos;             ///< the whole this is "其中" of
  parts_rule parts = parts_rule::none;     ///< how this whole's parts relate to it
  bool allow_negative = false;             ///< a flow that may be negative (refunds, net changes)
  int max_age = -1;                        ///< a stock: months a month-end value stays current after its month (-1: to the year's end)
  std::optional<level> reported_at;        ///< the level whose regions report it (empty: the tree's leaves)
  std::size_t line = 0;                    ///< line in the file that defined it

  /// True when `present(term)` holds for every term of a ratio's numerator and denominator (a ratio
  /// exists only where all of its parts do).
  template <class Present>
  bool all_terms(Present&& present) const {
    for (indicator_id t : numerator)
      if (!present(t)) return false;
    for (indicator_id t : denominator)
      if (!present(t)) return false;
    return true;
  }
  /// True for a percentage or per-mille ratio: numerator ≤ denominator, value within 0..factor.
  bool is_share() const noexcept { return kind == indicator_kind::ratio && unit.dim == dimension::ratio && unit.exponent < 0; }
  /// True for a day date (unit 日期): a parameter whose value is a day number, shown as a date.
  bool is_date() const noexcept { return unit.dim == dimension::date; }
};

/// A value of `ind` as plain text: a date (日期) as ISO 2021-05-12, any other number as its decimal.
std::string value_text(const indicator& ind, const decimal& v);

namespace detail {

/// An open-addressing map from code text to a dense id; the texts are owned by the caller and
/// must not move while the map is used.
class code_index {
 public:
  /// Adds `code` → `id`; false when the code is already present.
  bool insert(std::string_view code, std::int32_t id);
  /// The id of `code`, or npos.
  std::int32_t find(std::string_view code) const noexcept;
  /// Removes every entry.
  void clear() noexcept {
    slots_.clear();
    count_ = 0;
  }

 private:
  static std::uint64_t hash(std::string_view s) noexcept {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h ^ (h >> 29);
  }
  void grow();
  struct slot {
    std::string_view key;
    std::int32_t id = npos;
  };
  std::vector<slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace detail

/// The indicator catalogue, loaded from indicators.csv.
class catalogue {
 public:
  /// An empty catalogue.
  catalogue() = default;
  /// Copies rebuild the code index (it points into the copied strings).
  catalogue(const catalogue& o) : items_(o.items_) { reindex(); }
  /// Assignment rebuilds the code index.
  catalogue& operator=(const catalogue& o) {
    if (this != &o) {
      items_ = o.items_;
      reindex();
    }
    return *this;
  }
  /// Moves keep the strings in place, so the index stays valid.
  catalogue(catalogue&&) noexcept = default;
  /// Moves keep the strings in place, so the index stays valid.
  catalogue& operator=(catalogue&&) noexcept = default;

  /// Parses indicators.csv text (`code,name,unit,kind,decimals,numerator,denominator,factor,part_of`
  /// plus optional `parts,signed,reported_at`); every error names file, line and column.
  static catalogue parse(std::string_view text, const std::string& file);
  /// Reads and parses a file.
  static catalogue load(const std::string& path);

  /// Number of indicators.
  std::size_t size() const noexcept { return items_.size(); }
  /// Indicator by id.
  const indicator& operator[](indicator_id id) const { return items_.at(static_cast<std::size_t>(id)); }
  /// The id of a code, or npos.
  indicator_id find(std::string_view code) const noexcept { return index_.find(code); }
  /// The id of a code, or a not_found error naming it.
  indicator_id require(std::string_view code) const;
  /// All indicators in file order.
  const std::vector<indicator>& items() const noexcept { return items_; }
  /// The indicators declared `part_of` the whole `id`, in file order.
  std::vector<indicator_id> parts_of(indicator_id id) const;

 private:
  void reindex();
  std::vector<indicator> items_;
  detail::code_index index_;
};

}  // namespace zhibiao
