// Four threads on one rolled-up model through the C ABI: queries (zb_model_value, zb_model_explain,
// zb_model_check, zb_model_rollup_csv) share the model while revisions (zb_model_set_value) take it
// exclusively. Every answer is checked against the values a thread may legitimately see at that moment.
// Run plainly by CTest (threads_c_api) and under ThreadSanitizer (tests/threads/tsan, tsan_threads in the
// sanitizer build), where TSan must report nothing.
//
//   tsan_test DATA_DIR [ITERATIONS]     (DATA_DIR = tests/data)
#include <zhibiao/zhibiao.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

std::atomic<int> failures{0};
std::mutex print_mu;

void fail(int thread, const std::string& what) {
  if (failures.fetch_add(1) < 20) {
    std::lock_guard lock(print_mu);
    std::fprintf(stderr, "thread %d: %s (last error: %s)\n", thread, what.c_str(), zb_last_error());
  }
}

struct answer {
  zb_status status;
  zb_value v;
  std::string text;
};

answer value(zb_model m, const char* region, const char* period, const char* indicator) {
  answer a{};
  char buf[64];
  std::size_t len = 0;
  a.status = zb_model_value(m, region, period, indicator, &a.v, buf, sizeof buf, &len);
  if (a.status == ZB_OK) a.text = buf;
  return a;
}

// Values no thread revises: they must read the same every time.
struct fixed_value {
  const char *region, *period, *indicator, *text;
  int reporting, expected;
};
constexpr fixed_value fixed[] = {
    {"A", "2021-01", "rate", "3.64", 2, 2},
    {"C1", "2021-01", "rate", "2.80", 3, 3},
    {"C1", "2021-03-31", "insured", "255", -1, -1},
    {"C1", "2021-01", "loan_amount", "12.50", 1, 3},
    {"B", "2021-02", "new_jobs", "5", 1, 1},
};

void check_fixed(int k, zb_model m) {
  for (const fixed_value& f : fixed) {
    answer a = value(m, f.region, f.period, f.indicator);
    if (a.status != ZB_OK || a.text != f.text || (f.reporting >= 0 && (a.v.reporting != f.reporting || a.v.expected != f.expected)))
      fail(k, std::string("fixed value ") + f.region + " " + f.period + " " + f.indicator + " = '" + a.text + "'");
  }
}

// Thread 0 revises a2 2021-02 new_jobs to 0..9 (missing at first): 甲县 A then reads 20 with one of two
// towns reporting, or 20 + v with both.
void check_a_feb(int k, zb_model m) {
  answer a = value(m, "A", "2021-02", "new_jobs");
  if (a.status != ZB_OK) return fail(k, "A 2021-02 new_jobs failed");
  const long v = std::strtol(a.text.c_str(), nullptr, 10);
  const bool before = a.v.reporting == 1 && v == 20;
  const bool after = a.v.reporting == 2 && v >= 20 && v <= 29;
  if (!(before || after) || a.v.expected != 2 || a.v.scaled != v) fail(k, "A 2021-02 new_jobs = " + a.text);
}

void run(int k, zb_model m, int iterations) {
  for (int it = 0; it < iterations; ++it) {
    check_fixed(k, m);
    check_a_feb(k, m);
    char* text = nullptr;
    if (zb_model_explain(m, "A", "2021-02", "new_jobs", &text) != ZB_OK || !text || !std::strstr(text, "甲县") ||
        !std::strstr(text, "new_jobs"))
      fail(k, "explain A 2021-02 new_jobs");
    zb_free(text);
    switch (k) {
      case 0: {  // revises a value other threads read
        std::string v = std::to_string(it % 10);
        if (zb_model_set_value(m, "a2", "2021-02", "new_jobs", v.c_str()) != ZB_OK) fail(k, "set a2 2021-02 new_jobs");
        break;
      }
      case 1: {  // revises its own month of loan_amount and reads it back
        std::string v = std::to_string(it) + ".25";
        if (zb_model_set_value(m, "b1", "2021-05", "loan_amount", v.c_str()) != ZB_OK) fail(k, "set b1 2021-05 loan_amount");
        answer a = value(m, "B", "2021-05", "loan_amount");
        if (a.status != ZB_OK || a.text != v) fail(k, "B 2021-05 loan_amount = '" + a.text + "', want " + v);
        break;
      }
      default: {  // threads 2 and 3: their own month of a stock, then a check and the roll-up CSV
        std::string month = k == 2 ? "2021-06" : "2021-07";
        std::string v = std::to_string(1000 + it);
        if (zb_model_set_value(m, "a1", month.c_str(), "insured", v.c_str()) != ZB_OK) fail(k, "set a1 insured");
        answer a = value(m, "a1", month.c_str(), "insured");
        if (a.status != ZB_OK || a.text != v) fail(k, "a1 " + month + " insured = '" + a.text + "', want " + v);
        if (it % 8 == 0) {
          zb_findings f = nullptr;
          std::size_t n = 0;
          if (zb_model_check(m, "2021-03", 1, &f) != ZB_OK || zb_findings_count(f, &n) != ZB_OK || n == 0) fail(k, "check");
          zb_finding one{};
          if (n && (zb_findings_get(f, 0, &one) != ZB_OK || !one.message)) fail(k, "finding 0");
          zb_findings_destroy(&f);
          char* csv = nullptr;
          if (zb_model_rollup_csv(m, &csv) != ZB_OK || !csv || !std::strstr(csv, "A,2021-01,rate,3.64,3.64,2,2")) fail(k, "roll-up CSV");
          zb_free(csv);
        }
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tsan_test DATA_DIR [ITERATIONS]\n");
    return 2;
  }
  const std::string dir = std::string(argv[1]) + "/small/";
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 200;
  zb_model m = nullptr;
  if (zb_model_create(&m) != ZB_OK || zb_model_load_regions(m, (dir + "regions.csv").c_str()) != ZB_OK ||
      zb_model_load_indicators(m, (dir + "indicators.csv").c_str()) != ZB_OK ||
      zb_model_load_observations(m, (dir + "observations.csv").c_str()) != ZB_OK || zb_model_rollup(m) != ZB_OK) {
    std::fprintf(stderr, "cannot load the small model: %s\n", zb_last_error());
    return 1;
  }
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) threads.emplace_back(run, k, m, iterations);
  for (auto& t : threads) t.join();
  // After the threads: the last revision of each is what the model holds.
  answer a = value(m, "A", "2021-02", "new_jobs");
  const std::string want_a = std::to_string(20 + (iterations - 1) % 10);
  if (a.status != ZB_OK || a.text != want_a || a.v.reporting != 2) fail(-1, "final A 2021-02 new_jobs = " + a.text + ", want " + want_a);
  answer b = value(m, "C1", "2021-07", "insured");
  if (b.status != ZB_OK || b.text != std::to_string(1000 + iterations - 1)) fail(-1, "final C1 2021-07 insured = " + b.text);
  zb_model_destroy(&m);
  if (failures) {
    std::fprintf(stderr, "%d failures\n", failures.load());
    return 1;
  }
  std::printf("4 threads x %d iterations: every answer as expected\n", iterations);
  return 0;
}
