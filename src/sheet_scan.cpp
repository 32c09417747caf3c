// The fast worksheet scanner. It accepts a strict subset of what expat accepts and produces the same
// events for it (names, attribute values, character data after entity and line-end handling), so that a
// sheet it reads means exactly what expat would make of it; everything outside that subset is `unusual`
// and goes to expat, which then gives its own verdict and message.
#include "xlsx_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace zhibiao::xlsx::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

std::string_view local(std::string_view q) {
  auto colon = q.rfind(':');
  return colon == std::string_view::npos ? q : q.substr(colon + 1);
}

// Bytes text may hold as they are: printable ASCII except '&' (an entity) and ']' (perhaps "]]>"), plus tab
// and line feed. Anything else takes the careful path.
struct plain_table {
  bool ok[256] = {};
  constexpr plain_table() {
    for (int c = 0x20; c < 0x80; ++c) ok[c] = c != '&' && c != ']' && c != '<';
    ok[static_cast<int>('\t')] = ok[static_cast<int>('\n')] = true;
  }
};
constexpr plain_table plain{};

void put_utf8(std::string& o, std::uint32_t cp) {
  if (cp < 0x80) {
    o += static_cast<char>(cp);
  } else if (cp < 0x800) {
    o += static_cast<char>(0xC0 | (cp >> 6));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    o += static_cast<char>(0xE0 | (cp >> 12));
    o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    o += static_cast<char>(0xF0 | (cp >> 18));
    o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A code point XML 1.0 allows in a document.
bool xml_char(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Length of the well-formed UTF-8 sequence of an XML character at p (RFC 3629); 0 when it is not one.
std::size_t utf8_length(const unsigned char* p, const unsigned char* end) {
  auto cont = [&](std::size_t k) { return p + k < end && (p[k] & 0xC0) == 0x80; };
  const unsigned char c = p[0];
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)) return 0;  // overlong, surrogate
    if (c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) return 0;                   // U+FFFE, U+FFFF
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)) return 0;
    return 4;
  }
  return 0;
}

// Decodes a reference (`&amp;`, `&#x4E00;`) at p into o; returns its length.
std::size_t decode_reference(const char* p, const char* end, std::string& o) {
  const char* semi = static_cast<const char*>(std::memchr(p, ';', static_cast<std::size_t>(end - p)));
  if (!semi) throw unusual{};
  const std::string_view ref(p + 1, static_cast<std::size_t>(semi - p - 1));
  static constexpr std::pair<std::string_view, char> named[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  for (auto [n, c] : named)
    if (ref == n) {
      o += c;
      return ref.size() + 2;
    }
  if (ref.size() < 2 || ref[0] != '#') throw unusual{};
  const bool hex = ref[1] == 'x';
  const std::string_view digits = ref.substr(hex ? 2 : 1);
  if (digits.empty()) throw unusual{};
  std::uint32_t cp = 0;
  for (char d : digits) {
    std::uint32_t v;
    if (d >= '0' && d <= '9') v = static_cast<std::uint32_t>(d - '0');
    else if (hex && d >= 'a' && d <= 'f') v = static_cast<std::uint32_t>(d - 'a' + 10);
    else if (hex && d >= 'A' && d <= 'F') v = static_cast<std::uint32_t>(d - 'A' + 10);
    else throw unusual{};
    cp = cp * (hex ? 16 : 10) + v;
    if (cp > 0x10FFFF) throw unusual{};
  }
  if (!xml_char(cp)) throw unusual{};
  put_utf8(o, cp);
  return ref.size() + 2;
}

// Character data with references, line ends (CR LF and CR become LF, as expat reports them) and UTF-8 checked.
void decode_text(const char* p, const char* end, std::string& o) {
  o.clear();
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (plain.ok[c]) {
      o += *p++;
    } else if (c == '&') {
      p += decode_reference(p, end, o);
    } else if (c == '\r') {
      o += '\n';
      p += p + 1 < end && p[1] == '\n' ? 2 : 1;
    } else if (c == ']') {
      if (end - p >= 3 && p[1] == ']' && p[2] == '>') throw unusual{};  // not allowed in content
      o += *p++;
    } else if (c >= 0x80) {
      const std::size_t n = utf8_length(reinterpret_cast<const unsigned char*>(p), reinterpret_cast<const unsigned char*>(end));
      if (!n) throw unusual{};
      o.append(p, n);
      p += n;
    } else {
      throw unusual{};  // a control character
    }
  }
}

bool all_space(std::string_view s) {
  for (char c : s)
    if (!is_space(c)) return false;
  return true;
}

// An attribute value the scanner passes on as it stands: printable ASCII without '&' or '<' (expat would
// replace references and turn tabs and line ends into spaces; those values go to expat).
bool plain_value(std::string_view v) {
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x80 || c == '&' || c == '<') return false;
  }
  return true;
}

}  // namespace

sheet_scanner::sheet_scanner(sheet_builder& b, const limits& lim, location at) : b_(b), lim_(lim), at_(std::move(at)) {}

void sheet_scanner::push(std::string_view qname) {
  if (root_done_) throw unusual{};  // a second root element
  if (depth_ + 1 > lim_.max_depth) throw load_error(at_, fmt::format("XML nested deeper than {} elements", lim_.max_depth), errc::limit);
  if (depth_ == open_.size()) open_.emplace_back();
  open_[depth_++].assign(qname);
  any_ = true;
}

// A start or empty-element tag at p ('<' then a name); false when the chunk ends inside it.
bool sheet_scanner::scan_tag(const char*& p, const char* end) {
  const char* q = p + 1;
  if (!name_start(*q)) throw unusual{};
  while (q < end && name_char(*q)) ++q;
  const std::string_view qname(p + 1, static_cast<std::size_t>(q - p - 1));
  attrs_.clear();
  bool empty = false;
  for (;;) {
    const char* before = q;
    while (q < end && is_space(*q)) ++q;
    if (q == end) return false;
    if (*q == '>') {
      ++q;
      break;
    }
    if (*q == '/') {
      if (q + 1 == end) return false;
      if (q[1] != '>') throw unusual{};
      q += 2;
      empty = true;
      break;
    }
    if (q == before || !name_start(*q) || attrs_.size() >= 32) throw unusual{};
    const char* n = q;
    while (q < end && name_char(*q)) ++q;
    const std::string_view aname(n, static_cast<std::size_t>(q - n));
    while (q < end && is_space(*q)) ++q;
    if (q == end) return false;
    if (*q++ != '=') throw unusual{};
    while (q < end && is_space(*q)) ++q;
    if (q == end) return false;
    if (*q != '"' && *q != '\'') throw unusual{};
    const char* v = q + 1;
    q = static_cast<const char*>(std::memchr(v, *q, static_cast<std::size_t>(end - v)));
    if (!q) return false;
    const std::string_view value(v, static_cast<std::size_t>(q - v));
    ++q;
    if (!plain_value(value)) throw unusual{};
    for (const attribute& a : attrs_)
      if (a.name == aname) throw unusual{};  // a repeated attribute
    attrs_.push_back({aname, value});
  }
  for (attribute& a : attrs_) a.name = local(a.name);
  push(qname);
  p = q;
  b_.start(local(qname), attrs_.data(), attrs_.size());
  if (empty) {
    --depth_;
    root_done_ = depth_ == 0;
    b_.end(local(qname));
  }
  return true;
}

// An end tag at p ("</"); it must close the innermost open element.
bool sheet_scanner::scan_end_tag(const char*& p, const char* end) {
  const char* q = p + 2;
  if (q == end) return false;
  if (!name_start(*q)) throw unusual{};
  while (q < end && name_char(*q)) ++q;
  const std::string_view qname(p + 2, static_cast<std::size_t>(q - p - 2));
  while (q < end && is_space(*q)) ++q;
  if (q == end) return false;
  if (*q != '>' || depth_ == 0 || open_[depth_ - 1] != qname) throw unusual{};
  p = q + 1;
  --depth_;
  root_done_ = depth_ == 0;
  b_.end(local(qname));
  return true;
}

// Character data up to the next '<'; false when the chunk ends first (unless it is the last).
bool sheet_scanner::scan_text(const char*& p, const char* end, bool last) {
  const char* lt = static_cast<const char*>(std::memchr(p, '<', static_cast<std::size_t>(end - p)));
  if (!lt && !last) return false;
  if (!lt) lt = end;
  const char* q = p;
  while (q < lt && plain.ok[static_cast<unsigned char>(*q)]) ++q;
  std::string_view text(p, static_cast<std::size_t>(lt - p));
  if (q != lt) {
    decode_text(p, lt, decoded_);
    text = decoded_;
  }
  p = lt;
  if (depth_ == 0) {
    if (!all_space(text)) throw unusual{};  // text outside the root element
    return true;
  }
  b_.text(text);
  return true;
}

// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` in the forms writers use; others go to expat.
bool sheet_scanner::scan_declaration(const char*& p, const char* end) {
  const char* close = nullptr;
  for (const char* q = p; q + 1 < end; ++q)
    if (q[0] == '?' && q[1] == '>') {
      close = q;
      break;
    }
  if (!close) {
    if (end - p > 512) throw unusual{};
    return false;
  }
  std::string_view d(p + 5, static_cast<std::size_t>(close - p - 5));
  auto take = [&](std::string_view key, std::initializer_list<std::string_view> allowed, bool required) {
    std::size_t k = 0;
    while (k < d.size() && is_space(d[k])) ++k;
    if (k == 0 || d.substr(k, key.size()) != key) {
      if (required) throw unusual{};
      return;
    }
    k += key.size();
    if (k + 1 >= d.size() || d[k] != '=' || (d[k + 1] != '"' && d[k + 1] != '\'')) throw unusual{};
    const std::size_t e = d.find(d[k + 1], k + 2);
    if (e == std::string_view::npos) throw unusual{};
    const std::string_view v = d.substr(k + 2, e - k - 2);
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) throw unusual{};
    d.remove_prefix(e + 1);
  };
  take("version", {"1.0"}, true);
  take("encoding", {"UTF-8", "utf-8"}, false);
  take("standalone", {"yes", "no"}, false);
  if (!all_space(d)) throw unusual{};
  p = close + 2;
  return true;
}

std::size_t sheet_scanner::feed(const char* data, std::size_t n, bool last) {
  const char* p = data;
  const char* end = data + n;
  if (!started_) {
    if (n < 6 && !last) return 0;
    if (n >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    if (end - p >= 5 && std::memcmp(p, "<?xml", 5) == 0 && !scan_declaration(p, end)) {
      if (last) throw unusual{};  // a declaration never closed
      return 0;
    }
    started_ = true;
  }
  while (p < end) {
    const char* q = p;
    bool whole;
    if (*q != '<') whole = scan_text(q, end, last);
    else if (q + 1 == end) whole = false;
    else if (q[1] == '/') whole = scan_end_tag(q, end);
    else if (q[1] == '!' || q[1] == '?') throw unusual{};  // comments, CDATA, DOCTYPE, processing instructions
    else whole = scan_tag(q, end);
    if (!whole) break;
    p = q;
  }
  if (last && (p != end || depth_ != 0 || !any_)) throw unusual{};  // cut short, unclosed, or no root
  return static_cast<std::size_t>(p - data);
}

}  // namespace zhibiao::xlsx::detail
