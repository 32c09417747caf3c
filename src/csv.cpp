// The CSV reader: one pass over text in memory, fields as views, quoted fields unescaped aside.
#include <zhibiao/csv.hpp>

#include <fmt/format.h>

#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cstring>
#include <fstream>

namespace zhibiao::csv {

std::string read_file(const std::string& path, const limits& lim) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw error(errc::io, fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::streamoff size = in.tellg();
  if (size < 0) throw error(errc::io, fmt::format("cannot read '{}'", path));
  if (static_cast<std::uint64_t>(size) > lim.max_file_bytes)
    throw error(errc::limit, fmt::format("'{}' is larger than the {} byte limit", path, lim.max_file_bytes));
  std::string data(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (size > 0 && !in.read(data.data(), size)) throw error(errc::io, fmt::format("cannot read '{}'", path));
  return data;
}

file_bytes::file_bytes(const std::string& path, const limits& lim) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw error(errc::io, fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<std::uint64_t>(st.st_size) > lim.max_file_bytes) {
      ::close(fd);
      throw error(errc::limit, fmt::format("'{}' is larger than the {} byte limit", path, lim.max_file_bytes));
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        ::madvise(p, size_, MADV_SEQUENTIAL);
        data_ = static_cast<const char*>(p);
        mapped_ = true;
      }
    }
  }
  ::close(fd);
  if (!mapped_) {
    copy_ = read_file(path, lim);
    data_ = copy_.data();
    size_ = copy_.size();
  }
}

file_bytes::~file_bytes() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

namespace {

// Bytes that end an unquoted field (or are not allowed in one).
constexpr auto special = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = t[static_cast<unsigned char>('"')] = t[static_cast<unsigned char>('\n')] =
      t[static_cast<unsigned char>('\r')] = true;
  return t;
}();

// Length of the valid UTF-8 sequence at p, or 0 when invalid.
std::size_t utf8_sequence(const unsigned char* p, std::size_t n) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;
    if (c == 0xF4 && p[1] > 0x8F) return 0;
    return 4;
  }
  return 0;
}

// True when the bytes read as GBK/GB18030 double-byte text (lead 0x81–0xFE, trail 0x40–0xFE).
bool looks_like_gb18030(std::string_view s) {
  std::size_t pairs = 0;
  for (std::size_t i = 0; i < s.size() && i < (1u << 16);) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c < 0x81 || c > 0xFE || i + 1 >= s.size()) return false;
    auto t = static_cast<unsigned char>(s[i + 1]);
    if (t >= 0x30 && t <= 0x39) {  // GB18030 four-byte form
      i += 4;
      ++pairs;
      continue;
    }
    if (t < 0x40 || t == 0x7F || t > 0xFE) return false;
    i += 2;
    ++pairs;
  }
  return pairs > 0;
}

// Offset of the first control character in `s` (C0, DEL, or a UTF-8 encoded C1 U+0080..U+009F), skipping
// tab when `tab` and CR/LF when `breaks`; npos when there is none.
std::size_t find_control(std::string_view s, bool tab, bool breaks) {
  for (std::size_t k = 0; k < s.size(); ++k) {
    const auto c = static_cast<unsigned char>(s[k]);
    if (c == '\t' && tab) continue;
    if ((c == '\n' || c == '\r') && breaks) continue;
    if (c < 0x20 || c == 0x7F) return k;
    if (c == 0xC2 && k + 1 < s.size()) {
      const auto t = static_cast<unsigned char>(s[k + 1]);
      if (t >= 0x80 && t <= 0x9F) return k;
    }
  }
  return std::string_view::npos;
}

// How a control character is named in a message: U+0000 (NUL) …
std::string control_name(std::string_view s, std::size_t k) {
  static constexpr const char* c0[] = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "TAB", "LF",
                                       "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
                                       "SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
  const auto c = static_cast<unsigned char>(s[k]);
  if (c < 0x20) return fmt::format("U+{:04X} ({})", c, c0[c]);
  if (c == 0x7F) return "U+007F (DEL)";
  return fmt::format("U+{:04X}", static_cast<unsigned char>(s[k + 1]));
}

}  // namespace

void check_plain_text(std::string_view text, const std::string& file) {
  const std::size_t k = find_control(text, true, true);
  if (k == std::string_view::npos) return;
  const std::size_t line_start = text.rfind('\n', k) == std::string_view::npos ? 0 : text.rfind('\n', k) + 1;
  const auto line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(k), '\n')) + 1;
  throw load_error(location{file, line, char_column(text.substr(line_start), k - line_start), {}},
                   fmt::format("control character {} in the text (only tab and line breaks are allowed)", control_name(text, k)));
}

void reader::check_field(std::string_view field, std::size_t line, bool quoted) const {
  const std::size_t k = find_control(field, quoted, false);
  if (k == std::string_view::npos) return;
  location l{file_, line, fields_.size() + 1, {}};
  if (fields_.size() < header_.size()) l.field = header_[fields_.size()];
  throw load_error(l, fmt::format("control character {} in a name or code (only a tab, inside quotes, is allowed)",
                                  control_name(field, k)));
}

void check_utf8(std::string_view data, const std::string& file) {
  auto p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size(), i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    std::size_t len = utf8_sequence(p + i, n - i);
    if (len == 0) {
      // Physical line; CSV column of the record, so commas and newlines inside quotes do not count.
      std::size_t line = 1, column = 1;
      bool quoted = false;
      for (std::size_t k = 0; k < i; ++k) {
        if (p[k] == '\n') {
          ++line;
          if (!quoted) column = 1;
        } else if (p[k] == '"') {
          quoted = !quoted;
        } else if (p[k] == ',' && !quoted) {
          ++column;
        }
      }
      std::string hint = looks_like_gb18030(data)
                             ? "the file looks GBK/GB18030-encoded (a common Excel export); save it as UTF-8, "
                               "e.g. iconv -f GB18030 -t UTF-8"
                             : "save the file as UTF-8";
      throw load_error(location{file, line, column, {}},
                       fmt::format("not valid UTF-8 (byte 0x{:02X}); {}", p[i], hint));
    }
    i += len;
  }
}

reader::reader(std::string_view data, std::string file, limits lim, bool check_encoding)
    : data_(data), file_(std::move(file)), lim_(lim) {
  if (data_.size() > lim_.max_file_bytes)
    throw load_error(location{file_, 0, 0, {}}, "file larger than the size limit", errc::limit);
  if (data_.substr(0, 3) == "\xEF\xBB\xBF") data_.remove_prefix(3);
  if (check_encoding) check_utf8(data_, file_);
}

void reader::parse_quoted(std::size_t& p, std::size_t field_start) {
  // p is just past the opening quote; the unescaped text goes to scratch_.
  std::size_t off = scratch_.size();
  std::size_t start_line = line_;
  for (;;) {
    std::size_t q = data_.find('"', p);
    if (q == std::string_view::npos)
      throw load_error(location{file_, start_line, fields_.size() + 1, {}}, "unterminated quoted field");
    for (std::size_t k = p; k < q; ++k)
      if (data_[k] == '\n') ++line_;
    scratch_.append(data_.substr(p, q - p));
    if (scratch_.size() - off > lim_.max_field_bytes)
      throw load_error(location{file_, start_line, fields_.size() + 1, {}},
                       fmt::format("field longer than {} bytes", lim_.max_field_bytes), errc::limit);
    if (q + 1 < data_.size() && data_[q + 1] == '"') {
      scratch_.push_back('"');
      p = q + 2;
      continue;
    }
    p = q + 1;
    break;
  }
  (void)field_start;
  // Any line break in the field is itself a control character, so the first one found is on start_line.
  if (plain_text_) check_field(std::string_view(scratch_).substr(off), start_line, true);
  scratch_spans_.emplace_back(fields_.size(), off);
  scratch_lengths_.push_back(scratch_.size() - off);
  fields_.emplace_back();
}

bool reader::next() {
  for (;;) {
    fields_.clear();
    scratch_.clear();
    scratch_spans_.clear();
    scratch_lengths_.clear();
    if (pos_ >= data_.size()) return false;
    record_line_ = line_;
    std::size_t p = pos_;
    const std::size_t n = data_.size();
    bool blank = true;
    for (;;) {
      if (fields_.size() >= lim_.max_fields)
        throw load_error(location{file_, record_line_, fields_.size() + 1, {}},
                         fmt::format("more than {} fields in one record", lim_.max_fields), errc::limit);
      std::size_t s = p;
      while (s < n && (data_[s] == ' ' || data_[s] == '\t')) ++s;
      if (s < n && data_[s] == '"') {
        blank = false;
        p = s + 1;
        parse_quoted(p, s);
        while (p < n && (data_[p] == ' ' || data_[p] == '\t')) ++p;
        if (p < n && data_[p] != ',' && data_[p] != '\n' && data_[p] != '\r')
          throw load_error(location{file_, line_, fields_.size(), {}}, "text after a closing quote");
      } else {
        std::size_t e = s;
        // One table look-up per byte: the loop stops only at , " CR LF.
        const char* d = data_.data();
#if defined(__SSE2__)
        // Sixteen bytes at a time while the text lasts: compare against the four special bytes.
        const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
        while (e + 16 <= n) {
          __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + e));
          __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
          int mask = _mm_movemask_epi8(hit);
          if (mask) {
            e += static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
            break;
          }
          e += 16;
        }
#endif
        while (e < n && !special[static_cast<unsigned char>(d[e])]) ++e;
        if (e < n && d[e] == '"')
          throw load_error(location{file_, line_, fields_.size() + 1, {}},
                           "a quote inside an unquoted field (quote the whole field and double the quote)");
        std::size_t end = e;
        while (end > s && (data_[end - 1] == ' ' || data_[end - 1] == '\t')) --end;
        if (end - s > lim_.max_field_bytes)
          throw load_error(location{file_, line_, fields_.size() + 1, {}},
                           fmt::format("field longer than {} bytes", lim_.max_field_bytes), errc::limit);
        if (end > s) blank = false;
        if (plain_text_) check_field(data_.substr(s, end - s), line_, false);
        fields_.push_back(data_.substr(s, end - s));
        p = e;
      }
      if (p < n && data_[p] == ',') {
        blank = false;
        ++p;
        continue;
      }
      // End of record: LF, CRLF, lone CR, or end of data.
      if (p < n && data_[p] == '\r') ++p;
      if (p < n && data_[p] == '\n') ++p;
      ++line_;
      break;
    }
    pos_ = p;
    for (std::size_t k = 0; k < scratch_spans_.size(); ++k)
      fields_[scratch_spans_[k].first] = std::string_view(scratch_).substr(scratch_spans_[k].second, scratch_lengths_[k]);
    if (blank) continue;
    if (!header_.empty() && fields_.size() > header_.size())
      throw load_error(location{file_, record_line_, header_.size() + 1, {}},
                       fmt::format("{} fields but the header has {}", fields_.size(), header_.size()));
    return true;
  }
}

void reader::read_header(std::initializer_list<std::string_view> required,
                         std::initializer_list<std::string_view> optional) {
  if (!next()) throw load_error(location{file_, 1, 0, {}}, "empty file: a header line is required");
  header_.assign(fields_.begin(), fields_.end());
  for (std::size_t i = 0; i < header_.size(); ++i) {
    bool known = false;
    for (auto r : required) known = known || header_[i] == r;
    for (auto o : optional) known = known || header_[i] == o;
    if (!known) {
      std::string expected;
      for (auto r : required) expected += (expected.empty() ? "" : ",") + std::string(r);
      for (auto o : optional) expected += "[," + std::string(o) + "]";
      throw load_error(location{file_, record_line_, i + 1, header_[i]},
                       fmt::format("unknown column '{}' (expected header {})", header_[i], expected));
    }
    for (std::size_t j = 0; j < i; ++j)
      if (header_[j] == header_[i])
        throw load_error(location{file_, record_line_, i + 1, header_[i]}, "column named twice");
  }
  for (auto r : required)
    if (column(r) < 0)
      throw load_error(location{file_, record_line_, 0, std::string(r)},
                       fmt::format("missing required column '{}'", r));
}

int reader::column(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

location reader::at(int column) const {
  location l{file_, record_line_, column >= 0 ? static_cast<std::size_t>(column) + 1 : 0, {}};
  if (column >= 0 && static_cast<std::size_t>(column) < header_.size()) l.field = header_[column];
  return l;
}

void reader::fail(int column, const std::string& reason, errc code) const { throw load_error(at(column), reason, code); }

}  // namespace zhibiao::csv
