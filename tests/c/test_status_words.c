/* Status wording through the C ABI: a county of two towns built from CSV text, every target kind rendered by
 * zb_model_report where the data makes its wording true and where it makes it false. Each false case changes
 * single values of the county where everything holds, and nothing else; the expected strings are worked out
 * by hand in the comments (tests/data/status is the same county as files). */
#include <zhibiao/zhibiao.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

static const char regions[] = "code,name,level,parent\nK,丙县,county,\nk1,丙一镇,town,K\nk2,丙二镇,town,K\n";
static const char indicators[] =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
    "jobs,城镇新增就业,人,flow,0,,,,\n"
    "unemployed,失业人数,人,stock,0,,,,\n"
    "employed,从业人数,人,stock,0,,,,\n"
    "rate,城镇登记失业率,%,ratio,2,unemployed,unemployed+employed,100,\n"
    "trainees,在训人数,人,stock,0,,,,\n"
    "incidents,重大群体性事件,起,flow,0,,,,\n"
    "training,职业技能培训,人次,flow,0,,,,\n"
    "min_wage,最低工资标准,元,parameter,0,,,,\n";

/* The values a case may change; everything else is fixed. */
struct county {
  int k2_jobs_h1, k2_jobs_year, k1_unemployed_dec, k2_trainees_dec, incidents, training, min_wage_july, k2_jobs_target;
  const char* k2_jobs_h1_qualifier; /* "" or lower_bound */
  const char* jobs_schedule;        /* "" (linear) or year_end */
};

/* Everything holds: jobs 36 + 24 = 60 of 60 (and 20 + 10 = 30 = 50.0 % by June, 序时进度 6/12 = 50.0 %); the
 * towns' floors 36 + 24 = the county's 60; the rate (3 + 2) / (3 + 97 + 2 + 98) = 2.50 % ≤ 3.5; 在训 30 + 30 =
 * 60 within 50–80; no incident; training 50 against 50 a year earlier; 最低工资标准 1800, then the target 1900
 * from July. */
static const struct county holds = {10, 24, 3, 30, 0, 50, 1900, 24, "", ""};

/* The county's model with its targets, rolled up; NULL when a load failed (and the failure counted). */
static zb_model load(const struct county* c) {
  char observations[1024], targets[512];
  snprintf(observations, sizeof observations,
           "region,period,indicator,value,qualifier\n"
           "k1,2021-01..2021-06,jobs,20,\nk2,2021-01..2021-06,jobs,%d,%s\n"
           "k1,2021-01..2021-12,jobs,36\nk2,2021-01..2021-12,jobs,%d\n"
           "k1,2021-01,unemployed,3\nk1,2021-01,employed,97\nk2,2021-01,unemployed,2\nk2,2021-01,employed,98\n"
           "k1,2021-12,unemployed,%d\n"
           "k1,2021-01,trainees,30\nk2,2021-01,trainees,30\nk2,2021-12,trainees,%d\n"
           "k1,2021-03,incidents,%d\n"
           "k1,2020-03,training,50\nk1,2021-03,training,%d\n"
           "K,2021-01,min_wage,1800\nK,2021-07,min_wage,%d\n",
           c->k2_jobs_h1, c->k2_jobs_h1_qualifier, c->k2_jobs_year, c->k1_unemployed_dec, c->k2_trainees_dec, c->incidents, c->training,
           c->min_wage_july);
  snprintf(targets, sizeof targets,
           "region,indicator,period,kind,value,upper,schedule\n"
           "K,jobs,2021,floor,60,,%s\nk1,jobs,2021,floor,36,,\nk2,jobs,2021,floor,%d,,\n"
           "K,rate,2021,cap,3.5,,\nK,trainees,2021,band,50,80,\nK,incidents,2021,zero,0,,\nK,training,2021,no_decrease,,,\n"
           "K,min_wage,2021,floor,1900,,\n",
           c->jobs_schedule, c->k2_jobs_target);
  zb_model m = NULL;
  int ok = zb_model_create(&m) == ZB_OK && zb_model_load_regions_text(m, regions, strlen(regions), "regions.csv") == ZB_OK &&
           zb_model_load_indicators_text(m, indicators, strlen(indicators), "indicators.csv") == ZB_OK &&
           zb_model_load_observations_text(m, observations, strlen(observations), "observations.csv") == ZB_OK &&
           zb_model_rollup(m) == ZB_OK && zb_model_load_targets_text(m, targets, strlen(targets), "targets.csv") == ZB_OK;
  CHECK(ok);
  if (!ok) zb_model_destroy(&m);
  return m;
}

/* Whether `tmpl` renders as `want` for 丙县 and `period`, and its warnings (one per line) as `want_warnings`. */
static int renders_warning(const struct county* c, const char* period, const char* tmpl, const char* want, const char* want_warnings) {
  zb_model m = load(c);
  char *out = NULL, *warnings = NULL;
  int ok = m && zb_model_report(m, tmpl, strlen(tmpl), "K", period, &out, &warnings) == ZB_OK && strcmp(out, want) == 0 &&
           strcmp(warnings, want_warnings) == 0;
  if (!ok) fprintf(stderr, "  %s for %s: \"%s\" with warnings \"%s\"\n", tmpl, period, out ? out : "(none)", warnings ? warnings : "(none)");
  zb_free(out);
  zb_free(warnings);
  zb_model_destroy(&m);
  return ok;
}

static int renders(const struct county* c, const char* period, const char* tmpl, const char* want) {
  return renders_warning(c, period, tmpl, want, "");
}

static void test_floor(void) {
  const char* t = "{jobs:status}{#if jobs:met}，达标{#else}，未达标{/if}";
  struct county more = holds, less = holds, ahead = holds, behind = holds;
  more.k2_jobs_year = 30;  /* 36 + 30 = 66 > 60 */
  less.k2_jobs_year = 14;  /* 36 + 14 = 50: 50 / 60 = 83.33… → 83.3 % */
  ahead.k2_jobs_h1 = 16;   /* 20 + 16 = 36: 60.0 % > 50.0 % */
  behind.k2_jobs_h1 = 4;   /* 20 + 4 = 24: 40.0 % < 50.0 % */
  CHECK(renders(&holds, "2021", t, "完成年度任务，达标")); /* 60 of 60 exactly */
  CHECK(renders(&more, "2021", t, "超额完成年度任务，达标"));
  CHECK(renders(&less, "2021", t, "未完成年度任务（完成率83.3%），未达标"));
  CHECK(renders(&holds, "2021年1-6月", t, "符合序时进度，达标")); /* 30 / 60 = 50.0 % = 6/12 */
  CHECK(renders(&ahead, "2021年1-6月", t, "快于序时进度，达标"));
  CHECK(renders(&behind, "2021年1-6月", t, "慢于序时进度，未达标"));
  /* Judged only at the year's end: no 序时进度 in June, not behind. */
  struct county year_end = behind;
  year_end.jobs_schedule = "year_end";
  CHECK(renders(&year_end, "2021年1-6月", t, "年末考核，达标"));
  /* A lower bound decides only a floor it already reaches: 16多 is ahead (at least 60.0 %), 4多 undecided. */
  struct county at_least_ahead = ahead, at_least_behind = behind;
  at_least_ahead.k2_jobs_h1_qualifier = at_least_behind.k2_jobs_h1_qualifier = "lower_bound";
  CHECK(renders(&at_least_ahead, "2021年1-6月", "{jobs:status}", "快于序时进度"));
  CHECK(renders(&at_least_behind, "2021年1-6月", "{jobs:status}", "数据为约数或下限，无法判定"));
}

/* A level in force (最低工资标准): 1900 reached in July; 1800 in June, the year not over; 1850 short at the end. */
static void test_parameter_floor(void) {
  const char* t = "{min_wage:status}{#if min_wage:missed}，未达标{/if}";
  struct county short_of = holds;
  short_of.min_wage_july = 1850;
  CHECK(renders(&holds, "2021", t, "达到1900元的目标"));
  CHECK(renders(&holds, "2021年1-6月", t, "尚未达到1900元的目标"));
  CHECK(renders(&short_of, "2021", t, "未达到1900元的目标，未达标"));
}

static void test_cap_band_zero_no_decrease(void) {
  struct county breach = holds, above = holds, incident = holds, up = holds, down = holds;
  breach.k1_unemployed_dec = 9; /* (9 + 2) / (9 + 97 + 2 + 98) = 11 / 206 = 5.339… → 5.34 %: 1.84 over 3.5 in 12月 */
  above.k2_trainees_dec = 60;   /* 30 + 60 = 90 > 80 in 12月 */
  incident.incidents = 2;
  up.training = 60;             /* (60 − 50) / 50 = +20.0 % */
  down.training = 40;           /* (40 − 50) / 50 = −20.0 % */
  const char* cap = "{rate:status}{#if rate:breached}，超标{#else}，达标{/if}";
  const char* band = "{trainees:status}{#if trainees:ok}，正常{#else}，越界{/if}";
  const char* zero = "全县{incidents:status}重大群体性事件{#if not incidents:ok}，未达标{/if}";
  const char* same = "{training:status}{#if training:breached}，未达标{#else}，达标{/if}";
  const struct {
    const struct county* c;
    const char *tmpl, *want;
  } cases[] = {
      {&holds, cap, "控制在3.5%以内，达标"},
      {&breach, cap, "超出控制线1.84个百分点（12月），超标"},
      {&holds, band, "保持在50至80人之间，正常"},
      {&above, band, "超出50至80人的区间（12月），越界"},
      {&holds, zero, "全县未发生重大群体性事件"},
      {&incident, zero, "全县发生2起重大群体性事件，未达标"},
      {&holds, same, "与上年同期持平，达标"},
      {&up, same, "比上年同期增长20.0%，达标"},
      {&down, same, "比上年同期下降20.0%，未达标"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) CHECK(renders(cases[k].c, "2021", cases[k].tmpl, cases[k].want));
}

static void test_allocation(void) {
  struct county under = holds, over = holds;
  under.k2_jobs_target = 20; /* 36 + 20 = 56 < 60 */
  over.k2_jobs_target = 30;  /* 36 + 30 = 66 > 60 */
  const char* t = "{jobs:allocation}{#if jobs:allocated}，一致{#elif jobs:allocation == under_allocated}，不足{#else}，超额{/if}";
  CHECK(renders(&holds, "2021", t, "已全部分解下达，一致"));
  CHECK(renders(&under, "2021", t, "分解下达56人，少于年度任务60人，不足"));
  CHECK(renders(&over, "2021", t, "分解下达66人，超过年度任务60人，超额"));
  /* 丙一镇 has no children to allocate to: missing, with its warning. */
  CHECK(renders_warning(&holds, "2021", "{jobs@k1:allocation}", "—",
                        "<template>:1:1: {jobs@k1:allocation}: no allocation (分解下达): not a region's floor of a flow or stock, "
                        "or no child has a target for 丙一镇 2021年\n"));
  /* The check reads the same: the allocation finding of 丙县 is under_allocated. */
  zb_model m = load(&under);
  zb_findings f = NULL;
  size_t n = 0, seen = 0;
  CHECK(m && zb_model_check(m, "2021-12", 0, &f) == ZB_OK && zb_findings_count(f, &n) == ZB_OK);
  for (size_t k = 0; k < n; ++k) {
    zb_finding one;
    CHECK(zb_findings_get(f, k, &one) == ZB_OK);
    if (strcmp(one.check, "allocation") == 0 && strcmp(one.region, "K") == 0) {
      ++seen;
      CHECK(strcmp(one.status, "under_allocated") == 0 && strcmp(one.actual, "56") == 0 && strcmp(one.expected, "60") == 0);
    }
  }
  CHECK(seen == 1);
  zb_findings_destroy(&f);
  /* A misspelt modifier is a parse error at its line and column. */
  char* out = NULL;
  const char* bad = "分解\n  {jobs:allocatoin}";
  size_t line = 0, column = 0;
  CHECK(m && zb_model_report(m, bad, strlen(bad), "K", "2021", &out, NULL) == ZB_PARSE && out == NULL);
  zb_last_error_location(NULL, &line, &column);
  CHECK(line == 2 && column == 3 && strstr(zb_last_error(), "unknown modifier 'allocatoin'") != NULL);
  zb_model_destroy(&m);
}

int main(void) {
  test_floor();
  test_parameter_floor();
  test_cap_band_zero_no_decrease();
  test_allocation();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
