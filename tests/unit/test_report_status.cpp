// Status wording for every target kind, each where the data makes it true and where it makes it false.
// tests/data/status is the county where every target holds (its README); each false case changes single
// values of those files and nothing else. The expected strings are worked out by hand in the comments.
#include <doctest/doctest.h>

#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace zhibiao;

namespace {

std::string status_file(const char* name) { return csv::read_file(std::string(ZHIBIAO_TEST_DATA "/status/") + name); }

// The county's files, with single values changed.
struct county {
  std::string observations = status_file("observations.csv"), targets = status_file("targets.csv");

  // The value after the line's key (`k2,2021-01..2021-12,jobs` in observations.csv, `k2,jobs,2021,floor` in
  // targets.csv) set to `value`; the key must be there.
  static std::string revised(std::string text, const std::string& key, const std::string& value) {
    const std::size_t at = text.find("\n" + key + ",");
    REQUIRE_MESSAGE(at != std::string::npos, key);
    const std::size_t from = at + key.size() + 2, to = text.find_first_of(",\n", from);
    return text.replace(from, to - from, value);
  }
  county with(const std::string& key, const std::string& value) && {
    observations = revised(std::move(observations), key, value);
    return std::move(*this);
  }
  county with_target(const std::string& key, const std::string& value) && {
    targets = revised(std::move(targets), key, value);
    return std::move(*this);
  }
};

struct rendered {
  model m;
  std::vector<target> targets;
};

rendered load(const county& c) {
  rendered r;
  r.m.load_regions(ZHIBIAO_TEST_DATA "/status/regions.csv");
  r.m.load_indicators(ZHIBIAO_TEST_DATA "/status/indicators.csv");
  r.m.load_observations_text(c.observations);
  r.m.rollup();
  r.targets = parse_targets(c.targets, "targets.csv", r.m);
  return r;
}

const period y2021 = period::year(2021);
const period h1 = period::year_to_date(2021, 6);

report_result report(const county& c, const std::string& tmpl, const period& p = y2021) {
  rendered r = load(c);
  return render_report(r.m, tmpl, r.m.regions().require("K"), p, r.targets);
}

std::string text(const county& c, const std::string& tmpl, const period& p = y2021) { return report(c, tmpl, p).text; }

std::string template_error(const std::string& tmpl) {
  try {
    report(county{}, tmpl);
  } catch (const load_error& e) {
    return e.what();
  }
  return "no error";
}

// The status of the one `check` finding for (region, subject) as of December, as `zhibiao check` reports it.
std::string check_status(const county& c, std::string_view check, const char* region, std::string_view subject) {
  rendered r = load(c);
  check_options opt;
  opt.as_of = period::month(2021, 12);
  std::string found;
  for (const finding& f : evaluate(r.m, r.targets, nullptr, opt))
    if (f.check == check && f.subject == subject && f.region == r.m.regions().require(region)) found += status_name(f.status);
  return found;
}

const std::string exceeded_jobs = "k2,2021-01..2021-12,jobs";

}  // namespace

TEST_CASE("status words: a floor at the period's end — exceeded, met exactly, not met with its 完成率") {
  const std::string t = "{jobs:status}{#if jobs:met}，达标{#else}，未达标{/if}{#if jobs:exceeded}，超额{/if}";
  CHECK(text(county{}, t) == "完成年度任务，达标");                                        // 36 + 24 = 60 of 60
  CHECK(text(county{}.with(exceeded_jobs, "30"), t) == "超额完成年度任务，达标，超额");    // 36 + 30 = 66 > 60
  CHECK(text(county{}.with(exceeded_jobs, "14"), t) == "未完成年度任务（完成率83.3%），未达标");  // 50 / 60 = 83.33… %
}

TEST_CASE("status words: a floor before the period's end — ahead, on schedule, behind 序时进度") {
  // 序时进度 by June: 6 / 12 = 50.0 %.
  const std::string t = "{jobs:status}{#if jobs:met}，不慢于序时进度{#else}，慢于序时进度{/if}";
  CHECK(text(county{}, t, h1) == "符合序时进度，不慢于序时进度");  // 20 + 10 = 30 of 60 = 50.0 %
  CHECK(text(county{}.with("k2,2021-01..2021-06,jobs", "16"), t, h1) == "快于序时进度，不慢于序时进度");  // 36 / 60 = 60.0 %
  CHECK(text(county{}.with("k2,2021-01..2021-06,jobs", "4"), t, h1) == "慢于序时进度，慢于序时进度");    // 24 / 60 = 40.0 %
  CHECK(text(county{}.with("k2,2021-01..2021-06,jobs", "4"), "{#if jobs:status == behind}落后{/if}", h1) == "落后");
  // Judged only at the year's end (schedule year_end): no 序时进度 in June, and not behind.
  CHECK(text(county{}.with_target("K,jobs,2021,floor,60,", "year_end").with("k2,2021-01..2021-06,jobs", "4"), t, h1) ==
        "年末考核，不慢于序时进度");
}

TEST_CASE("status words: a lower bound decides a floor only when it already reaches it") {
  // 16多: at least 36 / 60 = 60.0 % > 50.0 %, ahead whatever the true value; 4多: at least 40.0 %, which the
  // true value may raise past 50.0 %: no verdict.
  const std::string key = "k2,2021-01..2021-06,jobs";
  CHECK(text(county{}.with(key, "16").with(key + ",16", "lower_bound"), "{jobs:status}", h1) == "快于序时进度");
  CHECK(text(county{}.with(key, "4").with(key + ",4", "lower_bound"), "{jobs:status}", h1) == "数据为约数或下限，无法判定");
}

TEST_CASE("status words: a floor on a parameter — reached, not yet reached, not reached") {
  // 最低工资标准 in force: 1800 from January, 1900 from July, against a target of 1900.
  const std::string t = "{min_wage:status}{#if min_wage:missed}，未达标{/if}";
  CHECK(text(county{}, t) == "达到1900元的目标");          // 1900 in December
  CHECK(text(county{}, t, h1) == "尚未达到1900元的目标");  // 1800 in June, the year not over: not missed yet
  CHECK(text(county{}.with("K,2021-07,min_wage", "1850"), t) == "未达到1900元的目标，未达标");  // 1850 < 1900
}

TEST_CASE("status words: a cap held, and breached with the largest excess and the months") {
  const std::string t = "{rate:status}{#if rate:breached}，超标{#else}，达标{/if}";
  CHECK(text(county{}, t) == "控制在3.5%以内，达标");  // (3 + 2) / (3 + 97 + 2 + 98) = 2.50 % every month
  // 9 unemployed in 丙一镇 in December: (9 + 2) / (9 + 97 + 2 + 98) = 11 / 206 = 5.339… → 5.34 %, 1.84 over.
  CHECK(text(county{}.with("k1,2021-12,unemployed", "9"), t) == "超出控制线1.84个百分点（12月），超标");
  // And 6 from January: (6 + 2) / (6 + 97 + 2 + 98) = 8 / 203 = 3.940… → 3.94 %, 0.44 over in 1-11月; the
  // largest excess is December's 1.84.
  CHECK(text(county{}.with("k1,2021-12,unemployed", "9").with("k1,2021-01,unemployed", "6"), "{rate:status}") ==
        "超出控制线1.84个百分点（1月、2月、3月、4月、5月、6月、7月、8月、9月、10月、11月、12月）");
  // Held again in December (3 unemployed): only 1-11月 breached, by 0.44.
  CHECK(text(county{}.with("k1,2021-01,unemployed", "6"), "{rate:status}") ==
        "超出控制线0.44个百分点（1月、2月、3月、4月、5月、6月、7月、8月、9月、10月、11月）");
}

TEST_CASE("status words: a band inside, and outside above or below") {
  const std::string t = "{trainees:status}{#if trainees:breached}，越界{#else}，正常{/if}";
  CHECK(text(county{}, t) == "保持在50至80人之间，正常");                                      // 30 + 30 = 60
  CHECK(text(county{}.with("k2,2021-12,trainees", "60"), t) == "超出50至80人的区间（12月），越界");  // 30 + 60 = 90 > 80
  CHECK(text(county{}.with("k2,2021-12,trainees", "10"), t) == "超出50至80人的区间（12月），越界");  // 30 + 10 = 40 < 50
}

TEST_CASE("status words: a zero target — 未发生, and 发生N起") {
  const std::string t = "全县{incidents:status}重大群体性事件{#if incidents:ok}，和谐稳定{/if}";
  CHECK(text(county{}, t) == "全县未发生重大群体性事件，和谐稳定");       // 0 in March
  CHECK(text(county{}.with("k1,2021-03,incidents", "2"), t) == "全县发生2起重大群体性事件");  // 2 in March
}

TEST_CASE("status words: no_decrease — 持平, 增长, 下降") {
  const std::string t = "{training:status}{#if training:breached}，未达标{/if}";
  CHECK(text(county{}, t) == "与上年同期持平");                                              // 50 and 50
  CHECK(text(county{}.with("k1,2021-03,training", "60"), t) == "比上年同期增长20.0%");        // (60 − 50) / 50
  CHECK(text(county{}.with("k1,2021-03,training", "40"), t) == "比上年同期下降20.0%，未达标");  // (40 − 50) / 50
}

TEST_CASE("status words: {code:allocation} words the allocation check — allocated, under, over") {
  const std::string t = "{jobs:allocation}{#if jobs:allocated}，一致{#elif jobs:allocation == under_allocated}，不足{#else}，超额{/if}";
  const std::string k2 = "k2,jobs,2021,floor";
  // 36 + 24 = 60 = the county's 60.
  CHECK(text(county{}, t) == "已全部分解下达，一致");
  CHECK(check_status(county{}, "allocation", "K", "jobs") == "allocated");
  // 36 + 20 = 56 < 60; 36 + 30 = 66 > 60 — what the check finds, in the same numbers.
  CHECK(text(county{}.with_target(k2, "20"), t) == "分解下达56人，少于年度任务60人，不足");
  CHECK(check_status(county{}.with_target(k2, "20"), "allocation", "K", "jobs") == "under_allocated");
  CHECK(text(county{}.with_target(k2, "30"), t) == "分解下达66人，超过年度任务60人，超额");
  CHECK(check_status(county{}.with_target(k2, "30"), "allocation", "K", "jobs") == "over_allocated");
  // Decimals as asked; != and a list of names.
  CHECK(text(county{}.with_target(k2, "20"), "{jobs:allocation:1}") == "分解下达56.0人，少于年度任务60.0人");
  CHECK(text(county{}, "{#if jobs:allocation != under_allocated,over_allocated}齐{/if}") == "齐");
  CHECK(text(county{}.with_target(k2, "30"), "{#if jobs:allocation != under_allocated,over_allocated}齐{#else}不齐{/if}") == "不齐");
  CHECK(text(county{}.with_target(k2, "30"), "{#if not jobs:allocated}未一致{/if}") == "未一致");
}

TEST_CASE("status words: {code:allocation} never rounds two different numbers to the same text") {
  // 贷款: 5.00 + 4.98 = 9.98 万元 < 10.00; at 1 decimal (or 0) both read 10.0 (10), so 2 are shown.
  const county c = county{}.with_target("k2,loans,2021,floor", "4.98");
  CHECK(text(county{}, "{loans:allocation}") == "已全部分解下达");  // 5.00 + 5.00
  CHECK(text(c, "{loans:allocation}") == "分解下达9.98万元，少于年度任务10.00万元");
  CHECK(text(c, "{loans:allocation:1}") == "分解下达9.98万元，少于年度任务10.00万元");
  CHECK(text(c, "{loans:allocation:0}") == "分解下达9.98万元，少于年度任务10.00万元");
  // 5.00 + 4.50 = 9.50: at 0 decimals 10 and 10 (half-up), at 1 9.5 and 10.0 — one more decimal is enough.
  CHECK(text(county{}.with_target("k2,loans,2021,floor", "4.50"), "{loans:allocation:0}") == "分解下达9.5万元，少于年度任务10.0万元");
}

TEST_CASE("status words: {code:allocation} with nothing to judge is missing, with a warning") {
  // 丙一镇 has a target but no children; 职业技能培训's target is no floor; 丙一镇 has no rate target.
  report_result r = report(county{}, "{jobs@k1:allocation}|{training:allocation}|{rate@k1:allocation}");
  CHECK(r.text == "—|—|—");
  REQUIRE(r.warnings.size() == 3);
  CHECK(r.warnings[0] == "<template>:1:1: {jobs@k1:allocation}: no allocation (分解下达): not a region's floor of a flow or stock, "
                         "or no child has a target for 丙一镇 2021年");
  CHECK(r.warnings[1].find("{training:allocation}: no allocation") != std::string::npos);
  CHECK(r.warnings[2].find("{rate@k1:allocation}: no target") != std::string::npos);
  // Nothing to judge is not allocated; `==` a name is false, `!=` true, as for a status.
  CHECK(text(county{}, "{#if jobs@k1:allocated}是{#else}否{/if}") == "否");
  CHECK(text(county{}, "{#if jobs@k1:allocation == allocated}是{#elif jobs@k1:allocation != allocated}否{/if}") == "否");
  CHECK(check_status(county{}, "allocation", "k1", "jobs").empty());
}

TEST_CASE("status words: a misspelt allocation modifier, predicate or status is a parse error with line:column") {
  CHECK(template_error("第一行\n  {jobs:allocatoin}").starts_with("<template>:2:3: unknown modifier 'allocatoin'"));
  CHECK(template_error("{#if jobs:allocatd}{/if}").find("unknown predicate 'allocatd'") != std::string::npos);
  CHECK(template_error("{#if jobs:allocation == met}{/if}").find("unknown allocation status 'met'") != std::string::npos);
  CHECK(template_error("{#if jobs:allocation > 1}{/if}").find("an allocation is compared with == or !=") != std::string::npos);
  // Also in a branch the data does not take.
  CHECK(template_error("{#if jobs:met}好{#else}{jobs:allocaton}{/if}").find("unknown modifier 'allocaton'") != std::string::npos);
}
