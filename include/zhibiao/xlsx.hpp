// zhibiao — a small, bounded reader for the cells of .xlsx workbooks (Office Open XML spreadsheets).
//
// Workbooks are untrusted input: every size a file can declare or make zhibiao allocate is bounded
// (zip entries, uncompressed bytes, shared strings, XML depth, cells), and a bound that is hit is an
// errc::limit error. Sheets are parsed as a stream, so memory is bounded by the cells of one sheet.
#pragma once

#include <zhibiao/error.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao::xlsx {

/// Bounds that keep a hostile workbook (a zip bomb, a billion nested elements) from exhausting memory.
struct limits {
  std::size_t max_entries = 10'000;                          ///< files inside the zip archive
  std::uint64_t max_entry_bytes = 1ull << 30;                ///< uncompressed bytes of one file (1 GiB)
  std::uint64_t max_total_bytes = 2ull << 30;                ///< uncompressed bytes read from the whole workbook
  std::size_t max_shared_strings = 4'000'000;                ///< entries in sharedStrings.xml
  std::size_t max_depth = 64;                                ///< XML element nesting
  std::size_t max_cells = 20'000'000;                        ///< cells in one sheet
  std::size_t max_string_bytes = 64 * 1024;                  ///< one cell's or shared string's text
  std::size_t max_sheets = 1'000;                            ///< sheets in the workbook
  std::uint64_t max_text_bytes = 1ull << 30;                 ///< text of all the cells of one sheet (1 GiB)
};

/// What a cell holds.
enum class cell_type : std::uint8_t {
  number,   ///< a binary double (`number`)
  text,     ///< a shared, inline or formula string (`text`)
  boolean,  ///< TRUE / FALSE (`number` is 1 or 0)
  error     ///< an Excel error value such as #DIV/0! (`text`)
};

/// One non-empty cell; rows and columns are 1-based. Its text lives in the sheet's `chars`
/// (sheet::text), so a cell is 32 bytes however long its text: a national sheet has millions.
struct cell {
  std::uint32_t row = 0;
  std::uint32_t col = 0;
  cell_type type = cell_type::number;
  std::uint32_t text_size = 0;  ///< bytes of its text in sheet::chars
  std::uint64_t text_at = 0;    ///< where its text starts in sheet::chars
  double number = 0;
};

/// A merged range, inclusive, 1-based.
struct merge_range {
  std::uint32_t first_row, first_col, last_row, last_col;
};

/// The cells and merged ranges of one worksheet.
struct sheet {
  std::string name;                 ///< the sheet's tab name
  std::vector<cell> cells;          ///< in file order (row by row for every writer zhibiao knows)
  std::string chars;                ///< the text of every text or error cell, end to end
  std::vector<merge_range> merges;  ///< merged ranges as declared
  std::uint64_t xml_bytes = 0;      ///< uncompressed size of the sheet's XML, for throughput figures
  bool scanned = false;             ///< true when the fast scanner read it, false when expat did
  /// The text of a text or error cell (empty for numbers and booleans).
  std::string_view text(const cell& c) const noexcept { return std::string_view(chars).substr(c.text_at, c.text_size); }
};

/// Column letters of a 1-based column number: 1 → A, 28 → AB.
std::string column_name(std::uint32_t col);
/// A1 notation of a cell: (8, 2) → B8.
std::string cell_name(std::uint32_t row, std::uint32_t col);
/// Parses column letters (`AB`) into a 1-based column number; 0 when the text is not letters A–XFD.
std::uint32_t parse_column(std::string_view letters) noexcept;

/// True when the bytes start like a zip archive (an .xlsx), so a caller can tell xlsx from CSV.
bool looks_like_zip(std::string_view head) noexcept;

/// Which XML parser reads a worksheet: the fast scanner (falling back to expat for any construct it does not
/// handle: comments, CDATA, a DOCTYPE, other encodings, malformed XML) or expat alone.
enum class sheet_parser : std::uint8_t { fast, expat };

/// Parses one worksheet's XML held in memory (the part a workbook's sheet points to) with the workbook's
/// shared strings; `book` and `sheet_name` label messages; the fast scanner takes `chunk` bytes at a time
/// (small values cut tags and texts across chunks). For tools, tests and fuzzing, which compare the two
/// parsers; workbook::read_sheet streams.
sheet parse_sheet_xml(std::string_view xml, const std::vector<std::string>& shared, const std::string& book,
                      const std::string& sheet_name, const limits& lim = {}, sheet_parser parser = sheet_parser::fast,
                      std::size_t chunk = 1 << 16);

/// An open workbook: its sheet names and shared strings, ready to read sheets one at a time.
class workbook {
 public:
  /// Opens `path`; io errors name the path, malformed or hostile content is a load or limit error naming it.
  explicit workbook(const std::string& path, limits lim = {});
  /// Opens workbook bytes held in memory (they must outlive the workbook); `name` labels messages.
  workbook(std::string_view bytes, std::string name, limits lim = {});
  /// Closes the archive.
  ~workbook();
  workbook(const workbook&) = delete;
  workbook& operator=(const workbook&) = delete;

  /// Sheet tab names in workbook order.
  const std::vector<std::string>& sheet_names() const noexcept;
  /// Reads sheet `index` (0-based, workbook order): its cells and merged ranges.
  sheet read_sheet(std::size_t index);
  /// The name given at opening, used in messages.
  const std::string& name() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> p_;
};

}  // namespace zhibiao::xlsx
