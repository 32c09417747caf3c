// zhibiao — the 报表: the roll-up as the table a bureau files, one sheet per parent region.
//
// A sheet has a row per child region (code order), the parent as 合计, and the scopes that lie within the
// parent; per indicator a group of columns (本月, 1-M月累计 or 截至M月底, 同比, and where a target exists
// 年度目标, 完成率, 序时进度, 完成情况), and a coverage column where any row is partial. Values come from the
// model's queries and target figures from evaluate()'s findings, so the table never recomputes either.
#pragma once

#include <zhibiao/checks.hpp>
#include <zhibiao/decimal.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/period.hpp>

#include <cstddef>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// What a column of a 报表 holds.
enum class table_column_role : std::uint8_t {
  code,        ///< region or scope code
  name,        ///< region or scope name (合计 rows: 全县合计, 全市合计, 合计)
  monthly,     ///< the month's value (本月)
  cumulative,  ///< 1-M月累计 for a flow, 截至M月底 for a stock, the value for a ratio or parameter
  yoy,         ///< 同比 of the cumulative value: growth in % (1 decimal), for a ratio the change in 个百分点
  target,      ///< the annual target (or cap) of the row's region, from its finding
  completion,  ///< 完成率 (%), from the finding
  progress,    ///< 序时进度 (%), from the finding
  status,      ///< the finding's status in words (快于序时进度, 达标, 超标, …)
  coverage,    ///< leaves reporting the month / leaves expected ("15/16")
  notes        ///< the row's missing values in words (a printed sheet shows no cell notes)
};

/// Name of a column role, for the CSV text of bindings and tests.
std::string_view table_column_role_name(table_column_role r) noexcept;

/// One column: its merged group header, its own header and the decimals of its numbers.
struct table_column {
  table_column_role role = table_column_role::code;
  indicator_id indicator = npos;  ///< npos for code, name and notes
  std::string group;              ///< "城镇新增就业（人）"; empty for code, name and notes
  std::string header;             ///< "本月", "1-7月累计", "截至7月底", "同比增长（%）", "年度目标", …
  int decimals = 0;               ///< number format of the column's numbers
};

/// One cell: a number (exact, at its column's decimals), a text, or empty — with a note saying why.
struct table_cell {
  std::optional<decimal> number;  ///< a numeric cell
  std::string text;               ///< a text cell (code, name, status, coverage, notes)
  std::string note;               ///< why the cell is empty (未报送, 上年同期未报送, …); empty for a not-applicable cell
  bool flagged = false;           ///< a failing target or a value over its cap: marked in the workbook
  /// True for a value that should be there and is not (never a 0).
  bool missing() const noexcept { return !number && text.empty() && !note.empty(); }
};

/// Which kind of row.
enum class table_row_role : std::uint8_t {
  child,  ///< a child region of the sheet's parent
  total,  ///< the parent itself (合计)
  scope   ///< a reporting scope within the parent (海丰县（不含深汕）)
};

/// One row: a child region, the parent as 合计, or a scope; one cell per column.
struct table_row {
  table_row_role role = table_row_role::child;
  region_id region = npos;         ///< npos for a scope row
  std::size_t scope = static_cast<std::size_t>(-1);  ///< index into model::scopes() for a scope row
  std::vector<table_cell> cells;
};

/// One line of the 问题清单: a finding about a region of the sheet, in the words and codes it is printed with.
struct table_problem {
  zhibiao::severity level = severity::info;
  std::string region_code, region_name;
  std::string period;   ///< the finding's period as a Chinese label (2021年1-7月)
  std::string check, subject, status, message;  ///< as in `zhibiao check` (rule name or check kind, status code)
  std::optional<decimal> actual, expected;
  std::string check_zh, status_zh;  ///< the check and the status in words (目标, 慢于序时进度, 不成立, …)
};

/// One sheet of the 报表: the table of one parent region for one period, with its findings.
struct table_sheet {
  region_id parent = npos;
  std::string parent_code;
  zhibiao::period when = period::year(2000);  ///< the year-to-date period 1-M月 the sheet is about
  std::string title;       ///< 海丰县2021年1-7月就业工作主要指标完成情况表
  std::string sheet_name;  ///< the workbook sheet's name: the parent's (the workbook writer makes it unique)
  std::string unit_note;   ///< what the units, 同比 and empty cells mean
  std::vector<table_column> columns;
  std::vector<std::string> keys;  ///< per column, table_column_key (so a sheet is readable without the model)
  std::vector<table_row> rows;
  std::vector<table_problem> problems;  ///< the 问题清单: findings about the sheet's regions (targets on schedule are in the table)
};

/// What goes into a 报表.
struct table_options {
  std::vector<indicator_id> indicators;  ///< the indicator groups in this order; empty: the whole catalogue
  std::optional<zhibiao::level> level;   ///< one sheet per region of this level below the region asked for
  std::string subject = "就业工作";      ///< the title's subject: 海丰县2021年1-7月{subject}主要指标完成情况表
  bool declared_order = false;           ///< children in regions.csv order (the bureau's own) instead of code order
};

/// The period a 报表 is about: a month, 1-M月 or 截至M月底 becomes 1-M月 of its year, a year 1-12月;
/// a quarter or half-year is an invalid_argument error (a 报表 accumulates from January).
period table_period(const period& p);

/// Builds the sheet of one parent region from the model and the findings of evaluate() as of the sheet's month.
table_sheet build_table(const model& m, region_id parent, const period& p, const std::vector<finding>& findings,
                        const table_options& opt = {});

/// The parents a 报表 has sheets for: `region` itself, or every region of `opt.level` below it (code order);
/// `region` npos with a level: every region of that level (a national 报表 of every county).
std::vector<region_id> table_parents(const model& m, region_id region, const period& p, const table_options& opt);

/// Evaluates targets and rules once as of the sheet's month and builds every sheet, handing each to `sink`
/// as soon as it is built (so thousands of sheets never sit in memory at once).
void build_tables(const model& m, region_id region, const period& p, const std::vector<target>& targets,
                  const rule_set* rules, const table_options& opt, const std::function<void(table_sheet&&)>& sink);

/// The sheets of a 报表 in memory (small models, the C ABI, tests).
std::vector<table_sheet> build_tables(const model& m, region_id region, const period& p, const std::vector<target>& targets,
                                      const rule_set* rules, const table_options& opt = {});

/// One sheet as CSV: one header line per level of the merged header (groups, then columns), then the rows;
/// numbers exact at their decimals, empty cells empty. With `keys`, a first header line of machine keys
/// (`code`, `name`, `urban_new_employment:monthly`, …, `notes`) for bindings.
std::string table_csv(const table_sheet& s, bool keys = false);

/// The machine key of a column: `code`, `name`, `notes`, or `<indicator code>:<role>`.
std::string table_column_key(const model& m, const table_column& c);

/// The indicators named in a comma-separated list of codes, in that order (a not_found error names an unknown one).
std::vector<indicator_id> parse_indicator_list(const catalogue& cat, std::string_view codes);

/// Writes sheets as CSV, separated by one empty line.
void write_table_csv(const std::vector<table_sheet>& sheets, std::FILE* out);

/// Streams sheets into one xlsx workbook (libxlsxwriter, constant-memory mode), each sheet followed by its
/// 问题清单; used by write_table_xlsx and for reports of many sheets.
class table_workbook {
 public:
  /// Creates the workbook file at `path` (written on close()); with `one_sheet` the findings sheet is
  /// named 问题清单, otherwise after its sheet (海丰县问题清单).
  explicit table_workbook(const std::string& path, bool one_sheet = false);
  /// Closes an unclosed workbook, discarding errors (call close() to see them).
  ~table_workbook();
  table_workbook(const table_workbook&) = delete;
  table_workbook& operator=(const table_workbook&) = delete;
  /// Adds one sheet and its 问题清单 (the sheet's name is made unique within the workbook).
  void add(const table_sheet& s);
  /// Writes the file; an io error when it cannot be written.
  void close();

 private:
  struct impl;
  impl* p_ = nullptr;
};

/// Writes sheets as one xlsx workbook.
void write_table_xlsx(const std::vector<table_sheet>& sheets, const std::string& path);

/// File formats of the 报表.
enum class table_format : std::uint8_t { xlsx, csv };

/// Builds the 报表 of `region` (every parent of `opt.level` under it) and writes the sheets into one file as
/// they are built: an xlsx workbook in constant-memory mode, or CSV; errc::io when the file cannot be written.
void write_tables(const model& m, region_id region, const period& p, const std::vector<target>& targets, const rule_set* rules,
                  const table_options& opt, table_format format, const std::string& path);

/// The width of a text in spreadsheet columns: a CJK or full-width character counts 2, others 1.
std::size_t display_width(std::string_view utf8) noexcept;

}  // namespace zhibiao
