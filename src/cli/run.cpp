// `zhibiao run DIR --period P`: the month's work on a model folder in one command. Everything is loaded,
// rolled up and checked before the first byte is written, and the files are written into a staging
// folder that is moved into place only when all of them were written: a failed run leaves no output.
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/folder.hpp>
#include <zhibiao/html.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/table.hpp>
#include <zhibiao/targets.hpp>

#include "cli.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace zhibiao::cli {

namespace {

namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;

double seconds_since(steady::time_point t0) { return std::chrono::duration<double>(steady::now() - t0).count(); }

// The output folder as given, without a trailing separator (so that its name and parent are right).
fs::path output_folder(const args& a, const std::string& dir, const period& p) {
  fs::path out = a.has("out") ? fs::path(a.get("out")) : fs::path(dir) / "out" / p.code();
  out = out.lexically_normal();
  if (out.filename().empty()) out = out.parent_path();
  return out;
}

// Files written under temporary names in a staging folder beside the output folder, then renamed into
// it together; the staging folder is removed whatever happens.
class staged_output {
 public:
  explicit staged_output(fs::path out) : out_(std::move(out)) {
    const fs::path parent = out_.has_parent_path() ? out_.parent_path() : fs::path(".");
    fs::create_directories(parent);
    const std::string prefix = fmt::format(".{}.partial-", out_.filename().string());
    for (const fs::directory_entry& e : fs::directory_iterator(parent))  // left by a run that was killed
      if (e.path().filename().string().starts_with(prefix)) fs::remove_all(e.path());
    stage_ = parent / fmt::format("{}{}", prefix, ::getpid());
    fs::create_directories(stage_);
  }
  staged_output(const staged_output&) = delete;
  staged_output& operator=(const staged_output&) = delete;
  ~staged_output() {
    std::error_code ec;
    fs::remove_all(stage_, ec);
  }
  /// The temporary path of output file `name`.
  std::string path(const std::string& name) {
    names_.push_back(name);
    return (stage_ / name).string();
  }
  /// Moves every file into the output folder; returns their final paths.
  std::vector<std::string> commit() {
    fs::create_directories(out_);
    std::vector<std::string> done;
    for (const std::string& n : names_) {
      std::error_code ec;
      fs::rename(stage_ / n, out_ / n, ec);
      if (ec) throw error(errc::io, fmt::format("cannot move '{}' into '{}': {}", n, out_.string(), ec.message()));
      done.push_back((out_ / n).string());
    }
    return done;
  }

 private:
  fs::path out_, stage_;
  std::vector<std::string> names_;
};

// What the run loaded, found and checked, for the files and the summary.
struct run_state {
  model m;
  region_id region = npos;
  period p = period::year(2000);
  period as_of = period::year(2000);
  std::vector<target> targets;
  std::optional<rule_set> rules;
  std::vector<finding> findings;
  std::vector<std::string> templates;
};

// The region of the run: --region, else the one the folder is about; it must exist in the period.
region_id run_region(const model& m, const args& a, const period& p) {
  const region_id r = a.has("region") ? m.regions().require(a.get("region")) : folder_region(m, p);
  if (r == npos) throw usage_error("the model folder has several top regions: say which with --region CODE");
  if (!m.regions()[r].at(p.serial()))
    throw error(errc::not_found, fmt::format("region '{}' does not exist in {}", m.regions()[r].code, p.label_zh()));
  return r;
}

// The month the checks are as of: the period's last month — or, for a year or 1-M月, the last month with
// data when that is earlier in the same year (a year's run in September checks September, not a December
// not yet reported). A month, quarter or span is checked at its end, reported or not.
period run_as_of(const model& m, const period& p) {
  const period end = period::month(p.year(), p.last_month());
  if (p.kind() != period_kind::year && p.kind() != period_kind::year_to_date) return end;
  const period data = m.last_month_with_data();
  return data.year() == p.year() && data.serial() < end.serial() ? data : end;
}

void write_rollup(const run_state& s, const std::string& path) {
  rollup_filter f;
  f.only_region = s.region;
  f.only_period = s.p;
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) throw error(errc::io, "cannot write '" + path + "'");
  try {
    s.m.write_csv(out, f);
  } catch (...) {
    std::fclose(out);
    throw;
  }
  if (std::fclose(out) != 0) throw error(errc::io, "cannot write '" + path + "'");
}

// Renders every template as text and as the one-page HTML report; the warnings go to stderr.
std::size_t write_reports(const run_state& s, staged_output& out) {
  std::size_t warnings = 0;
  for (const std::string& path : s.templates) {
    const std::string tmpl = csv::read_file(path);
    csv::check_utf8(tmpl, path);
    const std::string stem = fs::path(path).stem().string();
    report_result text = render_report(s.m, tmpl, s.region, s.p, s.targets, path);
    write_file(out.path(stem + ".txt"), text.text);
    html_report_options opt;
    opt.rules = s.rules ? &*s.rules : nullptr;
    // The page's 报表 and charts are cumulative (1-M月): for a quarter or a span the page covers 1-M月 through
    // its end, while the text report keeps the period asked for.
    const period page = s.p.kind() == period_kind::quarter || s.p.kind() == period_kind::half_year || s.p.kind() == period_kind::span
                            ? table_period(s.as_of)
                            : s.p;
    write_file(out.path(stem + ".html"), html_report(s.m, tmpl, s.region, page, s.targets, opt, path).text);
    for (const std::string& w : text.warnings) fmt::print(stderr, "warning: {}\n", w);
    warnings += text.warnings.size();
  }
  return warnings;
}

// One line on the region's coverage in the month checked: indicators every leaf reported, some, none.
std::string coverage_line(const run_state& s) {
  int complete = 0, partial = 0, none = 0;
  std::string lowest;
  std::int64_t low_reporting = 1, low_expected = 1;  // the lowest share so far, compared exactly
  for (std::size_t i = 0; i < s.m.indicators().size(); ++i) {
    const aggregate v = s.m.value(s.region, s.as_of, static_cast<indicator_id>(i));
    if (v.expected == 0) continue;
    if (v.reporting == v.expected) ++complete;
    else if (v.reporting == 0) ++none;
    else ++partial;
    if (v.reporting > 0 && v.reporting < v.expected &&
        std::int64_t{v.reporting} * low_expected < low_reporting * std::int64_t{v.expected}) {
      low_reporting = v.reporting;
      low_expected = v.expected;
      lowest = fmt::format("{} {}/{}", s.m.indicators()[i].code, v.reporting, v.expected);
    }
  }
  std::string line = fmt::format("{} indicator{} complete, {} partial, {} not reported", complete, complete == 1 ? "" : "s", partial, none);
  if (!lowest.empty()) line += fmt::format(" (lowest: {})", lowest);
  return line;
}

std::string severity_counts(const std::vector<finding>& findings) {
  std::array<int, 3> n{};
  for (const finding& f : findings) ++n[static_cast<std::size_t>(f.level)];
  return fmt::format("{} error, {} warning, {} info", n[static_cast<std::size_t>(severity::error)],
                     n[static_cast<std::size_t>(severity::warning)], n[static_cast<std::size_t>(severity::info)]);
}

// A line of the summary: the phase, what it did, and how long it took, in columns.
void phase_line(std::string_view phase, const std::string& what, std::optional<double> seconds) {
  const std::size_t w = display_width(what);
  fmt::print("  {:<9} {}", phase, what);
  if (seconds) fmt::print("{:>{}}{:6.2f} s", "", w < 60 ? 60 - w : 1, *seconds);
  fmt::print("\n");
}

void print_help() {
  fmt::print(
      "usage: zhibiao run DIR --period PERIOD [--region CODE] [--out OUTDIR] [--fail-on-error] [--quiet]\n"
      "  the month's work on a model folder: load (workbooks under data/ through mapping.csv), roll up, check,\n"
      "  and write into OUTDIR (default DIR/out/PERIOD/):\n"
      "    rollup.csv            the roll-up of the region and below, months within PERIOD\n"
      "    findings.csv, .json   targets, rules and built-in checks as of PERIOD's last month with data\n"
      "    table.xlsx            the 报表 for 1-M月\n"
      "    NAME.txt, NAME.html   each template (report.tmpl or reports/NAME.tmpl) as text and as one HTML page\n"
      "  then a summary on stdout. Nothing is written when anything fails (exit 2): the files are written under\n"
      "  temporary names and moved into OUTDIR together.\n"
      "  DIR                   regions.csv, indicators.csv, optional scopes.csv, targets.csv, rules.txt, mapping.csv,\n"
      "                        report.tmpl or reports/*.tmpl; data: observations*.csv, data/*.csv and data/*.xlsx\n"
      "  --period PERIOD       2021, 2021-09, 2021年1-9月, ...\n"
      "  --region CODE         the region of the report and the 报表 (default: the region the folder is about)\n"
      "  --out OUTDIR          where the files go\n"
      "  --fail-on-error       exit 1 when a finding has severity error (findings cover the whole folder's model)\n"
      "  --quiet               no progress on stderr\n");
}

// Loads, rolls up and checks; prints the phases' lines of the summary.
run_state prepare(args& a, const std::string& dir) {
  run_state s;
  s.p = period::parse(a.need("period"));  // a bad period is said before anything is loaded
  progress pr(a.has("quiet"));
  steady::time_point t0 = steady::now();
  s.m = load_inputs(a, pr);
  const std::size_t files = a.opts.at("observations").size();
  const double load_s = seconds_since(t0);
  pr.step("rolling up");
  t0 = steady::now();
  s.m.rollup();
  const double rollup_s = seconds_since(t0);
  pr.step("checking");
  t0 = steady::now();
  s.region = run_region(s.m, a, s.p);
  s.as_of = run_as_of(s.m, s.p);
  if (a.has("targets")) s.targets = parse_targets(csv::read_file(a.get("targets")), a.get("targets"), s.m);
  if (a.has("rules")) s.rules = rule_set::parse(csv::read_file(a.get("rules")), a.get("rules"), s.m.indicators());
  check_options opt;
  opt.as_of = s.as_of;
  s.findings = evaluate(s.m, s.targets, s.rules ? &*s.rules : nullptr, opt);
  s.templates = find_model_folder(dir).templates;
  if (pr.on) fmt::print(stderr, "\r\x1b[K");
  fmt::print("zhibiao run {}: {} ({}), {}, checked as of {}\n", dir, s.m.regions().name(s.region, s.as_of.serial()),
             s.m.regions()[s.region].code, s.p.label_zh(), s.as_of.code());
  phase_line("load", fmt::format("{} values from {} file{}", s.m.observation_count(), files, files == 1 ? "" : "s"), load_s);
  phase_line("roll-up", fmt::format("{} regions × {} indicators", s.m.regions().size(), s.m.indicators().size()), rollup_s);
  phase_line("coverage", fmt::format("{}: {}", s.as_of.label_zh(), coverage_line(s)), std::nullopt);
  phase_line("check", fmt::format("{} finding{}: {}", s.findings.size(), s.findings.size() == 1 ? "" : "s", severity_counts(s.findings)), seconds_since(t0));
  return s;
}

}  // namespace

int cmd_run(int argc, char** argv) {
  const auto known = {std::string_view("regions"), std::string_view("indicators"), std::string_view("observations"),
                      std::string_view("scopes"), std::string_view("targets"), std::string_view("rules"), std::string_view("period"),
                      std::string_view("region"), std::string_view("out"), std::string_view("fail-on-error")};
  args a = parse_args(argc, argv, 2, known);
  if (a.has("help")) {
    print_help();
    return 0;
  }
  if (a.has("model")) throw usage_error("run takes the model folder as DIR, not --model");
  if (a.positional.size() != 1) throw usage_error("run takes one model folder DIR");
  const std::string dir = a.positional[0];
  a.opts["model"] = {dir};
  use_model_folder(a, known);
  run_state s = prepare(a, dir);

  const steady::time_point t0 = steady::now();
  staged_output out(output_folder(a, dir, s.p));
  write_rollup(s, out.path("rollup.csv"));
  write_file(out.path("findings.csv"), findings_csv(s.m, s.findings));
  write_file(out.path("findings.json"), findings_json(s.m, s.findings));
  write_tables(s.m, s.region, table_period(s.as_of), s.targets, s.rules ? &*s.rules : nullptr, {}, table_format::xlsx,
               out.path("table.xlsx"));
  const std::size_t warnings = write_reports(s, out);
  const std::vector<std::string> written = out.commit();
  phase_line("write", fmt::format("{} files{}", written.size(), warnings ? fmt::format(" ({} report warnings on stderr)", warnings) : ""),
             seconds_since(t0));
  for (const std::string& f : written) fmt::print("    {}\n", f);
  if (a.has("fail-on-error"))
    for (const finding& f : s.findings)
      if (f.level == severity::error) return 1;
  return 0;
}

}  // namespace zhibiao::cli
