// Loaders for the administrative hierarchy and scopes: validate every row, then build one tree per run of
// months between validity boundaries.
#include <zhibiao/csv.hpp>
#include <zhibiao/hierarchy.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

namespace zhibiao {

// ---------------------------------------------------------------------------------------------
// hierarchy

std::optional<level> parse_level(std::string_view s) noexcept {
  for (level l : {level::nation, level::province, level::city, level::county, level::town, level::village})
    if (level_name(l) == s) return l;
  return std::nullopt;
}

void hierarchy::reindex() {
  index_.clear();
  for (std::size_t i = 0; i < regions_.size(); ++i) index_.insert(regions_[i].code, static_cast<region_id>(i));
}

region_id hierarchy::require(std::string_view code) const {
  region_id id = find(code);
  if (id == npos) throw error(errc::not_found, fmt::format("unknown region '{}'", code));
  return id;
}

const tree& hierarchy::at(int s) const noexcept {
  for (const tree& t : trees_)
    if (t.from <= s && s <= t.to) return t;
  return trees_.back();
}

std::vector<std::pair<level, std::size_t>> hierarchy::level_counts() const {
  std::vector<std::pair<level, std::size_t>> out;
  for (level l : {level::nation, level::province, level::city, level::county, level::town, level::village}) {
    std::size_t n = 0;
    for (const region& r : regions_)
      for (const region_version& v : r.versions) n += v.level == l;
    if (n) out.emplace_back(l, n);
  }
  return out;
}

std::vector<region_id> hierarchy::leaves_under(region_id r, int s) const {
  const tree& t = at(s);
  std::vector<region_id> out, stack{r};
  if (!t.valid[static_cast<std::size_t>(r)]) return out;
  while (!stack.empty()) {
    region_id x = stack.back();
    stack.pop_back();
    auto ux = static_cast<std::size_t>(x);
    if (t.leaf[ux]) out.push_back(x);
    for (std::int32_t k = t.child_begin[ux + 1]; k > t.child_begin[ux]; --k) stack.push_back(t.children[static_cast<std::size_t>(k - 1)]);
  }
  return out;
}

namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

bool valid_code(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

// Candidate parents of a 12- or 6-digit division code, nearest first (a town under a city
// without counties — 东莞, 中山 — falls through to the city).
std::vector<std::string> inferred_parents(std::string_view code) {
  std::vector<std::string> out;
  if (!all_digits(code)) return out;
  std::string c(code);
  // Group boundaries: 12 digits 2+2+2+3+3; 6 digits 2+2+2.
  std::vector<std::size_t> ends = code.size() == 12 ? std::vector<std::size_t>{2, 4, 6, 9, 12}
                                 : code.size() == 6 ? std::vector<std::size_t>{2, 4, 6}
                                                    : std::vector<std::size_t>{};
  if (ends.empty()) return out;
  // The deepest non-zero group defines the level; parents zero it, then the next ones.
  int deepest = -1;
  for (std::size_t g = 0; g < ends.size(); ++g) {
    std::size_t b = g == 0 ? 0 : ends[g - 1];
    if (c.substr(b, ends[g] - b).find_first_not_of('0') != std::string::npos) deepest = static_cast<int>(g);
  }
  for (int g = deepest; g >= 1; --g) {
    std::size_t b = ends[static_cast<std::size_t>(g) - 1];
    for (std::size_t k = b; k < ends[static_cast<std::size_t>(g)]; ++k) c[k] = '0';
    out.push_back(c);
  }
  return out;
}

int parse_serial(csv::reader& in, int col, bool end) {
  std::string_view s = in.get(col);
  if (s.empty()) return end ? serial_max : serial_min;
  try {
    period p = period::parse(s);
    return end ? p.serial() : p.first_serial();
  } catch (const error& e) {
    in.fail(col, e.what());
  }
}

}  // namespace

hierarchy hierarchy::load(const std::string& path) { return parse(csv::read_file(path), path); }

namespace {

// The columns of regions.csv, looked up once.
struct region_columns {
  int code, name, level, parent, from, to;
};

// One row of regions.csv: a version of a region, and its parent code until every code is known.
struct region_row {
  region_id id;
  std::size_t version;
  std::string parent;
  bool inferred;
};

// The code of a row, checked (a division code has 12 or 6 digits).
std::string_view parse_region_code(csv::reader& in, const region_columns& c) {
  std::string_view code = in.get(c.code);
  if (code.empty()) in.fail(c.code, "empty region code");
  if (!valid_code(code)) in.fail(c.code, fmt::format("malformed region code '{}'", code));
  if (all_digits(code) && code.size() != 12 && code.size() != 6)
    in.fail(c.code, fmt::format("malformed region code '{}': a division code has 12 digits (统计用区划代码) or 6 (GB/T 2260)", code));
  return code;
}

// Name, level and validity of a row.
region_version parse_region_version(csv::reader& in, const region_columns& c) {
  region_version v;
  v.line = in.line();
  v.name = std::string(in.get(c.name));
  if (v.name.empty()) in.fail(c.name, "empty region name");
  auto lv = parse_level(in.get(c.level));
  if (!lv) in.fail(c.level, fmt::format("unknown level '{}' (expected nation, province, city, county, town or village)", in.get(c.level)));
  v.level = *lv;
  v.from = parse_serial(in, c.from, false);
  v.to = parse_serial(in, c.to, true);
  if (v.to < v.from) in.fail(c.to, "valid_to is before valid_from");
  return v;
}

// Parents by code now that every code is known; an inferred parent that is not in the file makes a root
// and a note (the top of a partial file, a city bureau's own tree).
void resolve_parents(std::vector<region>& regions, const hierarchy& h, const std::vector<region_row>& rows, const std::string& file,
                     const region_columns& c, std::vector<std::string>& notes) {
  for (const region_row& r : rows) {
    region_version& v = regions[static_cast<std::size_t>(r.id)].versions[r.version];
    if (r.parent.empty()) continue;
    const std::string& code = regions[static_cast<std::size_t>(r.id)].code;
    region_id p = h.find(r.parent);
    if (p == npos && r.inferred) {
      // Try the further candidates (town → city when there is no county layer).
      for (const std::string& cand : inferred_parents(code))
        if ((p = h.find(cand)) != npos) break;
      if (p == npos) {
        notes.push_back(fmt::format("{}:{}: parent of '{}' inferred from its code as '{}', which is not in the file; '{}' is a root",
                                    file, v.line, code, r.parent, code));
        continue;
      }
    }
    const location at{file, v.line, static_cast<std::size_t>(c.parent + 1), "parent"};
    if (p == npos) throw load_error(at, fmt::format("unknown parent '{}'", r.parent));
    if (p == r.id) throw load_error(at, "a region cannot be its own parent");
    v.parent = p;
  }
}

// Cycles: follow parents by code (any version); the first row (in file order) whose chain runs into a
// loop is reported. Each region is walked once (a long chain costs linear time, not quadratic).
void check_region_cycles(const std::vector<region>& regions, const std::vector<region_row>& rows, const std::string& file,
                         const region_columns& c) {
  const std::size_t n = regions.size();
  std::vector<region_id> up(n, npos);
  for (std::size_t x = 0; x < n; ++x)
    for (const region_version& w : regions[x].versions)
      if (w.parent != npos) {
        up[x] = w.parent;
        break;
      }
  std::vector<std::uint8_t> state(n, 0);  // 0 not seen, 1 on the current walk, 2 ends at a root, 3 runs into a loop
  std::vector<region_id> path;
  for (std::size_t start = 0; start < n; ++start) {
    path.clear();
    region_id x = static_cast<region_id>(start);
    while (x != npos && state[static_cast<std::size_t>(x)] == 0) {
      state[static_cast<std::size_t>(x)] = 1;
      path.push_back(x);
      x = up[static_cast<std::size_t>(x)];
    }
    const std::uint8_t end = x == npos ? 2 : state[static_cast<std::size_t>(x)] == 1 ? 3 : state[static_cast<std::size_t>(x)];
    for (region_id y : path) state[static_cast<std::size_t>(y)] = end;
  }
  for (const region_row& r : rows)
    if (state[static_cast<std::size_t>(r.id)] == 3) {
      const region_version& rv = regions[static_cast<std::size_t>(r.id)].versions[r.version];
      throw load_error(location{file, rv.line, static_cast<std::size_t>(c.parent + 1), "parent"},
                       fmt::format("cycle: region '{}' is its own ancestor", regions[static_cast<std::size_t>(r.id)].code));
    }
}

// Levels go down, and a parent exists whenever its child does: each month of the child must be covered
// by a parent version of a higher level.
void check_parent_levels(const std::vector<region>& regions, const std::vector<region_row>& rows, const std::string& file,
                         const region_columns& c) {
  for (const region_row& r : rows) {
    const region_version& v = regions[static_cast<std::size_t>(r.id)].versions[r.version];
    if (v.parent == npos) continue;
    const region& pr = regions[static_cast<std::size_t>(v.parent)];
    const std::string& code = regions[static_cast<std::size_t>(r.id)].code;
    location at{file, v.line, static_cast<std::size_t>(c.parent + 1), "parent"};
    int s = v.from;
    while (true) {
      const region_version* pv = pr.at(s);
      if (!pv) throw load_error(at, fmt::format("parent '{}' does not exist for the whole validity of '{}'", pr.code, code));
      if (pv->level >= v.level)
        throw load_error(at, fmt::format("'{}' is a {} but its parent '{}' is a {}: a child's level must be below its parent's", code,
                                         level_name(v.level), pr.code, level_name(pv->level)));
      if (pv->to >= v.to) break;
      s = pv->to + 1;
    }
  }
}

// Every validity boundary starts a tree with per-region arrays: bound runs × regions before building them.
void check_tree_limit(const std::vector<region>& regions, const std::string& file) {
  std::set<int> cuts{serial_min};
  for (const region& r : regions)
    for (const region_version& v : r.versions) {
      cuts.insert(v.from);
      if (v.to != serial_max) cuts.insert(v.to + 1);
    }
  if (cuts.size() * regions.size() > hierarchy::max_tree_cells)
    throw load_error(location{file, 0, 0, {}},
                     fmt::format("{} regions with {} validity runs need {} tree entries, more than the limit of {}; "
                                 "use fewer distinct valid_from/valid_to months",
                                 regions.size(), cuts.size(), cuts.size() * regions.size(), hierarchy::max_tree_cells),
                     errc::limit);
}

}  // namespace

hierarchy hierarchy::parse(std::string_view text, const std::string& file) {
  csv::reader in(text, file);
  in.require_plain_text();
  in.read_header({"code", "name", "level", "parent"}, {"valid_from", "valid_to"});
  const region_columns c{in.column("code"),   in.column("name"),       in.column("level"),
                         in.column("parent"), in.column("valid_from"), in.column("valid_to")};
  hierarchy h;
  // The index holds views of the codes: no reallocation may move them while loading (see record_bound).
  h.regions_.reserve(csv::record_bound(text));
  std::vector<region_row> rows;
  while (in.next()) {
    std::string_view code = parse_region_code(in, c);
    region_version v = parse_region_version(in, c);
    region_id id = h.index_.find(code);
    if (id == npos) {
      h.regions_.push_back(region{std::string(code), {}});
      id = static_cast<region_id>(h.regions_.size() - 1);
      h.index_.insert(h.regions_.back().code, id);
    } else {
      for (const region_version& o : h.regions_[static_cast<std::size_t>(id)].versions)
        if (o.from <= v.to && v.from <= o.to)
          in.fail(c.code, fmt::format("duplicate region code '{}' (already at line {}{})", code, o.line,
                                      c.from >= 0 ? " with an overlapping validity" : ""));
    }
    std::string parent(in.get(c.parent));
    bool inferred = false;
    if (parent.empty() && v.level > level::province) {
      auto cands = inferred_parents(code);
      if (!cands.empty()) {
        parent = cands.front();
        inferred = true;
      }
    }
    auto& vs = h.regions_[static_cast<std::size_t>(id)].versions;
    vs.push_back(std::move(v));
    rows.push_back(region_row{id, vs.size() - 1, std::move(parent), inferred});
  }
  if (h.regions_.empty()) throw load_error(location{file, 0, 0, {}}, "no regions");
  resolve_parents(h.regions_, h, rows, file, c, h.notes_);
  check_region_cycles(h.regions_, rows, file, c);
  check_parent_levels(h.regions_, rows, file, c);
  for (region& r : h.regions_)
    std::sort(r.versions.begin(), r.versions.end(), [](const region_version& a, const region_version& b) { return a.from < b.from; });
  check_tree_limit(h.regions_, file);
  h.build_trees();
  return h;
}

void hierarchy::build_trees() {
  // Every validity boundary starts a new run of months.
  std::set<int> cuts{serial_min};
  for (const region& r : regions_)
    for (const region_version& v : r.versions) {
      cuts.insert(v.from);
      if (v.to != serial_max) cuts.insert(v.to + 1);
    }
  trees_.clear();
  const std::size_t n = regions_.size();
  for (auto it = cuts.begin(); it != cuts.end(); ++it) {
    tree t;
    t.from = *it;
    auto nx = std::next(it);
    t.to = nx == cuts.end() ? serial_max : *nx - 1;
    t.parent.assign(n, npos);
    t.valid.assign(n, 0);
    t.leaf.assign(n, 0);
    t.leaves.assign(n, 0);
    std::vector<std::int32_t> nchild(n, 0), depth(n, 0);
    for (std::size_t i = 0; i < n; ++i)
      if (const region_version* v = regions_[i].at(t.from)) {
        t.valid[i] = 1;
        t.parent[i] = v->parent;
      }
    for (std::size_t i = 0; i < n; ++i)
      if (t.valid[i] && t.parent[i] != npos) ++nchild[static_cast<std::size_t>(t.parent[i])];
    t.child_begin.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) t.child_begin[i + 1] = t.child_begin[i] + nchild[i];
    t.children.assign(static_cast<std::size_t>(t.child_begin[n]), npos);
    std::vector<std::int32_t> fill(t.child_begin.begin(), t.child_begin.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      if (t.valid[i] && t.parent[i] != npos)
        t.children[static_cast<std::size_t>(fill[static_cast<std::size_t>(t.parent[i])]++)] = static_cast<region_id>(i);
    std::int32_t maxd = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!t.valid[i]) continue;
      t.leaf[i] = nchild[i] == 0;
      std::int32_t d = 0;
      for (region_id p = t.parent[i]; p != npos; p = t.parent[static_cast<std::size_t>(p)]) ++d;
      depth[i] = d;
      maxd = std::max(maxd, d);
    }
    // Children before parents: bucket by depth, deepest first.
    std::vector<std::vector<region_id>> byd(static_cast<std::size_t>(maxd) + 1);
    for (std::size_t i = 0; i < n; ++i)
      if (t.valid[i]) byd[static_cast<std::size_t>(depth[i])].push_back(static_cast<region_id>(i));
    for (auto d = byd.rbegin(); d != byd.rend(); ++d) t.order.insert(t.order.end(), d->begin(), d->end());
    for (region_id r : t.order) {
      auto ur = static_cast<std::size_t>(r);
      if (t.leaf[ur]) t.leaves[ur] += 1;
      if (t.parent[ur] != npos) t.leaves[static_cast<std::size_t>(t.parent[ur])] += t.leaves[ur];
    }
    trees_.push_back(std::move(t));
  }
}

// ---------------------------------------------------------------------------------------------
// scopes

std::vector<region_id> scope::leaves(const hierarchy& h, int s) const {
  std::vector<std::uint8_t> out_mark(h.size(), 0), in_mark(h.size(), 0);
  for (region_id r : exclude)
    for (region_id l : h.leaves_under(r, s)) out_mark[static_cast<std::size_t>(l)] = 1;
  std::vector<region_id> out;
  for (region_id r : include)
    for (region_id l : h.leaves_under(r, s)) {
      auto ul = static_cast<std::size_t>(l);
      if (!out_mark[ul] && !in_mark[ul]) {
        in_mark[ul] = 1;
        out.push_back(l);
      }
    }
  return out;
}

std::vector<scope> parse_scopes(std::string_view text, const std::string& file, const hierarchy& h) {
  csv::reader in(text, file);
  in.require_plain_text();
  in.read_header({"code", "name", "include"}, {"exclude"});
  const int c_code = in.column("code"), c_name = in.column("name"), c_inc = in.column("include"),
            c_exc = in.column("exclude");
  std::vector<scope> out;
  std::unordered_set<std::string> seen;  // codes so far (a linear scan per row would be quadratic)
  while (in.next()) {
    scope sc;
    sc.code = std::string(in.get(c_code));
    if (!valid_code(sc.code)) in.fail(c_code, fmt::format("malformed scope code '{}'", sc.code));
    if (h.find(sc.code) != npos) in.fail(c_code, fmt::format("scope code '{}' is already a region code", sc.code));
    if (!seen.insert(sc.code).second) in.fail(c_code, fmt::format("duplicate scope code '{}'", sc.code));
    sc.name = std::string(in.get(c_name));
    if (sc.name.empty()) in.fail(c_name, "empty scope name");
    for (int side = 0; side < 2; ++side) {
      int col = side == 0 ? c_inc : c_exc;
      for (auto code : csv::split_terms(in.get(col), "; ")) {
        region_id r = h.find(code);
        if (r == npos) in.fail(col, fmt::format("unknown region '{}'", code));
        (side == 0 ? sc.include : sc.exclude).push_back(r);
      }
    }
    if (sc.include.empty()) in.fail(c_inc, "a scope must include at least one region");
    out.push_back(std::move(sc));
  }
  return out;
}

}  // namespace zhibiao
