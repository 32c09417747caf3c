/* The workbook import and revision through the C ABI: values, the failing cell as the error's file, the log. */
#include <zhibiao/zhibiao.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define EXPECT(cond)                                                  \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

static char path_buf[4][1024];

static const char* in(int slot, const char* dir, const char* file) {
  snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, file);
  return path_buf[slot];
}

static void expect_value(zb_model m, const char* region, const char* indicator, const char* want) {
  zb_value v;
  char text[64];
  EXPECT(zb_model_value(m, region, "2021-09", indicator, &v, text, sizeof text, NULL) == ZB_OK);
  if (strcmp(text, want) != 0) {
    fprintf(stderr, "%s %s: got '%s', want '%s'\n", region, indicator, text, want);
    ++failures;
  }
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s XLSX_DATA_DIR COUNTY_DIR\n", argv[0]);
    return 2;
  }
  const char* data = argv[1];
  const char* county = argv[2];
  zb_model m = NULL;
  EXPECT(zb_model_create(&m) == ZB_OK);
  EXPECT(zb_model_load_regions(m, in(0, county, "regions.csv")) == ZB_OK);
  EXPECT(zb_model_load_indicators(m, in(0, county, "indicators.csv")) == ZB_OK);

  /* A bad cell: ZB_LOAD, the message and the location name the sheet and cell; nothing is loaded. */
  EXPECT(zb_model_load_workbook(m, in(0, data, "bad_cells.xlsx"), in(1, data, "map.csv"), "unknown_town", "441521000000", NULL) == ZB_LOAD);
  EXPECT(strstr(zb_last_error(), "bad_cells.xlsx:unknown_town!B6: unknown town '新城镇' under 441521000000") != NULL);
  const char* file = NULL;
  zb_last_error_location(&file, NULL, NULL);
  EXPECT(file && strstr(file, "bad_cells.xlsx:unknown_town!B6") != NULL);
  EXPECT(zb_model_load_workbook(m, in(0, data, "deep.xlsx"), NULL, NULL, NULL, NULL) == ZB_LIMIT);
  EXPECT(zb_model_load_workbook(m, NULL, NULL, NULL, NULL, NULL) == ZB_INVALID_ARGUMENT);

  /* The bureau workbook: 梅陇镇 (C5 = 20), the number stored as text (小漠镇 C6 = 27), 万元 → 元 and the 合计 row. */
  EXPECT(zb_model_load_workbook(m, in(0, data, "haifeng.xlsx"), in(1, data, "map.csv"), NULL, "441521000000", NULL) == ZB_OK);
  EXPECT(zb_model_rollup(m) == ZB_OK);
  expect_value(m, "441521101000", "urban_new_employment", "20");
  expect_value(m, "441521102000", "urban_new_employment", "27");
  expect_value(m, "441521101000", "subsidy_startup_grant_amount", "1234.00");
  expect_value(m, "441521103000", "startup_guarantee_loan_amount", "42.90");
  expect_value(m, "441521000000", "urban_new_employment", "1160"); /* the towns' sum, not the reported 1163 */

  /* Loading it again is refused; revising with the corrected workbook changes 8 values and logs them. */
  EXPECT(zb_model_load_workbook(m, in(0, data, "haifeng.xlsx"), in(1, data, "map.csv"), NULL, "441521000000", NULL) == ZB_LOAD);
  EXPECT(strstr(zb_last_error(), "was already loaded") != NULL);
  const char* log = in(2, data, "c_revisions.csv");
  remove(log);
  size_t changed = 0;
  EXPECT(zb_model_revise(m, in(0, data, "haifeng_corrected.xlsx"), in(1, data, "map.csv"), NULL, "441521000000", NULL, log, &changed) == ZB_OK);
  EXPECT(changed == 8);
  expect_value(m, "441521101000", "urban_new_employment", "25");
  FILE* f = fopen(log, "r");
  EXPECT(f != NULL);
  if (f) {
    char line[512];
    int lines = 0;
    while (fgets(line, sizeof line, f)) ++lines;
    fclose(f);
    EXPECT(lines == 9);
  }
  /* The same changes, listed by the model: the log's header and 8 rows, 梅陇镇's 20 → 25 among them. */
  char* revs = NULL;
  EXPECT(zb_model_revisions_csv(m, &revs) == ZB_OK);
  if (revs) {
    int rows = 0;
    for (const char* c = revs; *c; ++c) rows += *c == '\n';
    EXPECT(rows == 9);
    EXPECT(strstr(revs, ",441521101000,2021-09,urban_new_employment,20,25,") != NULL);
    zb_free(revs);
  }
  EXPECT(zb_model_revisions_csv(m, NULL) == ZB_INVALID_ARGUMENT);
  zb_model_destroy(&m);
  EXPECT(m == NULL);
  if (failures) fprintf(stderr, "%d failures\n", failures);
  else printf("ok\n");
  return failures ? 1 : 0;
}
