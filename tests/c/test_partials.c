/* Partials through the C ABI from plain C11: a province rolled up in its own model, exported, and loaded as
 * a leaf of the nation's model, against one model of the whole tree. Worked by hand:
 *   全国 N ⊃ {甲省 P ⊃ {t1, t2}, 乙省 Q ⊃ {t3}}; jobs (flow, 人); unemp, emp (stocks); rate = unemp / (unemp + emp) %
 *   January: t1 jobs 10, t2 jobs 5, t3 jobs 7 → N 22 (3 of 3)
 *   February: t1 jobs 4, t2 silent, t3 jobs 6 → N 10 (2 of 3), 1-2月 32
 *   unemp/emp in January: t1 30/970, t3 10/490 (t2 silent) → N rate 40 / 1500 = 2.666…% → 2.67 (2 of 3)
 * usage: zhibiao_c_partials_test */
#include <zhibiao/zhibiao.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char* indicators =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
    "jobs,城镇新增就业,人,flow,0,,,,\n"
    "unemp,登记失业人数,人,stock,0,,,,\n"
    "emp,就业人数,人,stock,0,,,,\n"
    "rate,城镇登记失业率,%,ratio,2,unemp,unemp+emp,100,\n";

static zb_model model_of(const char* regions, const char* observations) {
  zb_model m = NULL;
  CHECK(zb_model_create(&m) == ZB_OK);
  CHECK(zb_model_load_regions_text(m, regions, strlen(regions), "regions.csv") == ZB_OK);
  CHECK(zb_model_load_indicators_text(m, indicators, strlen(indicators), "indicators.csv") == ZB_OK);
  if (observations) CHECK(zb_model_load_observations_text(m, observations, strlen(observations), "observations.csv") == ZB_OK);
  return m;
}

static void expect(zb_model m, const char* region, const char* period, const char* indicator, const char* text, int reporting,
                   int expected) {
  zb_value v;
  char buf[64];
  size_t len = 0;
  CHECK(zb_model_value(m, region, period, indicator, &v, buf, sizeof buf, &len) == ZB_OK);
  if (strcmp(buf, text) != 0 || v.reporting != reporting || v.expected != expected) {
    ++failed;
    fprintf(stderr, "%s %s %s: got %s (%d of %d), want %s (%d of %d)\n", region, period, indicator, buf, v.reporting, v.expected,
            text, reporting, expected);
  } else {
    ++passed;
  }
}

static const char* p_obs = "region,period,indicator,value\nt1,2021-01,jobs,10\nt2,2021-01,jobs,5\nt1,2021-02,jobs,4\n"
                           "t1,2021-01,unemp,30\nt1,2021-01,emp,970\n";
static const char* q_obs = "region,period,indicator,value\nt3,2021-01,jobs,7\nt3,2021-02,jobs,6\nt3,2021-01,unemp,10\nt3,2021-01,emp,490\n";

int main(void) {
  /* The province alone, rolled up and exported. */
  zb_model p = model_of("code,name,level,parent\nP,甲省,province,\nt1,一镇,town,P\nt2,二镇,town,P\n", p_obs);
  CHECK(zb_model_rollup(p) == ZB_OK);
  size_t count = 0;
  CHECK(zb_model_export_partial(p, "P", 2021, 0, NULL, NULL, NULL, NULL, NULL, &count) == ZB_BUFFER_TOO_SMALL);
  CHECK(count == 4 * 12);
  int64_t monthly[48], ytd[48];
  int32_t reporting[48], expected[12];
  uint8_t present[48];
  CHECK(zb_model_export_partial(p, "P", 2021, 48, monthly, ytd, reporting, present, expected, &count) == ZB_OK);
  CHECK(monthly[0] == 15 && reporting[0] == 2 && expected[0] == 2); /* jobs, January: 10 + 5, 2 of 2 */
  CHECK(monthly[1] == 4 && ytd[1] == 19 && reporting[1] == 1);       /* February: t1 alone */
  CHECK(zb_model_export_partial(p, "nowhere", 2021, 48, monthly, ytd, reporting, present, expected, &count) == ZB_NOT_FOUND);

  /* The nation with P as a leaf whose roll-up is the partial, and Q's towns as usual. */
  const char* codes = "jobs\nunemp\nemp\nrate\n";
  zb_model top = model_of("code,name,level,parent\nN,全国,nation,\nP,甲省,province,N\nQ,乙省,province,N\nt3,三镇,town,Q\n", q_obs);
  CHECK(zb_model_load_partial(top, "P", 2021, codes, 48, monthly, ytd, reporting, present, expected) == ZB_OK);
  /* Misuse is an error, never a crash: the wrong size, another catalogue, a region with children. */
  CHECK(zb_model_load_partial(top, "P", 2021, codes, 5, monthly, ytd, reporting, present, expected) == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_load_partial(top, "P", 2021, "jobs\nrate\nemp\nunemp\n", 48, monthly, ytd, reporting, present, expected) ==
        ZB_INVALID_ARGUMENT);
  CHECK(zb_model_load_partial(top, "N", 2021, codes, 48, monthly, ytd, reporting, present, expected) == ZB_INVALID_ARGUMENT);
  CHECK(zb_model_load_partial(top, "P", 2021, codes, 48, NULL, ytd, reporting, present, expected) != ZB_OK);
  CHECK(zb_model_rollup(top) == ZB_OK);

  /* The same numbers as one model of the whole tree, and as worked by hand. */
  char all_obs[1024];
  snprintf(all_obs, sizeof all_obs, "%s%s", p_obs, strchr(q_obs, '\n') + 1);
  zb_model whole = model_of("code,name,level,parent\nN,全国,nation,\nP,甲省,province,N\nQ,乙省,province,N\n"
                            "t1,一镇,town,P\nt2,二镇,town,P\nt3,三镇,town,Q\n",
                            all_obs);
  CHECK(zb_model_rollup(whole) == ZB_OK);
  zb_model both[2] = {top, whole};
  for (int k = 0; k < 2; ++k) {
    expect(both[k], "N", "2021-01", "jobs", "22", 3, 3);
    expect(both[k], "N", "2021-02", "jobs", "10", 2, 3);
    expect(both[k], "N", "2021年1-2月", "jobs", "32", 2, 3);
    expect(both[k], "N", "2021-01", "rate", "2.67", 2, 3);
  }
  zb_model_destroy(&p);
  zb_model_destroy(&top);
  zb_model_destroy(&whole);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
