/* The bad-input catalogue through the C ABI: every file of manifest.csv must fail with its zb_status and
 * message fragment (zb_last_error), and the same zb_model must then load the good small data and answer
 * A 2021-02 new_jobs = 20 (1 of 2 towns reported).
 *
 *   zhibiao_bad_inputs_c CATALOGUE_DIR GENERATED_DIR SMALL_DIR */
#include <zhibiao/zhibiao.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char* name;
  zb_status code;
} codes[] = {{"invalid_argument", ZB_INVALID_ARGUMENT}, {"parse", ZB_PARSE}, {"load", ZB_LOAD}, {"overflow", ZB_OVERFLOW},
             {"unit", ZB_UNIT}, {"state", ZB_STATE}, {"not_found", ZB_NOT_FOUND}, {"limit", ZB_LIMIT}, {"io", ZB_IO},
             {"rule", ZB_RULE}, {"internal", ZB_INTERNAL}};

static int code_of(const char* name) {
  for (size_t k = 0; k < sizeof codes / sizeof codes[0]; ++k)
    if (strcmp(codes[k].name, name) == 0) return (int)codes[k].code;
  return -1;
}

static char small_dir[4096];

static const char* small(const char* file) {
  static char buf[4200];
  snprintf(buf, sizeof buf, "%s/%s", small_dir, file);
  return buf;
}

/* The whole file in memory (a template is passed as text); NULL when it cannot be read. */
static char* slurp(const char* path, size_t* length) {
  FILE* f = fopen(path, "rb");
  char* data;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = malloc((size_t)n + 1);
  if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
    free(data);
    data = NULL;
  }
  fclose(f);
  *length = (size_t)n;
  return data;
}

int main(int argc, char** argv) {
  char manifest[4200], line[8192];
  FILE* in;
  int cases = 0, failed = 0, header = 1;
  if (argc < 4) {
    fprintf(stderr, "usage: zhibiao_bad_inputs_c CATALOGUE_DIR GENERATED_DIR SMALL_DIR\n");
    return 2;
  }
  snprintf(small_dir, sizeof small_dir, "%s", argv[3]);
  snprintf(manifest, sizeof manifest, "%s/manifest.csv", argv[1]);
  in = fopen(manifest, "r");
  if (!in) {
    fprintf(stderr, "cannot open %s\n", manifest);
    return 2;
  }
  while (fgets(line, sizeof line, in)) {
    char *file, *kind, *errc, *fragment, *p, path[8400], problem[600] = "";
    int want, regions = 0, indicators = 0, observations = 0;
    zb_status st = ZB_OK;
    zb_model m = NULL;
    line[strcspn(line, "\r\n")] = '\0';
    if (header || !line[0]) {
      header = 0;
      continue;
    }
    /* file,kind,errc,fragment — the fragment is the rest of the line. */
    file = line;
    if (!(p = strchr(file, ','))) return 2;
    *p = '\0';
    kind = p + 1;
    if (!(p = strchr(kind, ','))) return 2;
    *p = '\0';
    errc = p + 1;
    if (!(p = strchr(errc, ','))) return 2;
    *p = '\0';
    fragment = p + 1;
    want = code_of(errc);
    ++cases;
    if (strncmp(file, "@gen/", 5) == 0) snprintf(path, sizeof path, "%s/%s", argv[2], file + 5);
    else snprintf(path, sizeof path, "%s/%s", argv[1], file);

    if (zb_model_create(&m) != ZB_OK) return 2;
    if (strcmp(kind, "regions") == 0) {
      st = zb_model_load_regions(m, path);
    } else if (strcmp(kind, "indicators") == 0) {
      st = zb_model_load_indicators(m, path);
    } else if (strcmp(kind, "scopes") == 0) {
      regions = zb_model_load_regions(m, small("regions.csv")) == ZB_OK;
      st = zb_model_load_scopes(m, path);
    } else if (strcmp(kind, "observations") == 0) {
      regions = zb_model_load_regions(m, small("regions.csv")) == ZB_OK;
      indicators = zb_model_load_indicators(m, small("indicators.csv")) == ZB_OK;
      st = zb_model_load_observations(m, path);
    } else if (strcmp(kind, "reported_at_observations") == 0) { /* against tests/data/reported_at's catalogue */
      if (zb_model_load_regions(m, small("../reported_at/regions.csv")) != ZB_OK ||
          zb_model_load_indicators(m, small("../reported_at/indicators.csv")) != ZB_OK)
        return 2;
      st = zb_model_load_observations(m, path);
    } else if (strcmp(kind, "dates_observations") == 0) { /* against tests/data/dates's catalogue (unit 日期) */
      if (zb_model_load_regions(m, small("../dates/regions.csv")) != ZB_OK ||
          zb_model_load_indicators(m, small("../dates/indicators.csv")) != ZB_OK)
        return 2;
      st = zb_model_load_observations(m, path);
    } else if (strcmp(kind, "workbook") == 0) {
      regions = zb_model_load_regions(m, small("regions.csv")) == ZB_OK;
      indicators = zb_model_load_indicators(m, small("indicators.csv")) == ZB_OK;
      st = zb_model_load_workbook(m, path, NULL, NULL, NULL, NULL);
    } else {
      regions = zb_model_load_regions(m, small("regions.csv")) == ZB_OK;
      indicators = zb_model_load_indicators(m, small("indicators.csv")) == ZB_OK;
      observations = zb_model_load_observations(m, small("observations.csv")) == ZB_OK;
      if (zb_model_rollup(m) != ZB_OK) snprintf(problem, sizeof problem, "the small model did not roll up");
      if (strcmp(kind, "targets") == 0) {
        st = zb_model_load_targets(m, path);
      } else if (strcmp(kind, "rules") == 0) {
        st = zb_model_load_rules(m, path);
      } else if (strcmp(kind, "template") == 0) {
        size_t n = 0;
        char *text = slurp(path, &n), *out = NULL, *warnings = NULL;
        st = text ? zb_model_report(m, text, n, "A", "2021-02", &out, &warnings) : ZB_IO;
        zb_free(out);
        zb_free(warnings);
        free(text);
      } else {
        snprintf(problem, sizeof problem, "unknown kind '%s'", kind);
      }
    }
    if (!problem[0]) {
      if (st == ZB_OK) snprintf(problem, sizeof problem, "no error");
      else if ((int)st != want || zb_last_error_code() != st)
        snprintf(problem, sizeof problem, "status %d (last error code %d): %.400s", (int)st, (int)zb_last_error_code(), zb_last_error());
      else if (!strstr(zb_last_error(), fragment))
        snprintf(problem, sizeof problem, "message without the fragment: %.400s", zb_last_error());
    }
    /* Still usable: the good data loads, rolls up and gives the hand-known value. */
    if (!problem[0]) {
      zb_value v;
      char text[64] = "";
      if ((!regions && zb_model_load_regions(m, small("regions.csv")) != ZB_OK) ||
          (!indicators && zb_model_load_indicators(m, small("indicators.csv")) != ZB_OK) ||
          (!observations && zb_model_load_observations(m, small("observations.csv")) != ZB_OK) || zb_model_rollup(m) != ZB_OK ||
          zb_model_value(m, "A", "2021-02", "new_jobs", &v, text, sizeof text, NULL) != ZB_OK)
        snprintf(problem, sizeof problem, "afterwards the good data failed: %.400s", zb_last_error());
      else if (strcmp(text, "20") != 0 || v.scaled != 20 || v.reporting != 1 || v.expected != 2)
        snprintf(problem, sizeof problem, "afterwards A 2021-02 new_jobs is '%s'", text);
    }
    zb_model_destroy(&m);
    if (problem[0]) {
      ++failed;
      printf("FAIL %s (%s, want %s '%s'): %s\n", file, kind, errc, fragment, problem);
    }
  }
  fclose(in);
  printf("%d bad inputs through the C ABI: %d passed, %d failed\n", cases, cases - failed, failed);
  return failed || cases == 0 ? 1 : 0;
}
