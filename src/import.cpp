// Wide tables (xlsx or CSV) → observations: header rows → indicators, rows → regions, cells → exact values.
#include <zhibiao/csv.hpp>
#include <zhibiao/date.hpp>
#include <zhibiao/import.hpp>
#include <zhibiao/unit.hpp>
#include <zhibiao/xlsx.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>

namespace zhibiao::import {

namespace {

// ---- text ------------------------------------------------------------------------------------

// Length of a whitespace sequence at `p` (ASCII, U+3000 ideographic space, U+00A0), 0 when none.
std::size_t space_at(std::string_view s, std::size_t p) {
  const auto c = static_cast<unsigned char>(s[p]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 1;
  if (s.compare(p, 3, "\xE3\x80\x80") == 0) return 3;
  if (s.compare(p, 2, "\xC2\xA0") == 0) return 2;
  return 0;
}

std::string_view trim(std::string_view s) {
  for (;;) {
    if (s.empty()) return s;
    if (std::size_t n = space_at(s, 0)) {
      s.remove_prefix(n);
      continue;
    }
    bool cut = false;
    for (std::size_t n : {1u, 2u, 3u})
      if (s.size() >= n && space_at(s, s.size() - n) == n) {
        s.remove_suffix(n);
        cut = true;
        break;
      }
    if (!cut) return s;
  }
}

// Header texts compare without any whitespace: Excel headers often hold line breaks and padding.
std::string squeeze(std::string_view s) {
  std::string o;
  for (std::size_t p = 0; p < s.size();) {
    if (std::size_t n = space_at(s, p)) p += n;
    else o += s[p++];
  }
  return o;
}

bool starts_with(std::string_view s, std::string_view h) { return s.substr(0, h.size()) == h; }
bool contains(std::string_view s, std::string_view h) { return s.find(h) != std::string_view::npos; }

template <std::size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

constexpr std::array<std::string_view, 26> name_labels{
    "镇", "镇街", "镇（街道）", "镇(街道)", "镇名", "镇别", "街道", "乡镇", "乡镇（街道）", "乡镇(街道)", "镇（场）", "镇(场)", "地区",
    "区域", "单位", "名称", "县区", "县（区）", "县(区)", "区县", "县（市、区）", "县市区", "地市", "市", "镇街名称", "乡镇名称"};
constexpr std::array<std::string_view, 8> code_labels{"代码", "区划代码", "行政区划代码", "统计用区划代码", "地区代码", "编码", "code", "region"};
constexpr std::array<std::string_view, 9> ignored_labels{"序号", "编号", "排名", "排序", "名次", "备注", "说明", "附注", "备考"};
constexpr std::array<std::string_view, 9> total_labels{"合计", "总计", "全县", "全县合计", "全市", "全市合计", "全区", "全区合计", "总合计"};
constexpr std::array<std::string_view, 10> note_starts{"注", "说明", "备注", "填表", "制表", "审核", "数据来源", "资料来源", "填报", "负责人"};
constexpr std::array<std::string_view, 9> missing_marks{"—", "——", "－", "－－", "/", "／", "-", "--", "–"};
constexpr std::array<std::string_view, 8> generic_subheaders{"人数", "合计", "小计", "总数", "数量", "总计", "计", "数"};

bool is_name_label(const std::string& t) { return one_of(t, name_labels) || (t.size() > 6 && t.substr(t.size() - 6) == "名称"); }

// Splits a trailing unit in parentheses off a header text: 城镇新增就业（人） → (城镇新增就业, 人).
std::pair<std::string, std::string> split_unit(const std::string& t) {
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
    if (t.size() <= close.size() || t.compare(t.size() - close.size(), close.size(), close) != 0) continue;
    std::size_t o = t.rfind(open);
    if (o == std::string::npos) continue;
    std::string inner = t.substr(o + open.size(), t.size() - close.size() - o - open.size());
    if (find_unit(inner)) return {t.substr(0, o), inner};
  }
  return {t, {}};
}

// ---- the sheet as a grid ---------------------------------------------------------------------

struct grid {
  std::string file, sheet;
  bool is_csv = false;
  std::vector<xlsx::cell> cells;  // sorted by (row, col)
  std::string chars;              // the cells' text (xlsx::sheet::chars)
  std::vector<xlsx::merge_range> merges;
  std::vector<std::uint32_t> rows;      // distinct rows holding cells, ascending
  std::vector<std::size_t> row_begin;   // offset of each row's first cell; one past the end last

  void index() {
    auto before = [](const xlsx::cell& a, const xlsx::cell& b) { return a.row != b.row ? a.row < b.row : a.col < b.col; };
    // Every writer known stores cells in order; sorting is for the others.
    if (!std::is_sorted(cells.begin(), cells.end(), before)) std::stable_sort(cells.begin(), cells.end(), before);
    for (std::size_t k = 0; k < cells.size(); ++k)
      if (rows.empty() || rows.back() != cells[k].row) {
        rows.push_back(cells[k].row);
        row_begin.push_back(k);
      }
    row_begin.push_back(cells.size());
  }
  // The cells of row index `ri` (an index into `rows`).
  std::pair<const xlsx::cell*, const xlsx::cell*> row_cells(std::size_t ri) const {
    return {cells.data() + row_begin[ri], cells.data() + row_begin[ri + 1]};
  }
  const xlsx::cell* at(std::uint32_t r, std::uint32_t c) const {
    auto it = std::lower_bound(rows.begin(), rows.end(), r);
    if (it == rows.end() || *it != r) return nullptr;
    auto [b, e] = row_cells(static_cast<std::size_t>(it - rows.begin()));
    auto hit = std::lower_bound(b, e, c, [](const xlsx::cell& x, std::uint32_t col) { return x.col < col; });
    return hit != e && hit->col == c ? hit : nullptr;
  }
  std::string where(std::uint32_t r, std::uint32_t c) const {
    return is_csv ? fmt::format("{}:{}:{}", file, r, c) : fmt::format("{}:{}!{}", file, sheet, xlsx::cell_name(r, c));
  }
  location loc(std::uint32_t r, std::uint32_t c) const {
    return is_csv ? location{file, r, c, {}} : location{where(r, c), 0, 0, {}};
  }
  [[noreturn]] void fail(std::uint32_t r, std::uint32_t c, const std::string& why, errc code = errc::load) const {
    throw load_error(loc(r, c), why, code);
  }
  location sheet_loc() const { return is_csv ? location{file, 0, 0, {}} : location{file + ":" + sheet, 0, 0, {}}; }
  // The characters of a text or error cell.
  std::string_view text(const xlsx::cell* c) const { return std::string_view(chars).substr(c->text_at, c->text_size); }
  // A cell as text, as a reader of the sheet sees it (numbers in their shortest exact form).
  std::string text_of(const xlsx::cell* c) const {
    if (!c) return {};
    if (c->type == xlsx::cell_type::text || c->type == xlsx::cell_type::error) return std::string(text(c));
    if (c->type == xlsx::cell_type::boolean) return c->number != 0 ? "TRUE" : "FALSE";
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, c->number);
    return std::string(buf, r.ptr);
  }
};

// ---- MAP.csv ---------------------------------------------------------------------------------

struct map_entry {
  std::string target;  // an indicator code, "-" (ignored), "region" or "region_code"
  std::size_t line = 0;
  bool used = false;
};

struct mapping {
  std::string file;
  std::map<std::string, map_entry> by_key;  // squeezed header text or column letters

  static mapping load(const std::string& path, const catalogue& cat) {
    mapping mp;
    mp.file = path;
    if (path.empty()) return mp;
    std::string text = csv::read_file(path);
    csv::reader in(text, path);
    in.read_header({"column", "indicator"}, {});
    const int c_col = in.column("column"), c_ind = in.column("indicator");
    while (in.next()) {
      std::string key = squeeze(in.get(c_col));
      std::string target(trim(in.get(c_ind)));
      if (key.empty()) in.fail(c_col, "empty column (header text, group/sub, or a column letter such as E)");
      if (target == "ignore") target = "-";
      if (target.empty()) in.fail(c_ind, "empty indicator (an indicator code, - to ignore the column, region or region_code)");
      if (target != "-" && target != "region" && target != "region_code" && cat.find(target) == npos)
        in.fail(c_ind, fmt::format("unknown indicator '{}'", target));
      if (!mp.by_key.emplace(key, map_entry{target, in.line(), false}).second)
        in.fail(c_col, fmt::format("'{}' is mapped twice", key));
    }
    return mp;
  }
  map_entry* find(const std::string& letters, const std::string& header, const std::string& bare) {
    for (const std::string* k : {&letters, &header, &bare}) {
      auto it = by_key.find(*k);
      if (it != by_key.end()) return &it->second;
    }
    return nullptr;
  }
  void check_all_used() const {
    for (const auto& [key, e] : by_key)
      if (!e.used) throw load_error(location{file, e.line, 1, "column"}, fmt::format("'{}' matches no column of the table", key));
  }
};

// ---- header → columns ------------------------------------------------------------------------

enum class role { ignored, region_name, region_code, indicator };

struct column {
  std::uint32_t col = 0;
  std::string header;  // the parts of every header row joined by '/'
  std::string bare;    // the same without units
  std::string unit_text;
  role what = role::ignored;
  indicator_id ind = npos;
};

struct layout {
  std::uint32_t header_row = 0, header_rows = 1;
  std::string title;
  std::vector<unit> listed_units;  // 单位：人、人次、万元
  std::vector<column> columns;
  std::uint32_t name_col = 0, code_col = 0;
};

// Names of the catalogue, squeezed; an ambiguous name maps to npos - 1.
std::unordered_map<std::string, indicator_id> name_index(const catalogue& cat) {
  std::unordered_map<std::string, indicator_id> idx;
  for (std::size_t k = 0; k < cat.size(); ++k) {
    auto [it, fresh] = idx.emplace(squeeze(cat.items()[k].name), static_cast<indicator_id>(k));
    if (!fresh) it->second = npos - 1;
  }
  return idx;
}

// The indicator a header names by code or name; npos when none. Tries the whole text, then the group and
// sub-header run together (失业保险待遇 + 人次), then the sub-header alone without 其中：, then the group
// over a generic sub-header (人数, 合计).
indicator_id auto_match(const catalogue& cat, const std::unordered_map<std::string, indicator_id>& names,
                        const std::vector<std::string>& parts) {
  std::vector<std::string> tries;
  std::string joined, run;
  for (const auto& p : parts) {
    joined += (joined.empty() ? "" : "/") + p;
    run += p;
  }
  tries.push_back(joined);
  tries.push_back(run);
  if (!parts.empty()) {
    std::string last = parts.back();
    for (std::string_view q : {"其中：", "其中:", "其中"})
      if (starts_with(last, q)) last = last.substr(q.size());
    tries.push_back(last);
    if (parts.size() > 1 && one_of(std::string_view(parts.back()), generic_subheaders)) tries.push_back(parts[parts.size() - 2]);
  }
  for (const std::string& t : tries) {
    if (t.empty()) continue;
    if (indicator_id i = cat.find(t); i != npos) return i;
    auto it = names.find(t);
    if (it != names.end()) return it->second;
  }
  return npos;
}

// The first row that labels a region column (镇, 地区, 代码 …, or a header MAP.csv maps to a region).
std::uint32_t find_header_row(const grid& g, const mapping& mp) {
  for (std::size_t ri = 0; ri < g.rows.size() && ri < 200; ++ri) {
    auto [b, e] = g.row_cells(ri);
    for (auto c = b; c != e; ++c) {
      std::string t = squeeze(g.text_of(c));
      if (t.empty() || c->type != xlsx::cell_type::text) continue;
      auto it = mp.by_key.find(t);
      bool mapped = it != mp.by_key.end() && (it->second.target == "region" || it->second.target == "region_code");
      if (mapped || is_name_label(t) || one_of(std::string_view(t), code_labels)) return g.rows[ri];
    }
  }
  throw load_error(g.sheet_loc(), "no header row: expected a column headed 镇（街道）, 地区, 单位名称 or 代码 "
                                  "(or one mapped to region or region_code in MAP.csv)");
}

// Texts of the header rows per column, with merged ranges spread over the cells they cover.
std::map<std::uint32_t, std::vector<std::string>> header_texts(const grid& g, std::uint32_t h, std::uint32_t depth) {
  std::map<std::uint32_t, std::vector<std::string>> texts;
  auto put = [&](std::uint32_t r, std::uint32_t c, const std::string& t) {
    auto& v = texts[c];
    v.resize(depth);
    if (v[r - h].empty()) v[r - h] = t;
  };
  // Each merge touching the header costs its width; a hostile sheet could repeat one wide merge millions of times.
  std::size_t work = 0;
  for (const auto& m : g.merges) {
    if (m.last_row < h || m.first_row >= h + depth || m.last_col - m.first_col > 16384) continue;
    work += (m.last_col - m.first_col + 1) * static_cast<std::size_t>(depth);
    if (work > 16 * 16384 * 4)
      throw load_error(g.sheet_loc(), "more merged ranges over the header than 16 rows of 16384 columns", errc::limit);
    std::string t = squeeze(g.text_of(g.at(m.first_row, m.first_col)));
    if (t.empty()) continue;
    for (std::uint32_t r = std::max(h, m.first_row); r <= std::min(h + depth - 1, m.last_row); ++r)
      for (std::uint32_t c = m.first_col; c <= m.last_col; ++c) put(r, c, t);
  }
  for (std::size_t ri = 0; ri < g.rows.size(); ++ri) {
    if (g.rows[ri] < h || g.rows[ri] >= h + depth) continue;
    auto [b, e] = g.row_cells(ri);
    for (auto c = b; c != e; ++c)
      if (std::string t = squeeze(g.text_of(c)); !t.empty()) put(c->row, c->col, t);
  }
  if (g.is_csv) {
    // CSV has no merges: a group header stands in its first column only, so it is carried right over
    // the columns that have a sub-header below it.
    for (std::uint32_t r = 0; r + 1 < depth; ++r) {
      std::string carry;
      for (auto& [c, v] : texts) {
        if (!v[r].empty()) carry = !v[r + 1].empty() ? v[r] : std::string();
        else if (!v[r + 1].empty()) v[r] = carry;
        else carry.clear();
      }
    }
  }
  for (auto& [c, v] : texts) v.resize(depth);
  return texts;
}

// How many rows the header spans: the tallest merged range starting in its first row, and any following
// rows that hold only labels with the region column empty.
std::uint32_t header_depth(const grid& g, std::uint32_t h, std::uint32_t region_col) {
  std::uint32_t depth = 1;
  for (const auto& m : g.merges)
    if (m.first_row == h && m.last_row > m.first_row) depth = std::max(depth, std::min<std::uint32_t>(m.last_row - h + 1, 4));
  while (depth < 4) {
    std::uint32_t r = h + depth;
    auto it = std::lower_bound(g.rows.begin(), g.rows.end(), r);
    if (it == g.rows.end() || *it != r) break;
    if (!squeeze(g.text_of(g.at(r, region_col))).empty()) break;
    auto [b, e] = g.row_cells(static_cast<std::size_t>(it - g.rows.begin()));
    bool labels = b != e;
    for (auto c = b; c != e; ++c) {
      const std::string t = squeeze(g.text(c));
      // CSV cells are all text: a number there is data, not a sub-header.
      const bool numeric = !t.empty() && t.find_first_not_of("0123456789.,+-") == std::string::npos;
      if (c->type != xlsx::cell_type::text || t.empty() || numeric) labels = false;
    }
    bool covered = false;  // a row inside a tall merge of the first header row counts already
    for (const auto& m : g.merges)
      if (m.first_row == h && m.last_row >= r) covered = true;
    if (!labels || covered) break;
    if (starts_with(squeeze(g.text_of(b)), "注")) break;
    ++depth;
  }
  return depth;
}

// Units listed in a unit row above the header (单位：人、人次、万元).
std::vector<unit> listed_units(const std::string& title) {
  std::vector<unit> out;
  for (std::string_view key : {"单位：", "单位:"}) {
    std::size_t p = title.find(key);
    if (p == std::string::npos) continue;
    std::string_view rest = std::string_view(title).substr(p + key.size());
    std::string token;
    auto flush = [&] {
      if (auto u = find_unit(token)) out.push_back(*u);
      token.clear();
    };
    for (std::size_t k = 0; k < rest.size();) {
      if (rest.compare(k, 3, "、") == 0 || rest.compare(k, 3, "，") == 0 || rest.compare(k, 3, "；") == 0) {
        flush();
        k += 3;
      } else if (rest[k] == ',' || rest[k] == ';' || rest[k] == ' ' || rest[k] == '|') {
        flush();
        ++k;
      } else {
        token += rest[k++];
      }
    }
    flush();
  }
  return out;
}


std::vector<std::string> distinct_parts(const std::vector<std::string>& raw) {
  std::vector<std::string> parts;
  for (const auto& t : raw)
    if (!t.empty() && (parts.empty() || parts.back() != t)) parts.push_back(t);
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string o;
  for (const auto& p : parts) o += (o.empty() ? "" : std::string(sep)) + p;
  return o;
}

// The unit a column's values are written in: its header's, else the one unit of the indicator's dimension
// in the unit row, else the catalogue's own.
unit column_unit(const grid& g, const layout& L, const column& col, const indicator& ind) {
  if (!col.unit_text.empty()) {
    unit u = *find_unit(col.unit_text);
    if (!convertible(u, ind.unit))
      g.fail(L.header_row, col.col,
             fmt::format("column {} '{}' is in {} ({}), but '{}' is in {} ({})", xlsx::column_name(col.col), col.header, u.symbol,
                         dimension_name(u.dim), ind.code, ind.unit.symbol, dimension_name(ind.unit.dim)),
             errc::unit);
    return u;
  }
  std::vector<unit> same;
  for (const unit& u : L.listed_units)
    if (u.dim == ind.unit.dim && std::none_of(same.begin(), same.end(), [&](const unit& s) { return s.exponent == u.exponent; }))
      same.push_back(u);
  if (same.size() > 1)
    g.fail(L.header_row, col.col,
           fmt::format("the unit row lists {} and {} for {}: put the unit of column {} in its header, e.g. （{}）", same[0].symbol,
                       same[1].symbol, dimension_name(ind.unit.dim), xlsx::column_name(col.col), same[0].symbol),
           errc::unit);
  return same.empty() ? ind.unit : same[0];
}

// Gives one column its role: from MAP.csv, as a region or ignored column by its label, or by matching an indicator.
column classify(const grid& g, std::uint32_t h, std::uint32_t c, const std::vector<std::string>& raw, const catalogue& cat,
                const std::unordered_map<std::string, indicator_id>& names, mapping& mp) {
  column col;
  col.col = c;
  std::vector<std::string> parts = distinct_parts(raw), bare_parts;
  for (const auto& p : parts) {
    auto [bare, u] = split_unit(p);
    if (!u.empty()) col.unit_text = u;
    if (!bare.empty()) bare_parts.push_back(bare);
  }
  col.header = join(parts, "/");
  col.bare = join(bare_parts, "/");
  const std::string letters = xlsx::column_name(c);
  if (map_entry* e = mp.find(letters, col.header, col.bare)) {
    e->used = true;
    if (e->target == "-") col.what = role::ignored;
    else if (e->target == "region") col.what = role::region_name;
    else if (e->target == "region_code") col.what = role::region_code;
    else col.what = role::indicator, col.ind = cat.find(e->target);
    return col;
  }
  if (is_name_label(col.bare)) col.what = role::region_name;
  else if (one_of(std::string_view(col.bare), code_labels)) col.what = role::region_code;
  else if (one_of(std::string_view(col.bare), ignored_labels) || starts_with(col.bare, "备注")) col.what = role::ignored;
  else if ((col.ind = auto_match(cat, names, bare_parts)) == npos - 1)
    g.fail(h, c, fmt::format("column {} '{}' matches more than one indicator of that name: map it in MAP.csv ({},CODE)", letters, col.header, letters));
  else if (col.ind == npos)
    g.fail(h, c, fmt::format("column {} '{}' matches no indicator by code or name: map it in MAP.csv ({},CODE) or ignore it "
                             "({},-); zhibiao import --suggest-map writes a starting MAP.csv", letters, col.header, letters, letters));
  else col.what = role::indicator;
  return col;
}

// Reads the header rows of a sheet into columns, each with its role and indicator.
layout read_layout(const grid& g, const catalogue& cat, const std::unordered_map<std::string, indicator_id>& names, mapping& mp) {
  layout L;
  L.header_row = find_header_row(g, mp);
  std::uint32_t region_col = 0;
  for (std::uint32_t c = 1; c <= 16384 && !region_col; ++c) {
    const xlsx::cell* x = g.at(L.header_row, c);
    if (!x) continue;
    std::string t = squeeze(g.text_of(x));
    auto it = mp.by_key.find(t);
    if (is_name_label(t) || one_of(std::string_view(t), code_labels) || (it != mp.by_key.end() && it->second.target.starts_with("region")))
      region_col = c;
  }
  L.header_rows = header_depth(g, L.header_row, region_col);
  for (std::size_t ri = 0; ri < g.rows.size() && g.rows[ri] < L.header_row; ++ri) {
    auto [b, e] = g.row_cells(ri);
    for (auto c = b; c != e; ++c) L.title += g.text_of(c) + " ";
  }
  L.listed_units = listed_units(L.title);
  std::map<indicator_id, std::uint32_t> seen;
  for (const auto& [c, raw] : header_texts(g, L.header_row, L.header_rows)) {
    if (distinct_parts(raw).empty()) continue;
    column col = classify(g, L.header_row, c, raw, cat, names, mp);
    if (col.what == role::indicator) {
      auto [it, fresh] = seen.emplace(col.ind, c);
      if (!fresh)
        g.fail(L.header_row, c, fmt::format("columns {} and {} are both '{}'", xlsx::column_name(it->second), xlsx::column_name(c),
                                            cat[col.ind].code));
    }
    std::uint32_t& slot = col.what == role::region_name ? L.name_col : L.code_col;
    if (col.what == role::region_name || col.what == role::region_code) {
      if (slot) g.fail(L.header_row, c, fmt::format("columns {} and {} both name the region", xlsx::column_name(slot), xlsx::column_name(c)));
      slot = c;
    }
    L.columns.push_back(std::move(col));
  }
  if (seen.empty()) throw load_error(g.sheet_loc(), "the header names no indicator column");
  return L;
}

// A period written in a title: 2021年9月 (the month) or 2021年1-9月 (year to date).
std::optional<period> period_in(std::string_view t) {
  auto digits = [&](std::size_t& p) {
    std::size_t s = p;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') ++p;
    return std::string(t.substr(s, p - s));
  };
  for (std::size_t y = t.find("年"); y != std::string_view::npos; y = t.find("年", y + 1)) {
    if (y < 4) continue;
    std::size_t p = y - 4;
    std::string year = digits(p);
    if (year.size() != 4 || p != y) continue;
    p = y + 3;
    std::string a = digits(p), b;
    if (a.empty()) continue;
    for (std::string_view sep : {"-", "—", "－", "~", "～", "至"})
      if (t.compare(p, sep.size(), sep) == 0) {
        p += sep.size();
        b = digits(p);
        break;
      }
    if (t.compare(p, 3, "月") != 0) continue;
    try {
      return period::parse(year + "年" + a + (b.empty() ? "" : "-" + b) + "月");
    } catch (const parse_error&) {
    }
  }
  return std::nullopt;
}

period sheet_period(const grid& g, const layout& L, const options& opt) {
  if (!opt.period.empty()) return period::parse(opt.period);
  try {
    return period::parse(trim(g.sheet));
  } catch (const parse_error&) {
  }
  if (auto p = period_in(squeeze(L.title))) return *p;
  throw load_error(g.sheet_loc(), "no period: name the sheet like 2021年9月 or 2021年1-9月, put it in the title, or pass --period");
}

// Regions by name below the --under region, in the tree of one month.
struct region_finder {
  const hierarchy& h;
  region_id under = npos;
  std::unordered_map<std::string, std::vector<region_id>> by_name;

  region_finder(const hierarchy& hi, region_id u, int serial) : h(hi), under(u) {
    if (under == npos) return;
    const tree& t = h.at(serial);
    for (std::size_t r = 0; r < h.size(); ++r) {
      if (!t.valid[r] || static_cast<region_id>(r) == under) continue;
      region_id a = t.parent[r];
      while (a != npos && a != under) a = t.parent[static_cast<std::size_t>(a)];
      if (a == under) by_name[squeeze(h.name(static_cast<region_id>(r), serial))].push_back(static_cast<region_id>(r));
    }
  }
  // Exact name first, then the name with a usual suffix the sheet left off (梅陇 → 梅陇镇).
  const std::vector<region_id>* find(const std::string& name) const {
    for (std::string_view suffix : {"", "镇", "乡", "街道", "街道办事处", "街道办"}) {
      auto it = by_name.find(name + std::string(suffix));
      if (it != by_name.end()) return &it->second;
    }
    return nullptr;
  }
};

bool has_fullwidth_digit(std::string_view s) {
  for (std::size_t k = 0; k + 2 < s.size(); ++k)
    if (s.compare(k, 2, "\xEF\xBC") == 0 && static_cast<unsigned char>(s[k + 2]) >= 0x90 && static_cast<unsigned char>(s[k + 2]) <= 0x99)
      return true;
  return false;
}

// A value converted from the column's unit to the catalogue's, at the indicator's decimals; nullopt when
// that needs more decimals than the indicator keeps.
std::optional<decimal> fit(const decimal& v, const unit& from, const indicator& ind) {
  decimal c = convert(v, from, ind.unit);
  try {
    return c.rescaled(ind.decimals, rounding::exact);
  } catch (const overflow_error&) {
    throw;
  } catch (const error&) {
    return std::nullopt;
  }
}

// The exact decimal an xlsx double stands for at the indicator's decimals: its shortest round-trip text,
// else its text at Excel's 15 significant digits (42.900000000000006 from a sum is 42.9); otherwise refused.
std::optional<decimal> number_value(double x, const unit& from, const indicator& ind) {
  // Most cells are whole numbers in the catalogue's unit: exact without any text.
  if (from.exponent == ind.unit.exponent && x == std::floor(x) && std::fabs(x) < 1e15)
    return decimal::from_int(static_cast<long long>(x)).rescaled(ind.decimals);
  // n / 10^d, both exact doubles, divides to the double nearest that decimal; below 2^50 the doubles are
  // closer together than 10^-d, so that decimal is the only one at d decimals for x, as the text would say.
  static constexpr double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (from.exponent == ind.unit.exponent && ind.decimals >= 0 && ind.decimals < 16) {
    const double p = pow10[ind.decimals], scaled = x * p;
    if (std::fabs(scaled) < 0x1p50) {
      const double n = std::nearbyint(scaled);
      if (n / p == x) return decimal::from_scaled(static_cast<std::int64_t>(n), ind.decimals);
    }
  }
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  if (r.ec != std::errc()) return std::nullopt;
  if (auto v = fit(decimal::parse(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf))), from, ind)) return v;
  int n = std::snprintf(buf, sizeof buf, "%.15g", x);
  if (n <= 0 || std::string_view(buf, static_cast<std::size_t>(n)).find('e') != std::string_view::npos) return std::nullopt;
  return fit(decimal::parse(std::string_view(buf, static_cast<std::size_t>(n))), from, ind);
}

std::optional<decimal> parse_amount(const grid& g, const xlsx::cell* x, const unit& from, const indicator& ind);

// A date cell (日期) typed as text, 2021-05-12 or 2021年5月12日, as its day number. A cell Excel keeps as a
// number (its own date serial, or a count) is refused: the sheet's styles, which alone tell a date serial from
// a number, are not read.
std::optional<decimal> date_amount(const grid& g, const xlsx::cell* x, const indicator& ind) {
  if (x->type != xlsx::cell_type::text)
    g.fail(x->row, x->col, fmt::format("'{}' for '{}', a date (日期): type the day as text, 2021-05-12 or 2021年5月12日", g.text_of(x), ind.code));
  std::string_view t = trim(g.text(x));
  if (t.empty() || one_of(t, missing_marks)) return std::nullopt;
  try {
    return decimal(parse_date(t), 0);
  } catch (const parse_error& e) {
    g.fail(x->row, x->col, fmt::format("'{}': {} ('{}' is a date, 日期)", t, e.reason(), ind.code));
  }
}

// Why a value needs more decimals than its indicator keeps, with the conversion when the column's unit differs.
std::string too_precise(const std::string& shown, const unit& from, const indicator& ind) {
  std::string conv;
  if (from.exponent != ind.unit.exponent) {
    std::string digits = shown;
    std::erase(digits, '\'');
    try {
      conv = fmt::format(" {} is {} {}:", from.symbol, convert(decimal::parse(digits), from, ind.unit).to_string(), ind.unit.symbol);
    } catch (const error&) {
    }
  }
  return fmt::format("{}{} more decimals than the {} that '{}' keeps (in {})", shown, conv.empty() ? " has" : conv, ind.decimals,
                     ind.code, ind.unit.symbol);
}

// The value of one cell of an indicator column; nullopt for missing (empty, —, －, /).
std::optional<decimal> cell_amount(const grid& g, const xlsx::cell* x, const unit& from, const indicator& ind) {
  std::optional<decimal> v = parse_amount(g, x, from, ind);
  if (v && v->sign() < 0 && !ind.allow_negative && ind.kind != indicator_kind::parameter)
    g.fail(x->row, x->col, fmt::format("negative value {} for '{}', which the catalogue does not allow (signed=no)", v->to_string(), ind.code));
  return v;
}

std::optional<decimal> parse_amount(const grid& g, const xlsx::cell* x, const unit& from, const indicator& ind) {
  if (!x) return std::nullopt;
  const std::uint32_t r = x->row, c = x->col;
  if (ind.is_date()) return date_amount(g, x, ind);
  try {
    if (x->type == xlsx::cell_type::number) {
      if (!std::isfinite(x->number)) g.fail(r, c, "not a finite number");
      if (auto v = number_value(x->number, from, ind)) return v;
      g.fail(r, c, too_precise(g.text_of(x), from, ind));
    }
    if (x->type != xlsx::cell_type::text)
      g.fail(r, c, fmt::format("'{}' is not a number ({})", g.text_of(x), x->type == xlsx::cell_type::boolean ? "a boolean" : "an error value"));
    std::string_view t = trim(g.text(x));
    if (t.empty() || one_of(t, missing_marks)) return std::nullopt;
    if (has_fullwidth_digit(t)) g.fail(r, c, fmt::format("'{}' has full-width digits: type the number with 0-9", t));
    if (contains(t, ",") || contains(t, "，"))
      g.fail(r, c, fmt::format("'{}' has thousands separators, which are not accepted: write 12345, not 12,345", t));
    decimal v;
    try {
      v = decimal::parse(t);
    } catch (const parse_error& e) {
      g.fail(r, c, fmt::format("'{}' is not a number ({})", t, e.reason()));
    }
    if (auto f = fit(v, from, ind)) return f;
    g.fail(r, c, too_precise("'" + std::string(t) + "'", from, ind));
  } catch (const overflow_error& e) {
    g.fail(r, c, e.what(), errc::overflow);
  }
}

struct sheet_context {
  const model& m;
  const grid& g;
  const layout& L;
  period when;
  region_id under;
  const region_finder& finder;
  std::vector<std::pair<const column*, unit>> value_columns;
  std::uint32_t place = 0;
};

// The region a data row is for: by code, by name below --under, or --under itself for the 合计 row.
region_id row_region(const sheet_context& s, std::uint32_t r) {
  const std::uint32_t c = s.L.code_col ? s.L.code_col : s.L.name_col;
  std::string code = s.L.code_col ? squeeze(s.g.text_of(s.g.at(r, s.L.code_col))) : std::string();
  std::string name = s.L.name_col ? squeeze(s.g.text_of(s.g.at(r, s.L.name_col))) : std::string();
  const hierarchy& h = s.m.regions();
  if (one_of(std::string_view(name), total_labels) || (code.empty() && (contains(name, "合计") || contains(name, "总计")))) {
    if (s.under == npos) s.g.fail(r, s.L.name_col, fmt::format("a '{}' row needs --under CODE, the region it totals", name));
    return s.under;
  }
  if (s.L.code_col) {
    region_id id = h.find(code);
    if (id == npos) s.g.fail(r, c, fmt::format("unknown region code '{}'", code));
    return id;
  }
  if (s.under == npos) s.g.fail(r, c, fmt::format("'{}': region names need --under CODE (the region they belong to) or a column of codes", name));
  const std::vector<region_id>* hits = s.finder.find(name);
  const std::string& u = h[s.under].code;
  if (!hits) s.g.fail(r, c, fmt::format("unknown town '{}' under {}", name, u));
  if (hits->size() > 1)
    s.g.fail(r, c, fmt::format("'{}' names {} regions under {} ({} and {}): use a column of codes", name, hits->size(), u,
                               h[(*hits)[0]].code, h[(*hits)[1]].code));
  return hits->front();
}

// True for a row that is a note under the table (注：…, 填表人：…) rather than data.
bool is_note_row(const grid& g, const xlsx::cell* b, const xlsx::cell* e) {
  for (auto c = b; c != e; ++c) {
    std::string t = squeeze(g.text_of(c));
    if (t.empty()) continue;
    return c->type == xlsx::cell_type::text &&
           std::any_of(note_starts.begin(), note_starts.end(), [&](std::string_view n) { return starts_with(t, n); });
  }
  return true;
}

void read_rows(const sheet_context& s, table& out) {
  const std::uint32_t first = s.L.header_row + s.L.header_rows;
  out.cells.reserve(out.cells.size() + s.g.rows.size() * s.value_columns.size());
  std::vector<bool> known(16385, false);
  for (const auto& col : s.L.columns) known[col.col] = true;
  for (std::size_t ri = 0; ri < s.g.rows.size(); ++ri) {
    const std::uint32_t r = s.g.rows[ri];
    if (r < first) continue;
    auto [b, e] = s.g.row_cells(ri);
    if (is_note_row(s.g, b, e)) continue;
    for (auto c = b; c != e; ++c)
      if (!known[c->col] && !squeeze(s.g.text_of(c)).empty())
        s.g.fail(r, c->col, fmt::format("'{}' stands in column {}, which has no header", s.g.text_of(c), xlsx::column_name(c->col)));
    const std::uint32_t rc = s.L.code_col ? s.L.code_col : s.L.name_col;
    if (squeeze(s.g.text_of(s.g.at(r, rc))).empty() && (!s.L.code_col || !s.L.name_col || squeeze(s.g.text_of(s.g.at(r, s.L.name_col))).empty())) {
      for (const auto& [col, from] : s.value_columns)
        if (const xlsx::cell* x = s.g.at(r, col->col); x && !squeeze(s.g.text_of(x)).empty())
          s.g.fail(r, col->col, "a value in a row without a region");
      continue;
    }
    const region_id region = row_region(s, r);
    // The row's cells are in column order, as the value columns are: one walk finds each column's cell.
    const xlsx::cell* c = b;
    for (const auto& [col, from] : s.value_columns) {
      while (c != e && c->col < col->col) ++c;
      const xlsx::cell* x = c != e && c->col == col->col ? c : nullptr;
      const indicator& ind = s.m.indicators()[col->ind];
      out.cells.push_back(cell_value{region, s.when, col->ind, cell_amount(s.g, x, from, ind), s.place, r, col->col});
    }
  }
}

// Name lookups per tree of months: built once however many sheets (months) a workbook has.
using finder_cache = std::map<const tree*, std::unique_ptr<region_finder>>;

void read_grid(const model& m, const grid& g, const options& opt, mapping& mp,
               const std::unordered_map<std::string, indicator_id>& names, table& out, finder_cache& finders) {
  layout L = read_layout(g, m.indicators(), names, mp);
  if (!L.name_col && !L.code_col) throw load_error(g.sheet_loc(), "no region column (镇（街道）, 地区, 代码 …)");
  const period when = sheet_period(g, L, opt);
  region_id under = npos;
  if (!opt.under.empty()) {
    under = m.regions().find(opt.under);
    if (under == npos) throw error(errc::not_found, fmt::format("--under: unknown region '{}'", opt.under));
  }
  const region_finder no_names(m.regions(), npos, 0);  // a code column, or no --under: names are not looked up
  const region_finder* finder = &no_names;
  if (!L.code_col && under != npos) {
    auto& slot = finders[&m.regions().at(when.serial())];
    if (!slot) slot = std::make_unique<region_finder>(m.regions(), under, when.serial());
    finder = slot.get();
  }
  sheet_context s{m, g, L, when, under, *finder, {}, static_cast<std::uint32_t>(out.places.size())};
  out.places.push_back(g.is_csv ? g.file + ":" : g.file + ":" + g.sheet + "!");
  for (const auto& col : L.columns) {
    if (col.what != role::indicator) continue;
    const indicator& ind = m.indicators()[col.ind];
    if (ind.kind == indicator_kind::ratio)
      g.fail(L.header_row, col.col, fmt::format("column {} '{}' is the ratio '{}': it is computed, report its parts instead",
                                                xlsx::column_name(col.col), col.header, ind.code));
    s.value_columns.emplace_back(&col, column_unit(g, L, col, ind));
  }
  read_rows(s, out);
}

grid csv_grid(std::string_view bytes, const std::string& name) {
  grid g;
  g.file = name;
  g.is_csv = true;
  g.sheet = std::filesystem::path(name).stem().string();
  csv::check_utf8(bytes, name);
  csv::limits lim;
  lim.max_fields = 16384;
  csv::reader in(bytes, name, lim, false);
  while (in.next())
    for (std::size_t k = 0; k < in.size(); ++k)
      if (!trim(in[k]).empty()) {
        g.cells.push_back(xlsx::cell{static_cast<std::uint32_t>(in.line()), static_cast<std::uint32_t>(k + 1), xlsx::cell_type::text,
                                     static_cast<std::uint32_t>(in[k].size()), g.chars.size(), 0});
        g.chars.append(in[k]);
      }
  g.index();
  return g;
}

grid sheet_grid(xlsx::workbook& wb, std::size_t k) {
  xlsx::sheet s = wb.read_sheet(k);
  grid g;
  g.file = wb.name();
  g.sheet = s.name;
  g.cells = std::move(s.cells);
  g.chars = std::move(s.chars);
  g.merges = std::move(s.merges);
  g.index();
  return g;
}

// Two values for one (region, indicator, month) are an error that names both cells; of all such pairs, the
// one whose later cell comes first in reading order, with the same-key cell just before it. A row of a
// table (a run of cells with one place and row) has one region and period and distinct indicators (two
// columns of one indicator are refused), so only rows sharing (region, month) need a look at their cells:
// sorting the rows instead of the cells keeps this at a few milliseconds for a national sheet.
void check_duplicates(const model& m, const table& t) {
  struct run {
    region_id region;
    int year, month;
    std::size_t first, end;
    auto key() const { return std::tie(region, year, month); }
  };
  std::vector<run> runs;
  for (std::size_t i = 0; i < t.cells.size(); ++i) {
    const cell_value& c = t.cells[i];
    const cell_value* prev = i ? &t.cells[i - 1] : nullptr;
    if (prev && prev->place == c.place && prev->row == c.row && prev->region == c.region) runs.back().end = i + 1;
    else runs.push_back({c.region, c.when.year(), c.when.last_month(), i, i + 1});
  }
  std::stable_sort(runs.begin(), runs.end(), [](const run& a, const run& b) { return a.key() < b.key(); });
  std::size_t later = SIZE_MAX, earlier = 0;
  std::vector<std::pair<indicator_id, std::size_t>> cells;  // of one group of rows, in reading order
  for (std::size_t g = 0; g < runs.size();) {
    std::size_t h = g + 1;
    while (h < runs.size() && runs[h].key() == runs[g].key()) ++h;
    if (h - g > 1) {
      cells.clear();
      for (std::size_t k = g; k < h; ++k)
        for (std::size_t i = runs[k].first; i < runs[k].end; ++i)
          if (t.cells[i].value) cells.emplace_back(t.cells[i].indicator, i);
      std::sort(cells.begin(), cells.end());
      for (std::size_t i = 1; i < cells.size(); ++i)
        if (cells[i].first == cells[i - 1].first && cells[i].second < later) later = cells[i].second, earlier = cells[i - 1].second;
    }
    g = h;
  }
  if (later == SIZE_MAX) return;
  const cell_value& c = t.cells[later];
  throw load_error(location{t.source(c), 0, 0, {}}, fmt::format("({}, {}, {}) is also given at {}", m.regions()[c.region].code,
                                                               c.when.code(), m.indicators()[c.indicator].code, t.source(t.cells[earlier])));
}

// Reads every selected sheet of a workbook, or the one table of a CSV file, through one mapping.
table read_any(const model& m, const std::string& name, std::string_view bytes, bool from_file, const options& opt) {
  mapping mp = mapping::load(opt.map_path, m.indicators());
  const auto names = name_index(m.indicators());
  table t;
  t.file = name;
  finder_cache finders;
  const bool xlsx_ext = name.ends_with(".xlsx") || name.ends_with(".xlsm") || name.ends_with(".XLSX");
  if (xlsx_ext || xlsx::looks_like_zip(bytes)) {
    std::optional<xlsx::workbook> wb;
    if (from_file) wb.emplace(name);
    else wb.emplace(bytes, name);
    const auto& sheets = wb->sheet_names();
    bool found = false;
    for (std::size_t k = 0; k < sheets.size(); ++k) {
      if (!opt.sheet.empty() && sheets[k] != opt.sheet) continue;
      found = true;
      read_grid(m, sheet_grid(*wb, k), opt, mp, names, t, finders);
    }
    if (!found) throw load_error(location{name, 0, 0, {}}, fmt::format("no sheet '{}' (sheets: {})", opt.sheet, join(sheets, ", ")));
  } else {
    read_grid(m, csv_grid(bytes, name), opt, mp, names, t, finders);
  }
  mp.check_all_used();
  check_duplicates(m, t);
  return t;
}

std::string now_utc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string table::source(const cell_value& c) const {
  const std::string& p = places.at(c.place);
  if (!p.empty() && p.back() == '!') return p + xlsx::cell_name(c.row, c.col);
  return c.col ? fmt::format("{}{}:{}", p, c.row, c.col) : fmt::format("{}{}", p, c.row);
}

bool is_workbook(const std::string& path) {
  if (path.ends_with(".xlsx") || path.ends_with(".xlsm") || path.ends_with(".XLSX")) return true;
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  in.read(head, 4);
  return in.gcount() == 4 && xlsx::looks_like_zip(std::string_view(head, 4));
}

table read(const model& m, const std::string& path, const options& opt) {
  if (is_workbook(path)) return read_any(m, path, {}, true, opt);
  if (!is_wide_csv(path))
    throw error(errc::invalid_argument, fmt::format("{}: a long observations CSV (region,period,indicator,value) is not a wide table: "
                                                    "the map, sheet, under and period options are for workbooks and wide CSV", path));
  std::string text = csv::read_file(path);
  return read_any(m, path, text, false, opt);
}

table read_bytes(const model& m, std::string_view bytes, const std::string& name, const options& opt) {
  return read_any(m, name, bytes, false, opt);
}

table read_long_csv(const model& m, const std::string& path) {
  std::string text = csv::read_file(path);
  csv::reader in(text, path);
  in.read_header({"region", "period", "indicator", "value"}, {"qualifier"});
  const int c_reg = in.column("region"), c_per = in.column("period"), c_ind = in.column("indicator"), c_val = in.column("value");
  table t;
  t.file = path;
  t.places.push_back(path + ":");
  while (in.next()) {
    region_id r = m.regions().find(in.get(c_reg));
    if (r == npos) in.fail(c_reg, fmt::format("unknown region '{}'", in.get(c_reg)));
    indicator_id i = m.indicators().find(in.get(c_ind));
    if (i == npos) in.fail(c_ind, fmt::format("unknown indicator '{}'", in.get(c_ind)));
    cell_value c{r, period::month(2000, 1), i, std::nullopt, 0, static_cast<std::uint32_t>(in.line()), 0};
    try {
      c.when = period::parse(in.get(c_per));
      const indicator& ind = m.indicators()[i];
      if (!in.get(c_val).empty())
        c.value = ind.is_date() ? decimal(parse_date(in.get(c_val)), 0) : decimal::parse(in.get(c_val), ind.decimals);
    } catch (const error& e) {
      in.fail(c_val, e.what());
    }
    t.cells.push_back(std::move(c));
  }
  check_duplicates(m, t);
  return t;
}

std::string observations_csv(const model& m, const table& t) {
  std::string o = "region,period,indicator,value\n";
  for (const cell_value& c : t.cells)
    if (c.value)
      o += fmt::format("{},{},{},{}\n", csv::quote(m.regions()[c.region].code), c.when.code(), csv::quote(m.indicators()[c.indicator].code),
                       value_text(m.indicators()[c.indicator], *c.value));
  return o;
}

namespace {

// Where an earlier file gave (region, month, indicator), found again only to name it in an error.
std::string earlier_place(const model& m, const cell_value& c, const std::vector<std::string>& earlier, const options& opt) {
  for (const std::string& f : earlier) {
    try {
      table t = read_observations(m, f, opt);
      for (const cell_value& e : t.cells)
        if (e.value && e.region == c.region && e.indicator == c.indicator && e.when.year() == c.when.year() &&
            e.when.last_month() == c.when.last_month())
          return t.source(e);
    } catch (const error&) {
    }
  }
  return "an earlier load";
}

}  // namespace

void load(model& m, const table& t, const std::vector<std::string>& earlier, const options& opt) {
  std::vector<const cell_value*> by_line;  // line k + 2 of the generated CSV came from by_line[k]
  for (const cell_value& c : t.cells) {
    if (!c.value) continue;
    if (auto old = m.reported(c.region, c.when, c.indicator))
      throw load_error(location{t.source(c), 0, 0, {}},
                       fmt::format("({}, {}, {}) = {} was already loaded from {}; load this file with --revise to replace it",
                                   m.regions()[c.region].code, c.when.code(), m.indicators()[c.indicator].code, old->to_string(),
                                   earlier_place(m, c, earlier, opt)));
    by_line.push_back(&c);
  }
  const std::string text = observations_csv(m, t);
  try {
    m.load_observations_text(text, t.file);
  } catch (const load_error& e) {
    const std::size_t line = e.where().line;
    if (line < 2 || line - 2 >= by_line.size()) throw;
    throw load_error(location{t.source(*by_line[line - 2]), 0, 0, {}}, e.reason(), e.code());
  }
}

bool is_wide_csv(const std::string& path) {
  // The header record alone, read as the CSV reader reads it (quotes removed, a BOM skipped); a header
  // that does not parse is left to the long loader, which says what is wrong with it.
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  try {
    csv::reader r(head, path, {}, false);
    if (!r.next()) return false;
    for (std::size_t k = 0; k < r.size(); ++k) {
      std::string name(r[k]);
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (name == "region" || name == "period" || name == "indicator" || name == "value") return false;
    }
    return true;
  } catch (const error&) {
    return false;
  }
}

table read_observations(const model& m, const std::string& path, const options& opt) {
  return is_workbook(path) || is_wide_csv(path) ? read(m, path, opt) : read_long_csv(m, path);
}

void load_file(model& m, const std::string& path, const std::vector<std::string>& earlier, const options& opt) {
  if (is_workbook(path) || is_wide_csv(path)) return load(m, read(m, path, opt), earlier, opt);
  try {
    m.load_observations(path);
  } catch (const load_error& e) {
    // The fast loader knows only that a value is already in the model; find where it came from.
    if (earlier.empty() || e.where().line == 0) throw;
    std::optional<std::string> first;
    try {
      const table t = read_long_csv(m, path);
      for (const cell_value& c : t.cells)
        if (c.row == e.where().line && c.value && m.reported(c.region, c.when, c.indicator)) first = earlier_place(m, c, earlier, opt);
    } catch (const error&) {
    }
    if (!first) throw;
    throw load_error(e.where(), fmt::format("{}; it was given first at {}", e.reason(), *first), e.code());
  }
}

namespace {

// The value a cell of the table would replace: a month's own value, or a flow's year-to-date through M.
std::optional<decimal> loaded_value(const model& m, const cell_value& c) {
  const indicator& ind = m.indicators()[c.indicator];
  if (ind.kind != indicator_kind::flow || c.when.kind() == period_kind::month) return m.reported(c.region, c.when, c.indicator);
  std::optional<decimal> sum;
  for (int k = 1; k <= c.when.last_month(); ++k)
    if (auto v = m.reported(c.region, period::month(c.when.year(), k), c.indicator)) sum = sum ? *sum + *v : *v;
  return sum;
}

// What set_values would refuse, checked first so the message can name the cell.
void check_revisable(const model& m, const table& t, const cell_value& c) {
  const indicator& ind = m.indicators()[c.indicator];
  const region& r = m.regions()[c.region];
  location at{t.source(c), 0, 0, {}};
  if (ind.kind == indicator_kind::ratio) throw load_error(at, fmt::format("'{}' is a ratio: it is computed, report its parts", ind.code));
  if (!r.at(c.when.serial())) throw load_error(at, fmt::format("region '{}' does not exist in {}", r.code, c.when.code()));
  if (std::string why = below_reporting_level(m.regions(), ind, c.region, c.when.serial()); !why.empty()) throw load_error(at, why);
  if (c.value->sign() < 0 && !ind.allow_negative && ind.kind != indicator_kind::parameter)
    throw load_error(at, fmt::format("negative value {} for '{}', which the catalogue does not allow (signed=no)", c.value->to_string(), ind.code));
}

// Longest common run of bytes, a rough likeness of a header to an indicator name.
std::size_t common_run(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  std::size_t best = 0;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : 0;
      best = std::max(best, cur[j]);
    }
    std::swap(prev, cur);
  }
  return best;
}

// The best guess for a header nothing matched: the indicator sharing the longest run of text (two characters at least).
std::string guess(const catalogue& cat, const std::string& bare) {
  std::size_t best = 5;
  std::string code;
  for (const indicator& ind : cat.items()) {
    std::size_t n = common_run(bare, squeeze(ind.name));
    if (n > best) best = n, code = ind.code;
  }
  return code;
}

}  // namespace

revision_log revise(model& m, const table& t) {
  std::vector<model::value_update> updates;
  std::vector<const cell_value*> clears;
  revision_log log;
  const std::string now = now_utc();
  for (const cell_value& c : t.cells) {
    const std::optional<decimal> old = loaded_value(m, c);
    revision rv{now, m.regions()[c.region].code, c.when.code(), m.indicators()[c.indicator].code, old, c.value, t.source(c)};
    if (c.value) {
      check_revisable(m, t, c);
      if (old && *old == *c.value) continue;
      updates.push_back(model::value_update{c.region, c.when, c.indicator, *c.value});
    } else {
      // A missing cell clears only what it alone covers: a month, or a stock's month end.
      if (!old || (c.when.kind() != period_kind::month && m.indicators()[c.indicator].kind == indicator_kind::flow)) continue;
      clears.push_back(&c);
    }
    log.entries.push_back(std::move(rv));
  }
  try {
    m.set_values(updates);  // all or nothing
  } catch (const error& e) {
    throw error(e.code(), t.file + ": " + e.what());
  }
  for (const cell_value* c : clears) m.clear_value(c->region, c->when, c->indicator);
  return log;
}

std::string revision_log::csv(bool header) const {
  std::string o = header ? "time,region,period,indicator,old,new,source\n" : "";
  for (const revision& r : entries)
    o += fmt::format("{},{},{},{},{},{},{}\n", csv::quote(r.time), csv::quote(r.region), csv::quote(r.period), csv::quote(r.indicator),
                     r.old_value ? r.old_value->to_string() : "", r.new_value ? r.new_value->to_string() : "", csv::quote(r.source));
  return o;
}

revision_log parse_revision_log(std::string_view text, const std::string& file) {
  csv::reader in(text, file);
  in.require_plain_text();
  in.read_header({"time", "region", "period", "indicator", "old", "new", "source"}, {});
  const int c_time = in.column("time"), c_reg = in.column("region"), c_per = in.column("period"), c_ind = in.column("indicator"),
            c_old = in.column("old"), c_new = in.column("new"), c_src = in.column("source");
  auto value = [&](int col) -> std::optional<decimal> {
    if (in.get(col).empty()) return std::nullopt;
    try {
      return decimal::parse(in.get(col));
    } catch (const error& e) {
      in.fail(col, fmt::format("malformed value: {}", e.what()));
    }
  };
  revision_log log;
  while (in.next()) {
    revision r;
    r.time = std::string(in.get(c_time));
    r.region = std::string(in.get(c_reg));
    if (r.region.empty()) in.fail(c_reg, "empty region code");
    r.indicator = std::string(in.get(c_ind));
    if (r.indicator.empty()) in.fail(c_ind, "empty indicator code");
    try {
      r.period = period::parse(in.get(c_per)).code();
    } catch (const error& e) {
      in.fail(c_per, e.what());
    }
    r.old_value = value(c_old);
    r.new_value = value(c_new);
    r.source = std::string(in.get(c_src));
    log.entries.push_back(std::move(r));
  }
  return log;
}

revision_log read_revision_log(const std::string& path) { return parse_revision_log(csv::read_file(path), path); }

void revision_log::append_to(const std::string& path) const {
  std::error_code ec;
  const bool fresh = !std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0;
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (!f) throw error(errc::io, fmt::format("cannot write the revision log '{}'", path));
  const std::string text = csv(fresh);
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) throw error(errc::io, fmt::format("cannot write the revision log '{}'", path));
}

std::string suggest_map(const model& m, const std::string& path, const options& opt) {
  mapping mp = mapping::load(opt.map_path, m.indicators());
  const auto names = name_index(m.indicators());
  grid g;
  if (is_workbook(path)) {
    xlsx::workbook wb(path);
    std::size_t k = 0;
    while (!opt.sheet.empty() && k < wb.sheet_names().size() && wb.sheet_names()[k] != opt.sheet) ++k;
    if (k == wb.sheet_names().size()) throw load_error(location{path, 0, 0, {}}, fmt::format("no sheet '{}'", opt.sheet));
    g = sheet_grid(wb, k);
  } else {
    std::string text = csv::read_file(path);
    g = csv_grid(text, path);
  }
  const std::uint32_t h = find_header_row(g, mp);
  std::uint32_t region_col = 0;
  for (std::uint32_t c = 1; c <= 16384 && !region_col; ++c)
    if (const xlsx::cell* x = g.at(h, c); x && (is_name_label(squeeze(g.text_of(x))) || one_of(std::string_view(squeeze(g.text_of(x))), code_labels)))
      region_col = c;
  const auto texts = header_texts(g, h, header_depth(g, h, region_col));
  std::map<std::string, int> uses;
  for (const auto& [c, raw] : texts) ++uses[join(distinct_parts(raw), "/")];
  std::string o = "column,indicator\n";
  for (const auto& [c, raw] : texts) {
    if (distinct_parts(raw).empty()) continue;
    std::string target;
    column col;
    try {
      col = classify(g, h, c, raw, m.indicators(), names, mp);
      target = col.what == role::indicator ? m.indicators()[col.ind].code
               : col.what == role::region_name ? "region" : col.what == role::region_code ? "region_code" : "-";
    } catch (const load_error&) {
      col.header = join(distinct_parts(raw), "/");
      target = guess(m.indicators(), squeeze(split_unit(distinct_parts(raw).back()).first));
    }
    o += fmt::format("{},{}\n", csv::quote(uses[col.header] > 1 ? xlsx::column_name(c) : col.header), target);
  }
  return o;
}

}  // namespace zhibiao::import
