// The second edition of the template language: status wording from the one target evaluation, conditions,
// groups. Each wording is tested where the data makes it true and where it makes it false; the numbers are
// worked out by hand in the comments.
#include <zhibiao/report.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace zhibiao;

namespace {

const char* regions = "code,name,level,parent\nK,丙县,county,\nk1,丙一镇,town,K\nk2,丙二镇,town,K\n";
const char* indicators =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
    "jobs,城镇新增就业,人,flow,0,,,,\n"
    "unemployed,失业人数,人,stock,0,,,,\n"
    "employed,从业人数,人,stock,0,,,,\n"
    "rate,城镇登记失业率,%,ratio,2,unemployed,unemployed+employed,100,\n"
    "incidents,重大群体性事件,起,flow,0,,,,\n"
    "training,职业技能培训,人次,flow,0,,,,\n";
const char* targets_csv =
    "region,indicator,period,kind,value\n"
    "K,jobs,2021,floor,100\n"
    "K,rate,2021,cap,3.5\n"
    "K,incidents,2021,zero,0\n"
    "K,training,2021,no_decrease,\n";

// A good year: jobs 40 + 20 = 60 by June (60.0 % against 序时进度 50.0 %), 70 + 40 = 110 by December (110 %);
// the rate (3 + 2) / (3 + 97 + 2 + 98) = 2.50 % all year; no incident; training 60 against 50 in 2020.
std::string good_year() {
  return "region,period,indicator,value\n"
         "k1,2021-01..2021-06,jobs,40\nk2,2021-01..2021-06,jobs,20\n"
         "k1,2021-01..2021-12,jobs,70\nk2,2021-01..2021-12,jobs,40\n"
         "k1,2021-01,unemployed,3\nk1,2021-01,employed,97\nk2,2021-01,unemployed,2\nk2,2021-01,employed,98\n"
         "k1,2021-03,incidents,0\n"
         "k1,2020-01,training,50\nk1,2021-01,training,60\n";
}

// A bad year: k2 adds no jobs after June (70 + 20 = 90: 90.0 %); k1 has 20 unemployed from September,
// (20 + 2) / (20 + 97 + 2 + 98) = 22 / 217 = 10.138… → 10.14 %, 6.64 个百分点 over the cap in September to
// December; 2 incidents in March; training 40 against 50 (−20.0 %).
std::string bad_year() {
  return "region,period,indicator,value\n"
         "k1,2021-01..2021-06,jobs,40\nk2,2021-01..2021-06,jobs,20\n"
         "k1,2021-01..2021-12,jobs,70\nk2,2021-01..2021-12,jobs,20\n"
         "k1,2021-01,unemployed,3\nk1,2021-01,employed,97\nk2,2021-01,unemployed,2\nk2,2021-01,employed,98\n"
         "k1,2021-09,unemployed,20\n"
         "k1,2021-03,incidents,2\n"
         "k1,2020-01,training,50\nk1,2021-01,training,40\n";
}

model make(const std::string& observations) {
  model m;
  m.load_regions_text(regions);
  m.load_indicators_text(indicators);
  m.load_observations_text(observations);
  m.rollup();
  return m;
}

std::string render(const model& m, const std::string& tmpl, const period& p = period::year(2021)) {
  return render_report(m, tmpl, m.regions().require("K"), p, parse_targets(targets_csv, "targets.csv", m)).text;
}

std::string template_error(const model& m, const std::string& tmpl) {
  try {
    render(m, tmpl);
  } catch (const load_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("report logic: {code:status} words a floor from the one evaluation") {
  model good = make(good_year()), bad = make(bad_year());
  CHECK(render(good, "{jobs:status}") == "超额完成年度任务");             // 110 > 100
  CHECK(render(bad, "{jobs:status}") == "未完成年度任务（完成率90.0%）");  // 90 < 100
  CHECK(render(good, "{jobs:status}", period::year_to_date(2021, 6)) == "快于序时进度");  // 60.0 % > 50.0 %
}

TEST_CASE("report logic: {code:status} for a cap names the months that breached and by how much") {
  model good = make(good_year()), bad = make(bad_year());
  CHECK(render(good, "失业率{rate}%，{rate:status}") == "失业率2.50%，控制在3.5%以内");
  CHECK(render(bad, "失业率{rate}%，{rate:status}") == "失业率10.14%，超出控制线6.64个百分点（9月、10月、11月、12月）");
  // As of June the bad year still held its cap.
  CHECK(render(bad, "{rate:status}", period::year_to_date(2021, 6)) == "控制在3.5%以内");
}

TEST_CASE("report logic: {code:status} for zero and no_decrease targets") {
  model good = make(good_year()), bad = make(bad_year());
  CHECK(render(good, "{incidents:status}") == "未发生");
  CHECK(render(bad, "{incidents:status}") == "发生2起");
  CHECK(render(good, "{training:status}") == "比上年同期增长20.0%");  // (60 − 50) / 50
  CHECK(render(bad, "{training:status}") == "比上年同期下降20.0%");   // (40 − 50) / 50
}

TEST_CASE("report logic: conditions choose the sentence the data supports") {
  model good = make(good_year()), bad = make(bad_year());
  const std::string t = "{#if all(jobs,incidents,rate):met}各项目标均已完成{#else}其中{missed:jobs,incidents,rate}{/if}。";
  CHECK(render(good, t) == "各项目标均已完成。");
  CHECK(render(bad, t) == "其中城镇新增就业未完成年度任务（完成率90.0%），重大群体性事件发生2起，"
                          "城镇登记失业率超出控制线6.64个百分点（9月、10月、11月、12月）。");
  const std::string e = "{#if jobs:exceeded}超额{#elif jobs:completion >= 90}接近{#else}差距较大{/if}";
  CHECK(render(good, e) == "超额");
  CHECK(render(bad, e) == "接近");  // 90.0 ≥ 90
  CHECK(render(good, "{#if rate:breached}超标{#else}达标{/if}") == "达标");
  CHECK(render(bad, "{#if rate:breached}超标{#else}达标{/if}") == "超标");
  CHECK(render(good, "{#if jobs > 100 and not incidents:breached}好{/if}") == "好");
  CHECK(render(bad, "{#if jobs > 100 or incidents:breached}有问题{/if}") == "有问题");
  CHECK(render(bad, "{#if jobs:status == not_met,behind}未完成{/if}") == "未完成");
  // A missing value satisfies no comparison (missing is never 0), and is not present.
  CHECK(render(good, "{#if jobs@k2 < 1000000}有{#else}无{/if}") == "有");
  CHECK(render(make("region,period,indicator,value\nk1,2021-01,training,1\n"), "{#if jobs < 1}零{#elif not jobs:present}无数据{/if}") ==
        "无数据");
  // Nested branches, and a skipped branch renders nothing.
  CHECK(render(bad, "{#if jobs:met}{#if rate:ok}全好{/if}{#else}{#if rate:ok}一半{#else}都差{/if}{/if}") == "都差");
}

TEST_CASE("report logic: a bad condition is a parse error with line and column") {
  model good = make(good_year());
  CHECK(template_error(good, "第一行\n{#if jobs:met}好") == "<template>:2:1: {#if} without {/if}");
  CHECK(template_error(good, "好{/if}") == "<template>:1:2: {/if} without {#if}");
  CHECK(template_error(good, "{#else}") == "<template>:1:1: {#else} without {#if}");
  CHECK(template_error(good, "{#if jobs:great}{/if}").find("unknown predicate 'great'") != std::string::npos);
  CHECK(template_error(good, "{#if jobs:status == done}{/if}").find("unknown status 'done'") != std::string::npos);
  CHECK(template_error(good, "{#if nojobs:met}{/if}").find("unknown indicator 'nojobs'") != std::string::npos);
  // A typo in a branch that is not taken is still an error.
  CHECK(template_error(good, "{#if jobs:met}好{#else}{jbos}{/if}").find("unknown indicator 'jbos'") != std::string::npos);
  CHECK(template_error(good, "{#if jobs:met}{#frobnicate}{/if}").find("unknown control") != std::string::npos);
}
