/* Drives the C ABI end to end from plain C11, including misuse: NULL handles, double destroy,
 * queries before the roll-up, a load error followed by successful use, huge and malformed input. */
#include <zhibiao/version.h>
#include <zhibiao/zhibiao.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char* data_dir;

static char* path(const char* file) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/small/%s", data_dir, file);
  return buf;
}

static zb_model small_model(void) {
  zb_model m = NULL;
  CHECK(zb_model_create(&m) == ZB_OK);
  CHECK(zb_model_load_regions(m, path("regions.csv")) == ZB_OK);
  CHECK(zb_model_load_indicators(m, path("indicators.csv")) == ZB_OK);
  CHECK(zb_model_load_observations(m, path("observations.csv")) == ZB_OK);
  return m;
}

static void test_library(void) {
  CHECK(strcmp(zb_version(), ZHIBIAO_VERSION_STRING) == 0);
  CHECK(zb_abi_version() == ZB_ABI_VERSION);
}

/* A span across years: zb_period_parse cannot describe it with one year and refuses; zb_period_parse_span reads it. */
static void test_periods(void) {
  int32_t y0 = 0, m0 = 0, y1 = 0, m1 = 0;
  CHECK(zb_period_parse("2020-11..2021-02", &y1, &m0, &m1) == ZB_INVALID_ARGUMENT);
  CHECK(strstr(zb_last_error(), "zb_period_parse_span") != NULL);
  CHECK(zb_period_parse_span("2020年11月至2021年2月", &y0, &m0, &y1, &m1) == ZB_OK);
  CHECK(y0 == 2020 && m0 == 11 && y1 == 2021 && m1 == 2);
  CHECK(zb_period_parse_span("2021年3-11月", &y0, &m0, &y1, &m1) == ZB_OK);
  CHECK(y0 == 2021 && m0 == 3 && y1 == 2021 && m1 == 11);
  CHECK(zb_period_parse_span("2021-13", NULL, NULL, NULL, NULL) == ZB_PARSE);
  CHECK(zb_period_parse_span(NULL, NULL, NULL, NULL, NULL) == ZB_INVALID_ARGUMENT);
}

/* tests/data/stale (worked out in tests/cli/stale_and_spans.sh): a span across years, and stocks whose value
 * is an earlier month's end, counted in zb_value.carried. */
static void test_spans_and_carried_stocks(void) {
  char buf[3][4096];
  const char* files[3] = {"regions.csv", "indicators.csv", "observations.csv"};
  for (int k = 0; k < 3; ++k) snprintf(buf[k], sizeof buf[k], "%s/stale/%s", data_dir, files[k]);
  zb_model m = NULL;
  zb_value v;
  CHECK(zb_model_create(&m) == ZB_OK);
  CHECK(zb_model_load_regions(m, buf[0]) == ZB_OK);
  CHECK(zb_model_load_indicators(m, buf[1]) == ZB_OK);
  CHECK(zb_model_load_observations(m, buf[2]) == ZB_OK);
  CHECK(zb_model_rollup(m) == ZB_OK);
  /* jobs 2020-12..2021-02 = 7 + 10 + 4 = 21; coverage of February: 二镇 only. */
  CHECK(zb_model_value(m, "K", "2020-12..2021-02", "jobs", &v, NULL, 0, NULL) == ZB_OK);
  CHECK(v.has_value && v.scaled == 21 && v.reporting == 1 && v.expected == 2 && v.carried == 0);
  /* insured 截至4月底: 一镇's March 120 + 二镇's February 50, both carried. */
  CHECK(zb_model_value(m, "K", "2021-04-30", "insured", &v, NULL, 0, NULL) == ZB_OK);
  CHECK(v.has_value && v.scaled == 170 && v.reporting == 0 && v.carried == 2);
  /* insured_q (max_age 2) 截至6月底: 一镇's June 310 only; 二镇's March value is too old. */
  CHECK(zb_model_value(m, "K", "2021-06-30", "insured_q", &v, NULL, 0, NULL) == ZB_OK);
  CHECK(v.has_value && v.scaled == 310 && v.reporting == 1 && v.carried == 0 && v.qualifier == ZB_QUALIFIER_NONE);
  /* 截至5月底: both March values, 二镇's a lower bound. */
  CHECK(zb_model_value(m, "K", "2021-05-31", "insured_q", &v, NULL, 0, NULL) == ZB_OK);
  CHECK(v.has_value && v.scaled == 500 && v.carried == 2 && v.qualifier == ZB_QUALIFIER_LOWER_BOUND);
  zb_model_destroy(&m);
}

/* tests/data/dates: a day date (unit 日期) crosses as its day number with the ISO text; 一镇 reads 甲县's
 * 2020-11-05 in 2021 (days since 1970-01-01: 18262 for 2020-01-01 + 305 + 4 = 18571). */
static void test_dates(void) {
  char buf[3][4096], text[32], unit[16];
  const char* files[3] = {"regions.csv", "indicators.csv", "observations.csv"};
  for (int k = 0; k < 3; ++k) snprintf(buf[k], sizeof buf[k], "%s/dates/%s", data_dir, files[k]);
  zb_model m = NULL;
  zb_value v;
  size_t len = 0;
  int32_t id = -1;
  CHECK(zb_model_create(&m) == ZB_OK);
  CHECK(zb_model_load_regions(m, buf[0]) == ZB_OK);
  CHECK(zb_model_load_indicators(m, buf[1]) == ZB_OK);
  CHECK(zb_model_load_observations(m, buf[2]) == ZB_OK);
  CHECK(zb_model_rollup(m) == ZB_OK);
  CHECK(zb_model_value(m, "t1", "2021", "policy_date", &v, text, sizeof text, &len) == ZB_OK);
  CHECK(v.has_value && v.scaled == 18571 && v.scale == 0 && strcmp(text, "2020-11-05") == 0 && len == 10);
  CHECK(zb_model_indicator_id(m, "policy_date", &id) == ZB_OK);
  CHECK(zb_model_indicator_unit(m, id, unit, sizeof unit, &len) == ZB_OK && strcmp(unit, "日期") == 0);
  CHECK(zb_model_indicator_unit(m, 99, unit, sizeof unit, &len) == ZB_INVALID_ARGUMENT);
  /* set_value takes the day as text; a day that does not exist is a parse error. */
  CHECK(zb_model_set_value(m, "L", "2021-01", "policy_date", "2021年1月4日") == ZB_OK);
  CHECK(zb_model_value(m, "u1", "2021-02", "policy_date", &v, text, sizeof text, &len) == ZB_OK);
  CHECK(strcmp(text, "2021-01-04") == 0);
  CHECK(zb_model_set_value(m, "L", "2021-01", "policy_date", "2021-02-30") == ZB_PARSE);
  CHECK(strstr(zb_last_error(), "there is no day 30") != NULL);
  zb_model_destroy(&m);
}

static void test_null_handles(void) {
  zb_value v;
  char* text = NULL;
  CHECK(zb_model_create(NULL) == ZB_INVALID_ARGUMENT);
  CHECK(strstr(zb_last_error(), "'out'") != NULL);
  CHECK(zb_last_error_code() == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_rollup(NULL) == ZB_INVALID_ARGUMENT);
  CHECK(strstr(zb_last_error(), "'model'") != NULL);
  CHECK(zb_model_value(NULL, "A", "2021-01", "new_jobs", &v, NULL, 0, NULL) == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_explain(NULL, "A", "2021-01", "new_jobs", &text) == ZB_INVALID_ARGUMENT);
  CHECK(zb_findings_count(NULL, NULL) == ZB_INVALID_ARGUMENT);
  zb_model_destroy(NULL); /* harmless */
  zb_findings_destroy(NULL);
  zb_free(NULL);
}

static void test_rollup_and_query(void) {
  zb_model m = small_model();
  zb_value v;
  char text[64];
  size_t len = 0;
  /* Before the roll-up a query is a state error, not a crash or a zero. */
  CHECK(zb_model_value(m, "A", "2021-02", "new_jobs", &v, text, sizeof text, &len) == ZB_STATE);
  CHECK(zb_model_rollup(m) == ZB_OK);
  /* 甲县 in February: a1 20, a2 missing → 20 with 1 of 2 towns reporting (hand-worked). */
  CHECK(zb_model_value(m, "A", "2021-02", "new_jobs", &v, text, sizeof text, &len) == ZB_OK);
  CHECK(v.has_value == 1 && v.scaled == 20 && v.scale == 0 && v.reporting == 1 && v.expected == 2);
  CHECK(strcmp(text, "20") == 0 && len == 2);
  /* The rate recomputed from parts: 40 / 1100 × 100 = 3.64 (scale 2 → 364). */
  CHECK(zb_model_value(m, "A", "2021-01", "rate", &v, text, sizeof text, NULL) == ZB_OK);
  CHECK(v.scaled == 364 && v.scale == 2 && strcmp(text, "3.64") == 0);
  /* Money keeps its decimals: 15.75 万元 through February. */
  CHECK(zb_model_value(m, "C1", "2021年1-2月", "loan_amount", &v, text, sizeof text, NULL) == ZB_OK);
  CHECK(v.scaled == 1575 && v.scale == 2);
  /* Missing is not zero. */
  CHECK(zb_model_value(m, "C1", "2021-04", "new_jobs", &v, text, sizeof text, NULL) == ZB_OK);
  CHECK(v.has_value == 0 && text[0] == '\0');
  /* A text buffer that is too small is truncated, the full length reported. */
  CHECK(zb_model_value(m, "A", "2021-01", "rate", &v, text, 3, &len) == ZB_OK);
  CHECK(strcmp(text, "3.") == 0 && len == 4);
  /* Unknown codes are named. */
  CHECK(zb_model_value(m, "nowhere", "2021-01", "rate", &v, NULL, 0, NULL) == ZB_NOT_FOUND);
  CHECK(strstr(zb_last_error(), "nowhere") != NULL);
  CHECK(zb_model_value(m, "A", "2021-13", "rate", &v, NULL, 0, NULL) == ZB_PARSE);
  CHECK(zb_model_value(m, "A", "2021-01", "rate", NULL, NULL, 0, NULL) == ZB_INVALID_ARGUMENT);

  /* Bulk slice: the two counties in February: A 20, B 5. */
  size_t count = 0;
  CHECK(zb_model_slice(m, "county", "new_jobs", "2021-02", 0, NULL, NULL, &count) == ZB_BUFFER_TOO_SMALL);
  CHECK(count == 2);
  int32_t ids[2];
  zb_value vals[2];
  CHECK(zb_model_slice(m, "county", "new_jobs", "2021-02", 2, ids, vals, &count) == ZB_OK);
  char code[16];
  CHECK(zb_model_region_code(m, ids[0], code, sizeof code, NULL) == ZB_OK && strcmp(code, "A") == 0);
  CHECK(vals[0].scaled == 20 && vals[1].scaled == 5);

  /* Qualifiers: b1 reported February's 3.25 万元 as approximate (约), so C1's February (3.25, b1 alone) and
     1-2月 (12.50 + 3.25 = 15.75) are approximate; A's 1-2月 (a1's exact 12.50) is exact. */
  CHECK(zb_model_value(m, "C1", "2021-02", "loan_amount", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 325 &&
        v.qualifier == ZB_QUALIFIER_APPROXIMATE);
  CHECK(zb_model_value(m, "C1", "2021-01..2021-02", "loan_amount", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 1575 &&
        v.qualifier == ZB_QUALIFIER_APPROXIMATE);
  CHECK(zb_model_value(m, "A", "2021-01..2021-02", "loan_amount", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 1250 &&
        v.qualifier == ZB_QUALIFIER_NONE);
  CHECK(vals[0].qualifier == ZB_QUALIFIER_NONE && vals[1].qualifier == ZB_QUALIFIER_NONE);

  /* Explain, freed with zb_free. */
  char* ex = NULL;
  CHECK(zb_model_explain(m, "A", "2021-02", "new_jobs", &ex) == ZB_OK);
  CHECK(ex && strstr(ex, "1 of 2") != NULL);
  zb_free(ex);

  /* Revisions through text and through arrays update the ancestors. */
  CHECK(zb_model_set_value(m, "a2", "2021-02", "new_jobs", "8") == ZB_OK);
  CHECK(zb_model_value(m, "C1", "2021-02", "new_jobs", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 33);
  int32_t r, i;
  CHECK(zb_model_region_id(m, "b1", &r) == ZB_OK && zb_model_indicator_id(m, "loan_amount", &i) == ZB_OK);
  int32_t year = 2021, month = 3;
  int64_t scaled = 100; /* 1.00 万元 */
  CHECK(zb_model_set_values(m, 1, &r, &i, &year, &month, &scaled, 2) == ZB_OK);
  CHECK(zb_model_value(m, "C1", "2021-01..2021-03", "loan_amount", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 1675);
  int64_t too_fine = 1; /* 0.001 does not fit 2 decimals: nothing applied */
  CHECK(zb_model_set_values(m, 1, &r, &i, &year, &month, &too_fine, 3) == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_value(m, "C1", "2021-01..2021-03", "loan_amount", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 1675);
  CHECK(zb_model_clear_value(m, "a2", "2021-02", "new_jobs") == ZB_OK);
  CHECK(zb_model_value(m, "C1", "2021-02", "new_jobs", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 25 && v.reporting == 2);

  /* The roll-up CSV. */
  char* csv = NULL;
  CHECK(zb_model_rollup_csv(m, &csv) == ZB_OK);
  CHECK(csv && strncmp(csv, "region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier\n", 79) == 0);
  zb_free(csv);

  zb_model_destroy(&m);
  CHECK(m == NULL);
  zb_model_destroy(&m); /* double destroy is harmless */
}

static void test_load_error_then_use(void) {
  zb_model m = small_model();
  CHECK(zb_model_rollup(m) == ZB_OK);
  const char* bad = "region,period,indicator,value\na1,2021-04,new_jobs,3\nzz,2021-04,new_jobs,4\n";
  CHECK(zb_model_load_observations_text(m, bad, strlen(bad), "bad.csv") == ZB_LOAD);
  const char* file = NULL;
  size_t line = 0, column = 0;
  zb_last_error_location(&file, &line, &column);
  CHECK(file && strcmp(file, "bad.csv") == 0 && line == 3 && column == 1);
  CHECK(strstr(zb_last_error(), "unknown region 'zz'") != NULL);
  /* Nothing from the failed file was kept; the model is still usable. */
  zb_value v;
  CHECK(zb_model_rollup(m) == ZB_OK);
  CHECK(zb_model_value(m, "a1", "2021-04", "new_jobs", &v, NULL, 0, NULL) == ZB_OK && v.has_value == 0);
  const char* good = "region,period,indicator,value\na1,2021-04,new_jobs,3\n";
  CHECK(zb_model_load_observations_text(m, good, strlen(good), "good.csv") == ZB_OK);
  CHECK(zb_model_rollup(m) == ZB_OK);
  CHECK(zb_model_value(m, "C1", "2021-04", "new_jobs", &v, NULL, 0, NULL) == ZB_OK && v.scaled == 3);
  zb_model_destroy(&m);
}

static void test_hostile_input(void) {
  zb_model m = small_model();
  /* A 40-digit value overflows: an error, never a wrap. */
  const char* big = "region,period,indicator,value\na1,2021-05,new_jobs,1234567890123456789012345678901234567890\n";
  CHECK(zb_model_load_observations_text(m, big, strlen(big), "big.csv") == ZB_OVERFLOW);
  /* A 200 000-byte field hits the field limit. */
  size_t n = 200000;
  char* huge = malloc(n + 64);
  strcpy(huge, "region,period,indicator,value\n");
  size_t off = strlen(huge);
  memset(huge + off, 'x', n);
  strcpy(huge + off + n, ",2021-05,new_jobs,1\n");
  CHECK(zb_model_load_observations_text(m, huge, strlen(huge), "huge.csv") == ZB_LIMIT);
  free(huge);
  /* Not UTF-8 (GBK bytes for 海丰). */
  const char* gbk = "code,name,level,parent\nX,\xBA\xA3\xB7\xE1,city,\n";
  zb_model other = NULL;
  CHECK(zb_model_create(&other) == ZB_OK);
  CHECK(zb_model_load_regions_text(other, gbk, strlen(gbk), "gbk.csv") == ZB_LOAD);
  CHECK(strstr(zb_last_error(), "GB18030") != NULL);
  /* Text with an embedded NUL and no header. */
  const char nul[] = "a\0b";
  CHECK(zb_model_load_indicators_text(other, nul, 3, "nul.csv") == ZB_LOAD);
  zb_model_destroy(&other);
  CHECK(zb_model_rollup(m) == ZB_OK);
  zb_model_destroy(&m);
}

static void test_checks_and_report(void) {
  zb_model m = small_model();
  CHECK(zb_model_rollup(m) == ZB_OK);
  const char* targets = "region,indicator,period,kind,value\nC1,new_jobs,2021,floor,400\nC1,rate,2021,cap,3.5\n";
  CHECK(zb_model_load_targets_text(m, targets, strlen(targets), "targets.csv") == ZB_OK);
  const char* rules = "jobs_positive | error | new_jobs >= 0\nbad | error | new_jobs <= \n";
  CHECK(zb_model_load_rules_text(m, rules, strlen(rules), "rules.txt") == ZB_RULE);
  size_t line = 0;
  zb_last_error_location(NULL, &line, NULL);
  CHECK(line == 2);
  zb_findings f = NULL;
  CHECK(zb_model_check(m, "2021-03", 0, &f) == ZB_OK);
  size_t count = 0;
  CHECK(zb_findings_count(f, &count) == ZB_OK && count >= 2);
  zb_finding one;
  int saw_floor = 0;
  for (size_t k = 0; k < count; ++k) {
    CHECK(zb_findings_get(f, k, &one) == ZB_OK);
    /* 1-3月 100 of 400 = 25.0 %, exactly the time progress 3/12 = 25 % → on track. */
    if (strcmp(one.check, "target") == 0 && strcmp(one.subject, "new_jobs") == 0) {
      saw_floor = 1;
      CHECK(strcmp(one.status, "on_track") == 0);
      CHECK(one.actual && strcmp(one.actual, "100") == 0);
    }
  }
  CHECK(saw_floor);
  CHECK(zb_findings_get(f, count, &one) == ZB_INVALID_ARGUMENT);
  zb_findings_destroy(&f);
  CHECK(f == NULL);
  const char* tmpl = "{region}{period}新增就业{new_jobs}人，失业率{rate}%，控制在{rate:target}%以内，{loan_amount:亿元:4}亿元";
  char* out = NULL;
  char* warnings = NULL;
  CHECK(zb_model_report(m, tmpl, strlen(tmpl), "C1", "2021年1-3月", &out, &warnings) == ZB_OK);
  /* 1-3月 loan_amount: 12.50 + 3.25 (约) = 15.75 万元 → 0.0016 亿元, worded 约 from b1's approximate part. */
  CHECK(out && strcmp(out, "示例市2021年1-3月新增就业100人，失业率2.93%，控制在3.5%以内，约0.0016亿元") == 0);
  CHECK(warnings && warnings[0] == '\0');
  zb_free(out);
  zb_free(warnings);
  /* Status words come from the one target evaluation: as of March the floor of 400 stands at 100 = 25.0 %
   * against 序时进度 25.0 %; the rate 44 / 1501 = 2.93 % holds its cap of 3.5 %. */
  const char* status_tmpl = "{new_jobs:status}；失业率{rate}%，{rate:status}，{#if rate:breached}超标{#else}达标{/if}";
  CHECK(zb_model_report(m, status_tmpl, strlen(status_tmpl), "C1", "2021年1-3月", &out, NULL) == ZB_OK);
  CHECK(out && strcmp(out, "符合序时进度；失业率2.93%，控制在3.5%以内，达标") == 0);
  zb_free(out);
  /* 200 unemployed in 乙一镇 in March: (31 + 11 + 200) / (242 + 1457) = 14.24 %, 10.74 个百分点 over the cap. */
  CHECK(zb_model_set_value(m, "b1", "2021-03", "unemployed", "200") == ZB_OK);
  CHECK(zb_model_report(m, status_tmpl, strlen(status_tmpl), "C1", "2021年1-3月", &out, NULL) == ZB_OK);
  CHECK(out && strcmp(out, "符合序时进度；失业率14.24%，超出控制线10.74个百分点（3月），超标") == 0);
  zb_free(out);
  const char* bad_tmpl = "新增就业{no_such}人";
  CHECK(zb_model_report(m, bad_tmpl, strlen(bad_tmpl), "C1", "2021", &out, NULL) == ZB_PARSE);
  CHECK(strstr(zb_last_error(), "no_such") != NULL);
  zb_model_destroy(&m);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_c_api DATA_DIR\n");
    return 2;
  }
  data_dir = argv[1];
  test_library();
  test_periods();
  test_spans_and_carried_stocks();
  test_dates();
  test_null_handles();
  test_rollup_and_query();
  test_load_error_then_use();
  test_hostile_input();
  test_checks_and_report();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
