// The 报表 as an xlsx workbook, written with libxlsxwriter in constant-memory mode: each row goes to disk
// when the next one starts, so a workbook of thousands of sheets needs the memory of one row per sheet.
// That mode drops any write to a row already left, so every sheet is written strictly top to bottom,
// including the vertical merges of the header (see write_header).
#include <zhibiao/table.hpp>

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

namespace zhibiao {

namespace {

constexpr lxw_color_t fail_fill = 0xFFC7CE, fail_font = 0x9C0006, header_fill = 0xDDEBF7;
constexpr std::size_t wide_sheet_columns = 24;
constexpr lxw_row_t title_row = 0, note_row = 1, group_row = 2, header_row = 3, first_data_row = 4;

void check(lxw_error e, const std::string& what) {
  if (e != LXW_NO_ERROR) throw error(errc::io, fmt::format("{}: {}", what, lxw_strerror(e)));
}

// An exact decimal as the double Excel stores: the nearest one, through its text (correctly rounded).
double to_double(const decimal& d) { return std::strtod(d.to_string().c_str(), nullptr); }

// A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique within the workbook.
std::string sheet_name(std::string name, const std::string& fallback, std::set<std::string>& taken) {
  for (char& c : name)
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
  auto clip = [](std::string s) {
    std::size_t chars = 0, k = 0;
    for (; k < s.size() && chars < 31; ++chars) {
      auto c = static_cast<unsigned char>(s[k]);
      k += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    return s.substr(0, k);
  };
  name = clip(name.empty() ? fallback : name);
  if (taken.insert(name).second) return name;
  for (int n = 1;; ++n) {
    std::string alt = clip(name + "(" + (n == 1 ? fallback : fallback + "-" + std::to_string(n)) + ")");
    if (taken.insert(alt).second) return alt;
  }
}

}  // namespace

struct table_workbook::impl {
  std::string path;
  bool one_sheet = false;
  lxw_workbook* wb = nullptr;
  std::set<std::string> names;
  // Formats by (decimals or -1 for text, flagged, bold); libxlsxwriter keeps every format until close.
  std::map<std::tuple<int, bool, bool>, lxw_format*> cell_formats;
  lxw_format *title = nullptr, *wide_title = nullptr, *note = nullptr, *header = nullptr, *wrap = nullptr;

  lxw_format* cell(int decimals, bool flagged, bool bold) {
    auto& f = cell_formats[{decimals, flagged, bold}];
    if (f) return f;
    f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (decimals >= 0) {
      format_set_num_format(f, decimals == 0 ? "0" : ("0." + std::string(static_cast<std::size_t>(decimals), '0')).c_str());
      format_set_align(f, LXW_ALIGN_RIGHT);
    }
    if (flagged) {
      format_set_bg_color(f, fail_fill);
      format_set_font_color(f, fail_font);
    }
    if (bold) format_set_bold(f);
    return f;
  }

  void make_formats() {
    title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 16);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
    wide_title = workbook_add_format(wb);
    format_set_bold(wide_title);
    format_set_font_size(wide_title, 16);
    format_set_align(wide_title, LXW_ALIGN_VERTICAL_CENTER);
    note = workbook_add_format(wb);
    format_set_text_wrap(note);
    format_set_align(note, LXW_ALIGN_VERTICAL_TOP);
    header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_border(header, LXW_BORDER_THIN);
    format_set_text_wrap(header);
    format_set_align(header, LXW_ALIGN_CENTER);
    format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(header, header_fill);
    wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_border(wrap, LXW_BORDER_THIN);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  }

  void write_header(lxw_worksheet* ws, const table_sheet& s);
  void write_rows(lxw_worksheet* ws, const table_sheet& s);
  void write_findings(const table_sheet& s, const std::string& name);
};

namespace {

// Column widths fitted to the widest text or number of each column, then widened so that every merged
// group header fits across its columns.
std::vector<double> column_widths(const table_sheet& s) {
  std::vector<double> w(s.columns.size(), 4);
  for (std::size_t c = 0; c < s.columns.size(); ++c) {
    std::size_t best = display_width(s.columns[c].header);
    for (const table_row& r : s.rows) {
      const table_cell& x = r.cells[c];
      best = std::max(best, x.number ? x.number->to_string().size() : display_width(x.text));
    }
    w[c] = std::min<double>(static_cast<double>(best) + 2, s.columns[c].role == table_column_role::notes ? 40 : 30);
  }
  for (std::size_t a = 0; a < s.columns.size();) {
    std::size_t b = a;
    while (b + 1 < s.columns.size() && !s.columns[a].group.empty() && s.columns[b + 1].group == s.columns[a].group &&
           s.columns[b + 1].indicator == s.columns[a].indicator)
      ++b;
    double have = 0, need = static_cast<double>(display_width(s.columns[a].group)) + 2;
    for (std::size_t c = a; c <= b; ++c) have += w[c];
    if (!s.columns[a].group.empty() && have < need)
      for (std::size_t c = a; c <= b; ++c) w[c] += (need - have) / static_cast<double>(b - a + 1);
    a = b + 1;
  }
  return w;
}

}  // namespace

void table_workbook::impl::write_header(lxw_worksheet* ws, const table_sheet& s) {
  const auto last = static_cast<lxw_col_t>(s.columns.size() - 1);
  check(worksheet_set_row(ws, title_row, 30, nullptr), "xlsx title row");
  // Centred over hundreds of columns the title would open off screen: a wide sheet starts it at A1.
  lxw_format* tf = s.columns.size() > wide_sheet_columns ? wide_title : title;
  check(worksheet_merge_range(ws, title_row, 0, title_row, last, s.title.c_str(), tf), "xlsx title");
  check(worksheet_set_row(ws, note_row, 45, nullptr), "xlsx note row");
  check(worksheet_merge_range(ws, note_row, 0, note_row, last, s.unit_note.c_str(), note), "xlsx unit note");
  check(worksheet_set_row(ws, group_row, 30, nullptr), "xlsx header row");
  // Row group_row: the group headers (merged across their columns), then the top cells of the columns that
  // span both header rows. Their merges come last, because a merge writes into the next row and the
  // constant-memory writer then ignores anything more written to this one.
  std::vector<lxw_col_t> tall;
  for (std::size_t a = 0; a < s.columns.size();) {
    std::size_t b = a;
    if (s.columns[a].group.empty()) {
      tall.push_back(static_cast<lxw_col_t>(a));
      check(worksheet_write_string(ws, group_row, static_cast<lxw_col_t>(a), s.columns[a].header.c_str(), header), "xlsx header");
      ++a;
      continue;
    }
    while (b + 1 < s.columns.size() && s.columns[b + 1].group == s.columns[a].group && s.columns[b + 1].indicator == s.columns[a].indicator) ++b;
    if (a == b) check(worksheet_write_string(ws, group_row, static_cast<lxw_col_t>(a), s.columns[a].group.c_str(), header), "xlsx header");
    else check(worksheet_merge_range(ws, group_row, static_cast<lxw_col_t>(a), group_row, static_cast<lxw_col_t>(b),
                                     s.columns[a].group.c_str(), header), "xlsx group header");
    a = b + 1;
  }
  // The first merge moves the writer to header_row; the later ones still register their ranges, and
  // their top cells were written above (the repeated write of each is refused, harmlessly).
  for (lxw_col_t c : tall) worksheet_merge_range(ws, group_row, c, header_row, c, s.columns[c].header.c_str(), header);
  check(worksheet_set_row(ws, header_row, 30, nullptr), "xlsx header row");
  for (std::size_t c = 0; c < s.columns.size(); ++c)
    if (!s.columns[c].group.empty())
      check(worksheet_write_string(ws, header_row, static_cast<lxw_col_t>(c), s.columns[c].header.c_str(), header), "xlsx header");
}

void table_workbook::impl::write_rows(lxw_worksheet* ws, const table_sheet& s) {
  lxw_row_t r = first_data_row;
  for (const table_row& row : s.rows) {
    bool bold = row.role != table_row_role::child;
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      const table_cell& x = row.cells[c];
      const auto col = static_cast<lxw_col_t>(c);
      if (x.number) {
        check(worksheet_write_number(ws, r, col, to_double(*x.number), cell(s.columns[c].decimals, x.flagged, bold)), "xlsx cell");
      } else if (!x.text.empty()) {
        check(worksheet_write_string(ws, r, col, x.text.c_str(), cell(-1, x.flagged, bold)), "xlsx cell");
      } else {
        check(worksheet_write_blank(ws, r, col, cell(s.columns[c].decimals, x.flagged, bold)), "xlsx cell");
        // Comments live outside the row data, so constant-memory mode keeps them (written while on the row).
        if (!x.note.empty()) check(worksheet_write_comment(ws, r, col, x.note.c_str()), "xlsx note");
      }
    }
    ++r;
  }
}

void table_workbook::impl::write_findings(const table_sheet& s, const std::string& name) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
  if (!ws) throw error(errc::io, fmt::format("cannot add sheet '{}' to '{}'", name, path));
  static constexpr const char* heads[] = {"序号", "级别", "地区代码", "地区", "期间", "检查", "对象", "状态", "实际值", "目标或比较值", "说明"};
  static constexpr double widths[] = {6, 6, 15, 12, 18, 22, 24, 14, 12, 14, 80};
  for (lxw_col_t c = 0; c < 11; ++c) check(worksheet_set_column(ws, c, c, widths[c], c == 10 ? wrap : nullptr), "xlsx column");
  check(worksheet_merge_range(ws, 0, 0, 0, 10, (s.title + " 问题清单").c_str(), title), "xlsx title");
  for (lxw_col_t c = 0; c < 11; ++c) check(worksheet_write_string(ws, 1, c, heads[c], header), "xlsx header");
  worksheet_freeze_panes(ws, 2, 0);
  check(worksheet_repeat_rows(ws, 1, 1), "xlsx print titles");
  worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  lxw_row_t r = 2;
  lxw_format* text = cell(-1, false, false);
  for (const table_problem& f : s.problems) {
    const char* level = f.level == severity::error ? "错误" : f.level == severity::warning ? "警告" : "提示";
    check(worksheet_write_number(ws, r, 0, static_cast<double>(r - 1), cell(0, false, false)), "xlsx cell");
    check(worksheet_write_string(ws, r, 1, level, cell(-1, f.level == severity::error, false)), "xlsx cell");
    check(worksheet_write_string(ws, r, 2, f.region_code.c_str(), text), "xlsx cell");
    check(worksheet_write_string(ws, r, 3, f.region_name.c_str(), text), "xlsx cell");
    check(worksheet_write_string(ws, r, 4, f.period.c_str(), text), "xlsx cell");
    check(worksheet_write_string(ws, r, 5, f.check_zh.c_str(), text), "xlsx cell");
    check(worksheet_write_string(ws, r, 6, f.subject.c_str(), text), "xlsx cell");
    check(worksheet_write_string(ws, r, 7, f.status_zh.c_str(), text), "xlsx cell");
    auto num = [&](lxw_col_t c, const std::optional<decimal>& v) {
      if (v) check(worksheet_write_number(ws, r, c, to_double(*v), cell(v->scale(), false, false)), "xlsx cell");
      else check(worksheet_write_blank(ws, r, c, text), "xlsx cell");
    };
    num(8, f.actual);
    num(9, f.expected);
    check(worksheet_write_string(ws, r, 10, f.message.c_str(), wrap), "xlsx cell");
    ++r;
  }
  if (s.problems.empty()) check(worksheet_write_string(ws, r, 0, "无", text), "xlsx cell");
}

table_workbook::table_workbook(const std::string& path, bool one_sheet) {
  // libxlsxwriter opens the file only when closing, after every sheet is written: fail before that work.
  if (std::FILE* probe = std::fopen(path.c_str(), "ab")) {
    std::fclose(probe);
  } else {
    throw error(errc::io, fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  }
  p_ = new impl;
  p_->path = path;
  p_->one_sheet = one_sheet;
  lxw_workbook_options o{};
  o.constant_memory = LXW_TRUE;
  o.use_zip64 = LXW_TRUE;  // a national workbook can pass the 4 GB of plain zip
  p_->wb = workbook_new_opt(path.c_str(), &o);
  if (!p_->wb) {
    delete p_;
    throw error(errc::io, fmt::format("cannot create the workbook '{}'", path));
  }
  p_->make_formats();
}

table_workbook::~table_workbook() {
  if (p_ && p_->wb) workbook_close(p_->wb);
  delete p_;
}

void table_workbook::add(const table_sheet& s) {
  if (!p_->wb) throw error(errc::state, "the workbook is closed");
  const std::string& fallback = s.parent_code;
  std::string name = sheet_name(s.sheet_name, fallback, p_->names);
  lxw_worksheet* ws = workbook_add_worksheet(p_->wb, name.c_str());
  if (!ws) throw error(errc::io, fmt::format("cannot add sheet '{}' to '{}'", name, p_->path));
  std::vector<double> w = column_widths(s);
  for (std::size_t c = 0; c < w.size(); ++c)
    check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w[c], nullptr), "xlsx column");
  worksheet_freeze_panes(ws, first_data_row, 2);
  check(worksheet_repeat_rows(ws, group_row, header_row), "xlsx print titles");
  check(worksheet_repeat_columns(ws, 0, 1), "xlsx print titles");
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_center_horizontally(ws);
  p_->write_header(ws, s);
  p_->write_rows(ws, s);
  p_->write_findings(s, p_->one_sheet ? sheet_name("问题清单", "问题清单", p_->names)
                                     : sheet_name(s.sheet_name + "问题清单", fallback + "问题清单", p_->names));
}

void table_workbook::close() {
  if (!p_->wb) return;
  lxw_error e = workbook_close(p_->wb);
  p_->wb = nullptr;
  if (e != LXW_NO_ERROR) throw error(errc::io, fmt::format("cannot write the workbook '{}': {}", p_->path, lxw_strerror(e)));
}

void write_table_xlsx(const std::vector<table_sheet>& sheets, const std::string& path) {
  table_workbook wb(path, sheets.size() == 1);
  for (const table_sheet& s : sheets) wb.add(s);
  wb.close();
}

void write_tables(const model& m, region_id region, const period& p, const std::vector<target>& targets, const rule_set* rules,
                  const table_options& opt, table_format format, const std::string& path) {
  if (format == table_format::xlsx) {
    // Sheets go into the workbook as they are built, so a workbook of many counties is never all in memory.
    table_workbook wb(path, table_parents(m, region, p, opt).size() == 1);
    build_tables(m, region, p, targets, rules, opt, [&](table_sheet&& s) { wb.add(s); });
    wb.close();
    return;
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw error(errc::io, "cannot write '" + path + "'");
  bool first = true, ok = true;
  try {
    build_tables(m, region, p, targets, rules, opt, [&](table_sheet&& s) {
      std::string text = (first ? "" : "\n") + table_csv(s);
      first = false;
      ok = ok && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    });
  } catch (...) {
    std::fclose(f);
    throw;
  }
  if (std::fclose(f) != 0 || !ok) throw error(errc::io, "cannot write '" + path + "'");
}

}  // namespace zhibiao
