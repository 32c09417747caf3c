// Loaders for the catalogue, the hierarchy and scopes: validate everything, then build the dense model.
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_set>

namespace zhibiao {

namespace detail {

void code_index::grow() {
  std::vector<slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, slot{});
  count_ = 0;
  for (const slot& s : old)
    if (s.id != npos) insert(s.key, s.id);
}

bool code_index::insert(std::string_view code, std::int32_t id) {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash(code) & mask;; i = (i + 1) & mask) {
    if (slots_[i].id == npos) {
      slots_[i] = slot{code, id};
      ++count_;
      return true;
    }
    if (slots_[i].key == code) return false;
  }
}

std::int32_t code_index::find(std::string_view code) const noexcept {
  if (slots_.empty()) return npos;
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash(code) & mask;; i = (i + 1) & mask) {
    if (slots_[i].id == npos) return npos;
    if (slots_[i].key == code) return slots_[i].id;
  }
}

}  // namespace detail

namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::optional<indicator_kind> parse_kind(std::string_view s) {
  if (s == "flow") return indicator_kind::flow;
  if (s == "stock") return indicator_kind::stock;
  if (s == "ratio") return indicator_kind::ratio;
  if (s == "parameter") return indicator_kind::parameter;
  return std::nullopt;
}

template <class Int>
bool parse_int(std::string_view s, Int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Splits `a+b+c` (or `a;b`, `a b`) into trimmed, non-empty terms.
std::vector<std::string_view> split_terms(std::string_view s, std::string_view seps) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find_first_of(seps, i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view t = s.substr(i, j - i);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (!t.empty()) out.push_back(t);
    i = j + 1;
  }
  return out;
}

// An upper bound on the number of CSV records in `text`: every record but the last ends at LF, CRLF or CR.
std::size_t record_bound(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char ch) { return ch == '\n' || ch == '\r'; })) + 1;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// catalogue

void catalogue::reindex() {
  index_.clear();
  for (std::size_t i = 0; i < items_.size(); ++i) index_.insert(items_[i].code, static_cast<indicator_id>(i));
}

indicator_id catalogue::require(std::string_view code) const {
  indicator_id id = find(code);
  if (id == npos) throw error(errc::not_found, fmt::format("unknown indicator '{}'", code));
  return id;
}

std::vector<indicator_id> catalogue::parts_of(indicator_id id) const {
  std::vector<indicator_id> out;
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (items_[i].part_of == id) out.push_back(static_cast<indicator_id>(i));
  return out;
}

catalogue catalogue::load(const std::string& path) { return parse(csv::read_file(path), path); }

catalogue catalogue::parse(std::string_view text, const std::string& file) {
  csv::reader in(text, file);
  in.read_header({"code", "name", "unit", "kind", "decimals", "numerator", "denominator", "factor", "part_of"},
                 {"parts", "signed"});
  const int c_code = in.column("code"), c_name = in.column("name"), c_unit = in.column("unit"),
            c_kind = in.column("kind"), c_dec = in.column("decimals"), c_num = in.column("numerator"),
            c_den = in.column("denominator"), c_factor = in.column("factor"), c_part = in.column("part_of"),
            c_parts = in.column("parts"), c_signed = in.column("signed");
  catalogue cat;
  // The index holds views of the codes: no reallocation may move them while loading. A record ends at
  // LF, CRLF or a lone CR, so LF and CR together bound the number of records.
  cat.items_.reserve(record_bound(text));
  // References are resolved after every row is read, so a ratio may name indicators defined below it.
  struct pending {
    std::size_t line;
    std::vector<std::string> num, den;
    std::string part_of;
  };
  std::vector<pending> refs;
  while (in.next()) {
    indicator ind;
    ind.line = in.line();
    ind.code = std::string(in.get(c_code));
    if (ind.code.empty()) in.fail(c_code, "empty indicator code");
    if (!is_identifier(ind.code))
      in.fail(c_code, fmt::format("indicator code '{}' must be letters, digits and _ starting with a letter", ind.code));
    if (cat.index_.find(ind.code) != npos) {
      const indicator& first = cat.items_[static_cast<std::size_t>(cat.index_.find(ind.code))];
      in.fail(c_code, fmt::format("duplicate indicator code '{}' (first defined at line {})", ind.code, first.line));
    }
    ind.name = std::string(in.get(c_name));
    if (ind.name.empty()) in.fail(c_name, "empty name");
    auto u = find_unit(in.get(c_unit));
    if (!u) in.fail(c_unit, fmt::format("unknown unit '{}'", in.get(c_unit)));
    ind.unit = *u;
    auto k = parse_kind(in.get(c_kind));
    if (!k) in.fail(c_kind, fmt::format("unknown kind '{}' (expected flow, stock, ratio or parameter)", in.get(c_kind)));
    ind.kind = *k;
    if (!parse_int(in.get(c_dec), ind.decimals) || ind.decimals < 0 || ind.decimals > 9)
      in.fail(c_dec, fmt::format("decimals must be a whole number 0..9, not '{}'", in.get(c_dec)));
    pending ref{in.line(), {}, {}, std::string(in.get(c_part))};
    for (auto t : split_terms(in.get(c_num), "+")) ref.num.emplace_back(t);
    for (auto t : split_terms(in.get(c_den), "+")) ref.den.emplace_back(t);
    std::string_view factor = in.get(c_factor);
    if (ind.kind == indicator_kind::ratio) {
      if (ref.num.empty()) in.fail(c_num, fmt::format("ratio '{}' needs a numerator", ind.code));
      if (ref.den.empty()) in.fail(c_den, fmt::format("ratio '{}' needs a denominator", ind.code));
      if (factor.empty()) {
        ind.factor = ind.unit.dim == dimension::ratio && ind.unit.exponent < 0 ? (ind.unit.exponent == -2 ? 100 : 1000) : 1;
      } else if (!parse_int(factor, ind.factor) || ind.factor <= 0 || ind.factor > 1000000000) {
        in.fail(c_factor, fmt::format("factor must be a positive whole number, not '{}'", factor));
      }
    } else {
      if (!ref.num.empty()) in.fail(c_num, "only ratio indicators have a numerator");
      if (!ref.den.empty()) in.fail(c_den, "only ratio indicators have a denominator");
      if (!factor.empty()) in.fail(c_factor, "only ratio indicators have a factor");
    }
    std::string_view parts = in.get(c_parts);
    if (parts == "le") ind.parts = parts_rule::le;
    else if (parts == "eq") ind.parts = parts_rule::eq;
    else if (!parts.empty()) in.fail(c_parts, fmt::format("parts must be empty, le or eq, not '{}'", parts));
    std::string_view sign = in.get(c_signed);
    if (sign == "yes" || sign == "true" || sign == "1") ind.allow_negative = true;
    else if (!(sign.empty() || sign == "no" || sign == "false" || sign == "0"))
      in.fail(c_signed, fmt::format("signed must be yes or no, not '{}'", sign));
    cat.items_.push_back(std::move(ind));
    cat.index_.insert(cat.items_.back().code, static_cast<indicator_id>(cat.items_.size() - 1));
    refs.push_back(std::move(ref));
  }
  // Second pass: resolve numerator, denominator and part_of references.
  auto fail_at = [&](std::size_t line, int col, const std::string& why) -> void {
    throw load_error(location{file, line, static_cast<std::size_t>(col + 1), col == c_num ? "numerator"
                                                                     : col == c_den ? "denominator"
                                                                                    : "part_of"},
                     why);
  };
  for (std::size_t i = 0; i < cat.items_.size(); ++i) {
    indicator& ind = cat.items_[i];
    const pending& ref = refs[i];
    for (int side = 0; side < 2; ++side) {
      const auto& terms = side == 0 ? ref.num : ref.den;
      int col = side == 0 ? c_num : c_den;
      for (const std::string& t : terms) {
        indicator_id id = cat.find(t);
        if (id == npos) fail_at(ref.line, col, fmt::format("unknown indicator '{}' in ratio '{}'", t, ind.code));
        indicator_kind tk = cat.items_[static_cast<std::size_t>(id)].kind;
        if (tk == indicator_kind::ratio || tk == indicator_kind::parameter)
          fail_at(ref.line, col,
                  fmt::format("'{}' is a {}; a ratio is computed from flows or stocks", t, kind_name(tk)));
        (side == 0 ? ind.numerator : ind.denominator).push_back(id);
      }
    }
    if (!ref.part_of.empty()) {
      indicator_id whole = cat.find(ref.part_of);
      if (whole == npos) fail_at(ref.line, c_part, fmt::format("unknown indicator '{}' in part_of", ref.part_of));
      if (whole == static_cast<indicator_id>(i)) fail_at(ref.line, c_part, "an indicator cannot be part of itself");
      const indicator& w = cat.items_[static_cast<std::size_t>(whole)];
      if (w.unit.dim != ind.unit.dim)
        fail_at(ref.line, c_part,
                fmt::format("'{}' ({}, {}) cannot be part of '{}' ({}, {}): different dimensions", ind.code,
                            ind.unit.symbol, dimension_name(ind.unit.dim), w.code, w.unit.symbol,
                            dimension_name(w.unit.dim)));
      if (ind.kind == indicator_kind::ratio || ind.kind == indicator_kind::parameter ||
          w.kind == indicator_kind::ratio || w.kind == indicator_kind::parameter)
        fail_at(ref.line, c_part, "part_of relates flows and stocks only");
      ind.part_of = whole;
    }
  }
  // part_of chains must end: the first indicator (in file order) whose chain runs into a loop is reported.
  // Each indicator is walked once, so a long chain costs linear time, not quadratic.
  {
    const std::size_t n = cat.items_.size();
    std::vector<std::uint8_t> state(n, 0);  // 0 not seen, 1 on the current walk, 2 ends, 3 runs into a loop
    std::vector<indicator_id> path;
    for (std::size_t start = 0; start < n; ++start) {
      path.clear();
      indicator_id j = static_cast<indicator_id>(start);
      while (j != npos && state[static_cast<std::size_t>(j)] == 0) {
        state[static_cast<std::size_t>(j)] = 1;
        path.push_back(j);
        j = cat.items_[static_cast<std::size_t>(j)].part_of;
      }
      const std::uint8_t end = j == npos ? 2 : state[static_cast<std::size_t>(j)] == 1 ? 3 : state[static_cast<std::size_t>(j)];
      for (indicator_id y : path) state[static_cast<std::size_t>(y)] = end;
    }
    for (std::size_t i = 0; i < n; ++i)
      if (state[i] == 3) fail_at(refs[i].line, c_part, fmt::format("circular part_of involving '{}'", cat.items_[i].code));
  }
  // A ratio's factor scaled by its denominator's and its own decimals must fit 64 bits (the engine's exact
  // integer path): refused here, where the file and line are known, rather than when a model is built.
  for (std::size_t i = 0; i < cat.items_.size(); ++i) {
    const indicator& ind = cat.items_[i];
    if (ind.kind != indicator_kind::ratio) continue;
    int ds = 0;
    for (auto t : ind.denominator) ds = std::max(ds, cat.items_[static_cast<std::size_t>(t)].decimals);
    __extension__ __int128 mul = ind.factor;
    for (int k = 0; k < ds + ind.decimals; ++k) mul *= 10;
    if (mul > std::numeric_limits<std::int64_t>::max())
      throw load_error(location{file, refs[i].line, static_cast<std::size_t>(c_factor + 1), "factor"},
                       fmt::format("ratio '{}': factor {} with {} decimals over a denominator of {} decimals is too large "
                                   "(factor × 10^(decimals + denominator decimals) must stay below 2^63)",
                                   ind.code, ind.factor, ind.decimals, ds));
  }
  return cat;
}

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
    return end ? p.serial() : period::month_serial(p.year(), p.first_month());
  } catch (const error& e) {
    in.fail(col, e.what());
  }
}

}  // namespace

hierarchy hierarchy::load(const std::string& path) { return parse(csv::read_file(path), path); }

hierarchy hierarchy::parse(std::string_view text, const std::string& file) {
  csv::reader in(text, file);
  in.read_header({"code", "name", "level", "parent"}, {"valid_from", "valid_to"});
  const int c_code = in.column("code"), c_name = in.column("name"), c_level = in.column("level"),
            c_parent = in.column("parent"), c_from = in.column("valid_from"), c_to = in.column("valid_to");
  hierarchy h;
  // The index holds views of the codes: no reallocation may move them while loading (see record_bound).
  h.regions_.reserve(record_bound(text));
  struct row {
    region_id id;
    std::size_t version;
    std::string parent;
    bool inferred;
  };
  std::vector<row> rows;
  while (in.next()) {
    std::string_view code = in.get(c_code);
    if (code.empty()) in.fail(c_code, "empty region code");
    if (!valid_code(code)) in.fail(c_code, fmt::format("malformed region code '{}'", code));
    if (all_digits(code) && code.size() != 12 && code.size() != 6)
      in.fail(c_code, fmt::format("malformed region code '{}': a division code has 12 digits (统计用区划代码) or 6 (GB/T 2260)", code));
    region_version v;
    v.line = in.line();
    v.name = std::string(in.get(c_name));
    if (v.name.empty()) in.fail(c_name, "empty region name");
    auto lv = parse_level(in.get(c_level));
    if (!lv) in.fail(c_level, fmt::format("unknown level '{}' (expected nation, province, city, county, town or village)", in.get(c_level)));
    v.level = *lv;
    v.from = parse_serial(in, c_from, false);
    v.to = parse_serial(in, c_to, true);
    if (v.to < v.from) in.fail(c_to, "valid_to is before valid_from");
    region_id id = h.index_.find(code);
    if (id == npos) {
      h.regions_.push_back(region{std::string(code), {}});
      id = static_cast<region_id>(h.regions_.size() - 1);
      h.index_.insert(h.regions_.back().code, id);
    } else {
      for (const region_version& o : h.regions_[static_cast<std::size_t>(id)].versions)
        if (o.from <= v.to && v.from <= o.to)
          in.fail(c_code, fmt::format("duplicate region code '{}' (already at line {}{})", code, o.line,
                                      c_from >= 0 ? " with an overlapping validity" : ""));
    }
    std::string parent(in.get(c_parent));
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
    rows.push_back(row{id, vs.size() - 1, std::move(parent), inferred});
  }
  if (h.regions_.empty()) throw load_error(location{file, 0, 0, {}}, "no regions");
  // Resolve parents now that every code is known.
  for (const row& r : rows) {
    region_version& v = h.regions_[static_cast<std::size_t>(r.id)].versions[r.version];
    if (r.parent.empty()) continue;
    region_id p = h.find(r.parent);
    if (p == npos && r.inferred) {
      // Try the further candidates (town → city when there is no county layer).
      for (const std::string& c : inferred_parents(h.regions_[static_cast<std::size_t>(r.id)].code))
        if ((p = h.find(c)) != npos) break;
      if (p == npos) {
        // The top of a partial file (a city bureau's own tree): a root, and the caller is told so.
        h.notes_.push_back(fmt::format("{}:{}: parent of '{}' inferred from its code as '{}', which is not in the file; "
                                       "'{}' is a root",
                                       file, v.line, h.regions_[static_cast<std::size_t>(r.id)].code, r.parent,
                                       h.regions_[static_cast<std::size_t>(r.id)].code));
        continue;
      }
    }
    if (p == npos)
      throw load_error(location{file, v.line, static_cast<std::size_t>(c_parent + 1), "parent"},
                       fmt::format("unknown parent '{}'", r.parent));
    if (p == r.id)
      throw load_error(location{file, v.line, static_cast<std::size_t>(c_parent + 1), "parent"},
                       "a region cannot be its own parent");
    v.parent = p;
  }
  // Cycles: follow parents by code (any version); the first row (in file order) whose chain runs into a
  // loop is reported. Each region is walked once (a long chain costs linear time, not quadratic).
  {
    const std::size_t n = h.regions_.size();
    std::vector<region_id> up(n, npos);
    for (std::size_t x = 0; x < n; ++x)
      for (const region_version& w : h.regions_[x].versions)
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
    for (const row& r : rows)
      if (state[static_cast<std::size_t>(r.id)] == 3) {
        const region_version& rv = h.regions_[static_cast<std::size_t>(r.id)].versions[r.version];
        throw load_error(location{file, rv.line, static_cast<std::size_t>(c_parent + 1), "parent"},
                         fmt::format("cycle: region '{}' is its own ancestor", h.regions_[static_cast<std::size_t>(r.id)].code));
      }
  }
  // Levels go down, and a parent exists whenever its child does.
  for (const row& r : rows) {
    const region_version& v = h.regions_[static_cast<std::size_t>(r.id)].versions[r.version];
    if (v.parent == npos) continue;
    const region& pr = h.regions_[static_cast<std::size_t>(v.parent)];
    location at{file, v.line, static_cast<std::size_t>(c_parent + 1), "parent"};
    // Walk the child's months: each must be covered by a parent version of a higher level.
    int s = v.from;
    while (true) {
      const region_version* pv = pr.at(s);
      if (!pv)
        throw load_error(at, fmt::format("parent '{}' does not exist for the whole validity of '{}'", pr.code,
                                         h.regions_[static_cast<std::size_t>(r.id)].code));
      if (pv->level >= v.level)
        throw load_error(at, fmt::format("'{}' is a {} but its parent '{}' is a {}: a child's level must be below its parent's",
                                         h.regions_[static_cast<std::size_t>(r.id)].code, level_name(v.level), pr.code,
                                         level_name(pv->level)));
      if (pv->to >= v.to) break;
      s = pv->to + 1;
    }
  }
  for (region& r : h.regions_)
    std::sort(r.versions.begin(), r.versions.end(), [](const region_version& a, const region_version& b) { return a.from < b.from; });
  // Every validity boundary starts a tree with per-region arrays: bound runs × regions before building them.
  {
    std::set<int> cuts{serial_min};
    for (const region& r : h.regions_)
      for (const region_version& v : r.versions) {
        cuts.insert(v.from);
        if (v.to != serial_max) cuts.insert(v.to + 1);
      }
    if (cuts.size() * h.regions_.size() > max_tree_cells)
      throw load_error(location{file, 0, 0, {}},
                       fmt::format("{} regions with {} validity runs need {} tree entries, more than the limit of {}; "
                                   "use fewer distinct valid_from/valid_to months",
                                   h.regions_.size(), cuts.size(), cuts.size() * h.regions_.size(), max_tree_cells),
                       errc::limit);
  }
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
      for (auto code : split_terms(in.get(col), "; ")) {
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
