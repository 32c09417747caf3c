// The indicator catalogue: indicators.csv, validated row by row, then every reference resolved.
#include <zhibiao/catalogue.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/date.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

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

}  // namespace

std::string value_text(const indicator& ind, const decimal& v) {
  if (ind.is_date()) {
    if (auto day = v.to_scaled_int64(0); day && valid_day(*day)) return date_iso(*day);
  }
  return v.to_string();
}

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

namespace {

// The columns of indicators.csv, looked up once.
struct catalogue_columns {
  int code, name, unit, kind, decimals, numerator, denominator, factor, part_of, parts, sign, max_age, reported_at;
};

// References are resolved after every row is read, so a ratio may name indicators defined below it.
struct pending_refs {
  std::size_t line;
  std::vector<std::string> num, den;
  std::string part_of;
};

// A reference error at a line of the file, in the column it came from.
struct reference_error {
  const std::string& file;
  const catalogue_columns& c;
  [[noreturn]] void operator()(std::size_t line, int col, const std::string& why) const {
    throw load_error(location{file, line, static_cast<std::size_t>(col + 1),
                              col == c.numerator     ? "numerator"
                              : col == c.denominator ? "denominator"
                              : col == c.reported_at ? "reported_at"
                                                     : "part_of"},
                     why);
  }
};

// A ratio's numerator, denominator and factor; no other kind has them.
void parse_ratio_terms(csv::reader& in, const catalogue_columns& c, indicator& ind, pending_refs& ref) {
  for (auto t : csv::split_terms(in.get(c.numerator), "+")) ref.num.emplace_back(t);
  for (auto t : csv::split_terms(in.get(c.denominator), "+")) ref.den.emplace_back(t);
  std::string_view factor = in.get(c.factor);
  if (ind.kind != indicator_kind::ratio) {
    if (!ref.num.empty()) in.fail(c.numerator, "only ratio indicators have a numerator");
    if (!ref.den.empty()) in.fail(c.denominator, "only ratio indicators have a denominator");
    if (!factor.empty()) in.fail(c.factor, "only ratio indicators have a factor");
    return;
  }
  if (ref.num.empty()) in.fail(c.numerator, fmt::format("ratio '{}' needs a numerator", ind.code));
  if (ref.den.empty()) in.fail(c.denominator, fmt::format("ratio '{}' needs a denominator", ind.code));
  if (factor.empty()) {
    ind.factor = ind.unit.dim == dimension::ratio && ind.unit.exponent < 0 ? (ind.unit.exponent == -2 ? 100 : 1000) : 1;
  } else if (!parse_int(factor, ind.factor) || ind.factor <= 0 || ind.factor > 1000000000) {
    in.fail(c.factor, fmt::format("factor must be a positive whole number, not '{}'", factor));
  }
}

// One row of indicators.csv (everything but the references to other indicators, kept in `ref`).
indicator parse_indicator_row(csv::reader& in, const catalogue_columns& c, pending_refs& ref) {
  indicator ind;
  ind.line = in.line();
  ind.code = std::string(in.get(c.code));
  if (ind.code.empty()) in.fail(c.code, "empty indicator code");
  if (!is_identifier(ind.code))
    in.fail(c.code, fmt::format("indicator code '{}' must be letters, digits and _ starting with a letter", ind.code));
  ind.name = std::string(in.get(c.name));
  if (ind.name.empty()) in.fail(c.name, "empty name");
  auto u = find_unit(in.get(c.unit));
  if (!u) in.fail(c.unit, fmt::format("unknown unit '{}'", in.get(c.unit)));
  ind.unit = *u;
  auto k = parse_kind(in.get(c.kind));
  if (!k) in.fail(c.kind, fmt::format("unknown kind '{}' (expected flow, stock, ratio or parameter)", in.get(c.kind)));
  ind.kind = *k;
  if (!parse_int(in.get(c.decimals), ind.decimals) || ind.decimals < 0 || ind.decimals > 9)
    in.fail(c.decimals, fmt::format("decimals must be a whole number 0..9, not '{}'", in.get(c.decimals)));
  // A day (2021年5月12日 出台) is in force until changed: never summed, converted or held at decimals.
  if (ind.unit.dim == dimension::date && ind.kind != indicator_kind::parameter)
    in.fail(c.unit, fmt::format("unit 日期 (a day date) is for parameter indicators only, not a {} such as '{}'", kind_name(ind.kind), ind.code));
  if (ind.unit.dim == dimension::date && ind.decimals != 0)
    in.fail(c.decimals, fmt::format("'{}' is a date (日期): its decimals must be 0, not {}", ind.code, ind.decimals));
  ref = pending_refs{in.line(), {}, {}, std::string(in.get(c.part_of))};
  parse_ratio_terms(in, c, ind, ref);
  std::string_view parts = in.get(c.parts);
  if (parts == "le") ind.parts = parts_rule::le;
  else if (parts == "eq") ind.parts = parts_rule::eq;
  else if (!parts.empty()) in.fail(c.parts, fmt::format("parts must be empty, le or eq, not '{}'", parts));
  std::string_view sign = in.get(c.sign);
  if (sign == "yes" || sign == "true" || sign == "1") ind.allow_negative = true;
  else if (!(sign.empty() || sign == "no" || sign == "false" || sign == "0"))
    in.fail(c.sign, fmt::format("signed must be yes or no, not '{}'", sign));
  if (std::string_view age = in.get(c.max_age); !age.empty()) {
    if (ind.kind != indicator_kind::stock)
      in.fail(c.max_age, fmt::format("max_age is for stocks (a month-end value carried to later months), not a {}", kind_name(ind.kind)));
    if (!parse_int(age, ind.max_age) || ind.max_age < 0 || ind.max_age > 11)
      in.fail(c.max_age, fmt::format("max_age must be a whole number of months 0..11, not '{}'", age));
  }
  if (std::string_view at = in.get(c.reported_at); !at.empty()) {
    ind.reported_at = parse_level(at);
    if (!ind.reported_at)
      in.fail(c.reported_at, fmt::format("unknown level '{}' (expected nation, province, city, county, town or village)", at));
    if (ind.kind == indicator_kind::parameter)
      in.fail(c.reported_at, fmt::format("'{}' is a parameter: it is not rolled up, so it has no reporting level", ind.code));
  }
  return ind;
}

// A reporting level in a message: its name, or the tree's leaves when there is none.
std::string level_text(std::optional<level> l) {
  return l ? std::string(level_name(*l)) : std::string("the leaves");
}

// A ratio's terms: known indicators that are flows or stocks, reported at the ratio's level.
void resolve_ratio_terms(std::vector<indicator>& items, const catalogue& cat, std::size_t i, const pending_refs& ref,
                         const catalogue_columns& c, const reference_error& fail_at) {
  indicator& ind = items[i];
  for (int side = 0; side < 2; ++side) {
    const auto& terms = side == 0 ? ref.num : ref.den;
    int col = side == 0 ? c.numerator : c.denominator;
    for (const std::string& t : terms) {
      indicator_id id = cat.find(t);
      if (id == npos) fail_at(ref.line, col, fmt::format("unknown indicator '{}' in ratio '{}'", t, ind.code));
      indicator_kind tk = items[static_cast<std::size_t>(id)].kind;
      if (tk == indicator_kind::ratio || tk == indicator_kind::parameter)
        fail_at(ref.line, col, fmt::format("'{}' is a {}; a ratio is computed from flows or stocks", t, kind_name(tk)));
      if (items[static_cast<std::size_t>(id)].reported_at != ind.reported_at)
        fail_at(ref.line, c.reported_at,
                fmt::format("ratio '{}' is reported at {} but its term '{}' at {}: a ratio's parts are reported "
                            "where the ratio is",
                            ind.code, level_text(ind.reported_at), t, level_text(items[static_cast<std::size_t>(id)].reported_at)));
      (side == 0 ? ind.numerator : ind.denominator).push_back(id);
    }
  }
}

// A part_of reference: a known flow or stock of the same dimension, not itself.
void resolve_part_of(std::vector<indicator>& items, const catalogue& cat, std::size_t i, const pending_refs& ref,
                     const catalogue_columns& c, const reference_error& fail_at) {
  if (ref.part_of.empty()) return;
  indicator& ind = items[i];
  indicator_id whole = cat.find(ref.part_of);
  if (whole == npos) fail_at(ref.line, c.part_of, fmt::format("unknown indicator '{}' in part_of", ref.part_of));
  if (whole == static_cast<indicator_id>(i)) fail_at(ref.line, c.part_of, "an indicator cannot be part of itself");
  const indicator& w = items[static_cast<std::size_t>(whole)];
  if (w.unit.dim != ind.unit.dim)
    fail_at(ref.line, c.part_of,
            fmt::format("'{}' ({}, {}) cannot be part of '{}' ({}, {}): different dimensions", ind.code, ind.unit.symbol,
                        dimension_name(ind.unit.dim), w.code, w.unit.symbol, dimension_name(w.unit.dim)));
  if (ind.kind == indicator_kind::ratio || ind.kind == indicator_kind::parameter || w.kind == indicator_kind::ratio ||
      w.kind == indicator_kind::parameter)
    fail_at(ref.line, c.part_of, "part_of relates flows and stocks only");
  ind.part_of = whole;
}

// part_of chains must end: the first indicator (in file order) whose chain runs into a loop is reported.
// Each indicator is walked once, so a long chain costs linear time, not quadratic.
void check_part_of_cycles(const std::vector<indicator>& items, const std::vector<pending_refs>& refs, const catalogue_columns& c,
                          const reference_error& fail_at) {
  const std::size_t n = items.size();
  std::vector<std::uint8_t> state(n, 0);  // 0 not seen, 1 on the current walk, 2 ends, 3 runs into a loop
  std::vector<indicator_id> path;
  for (std::size_t start = 0; start < n; ++start) {
    path.clear();
    indicator_id j = static_cast<indicator_id>(start);
    while (j != npos && state[static_cast<std::size_t>(j)] == 0) {
      state[static_cast<std::size_t>(j)] = 1;
      path.push_back(j);
      j = items[static_cast<std::size_t>(j)].part_of;
    }
    const std::uint8_t end = j == npos ? 2 : state[static_cast<std::size_t>(j)] == 1 ? 3 : state[static_cast<std::size_t>(j)];
    for (indicator_id y : path) state[static_cast<std::size_t>(y)] = end;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (state[i] == 3) fail_at(refs[i].line, c.part_of, fmt::format("circular part_of involving '{}'", items[i].code));
}

// A ratio's factor scaled by its denominator's and its own decimals must fit 64 bits (the engine's exact
// integer path): refused here, where the file and line are known, rather than when a model is built.
void check_ratio_factors(const std::vector<indicator>& items, const std::vector<pending_refs>& refs, const std::string& file,
                         const catalogue_columns& c) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const indicator& ind = items[i];
    if (ind.kind != indicator_kind::ratio) continue;
    int ds = 0;
    for (auto t : ind.denominator) ds = std::max(ds, items[static_cast<std::size_t>(t)].decimals);
    __extension__ __int128 mul = ind.factor;
    for (int k = 0; k < ds + ind.decimals; ++k) mul *= 10;
    if (mul > std::numeric_limits<std::int64_t>::max())
      throw load_error(location{file, refs[i].line, static_cast<std::size_t>(c.factor + 1), "factor"},
                       fmt::format("ratio '{}': factor {} with {} decimals over a denominator of {} decimals is too large "
                                   "(factor × 10^(decimals + denominator decimals) must stay below 2^63)",
                                   ind.code, ind.factor, ind.decimals, ds));
  }
}

}  // namespace

catalogue catalogue::parse(std::string_view text, const std::string& file) {
  csv::reader in(text, file);
  in.require_plain_text();
  in.read_header({"code", "name", "unit", "kind", "decimals", "numerator", "denominator", "factor", "part_of"},
                 {"parts", "signed", "max_age", "reported_at"});
  const catalogue_columns c{in.column("code"),      in.column("name"),   in.column("unit"),    in.column("kind"),
                            in.column("decimals"),  in.column("numerator"), in.column("denominator"),
                            in.column("factor"),    in.column("part_of"), in.column("parts"), in.column("signed"),
                            in.column("max_age"),   in.column("reported_at")};
  catalogue cat;
  // The index holds views of the codes: no reallocation may move them while loading. A record ends at
  // LF, CRLF or a lone CR, so LF and CR together bound the number of records.
  cat.items_.reserve(csv::record_bound(text));
  std::vector<pending_refs> refs;
  while (in.next()) {
    pending_refs ref;
    if (indicator_id seen = cat.index_.find(in.get(c.code)); seen != npos && !in.get(c.code).empty())
      in.fail(c.code, fmt::format("duplicate indicator code '{}' (first defined at line {})", in.get(c.code),
                                  cat.items_[static_cast<std::size_t>(seen)].line));
    cat.items_.push_back(parse_indicator_row(in, c, ref));
    cat.index_.insert(cat.items_.back().code, static_cast<indicator_id>(cat.items_.size() - 1));
    refs.push_back(std::move(ref));
  }
  const reference_error fail_at{file, c};
  for (std::size_t i = 0; i < cat.items_.size(); ++i) {
    resolve_ratio_terms(cat.items_, cat, i, refs[i], c, fail_at);
    resolve_part_of(cat.items_, cat, i, refs[i], c, fail_at);
  }
  check_part_of_cycles(cat.items_, refs, c, fail_at);
  check_ratio_factors(cat.items_, refs, file, c);
  return cat;
}

}  // namespace zhibiao
