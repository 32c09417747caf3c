// Deterministic generator for workload W1 ("national monthly roll-up"): a tree nation → provinces →
// cities → counties → towns (or the leaves of a real regions CSV), 20 indicators, one year of
// monthly observations for every town with realistic gaps.
//
//   zhibiao_gen_w1 OUT_DIR [--seed N] [--provinces N] [--year Y] [--regions REAL.csv]
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int uniform(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  bool chance(double p) { return static_cast<double>(next() >> 11) / 9007199254740992.0 < p; }
};

struct region_row {
  std::string code, name, level, parent;
  int county;  // index of the county-like group used for "a county misses a month"
};

struct file {
  std::FILE* f;
  explicit file(const std::string& path) : f(std::fopen(path.c_str(), "wb")) {
    if (!f) throw std::runtime_error("cannot write " + path);
    std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  }
  ~file() { std::fclose(f); }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: zhibiao_gen_w1 OUT_DIR [--seed N] [--provinces N] [--year Y] [--regions REAL.csv]\n");
    return 2;
  }
  std::string out = argv[1], real;
  std::uint64_t seed = 1;
  int provinces = 31, year = 2021;
  for (int k = 2; k + 1 < argc; k += 2) {
    std::string o = argv[k];
    if (o == "--seed") seed = std::stoull(argv[k + 1]);
    else if (o == "--provinces") provinces = std::stoi(argv[k + 1]);
    else if (o == "--year") year = std::stoi(argv[k + 1]);
    else if (o == "--regions") real = argv[k + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", o.c_str());
      return 2;
    }
  }
  rng r{seed};
  std::vector<region_row> rows;
  std::vector<std::size_t> towns;  // indices into rows
  int groups = 0;
  if (real.empty()) {
    rows.push_back({"CN", "全国", "nation", "", -1});
    for (int p = 0; p < provinces; ++p) {
      std::string pc = fmt::format("{:02}", 11 + p);
      rows.push_back({pc + "0000000000", fmt::format("省{}", p + 1), "province", "CN", -1});
      int cities = r.uniform(7, 14);
      for (int c = 1; c <= cities; ++c) {
        std::string cc = pc + fmt::format("{:02}", c);
        rows.push_back({cc + "00000000", fmt::format("市{}-{}", p + 1, c), "city", pc + "0000000000", -1});
        int counties = r.uniform(5, 12);
        for (int d = 1; d <= counties; ++d) {
          std::string dc = cc + fmt::format("{:02}", d);
          rows.push_back({dc + "000000", fmt::format("县{}-{}-{}", p + 1, c, d), "county", cc + "00000000", -1});
          int g = groups++;
          int nt = r.uniform(8, 20);
          for (int t = 1; t <= nt; ++t) {
            rows.push_back({dc + fmt::format("{:03}", t) + "000", fmt::format("镇{}-{}-{}-{}", p + 1, c, d, t), "town", dc + "000000", g});
            towns.push_back(rows.size() - 1);
          }
        }
      }
    }
  } else {
    zhibiao::hierarchy h = zhibiao::hierarchy::load(real);
    const zhibiao::tree& t = h.trees().back();
    std::vector<int> group(h.size(), -1);
    for (std::size_t i = 0; i < h.size(); ++i) {
      const auto& v = h[static_cast<zhibiao::region_id>(i)].latest();
      rows.push_back({h[static_cast<zhibiao::region_id>(i)].code, v.name, std::string(zhibiao::level_name(v.level)),
                      v.parent == zhibiao::npos ? "" : h[v.parent].code, -1});
      if (t.leaf[i]) {
        // Leaves missing a month together share a parent (the county, or the city without counties).
        zhibiao::region_id p = t.parent[i];
        if (p != zhibiao::npos && group[static_cast<std::size_t>(p)] < 0) group[static_cast<std::size_t>(p)] = groups++;
        rows.back().county = p == zhibiao::npos ? groups++ : group[static_cast<std::size_t>(p)];
        towns.push_back(i);
      }
    }
  }
  {
    file f(out + "/regions.csv");
    std::fputs("code,name,level,parent\n", f.f);
    for (const auto& x : rows) std::fprintf(f.f, "%s,%s,%s,%s\n", x.code.c_str(), x.name.c_str(), x.level.c_str(), x.parent.c_str());
  }
  // 14 counts (10 flows, 4 stocks), 3 money flows in 元, 3 ratios of two counts each.
  struct ind {
    const char *code, *name, *unit, *kind;
    int decimals;
    const char *num, *den;
  };
  const ind inds[] = {
      {"new_jobs", "城镇新增就业", "人", "flow", 0, "", ""},
      {"reemploy", "城镇失业人员再就业", "人", "flow", 0, "", ""},
      {"hard_emp", "就业困难人员再就业", "人", "flow", 0, "", ""},
      {"training", "职业技能培训", "人次", "flow", 0, "", ""},
      {"train_cert", "培训获证", "人次", "flow", 0, "", ""},
      {"job_fairs", "招聘会", "场", "flow", 0, "", ""},
      {"posts", "提供岗位", "个", "flow", 0, "", ""},
      {"intents", "达成就业意向", "人", "flow", 0, "", ""},
      {"ratings", "评价总数", "条", "flow", 0, "", ""},
      {"good_rat", "好评数", "条", "flow", 0, "", ""},
      {"unemp", "期末登记失业人数", "人", "stock", 0, "", ""},
      {"labour", "期末劳动力", "人", "stock", 0, "", ""},
      {"ins_pen", "养老保险参保人数", "人", "stock", 0, "", ""},
      {"ins_unemp", "失业保险参保人数", "人", "stock", 0, "", ""},
      {"loans", "创业担保贷款", "元", "flow", 2, "", ""},
      {"subsidy", "就业补贴", "元", "flow", 2, "", ""},
      {"benefit", "失业保险金", "元", "flow", 2, "", ""},
      {"unemp_rate", "登记失业率", "1", "ratio", 4, "unemp", "labour"},
      {"good_rate", "好评率", "1", "ratio", 4, "good_rat", "ratings"},
      {"cert_rate", "获证率", "1", "ratio", 4, "train_cert", "training"},
  };
  {
    file f(out + "/indicators.csv");
    std::fputs("code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n", f.f);
    for (const ind& x : inds)
      std::fprintf(f.f, "%s,%s,%s,%s,%d,%s,%s,%s,\n", x.code, x.name, x.unit, x.kind, x.decimals, x.num, x.den,
                   std::strcmp(x.kind, "ratio") == 0 ? "1" : "");
  }
  // Gaps: 0.1% of towns never report; 1% of counties miss one whole month; ~1% more (town, month) pairs.
  std::vector<int> county_missing(static_cast<std::size_t>(groups), 0);
  for (auto& m : county_missing) m = r.chance(0.01) ? r.uniform(1, 12) : 0;
  file f(out + "/observations.csv");
  std::fputs("region,period,indicator,value\n", f.f);
  std::size_t n = 0;
  char line[160];
  for (std::size_t ti : towns) {
    const region_row& t = rows[ti];
    if (r.chance(0.001)) continue;
    std::int64_t stock[4] = {r.uniform(50, 400), r.uniform(8000, 30000), r.uniform(20000, 90000), r.uniform(5000, 40000)};
    for (int m = 1; m <= 12; ++m) {
      if (t.county >= 0 && county_missing[static_cast<std::size_t>(t.county)] == m) continue;
      if (r.chance(0.01)) continue;
      std::int64_t v[17];
      v[0] = r.uniform(0, 400);
      v[1] = r.uniform(0, 150);
      v[2] = r.uniform(0, v[1]);
      v[3] = r.uniform(0, 900);
      v[4] = r.uniform(0, static_cast<int>(v[3]));
      v[5] = r.uniform(0, 6);
      v[6] = r.uniform(0, 3000);
      v[7] = r.uniform(0, 500);
      v[8] = r.uniform(0, 2000);
      v[9] = r.uniform(0, static_cast<int>(v[8]));
      for (int s = 0; s < 4; ++s) {
        stock[s] += r.uniform(-40, 60);
        if (stock[s] < 0) stock[s] = 0;
        v[10 + s] = stock[s];
      }
      v[11] = std::max(v[11], v[10]);
      v[14] = static_cast<std::int64_t>(r.next() % 50000000);  // cents: up to 500 000.00 元
      v[15] = static_cast<std::int64_t>(r.next() % 20000000);
      v[16] = static_cast<std::int64_t>(r.next() % 30000000);
      for (int k = 0; k < 17; ++k) {
        int len = inds[k].decimals == 2
                      ? std::snprintf(line, sizeof line, "%s,%d-%02d,%s,%lld.%02lld\n", t.code.c_str(), year, m, inds[k].code,
                                      static_cast<long long>(v[k] / 100), static_cast<long long>(v[k] % 100))
                      : std::snprintf(line, sizeof line, "%s,%d-%02d,%s,%lld\n", t.code.c_str(), year, m, inds[k].code,
                                      static_cast<long long>(v[k]));
        std::fwrite(line, 1, static_cast<std::size_t>(len), f.f);
        ++n;
      }
    }
  }
  std::fprintf(stderr, "%zu regions (%zu towns), 20 indicators, %zu observations → %s\n", rows.size(), towns.size(), n, out.c_str());
  return 0;
}
