// zhibiao — errors with a code and, for input files, the place they happened.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace zhibiao {

/// Error classes; the C ABI returns these numbers as its status codes.
enum class errc : int {
  ok = 0,
  invalid_argument = 1,  ///< a caller passed something unusable (NULL, unknown code, bad option)
  parse = 2,             ///< text that is not a number, period, unit, rule or template
  load = 3,              ///< a bad input file (carries file, line, column)
  overflow = 4,          ///< an exact value does not fit; never wrapped
  unit = 5,              ///< conversion across dimensions
  state = 6,             ///< an operation in the wrong order (query before roll-up)
  not_found = 7,         ///< a region, indicator or value that does not exist
  limit = 8,             ///< a resource limit protecting against hostile input
  io = 9,                ///< a file that cannot be read or written
  rule = 10,             ///< a bad rule or target definition
  internal = 99          ///< a bug in zhibiao itself
};

/// Human name of an error class, for messages and bindings.
constexpr std::string_view errc_name(errc c) noexcept {
  switch (c) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::parse: return "parse";
    case errc::load: return "load";
    case errc::overflow: return "overflow";
    case errc::unit: return "unit";
    case errc::state: return "state";
    case errc::not_found: return "not_found";
    case errc::limit: return "limit";
    case errc::io: return "io";
    case errc::rule: return "rule";
    case errc::internal: return "internal";
  }
  return "unknown";
}

/// Base of every exception zhibiao throws; carries an error class.
class error : public std::runtime_error {
 public:
  /// An error of class `code` with a complete human-readable message. Control bytes quoted from the input
  /// (a NUL, an ESC) are shown as \xNN, so the message survives as a C string and on a terminal.
  error(errc code, const std::string& message) : std::runtime_error(printable(message)), code_(code) {}
  /// The error class.
  errc code() const noexcept { return code_; }

 private:
  static std::string printable(const std::string& m) {
    std::string out;
    for (char ch : m) {
      const auto c = static_cast<unsigned char>(ch);
      if ((c < 0x20 && ch != '\n' && ch != '\t') || c == 0x7F) {
        static constexpr char hex[] = "0123456789ABCDEF";
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += ch;
      }
    }
    return out;
  }
  errc code_;
};

/// Raised when an exact value would not fit its representation.
class overflow_error : public error {
 public:
  /// An overflow described by `message`.
  explicit overflow_error(const std::string& message) : error(errc::overflow, message) {}
};

/// Raised for text that does not parse (numbers, periods, units, rules, templates).
class parse_error : public error {
 public:
  /// A parse failure of `text` because of `reason`; `column` is 1-based, 0 when unknown.
  parse_error(const std::string& text, const std::string& reason, std::size_t column = 0)
      : error(errc::parse, compose(text, reason, column)), text_(text), reason_(reason), column_(column) {}
  /// The text that failed.
  const std::string& text() const noexcept { return text_; }
  /// Why it failed, without the text.
  const std::string& reason() const noexcept { return reason_; }
  /// 1-based column in the text, 0 when not applicable.
  std::size_t column() const noexcept { return column_; }

 private:
  static std::string compose(const std::string& text, const std::string& reason, std::size_t column) {
    std::string m = "'" + text + "': " + reason;
    if (column) m += " (at column " + std::to_string(column) + ")";
    return m;
  }
  std::string text_, reason_;
  std::size_t column_;
};

/// Where in an input file something went wrong.
struct location {
  std::string file;        ///< file name as given by the caller ("<memory>" for text)
  std::size_t line = 0;    ///< 1-based line, 0 for the whole file
  std::size_t column = 0;  ///< 1-based field (CSV column) number, 0 for the whole line
  std::string field;       ///< header name of the column, when known
};

/// Formats a location as `file:line:column (field)`.
inline std::string to_string(const location& at) {
  std::string s = at.file.empty() ? std::string("<input>") : at.file;
  if (at.line) {
    s.push_back(':');
    s.append(std::to_string(at.line));
    if (at.column) {
      s.push_back(':');
      s.append(std::to_string(at.column));
    }
  }
  if (!at.field.empty()) {
    s.append(" (");
    s.append(at.field);
    s.push_back(')');
  }
  return s;
}

/// A bad input file: names file, line, column and field, then the reason.
class load_error : public error {
 public:
  /// An error at `at` because of `reason`; `code` refines the class (load, limit, overflow...).
  load_error(location at, const std::string& reason, errc code = errc::load)
      : error(code, compose(at, reason)), at_(std::move(at)), reason_(reason) {}
  /// The place of the error.
  const location& where() const noexcept { return at_; }
  /// The reason without the place.
  const std::string& reason() const noexcept { return reason_; }

 private:
  static std::string compose(const location& at, const std::string& reason) {
    std::string m = to_string(at);
    m.append(": ");
    m.append(reason);
    return m;
  }
  location at_;
  std::string reason_;
};

}  // namespace zhibiao
