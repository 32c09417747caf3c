// The W1 benchmark: times each phase of the national monthly roll-up on files made by
// zhibiao_gen_w1 and prints one summary table.
//
//   zhibiao_bench DIR [--revisions N] [--repeat N] [--no-write]
#include <zhibiao/detail/engine_access.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: zhibiao_bench DIR [--revisions N] [--repeat N] [--no-write]\n");
    return 2;
  }
  std::string dir = argv[1];
  int revisions = 100000, repeat = 5;
  bool write = true;
  for (int k = 2; k < argc; ++k) {
    std::string o = argv[k];
    if (o == "--revisions" && k + 1 < argc) revisions = std::stoi(argv[++k]);
    else if (o == "--repeat" && k + 1 < argc) repeat = std::stoi(argv[++k]);
    else if (o == "--no-write") write = false;
    else {
      std::fprintf(stderr, "unknown option %s\n", o.c_str());
      return 2;
    }
  }
  try {
    zhibiao::model m;
    auto t0 = clock_type::now();
    m.load_regions(dir + "/regions.csv");
    m.load_indicators(dir + "/indicators.csv");
    double t_model = seconds_since(t0);

    t0 = clock_type::now();
    std::string obs_text = zhibiao::csv::read_file(dir + "/observations.csv");
    double t_read = seconds_since(t0);
    t0 = clock_type::now();
    m.load_observations_text(obs_text, dir + "/observations.csv");
    double t_parse = seconds_since(t0);
    const double obs_mb = static_cast<double>(obs_text.size()) / 1e6;
    std::string().swap(obs_text);
    const double rss_after_load = peak_rss_mb();

    // Compute: the full roll-up, repeated; the minimum is the least disturbed run.
    std::vector<double> compute;
    for (int k = 0; k < repeat; ++k) {
      t0 = clock_type::now();
      m.rollup();
      compute.push_back(seconds_since(t0));
    }
    // The floor: one streaming pass that sums every loaded value once.
    std::vector<double> floor;
    std::int64_t checksum = 0;
    for (int k = 0; k < repeat; ++k) {
      t0 = clock_type::now();
      std::int64_t s = 0;
      for (const zhibiao::detail::observation_year& y : zhibiao::detail::engine_access::observation_years(m)) {
        const std::int64_t* v = y.value.data();
        const std::uint8_t* f = y.flags.data();
        const std::size_t n = y.value.size();
        for (std::size_t i = 0; i < n; ++i) s += (f[i] & 1) ? v[i] : 0;
      }
      floor.push_back(seconds_since(t0));
      checksum += s;
    }
    std::sort(compute.begin(), compute.end());
    std::sort(floor.begin(), floor.end());

    // Format alone (to /dev/null), then write the roll-up CSV to a file.
    double t_format = 0;
    if (write) {
      std::FILE* null = std::fopen("/dev/null", "wb");
      t0 = clock_type::now();
      m.write_csv(null);
      t_format = seconds_since(t0);
      std::fclose(null);
    }
    double t_write = 0, out_mb = 0;
    std::size_t out_rows = 0;
    if (write) {
      std::string path = dir + "/rollup.csv";
      std::FILE* f = std::fopen(path.c_str(), "wb");
      if (!f) throw zhibiao::error(zhibiao::errc::io, "cannot write " + path);
      t0 = clock_type::now();
      m.write_csv(f);
      std::fflush(f);
      t_write = seconds_since(t0);
      out_mb = static_cast<double>(std::ftell(f)) / 1e6;
      std::fclose(f);
      std::FILE* g = std::fopen(path.c_str(), "rb");
      std::vector<char> buf(1 << 20);
      std::size_t got;
      while ((got = std::fread(buf.data(), 1, buf.size(), g)) > 0) out_rows += static_cast<std::size_t>(std::count(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got), '\n'));
      std::fclose(g);
      out_rows -= 1;
    }

    // Revisions: random leaf values, each updating every ancestor in place.
    const zhibiao::tree& t = m.regions().trees().back();
    std::vector<zhibiao::region_id> leaves;
    for (std::size_t i = 0; i < t.leaf.size(); ++i)
      if (t.leaf[i]) leaves.push_back(static_cast<zhibiao::region_id>(i));
    std::vector<zhibiao::indicator_id> counts;
    for (std::size_t i = 0; i < m.indicators().size(); ++i)
      if (m.indicators()[static_cast<zhibiao::indicator_id>(i)].kind != zhibiao::indicator_kind::ratio &&
          m.indicators()[static_cast<zhibiao::indicator_id>(i)].decimals == 0)
        counts.push_back(static_cast<zhibiao::indicator_id>(i));
    int year = m.years().empty() ? 2021 : m.years().back();
    std::uint64_t s = 12345;
    auto next = [&] {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      return s >> 33;
    };
    t0 = clock_type::now();
    for (int k = 0; k < revisions; ++k) {
      zhibiao::region_id r = leaves[next() % leaves.size()];
      zhibiao::indicator_id i = counts[next() % counts.size()];
      int month = static_cast<int>(next() % 12) + 1;
      m.set_value(r, zhibiao::period::month(year, month), i, zhibiao::decimal::from_int(static_cast<long long>(next() % 1000)));
    }
    double t_rev = revisions ? seconds_since(t0) / revisions : 0;

    std::size_t cells = 0;
    for (const auto& y : zhibiao::detail::engine_access::observation_years(m)) cells += y.value.size();
    const double grid_mb = static_cast<double>(cells) * 9 / 1e6;
    const double values = static_cast<double>(m.observation_count());
    fmt::print("W1 roll-up benchmark: {} regions ({} leaves), {} indicators, {} values ({:.1f} MB CSV), checksum {}\n",
               m.regions().size(), leaves.size(), m.indicators().size(), m.observation_count(), obs_mb, checksum);
    fmt::print("| phase | seconds | throughput |\n|---|---:|---:|\n");
    fmt::print("| load regions + indicators | {:.3f} | |\n", t_model);
    fmt::print("| read observations file | {:.3f} | {:.0f} MB/s |\n", t_read, obs_mb / t_read);
    fmt::print("| parse + validate observations | {:.3f} | {:.0f} MB/s, {:.1f} M values/s |\n", t_parse, obs_mb / t_parse,
               values / t_parse / 1e6);
    fmt::print("| compute: full roll-up (min of {}) | {:.3f} | median {:.3f} s |\n", repeat, compute.front(), compute[compute.size() / 2]);
    fmt::print("| floor: one pass summing every loaded value (min) | {:.3f} | |\n", floor.front());
    fmt::print("| compute / floor | {:.1f}× | |\n", compute.front() / floor.front());
    if (write) {
      fmt::print("| format roll-up CSV (to /dev/null) | {:.3f} | {:.0f} MB/s, {:.1f} M rows/s |\n", t_format, out_mb / t_format,
                 static_cast<double>(out_rows) / t_format / 1e6);
      fmt::print("| write roll-up CSV to a file | {:.3f} | {:.0f} MB/s, {:.1f} M rows/s ({} rows, {:.0f} MB) |\n", t_write,
                 out_mb / t_write, static_cast<double>(out_rows) / t_write / 1e6, out_rows, out_mb);
    }
    fmt::print("| revise one town value (mean of {}) | {:.2f} µs | |\n", revisions, t_rev * 1e6);
    fmt::print("| peak RSS | {:.0f} MB | after load {:.0f} MB; observation grid {:.0f} MB |\n", peak_rss_mb(), rss_after_load, grid_mb);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zhibiao_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
