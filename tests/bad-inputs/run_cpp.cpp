// The bad-input catalogue through the C++ API: every file of manifest.csv must fail to load with its
// error class and message fragment, within a time budget, and the same model must then load the good
// small data (tests/data/small) and answer A 2021-02 new_jobs = 20 (1 of 2 towns reported).
//
//   zhibiao_bad_inputs_cpp CATALOGUE_DIR GENERATED_DIR SMALL_DIR [SECONDS_PER_CASE]
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/import.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace zhibiao;

struct entry {
  std::string file, kind, errc, fragment;
};

// manifest.csv: file,kind,errc,fragment — the fragment is the rest of the line (it may hold commas).
std::vector<entry> read_manifest(const std::string& path) {
  std::ifstream in(path);
  std::vector<entry> out;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (header || line.empty()) {
      header = false;
      continue;
    }
    entry e;
    std::size_t a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    if (c == std::string::npos) {
      std::fprintf(stderr, "manifest: malformed line '%s'\n", line.c_str());
      std::exit(2);
    }
    e.file = line.substr(0, a);
    e.kind = line.substr(a + 1, b - a - 1);
    e.errc = line.substr(b + 1, c - b - 1);
    e.fragment = line.substr(c + 1);
    out.push_back(e);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: zhibiao_bad_inputs_cpp CATALOGUE_DIR GENERATED_DIR SMALL_DIR [SECONDS_PER_CASE]\n");
    return 2;
  }
  const std::string dir = argv[1], gen = argv[2], small = std::string(argv[3]) + "/";
  const double budget = argc > 4 ? std::atof(argv[4]) : 60.0;
  const std::vector<entry> cases = read_manifest(dir + "/manifest.csv");
  int failed = 0;
  for (const entry& e : cases) {
    const std::string path = e.file.rfind("@gen/", 0) == 0 ? gen + "/" + e.file.substr(5) : dir + "/" + e.file;
    const auto t0 = std::chrono::steady_clock::now();
    model m;
    bool regions = false, indicators = false, observations = false;
    std::string got;
    auto load_small = [&] {
      if (!regions) m.load_regions(small + "regions.csv");
      if (!indicators) m.load_indicators(small + "indicators.csv");
      if (!observations) m.load_observations(small + "observations.csv");
      regions = indicators = observations = true;
      m.rollup();
    };
    try {
      if (e.kind == "regions") {
        m.load_regions(path);
      } else if (e.kind == "indicators") {
        m.load_indicators(path);
      } else if (e.kind == "scopes") {
        m.load_regions(small + "regions.csv");
        regions = true;
        m.load_scopes(path);
      } else if (e.kind == "observations") {
        m.load_regions(small + "regions.csv");
        m.load_indicators(small + "indicators.csv");
        regions = indicators = true;
        m.load_observations(path);
      } else if (e.kind == "reported_at_observations") {  // against tests/data/reported_at's catalogue
        m.load_regions(small + "../reported_at/regions.csv");
        m.load_indicators(small + "../reported_at/indicators.csv");
        m.load_observations(path);
      } else if (e.kind == "dates_observations") {  // against tests/data/dates's catalogue (day dates, unit 日期)
        m.load_regions(small + "../dates/regions.csv");
        m.load_indicators(small + "../dates/indicators.csv");
        m.load_observations(path);
      } else if (e.kind == "workbook") {
        m.load_regions(small + "regions.csv");
        m.load_indicators(small + "indicators.csv");
        regions = indicators = true;
        import::load(m, import::read(m, path));
      } else if (e.kind == "targets") {
        load_small();
        (void)parse_targets(csv::read_file(path), path, m);
      } else if (e.kind == "rules") {
        load_small();
        (void)rule_set::parse(csv::read_file(path), path, m.indicators());
      } else if (e.kind == "template") {
        load_small();
        (void)render_report(m, csv::read_file(path), m.regions().require("A"), period::parse("2021-02"), {}, path);
      } else {
        got = "unknown kind '" + e.kind + "' in the manifest";
      }
      if (got.empty()) got = "no error";
    } catch (const error& x) {
      const std::string what = x.what();
      if (std::string(errc_name(x.code())) != e.errc) got = std::string(errc_name(x.code())) + " error: " + what;
      else if (what.find(e.fragment) == std::string::npos) got = "message without the fragment: " + what;
    } catch (const std::exception& x) {
      got = std::string("not a zhibiao::error: ") + x.what();
    }
    // The model is still usable: the good data loads and rolls up, and a hand-known value is right.
    if (got.empty()) {
      try {
        load_small();
        aggregate a = m.value(m.regions().require("A"), period::parse("2021-02"), m.indicators().require("new_jobs"));
        if (!a.value || *a.value != decimal::from_int(20) || a.reporting != 1 || a.expected != 2)
          got = "afterwards A 2021-02 new_jobs is " + (a.value ? a.value->to_string() : std::string("missing"));
      } catch (const std::exception& x) {
        got = std::string("afterwards the good data failed: ") + x.what();
      }
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (got.empty() && s > budget) got = "took " + std::to_string(s) + " s";
    if (!got.empty()) {
      ++failed;
      std::printf("FAIL %s (%s, want %s '%s'): %.300s\n", e.file.c_str(), e.kind.c_str(), e.errc.c_str(), e.fragment.c_str(), got.c_str());
    } else if (s > 1.0) {
      std::printf("ok   %s (%.2f s)\n", e.file.c_str(), s);
    }
  }
  std::printf("%zu bad inputs through the C++ API: %zu passed, %d failed\n", cases.size(), cases.size() - failed, failed);
  return failed ? 1 : 0;
}
