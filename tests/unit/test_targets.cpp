// Targets (floor with 序时进度, cap, band, zero, no_decrease) and the allocation check, on the small
// hand-worked data set tests/data/checks: 示范市 C ⊃ 示范县 K ⊃ {东镇 t1, 西镇 t2}.
//
// The data, month by month (every number below is worked out from these by hand):
//   jobs (flow, 人)     2020: t1 50 and t2 50 every month → ytd M: t1 50M, t2 50M, K 100M
//                       2021: t1 60 80 100 | 35 35 35 | 45 45 45 | 80 80 80; t2 40 every month
//                             t1 ytd: M3 240, M6 345, M9 480, M12 720
//                             t2 ytd: M3 120, M6 240, M9 360, M12 480
//                             K  ytd: M1 100, M2 220, M3 360, M6 585, M9 840, M12 1200
//   loans (flow, 万元, 2 decimals): t1 0.10 in 2021-01 and 0.20 in 2021-02; t2 never reports
//   unemp / emp (stocks): t1 20/480, but 40/460 in 2021-02 and 25/475 in 2021-03; t2 10/490
//                       rate (%) of K = (unemp t1 + t2) / 1000: M1 3.00, M2 5.00, M3 3.50, M4..12 3.00
//   incidents (flow, 件): 0 every month except t2 2021-05 = 1
//   pension_std (parameter, 元) at K: 140 from 2021-01, 180 from 2021-04, 200 from 2021-07
//   insured (stock): never reported
#include <doctest/doctest.h>

#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <string>
#include <vector>

using namespace zhibiao;

namespace {

model checks_model() {
  model m;
  m.load_regions(ZHIBIAO_TEST_DATA "/checks/regions.csv");
  m.load_indicators(ZHIBIAO_TEST_DATA "/checks/indicators.csv");
  m.load_observations(ZHIBIAO_TEST_DATA "/checks/observations.csv");
  m.rollup();
  return m;
}

const char* const header = "region,indicator,period,kind,value,upper,schedule,tolerance\n";

std::vector<target> file_targets(const model& m) {
  return parse_targets(csv::read_file(ZHIBIAO_TEST_DATA "/checks/targets.csv"), "targets.csv", m);
}

std::vector<target> text_targets(const model& m, const std::string& rows) {
  return parse_targets(header + rows, "targets.csv", m);
}

// Targets only (no rules, no built-ins), as of a month of 2021.
std::vector<finding> run(const model& m, const std::vector<target>& t, int month) {
  check_options o;
  o.as_of = period::month(2021, month);
  o.builtin = false;
  return evaluate(m, t, nullptr, o);
}

std::vector<finding> select(const model& m, const std::vector<finding>& fs, const std::string& check, const std::string& region,
                            const std::string& subject) {
  std::vector<finding> out;
  for (const finding& f : fs)
    if (f.check == check && m.regions()[f.region].code == region && f.subject == subject) out.push_back(f);
  return out;
}

// The one finding of a check for (region, subject); an empty finding (status "") when there is not exactly one.
finding one(const model& m, const std::vector<finding>& fs, const std::string& check, const std::string& region,
            const std::string& subject) {
  auto v = select(m, fs, check, region, subject);
  REQUIRE_MESSAGE(v.size() == 1, check << " " << region << " " << subject << ": " << v.size() << " findings");
  return v.front();
}

std::string s(const std::optional<decimal>& d) { return d ? d->to_string() : "—"; }

struct where_reason {
  std::size_t line = 0, column = 0;
  std::string field, reason;
};

// The place and reason of the load_error a targets text raises (line 0 when it raises none).
where_reason target_error(const model& m, const std::string& rows) {
  try {
    text_targets(m, rows);
  } catch (const load_error& e) {
    return {e.where().line, e.where().column, e.where().field, e.reason()};
  }
  return {};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("targets: the targets file parses into the expected kinds and values") {
  model m = checks_model();
  auto t = file_targets(m);
  REQUIRE(t.size() == 13);
  CHECK(t[0].kind == target_kind::floor);
  CHECK(t[0].value.to_string() == "1200");
  CHECK(t[0].tolerance.to_string() == "2");
  CHECK(t[0].when == period::year(2021));
  CHECK(t[0].line == 2);  // the header is line 1
  CHECK(t[2].schedule == schedule_kind::year_end);
  CHECK(t[3].value.to_string() == "10.00");
  CHECK(t[9].kind == target_kind::cap);
  CHECK(t[10].kind == target_kind::band);
  REQUIRE(t[10].upper);
  CHECK(t[10].upper->to_string() == "190");
  CHECK(t[11].kind == target_kind::zero);
  CHECK(t[12].kind == target_kind::no_decrease);
  CHECK(t[12].line == 14);
}

TEST_CASE("targets: floor at M=3 is ahead of the time progress, with completion and projection") {
  model m = checks_model();
  auto fs = run(m, file_targets(m), 3);
  // K: ytd 100+120+140 = 360 of 1200 → 360/1200×100 = 30.0 %; 序时进度 3/12 = 25.0 %;
  // 30.0 > 25.0 + 2 (tolerance) → ahead; projected 360 × 100 / 25 = 1440.
  finding k = one(m, fs, "target", "K", "jobs");
  CHECK(k.when == period::year_to_date(2021, 3));
  CHECK(k.status == "ahead");
  CHECK(k.level == severity::info);
  CHECK(s(k.actual) == "360");
  CHECK(s(k.expected) == "1200");
  CHECK(s(k.completion) == "30.0");
  CHECK(s(k.progress) == "25.0");
  CHECK(s(k.projected) == "1440");
  CHECK(k.message == "示范县 2021年1-3月 城镇新增就业 360人，完成2021年目标1200人的30.0%，序时进度25.0%，快于序时进度，预计全年1440人");
  // t1: 60+80+100 = 240 of 700 → 34.2857… → 34.3 %; ahead of 25.0; projected 240 × 100 / 25 = 960.
  finding t1 = one(m, fs, "target", "t1", "jobs");
  CHECK(t1.status == "ahead");
  CHECK(s(t1.completion) == "34.3");
  CHECK(s(t1.projected) == "960");
  // K loans: 0.10 + 0.20 = 0.30 of 10.00 → 3.0 %, far below 25.0 → behind (a warning);
  // projected 0.30 × 100 / 25 = 1.20 万元 (the indicator's 2 decimals).
  finding kl = one(m, fs, "target", "K", "loans");
  CHECK(kl.status == "behind");
  CHECK(kl.level == severity::warning);
  CHECK(s(kl.actual) == "0.30");
  CHECK(s(kl.completion) == "3.0");
  CHECK(s(kl.projected) == "1.20");
  CHECK(has(kl.message, "慢于序时进度"));
  // t1 loans: 0.30 of 4.00 → 7.5 %.
  CHECK(s(one(m, fs, "target", "t1", "loans").completion) == "7.5");
}

TEST_CASE("targets: floor at M=6 is on track only thanks to its tolerance") {
  model m = checks_model();
  auto fs = run(m, file_targets(m), 6);
  // K: 360 + 75×3 = 585 of 1200 → 48.75 % (shown 48.8, half-up); 序时进度 6/12 = 50.0 %;
  // 48.75 ≥ 50 − 2 = 48 → on_track; projected 585 × 100 / 50 = 1170.
  finding k = one(m, fs, "target", "K", "jobs");
  CHECK(k.status == "on_track");
  CHECK(k.level == severity::info);
  CHECK(s(k.actual) == "585");
  CHECK(s(k.completion) == "48.8");
  CHECK(s(k.progress) == "50.0");
  CHECK(s(k.projected) == "1170");
  CHECK(has(k.message, "与序时进度基本一致"));
  // t1 (no tolerance): 240 + 35×3 = 345 of 700 → 49.2857… → 49.3 % < 50.0 → behind; projected 345 × 2 = 690.
  finding t1 = one(m, fs, "target", "t1", "jobs");
  CHECK(t1.status == "behind");
  CHECK(s(t1.completion) == "49.3");
  CHECK(s(t1.projected) == "690");
  // The same K target without a tolerance: 48.75 < 50 → behind.
  auto fs0 = run(m, text_targets(m, "K,jobs,2021,floor,1200,,,\n"), 6);
  CHECK(one(m, fs0, "target", "K", "jobs").status == "behind");
  // With a tolerance of exactly 1.25 points the boundary 50 − 1.25 = 48.75 still counts as on track.
  auto fs1 = run(m, text_targets(m, "K,jobs,2021,floor,1200,,,1.25\n"), 6);
  CHECK(one(m, fs1, "target", "K", "jobs").status == "on_track");
}

TEST_CASE("targets: floor at M=2 rounds the time progress and compares the exact shares") {
  model m = checks_model();
  auto fs = run(m, file_targets(m), 2);
  // K: 100 + 120 = 220 of 1200 → 18.333… → 18.3 %; 序时进度 2/12 = 16.666… → 16.7 %;
  // 18.333 ≤ 16.667 + 2 = 18.667 → on_track; projected 220 × 100 / (200/12) = 1320.
  finding k = one(m, fs, "target", "K", "jobs");
  CHECK(k.status == "on_track");
  CHECK(s(k.completion) == "18.3");
  CHECK(s(k.progress) == "16.7");
  CHECK(s(k.projected) == "1320");
}

TEST_CASE("targets: floor at M=9 is behind") {
  model m = checks_model();
  auto fs = run(m, file_targets(m), 9);
  // K: 585 + 85×3 = 840 of 1200 → 70.0 %; 序时进度 9/12 = 75.0 %; 70 < 75 − 2 → behind;
  // projected 840 × 100 / 75 = 1120.
  finding k = one(m, fs, "target", "K", "jobs");
  CHECK(k.status == "behind");
  CHECK(k.level == severity::warning);
  CHECK(s(k.actual) == "840");
  CHECK(s(k.completion) == "70.0");
  CHECK(s(k.progress) == "75.0");
  CHECK(s(k.projected) == "1120");
  CHECK(k.message == "示范县 2021年1-9月 城镇新增就业 840人，完成2021年目标1200人的70.0%，序时进度75.0%，慢于序时进度，预计全年1120人");
}

TEST_CASE("targets: floor at M=12 is exceeded, met or not met") {
  model m = checks_model();
  auto fs = run(m, file_targets(m), 12);
  // K: 840 + 120×3 = 1200 = 1200 → met, 100.0 %; no time progress and no projection at the last month.
  finding k = one(m, fs, "target", "K", "jobs");
  CHECK(k.when == period::year_to_date(2021, 12));
  CHECK(k.status == "met");
  CHECK(k.level == severity::info);
  CHECK(s(k.completion) == "100.0");
  CHECK_FALSE(k.progress);
  CHECK_FALSE(k.projected);
  CHECK(k.message == "示范县 2021年1-12月 城镇新增就业 1200人，完成2021年目标1200人的100.0%：完成");
  // t1: 480 + 80×3 = 720 > 700 → exceeded, 720/700 = 102.857… → 102.9 %.
  finding t1 = one(m, fs, "target", "t1", "jobs");
  CHECK(t1.status == "exceeded");
  CHECK(s(t1.completion) == "102.9");
  CHECK(has(t1.message, "超额完成"));
  // t2 (year_end): 40×12 = 480 < 500 → not_met, an error, 96.0 %.
  finding t2 = one(m, fs, "target", "t2", "jobs");
  CHECK(t2.status == "not_met");
  CHECK(t2.level == severity::error);
  CHECK(s(t2.completion) == "96.0");
  CHECK(has(t2.message, "：未完成"));
  // A period that is over is judged at its last month: as of 2022-03 the 2021 targets are final.
  check_options o;
  o.as_of = period::month(2022, 3);
  o.builtin = false;
  auto later = evaluate(m, file_targets(m), nullptr, o);
  CHECK(one(m, later, "target", "K", "jobs").status == "met");
  CHECK(one(m, later, "target", "K", "jobs").when == period::year_to_date(2021, 12));
  // A target whose period has not started yet is not checked.
  o.as_of = period::month(2020, 12);
  auto before = evaluate(m, file_targets(m), nullptr, o);
  CHECK(select(m, before, "target", "K", "jobs").empty());
}

TEST_CASE("targets: year_end floor is pending until the last month, then judged") {
  model m = checks_model();
  auto t = file_targets(m);
  // t2 at M=6: 40×6 = 240 of 500 → 48.0 %, but judged only in December → pending, no 序时进度.
  finding p = one(m, run(m, t, 6), "target", "t2", "jobs");
  CHECK(p.status == "pending");
  CHECK(p.level == severity::info);
  CHECK(s(p.actual) == "240");
  CHECK(s(p.completion) == "48.0");
  CHECK_FALSE(p.progress);
  CHECK_FALSE(p.projected);
  CHECK(has(p.message, "年末考核"));
  // At M=11: 40×11 = 440 → 88.0 %, still pending.
  finding p11 = one(m, run(m, t, 11), "target", "t2", "jobs");
  CHECK(p11.status == "pending");
  CHECK(s(p11.completion) == "88.0");
  // At M=12 judged: 480 < 500 → not_met (see the M=12 case).
  CHECK(one(m, run(m, t, 12), "target", "t2", "jobs").status == "not_met");
}

TEST_CASE("targets: a custom cumulative profile replaces the linear time progress") {
  model m = checks_model();
  auto t = text_targets(m, "t1,jobs,2021,floor,700,,10;20;33.3;40;50;60;70;80;85;90;95;100,\n");
  REQUIRE(t.size() == 1);
  CHECK(t[0].schedule == schedule_kind::profile);
  REQUIRE(t[0].profile.size() == 12);
  // M=3: 240/700 = 34.2857 % vs the profile's 33.3 % → ahead; projected 240 × 100 / 33.3 = 720.72… → 721.
  finding f3 = one(m, run(m, t, 3), "target", "t1", "jobs");
  CHECK(f3.status == "ahead");
  CHECK(s(f3.progress) == "33.3");
  CHECK(s(f3.projected) == "721");
  // M=6: 345/700 = 49.29 % vs 60 % → behind; projected 345 × 100 / 60 = 575.
  finding f6 = one(m, run(m, t, 6), "target", "t1", "jobs");
  CHECK(f6.status == "behind");
  CHECK(s(f6.progress) == "60.0");
  CHECK(s(f6.projected) == "575");
  // M=9: 480/700 = 68.571… → 68.6 % vs 85 % → behind; projected 480 × 100 / 85 = 564.70… → 565.
  finding f9 = one(m, run(m, t, 9), "target", "t1", "jobs");
  CHECK(f9.status == "behind");
  CHECK(s(f9.completion) == "68.6");
  CHECK(s(f9.progress) == "85.0");
  CHECK(s(f9.projected) == "565");
  // M=12 is judged against the target itself: 720 > 700 → exceeded.
  CHECK(one(m, run(m, t, 12), "target", "t1", "jobs").status == "exceeded");
}

TEST_CASE("targets: a half-year floor uses months elapsed over months in the period") {
  model m = checks_model();
  auto t = text_targets(m, "t1,jobs,2021S1,floor,400,,,\n");
  // M=3: 3 of 6 months → 50.0 %; 240/400 = 60.0 % → ahead; projected 240 × 100 / 50 = 480.
  finding f3 = one(m, run(m, t, 3), "target", "t1", "jobs");
  CHECK(f3.status == "ahead");
  CHECK(s(f3.completion) == "60.0");
  CHECK(s(f3.progress) == "50.0");
  CHECK(s(f3.projected) == "480");
  // M=6 is the period's last month: 345 < 400 → not_met, 345/400 = 86.25 → 86.3 % (half-up).
  finding f6 = one(m, run(m, t, 6), "target", "t1", "jobs");
  CHECK(f6.status == "not_met");
  CHECK(s(f6.completion) == "86.3");
  // Later months still judge the half-year at June.
  CHECK(one(m, run(m, t, 9), "target", "t1", "jobs").when == period::year_to_date(2021, 6));
}

TEST_CASE("targets: a cap is checked at every month, each month its own finding with its margin") {
  model m = checks_model();
  auto fs = select(m, run(m, file_targets(m), 3), "target", "K", "rate");
  // Rate of K as of each month end: M1 (20+10)/1000 = 3.00 %, M2 (40+10)/1000 = 5.00 %, M3 (25+10)/1000 = 3.50 %.
  REQUIRE(fs.size() == 3);
  CHECK(fs[0].when == period::year_to_date(2021, 1));
  CHECK(fs[0].status == "within");
  CHECK(fs[0].level == severity::info);
  CHECK(s(fs[0].actual) == "3.00");
  CHECK(s(fs[0].expected) == "3.5");
  // margin 3.50 − 3.00 = 0.50 个百分点
  CHECK(fs[0].message == "示范县 2021年1月 城镇登记失业率 3.00% ≤ 控制线 3.50%：达标（余0.50个百分点）");
  CHECK(fs[1].when == period::year_to_date(2021, 2));
  CHECK(fs[1].status == "breached");
  CHECK(fs[1].level == severity::error);
  CHECK(s(fs[1].actual) == "5.00");
  // 5.00 − 3.50 = 1.50 个百分点 over
  CHECK(fs[1].message == "示范县 2021年1-2月 城镇登记失业率 5.00% > 控制线 3.50%：超标（超出1.50个百分点）");
  // Exactly at the cap is within, with no margin left.
  CHECK(fs[2].status == "within");
  CHECK(s(fs[2].actual) == "3.50");
  CHECK(has(fs[2].message, "达标（余0.00个百分点）"));
  // As of December: 12 findings, only February breached.
  auto dec = select(m, run(m, file_targets(m), 12), "target", "K", "rate");
  REQUIRE(dec.size() == 12);
  int breached = 0;
  for (const finding& f : dec) breached += f.status == "breached";
  CHECK(breached == 1);
  CHECK(s(dec[11].actual) == "3.00");
}

TEST_CASE("targets: a cap on a non-ratio (a parameter) states its margin in the indicator's unit") {
  model m = checks_model();
  auto fs = select(m, run(m, text_targets(m, "K,pension_std,2021,cap,190,,,\n"), 9), "target", "K", "pension_std");
  // pension_std in force at K: 140 (months 1–3), 180 (4–6), 200 (7–9).
  REQUIRE(fs.size() == 9);
  CHECK(fs[0].status == "within");
  CHECK(has(fs[0].message, "达标（余50元）"));  // 190 − 140
  CHECK(fs[3].status == "within");
  CHECK(has(fs[3].message, "达标（余10元）"));  // 190 − 180
  CHECK(fs[6].status == "breached");
  CHECK(s(fs[6].actual) == "200");
  CHECK(has(fs[6].message, "超标（超出10元）"));  // 200 − 190
}

TEST_CASE("targets: a floor on a parameter is the level in force, pending until the period ends") {
  model m = checks_model();
  // pension_std at K: 140 (months 1–3), 180 (4–6), 200 (7–12). A floor of 190 for the year is reached in July.
  const auto ts = text_targets(m, "K,pension_std,2021,floor,190,,,\n");
  auto at = [&](int month) { return select(m, run(m, ts, month), "target", "K", "pension_std"); };
  auto june = at(6);
  REQUIRE(june.size() == 1);
  CHECK(june[0].status == "pending");  // 180 < 190, but the year is not over: no 序时进度 for a level
  CHECK(june[0].level == severity::info);
  CHECK(s(june[0].actual) == "180");
  CHECK(has(june[0].message, "180元，目标190元（年底前）：尚未达到"));
  auto july = at(7);
  CHECK(july[0].status == "exceeded");  // 200 > 190
  CHECK(has(july[0].message, "已达到"));
  CHECK(s(july[0].completion) == "105.3");  // 200 / 190 = 105.26…%
  // A floor of 250 by June is not reached when June ends: not met, an error.
  auto short_of = select(m, run(m, text_targets(m, "K,pension_std,2021-01..2021-06,floor,250,,,\n"), 12), "target", "K", "pension_std");
  REQUIRE(short_of.size() == 1);
  CHECK(short_of[0].status == "not_met");
  CHECK(short_of[0].level == severity::error);
  CHECK(has(short_of[0].message, "180元，目标250元（6月底前）：未达到"));
}

TEST_CASE("targets: no_decrease on a parameter compares the levels in force a year apart") {
  model m = checks_model();
  // pension_std has no 2020 value: the comparison is missing, never a rise from 0.
  auto fs = select(m, run(m, text_targets(m, "K,pension_std,2021,no_decrease,,,,\n"), 9), "target", "K", "pension_std");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].status == "missing");
}

TEST_CASE("targets: a band is below, within or above at each month") {
  model m = checks_model();
  auto fs = select(m, run(m, file_targets(m), 9), "target", "K", "pension_std");
  // Band [150, 190]: 140 in months 1–3 (below), 180 in 4–6 (within), 200 in 7–9 (above).
  REQUIRE(fs.size() == 9);
  for (int k = 0; k < 3; ++k) CHECK(fs[static_cast<std::size_t>(k)].status == "below");
  for (int k = 3; k < 6; ++k) CHECK(fs[static_cast<std::size_t>(k)].status == "within");
  for (int k = 6; k < 9; ++k) CHECK(fs[static_cast<std::size_t>(k)].status == "above");
  CHECK(fs[0].level == severity::error);
  CHECK(fs[3].level == severity::info);
  CHECK(fs[8].level == severity::error);
  CHECK(fs[0].message == "示范县 2021年1月 城乡居民基础养老金标准 140元，区间 [150, 190]：低于下限");
  CHECK(has(fs[4].message, "在区间内"));
  CHECK(has(fs[7].message, "高于上限"));
}

TEST_CASE("targets: zero is met until an incident happens, then breached") {
  model m = checks_model();
  auto t = file_targets(m);
  // ytd incidents of K: 0 through April, 1 from May (t2).
  finding f3 = one(m, run(m, t, 3), "target", "K", "incidents");
  CHECK(f3.status == "met");
  CHECK(f3.level == severity::info);
  CHECK(s(f3.actual) == "0");
  CHECK(f3.message == "示范县 2021年1-3月 重大群体性事件 0件：未发生，达标");
  finding f6 = one(m, run(m, t, 6), "target", "K", "incidents");
  CHECK(f6.status == "breached");
  CHECK(f6.level == severity::error);
  CHECK(s(f6.actual) == "1");
  CHECK(f6.message == "示范县 2021年1-6月 重大群体性事件 1件：发生，未达标");
}

TEST_CASE("targets: no_decrease compares with the same period last year") {
  model m = checks_model();
  // C (= K): 2021 ytd M3 360 vs 2020 ytd M3 100×3 = 300 → met.
  finding c = one(m, run(m, file_targets(m), 3), "target", "C", "jobs");
  CHECK(c.status == "met");
  CHECK(s(c.actual) == "360");
  CHECK(s(c.expected) == "300");
  CHECK(c.message == "示范市 2021年1-3月 城镇新增就业 360人，上年同期300人：不低于上年同期");
  // t2: 2021 ytd M3 40×3 = 120 vs 2020 50×3 = 150 → decreased by 30.
  auto t = text_targets(m, "t2,jobs,2021,no_decrease,,,,\nt1,loans,2021,no_decrease,,,,\n");
  auto fs = run(m, t, 3);
  finding d = one(m, fs, "target", "t2", "jobs");
  CHECK(d.status == "decreased");
  CHECK(d.level == severity::warning);
  CHECK(s(d.actual) == "120");
  CHECK(s(d.expected) == "150");
  CHECK(has(d.message, "比上年同期减少30人"));
  // loans have no 2020 data: the comparison is missing (not a decrease from 0).
  finding l = one(m, fs, "target", "t1", "loans");
  CHECK(l.status == "missing");
  CHECK(l.when == period::year_to_date(2020, 3));
}

TEST_CASE("targets: a missing actual gives status missing, never a 0") {
  model m = checks_model();
  auto t = file_targets(m);
  for (int month : {3, 12}) {
    auto fs = run(m, t, month);
    // t2 never reports loans: not 0.00 万元 → not "behind" / "not_met" but missing.
    finding l = one(m, fs, "target", "t2", "loans");
    CHECK(l.status == "missing");
    CHECK(l.level == severity::warning);
    CHECK_FALSE(l.actual);
    CHECK(s(l.expected) == "5.00");
    CHECK_FALSE(l.completion);
    CHECK(has(l.message, "无数据（0/1 上报）"));
    // insured is never reported anywhere: K (2 towns) is missing too.
    finding k = one(m, fs, "target", "K", "insured");
    CHECK(k.status == "missing");
    CHECK(has(k.message, "无数据（0/2 上报）"));
  }
  // K loans does have a value (t1's): 0.30, not missing.
  CHECK(one(m, run(m, t, 12), "target", "K", "loans").status == "not_met");
}

TEST_CASE("targets: allocation compares a parent's floor with its children's floors") {
  model m = checks_model();
  auto fs = run(m, file_targets(m), 3);
  // jobs: K 1200 = t1 700 + t2 500 → allocated.
  finding j = one(m, fs, "allocation", "K", "jobs");
  CHECK(j.status == "allocated");
  CHECK(j.level == severity::info);
  CHECK(s(j.actual) == "1200");
  CHECK(s(j.expected) == "1200");
  CHECK(j.when == period::year(2021));
  // loans: t1 4.00 + t2 5.00 = 9.00 < K 10.00 → under_allocated by 1.00.
  finding l = one(m, fs, "allocation", "K", "loans");
  CHECK(l.status == "under_allocated");
  CHECK(l.level == severity::warning);
  CHECK(s(l.actual) == "9.00");
  CHECK(s(l.expected) == "10.00");
  CHECK(l.message == "示范县 2021年 发放创业担保贷款 目标10.00万元，下级目标合计9.00万元（2/2 个下级有目标）：分解不足，差1.00万元");
  // insured: t1 600 + t2 500 = 1100 > K 1000 → over_allocated by 100.
  finding i = one(m, fs, "allocation", "K", "insured");
  CHECK(i.status == "over_allocated");
  CHECK(s(i.actual) == "1100");
  CHECK(s(i.expected) == "1000");
  CHECK(has(i.message, "超额分解100人"));
  // No allocation for towns (no children), C (no floor) or non-floors (rate, band, zero).
  CHECK(select(m, fs, "allocation", "t1", "jobs").empty());
  CHECK(select(m, fs, "allocation", "C", "jobs").empty());
  CHECK(select(m, fs, "allocation", "K", "rate").empty());
  // Only one child with a target: counted as 1/2.
  auto part = run(m, text_targets(m, "K,jobs,2021,floor,1200,,,\nt1,jobs,2021,floor,700,,,\n"), 3);
  finding p = one(m, part, "allocation", "K", "jobs");
  CHECK(p.status == "under_allocated");
  CHECK(s(p.actual) == "700");
  CHECK(has(p.message, "（1/2 个下级有目标）"));
}

TEST_CASE("targets: accepted variants parse") {
  model m = checks_model();
  // A cap on a non-ratio (a flow and a parameter), a band on a parameter, trailing zeros within the decimals,
  // an as-of period (taken as the year-to-date span), an explicit linear schedule, no optional columns.
  auto t = text_targets(m,
                        "K,incidents,2021,cap,2,,,\n"
                        "t1,pension_std,2021,cap,190,,,\n"
                        "t2,pension_std,2021,band,150,190,,\n"
                        "K,jobs,2021,floor,1200.00,,linear,0.5\n"
                        "K,rate,2021-06-30,cap,3.50,,,\n");
  REQUIRE(t.size() == 5);
  CHECK(t[3].value.to_string() == "1200.00");
  CHECK(t[3].schedule == schedule_kind::linear);
  CHECK(t[4].when == period::year_to_date(2021, 6));
  auto minimal = parse_targets("region,indicator,period,kind,value\nK,jobs,2021,floor,1200\n", "t.csv", m);
  REQUIRE(minimal.size() == 1);
  CHECK(minimal[0].schedule == schedule_kind::linear);
  CHECK(minimal[0].tolerance.is_zero());
}

TEST_CASE("targets: every parse error names its line and column") {
  model m = checks_model();
  struct bad {
    const char* rows;
    std::size_t line, column;
    const char* field;
    const char* reason;  // a fragment of the reason
  };
  // The header is line 1; a good row on line 2 comes before the bad one on line 3 unless stated.
  const std::string good = "K,jobs,2021,floor,1200,,,\n";
  const bad cases[] = {
      {"K,jobs,2021,ceiling,1200,,,\n", 3, 4, "kind", "unknown target kind 'ceiling'"},
      {"K,pension_std,2021,zero,0,,,\n", 3, 4, "kind", "a parameter"},
      {"K,pension_std,2021,band,190,150,,\n", 3, 6, "upper", "band lower bound 190 is above its upper bound 150"},
      {"K,pension_std,2021,band,150,,,\n", 3, 6, "upper", "a band needs an upper bound"},
      {"t1,jobs,2021,floor,700,,,\nK,jobs,2021,floor,1300,,,\n", 4, 1, "region", "duplicate target for (K, jobs, 2021) (first at line 2)"},
      {"K,jobs,2021,floor,12x0,,,\n", 3, 5, "value", "malformed value"},
      {"K,jobs,2021,floor,\"1,200\",,,\n", 3, 5, "value", "malformed value"},
      {"K,jobs,2021,floor,1200.5,,,\n", 3, 5, "value", "'1200.5' has more decimals than 'jobs' (0)"},
      {"K,rate,2021,cap,3.505,,,\n", 3, 5, "value", "more decimals than 'rate' (2)"},
      {"K,jobs,2021,floor,,,,\n", 3, 5, "value", "a target needs a value"},
      {"K,jobs,2021,floor,0,,,\n", 3, 5, "value", "a floor target must be positive"},
      {"K,incidents,2021,zero,1,,,\n", 3, 5, "value", "a zero target has value 0"},
      {"K,loans,2021,cap,5.00,6.00,,\n", 3, 6, "upper", "only a band has an upper bound"},
      {"K,loans,2021,floor,5.00,,10;20;30,\n", 3, 7, "schedule", "needs 12 cumulative percentages (one per month), not 3"},
      {"K,loans,2021,floor,5.00,,10;20;30;40;50;60;70;80;90;95;99;98,\n", 3, 7, "schedule", "non-decreasing"},
      {"K,loans,2021,floor,5.00,,10;20;30;40;50;60;70;80;90;95;98;99,\n", 3, 7, "schedule", "must end at 100"},
      {"K,loans,2021,floor,5.00,,10;20;x;40;50;60;70;80;90;95;98;100,\n", 3, 7, "schedule", "schedule must be empty, linear, year_end"},
      {"K,loans,2021,floor,5.00,,10;20;30;40;50;60;70;80;90;95;100;,\n", 3, 7, "schedule", "schedule must be empty"},
      {"K,loans,2021,floor,5.00,,-10;20;30;40;50;60;70;80;90;95;98;100,\n", 3, 7, "schedule", "non-negative"},
      {"K,rate,2021,cap,3.5,,year_end,\n", 3, 7, "schedule", "only a floor has a schedule"},
      {"K,loans,2021,floor,5.00,,,-1\n", 3, 8, "tolerance", "tolerance must not be negative"},
      {"K,loans,2021,floor,5.00,,,abc\n", 3, 8, "tolerance", "malformed tolerance"},
      {"X,jobs,2021,floor,1200,,,\n", 3, 1, "region", "unknown region 'X'"},
      {"K,job,2021,floor,1200,,,\n", 3, 2, "indicator", "unknown indicator 'job'"},
      {"K,loans,2021-13,floor,5.00,,,\n", 3, 3, "period", ""},
  };
  for (const bad& b : cases) {
    CAPTURE(b.rows);
    where_reason e = target_error(m, good + b.rows);
    CHECK(e.line == b.line);
    CHECK(e.column == b.column);
    CHECK(e.field == b.field);
    CHECK_MESSAGE(has(e.reason, b.reason), e.reason);
  }
  // The file name is part of the location and the message.
  try {
    text_targets(m, "K,jobs,2021,ceiling,1200,,,\n");
    FAIL("no error");
  } catch (const load_error& e) {
    CHECK(e.where().file == "targets.csv");
    CHECK(e.where().line == 2);
    CHECK(e.code() == errc::load);
    CHECK(std::string(e.what()).rfind("targets.csv:2:4 (kind): ", 0) == 0);
  }
}

TEST_CASE("targets: the county example as of 2021-06") {
  model m;
  m.load_regions(ZHIBIAO_SOURCE_DIR "/examples/county/regions.csv");
  m.load_indicators(ZHIBIAO_SOURCE_DIR "/examples/county/indicators.csv");
  m.load_scopes(ZHIBIAO_SOURCE_DIR "/examples/county/scopes.csv");
  m.load_observations(ZHIBIAO_SOURCE_DIR "/examples/county/observations.csv");
  m.rollup();
  auto t = parse_targets(csv::read_file(ZHIBIAO_SOURCE_DIR "/examples/county/targets.csv"), "targets.csv", m);
  REQUIRE(t.size() == 29);  // 26, the zero targets on pensions paid late or short (企业, 机关事业单位), 社保卡
  check_options o;
  o.as_of = period::month(2021, 6);
  o.builtin = false;
  auto fs = evaluate(m, t, nullptr, o);
  const std::string county = "441521000000";
  // Allocation: the 16 towns' targets 340 + 70 + 110 + 110 + 100 + 180 + 150 + 190 + 140 + 260 + 110 + 110
  // + 630 + 320 + 370 + 370 = 3560 < 3600 → under_allocated by 40.
  finding a = one(m, fs, "allocation", county, "urban_new_employment");
  CHECK(a.status == "under_allocated");
  CHECK(a.level == severity::warning);
  CHECK(s(a.actual) == "3560");
  CHECK(s(a.expected) == "3600");
  CHECK(a.message == "海丰县 2021年 城镇新增就业 目标3600人，下级目标合计3560人（16/16 个下级有目标）：分解不足，差40人");
  // The cap on the unemployment rate, one finding per month 1..6. June (as of its end), summing the 16 towns'
  // rows of observations.csv: 1813 unemployed, 81770 employed → 1813 / 83583 = 2.1691… % → 2.17;
  // margin 3.50 − 2.17 = 1.33 个百分点. January: 1813 / (1813 + 81180) = 2.1845… → 2.18, margin 1.32.
  auto cap = select(m, fs, "target", county, "registered_urban_unemployment_rate");
  REQUIRE(cap.size() == 6);
  for (const finding& f : cap) {
    CHECK(f.status == "within");
    CHECK(has(f.message, "控制线 3.50%"));
    CHECK(has(f.message, "达标"));
  }
  CHECK(cap[5].message == "海丰县 2021年1-6月 城镇登记失业率 2.17% ≤ 控制线 3.50%：达标（余1.33个百分点）");
  CHECK(s(cap[0].actual) == "2.18");
  // 城镇新增就业 (reported year-to-date by the towns): the 16 towns' 2021-01..2021-06 rows add up to 1807;
  // 1807 / 3600 = 50.19… % → 50.2 vs 6/12 = 50.0 → ahead; projected 1807 × 100 / 50 = 3614.
  finding une = one(m, fs, "target", county, "urban_new_employment");
  CHECK(une.status == "ahead");
  CHECK(s(une.actual) == "1807");
  CHECK(s(une.completion) == "50.2");
  CHECK(s(une.progress) == "50.0");
  CHECK(s(une.projected) == "3614");
  // 城镇失业人员再就业: 440 in January–June (96 monthly town rows) of 900 → 48.88… % → 48.9;
  // 48.89 ≥ 50 − 2 (tolerance) → on_track; projected 440 × 2 = 880.
  finding re = one(m, fs, "target", county, "unemployed_reemployed");
  CHECK(re.status == "on_track");
  CHECK(s(re.completion) == "48.9");
  CHECK(s(re.projected) == "880");
  // 新增技能人才 is judged at year end: 337 of 1500 → 22.466… → 22.5 %, pending.
  finding st = one(m, fs, "target", county, "new_skilled_talent");
  CHECK(st.status == "pending");
  CHECK(s(st.completion) == "22.5");
  // No major mass incidents: 0 → met; no pension paid late or short by June: the towns' 0s add up to 0 → met.
  CHECK(one(m, fs, "target", county, "major_mass_incidents").status == "met");
  CHECK(one(m, fs, "target", county, "ent_pension_late").status == "met");
  CHECK(one(m, fs, "target", county, "org_pension_late").status == "met");
  // 社保卡 完成比例, a floor of 95 % judged at year end: June's stocks over the towns, 10700 of 12049 pensioners
  // = 88.80… % → 89 (0 decimals), pending; 89 / 95 = 93.68… → 93.7 % completion.
  finding card = one(m, fs, "target", county, "ent_pensioners_sscard_rate");
  CHECK(card.status == "pending");
  CHECK(s(card.actual) == "89");
  CHECK(s(card.completion) == "93.7");
}

TEST_CASE("targets: a target on a scope is judged like a region's, on the scope's value") {
  model m = checks_model();
  // 示范县 without 西镇 is 东镇 alone: jobs 2021年1-6月 = 345 (K has 585).
  m.load_scopes_text("code,name,include,exclude\ns1,示范县（不含西镇）,K,t2\n", "scopes.csv");
  std::vector<target> ts = parse_targets(std::string(header) + "s1,jobs,2021,floor,1200,,,\nK,jobs,2021,floor,1200,,,\n", "t.csv", m);
  REQUIRE(ts.size() == 2);
  CHECK(ts[0].region == npos);
  CHECK(ts[0].scope == std::optional<std::size_t>(0));
  CHECK(ts[1].region == m.regions().require("K"));
  CHECK_FALSE(ts[1].scope);
  // The one evaluation: 345 / 1200 = 28.75 → 28.8 % against 序时进度 50.0 % → behind; 345 × 100 / 50 = 690.
  auto o = evaluate_target(m, ts[0], period::month(2021, 6));
  REQUIRE(o.size() == 1);
  CHECK(o[0].status == status::behind);
  CHECK(o[0].actual.value->to_string() == "345");
  CHECK(o[0].completion->to_string() == "28.8");
  CHECK(o[0].projected->to_string() == "690");
  CHECK(o[0].actual.reporting == 1);
  CHECK(o[0].actual.expected == 1);
  check_options opt;
  opt.as_of = period::month(2021, 6);
  opt.builtin = false;
  auto fs = evaluate(m, ts, nullptr, opt);
  REQUIRE(fs.size() == 2);  // the scope's and the county's (585 / 1200 = 48.8 %); no allocation between them
  CHECK(fs[0].where() == place{npos, 0});
  CHECK(fs[0].message == "示范县（不含西镇） 2021年1-6月 城镇新增就业 345人，完成2021年目标1200人的28.8%，序时进度50.0%，慢于序时进度，预计全年690人");
  CHECK(fs[1].region == m.regions().require("K"));
  CHECK(fs[1].completion->to_string() == "48.8");
  const std::string csv = findings_csv(m, fs);
  CHECK(csv.find("\ntarget,jobs,s1,2021-01..2021-06,warning,behind,345,1200,") != std::string::npos);
  CHECK(findings_json(m, fs).find("\"region\": \"s1\", \"region_name\": \"示范县（不含西镇）\"") != std::string::npos);
  // A second target for the same scope, indicator and year is a duplicate; an unknown code is named.
  auto dup = [&](const std::string& rows) {
    try {
      (void)parse_targets(std::string(header) + rows, "t.csv", m);
    } catch (const load_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(dup("s1,jobs,2021,floor,1200,,,\ns1,jobs,2021,floor,1300,,,\n") ==
        "t.csv:3:1 (region): duplicate target for (s1, jobs, 2021) (first at line 2)");
  CHECK(dup("s9,jobs,2021,floor,1200,,,\n") == "t.csv:2:1 (region): unknown region 's9' (nor a scope of scopes.csv)");
}
