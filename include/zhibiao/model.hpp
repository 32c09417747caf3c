// zhibiao — the model: the indicator catalogue and the administrative hierarchy.
//
// Everything is addressed by dense integer ids (indicator_id, region_id) so the engine never looks
// up a string in its hot loops; the string→id maps are used only while loading and answering queries.
#pragma once

#include <zhibiao/error.hpp>
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
  std::size_t line = 0;                    ///< line in the file that defined it

  /// True for a percentage or per-mille ratio: numerator ≤ denominator, value within 0..factor.
  bool is_share() const noexcept { return kind == indicator_kind::ratio && unit.dim == dimension::ratio && unit.exponent < 0; }
};

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
  /// plus optional `parts,signed`); every error names file, line and column.
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

/// Administrative levels, top to bottom; a child's level is always below its parent's.
enum class level : std::uint8_t { nation, province, city, county, town, village };

/// Name of a level as written in regions.csv.
constexpr std::string_view level_name(level l) noexcept {
  switch (l) {
    case level::nation: return "nation";
    case level::province: return "province";
    case level::city: return "city";
    case level::county: return "county";
    case level::town: return "town";
    case level::village: return "village";
  }
  return "unknown";
}

/// Parses a level name; nullopt when unknown.
std::optional<level> parse_level(std::string_view s) noexcept;

/// Month serials (period::serial) bounding "always valid".
inline constexpr int serial_min = std::numeric_limits<int>::min() / 2;
/// Month serials (period::serial) bounding "always valid".
inline constexpr int serial_max = std::numeric_limits<int>::max() / 2;

/// One row of regions.csv: a region as it was during [from, to] (month serials, inclusive).
struct region_version {
  std::string name;
  zhibiao::level level = level::town;
  region_id parent = npos;
  int from = serial_min, to = serial_max;
  std::size_t line = 0;
};

/// A region: its code and the versions it had over time (disjoint, sorted by `from`).
struct region {
  std::string code;
  std::vector<region_version> versions;
  /// The version valid at month serial `s`, or nullptr.
  const region_version* at(int s) const noexcept {
    for (const auto& v : versions)
      if (v.from <= s && s <= v.to) return &v;
    return nullptr;
  }
  /// The most recent version (for names in messages).
  const region_version& latest() const noexcept { return versions.back(); }
};

/// The hierarchy valid during a run of months: parents, a children-first order, leaves and their counts.
struct tree {
  int from = serial_min, to = serial_max;  ///< month serials, inclusive
  std::vector<region_id> parent;           ///< per region; npos for roots and regions not valid
  std::vector<std::uint8_t> valid;         ///< per region: exists in this run of months
  std::vector<std::uint8_t> leaf;          ///< per region: valid and without valid children
  std::vector<std::int32_t> leaves;        ///< per region: number of leaves below (a leaf counts itself)
  std::vector<region_id> order;            ///< valid regions, every child before its parent
  std::vector<std::int32_t> child_begin;   ///< CSR offsets into `children`, size regions+1
  std::vector<region_id> children;         ///< children of each region, in file order
};

/// The administrative hierarchy, loaded from regions.csv; depth varies (东莞's towns sit under the city).
class hierarchy {
 public:
  /// Limit on validity runs × regions (one tree of per-region arrays, about 22 bytes a region, per run of
  /// months between valid_from/valid_to boundaries): about 740 MB. A file past it is an errc::limit load error.
  static constexpr std::size_t max_tree_cells = std::size_t{1} << 25;

  /// An empty hierarchy.
  hierarchy() = default;
  /// Copies rebuild the code index.
  hierarchy(const hierarchy& o) : regions_(o.regions_), trees_(o.trees_), notes_(o.notes_) { reindex(); }
  /// Assignment rebuilds the code index.
  hierarchy& operator=(const hierarchy& o) {
    if (this != &o) {
      regions_ = o.regions_;
      trees_ = o.trees_;
      notes_ = o.notes_;
      reindex();
    }
    return *this;
  }
  /// Moves keep the strings in place.
  hierarchy(hierarchy&&) noexcept = default;
  /// Moves keep the strings in place.
  hierarchy& operator=(hierarchy&&) noexcept = default;

  /// Parses regions.csv text (`code,name,level,parent[,valid_from,valid_to]`); infers missing parents of
  /// 12- and 6-digit codes from the code; every error names file, line and column.
  static hierarchy parse(std::string_view text, const std::string& file);
  /// Reads and parses a file.
  static hierarchy load(const std::string& path);

  /// Number of regions (distinct codes).
  std::size_t size() const noexcept { return regions_.size(); }
  /// Region by id.
  const region& operator[](region_id id) const { return regions_.at(static_cast<std::size_t>(id)); }
  /// All regions in file order.
  const std::vector<region>& regions() const noexcept { return regions_; }
  /// The id of a code, or npos.
  region_id find(std::string_view code) const noexcept { return index_.find(code); }
  /// The id of a code, or a not_found error naming it.
  region_id require(std::string_view code) const;
  /// The tree valid at month serial `s` (the last tree when no run covers it).
  const tree& at(int s) const noexcept;
  /// The runs of months with one tree each, in time order.
  const std::vector<tree>& trees() const noexcept { return trees_; }
  /// Name of a region at month serial `s` (its latest name when it did not exist then).
  const std::string& name(region_id r, int s = serial_max) const noexcept {
    const region_version* v = regions_[static_cast<std::size_t>(r)].at(s);
    return v ? v->name : regions_[static_cast<std::size_t>(r)].latest().name;
  }
  /// Rows per level (counting every version row).
  std::vector<std::pair<level, std::size_t>> level_counts() const;
  /// Things the loader inferred and the user should know (a parent inferred from a code but absent).
  const std::vector<std::string>& notes() const noexcept { return notes_; }
  /// The leaves under `r` in the tree at month serial `s` (r itself when it is a leaf).
  std::vector<region_id> leaves_under(region_id r, int s) const;

 private:
  void reindex();
  void build_trees();
  std::vector<region> regions_;
  std::vector<tree> trees_;
  std::vector<std::string> notes_;
  detail::code_index index_;
};

/// A reporting scope: a union of subtrees minus excluded subtrees, e.g. 海丰县（不含深汕）.
struct scope {
  std::string code;                ///< identifier used in queries
  std::string name;                ///< display name
  std::vector<region_id> include;  ///< subtrees included
  std::vector<region_id> exclude;  ///< subtrees removed
  /// The leaves of this scope in the tree at month serial `s`.
  std::vector<region_id> leaves(const hierarchy& h, int s) const;
};

/// Parses scopes.csv (`code,name,include,exclude`; codes separated by `;` or spaces).
std::vector<scope> parse_scopes(std::string_view text, const std::string& file, const hierarchy& h);

}  // namespace zhibiao
