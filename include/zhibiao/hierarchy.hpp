// zhibiao — the administrative hierarchy: regions, their versions over time, trees, scopes.
//
// Depth varies (东莞's towns sit under the city); a region that moves county (区划调整) has one version
// per validity span, and every run of months with one tree has its own children-first order.
#pragma once

#include <zhibiao/catalogue.hpp>
#include <zhibiao/level.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

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

/// What a region is, in one tree, for an indicator reported at a level (indicators.csv `reported_at`).
enum class unit_role : std::uint8_t {
  below,  ///< below the level (or not in the tree): reports nothing for the indicator
  unit,   ///< reports it: a region at the level, or above it with no child at the level or above (东莞市 for a county-level one)
  above   ///< sums the units below it, as a parent sums leaves
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
  /// The role of region `r` in tree `t` for an indicator reported at level `l`.
  unit_role role(const tree& t, region_id r, level l) const noexcept;
  /// The roles of every region in tree `t` for level `l`, indexed by region id.
  std::vector<unit_role> roles(const tree& t, level l) const;
  /// The reporting units under `r` for level `l` in the tree at month serial `s` (r itself when it is one).
  std::vector<region_id> units_under(region_id r, int s, level l) const;

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
  /// The reporting units of this scope for level `l` at month serial `s`: units of the included subtrees,
  /// less any unit that lies in an excluded subtree or has one below it (a unit is never split).
  std::vector<region_id> units(const hierarchy& h, int s, level l) const;
};

/// Why region `r` cannot report `ind` at month serial `s` (it lies below the indicator's reported_at
/// level), or an empty string when it can.
std::string below_reporting_level(const hierarchy& h, const indicator& ind, region_id r, int s);

/// Parses scopes.csv (`code,name,include,exclude`; codes separated by `;` or spaces).
std::vector<scope> parse_scopes(std::string_view text, const std::string& file, const hierarchy& h);

}  // namespace zhibiao
