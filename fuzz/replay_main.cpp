// Replays the fuzz targets over files, without libFuzzer and with any compiler: every target's
// LLVMFuzzerTestOneInput is compiled into this one program (one translation unit, so the heavy headers are
// parsed once), and `fuzz_replay TARGET PATH...` runs TARGET's function over every file of every directory
// given (recursively) or every file given. A path that does not exist is skipped (a target without
// regression files has no regressions directory), but finding no input at all is a failure. CTest runs
// the seed corpus and every crash reproducer of each target this way (fuzz_replay_<target>).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define LLVMFuzzerTestOneInput zb_fuzz_csv
#include "fuzz_csv.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_regions
#include "fuzz_regions.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_indicators
#include "fuzz_indicators.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_observations
#include "fuzz_observations.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_targets
#include "fuzz_targets.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_period
#include "fuzz_period.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_decimal
#include "fuzz_decimal.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_rules
#include "fuzz_rules.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_report
#include "fuzz_report.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_xlsx
#include "fuzz_xlsx.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput zb_fuzz_revisions
#include "fuzz_revisions.cpp"
#undef LLVMFuzzerTestOneInput

namespace {

struct fuzz_entry {
  const char* name;
  int (*run)(const std::uint8_t*, std::size_t);
};
constexpr fuzz_entry targets[] = {{"csv", zb_fuzz_csv},         {"regions", zb_fuzz_regions}, {"indicators", zb_fuzz_indicators},
                              {"observations", zb_fuzz_observations}, {"targets", zb_fuzz_targets}, {"period", zb_fuzz_period},
                              {"decimal", zb_fuzz_decimal}, {"rules", zb_fuzz_rules},     {"report", zb_fuzz_report},
                              {"xlsx", zb_fuzz_xlsx},       {"revisions", zb_fuzz_revisions}};

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const fuzz_entry* t = nullptr;
  for (const fuzz_entry& x : targets)
    if (argc > 1 && std::strcmp(argv[1], x.name) == 0) t = &x;
  if (!t) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET PATH...  (TARGET: csv regions indicators observations targets period decimal rules report xlsx revisions)\n");
    return 2;
  }
  std::vector<fs::path> files;
  for (int k = 2; k < argc; ++k) {
    fs::path p = argv[k];
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
    } else if (fs::is_regular_file(p)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "replay: skipping %s (not found)\n", argv[k]);
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A copy of exactly `size` bytes on the heap, so an overread is caught under AddressSanitizer.
    std::vector<std::uint8_t> buf(bytes.begin(), bytes.end());
    std::fprintf(stderr, "replay %s %s (%zu bytes)\n", t->name, f.string().c_str(), buf.size());
    t->run(buf.empty() ? nullptr : buf.data(), buf.size());
  }
  std::printf("%s: replayed %zu inputs\n", t->name, files.size());
  return files.empty() ? 1 : 0;
}
