// The zhibiao command: a thin front end that translates arguments to library calls and back.
#include <zhibiao/chart.hpp>
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/folder.hpp>
#include <zhibiao/html.hpp>
#include <zhibiao/import.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/table.hpp>
#include <zhibiao/testing.hpp>
#include <zhibiao/version.hpp>

#include "cli.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <new>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace zhibiao::cli {

constexpr std::string_view usage = R"(zhibiao — indicators, roll-ups and target checks for 人社 bureaus

usage: zhibiao <command> [options]

commands:
  run DIR --period P    the month's work on a model folder: roll-up, findings, 报表 and reports into DIR/out/P/
  regions FILE          load a regions CSV and print the rows per level
  indicators FILE       load an indicators CSV and list the catalogue
  rollup                regions + indicators + observations → roll-up CSV
  check                 also targets + rules → findings (table, csv or json)
  explain REGION PERIOD INDICATOR
                        the derivation of one number
  report                render a report template for a region and period (text, or --format html: one page)
  chart KIND            an SVG chart: progress, cap, peers or yoy (同比)
  table                 the 报表: a sheet per parent region (children, 合计, scopes) as xlsx or CSV
  import BOOK           a bureau's wide table (xlsx or CSV) → observations.csv
  test                  run a folder of rule and target test cases against a model folder
  --version             print the version
  --help                print this help; `zhibiao <command> --help` for a command

exit status: 0 ok, 1 findings of severity error (with --fail-on-error), 2 bad input or usage
)";

constexpr std::string_view model_options = R"(  --model DIR           a model folder (see zhibiao run --help): its files for every option below not given
  --regions FILE        regions.csv (code,name,level,parent[,valid_from,valid_to])
  --indicators FILE     indicators.csv (code,name,unit,kind,decimals,numerator,denominator,factor,part_of)
  --observations FILE   observations.csv (region,period,indicator,value[,qualifier]), an .xlsx workbook or a wide CSV
                        (a header naming none of region, period, indicator, value); may be repeated
  --map FILE            workbooks: MAP.csv (column,indicator) for headers that name no indicator
  --sheet NAME          workbooks: read only this sheet
  --under CODE          workbooks: the region whose towns the rows name (its 合计 row is its reported total)
  --period-of-sheet P   workbooks: the period of the sheets (default: the sheet name, else the title)
  --revise FILE         observations or a workbook whose values replace the loaded ones; may be repeated
  --revision-log FILE   append every replaced or cleared value to FILE (CSV); explain shows the value's
                        revisions recorded there, by earlier runs too
  --scopes FILE         scopes.csv (code,name,include,exclude), optional
  --quiet               no progress messages on stderr
)";

// Options that take no value.
bool is_flag(std::string_view k) {
  return k == "quiet" || k == "help" || k == "fail-on-error" || k == "all" || k == "suggest-map" || k == "strict";
}

// Options every command that loads observations accepts, for workbooks and revisions.
bool is_workbook_option(std::string_view k) {
  return k == "map" || k == "sheet" || k == "under" || k == "period-of-sheet" || k == "revise" || k == "revision-log";
}

// --model DIR: every file option the command knows and was not given comes from the folder.
void use_model_folder(args& a, std::initializer_list<std::string_view> known) {
  const model_folder f = find_model_folder(a.get("model"));
  auto fill = [&](const std::string& key, const std::string& path) {
    if (path.empty() || a.has(key)) return;
    for (auto kn : known)
      if (kn == key || (kn == "observations" && is_workbook_option(key))) a.opts[key].push_back(path);
  };
  fill("regions", f.regions);
  fill("indicators", f.indicators);
  fill("scopes", f.scopes);
  fill("targets", f.targets);
  fill("rules", f.rules);
  fill("map", f.mapping);
  if (!f.templates.empty()) fill("template", f.templates.front());
  if (!a.has("observations") && std::find(known.begin(), known.end(), "observations") != known.end() && !f.data.empty())
    a.opts["observations"] = f.data;
  if (!a.has("under") && a.has("observations")) a.opts["folder-under"].push_back("1");  // under: the folder's region
}

args parse_args(int argc, char** argv, int from, std::initializer_list<std::string_view> known) {
  args a;
  for (int k = from; k < argc; ++k) {
    std::string_view s = argv[k];
    if (s.size() > 2 && s.substr(0, 2) == "--") {
      std::string key(s.substr(2)), val;
      auto eq = key.find('=');
      if (eq != std::string::npos) {
        val = key.substr(eq + 1);
        key = key.substr(0, eq);
      }
      bool ok = key == "help" || key == "quiet";
      for (auto kn : known)
        ok = ok || kn == key || (kn == "observations" && is_workbook_option(key)) || (kn == "regions" && key == "model");
      if (!ok) throw usage_error("unknown option --" + key);
      if (is_flag(key)) {
        a.opts[key].push_back("1");
        continue;
      }
      if (eq == std::string::npos) {
        if (k + 1 >= argc) throw usage_error("--" + key + " needs a value");
        val = argv[++k];
      }
      a.opts[key].push_back(val);
    } else {
      a.positional.emplace_back(s);
    }
  }
  if (a.has("model") && std::find(known.begin(), known.end(), "regions") != known.end()) use_model_folder(a, known);
  return a;
}

import::options workbook_options(const args& a, const std::string& period_key) {
  import::options o;
  o.map_path = a.get("map");
  o.sheet = a.get("sheet");
  o.under = a.get("under");
  o.period = a.get(period_key);
  return o;
}

// The revisions made while loading, for explain.
import::revision_log g_revisions;

// Applies each --revise file, all or nothing per file, and appends what changed to --revision-log.
void apply_revisions(model& m, const args& a) {
  if (!a.has("revise")) return;
  for (const std::string& f : a.opts.at("revise")) {
    import::table t = import::read_observations(m, f, workbook_options(a, "period-of-sheet"));
    import::revision_log log = import::revise(m, t);
    if (a.has("revision-log")) log.append_to(a.get("revision-log"));
    fmt::print(stderr, "{}: {} values revised\n", f, log.entries.size());
    g_revisions.entries.insert(g_revisions.entries.end(), log.entries.begin(), log.entries.end());
  }
}

model load_inputs(args& a, progress& pr) {
  model m;
  pr.step("reading " + a.need("regions"));
  m.load_regions(a.need("regions"));
  pr.step("reading " + a.need("indicators"));
  m.load_indicators(a.need("indicators"));
  if (a.has("scopes")) m.load_scopes(a.get("scopes"));
  if (!a.has("observations"))
    throw usage_error(a.has("model") ? "the model folder has no observations*.csv and no data/ files (nor --observations)"
                                     : "missing --observations");
  if (a.has("folder-under")) {
    // A model folder's workbooks name the towns of the region the folder is about.
    std::optional<period> when;
    if (a.has("period")) when = period::parse(a.get("period"));
    if (const region_id r = folder_region(m, when); r != npos) a.opts["under"] = {m.regions()[r].code};
  }
  const import::options opt = workbook_options(a, "period-of-sheet");
  std::vector<std::string> loaded;
  for (const std::string& f : a.opts.at("observations")) {
    pr.step("reading " + f);
    import::load_file(m, f, loaded, opt);
    loaded.push_back(f);
  }
  apply_revisions(m, a);
  return m;
}

model load_model(args& a) {
  progress pr(a.has("quiet"));
  model m = load_inputs(a, pr);
  pr.step("rolling up");
  m.rollup();
  pr.done();
  return m;
}

void write_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (f && std::fclose(f) != 0) ok = false;
  if (!ok) throw error(errc::io, "cannot write '" + path + "'");
}

int cmd_regions(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"regions"});
  if (a.positional.empty() && a.has("regions")) a.positional.push_back(a.get("regions"));  // --model DIR
  if (a.has("help")) {
    fmt::print("usage: zhibiao regions FILE (or --model DIR)\n  loads a regions CSV (code,name,level,parent[,valid_from,valid_to]) and prints the rows per level\n");
    return 0;
  }
  if (a.positional.size() != 1) throw usage_error("regions takes one FILE");
  auto t0 = std::chrono::steady_clock::now();
  hierarchy h = hierarchy::load(a.positional[0]);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const std::string& n : h.notes()) fmt::print(stderr, "note: {}\n", n);
  fmt::print("{}: {} regions\n", a.positional[0], h.size());
  for (auto [lv, n] : h.level_counts()) fmt::print("  {:<9} {:>7}\n", level_name(lv), n);
  std::size_t leaves = 0;
  const tree& t = h.trees().back();
  for (auto l : t.leaf) leaves += l;
  fmt::print("  leaves    {:>7}\nloaded in {:.3f} s\n", leaves, s);
  return 0;
}

int cmd_indicators(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"indicators"});
  if (a.positional.empty() && a.has("indicators")) a.positional.push_back(a.get("indicators"));  // --model DIR
  if (a.has("help")) {
    fmt::print("usage: zhibiao indicators FILE (or --model DIR)\n  loads an indicators CSV and lists the catalogue\n");
    return 0;
  }
  if (a.positional.size() != 1) throw usage_error("indicators takes one FILE");
  catalogue c = catalogue::load(a.positional[0]);
  fmt::print("{}: {} indicators\n", a.positional[0], c.size());
  for (const indicator& ind : c.items()) {
    std::string extra;
    if (ind.kind == indicator_kind::ratio) {
      std::string n, d;
      for (auto t : ind.numerator) n += (n.empty() ? "" : "+") + c[t].code;
      for (auto t : ind.denominator) d += (d.empty() ? "" : "+") + c[t].code;
      extra = fmt::format(" = {} / ({}) × {}", n, d, ind.factor);
    }
    if (ind.part_of != npos) extra += fmt::format(" ⊂ {}", c[ind.part_of].code);
    if (ind.reported_at) extra += fmt::format(" (reported at {} level)", level_name(*ind.reported_at));
    fmt::print("  {:<40} {:<9} {:<6} {} decimals  {}{}\n", ind.code, kind_name(ind.kind), ind.unit.symbol, ind.decimals,
               ind.name, extra);
  }
  return 0;
}

int cmd_rollup(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"regions", "indicators", "observations", "scopes", "out", "level", "region", "period"});
  if (a.has("help")) {
    fmt::print("usage: zhibiao rollup --regions FILE --indicators FILE --observations FILE [--out FILE]\n"
               "                      [--level LEVEL] [--region CODE] [--period PERIOD]\n"
               "  writes region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier (stdout without --out)\n{}"
               "  --out FILE            write the CSV to FILE\n"
               "  --level LEVEL         only regions of this level (province, city, county, town, ...)\n"
               "  --region CODE         only this region and the regions below it\n"
               "  --period PERIOD       only the months within PERIOD (2021, 2021Q3, 2021年1-9月, ...)\n",
               model_options);
    return 0;
  }
  model m = load_model(a);
  rollup_filter f;
  if (a.has("level")) {
    f.only_level = parse_level(a.get("level"));
    if (!f.only_level) throw usage_error("unknown level '" + a.get("level") + "'");
  }
  if (a.has("region")) f.only_region = m.regions().require(a.get("region"));
  if (a.has("period")) f.only_period = period::parse(a.get("period"));
  if (a.has("out")) {
    std::FILE* out = std::fopen(a.get("out").c_str(), "wb");
    if (!out) throw error(errc::io, "cannot write '" + a.get("out") + "'");
    try {
      m.write_csv(out, f);
    } catch (...) {
      std::fclose(out);
      throw;
    }
    if (std::fclose(out) != 0) throw error(errc::io, "cannot write '" + a.get("out") + "'");
  } else {
    m.write_csv(stdout, f);
  }
  return 0;
}

int cmd_check(int argc, char** argv) {
  args a = parse_args(argc, argv, 2,
                      {"regions", "indicators", "observations", "scopes", "targets", "rules", "format", "period", "fail-on-error", "all"});
  if (a.has("help")) {
    fmt::print("usage: zhibiao check --regions FILE --indicators FILE --observations FILE [--targets FILE] [--rules FILE]\n"
               "                     [--period MONTH] [--format table|csv|json] [--all] [--fail-on-error]\n"
               "  evaluates targets, rules and the catalogue's own relations as of a month and prints the findings\n{}"
               "  --targets FILE        targets.csv (region,indicator,period,kind,value[,upper,schedule,tolerance])\n"
               "  --rules FILE          rules file: name | severity | expression [| missing=…] [| tolerance=…] [| levels=…]\n"
               "  --period MONTH        the month to check as of (default: the last month with data)\n"
               "  --format FORMAT       table (default), csv or json\n"
               "  --all                 also list rules and built-in checks that passed\n"
               "  --fail-on-error       exit 1 when any finding has severity error\n",
               model_options);
    return 0;
  }
  model m = load_model(a);
  std::vector<target> targets;
  if (a.has("targets")) targets = parse_targets(csv::read_file(a.get("targets")), a.get("targets"), m);
  std::optional<rule_set> rules;
  if (a.has("rules")) rules = rule_set::parse(csv::read_file(a.get("rules")), a.get("rules"), m.indicators());
  check_options opt;
  if (a.has("period")) opt.as_of = period::parse(a.get("period"));
  opt.include_passes = a.has("all");
  auto findings = evaluate(m, targets, rules ? &*rules : nullptr, opt);
  std::string fmt_name = a.get("format", "table");
  if (fmt_name == "table") fmt::print("{}", findings_table(m, findings));
  else if (fmt_name == "csv") fmt::print("{}", findings_csv(m, findings));
  else if (fmt_name == "json") fmt::print("{}", findings_json(m, findings));
  else throw usage_error("unknown format '" + fmt_name + "' (table, csv or json)");
  if (a.has("fail-on-error"))
    for (const finding& f : findings)
      if (f.level == severity::error) return 1;
  return 0;
}

// `report --level LEVEL --out DIR`: one file per region of the level, named by its code; the warnings are
// counted per region (thousands of counties would bury the terminal) and the first ones shown.
template <class Render>
int report_batch(const model& m, const args& a, const period& p, const std::string& format, Render&& render) {
  const std::optional<level> lv = parse_level(a.get("level"));
  if (!lv) throw usage_error("unknown level '" + a.get("level") + "'");
  const std::filesystem::path dir = a.need("out");
  const region_id under = a.has("region") ? m.regions().require(a.get("region")) : npos;
  const tree& t = m.regions().at(p.serial());
  std::filesystem::create_directories(dir);
  std::size_t files = 0, warned = 0, warnings = 0;
  for (std::size_t k = 0; k < t.valid.size(); ++k) {
    const auto r = static_cast<region_id>(k);
    const region_version* v = m.regions()[r].at(p.serial());
    if (!t.valid[k] || !v || v->level != *lv) continue;
    region_id x = r;
    while (under != npos && x != npos && x != under) x = t.parent[static_cast<std::size_t>(x)];
    if (under != npos && x != under) continue;
    const report_result out = render(r);
    write_file((dir / (m.regions()[r].code + (format == "html" ? ".html" : ".txt"))).string(), out.text);
    ++files;
    if (out.warnings.empty()) continue;
    ++warned;
    warnings += out.warnings.size();
    if (warned <= 3) fmt::print(stderr, "warning: {}: {}{}\n", m.regions()[r].code, out.warnings.front(),
                                out.warnings.size() > 1 ? fmt::format(" (and {} more)", out.warnings.size() - 1) : "");
  }
  if (files == 0) throw usage_error(fmt::format("no region of level {}{}", a.get("level"), under != npos ? " under --region" : ""));
  fmt::print(stderr, "{} reports written to {}; {} with warnings ({} warnings)\n", files, dir.string(), warned, warnings);
  return a.has("strict") && warnings ? 1 : 0;
}

int cmd_report(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"regions", "indicators", "observations", "scopes", "targets", "template", "region", "period", "out",
                                      "format", "rules", "indicators-only", "strict", "level"});
  if (a.has("help")) {
    fmt::print("usage: zhibiao report --template FILE --region CODE --period PERIOD --regions FILE --indicators FILE\n"
               "                      --observations FILE [--targets FILE] [--scopes FILE] [--out FILE] [--strict]\n"
               "                      [--format text|html] [--rules FILE] [--indicators-only a,b,...] [--level LEVEL]\n"
               "       (or --model DIR in place of the file options)\n"
               "  renders a report template; missing and partial values are listed on stderr (missing shows as —)\n{}"
               "  --template FILE       text with placeholders {{code}} (X多 / 约X from the value's qualifier), {{code:plain}}\n"
               "                        (the number alone), {{code:万元}}, {{code:target}}, {{code:completion}},\n"
               "                        {{code:progress}}, {{code:status}}, {{code:yoy}}, {{code:coverage}}, {{code@SCOPE}},\n"
               "                        {{code~2019-01}} (累计 since a start, across years), {{code~2021-03..2021-11}} (a span\n"
               "                        with its end), {{period~2019-01}}, {{code:growth}}, {{code:to}}, {{code:deadline}},\n"
               "                        {{code:target:2022}} / {{code:deadline:next}} (a later year's target, 2022年6月底前),\n"
               "                        {{code:allocation}} (分解下达), {{code:rank}} (rank_low, completion_rank, yoy_rank, _zh,\n"
               "                        :province), {{region}}, {{period}}, {{period:months}} (year, span, dated, asof; also\n"
               "                        {{period~2021-03:dated}}), {{missed:a,b}}, a date (unit 日期) as {{code}} (2021年5月12日)\n"
               "                        or {{code:md}} (5月12日), and {{#if …}}…{{#else}}…{{/if}} (README)\n"
               "  --strict              exit 1 when any value is missing, built from partial reports or carried from an\n"
               "                        earlier month (a stock)\n"
               "  --level LEVEL         one report per region of LEVEL (under --region when given) into the folder --out,\n"
               "                        CODE.txt (or .html); the warnings are counted, the first ones shown\n"
               "  --region CODE         the region the report is about\n"
               "  --period PERIOD       the report period (2021, 2021年1-9月, 截至2021年9月底, 2020年1月至2021年12月, ...)\n"
               "  --targets FILE        targets.csv, for :target, :completion, :progress, :status and :allocation\n"
               "  --format FORMAT       text (default) or html: one self-contained page with the text, the progress, cap,\n"
               "                        peers and 同比 charts, the region's 报表 for 1-M月 and its 问题清单 (--out FILE)\n"
               "  --rules FILE          html: a rules file whose findings join the 问题清单\n"
               "  --indicators-only L   html: the 报表's indicator codes (default: those with a target at the region or below)\n",
               model_options);
    return 0;
  }
  std::string format = a.get("format", "text");
  if (format != "text" && format != "html") throw usage_error("unknown format '" + format + "' (text or html)");
  model m = load_model(a);
  std::vector<target> targets;
  if (a.has("targets")) targets = parse_targets(csv::read_file(a.get("targets")), a.get("targets"), m);
  std::string tmpl_path = a.need("template");
  std::string tmpl = csv::read_file(tmpl_path);
  csv::check_utf8(tmpl, tmpl_path);
  period p = period::parse(a.need("period"));
  html_report_options opt;
  std::optional<rule_set> rules;
  if (format == "html") {
    if (a.has("rules")) rules = rule_set::parse(csv::read_file(a.get("rules")), a.get("rules"), m.indicators());
    opt.rules = rules ? &*rules : nullptr;
    if (a.has("indicators-only")) opt.indicators = parse_indicator_list(m.indicators(), a.get("indicators-only"));
  }
  auto render = [&](region_id region) {
    return format == "html" ? html_report(m, tmpl, region, p, targets, opt, tmpl_path) : render_report(m, tmpl, region, p, targets, tmpl_path);
  };
  if (a.has("level")) return report_batch(m, a, p, format, render);
  report_result r = render(m.regions().require(a.need("region")));
  if (a.has("out")) write_file(a.get("out"), r.text);
  else fmt::print("{}", r.text);
  for (const std::string& w : r.warnings) fmt::print(stderr, "warning: {}\n", w);
  return a.has("strict") && !r.warnings.empty() ? 1 : 0;
}

int cmd_chart(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"regions", "indicators", "observations", "scopes", "targets", "region", "period", "indicator", "out"});
  if (a.has("help") || a.positional.size() != 1) {
    fmt::print(a.has("help") ? stdout : stderr,
               "usage: zhibiao chart KIND --region CODE --period PERIOD --indicator CODE --regions FILE --indicators FILE\n"
               "                     --observations FILE [--targets FILE] [--scopes FILE] [--out FILE]\n"
               "  writes one chart as SVG (stdout without --out); KIND is one of\n"
               "    progress   the floor target's 1-M月 value month by month against 序时进度 and the target (needs --targets)\n"
               "    cap        the value month by month against its cap, breaches marked (needs --targets)\n"
               "    peers      完成率 of the region's children ranked (a region without children: its siblings, itself\n"
               "               highlighted), with the 序时进度 line (needs --targets)\n"
               "    yoy        同比: this year's 1-M月 value against last year's by month (--region may be a scope)\n{}"
               "  --period PERIOD       the as-of month or 1-M月 (2021-09, 2021年1-9月)\n"
               "  --indicator CODE      the indicator\n",
               model_options);
    return a.has("help") ? 0 : 2;
  }
  std::optional<chart_kind> kind = parse_chart_kind(a.positional[0]);
  if (!kind) throw usage_error("unknown chart '" + a.positional[0] + "' (progress, cap, peers or yoy)");
  period p = period::parse(a.need("period"));
  model m = load_model(a);
  std::vector<target> targets;
  if (a.has("targets")) targets = parse_targets(csv::read_file(a.get("targets")), a.get("targets"), m);
  indicator_id i = m.indicators().require(a.need("indicator"));
  std::string svg = *kind == chart_kind::yoy ? yoy_chart(m, m.require_place(a.need("region")), p, i)
                                              : chart_svg(m, targets, *kind, m.regions().require(a.need("region")), p, i);
  if (a.has("out")) write_file(a.get("out"), svg);
  else fmt::print("{}", svg);
  return 0;
}

// Writes the sheets as they are built: one workbook or CSV file, or one file per sheet in --out-dir.
void write_tables(const model& m, const args& a, region_id region, const period& p, const std::vector<target>& targets,
                  const rule_set* rules, const table_options& opt, bool csv_format) {
  if (a.has("out-dir")) {
    std::filesystem::path dir = a.get("out-dir");
    std::filesystem::create_directories(dir);
    build_tables(m, region, p, targets, rules, opt, [&](table_sheet&& s) {
      std::string file = (dir / (s.parent_code + (csv_format ? ".csv" : ".xlsx"))).string();
      if (csv_format) write_file(file, table_csv(s));
      else write_table_xlsx({s}, file);
    });
    return;
  }
  write_tables(m, region, p, targets, rules, opt, csv_format ? table_format::csv : table_format::xlsx, a.need("out"));
}

int cmd_table(int argc, char** argv) {
  args a = parse_args(argc, argv, 2,
                      {"regions", "indicators", "observations", "scopes", "targets", "rules", "region", "period", "indicators-only",
                       "level", "format", "out", "out-dir", "subject", "order"});
  if (a.has("help")) {
    fmt::print("usage: zhibiao table (--region CODE [--level LEVEL] | --level LEVEL) --period PERIOD --out FILE --regions FILE --indicators FILE --observations FILE\n"
               "                     [--targets FILE] [--rules FILE] [--scopes FILE] [--indicators-only a,b,...] [--level LEVEL]\n"
               "                     [--format xlsx|csv] [--out-dir DIR] [--subject TEXT] [--order code|file]\n"
               "  writes the 报表: per parent region a row per child (code order, or with --order file as regions.csv\n"
               "  lists them), the parent as 合计 and the scopes within\n"
               "  it; per indicator 本月, 1-M月累计 (截至M月底 for a stock), 同比 and, where a target exists, 年度目标, 完成率,\n"
               "  序时进度 and 完成情况; a 报送 column where a row is partial; a missing value is an empty cell noted 未报送\n{}"
               "  --region CODE         the parent region (or the region whose --level regions get a sheet each)\n"
               "  --period PERIOD       a month or 1-M月 (2021-07, 2021年1-7月); the sheet covers 1-M月 of that year\n"
               "  --targets FILE        targets.csv: 年度目标, 完成率, 序时进度 and 完成情况 from the target checks\n"
               "  --rules FILE          rules file: its findings go to the 问题清单 sheet\n"
               "  --indicators-only L   only these indicator codes, comma-separated, in this order (default: the catalogue)\n"
               "  --level LEVEL         one sheet per region of LEVEL below --region (county under a city); without\n"
               "                        --region, every region of LEVEL (a national 报表 of every county)\n"
               "  --format FORMAT       xlsx (default; csv when --out ends in .csv) or csv (one header line per header level,\n"
               "                        sheets separated by an empty line)\n"
               "  --out FILE            the workbook or CSV file\n"
               "  --out-dir DIR         instead of --out: one file per sheet, DIR/CODE.xlsx (or .csv)\n"
               "  --subject TEXT        the title's subject (default 就业工作): 海丰县2021年1-7月就业工作主要指标完成情况表\n",
               model_options);
    return 0;
  }
  if (!a.has("out") && !a.has("out-dir")) throw usage_error("missing --out (or --out-dir)");
  if (a.has("out") && a.has("out-dir")) throw usage_error("--out and --out-dir exclude each other");
  std::string format = a.get("format", a.get("out").ends_with(".csv") ? "csv" : "xlsx");
  if (format != "xlsx" && format != "csv") throw usage_error("unknown format '" + format + "' (xlsx or csv)");
  period p = table_period(period::parse(a.need("period")));
  if (!a.has("region") && !a.has("level")) throw usage_error("missing --region (or --level alone, for every region of a level)");
  model m = load_model(a);
  std::vector<target> targets;
  if (a.has("targets")) targets = parse_targets(csv::read_file(a.get("targets")), a.get("targets"), m);
  std::optional<rule_set> rules;
  if (a.has("rules")) rules = rule_set::parse(csv::read_file(a.get("rules")), a.get("rules"), m.indicators());
  table_options opt;
  if (a.has("indicators-only")) opt.indicators = parse_indicator_list(m.indicators(), a.get("indicators-only"));
  if (a.has("level")) {
    opt.level = parse_level(a.get("level"));
    if (!opt.level) throw usage_error("unknown level '" + a.get("level") + "'");
  }
  if (a.has("subject")) opt.subject = a.get("subject");
  const std::string order = a.get("order", "code");
  if (order != "code" && order != "file") throw usage_error("unknown --order '" + order + "' (code or file)");
  opt.declared_order = order == "file";
  region_id region = a.has("region") ? m.regions().require(a.get("region")) : npos;
  write_tables(m, a, region, p, targets, rules ? &*rules : nullptr, opt, format == "csv");
  return 0;
}

int cmd_explain(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"regions", "indicators", "observations", "scopes"});
  if (a.has("help")) {
    fmt::print("usage: zhibiao explain REGION PERIOD INDICATOR --regions FILE --indicators FILE --observations FILE\n"
               "  prints where one number came from: the rule, each child's share, the leaves that did not report\n{}",
               model_options);
    return 0;
  }
  if (a.positional.size() != 3) throw usage_error("explain takes REGION PERIOD INDICATOR");
  model m = load_model(a);
  period p = period::parse(a.positional[1]);
  indicator_id i = m.indicators().require(a.positional[2]);
  const place where = m.require_place(a.positional[0]);
  if (where.scope) {
    aggregate v = m.value(where, p, i);
    fmt::print("{} ({}) {} {} = {} {} ({} of {} reported)\n", m.place_name(where, p), a.positional[0], p.label_zh(),
               m.indicators()[i].name, v.value ? value_text(m.indicators()[i], *v.value) : "—", m.indicators()[i].unit.symbol, v.reporting, v.expected);
    return 0;
  }
  const region_id r = where.region;
  fmt::print("{}", m.explain_text(m.explain(r, p, i)));
  // With --revision-log, the log (earlier runs, and this one's --revise appended to it) says what changed.
  const import::revision_log log = a.has("revision-log") ? import::read_revision_log(a.get("revision-log")) : g_revisions;
  for (const import::revision& rv : log.entries)
    if (rv.region == m.regions()[r].code && rv.indicator == m.indicators()[i].code)
      fmt::print("revised {} {}: {} → {} ({}, {})\n", rv.period, rv.indicator, rv.old_value ? value_text(m.indicators()[i], *rv.old_value) : "—",
                 rv.new_value ? value_text(m.indicators()[i], *rv.new_value) : "—", rv.source, rv.time);
  return 0;
}

int cmd_import(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"regions", "indicators", "map", "sheet", "period", "under", "suggest-map", "out"});
  if (a.has("help")) {
    fmt::print("usage: zhibiao import BOOK.xlsx|TABLE.csv --regions FILE --indicators FILE [--map MAP.csv] [--sheet NAME]\n"
               "                      [--period P] [--under CODE] [--suggest-map] [--out observations.csv]\n"
               "  reads a wide table (one row per region, one column per indicator) and writes the long observations CSV\n"
               "  --map FILE            MAP.csv (column,indicator): header text, group/sub, or a column letter; - ignores it\n"
               "  --sheet NAME          only this sheet (default: every sheet)\n"
               "  --period P            the period of the sheets (default: the sheet name, else the title)\n"
               "  --under CODE          the region whose towns the rows name; its 合计 row is its reported total\n"
               "  --suggest-map         print a starting MAP.csv with the best guess for every column instead\n"
               "  --out FILE            write the CSV to FILE (stdout without)\n");
    return 0;
  }
  if (a.positional.size() != 1) throw usage_error("import takes one BOOK");
  model m;
  m.load_regions(a.need("regions"));
  m.load_indicators(a.need("indicators"));
  const import::options opt = workbook_options(a, "period");
  std::string text;
  if (a.has("suggest-map")) {
    text = import::suggest_map(m, a.positional[0], opt);
  } else {
    import::table t = import::read(m, a.positional[0], opt);
    import::load(m, t);  // what the engine would refuse is refused here, naming the cell
    text = import::observations_csv(m, t);
  }
  if (!a.has("out")) {
    fmt::print("{}", text);
    return 0;
  }
  std::FILE* f = std::fopen(a.get("out").c_str(), "wb");
  bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (f && std::fclose(f) != 0) ok = false;
  if (!ok) throw error(errc::io, "cannot write '" + a.get("out") + "'");
  return 0;
}

int cmd_test(int argc, char** argv) {
  args a = parse_args(argc, argv, 2, {"model", "cases", "junit"});
  if (a.has("help")) {
    fmt::print("usage: zhibiao test --model DIR --cases DIR [--junit FILE]\n"
               "  runs every case folder of --cases against the model folder and prints PASS/FAIL per case,\n"
               "  the diff of each failing case, then `N passed, N failed`; exit 0 all pass, 1 a case failed, 2 bad input\n"
               "  --model DIR           regions.csv, indicators.csv, optional scopes.csv, targets.csv, rules.txt\n"
               "  --cases DIR           one folder per case: values.csv, expected.csv (check,region,period,status\n"
               "                        [,subject,actual,expected]), optional case.txt (description, as_of, only_listed),\n"
               "                        targets.csv and rules.txt (replace the model's)\n"
               "  --junit FILE          also write JUnit XML (one testcase per case, the diff as failure message)\n");
    return 0;
  }
  if (!a.positional.empty()) throw usage_error("test takes no positional arguments");
  auto results = zhibiao::testing::run_cases(a.need("model"), a.need("cases"));
  fmt::print("{}", zhibiao::testing::report_text(results));
  std::fflush(stdout);
  if (a.has("junit")) {
    std::string xml = zhibiao::testing::junit_xml(results, std::filesystem::path(a.get("cases")).lexically_normal().filename().string());
    std::FILE* f = std::fopen(a.get("junit").c_str(), "wb");
    bool ok = f && std::fwrite(xml.data(), 1, xml.size(), f) == xml.size();
    if (f && std::fclose(f) != 0) ok = false;
    if (!ok) throw error(errc::io, "cannot write '" + a.get("junit") + "'");
  }
  for (const auto& r : results)
    if (!r.passed) return 1;
  return 0;
}

}  // namespace zhibiao::cli

int main(int argc, char** argv) {
  using namespace zhibiao::cli;
  if (argc < 2) {
    std::fputs(usage.data(), stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  try {
    if (cmd == "--version" || cmd == "version") {
      fmt::print("zhibiao {}\n", zhibiao::version());
      return 0;
    }
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      std::fputs(usage.data(), stdout);
      return 0;
    }
    if (cmd == "regions") return cmd_regions(argc, argv);
    if (cmd == "indicators") return cmd_indicators(argc, argv);
    if (cmd == "rollup") return cmd_rollup(argc, argv);
    if (cmd == "explain") return cmd_explain(argc, argv);
    if (cmd == "check") return cmd_check(argc, argv);
    if (cmd == "report") return cmd_report(argc, argv);
    if (cmd == "table") return cmd_table(argc, argv);
    if (cmd == "chart") return cmd_chart(argc, argv);
    if (cmd == "test") return cmd_test(argc, argv);
    if (cmd == "import") return cmd_import(argc, argv);
    if (cmd == "run") return cmd_run(argc, argv);
    fmt::print(stderr, "zhibiao: unknown command '{}' (see zhibiao --help)\n", cmd);
    return 2;
  } catch (const usage_error& e) {
    fmt::print(stderr, "zhibiao {}: {} (see zhibiao {} --help)\n", cmd, e.what(), cmd);
    return 2;
  } catch (const zhibiao::error& e) {
    // The error class (load, parse, limit, overflow, ...) as the C ABI and the bindings name it.
    fmt::print(stderr, "zhibiao {}: {} error: {}\n", cmd, zhibiao::errc_name(e.code()), e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "zhibiao {}: limit error: out of memory\n", cmd);
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "zhibiao {}: error: {}\n", cmd, e.what());
    return 2;
  }
}
