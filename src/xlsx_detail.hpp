// zhibiao — inside the xlsx reader: a worksheet built from XML events, and the fast scanner that produces
// those events for the common shape of <sheetData>. Either parser drives the same sheet_builder, so a sheet
// means the same whichever read it; the scanner hands anything it does not handle back to expat.
#pragma once

#include <zhibiao/xlsx.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao::xlsx::detail {

/// One attribute of a start tag; `name` without its namespace prefix.
struct attribute {
  std::string_view name, value;
};

/// Builds a sheet's cells and merged ranges from the events of its XML; a cell is built when </c> closes.
class sheet_builder {
 public:
  /// Builds into `out` (whose name labels messages with `book`), resolving shared strings in `shared`.
  sheet_builder(sheet& out, const std::vector<std::string>& shared, const limits& lim, std::string book);
  /// An element opens (`name` without prefix).
  void start(std::string_view name, const attribute* attrs, std::size_t n);
  /// An element closes.
  void end(std::string_view name);
  /// Character data, in one piece or several.
  void text(std::string_view s);
  /// Forgets everything built, so another parser can start the sheet again.
  void reset();

 private:
  enum class kind : std::uint8_t { n, s, str, inline_str, b, e, d, other };
  location here() const;
  location sheet_loc() const;
  [[noreturn]] void fail(const std::string& why, errc code = errc::load) const;
  void start_cell(const attribute* attrs, std::size_t n);
  void start_row(const attribute* attrs, std::size_t n);
  void add_merge(std::string_view ref);
  void finish_cell();
  void push_text(cell& c, std::string_view t);

  sheet& out_;
  const std::vector<std::string>& shared_;
  const limits& lim_;
  std::string book_;
  std::uint32_t row_ = 0, col_ = 0;
  kind type_ = kind::n;
  std::string type_text_, value_, inline_text_;
  bool in_cell_ = false, in_v_ = false, in_is_t_ = false, has_v_ = false, has_f_ = false, in_is_ = false;
  int in_phonetic_ = 0;
};

/// The scanner's signal that the sheet holds something it leaves to expat (which then reads the whole part).
struct unusual {};

/// A hand-written tokenizer for worksheet XML: start, end and empty tags, attributes in either quote,
/// the five entities and character references, UTF-8 text, an XML declaration. Anything else (comments,
/// CDATA, processing instructions, a DOCTYPE, another encoding, any malformed markup) throws `unusual`.
class sheet_scanner {
 public:
  /// Scans into `b`, bounding nesting by `lim.max_depth`; `at` labels a depth error.
  sheet_scanner(sheet_builder& b, const limits& lim, location at);
  /// Scans whole items of `data`; returns the bytes consumed (an item cut by the chunk's end waits for
  /// the next chunk). `last` marks the end of the part, where every byte must have been consumed.
  std::size_t feed(const char* data, std::size_t n, bool last);

 private:
  bool scan_tag(const char*& p, const char* end);
  bool scan_end_tag(const char*& p, const char* end);
  bool scan_text(const char*& p, const char* end, bool last);
  bool scan_declaration(const char*& p, const char* end);
  void push(std::string_view qname);

  sheet_builder& b_;
  const limits& lim_;
  location at_;
  std::vector<std::string> open_;  // qualified names of the open elements; strings reused, not freed
  std::size_t depth_ = 0;
  bool started_ = false, root_done_ = false, any_ = false;
  std::vector<attribute> attrs_;
  std::string decoded_;
};

}  // namespace zhibiao::xlsx::detail
