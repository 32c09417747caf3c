// Unit tests for loading observations (src/observations.cpp: model::load_observations_text,
// set_value, clear_value, reported) and what the roll-up makes of them: every load error with its
// place, all-or-nothing loads, year-to-date series across files, incremental revisions that agree
// with a fresh roll-up, totals reported at non-leaf regions and reconcile().
#include <zhibiao/detail/engine_access.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/error.hpp>

#include <doctest/doctest.h>

#include "support.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using zhibiao::decimal;
using zhibiao::errc;
using zhibiao::load_error;
using zhibiao_test::load_failure;
using zhibiao::model;
using zhibiao::period;

const std::string indicators_csv =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of,parts,signed\n"
    "new_jobs,城镇新增就业,人,flow,0,,,,,,\n"
    "trained,职业技能培训,人次,flow,0,,,,,,\n"
    "loan,发放创业担保贷款,万元,flow,2,,,,,,\n"
    "net_fund,基金当期结余,万元,flow,2,,,,,,yes\n"
    "insured,参保人数,人,stock,0,,,,,,\n"
    "unemployed,期末城镇登记失业人数,人,stock,0,,,,,,\n"
    "employed,期末城镇从业人员数,人,stock,0,,,,,,\n"
    "rate,城镇登记失业率,%,ratio,2,unemployed,unemployed+employed,,,,\n"
    "min_wage,最低工资标准,元/月,parameter,0,,,,,,\n";

const std::string regions_csv =
    "code,name,level,parent\n"
    "C1,示例市,city,\n"
    "A,甲县,county,C1\n"
    "B,乙县,county,C1\n"
    "a1,甲一镇,town,A\n"
    "a2,甲二镇,town,A\n"
    "b1,乙一镇,town,B\n";

const std::string obs_header = "region,period,indicator,value,qualifier\n";

// The data set of tests/data/small (b1's new_jobs reported year-to-date), 27 values.
const std::string base_rows =
    "a1,2021-01,new_jobs,10,\n"
    "a1,2021-02,new_jobs,20,\n"
    "a1,2021-03,new_jobs,30,\n"
    "a2,2021-01,new_jobs,5,\n"
    "a2,2021-03,new_jobs,15,\n"
    "b1,2021-01..2021-01,new_jobs,7,\n"
    "b1,2021-01..2021-02,new_jobs,12,\n"
    "b1,2021年1-3月,new_jobs,20,\n"
    "a1,2021-01,loan,12.50,\n"
    "b1,2021-02,loan,3.25,approximate\n"
    "a1,2021-01,insured,100,\n"
    "a1,2021-02,insured,110,\n"
    "a2,2021-01,insured,50,\n"
    "a2,2021-02,insured,55,\n"
    "a2,2021-03,insured,60,\n"
    "b1,2021-01,insured,80,\n"
    "b1,2021-02,insured,82,\n"
    "b1,2021-03,insured,85,\n"
    "a1,2021-01,unemployed,30,\n"
    "a1,2021-01,employed,970,\n"
    "a2,2021-01,unemployed,10,\n"
    "a2,2021-01,employed,90,\n"
    "b1,2021-01,unemployed,2,\n"
    "b1,2021-01,employed,398,\n"
    "a1,2021-02,unemployed,31,\n"
    "a2,2021-02,unemployed,11,\n"
    "a2,2021-02,employed,89,\n";

model empty_model() {
  model m;
  m.load_indicators_text(indicators_csv, "indicators.csv");
  m.load_regions_text(regions_csv, "regions.csv");
  return m;
}

// The base data loaded and rolled up.
model base_model() {
  model m = empty_model();
  m.load_observations_text(obs_header + base_rows, "base.csv");
  m.rollup();
  return m;
}

std::string shown(const zhibiao::aggregate& a) {
  return (a.value ? a.value->to_string() : std::string("—")) + " (" + std::to_string(a.reporting) + "/" +
         std::to_string(a.expected) + ")";
}

// A rolled-up value with its coverage, e.g. "53 (3/3)"; "—" when missing.
std::string val(const model& m, const std::string& region, const std::string& p, const std::string& ind) {
  return shown(m.value(m.regions().require(region), period::parse(p), m.indicators().require(ind)));
}

// A rolled-up value alone.
std::string num(const model& m, const std::string& region, const std::string& p, const std::string& ind) {
  auto a = m.value(m.regions().require(region), period::parse(p), m.indicators().require(ind));
  return a.value ? a.value->to_string() : std::string("—");
}

// The value stored for a region itself for one month (after year-to-date conversion).
std::string rep(const model& m, const std::string& region, const std::string& month, const std::string& ind) {
  auto v = m.reported(m.regions().require(region), period::parse(month), m.indicators().require(ind));
  return v ? v->to_string() : std::string("—");
}

struct snapshot {
  std::string csv;
  std::size_t count;
  std::vector<int> years;
};

snapshot snap(const model& m) { return snapshot{m.csv(), m.observation_count(), m.years()}; }

// The model still holds exactly the data of `s`, answers without a new roll-up, and rolls up the same.
#define CHECK_INTACT(m, s)                                              \
  do {                                                                  \
    CHECK((m).observation_count() == (s).count);                        \
    CHECK((m).years() == (s).years);                                    \
    REQUIRE((m).rolled_up());                                           \
    CHECK((m).csv() == (s).csv);                                        \
    CHECK(val((m), "C1", "2021-03", "new_jobs") == "53 (3/3)");         \
    CHECK(num((m), "C1", "2021-01..2021-03", "new_jobs") == "100");     \
    CHECK(val((m), "C1", "2021-01", "rate") == "2.80 (3/3)");           \
    (m).rollup();                                                       \
    CHECK((m).csv() == (s).csv);                                        \
  } while (0)

// "" when equal, otherwise the first differing line of two CSV texts.
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t pa = 0, pb = 0, line = 1;
  while (pa < a.size() || pb < b.size()) {
    std::size_t ea = a.find('\n', pa), eb = b.find('\n', pb);
    std::string la = pa < a.size() ? a.substr(pa, ea - pa) : "<end>", lb = pb < b.size() ? b.substr(pb, eb - pb) : "<end>";
    if (la != lb) return "line " + std::to_string(line) + ": '" + la + "' vs '" + lb + "'";
    pa = ea == std::string::npos ? a.size() : ea + 1;
    pb = eb == std::string::npos ? b.size() : eb + 1;
    ++line;
  }
  return "";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// the base data

TEST_CASE("observations: the base data rolls up as computed by hand") {
  model m = base_model();
  CHECK(m.observation_count() == 27);
  CHECK(m.years() == std::vector<int>{2021});
  // b1's year-to-date series became months: 7, 12 − 7, 20 − 12.
  CHECK(rep(m, "b1", "2021-01", "new_jobs") == "7");
  CHECK(rep(m, "b1", "2021-02", "new_jobs") == "5");
  CHECK(rep(m, "b1", "2021-03", "new_jobs") == "8");
  CHECK(rep(m, "a2", "2021-02", "new_jobs") == "—");
  CHECK(val(m, "A", "2021-01", "new_jobs") == "15 (2/2)");
  CHECK(val(m, "C1", "2021-02", "new_jobs") == "25 (2/3)");
  CHECK(val(m, "C1", "2021-03", "new_jobs") == "53 (3/3)");
  CHECK(num(m, "C1", "2021-01..2021-03", "new_jobs") == "100");
  CHECK(val(m, "C1", "2021Q1", "new_jobs") == "100 (3/3)");
  CHECK(val(m, "C1", "2021-01", "loan") == "12.50 (1/3)");
  CHECK(m.reported_qualifier(m.regions().require("b1"), period::month(2021, 2), m.indicators().require("loan")) ==
        zhibiao::qualifier::approximate);
  CHECK(m.reported_qualifier(m.regions().require("a1"), period::month(2021, 1), m.indicators().require("loan")) ==
        zhibiao::qualifier::none);
  CHECK(val(m, "C1", "2021-03-31", "insured") == "255 (2/3)");
  CHECK(val(m, "C1", "2021-01", "rate") == "2.80 (3/3)");
}

// ---------------------------------------------------------------------------------------------
// load errors; after each, the model keeps exactly what it had

TEST_CASE("observations: an unknown region is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] {
    m.load_observations_text(obs_header + "a1,2021-04,new_jobs,1,\nzz,2021-04,new_jobs,1,\n", "obs.csv");
  });
  CHECK_LOAD_AT(e, 3, 1, "unknown region 'zz'");
  CHECK(e.where().file == "obs.csv");
  CHECK(e.where().field == "region");
  auto empty = load_failure([&] { m.load_observations_text(obs_header + ",2021-04,new_jobs,1,\n"); });
  CHECK_LOAD_AT(empty, 2, 1, "empty region code");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: an unknown indicator is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_job,1,\n"); });
  CHECK_LOAD_AT(e, 2, 3, "unknown indicator 'new_job'");
  CHECK(e.where().field == "indicator");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: a malformed period is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,1,\na1,2021-13,new_jobs,1,\n"); });
  CHECK_LOAD_AT(e, 3, 2, "month 13 is outside 1..12");
  CHECK(e.where().field == "period");
  auto span = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-02..2021-04,new_jobs,1,\n"); });
  CHECK_LOAD_AT(span, 2, 2, "'2021-02..2021-04' is a span: observations are monthly");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: a quarter or half-year period is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto q = load_failure([&] { m.load_observations_text(obs_header + "a1,2021Q2,new_jobs,1,\n"); });
  CHECK_LOAD_AT(q, 2, 2, "'2021Q2' is a quarter: observations are monthly");
  auto zh = load_failure([&] { m.load_observations_text(obs_header + "a1,2021年第二季度,insured,1,\n"); });
  CHECK_LOAD_AT(zh, 2, 2, "is a quarter");
  auto h = load_failure([&] { m.load_observations_text(obs_header + "a1,2021S1,new_jobs,1,\n"); });
  CHECK_LOAD_AT(h, 2, 2, "'2021S1' is a half_year");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: a malformed value is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,12a,\n"); });
  CHECK_LOAD_AT(e, 2, 4, "'12a': not a decimal number");
  CHECK(e.where().field == "value");
  auto empty = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,,\n"); });
  CHECK_LOAD_AT(empty, 2, 4, "empty number");
  auto sep = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,\"1,200\",\n"); });
  CHECK_LOAD_AT(sep, 2, 4, "thousands separators are not allowed");
  auto exp = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,1e3,\n"); });
  CHECK_LOAD_AT(exp, 2, 4, "exponent notation is not supported");
  auto big = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,99999999999999999999,\n"); });
  CHECK(big.code() == errc::overflow);
  CHECK(big.where().line == 2);
  CHECK(big.where().column == 4);
  CHECK(big.reason().find("number too large") != std::string::npos);
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: more decimals than the indicator allows is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,1.5,\n"); });
  CHECK_LOAD_AT(e, 2, 4, "'1.5' has more than 0 decimals, the most 'new_jobs' allows");
  auto loan = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,loan,1.50,\na1,2021-05,loan,1.234,\n"); });
  CHECK_LOAD_AT(loan, 3, 4, "more than 2 decimals");
  CHECK_INTACT(m, s);
  // Trailing zeros lose nothing and are accepted.
  m.load_observations_text(obs_header + "a1,2021-04,new_jobs,3.00,\na1,2021-04,loan,1.5,\n");
  m.rollup();
  CHECK(rep(m, "a1", "2021-04", "new_jobs") == "3");
  CHECK(rep(m, "a1", "2021-04", "loan") == "1.50");
}

TEST_CASE("observations: a value for a ratio is a load error naming its parts") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,rate,3.20,\n"); });
  CHECK_LOAD_AT(e, 2, 3, "'rate' is a ratio: it is computed, report its parts (unemployed");
  CHECK(e.reason().find("employed)") != std::string::npos);
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: the same region, period and indicator twice in a file is a load error naming the earlier line") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] {
    m.load_observations_text(obs_header +
                             "a1,2021-04,new_jobs,1,\n"
                             "a2,2021-04,new_jobs,2,\n"
                             "a1,2021年4月,new_jobs,3,\n");
  });
  CHECK_LOAD_AT(e, 4, 2, "duplicate: (a1, 2021年4月, new_jobs) was already given at line 2");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: a value already loaded by an earlier file is a load error") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a2,2021-04,new_jobs,1,\na1,2021-01,new_jobs,11,\n"); });
  CHECK_LOAD_AT(e, 3, 2, "duplicate: (a1, 2021-01, new_jobs) was already loaded");
  // A year-to-date row for a month loaded before is the same cell.
  auto ytd = load_failure([&] { m.load_observations_text(obs_header + "b1,2021-01..2021-03,new_jobs,20,\n"); });
  CHECK_LOAD_AT(ytd, 2, 2, "duplicate: (b1, 2021-03, new_jobs) was already loaded");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: a negative flow is a load error unless the indicator is signed") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,-3,\n"); });
  CHECK_LOAD_AT(e, 2, 4, "negative value -3 for 'new_jobs', which the catalogue does not allow (signed=no)");
  auto stock = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,insured,-1,\n"); });
  CHECK_LOAD_AT(stock, 2, 4, "negative value -1 for 'insured'");
  CHECK_INTACT(m, s);
  // net_fund is signed=yes: negative values load and add up as they are.
  m.load_observations_text(obs_header +
                           "a1,2021-04,net_fund,-3.50,\n"
                           "a2,2021-04,net_fund,10.25,\n"
                           "b1,2021-01..2021-04,net_fund,-1.00,\n"
                           "b1,2021-01..2021-05,net_fund,-4.00,\n");
  CHECK(m.observation_count() == s.count + 4);
  m.rollup();
  CHECK(val(m, "A", "2021-04", "net_fund") == "6.75 (2/2)");
  CHECK(val(m, "C1", "2021-04", "net_fund") == "5.75 (3/3)");
  CHECK(rep(m, "b1", "2021-05", "net_fund") == "-3.00");
  CHECK(num(m, "C1", "2021-01..2021-05", "net_fund") == "2.75");
  // A parameter is not aggregated: a town sees the value in force at its nearest ancestor.
  m.load_observations_text(obs_header + "C1,2021-04,min_wage,1900,\n");
  m.rollup();
  CHECK(num(m, "a1", "2021-06", "min_wage") == "1900");
}

TEST_CASE("observations: a decreasing year-to-date series is a load error naming both lines") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] {
    m.load_observations_text(obs_header +
                             "a1,2021-01..2021-02,trained,30,\n"
                             "a2,2021-01,trained,4,\n"
                             "a1,2021-01..2021-03,trained,25,\n");
  });
  CHECK_LOAD_AT(e, 4, 4, "year-to-date value of 'trained' at 'a1' decreases: 30 through month 2 (line 2) then 25 through month 3 (line 4)");
  // The same with the later month written first: the earlier month is on the last line of the file.
  auto rev = load_failure([&] {
    m.load_observations_text(obs_header +
                             "a1,2021-01..2021-03,trained,25,\n"
                             "a1,2021-01..2021-02,trained,30,\n");
  });
  CHECK_LOAD_AT(rev, 2, 4, "decreases: 30 through month 2 (line 3) then 25 through month 3 (line 2)");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: a year-to-date value below one loaded by an earlier file is a load error") {
  model m = base_model();
  m.load_observations_text(obs_header + "a1,2021-01..2021-03,trained,25,\n");
  m.rollup();
  const snapshot s = snap(m);
  // February's cumulative 30 above March's 25 (loaded before) would make March negative.
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-01..2021-02,trained,30,\n"); });
  CHECK_LOAD_AT(e, 2, 4, "decreases: 30 through month 2 (line 2) then 25 through month 3 (loaded earlier)");
  auto later = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-01..2021-04,trained,24,\n"); });
  CHECK_LOAD_AT(later, 2, 4, "decreases: 25 through month 3 (loaded earlier) then 24 through month 4 (line 2)");
  CHECK(num(m, "a1", "2021-01..2021-03", "trained") == "25");
  CHECK(m.observation_count() == s.count);
  CHECK(m.csv() == s.csv);
}

TEST_CASE("observations: a series given both monthly and year-to-date is a load error") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] {
    m.load_observations_text(obs_header +
                             "a1,2021-01,trained,10,\n"
                             "a2,2021-01,trained,10,\n"
                             "a1,2021-01..2021-02,trained,30,\n");
  });
  CHECK_LOAD_AT(e, 4, 2, "a1 / trained in 2021: values are given both monthly (line 2) and year-to-date (line 4)");
  // The monthly values of a1's new_jobs came from the base file.
  auto across = load_failure([&] { m.load_observations_text(obs_header + "a2,2021-04,trained,1,\na1,2021-01..2021-04,new_jobs,100,\n"); });
  CHECK_LOAD_AT(across, 3, 2, "a1 / new_jobs in 2021: values are given both monthly (loaded earlier) and year-to-date (line 3)");
  // And the other way round: a month for b1's year-to-date series.
  auto other = load_failure([&] { m.load_observations_text(obs_header + "b1,2021-04,new_jobs,1,\n"); });
  CHECK_LOAD_AT(other, 2, 2, "b1 / new_jobs in 2021: values are given both monthly (line 2) and year-to-date (loaded earlier)");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: an unknown qualifier is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto e = load_failure([&] { m.load_observations_text(obs_header + "a1,2021-04,new_jobs,40,lower_bound\na2,2021-04,new_jobs,5,about\n"); });
  CHECK_LOAD_AT(e, 3, 5, "unknown qualifier 'about' (expected lower_bound or approximate)");
  CHECK(e.where().field == "qualifier");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: a bad header is a load error and nothing is kept") {
  model m = base_model();
  const snapshot s = snap(m);
  auto typo = load_failure([&] { m.load_observations_text("region,period,indicator,valeu\na1,2021-04,new_jobs,1\n"); });
  CHECK_LOAD_AT(typo, 1, 4, "unknown column 'valeu'");
  auto missing = load_failure([&] { m.load_observations_text("region,period,value\na1,2021-04,1\n"); });
  CHECK_LOAD_AT(missing, 1, 0, "missing required column 'indicator'");
  CHECK_INTACT(m, s);
}

TEST_CASE("observations: loading before the indicators and regions is a state error") {
  model m;
  try {
    m.load_observations_text(obs_header + "a1,2021-01,new_jobs,1,\n");
    FAIL("loading observations into an empty model must throw");
  } catch (const load_error&) {
    FAIL("not a load error: the file is fine, the model is not ready");
  } catch (const zhibiao::error& e) {
    CHECK(e.code() == errc::state);
  }
  model with_ind;
  with_ind.load_indicators_text(indicators_csv);
  try {
    with_ind.load_observations_text(obs_header + "a1,2021-01,new_jobs,1,\n");
    FAIL("loading observations without regions must throw");
  } catch (const zhibiao::error& e) {
    CHECK(e.code() == errc::state);
    CHECK(std::string(e.what()).find("no regions") != std::string::npos);
  }
  // Once values are loaded, the catalogue and regions are fixed.
  model m2 = base_model();
  try {
    m2.load_regions_text(regions_csv);
    FAIL("replacing the regions after observations must throw");
  } catch (const zhibiao::error& e) {
    CHECK(e.code() == errc::state);
  }
  CHECK(m2.observation_count() == 27);
}

// ---------------------------------------------------------------------------------------------
// several files

TEST_CASE("observations: a second file for another month merges with the first") {
  model m = base_model();
  m.load_observations_text(obs_header + "a2,2021-02,new_jobs,6,\na1,2021-04,new_jobs,40,approximate\n", "april.csv");
  CHECK(m.observation_count() == 29);
  CHECK_FALSE(m.rolled_up());
  m.rollup();
  CHECK(val(m, "A", "2021-02", "new_jobs") == "26 (2/2)");
  CHECK(val(m, "C1", "2021-02", "new_jobs") == "31 (3/3)");
  CHECK(val(m, "C1", "2021-04", "new_jobs") == "40 (1/3)");
  CHECK(num(m, "C1", "2021-01..2021-04", "new_jobs") == "146");
  // The first file's values are all still there.
  CHECK(val(m, "C1", "2021-03", "new_jobs") == "53 (3/3)");
  CHECK(val(m, "C1", "2021-03-31", "insured") == "255 (2/3)");
  CHECK(m.reported_qualifier(m.regions().require("a1"), period::month(2021, 4), m.indicators().require("new_jobs")) ==
        zhibiao::qualifier::approximate);
  // A file for another year adds a year.
  m.load_observations_text(obs_header + "a1,2022-01,new_jobs,9,\n");
  m.rollup();
  CHECK(m.years() == std::vector<int>{2021, 2022});
  CHECK(val(m, "C1", "2022-01", "new_jobs") == "9 (1/3)");
  CHECK(val(m, "C1", "2021-03", "new_jobs") == "53 (3/3)");
}

TEST_CASE("observations: a second file continues a year-to-date series") {
  model m = base_model();
  m.load_observations_text(obs_header +
                           "b1,2021-01..2021-01,trained,10,\n"
                           "b1,2021-01..2021-02,trained,25,\n"
                           "b1,2021-01..2021-03,trained,30,\n"
                           "b1,2021-01..2021-04,trained,42,\n"
                           "b1,2021-01..2021-05,trained,50,\n"
                           "b1,2021-01..2021-06,trained,61,\n",
                           "h1.csv");
  m.load_observations_text(obs_header + "b1,2021-01..2021-07,trained,70,\n", "july.csv");
  m.rollup();
  const char* months[] = {"10", "15", "5", "12", "8", "11", "9"};
  for (int k = 0; k < 7; ++k) {
    CAPTURE(k + 1);
    CHECK(rep(m, "b1", period::month(2021, k + 1).code(), "trained") == months[k]);
  }
  CHECK(val(m, "b1", "2021-07", "trained") == "9 (1/1)");
  CHECK(val(m, "C1", "2021-07", "trained") == "9 (1/3)");
  CHECK(num(m, "C1", "2021-01..2021-06", "trained") == "61");
  CHECK(num(m, "C1", "2021-01..2021-07", "trained") == "70");
  // A third file skips August: September's month is the difference to July.
  m.load_observations_text(obs_header + "b1,2021年1-9月,trained,80,\n");
  m.rollup();
  CHECK(rep(m, "b1", "2021-08", "trained") == "—");
  CHECK(rep(m, "b1", "2021-09", "trained") == "10");
  CHECK(num(m, "B", "2021-01..2021-08", "trained") == "70");
  CHECK(num(m, "B", "2021-01..2021-09", "trained") == "80");
  CHECK(num(m, "B", "2021", "trained") == "80");
}

TEST_CASE("observations: a year-to-date month loaded after a later one re-derives the later month") {
  model m = empty_model();
  m.load_observations_text(obs_header + "a1,2021-01..2021-03,trained,30,\n");
  m.load_observations_text(obs_header + "a1,2021-01..2021-02,trained,20,\n");
  m.rollup();
  CHECK(rep(m, "a1", "2021-02", "trained") == "20");
  CHECK(rep(m, "a1", "2021-03", "trained") == "10");
  CHECK(num(m, "a1", "2021-01..2021-03", "trained") == "30");
  m.load_observations_text(obs_header + "a1,2021-01..2021-01,trained,5,\n");
  m.rollup();
  CHECK(rep(m, "a1", "2021-01", "trained") == "5");
  CHECK(rep(m, "a1", "2021-02", "trained") == "15");
  CHECK(rep(m, "a1", "2021-03", "trained") == "10");
  CHECK(num(m, "A", "2021-01..2021-02", "trained") == "20");
  CHECK(num(m, "A", "2021-01..2021-03", "trained") == "30");
  // The same values loaded in order give the same roll-up.
  model f = empty_model();
  f.load_observations_text(obs_header +
                           "a1,2021-01..2021-01,trained,5,\n"
                           "a1,2021-01..2021-02,trained,20,\n"
                           "a1,2021-01..2021-03,trained,30,\n");
  f.rollup();
  CHECK(first_difference(m.csv(), f.csv()) == "");
}

TEST_CASE("observations: quoted fields are read as written, row by row") {
  // Spreadsheet exports often quote every field; equal-length quoted codes must not be mistaken
  // for the previous row's.
  model m = empty_model();
  m.load_observations_text(
      "\"region\",\"period\",\"indicator\",\"value\",\"qualifier\"\n"
      "\"a1\",\"2021-04\",\"new_jobs\",\"40\",\"\"\n"
      "\"a2\",\"2021-05\",\"new_jobs\",\"6\",\"\"\n"
      "\"b1\",\"2021-05\",\"trained\",\"3\",\"\"\n"
      "\"b1\",\"2021-05\",\"insured\",\"7\",\"approximate\"\n");
  CHECK(m.observation_count() == 4);
  m.rollup();
  CHECK(rep(m, "a1", "2021-04", "new_jobs") == "40");
  CHECK(rep(m, "a2", "2021-05", "new_jobs") == "6");
  CHECK(rep(m, "a1", "2021-05", "new_jobs") == "—");
  CHECK(rep(m, "b1", "2021-05", "trained") == "3");
  CHECK(rep(m, "b1", "2021-05", "insured") == "7");
  CHECK(val(m, "C1", "2021-05", "new_jobs") == "6 (1/3)");
  CHECK(m.reported_qualifier(m.regions().require("b1"), period::month(2021, 5), m.indicators().require("insured")) ==
        zhibiao::qualifier::approximate);
  // Errors in quoted rows still name the row's own values.
  auto e = load_failure([&] {
    m.load_observations_text(
        "region,period,indicator,value\n"
        "\"a1\",\"2021-06\",\"new_jobs\",\"1\"\n"
        "\"zz\",\"2021-06\",\"new_jobs\",\"1\"\n");
  });
  CHECK_LOAD_AT(e, 3, 1, "unknown region 'zz'");
}

// ---------------------------------------------------------------------------------------------
// queries and revisions

TEST_CASE("observations: querying before rollup() is a state error") {
  model m = empty_model();
  m.load_observations_text(obs_header + base_rows);
  const auto a1 = m.regions().require("a1");
  const auto nj = m.indicators().require("new_jobs");
  try {
    m.value(a1, period::month(2021, 1), nj);
    FAIL("value() before rollup() must throw");
  } catch (const load_error&) {
    FAIL("not a load error");
  } catch (const zhibiao::error& e) {
    CHECK(e.code() == errc::state);
  }
  CHECK_FALSE(m.rolled_up());
  CHECK(zhibiao::detail::engine_access::rollup_block(m, 2021) == nullptr);
  // reported() reads the loaded values and needs no roll-up.
  CHECK(rep(m, "b1", "2021-03", "new_jobs") == "8");
  m.rollup();
  CHECK(m.rolled_up());
  CHECK(zhibiao::detail::engine_access::rollup_block(m, 2021) != nullptr);
  CHECK(val(m, "a1", "2021-01", "new_jobs") == "10 (1/1)");
  // A new load makes the roll-up stale again.
  m.load_observations_text(obs_header + "a1,2021-04,new_jobs,1,\n");
  CHECK_FALSE(m.rolled_up());
  try {
    m.value(a1, period::month(2021, 1), nj);
    FAIL("value() after a load and before rollup() must throw");
  } catch (const zhibiao::error& e) {
    CHECK(e.code() == errc::state);
  }
  for (auto query : {0, 1, 2}) {
    CAPTURE(query);
    try {
      if (query == 0) (void)m.csv();
      if (query == 1) (void)m.reconcile();
      if (query == 2) (void)m.explain(a1, period::month(2021, 1), nj);
      FAIL("a query before rollup() must throw");
    } catch (const zhibiao::error& e) {
      CHECK(e.code() == errc::state);
    }
  }
}

namespace {

// The observations of a model as rows keyed by cell, to load into a fresh model.
struct dataset {
  std::map<std::string, std::string> rows;
  static std::string key(const std::string& r, const std::string& p, const std::string& i) {
    period q = period::parse(p);
    return r + "|" + i + "|" + std::to_string(q.year() * 100 + q.last_month());
  }
  void set(const std::string& r, const std::string& p, const std::string& i, const std::string& v) {
    rows[key(r, p, i)] = r + "," + p + "," + i + "," + v + ",\n";
  }
  void clear(const std::string& r, const std::string& p, const std::string& i) { rows.erase(key(r, p, i)); }
  std::string text() const {
    std::string t = obs_header;
    for (const auto& kv : rows) t += kv.second;
    return t;
  }
};

dataset base_dataset() {
  dataset d;
  std::string rest = base_rows;
  while (!rest.empty()) {
    std::string line = rest.substr(0, rest.find('\n'));
    rest.erase(0, line.size() + 1);
    std::vector<std::string> f;
    for (std::size_t p = 0;;) {
      std::size_t c = line.find(',', p);
      f.push_back(line.substr(p, c == std::string::npos ? std::string::npos : c - p));
      if (c == std::string::npos) break;
      p = c + 1;
    }
    d.rows[dataset::key(f[0], f[1], f[2])] = line + "\n";
  }
  return d;
}

// The roll-up CSV of a model loaded afresh with `d`.
std::string fresh_csv(const dataset& d, std::size_t* count = nullptr) {
  model f = empty_model();
  f.load_observations_text(d.text(), "fresh.csv");
  f.rollup();
  if (count) *count = f.observation_count();
  return f.csv();
}

}  // namespace

TEST_CASE("observations: set_value and clear_value after a roll-up agree with a fresh roll-up") {
  model m = base_model();
  dataset d = base_dataset();
  REQUIRE(d.rows.size() == 27);
  REQUIRE(first_difference(m.csv(), fresh_csv(d)) == "");
  auto set = [&](const std::string& r, const std::string& p, const std::string& i, const std::string& v) {
    m.set_value(m.regions().require(r), period::parse(p), m.indicators().require(i), decimal::parse(v));
    d.set(r, p, i, v);
  };
  auto clear = [&](const std::string& r, const std::string& p, const std::string& i) {
    m.clear_value(m.regions().require(r), period::parse(p), m.indicators().require(i));
    d.clear(r, p, i);
  };
  auto agree = [&](const char* step) {
    INFO("after: " << step);
    REQUIRE(m.rolled_up());
    std::size_t count = 0;
    const std::string fresh = fresh_csv(d, &count);
    CHECK(first_difference(m.csv(), fresh) == "");
    CHECK(m.observation_count() == count);
  };

  SUBCASE("flows") {
    set("a1", "2021-02", "new_jobs", "25");
    agree("revising a flow");
    CHECK(val(m, "A", "2021-02", "new_jobs") == "25 (1/2)");
    CHECK(val(m, "C1", "2021-02", "new_jobs") == "30 (2/3)");
    CHECK(num(m, "C1", "2021-01..2021-03", "new_jobs") == "105");
    set("a2", "2021-02", "new_jobs", "8");
    agree("adding a flow value");
    CHECK(val(m, "C1", "2021-02", "new_jobs") == "38 (3/3)");
    clear("a1", "2021-01", "new_jobs");
    agree("clearing a flow value");
    CHECK(val(m, "A", "2021-01", "new_jobs") == "5 (1/2)");
    CHECK(num(m, "C1", "2021-01..2021-03", "new_jobs") == "103");
    set("a2", "2021-06", "new_jobs", "3");
    agree("a flow value in a month nobody had reported");
    set("b1", "2021-01..2021-02", "new_jobs", "15");
    agree("revising a year-to-date value with a later month present");
    CHECK(rep(m, "b1", "2021-02", "new_jobs") == "8");
    CHECK(rep(m, "b1", "2021-03", "new_jobs") == "5");
    CHECK(num(m, "B", "2021-01..2021-03", "new_jobs") == "20");
    set("b1", "2021-01..2021-04", "new_jobs", "26");
    agree("extending a year-to-date series");
    CHECK(rep(m, "b1", "2021-04", "new_jobs") == "6");
    set("a1", "2021-01", "loan", "13.5");
    agree("revising a flow with decimals");
    CHECK(val(m, "C1", "2021-01", "loan") == "13.50 (1/3)");
    set("a1", "2021-03", "net_fund", "-2.50");
    set("a2", "2021-03", "net_fund", "1.25");
    agree("signed flow values");
    CHECK(val(m, "A", "2021-03", "net_fund") == "-1.25 (2/2)");
  }
  SUBCASE("stocks") {
    set("a2", "2021-02", "insured", "70");
    agree("revising a stock");
    CHECK(val(m, "C1", "2021-02-28", "insured") == "262 (3/3)");
    clear("b1", "2021-02", "insured");
    agree("clearing a stock value: the month before carries forward");
    CHECK(val(m, "C1", "2021-02", "insured") == "180 (2/3)");
    CHECK(val(m, "C1", "2021-02-28", "insured") == "260 (2/3)");
    set("a1", "2021-03", "insured", "115");
    agree("adding a stock value");
    CHECK(val(m, "C1", "2021-03-31", "insured") == "260 (3/3)");
    clear("a2", "2021-01", "insured");
    agree("clearing a stock's first value");
    CHECK(val(m, "A", "2021-01-31", "insured") == "100 (1/2)");
    set("a2", "2021-05", "insured", "64");
    agree("a stock value after a gap");
    CHECK(val(m, "C1", "2021-04-30", "insured") == "260 (0/3)");
    CHECK(val(m, "C1", "2021-05-31", "insured") == "264 (1/3)");
  }
  SUBCASE("ratio parts") {
    set("b1", "2021-02", "unemployed", "3");
    agree("a numerator term without its denominator term");
    set("b1", "2021-02", "employed", "400");
    agree("completing a leaf's ratio parts");
    CHECK(val(m, "b1", "2021-02", "rate") == "0.74 (1/1)");
    CHECK(val(m, "B", "2021-02", "rate") == "0.74 (1/1)");
    set("a1", "2021-02", "employed", "969");
    agree("completing another leaf's ratio parts");
    // February: (31 + 11 + 3) / (45 + 969 + 89 + 400) × 100 = 45 / 1503 × 100 = 2.994… → 2.99.
    CHECK(val(m, "C1", "2021-02", "rate") == "2.99 (3/3)");
    set("a2", "2021-01", "unemployed", "12");
    agree("revising a numerator term");
    // January: (30 + 12 + 2) / (44 + 970 + 90 + 398) × 100 = 44 / 1502 × 100 = 2.929… → 2.93.
    CHECK(val(m, "C1", "2021-01", "rate") == "2.93 (3/3)");
    clear("a2", "2021-01", "employed");
    agree("clearing a denominator term");
    CHECK(val(m, "a2", "2021-01", "rate") == "— (0/1)");
    CHECK(val(m, "a1", "2021-01", "rate") == "3.00 (1/1)");
  }
  SUBCASE("totals at non-leaf regions") {
    set("A", "2021-02", "new_jobs", "99");
    agree("a total reported at a county");
    CHECK(val(m, "A", "2021-02", "new_jobs") == "20 (1/2)");
    clear("A", "2021-02", "new_jobs");
    agree("clearing a county's total");
  }
}

TEST_CASE("observations: values at non-leaf regions stay out of the roll-up and show in reconcile()") {
  model m = base_model();
  m.load_observations_text(obs_header +
                           "A,2021-01,new_jobs,15,\n"     // a1 10 + a2 5: agrees
                           "B,2021-01,new_jobs,9,\n"      // b1 7: differs
                           "C1,2021-04,new_jobs,5,\n"     // no child reported April
                           "A,2021-02,insured,165,\n"     // a1 110 + a2 55: agrees
                           "B,2021-03,insured,80,\n");    // b1 85: differs
  CHECK(m.observation_count() == 32);
  m.rollup();
  CHECK(val(m, "B", "2021-01", "new_jobs") == "7 (1/1)");
  CHECK(val(m, "C1", "2021-01", "new_jobs") == "22 (3/3)");
  CHECK(val(m, "C1", "2021-04", "new_jobs") == "— (0/3)");
  CHECK(val(m, "A", "2021-02-28", "insured") == "165 (2/2)");
  CHECK(rep(m, "B", "2021-01", "new_jobs") == "9");
  const auto& h = m.regions();
  const auto& c = m.indicators();
  auto rec = m.reconcile();
  REQUIRE(rec.size() == 3);
  CHECK(h[rec[0].region].code == "B");
  CHECK(c[rec[0].indicator].code == "new_jobs");
  CHECK(rec[0].when.code() == "2021-01");
  CHECK(rec[0].reported == decimal::from_int(9));
  REQUIRE(rec[0].computed);
  CHECK(*rec[0].computed == decimal::from_int(7));
  CHECK(h[rec[1].region].code == "B");
  CHECK(c[rec[1].indicator].code == "insured");
  CHECK(rec[1].when.code() == "2021-03");
  CHECK(rec[1].reported == decimal::from_int(80));
  REQUIRE(rec[1].computed);
  CHECK(*rec[1].computed == decimal::from_int(85));
  CHECK(h[rec[2].region].code == "C1");
  CHECK(rec[2].when.code() == "2021-04");
  CHECK_FALSE(rec[2].computed);
  // Correct the county's total: it agrees and leaves the list; the city's total is withdrawn.
  m.set_value(h.require("B"), period::month(2021, 1), c.require("new_jobs"), decimal::from_int(7));
  m.clear_value(h.require("C1"), period::month(2021, 4), c.require("new_jobs"));
  rec = m.reconcile();
  REQUIRE(rec.size() == 1);
  CHECK(c[rec[0].indicator].code == "insured");
  CHECK(val(m, "C1", "2021-01", "new_jobs") == "22 (3/3)");
  // The explanation shows a county's own total next to its children's sum.
  auto ex = m.explain(h.require("B"), period::month(2021, 3), c.require("insured"));
  REQUIRE(ex.reported_total);
  CHECK(*ex.reported_total == decimal::from_int(80));
  CHECK(m.explain_text(ex).find("differs from the children") != std::string::npos);
}
