// zhibiao — the one CSV reader behind every file zhibiao reads (RFC 4180, UTF-8, BOM, CRLF).
#pragma once

#include <zhibiao/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao::csv {

/// Bounds that keep a hostile file from making zhibiao allocate without limit.
struct limits {
  std::size_t max_field_bytes = 64 * 1024;                  ///< one field
  std::size_t max_fields = 64;                              ///< fields per record
  std::uint64_t max_file_bytes = 4ull * 1024 * 1024 * 1024;  ///< a whole file
};

/// One field as CSV writes it: quoted (with doubled quotes) only when it holds a comma, quote, line break or
/// tab, or starts or ends with a space — what the reader keeps only inside quotes.
inline std::string quote(std::string_view field) {
  const bool padded = !field.empty() && (field.front() == ' ' || field.back() == ' ');
  if (!padded && field.find_first_of(",\"\n\r\t") == std::string_view::npos) return std::string(field);
  std::string o = "\"";
  for (char ch : field) {
    if (ch == '"') o += '"';
    o += ch;
  }
  return o + '"';
}

/// Reads a whole file into memory; an io error names the path and the reason.
std::string read_file(const std::string& path, const limits& lim = {});

/// A whole file's bytes: memory-mapped when the system allows (no copy), read into memory otherwise.
class file_bytes {
 public:
  /// Opens `path`; an io error names the path and the reason, a limit error a file over the size limit.
  explicit file_bytes(const std::string& path, const limits& lim = {});
  /// Unmaps or frees the bytes.
  ~file_bytes();
  file_bytes(const file_bytes&) = delete;
  file_bytes& operator=(const file_bytes&) = delete;
  /// The bytes, valid while this object lives.
  std::string_view view() const noexcept { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::string copy_;
};

/// Checks that `data` is UTF-8; otherwise throws a load_error at the first bad byte that suggests
/// the likely encoding (GBK/GB18030 exports from Excel are common).
void check_utf8(std::string_view data, const std::string& file);

/// Throws a load_error at the line and (character) column of the first control character in `text` other
/// than tab, CR and LF (a NUL would cut a name short at the C ABI): for rules and templates.
void check_plain_text(std::string_view text, const std::string& file);

/// Streams records from CSV text held in memory. The text must outlive the reader.
class reader {
 public:
  /// Starts reading `data` (file name `file` for messages); skips a UTF-8 BOM and checks the encoding
  /// unless the caller has checked it already (`check_encoding` false).
  reader(std::string_view data, std::string file, limits lim = {}, bool check_encoding = true);

  /// From now on a control character in a field is a load_error at its line and column: every field of
  /// the file is a name or code (a NUL would cut it short at the C ABI); a tab is allowed inside quotes.
  void require_plain_text() noexcept { plain_text_ = true; }
  /// Advances to the next non-blank record; false at the end. Throws load_error on bad quoting.
  bool next();
  /// Number of fields in the current record.
  std::size_t size() const noexcept { return fields_.size(); }
  /// Field i of the current record (quotes removed, unquoted fields trimmed of spaces).
  std::string_view operator[](std::size_t i) const noexcept { return fields_[i]; }
  /// 1-based line where the current record starts.
  std::size_t line() const noexcept { return record_line_; }
  /// The file name given at construction.
  const std::string& file() const noexcept { return file_; }

  /// Reads the header record and maps column names: each of `required` must be present, each of
  /// `optional` may be; any other column is an error (a typo would otherwise be silently ignored).
  void read_header(std::initializer_list<std::string_view> required, std::initializer_list<std::string_view> optional);
  /// Uses the header of another reader (for a reader over a later part of the same file).
  void use_header(const reader& other) { header_ = other.header_; }
  /// The byte offset of the next record in the text given at construction.
  std::size_t offset() const noexcept { return pos_; }
  /// Index of a header column, or -1 when the file does not have it.
  int column(std::string_view name) const noexcept;
  /// Field `name` of the current record, empty when the column is absent or the record short.
  std::string_view get(int column) const noexcept {
    return column >= 0 && static_cast<std::size_t>(column) < fields_.size() ? fields_[column] : std::string_view{};
  }
  /// The location of column `column` (0-based) in the current record, for error messages.
  location at(int column) const;
  /// Throws a load_error at column `column` of the current record.
  [[noreturn]] void fail(int column, const std::string& reason, errc code = errc::load) const;

 private:
  void parse_quoted(std::size_t& p, std::size_t field_start);
  void check_field(std::string_view field, std::size_t line, bool quoted) const;

  std::string_view data_;
  std::string file_;
  limits lim_;
  std::size_t pos_ = 0, line_ = 1, record_line_ = 0;
  bool plain_text_ = false;
  std::vector<std::string_view> fields_;
  std::vector<std::string> header_;
  std::string scratch_;
  std::vector<std::pair<std::size_t, std::size_t>> scratch_spans_;  // (field index, scratch offset)
  std::vector<std::size_t> scratch_lengths_;
};

/// Splits `a+b+c` (or `a;b`, `a b`) into trimmed, non-empty terms.
inline std::vector<std::string_view> split_terms(std::string_view s, std::string_view seps) {
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

/// An upper bound on the number of CSV records in `text`: every record but the last ends at LF, CRLF or CR.
inline std::size_t record_bound(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char ch) { return ch == '\n' || ch == '\r'; })) + 1;
}

/// 1-based character (not byte) column of `byte` within a UTF-8 line, for messages.
inline std::size_t char_column(std::string_view line, std::size_t byte) {
  std::size_t col = 1;
  for (std::size_t k = 0; k < byte && k < line.size(); ++k)
    if ((static_cast<unsigned char>(line[k]) & 0xC0) != 0x80) ++col;
  return col;
}

}  // namespace zhibiao::csv
