// The model folder (zhibiao/folder.hpp): which file is what is decided by its name, the data in name order
// (top level first, then data/), and the region a folder is about.
#include <doctest/doctest.h>

#include <zhibiao/folder.hpp>

#include <filesystem>
#include <fstream>
#include <string>

using namespace zhibiao;
namespace fs = std::filesystem;

namespace {

struct scratch {
  fs::path dir;
  explicit scratch(const std::string& name) : dir(fs::temp_directory_path() / ("zhibiao-folder-" + name)) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string touch(const std::string& rel, const std::string& text = "x\n") const {
    const fs::path p = dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

std::string error_of(const std::string& dir) {
  try {
    find_model_folder(dir);
  } catch (const error& e) {
    return e.what();
  }
  return "";
}

model with_regions(const std::string& csv) {
  model m;
  m.load_regions_text(csv, "regions.csv");
  return m;
}

}  // namespace

TEST_CASE("model folder: files by name, data in name order, top level before data/") {
  scratch s("names");
  const std::string regions = s.touch("regions.csv"), indicators = s.touch("indicators.csv");
  const std::string obs_b = s.touch("observations-b.csv"), obs_a = s.touch("observations.csv");
  const std::string wb = s.touch("data/2021-09.xlsx"), wide = s.touch("data/2021-08.csv");
  s.touch("data/notes.txt");          // neither CSV nor workbook
  s.touch("data/~$2021-09.xlsx");     // Excel's lock file
  s.touch("data/.hidden.csv");
  s.touch("other.csv");               // not observations*
  s.touch("reports/b.tmpl");
  s.touch("reports/a.tmpl");
  const model_folder f = find_model_folder(s.dir.string());
  CHECK(f.regions == regions);
  CHECK(f.indicators == indicators);
  CHECK(f.scopes.empty());
  CHECK(f.targets.empty());
  CHECK(f.mapping.empty());
  CHECK(f.data == std::vector<std::string>{obs_b, obs_a, wide, wb});  // "observations-b" < "observations." in byte order
  CHECK(f.templates == std::vector<std::string>{(s.dir / "reports/a.tmpl").string(), (s.dir / "reports/b.tmpl").string()});
  // report.tmpl at the top wins over reports/.
  const std::string top = s.touch("report.tmpl");
  const std::string mapping = s.touch("mapping.csv");
  const model_folder g = find_model_folder(s.dir.string());
  CHECK(g.templates == std::vector<std::string>{top});
  CHECK(g.mapping == mapping);
}

TEST_CASE("model folder: a missing folder or required file is named") {
  scratch s("missing");
  CHECK(error_of((s.dir / "nope").string()).find("is not a folder") != std::string::npos);
  s.touch("regions.csv");
  const std::string e = error_of(s.dir.string());
  CHECK(e.find("indicators.csv is missing") != std::string::npos);
  CHECK(e.find(s.dir.string()) != std::string::npos);
}

TEST_CASE("model folder: the region it is about") {
  // 汕尾市 has one child, 海丰县, which has two towns: the folder is about 海丰县.
  model one = with_regions("code,name,level,parent\nC,汕尾市,city,\nK,海丰县,county,C\nT1,梅陇镇,town,K\nT2,小漠镇,town,K\n");
  REQUIRE(folder_region(one) != npos);
  CHECK(one.regions()[folder_region(one)].code == "K");
  // A region with no children at all is still the one (a one-town model).
  model lone = with_regions("code,name,level,parent\nC,汕尾市,city,\nK,海丰县,county,C\n");
  CHECK(lone.regions()[folder_region(lone)].code == "K");
  // Two top regions: about none of them.
  model two = with_regions("code,name,level,parent\nA,甲市,city,\nB,乙市,city,\n");
  CHECK(folder_region(two) == npos);
}
