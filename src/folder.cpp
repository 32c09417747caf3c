// A model folder found by name: what each file is for is decided by its name, never by its content.
#include <zhibiao/folder.hpp>

#include <zhibiao/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace zhibiao {

namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string optional_file(const fs::path& dir, const char* name) {
  const fs::path p = dir / name;
  return is_file(p) ? p.string() : std::string();
}

std::string required_file(const fs::path& dir, const char* name, const char* what) {
  const fs::path p = dir / name;
  if (!is_file(p)) throw error(errc::io, fmt::format("model folder '{}': {} is missing ({})", dir.string(), name, what));
  return p.string();
}

bool ends_with_any(const std::string& name, std::initializer_list<const char*> suffixes) {
  for (const char* s : suffixes)
    if (name.ends_with(s)) return true;
  return false;
}

// The regular files of `dir` whose name passes `keep`, in name order (byte order, so the same on every
// machine); an absent folder has none.
template <class Keep>
std::vector<std::string> files_in(const fs::path& dir, Keep keep) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with(".") && !name.starts_with("~$") && is_file(e.path()) && keep(name)) out.push_back(e.path().string());
  }
  if (ec) throw error(errc::io, fmt::format("cannot list '{}': {}", dir.string(), ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

model_folder find_model_folder(const std::string& dir) {
  const fs::path d(dir);
  std::error_code ec;
  if (!fs::is_directory(d, ec)) throw error(errc::io, fmt::format("model folder '{}' is not a folder", dir));
  model_folder f;
  f.dir = dir;
  f.regions = required_file(d, "regions.csv", "the regions: code,name,level,parent");
  f.indicators = required_file(d, "indicators.csv", "the indicator catalogue");
  f.scopes = optional_file(d, "scopes.csv");
  f.targets = optional_file(d, "targets.csv");
  f.rules = optional_file(d, "rules.txt");
  f.mapping = optional_file(d, "mapping.csv");
  if (std::string t = optional_file(d, "report.tmpl"); !t.empty()) f.templates.push_back(t);
  else f.templates = files_in(d / "reports", [](const std::string& n) { return n.ends_with(".tmpl"); });
  f.data = files_in(d, [](const std::string& n) { return n.starts_with("observations") && n.ends_with(".csv"); });
  for (std::string& p : files_in(d / "data", [](const std::string& n) { return ends_with_any(n, {".csv", ".xlsx", ".xlsm"}); }))
    f.data.push_back(std::move(p));
  return f;
}

region_id folder_region(const model& m, const std::optional<period>& p) {
  const tree& t = p ? m.regions().at(p->serial()) : m.regions().trees().back();
  region_id root = npos;
  for (std::size_t r = 0; r < t.valid.size(); ++r) {
    if (!t.valid[r] || t.parent[r] != npos) continue;
    if (root != npos) return npos;  // several roots: the folder is about none of them in particular
    root = static_cast<region_id>(r);
  }
  while (root != npos) {
    const auto k = static_cast<std::size_t>(root);
    if (t.child_begin[k + 1] - t.child_begin[k] != 1) break;
    root = t.children[static_cast<std::size_t>(t.child_begin[k])];
  }
  return root;
}

}  // namespace zhibiao
