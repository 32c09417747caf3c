// Indicators reported at a level (indicators.csv `reported_at`) on tests/data/reported_at: 省 P over 甲市 A
// (counties A1 with towns t11, t12 and A2 with t21) and 东莞式市 D, whose towns d1, d2 sit directly under it,
// so D reports a county-level indicator itself. Every number below is worked out by hand from
// observations.csv; the comments show the arithmetic.
#include "support.hpp"

#include <doctest/doctest.h>

#include <zhibiao/csv.hpp>
#include <zhibiao/model.hpp>

#include <string>

using namespace zhibiao;
using zhibiao_test::load_failure;

namespace {

const std::string dir = ZHIBIAO_TEST_DATA "/reported_at/";

model county_model(const std::string& regions = dir + "regions.csv", const std::string& observations = dir + "observations.csv") {
  model m;
  m.load_regions(regions);
  m.load_indicators(dir + "indicators.csv");
  m.load_observations(observations);
  m.rollup();
  return m;
}

// "value (reporting/expected)", "—" when missing.
std::string at(const model& m, const char* region, const char* per, const char* ind) {
  aggregate a = m.value(m.regions().require(region), period::parse(per), m.indicators().require(ind));
  return (a.value ? a.value->to_string() : std::string("—")) + " (" + std::to_string(a.reporting) + "/" +
         std::to_string(a.expected) + ")";
}

}  // namespace

TEST_CASE("reported_at: counties are the units, 东莞's city reports itself, towns report nothing") {
  model m = county_model();
  // quick (flow, county): A1 Jan 10 Feb 12, A2 Jan 7, D Feb 9.
  CHECK(at(m, "A1", "2021-01", "quick") == "10 (1/1)");  // a county with towns: its own value, 1 of 1
  CHECK(at(m, "A", "2021-01", "quick") == "17 (2/2)");   // 10 + 7, "2 of 2 counties reported"
  CHECK(at(m, "A", "2021-02", "quick") == "12 (1/2)");   // A2 did not report February
  CHECK(at(m, "A", "2021年1-2月", "quick") == "29 (1/2)");  // 17 + 12
  CHECK(at(m, "D", "2021-01", "quick") == "— (0/1)");    // 东莞式市 is its own county-level unit
  CHECK(at(m, "D", "2021-02", "quick") == "9 (1/1)");
  CHECK(at(m, "P", "2021-01", "quick") == "17 (2/3)");   // units A1, A2, D; the 30 reported at P is a total
  CHECK(at(m, "P", "2021年1-2月", "quick") == "38 (2/3)");  // 17 + (12 + 9)
  CHECK(at(m, "t11", "2021-01", "quick") == "— (0/0)");  // below the level: expected 0
  CHECK(at(m, "d1", "2021-02", "quick") == "— (0/0)");   // a 东莞 town is below its unit
  // The towns' own indicator is unchanged: hires at D = d1's 2 of d1, d2.
  CHECK(at(m, "D", "2021-01", "hires") == "2 (1/2)");
  CHECK(at(m, "P", "2021-01", "hires") == "14 (4/5)");  // 5 + 3 + 4 + 2
  // retirees (stock, county): Jan A1 100 A2 50 D 80; Feb A1 110. 截至2月底 carries A2's 50 and D's 80.
  CHECK(at(m, "P", "2021-01", "retirees") == "230 (3/3)");
  CHECK(at(m, "P", "2021-02", "retirees") == "110 (1/3)");
  CHECK(at(m, "P", "2021年1-2月", "retirees") == "240 (1/3)");  // 110 + 50 + 80
  CHECK(at(m, "A", "2021年1-2月", "retirees") == "160 (1/2)");  // 110 + 50
  // done_rate = done / accepted × 100, from the summed units: A (18+9)/(20+10) = 90.0, P 33/38 = 86.84… → 86.8,
  // D 6/8 = 75.0.
  CHECK(at(m, "A", "2021-01", "done_rate") == "90.0 (2/2)");
  CHECK(at(m, "P", "2021-01", "done_rate") == "86.8 (3/3)");
  CHECK(at(m, "D", "2021-01", "done_rate") == "75.0 (1/1)");
  CHECK(at(m, "t21", "2021-01", "done_rate") == "— (0/0)");
}

TEST_CASE("reported_at: quarters, the segmented pass and the CSV follow the units") {
  model m = county_model();
  // 2021Q1 quick at P: 10 + 12 + 7 + 9 = 38; coverage is March's (nobody reported): 0 of 3 units.
  CHECK(at(m, "P", "2021Q1", "quick") == "38 (0/3)");
  CHECK(at(m, "A", "2021Q1", "done_rate") == "90.0 (0/2)");
  const std::string fused = m.csv();
  m.rollup(model::rollup_path::segmented);
  CHECK(m.csv() == fused);
  // A CSV row of a town for a county-level indicator: empty values, 0 of 0.
  CHECK(fused.find("t11,2021-01,quick,,,0,0,,\n") != std::string::npos);
  CHECK(fused.find("D,2021-02,quick,9,9,1,1,,\n") != std::string::npos);
  CHECK(fused.find("P,2021-01,hires,14,14,4,5,,\n") != std::string::npos);
}

TEST_CASE("reported_at: a value at a unit is an observation, above it a reported total") {
  model m = county_model();
  // P reported 30 against 17 from its units: flagged. A reported 17 = 10 + 7: agrees. A1's 10 is its own value.
  std::vector<reconciliation> rc = m.reconcile();
  REQUIRE(rc.size() == 1);
  CHECK(m.regions()[rc[0].region].code == "P");
  CHECK(rc[0].reported.to_string() == "30");
  CHECK(rc[0].computed->to_string() == "17");
  const indicator_id quick = m.indicators().require("quick");
  explanation a1 = m.explain(m.regions().require("A1"), period::parse("2021-01"), quick);
  CHECK(!a1.reported_total);
  explanation a = m.explain(m.regions().require("A"), period::parse("2021-02"), quick);
  CHECK(a.reported_total == std::nullopt);  // nothing reported at A in February
  REQUIRE(a.missing.size() == 1);           // the units that did not report February: A2
  CHECK(m.regions()[a.missing[0]].code == "A2");
  explanation p = m.explain(m.regions().require("P"), period::parse("2021-01"), quick);
  CHECK(p.reported_total->to_string() == "30");
  REQUIRE(p.missing.size() == 1);  // D
  CHECK(m.regions()[p.missing[0]].code == "D");
  CHECK(m.explain_text(p).find("coverage: 2 of 3 county-level units reported 2021-01") != std::string::npos);
}

TEST_CASE("reported_at: a revision at a unit updates its ancestors in place") {
  model m = county_model();
  const indicator_id quick = m.indicators().require("quick"), retirees = m.indicators().require("retirees");
  // A1 quick January 10 → 15: A 15 + 7 = 22, P 22; the year to date at P through February 22 + 21 = 43.
  m.set_value(m.regions().require("A1"), period::parse("2021-01"), quick, decimal::parse("15"));
  CHECK(at(m, "A", "2021-01", "quick") == "22 (2/2)");
  CHECK(at(m, "P", "2021年1-2月", "quick") == "43 (2/3)");
  // D's retirees cleared for January: P 100 + 50 = 150, 2 of 3; done_rate is untouched.
  m.clear_value(m.regions().require("D"), period::parse("2021-01"), retirees);
  CHECK(at(m, "P", "2021-01", "retirees") == "150 (2/3)");
  CHECK(at(m, "D", "2021年1-2月", "retirees") == "— (0/1)");
  // D's done January 6 → 7: D 7/8 = 87.5; P (18 + 9 + 7) / 38 = 89.47… → 89.5.
  m.set_value(m.regions().require("D"), period::parse("2021-01"), m.indicators().require("done"), decimal::parse("7"));
  CHECK(at(m, "D", "2021-01", "done_rate") == "87.5 (1/1)");
  CHECK(at(m, "P", "2021-01", "done_rate") == "89.5 (3/3)");
  // In place equals a fresh roll-up of the same values.
  const std::string in_place = m.csv();
  m.rollup();
  CHECK(m.csv() == in_place);
  // A town cannot be given a county-level value.
  CHECK_THROWS_AS(m.set_value(m.regions().require("t11"), period::parse("2021-01"), quick, decimal::parse("1")), error);
}

TEST_CASE("reported_at: scopes count the units they hold whole") {
  model m = county_model();
  m.load_scopes_text("code,name,include,exclude\n"
                     "no_d1,示例省（不含东一镇）,P,d1\n"
                     "a_no_t12,甲市（不含甲一二镇）,A,t12\n",
                     "scopes.csv");
  const indicator_id quick = m.indicators().require("quick");
  auto scope = [&](std::size_t k, const char* per) {
    aggregate a = m.scope_value(k, period::parse(per), quick);
    return (a.value ? a.value->to_string() : std::string("—")) + " (" + std::to_string(a.reporting) + "/" +
           std::to_string(a.expected) + ")";
  };
  // Excluding d1 splits D: the units left are A1 and A2; Q1 = 10 + 12 + 7 = 29; January 17, 2 of 2.
  CHECK(scope(0, "2021Q1") == "29 (0/2)");
  CHECK(scope(0, "2021-01") == "17 (2/2)");
  // Excluding t12 splits A1: A2 alone, 7 in January.
  CHECK(scope(1, "2021-01") == "7 (1/1)");
  // The towns' indicator still counts towns: hires without d1 = 5 + 3 + 4 = 12 of 4.
  aggregate h = m.scope_value(0, period::parse("2021-01"), m.indicators().require("hires"));
  CHECK(h.value->to_string() == "12");
  CHECK(h.expected == 4);
}

TEST_CASE("reported_at: a tree that changes mid-year moves the unit") {
  // From February a county D1 is set up under D and takes d1, d2: D is the unit in January, D1 after.
  const std::string regions =
      "code,name,level,parent,valid_from,valid_to\n"
      "P,示例省,province,,,\n"
      "A,甲市,city,P,,\n"
      "A1,甲一县,county,A,,\n"
      "t11,甲一一镇,town,A1,,\n"
      "A2,甲二县,county,A,,\n"
      "D,东莞式市,city,P,,\n"
      "D1,新设县,county,D,2021-02,\n"
      "d1,东一镇,town,D,,2021-01\n"
      "d1,东一镇,town,D1,2021-02,\n";
  model m;
  m.load_regions_text(regions, "regions.csv");
  m.load_indicators(dir + "indicators.csv");
  m.load_observations_text("region,period,indicator,value\n"
                           "A1,2021-01,retirees,100\n"
                           "A2,2021-01,retirees,50\n"
                           "D,2021-01,retirees,80\n"
                           "A1,2021-02,retirees,110\n"
                           "D1,2021-02,retirees,85\n"
                           "D,2021-02,retirees,90\n",  // D is above its unit D1 in February: a reported total
                           "obs.csv");
  m.rollup();
  // January: 100 + 50 + 80 = 230 of A1, A2, D. February: 110 + 85 = 195, 2 of A1, A2, D1; 截至2月底 110 + 50 + 85
  // = 245 (D's January 80 is not carried: D is no unit in February's tree).
  CHECK(at(m, "P", "2021-01", "retirees") == "230 (3/3)");
  CHECK(at(m, "P", "2021-02", "retirees") == "195 (2/3)");
  CHECK(at(m, "P", "2021年1-2月", "retirees") == "245 (2/3)");
  CHECK(at(m, "D", "2021-02", "retirees") == "85 (1/1)");
  std::vector<reconciliation> rc = m.reconcile();
  REQUIRE(rc.size() == 1);  // D's 90 against D1's 85
  CHECK(m.regions()[rc[0].region].code == "D");
  CHECK(rc[0].computed->to_string() == "85");
  // A revision in a year whose tree changes recomputes the year: D1 85 → 95 gives P February 205.
  m.set_value(m.regions().require("D1"), period::parse("2021-02"), m.indicators().require("retirees"), decimal::parse("95"));
  CHECK(at(m, "P", "2021-02", "retirees") == "205 (2/3)");
  // d1 in January sits directly under D, a unit: below it, so a county-level value there is refused.
  auto e = load_failure([&] { m.load_observations_text("region,period,indicator,value\nd1,2021-01,quick,1\n", "late.csv"); });
  CHECK_LOAD_AT(e, 2, 1, "'quick' is reported at level county: 'd1' is a town, below that level");
}

TEST_CASE("reported_at: load errors name the line, and nothing is loaded") {
  model m;
  m.load_regions(dir + "regions.csv");
  m.load_indicators(dir + "indicators.csv");
  auto below = load_failure([&] {
    m.load_observations_text("region,period,indicator,value\nA1,2021-01,quick,3\nt11,2021-01,quick,1\n", "obs.csv");
  });
  CHECK_LOAD_AT(below, 3, 1, "'quick' is reported at level county: 't11' is a town, below that level");
  CHECK(below.where().file == "obs.csv");
  CHECK(m.observation_count() == 0);
  const std::string head = "code,name,unit,kind,decimals,numerator,denominator,factor,part_of,reported_at\n";
  auto level = load_failure([&] { catalogue::parse(head + "x,某事项,件,flow,0,,,,,district\n", "ind.csv"); });
  CHECK_LOAD_AT(level, 2, 10, "unknown level 'district'");
  auto param = load_failure([&] { catalogue::parse(head + "w,最低工资标准,元,parameter,0,,,,,county\n", "ind.csv"); });
  CHECK_LOAD_AT(param, 2, 10, "'w' is a parameter");
  auto ratio = load_failure([&] {
    catalogue::parse(head + "a,受理,件,flow,0,,,,,county\nb,办结,件,flow,0,,,,,\nr,办结率,%,ratio,1,b,a,,,county\n", "ind.csv");
  });
  CHECK_LOAD_AT(ratio, 4, 10, "ratio 'r' is reported at county but its term 'b' at the leaves");
  CHECK(ratio.where().field == "reported_at");
  // Without the column (or with it empty) every indicator is reported by the leaves, as before.
  catalogue plain = catalogue::parse(head + "a,受理,件,flow,0,,,,,\n", "ind.csv");
  CHECK(!plain[0].reported_at);
  CHECK(catalogue::parse(head + "a,受理,件,flow,0,,,,,town\n", "ind.csv")[0].reported_at == level::town);
}

TEST_CASE("reported_at: partials refuse such a catalogue, naming the indicator") {
  model m = county_model();
  try {
    (void)m.export_partial(m.regions().require("A"), 2021);
    FAIL("export_partial accepted a catalogue with reported_at");
  } catch (const error& e) {
    CHECK(e.code() == errc::state);
    CHECK(std::string(e.what()).find("'quick' is reported at level county") != std::string::npos);
  }
}
