// Unit tests for a bureau's rules and targets: read a case, build its model in memory, evaluate the checks,
// match the findings against the expected rows and say what differs. All the matching lives here; the CLI,
// the C ABI and the Python package only translate.
#include <zhibiao/testing.hpp>

#include <zhibiao/csv.hpp>
#include <zhibiao/folder.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <utility>

namespace zhibiao::testing {

namespace {

namespace fs = std::filesystem;

// ---- files ---------------------------------------------------------------------------------

struct text_file {
  std::string text;
  std::string name;  // the path, for error messages
};

std::string join(const std::string& dir, std::string_view file) { return (fs::path(dir) / fs::path(file)).string(); }

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::optional<text_file> read_optional(const std::string& dir, std::string_view file) {
  std::string path = join(dir, file);
  if (!is_file(path)) return std::nullopt;
  return text_file{csv::read_file(path), path};
}

text_file read_required(const std::string& dir, std::string_view file, std::string_view what) {
  std::string path = join(dir, file);
  if (!is_file(path)) throw error(errc::io, fmt::format("'{}' is missing ({})", path, what));
  return text_file{csv::read_file(path), path};
}

void require_dir(const std::string& dir, std::string_view what) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw error(errc::io, fmt::format("{} '{}' is not a folder", what, dir));
}

std::optional<text_file> read_if(const std::string& path) {
  if (path.empty()) return std::nullopt;
  return text_file{csv::read_file(path), path};
}

// The model folder: read once, its observations are not used.
struct model_files {
  text_file regions, indicators;
  std::optional<text_file> scopes, targets, rules;
  std::optional<text_file> report;  // the folder's first template, for cases that assert on the report
};

model_files read_model(const std::string& dir) {
  const model_folder folder = find_model_folder(dir);
  model_files f;
  f.regions = *read_if(folder.regions);
  f.indicators = *read_if(folder.indicators);
  f.scopes = read_if(folder.scopes);
  f.targets = read_if(folder.targets);
  f.rules = read_if(folder.rules);
  if (!folder.templates.empty()) f.report = read_if(folder.templates.front());
  return f;
}

// Regions, indicators and scopes loaded; each case copies it and adds its own values.
model base_model(const model_files& f) {
  model m;
  m.load_regions_text(f.regions.text, f.regions.name);
  m.load_indicators_text(f.indicators.text, f.indicators.name);
  if (f.scopes) m.load_scopes_text(f.scopes->text, f.scopes->name);
  return m;
}

// ---- one case in memory -----------------------------------------------------------------------

// A line of expected_report.txt: a fragment the rendered report must hold (`!fragment`: must not hold).
struct report_fragment {
  std::string text;
  bool present = true;
  location at;
};

// expected_report.txt: one fragment a line; `!` before one that must not appear; # comments, blank lines skipped.
std::vector<report_fragment> parse_report_expect(std::string_view text, const std::string& file) {
  csv::check_utf8(text, file);
  csv::check_plain_text(text, file);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<report_fragment> out;
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t e = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, e - pos);
    ++line_no;
    pos = e + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    report_fragment f{std::string(line), true, location{file, line_no, 0, {}}};
    if (line.front() == '!') {
      f.present = false;
      f.text.erase(0, 1);
      if (f.text.empty()) throw load_error(location{file, line_no, 1, {}}, "'!' needs the text that must not appear after it");
    }
    out.push_back(std::move(f));
  }
  if (out.empty()) throw load_error(location{file, 0, 0, {}}, "no fragment to look for in the report");
  return out;
}

struct case_spec {
  std::string name, description;
  text_file values;
  std::vector<expectation> expectations;
  std::optional<period> as_of;
  bool only_listed = false;
  std::optional<text_file> targets, rules;  // replace the model's
  std::optional<text_file> report_template;  // replaces the model's report.tmpl
  std::vector<report_fragment> report_expect;
  std::string report_region;                // default: the region the model folder is about
  std::optional<period> report_period;      // default: the year (as of December) or 1-M月 of as_of
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}


// expected.csv: check,region,period,status[,subject,actual,expected]
std::vector<expectation> parse_expected(std::string_view text, const std::string& file) {
  csv::reader in(text, file);
  in.require_plain_text();
  in.read_header({"check", "region", "period", "status"}, {"subject", "actual", "expected"});
  const int c_check = in.column("check"), c_reg = in.column("region"), c_per = in.column("period"),
            c_status = in.column("status"), c_sub = in.column("subject"), c_act = in.column("actual"),
            c_exp = in.column("expected");
  auto number = [&](int col) -> std::optional<decimal> {
    std::string_view s = in.get(col);
    if (s.empty()) return std::nullopt;
    try {
      return decimal::parse(s);
    } catch (const error& e) {
      in.fail(col, fmt::format("malformed decimal: {}", e.what()));
    }
  };
  std::vector<expectation> out;
  while (in.next()) {
    expectation e;
    e.at = location{file, in.line(), 0, {}};
    e.check_column = c_check + 1;
    e.region_column = c_reg + 1;
    e.check = std::string(in.get(c_check));
    if (e.check.empty()) in.fail(c_check, "empty check (a rule name, or target, allocation, part_of, parts, share, reconcile)");
    e.region = std::string(in.get(c_reg));
    if (e.region.empty()) in.fail(c_reg, "empty region code");
    e.period_text = std::string(in.get(c_per));
    try {
      e.when = period::parse(e.period_text);
    } catch (const error& x) {
      in.fail(c_per, x.what());
    }
    e.status = std::string(in.get(c_status));
    if (e.status.empty()) in.fail(c_status, "empty status (behind, breached, fail, pass, under_allocated, differs, ...)");
    if (!in.get(c_sub).empty()) e.subject = std::string(in.get(c_sub));
    e.actual = number(c_act);
    e.expected = number(c_exp);
    out.push_back(std::move(e));
  }
  return out;
}

// case.txt: `key: value` lines (description, as_of, only_listed); # comments and blank lines ignored.
void parse_case_txt(std::string_view text, const std::string& file, case_spec& c) {
  csv::check_utf8(text, file);
  csv::check_plain_text(text, file);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string> seen;
  std::size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    std::size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(pos, e - pos);
    ++line_no;
    pos = e + 1;
    std::string_view body = trim(line);
    if (body.empty() || body.front() == '#') continue;
    auto fail = [&](std::size_t byte, const std::string& why) -> void {
      throw load_error(location{file, line_no, csv::char_column(line, byte), {}}, why);
    };
    std::size_t lead = static_cast<std::size_t>(body.data() - line.data());
    std::size_t colon = body.find(':'), wide = body.find("\xEF\xBC\x9A");  // ':' or the full-width '：'
    std::size_t sep_len = 1;
    if (wide != std::string_view::npos && (colon == std::string_view::npos || wide < colon)) {
      colon = wide;
      sep_len = 3;
    }
    if (colon == std::string_view::npos) fail(lead, "expected 'key: value' (description, as_of or only_listed)");
    std::string key(trim(body.substr(0, colon)));
    std::string_view raw = body.substr(colon + sep_len);
    std::string_view value = trim(raw);
    std::size_t value_byte = lead + colon + sep_len + static_cast<std::size_t>(value.data() - raw.data());
    if (value.empty()) value_byte = lead + colon + sep_len;
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) fail(lead, fmt::format("'{}' is given twice", key));
    seen.push_back(key);
    if (key == "description") {
      c.description = std::string(value);
    } else if (key == "as_of") {
      try {
        c.as_of = period::parse(value);
      } catch (const error& x) {
        fail(value_byte, fmt::format("as_of: {}", x.what()));
      }
    } else if (key == "report_region") {
      c.report_region = std::string(value);
    } else if (key == "report_period") {
      try {
        c.report_period = period::parse(value);
      } catch (const error& x) {
        fail(value_byte, fmt::format("report_period: {}", x.what()));
      }
    } else if (key == "only_listed") {
      if (value == "yes" || value == "true") c.only_listed = true;
      else if (value == "no" || value == "false") c.only_listed = false;
      else fail(value_byte, fmt::format("only_listed must be yes or no, not '{}'", value));
    } else {
      fail(lead, fmt::format("unknown key '{}' (expected description, as_of, only_listed, report_region or report_period)", key));
    }
  }
}

case_spec read_case(const std::string& dir) {
  require_dir(dir, "case folder");
  case_spec c;
  c.name = fs::path(dir).lexically_normal().filename().string();
  if (c.name.empty()) c.name = fs::path(dir).lexically_normal().parent_path().filename().string();
  // A misspelt file would otherwise be silently ignored (and the model's targets or rules used instead).
  static constexpr std::string_view known[] = {"values.csv", "expected.csv", "case.txt", "targets.csv", "rules.txt",
                                               "expected_report.txt"};
  std::vector<std::string> unknown;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string n = entry.path().filename().string();
    std::string ext = entry.path().extension().string();
    if ((ext == ".csv" || ext == ".txt") && std::find(std::begin(known), std::end(known), n) == std::end(known)) unknown.push_back(n);
  }
  if (!unknown.empty()) {
    std::sort(unknown.begin(), unknown.end());
    throw error(errc::load, fmt::format("'{}': unknown file '{}' in a case folder (expected values.csv, expected.csv, "
                                        "case.txt, targets.csv, rules.txt, expected_report.txt, report.tmpl)",
                                        dir, unknown.front()));
  }
  c.values = read_required(dir, "values.csv", "the case's values: region,period,indicator,value[,qualifier]");
  text_file expected = read_required(dir, "expected.csv", "the case's expected findings: check,region,period,status[,subject,actual,expected]");
  c.expectations = parse_expected(expected.text, expected.name);
  if (auto t = read_optional(dir, "case.txt")) parse_case_txt(t->text, t->name, c);
  c.targets = read_optional(dir, "targets.csv");
  c.rules = read_optional(dir, "rules.txt");
  c.report_template = read_optional(dir, "report.tmpl");
  if (auto t = read_optional(dir, "expected_report.txt")) c.report_expect = parse_report_expect(t->text, t->name);
  return c;
}

// ---- matching and the diff ----------------------------------------------------------------------

bool same_months(const period& a, const period& b) {
  return a.first_serial() == b.first_serial() && a.serial() == b.serial();
}

std::string without_spaces(std::string_view s) {
  std::string o;
  for (char ch : s)
    if (ch != ' ' && ch != '\t') o += ch;
  return o;
}

// An expected.csv row; trailing empty optional fields are left out.
std::string csv_row(std::vector<std::string> fields) {
  while (fields.size() > 4 && fields.back().empty()) fields.pop_back();
  std::string o;
  for (std::size_t k = 0; k < fields.size(); ++k) o += (k ? "," : "") + csv::quote(fields[k]);
  return o;
}

std::string text_of(const std::optional<decimal>& d) { return d ? d->to_string() : std::string(); }

std::string expectation_row(const expectation& e) {
  return csv_row({e.check, e.region, e.period_text, e.status, e.subject.value_or(""), text_of(e.actual), text_of(e.expected)});
}

std::string finding_row(const model& m, const finding& f) {
  return csv_row({f.check, m.place_code(f.where()), f.when.code(), std::string(status_name(f.status)), f.subject, text_of(f.actual), text_of(f.expected)});
}

std::string source_of(const expectation& e) {
  if (e.at.line == 0) return e.at.file;
  return fmt::format("{}:{}", fs::path(e.at.file).filename().string(), e.at.line);
}

struct resolved {
  const expectation* e;
  place where;  // a region or a scope
  std::string subject;  // without spaces
};

bool matches(const resolved& r, const finding& f) {
  const expectation& e = *r.e;
  if (f.check != e.check || f.where() != r.where || f.status != e.status || !same_months(f.when, e.when)) return false;
  if (e.subject && without_spaces(f.subject) != r.subject) return false;
  if (e.actual && !(f.actual && *f.actual == *e.actual)) return false;
  if (e.expected && !(f.expected && *f.expected == *e.expected)) return false;
  return true;
}

// The findings closest to an unmatched expectation: same check and region, else same check anywhere.
std::string actual_findings(const model& m, const std::vector<finding>& fs, const resolved& r) {
  std::vector<const finding*> near;
  for (const finding& f : fs)
    if (f.check == r.e->check && f.where() == r.where) near.push_back(&f);
  std::string scope = fmt::format("for {} at {}", r.e->check, r.e->region);
  if (near.empty()) {
    for (const finding& f : fs)
      if (f.check == r.e->check) near.push_back(&f);
    scope = fmt::format("for {}", r.e->check);
  }
  const std::string lead = "  actual findings: ";
  if (near.empty()) return lead + "none " + scope + "\n";
  constexpr std::size_t shown = 6;
  std::string o;
  for (std::size_t k = 0; k < near.size() && k < shown; ++k)
    o += (k ? std::string(lead.size(), ' ') : lead) + finding_row(m, *near[k]) + " [" + std::string(severity_name(near[k]->level)) + "]\n";
  if (near.size() > shown) o += std::string(lead.size(), ' ') + fmt::format("… and {} more {}\n", near.size() - shown, scope);
  return o;
}

// Renders the case's (or the model's) template and looks for every fragment of expected_report.txt.
void check_report(const model& m, const model_files& mf, const case_spec& c, const std::vector<target>& targets, case_result& res) {
  const text_file* tmpl = c.report_template ? &*c.report_template : mf.report ? &*mf.report : nullptr;
  if (!tmpl)
    throw error(errc::load, fmt::format("case '{}': expected_report.txt needs a report.tmpl in the case or the model folder", c.name));
  region_id region = c.report_region.empty() ? folder_region(m, res.as_of) : m.regions().find(c.report_region);
  if (region == npos)
    throw error(errc::not_found, c.report_region.empty() ? fmt::format("case '{}': give report_region in case.txt", c.name)
                                                          : fmt::format("case '{}': unknown report_region '{}'", c.name, c.report_region));
  const period& as_of = res.as_of;
  const period p = c.report_period ? *c.report_period
                   : as_of.last_month() == 12 ? period::year(as_of.year())
                                              : period::year_to_date(as_of.year(), as_of.last_month());
  res.report = render_report(m, tmpl->text, region, p, targets, tmpl->name).text;
  bool failed = false;
  for (const report_fragment& f : c.report_expect) {
    if ((res.report.find(f.text) != std::string::npos) == f.present) continue;
    failed = true;
    res.diff += fmt::format("{} the report: {} ({}:{})\n", f.present ? "- expected in" : "+ not expected in", f.text,
                            fs::path(f.at.file).filename().string(), f.at.line);
  }
  if (!failed) return;
  res.passed = false;
  res.diff += fmt::format("  the report ({}, {}):\n", m.regions()[region].code, p.label_zh());
  for (std::size_t pos = 0; pos < res.report.size();) {
    std::size_t e = std::min(res.report.find('\n', pos), res.report.size());
    res.diff += "    " + res.report.substr(pos, e - pos) + "\n";
    pos = e + 1;
  }
}

case_result run_spec(const model& base, const model_files& mf, const case_spec& c) {
  model m = base;
  m.load_observations_text(c.values.text, c.values.name);
  m.rollup();
  const text_file* tf = c.targets ? &*c.targets : mf.targets ? &*mf.targets : nullptr;
  const text_file* rf = c.rules ? &*c.rules : mf.rules ? &*mf.rules : nullptr;
  std::vector<target> targets;
  if (tf) targets = parse_targets(tf->text, tf->name, m);
  std::optional<rule_set> rules;
  if (rf) rules = rule_set::parse(rf->text, rf->name, m.indicators());

  // Every expected row names a known region and check (a typo is bad input, not a failing case).
  std::vector<resolved> want;
  for (const expectation& e : c.expectations) {
    const std::optional<place> r = m.find_place(e.region);
    if (!r)
      throw load_error(location{e.at.file, e.at.line, static_cast<std::size_t>(e.region_column), "region"},
                       fmt::format("unknown region '{}' (nor a scope of scopes.csv)", e.region));
    bool known = parse_builtin_check(e.check).has_value();
    if (rules)
      for (const rule& x : rules->rules()) known = known || x.name == e.check;
    if (!known)
      throw load_error(location{e.at.file, e.at.line, static_cast<std::size_t>(e.check_column), "check"},
                       fmt::format("unknown check '{}' (a rule name{}, or target, allocation, part_of, parts, share, reconcile)",
                                   e.check, rf ? " of " + fs::path(rf->name).filename().string() : std::string()));
    want.push_back({&e, *r, e.subject ? without_spaces(*e.subject) : std::string()});
  }

  check_options opt;
  opt.include_passes = true;
  if (c.as_of) {
    opt.as_of = period::month(c.as_of->year(), c.as_of->last_month());
  } else {
    if (m.observation_count() == 0)
      throw error(errc::state, fmt::format("case '{}': {} has no values, so there is no last month with data; give "
                                           "'as_of: YYYY-MM' in case.txt",
                                           c.name, c.values.name));
    opt.as_of = last_month_with_data(m);
  }

  case_result res;
  res.name = c.name;
  res.description = c.description;
  res.as_of = *opt.as_of;
  res.findings = evaluate(m, targets, rules ? &*rules : nullptr, opt);

  std::vector<bool> covered(res.findings.size(), false);
  std::vector<const resolved*> unmatched;
  for (const resolved& r : want) {
    bool found = false;
    for (std::size_t k = 0; k < res.findings.size(); ++k)
      if (matches(r, res.findings[k])) found = covered[k] = true;
    if (!found) {
      res.missing.push_back(*r.e);
      unmatched.push_back(&r);
    }
  }
  if (!c.only_listed)
    for (std::size_t k = 0; k < res.findings.size(); ++k)
      if (!covered[k] && res.findings[k].level != severity::info) res.unexpected.push_back(res.findings[k]);
  res.passed = res.missing.empty() && res.unexpected.empty();

  for (const resolved* r : unmatched) {
    res.diff += "- expected: " + expectation_row(*r->e) + " (" + source_of(*r->e) + ")\n";
    res.diff += actual_findings(m, res.findings, *r);
  }
  for (const finding& f : res.unexpected)
    res.diff += "+ unexpected: " + finding_row(m, f) + " [" + std::string(severity_name(f.level)) + "] " + f.message + "\n";
  if (!c.report_expect.empty()) check_report(m, mf, c, targets, res);
  return res;
}

std::string xml_escape(std::string_view s, bool attribute) {
  std::string o;
  for (char ch : s) {
    switch (ch) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += attribute ? "&quot;" : "\""; break;
      case '\n': o += attribute ? "&#10;" : "\n"; break;
      case '\r': o += attribute ? "&#13;" : "\r"; break;
      case '\t': o += attribute ? "&#9;" : "\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) o += '?';  // not allowed in XML 1.0
        else o += ch;
    }
  }
  return o;
}

}  // namespace

// ---- public API -----------------------------------------------------------------------------------

case_result run_case(const std::string& model_dir, const std::string& case_dir) {
  model_files mf = read_model(model_dir);
  case_spec c = read_case(case_dir);
  return run_spec(base_model(mf), mf, c);
}

std::vector<case_result> run_cases(const std::string& model_dir, const std::string& cases_dir) {
  model_files mf = read_model(model_dir);
  require_dir(cases_dir, "cases folder");
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(cases_dir)) {
    std::string n = entry.path().filename().string();
    if (entry.is_directory() && !n.empty() && n.front() != '.') dirs.push_back(entry.path());
  }
  if (dirs.empty()) throw error(errc::not_found, fmt::format("cases folder '{}' holds no case folders", cases_dir));
  std::sort(dirs.begin(), dirs.end());
  const model base = base_model(mf);
  std::vector<case_result> out;
  out.reserve(dirs.size());
  for (const fs::path& d : dirs) out.push_back(run_spec(base, mf, read_case(d.string())));
  return out;
}

std::string report_text(const std::vector<case_result>& results) {
  std::string o;
  std::size_t passed = 0, failed = 0;
  for (const case_result& r : results) {
    (r.passed ? passed : failed) += 1;
    o += (r.passed ? "PASS " : "FAIL ") + r.name + "\n";
    if (!r.passed) {
      std::size_t pos = 0;
      while (pos < r.diff.size()) {
        std::size_t e = r.diff.find('\n', pos);
        if (e == std::string::npos) e = r.diff.size();
        o += "    " + r.diff.substr(pos, e - pos) + "\n";
        pos = e + 1;
      }
    }
  }
  o += fmt::format("{} passed, {} failed\n", passed, failed);
  return o;
}

std::string junit_xml(const std::vector<case_result>& results, const std::string& suite_name) {
  std::size_t failures = 0;
  for (const case_result& r : results) failures += !r.passed;
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", xml_escape(suite_name, true), results.size(),
                   failures);
  o += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n", xml_escape(suite_name, true),
                   results.size(), failures);
  for (const case_result& r : results) {
    o += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_escape(suite_name, true), xml_escape(r.name, true));
    if (r.passed) {
      o += "/>\n";
      continue;
    }
    o += fmt::format(">\n      <failure message=\"{}\" type=\"rule-test\">{}</failure>\n    </testcase>\n", xml_escape(r.diff, true),
                     xml_escape(r.diff, false));
  }
  o += "  </testsuite>\n</testsuites>\n";
  return o;
}

// ---- case_builder ---------------------------------------------------------------------------------

struct case_builder::state {
  model_files files;
  case_spec spec;
};

case_builder::case_builder(const std::string& model_dir, std::string name) : s_(std::make_unique<state>()) {
  s_->files = read_model(model_dir);
  s_->spec.name = std::move(name);
  s_->spec.values = text_file{"region,period,indicator,value,qualifier\n", s_->spec.name + "/values.csv"};
}

case_builder::~case_builder() = default;
case_builder::case_builder(case_builder&&) noexcept = default;
case_builder& case_builder::operator=(case_builder&&) noexcept = default;

case_builder& case_builder::value(std::string_view region, std::string_view p, std::string_view indicator, std::string_view v,
                                  std::string_view qualifier) {
  s_->spec.values.text += fmt::format("{},{},{},{},{}\n", csv::quote(region), csv::quote(p), csv::quote(indicator), csv::quote(v),
                                      csv::quote(qualifier));
  return *this;
}

case_builder& case_builder::expect(std::string_view check, std::string_view region, std::string_view p, std::string_view status,
                                   std::string_view subject, std::string_view actual, std::string_view expected) {
  expectation e;
  e.check = std::string(check);
  e.region = std::string(region);
  e.period_text = std::string(p);
  e.when = period::parse(p);
  e.status = std::string(status);
  if (!subject.empty()) e.subject = std::string(subject);
  if (!actual.empty()) e.actual = decimal::parse(actual);
  if (!expected.empty()) e.expected = decimal::parse(expected);
  e.at = location{fmt::format("expect #{}", s_->spec.expectations.size() + 1), 0, 0, {}};
  s_->spec.expectations.push_back(std::move(e));
  return *this;
}

case_builder& case_builder::as_of(std::string_view p) {
  s_->spec.as_of = period::parse(p);
  return *this;
}

case_builder& case_builder::only_listed(bool yes) {
  s_->spec.only_listed = yes;
  return *this;
}

case_builder& case_builder::targets_csv(std::string text) {
  s_->spec.targets = text_file{std::move(text), s_->spec.name + "/targets.csv"};
  return *this;
}

case_builder& case_builder::rules(std::string text) {
  s_->spec.rules = text_file{std::move(text), s_->spec.name + "/rules.txt"};
  return *this;
}

case_builder& case_builder::expect_in_report(std::string_view fragment, bool present) {
  if (fragment.empty()) throw error(errc::invalid_argument, "an empty fragment is in every report");
  location at{fmt::format("expect_in_report #{}", s_->spec.report_expect.size() + 1), 0, 0, {}};
  s_->spec.report_expect.push_back(report_fragment{std::string(fragment), present, std::move(at)});
  return *this;
}

case_builder& case_builder::report_template(std::string text) {
  s_->spec.report_template = text_file{std::move(text), s_->spec.name + "/report.tmpl"};
  return *this;
}

case_builder& case_builder::report_at(std::string_view region, std::string_view p) {
  s_->spec.report_region = std::string(region);
  s_->spec.report_period = period::parse(p);
  return *this;
}

case_builder& case_builder::description(std::string text) {
  s_->spec.description = std::move(text);
  return *this;
}

case_result case_builder::run() const { return run_spec(base_model(s_->files), s_->files, s_->spec); }

}  // namespace zhibiao::testing
