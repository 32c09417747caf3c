// Workbook import throughput: the national-size sheet written by gen_xlsx.py, read by the xlsx reader alone
// and by the whole import (header, regions, exact values), in MB/s of uncompressed sheet XML per CPU second.
#include <zhibiao/model.hpp>
#include <zhibiao/import.hpp>
#include <zhibiao/xlsx.hpp>

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <ctime>
#include <string>

namespace {

// Process CPU seconds: on a shared machine the wall clock measures the neighbours too.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: zhibiao_bench_xlsx DIR [--repeat N]   (DIR from bench/gen_xlsx.py)\n");
    return 2;
  }
  const std::string dir = argv[1];
  int repeat = argc > 3 && std::string(argv[2]) == "--repeat" ? std::stoi(argv[3]) : 3;
  zhibiao::model m;
  m.load_regions(dir + "/regions.csv");
  m.load_indicators(dir + "/indicators.csv");
  double best_read = 1e9, best_import = 1e9, best_load = 1e9;
  std::uint64_t xml = 0;
  std::size_t cells = 0, values = 0;
  for (int k = 0; k < repeat; ++k) {
    double t0 = cpu_now();
    zhibiao::xlsx::workbook wb(dir + "/national.xlsx");
    zhibiao::xlsx::sheet s = wb.read_sheet(0);
    best_read = std::min(best_read, cpu_now() - t0);
    xml = s.xml_bytes;
    cells = s.cells.size();
    t0 = cpu_now();
    zhibiao::import::table t = zhibiao::import::read(m, dir + "/national.xlsx");
    best_import = std::min(best_import, cpu_now() - t0);
    values = t.cells.size();
    zhibiao::model copy = m;
    t0 = cpu_now();
    zhibiao::import::load(copy, t);
    best_load = std::min(best_load, cpu_now() - t0);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double mb = static_cast<double>(xml) / 1e6;
  fmt::print("sheet XML {:.1f} MB uncompressed, {} cells, {} values\n", mb, cells, values);
  fmt::print("xlsx reader (unzip + parse cells)  {:.3f} s  {:.0f} MB/s\n", best_read, mb / best_read);
  fmt::print("import (reader + header + rows)    {:.3f} s  {:.0f} MB/s\n", best_import, mb / best_import);
  fmt::print("load into the model                {:.3f} s\n", best_load);
  fmt::print("peak RSS {} MB; CPU seconds, best of {}\n", ru.ru_maxrss / 1024, repeat);
  return 0;
}
