/* The 报表 through the C ABI from plain C11: zb_model_table_csv and zb_model_write_table on the hand-worked
 * data set tests/data/report (甲县 X: 甲一镇 x1, 甲二镇 x2, 甲三镇 x3; see tests/unit/test_table.cpp for the
 * numbers worked out by hand: September 2021 jobs x1 60 / 1-9月 90 (no 2020 1-9月 value, so no 同比 column), x3 missing in September, X 85 / 145,
 * X target 800 → 完成率 18.1, 序时进度 75.0). usage: zhibiao_c_table_test DATA_DIR OUT.xlsx */
#include <zhibiao/zhibiao.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char* data_dir;

static char* path(const char* file) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/report/%s", data_dir, file);
  return buf;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s DATA_DIR OUT.xlsx\n", argv[0]);
    return 2;
  }
  data_dir = argv[1];
  zb_model m = NULL;
  char* csv = NULL;
  CHECK(zb_model_create(&m) == ZB_OK);
  CHECK(zb_model_load_regions(m, path("regions.csv")) == ZB_OK);
  CHECK(zb_model_load_indicators(m, path("indicators.csv")) == ZB_OK);
  CHECK(zb_model_load_scopes(m, path("scopes.csv")) == ZB_OK);
  CHECK(zb_model_load_observations(m, path("observations.csv")) == ZB_OK);
  CHECK(zb_model_table_csv(m, "X", "2021-09", "jobs", NULL, 0, &csv) == ZB_STATE);
  CHECK(csv == NULL);
  CHECK(zb_model_rollup(m) == ZB_OK);
  CHECK(zb_model_load_targets(m, path("targets.csv")) == ZB_OK);

  CHECK(zb_model_table_csv(m, "X", "2021-09", "jobs", NULL, 1, &csv) == ZB_OK);
  CHECK(csv != NULL);
  if (csv) {
    const char* keys = "code,name,jobs:monthly,jobs:cumulative,jobs:target,jobs:completion,jobs:progress,jobs:status,"
                       "jobs:coverage,notes\n";
    CHECK(strncmp(csv, keys, strlen(keys)) == 0);
    CHECK(strstr(csv, "\nx1,甲一镇,60,90,120,75.0,75.0,与序时进度基本一致,1/1,\n") != NULL);
    CHECK(strstr(csv, "\nx3,甲三镇,,10,30,33.3,,年末考核,0/1,9月未报送\n") != NULL);
    CHECK(strstr(csv, "\nX,全县合计,85,145,800,18.1,75.0,慢于序时进度,2/3,9月未报送：城镇新增就业\n") == NULL);
    CHECK(strstr(csv, "\nX,全县合计,85,145,800,18.1,75.0,慢于序时进度,2/3,\n") != NULL);
  }
  zb_free(csv);
  csv = NULL;

  /* One sheet per county of the city, separated by an empty line. */
  CHECK(zb_model_table_csv(m, "C", "2021-09", "jobs", "county", 0, &csv) == ZB_OK);
  if (csv) {
    CHECK(strstr(csv, "\n\n代码,名称,") != NULL);
    CHECK(strstr(csv, "\ny1,乙一镇,,,0/1,9月未报送\n") != NULL); /* 乙县 has no targets: no target columns */
  }
  zb_free(csv);
  csv = NULL;

  /* Errors: an unknown region, indicator or level, a quarter, NULL arguments. */
  CHECK(zb_model_table_csv(m, "nowhere", "2021-09", NULL, NULL, 0, &csv) == ZB_NOT_FOUND);
  CHECK(zb_model_table_csv(m, "X", "2021-09", "jobs,nope", NULL, 0, &csv) == ZB_NOT_FOUND);
  CHECK(strstr(zb_last_error(), "nope") != NULL);
  CHECK(zb_model_table_csv(m, "X", "2021-09", NULL, "hamlet", 0, &csv) == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_table_csv(m, "X", "2021Q3", NULL, NULL, 0, &csv) == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_table_csv(m, "X", "2021-09", NULL, NULL, 0, NULL) == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_table_csv(NULL, "X", "2021-09", NULL, NULL, 0, &csv) == ZB_INVALID_ARGUMENT);
  CHECK(csv == NULL);

  /* The workbook: written, a zip file; an unwritable path is ZB_IO; a bad format is refused. */
  CHECK(zb_model_write_table(m, "X", "2021-09", NULL, NULL, NULL, argv[2]) == ZB_OK);
  FILE* f = fopen(argv[2], "rb");
  CHECK(f != NULL);
  if (f) {
    char magic[2] = {0, 0};
    CHECK(fread(magic, 1, 2, f) == 2 && magic[0] == 'P' && magic[1] == 'K');
    fclose(f);
  }
  CHECK(zb_model_write_table(m, "X", "2021-09", NULL, NULL, "xlsx", "/nonexistent-dir/t.xlsx") == ZB_IO);
  CHECK(zb_model_write_table(m, "X", "2021-09", NULL, NULL, "pdf", argv[2]) == ZB_INVALID_ARGUMENT);
  zb_model_destroy(&m);
  CHECK(m == NULL);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
