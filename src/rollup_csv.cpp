// The roll-up CSV writer: rows formatted by worker threads ahead of the one that writes them.
#include <zhibiao/detail/engine_access.hpp>
#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <exception>
#include <future>
#include <thread>

namespace zhibiao {

using namespace detail;

namespace {

// Formats an int64 mantissa with `decimals` decimals into `buf` (no separators); returns the length.
std::size_t format_fixed(std::int64_t mantissa, int decimals, char* buf) noexcept {
  char tmp[32];
  std::size_t n = 0;
  bool neg = mantissa < 0;
  std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(mantissa) : static_cast<std::uint64_t>(mantissa);
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  while (n <= static_cast<std::size_t>(decimals)) tmp[n++] = '0';
  std::size_t k = 0;
  if (neg) buf[k++] = '-';
  for (std::size_t j = n; j-- > 0;) {
    buf[k++] = tmp[j];
    if (decimals > 0 && j == static_cast<std::size_t>(decimals)) buf[k++] = '.';
  }
  return k;
}

// Writes the name of the qualifier of an OR-ed pair of qualifier bits (nothing for none); returns the end.
char* put_qualifier(char* w, unsigned pair) noexcept {
  const std::string_view n = qualifier_name(qualifier_of_bits(pair & 3u));
  std::memcpy(w, n.data(), n.size());
  return w + n.size();
}

}  // namespace

namespace {

// A growable byte buffer written through a raw pointer: the row formatter reserves once per row.
struct chunk {
  std::vector<char> data;
  std::size_t n = 0;
  char* reserve(std::size_t k) {
    if (n + k > data.size()) data.resize(std::max(data.size() * 2, n + k + (1u << 16)));
    return data.data() + n;
  }
};

// Formats the rows of regions [r0, r1) in file order into `o`.
void format_regions(const model& md, std::size_t r0, std::size_t r1, const rollup_filter& f, chunk& o) {
  const catalogue& cat = md.indicators();
  const hierarchy& h = md.regions();
  const std::size_t I = cat.size();
  const std::vector<int> years = md.years();
  for (std::size_t r = r0; r < r1; ++r) {
    const std::string& code = h[static_cast<region_id>(r)].code;
    for (int year : years) {
      const rollup_year* y = engine_access::rollup_block(md, year);
      if (!y) continue;
      for (int m = 1; m <= 12; ++m) {
        if (f.only_period && !f.only_period->contains(period::month(year, m))) continue;
        std::int32_t expected = y->expected[r * 12 + static_cast<std::size_t>(m - 1)];
        if (expected <= 0) continue;
        const int s = period::month_serial(year, m);
        if (f.only_level) {
          const region_version* v = h[static_cast<region_id>(r)].at(s);
          if (!v || v->level != *f.only_level) continue;
        }
        if (f.only_region) {
          const tree& t = h.at(s);
          region_id x = static_cast<region_id>(r);
          while (x != npos && x != *f.only_region) x = t.parent[static_cast<std::size_t>(x)];
          if (x == npos) continue;
        }
        // "code,YYYY-MM," is the same for every indicator of this month.
        char prefix[96];
        std::size_t pn = 0;
        const std::size_t cn = std::min(code.size(), sizeof prefix - 10);
        std::memcpy(prefix, code.data(), cn);
        pn = cn;
        const char ptxt[9] = {',', static_cast<char>('0' + year / 1000), static_cast<char>('0' + year / 100 % 10),
                              static_cast<char>('0' + year / 10 % 10), static_cast<char>('0' + year % 10), '-',
                              static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), ','};
        std::memcpy(prefix + pn, ptxt, 9);
        pn += 9;
        char etxt[24];
        std::size_t en = format_fixed(expected, 0, etxt);
        const bool long_code = code.size() > cn;
        for (std::size_t i = 0; i < I; ++i) {
          const indicator& ind = cat[static_cast<indicator_id>(i)];
          if (ind.kind == indicator_kind::parameter) continue;
          const std::size_t c = (r * I + i) * 12 + static_cast<std::size_t>(m - 1);
          char* w = o.reserve(code.size() + ind.code.size() + 128);
          char* const w0 = w;
          if (long_code) {
            std::memcpy(w, code.data(), code.size());
            w += code.size();
            std::memcpy(w, ptxt, 9);
            w += 9;
          } else {
            std::memcpy(w, prefix, pn);
            w += pn;
          }
          std::memcpy(w, ind.code.data(), ind.code.size());
          w += ind.code.size();
          *w++ = ',';
          if (y->has[c] & h_monthly) w += format_fixed(y->monthly[c], ind.decimals, w);
          *w++ = ',';
          if (y->has[c] & h_ytd) w += format_fixed(y->ytd[c], ind.decimals, w);
          *w++ = ',';
          w += format_fixed(y->reporting[c], 0, w);
          *w++ = ',';
          if (ind.reported_at) {
            w += format_fixed(y->expected_of(ind, r, m), 0, w);  // its units, not the leaves
          } else {
            std::memcpy(w, etxt, en);
            w += en;
          }
          *w++ = ',';
          w = put_qualifier(w, y->has[c] >> h_q_monthly_shift);
          *w++ = ',';
          w = put_qualifier(w, y->has[c] >> h_q_ytd_shift);
          *w++ = '\n';
          o.n += static_cast<std::size_t>(w - w0);
        }
      }
    }
  }
}

// Writes the header and every row. Large outputs are cut into chunks of regions formatted by worker
// threads a few chunks ahead while this thread writes the finished ones in order, so formatting overlaps
// the writing and memory stays bounded by the chunks in flight.
template <class Sink>
void write_rows(const model& md, const rollup_filter& f, Sink&& sink) {
  static constexpr std::string_view header = "region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier\n";
  sink(header.data(), header.size());
  const std::size_t R = md.regions().size();
  const std::size_t per_region = md.years().size() * 12 * md.indicators().size();
  const std::size_t step = std::max<std::size_t>(1, (std::size_t{1} << 17) / std::max<std::size_t>(per_region, 1));
  const bool parallel = R * per_region > (std::size_t{1} << 18) && std::thread::hardware_concurrency() > 1;
  if (!parallel) {
    chunk a;
    for (std::size_t r = 0; r < R; r += step) {
      a.n = 0;
      format_regions(md, r, std::min(R, r + step), f, a);
      sink(a.data.data(), a.n);
    }
    return;
  }
  constexpr std::size_t ahead = 3;
  std::deque<std::future<chunk>> pending;
  std::size_t next = 0;
  auto launch = [&] {
    std::size_t r0 = next, r1 = std::min(R, next + step);
    next = r1;
    pending.push_back(std::async(std::launch::async, [&md, &f, r0, r1] {
      chunk c;
      format_regions(md, r0, r1, f, c);
      return c;
    }));
  };
  while (next < R && pending.size() < ahead) launch();
  while (!pending.empty()) {
    chunk c = pending.front().get();
    pending.pop_front();
    if (next < R) launch();
    sink(c.data.data(), c.n);
  }
}

}  // namespace

void model::write_csv(std::FILE* out, const rollup_filter& f) const {
  require_rollup();
  write_rows(*this, f, [&](const char* p, std::size_t n) {
    if (n && std::fwrite(p, 1, n, out) != n) throw error(errc::io, "cannot write the roll-up CSV");
  });
}

std::string model::csv(const rollup_filter& f) const {
  require_rollup();
  std::string s;
  write_rows(*this, f, [&](const char* p, std::size_t n) { s.append(p, n); });
  return s;
}

}  // namespace zhibiao
