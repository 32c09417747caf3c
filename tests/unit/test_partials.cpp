// Partials: two provinces rolled up in models of their own, exported, and loaded as the leaves of a nation
// model. Every expected number is worked out by hand from the observations below.
#include <doctest/doctest.h>

#include <zhibiao/model.hpp>

#include <string>

using namespace zhibiao;

namespace {

const char* const indicators_csv =
    "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n"
    "hires,新增就业,人,flow,0,,,,\n"
    "labour,期末劳动力,人,stock,0,,,,\n"
    "rate,就业率,%,ratio,1,hires,labour,100,\n"
    "floor,最低工资,元,parameter,0,,,,\n";

// Province P1: T12 misses February. Nothing after March.
const std::string p1_obs =
    "T11,2021-01,hires,10\nT11,2021-02,hires,20\nT11,2021-03,hires,30\n"
    "T11,2021-01,labour,100\nT11,2021-02,labour,110\nT11,2021-03,labour,120\n"
    "T12,2021-01,hires,5\nT12,2021-03,hires,15\n"
    "T12,2021-01,labour,50\nT12,2021-03,labour,60\n";
// Province P2: T22 never reports.
const std::string p2_obs =
    "T21,2021-01,hires,1\nT21,2021-02,hires,2\nT21,2021-03,hires,3\n"
    "T21,2021-01,labour,40\nT21,2021-02,labour,40\nT21,2021-03,labour,40\n"
    "T21,2021-01,floor,1800\n";
const std::string header = "region,period,indicator,value\n";

model make(const std::string& regions, const std::string& observations) {
  model m;
  m.load_indicators_text(indicators_csv);
  m.load_regions_text("code,name,level,parent\n" + regions);
  if (!observations.empty()) m.load_observations_text(header + observations);
  return m;
}

// One province as its own model: the province is the root.
model province(const std::string& p) {
  const std::string t = p == "P1" ? "T1" : "T2";
  model m = make(p + ",省,province,\n" + t + "1,镇,town," + p + "\n" + t + "2,镇,town," + p + "\n", p == "P1" ? p1_obs : p2_obs);
  m.rollup();
  return m;
}

const std::string nation_regions = "N,全国,nation,\nP1,省1,province,N\nP2,省2,province,N\n";

// The nation above the provinces, each province a leaf carrying its partial.
model nation() {
  model top = make(nation_regions, "");
  for (const char* p : {"P1", "P2"}) {
    model m = province(p);
    top.load_partial(m.export_partial(m.regions().require(p), 2021));
  }
  top.rollup();
  return top;
}

aggregate at(const model& m, const char* region, const char* per, const char* ind) {
  return m.value(m.regions().require(region), period::parse(per), m.indicators().require(ind));
}

std::string text(const aggregate& a) { return a.value ? a.value->to_string() : "—"; }

}  // namespace

TEST_CASE("partials: a province's export holds its sums, year-to-date and coverage per indicator and month") {
  model m = province("P1");
  const partial p = m.export_partial(m.regions().require("P1"), 2021);
  CHECK(p.region == "P1");
  CHECK(p.year == 2021);
  REQUIRE(p.indicators == std::vector<std::string>{"hires", "labour", "rate", "floor"});
  REQUIRE(p.monthly.size() == 48);
  // hires (entries 0..11): Jan 10+5 = 15, Feb 20 (T12 missing), Mar 30+15 = 45; ytd 15, 35, 80, then 80.
  CHECK(p.monthly[0] == 15);
  CHECK(p.monthly[1] == 20);
  CHECK(p.monthly[2] == 45);
  CHECK(p.monthly[3] == 0);
  CHECK(p.ytd[1] == 35);
  CHECK(p.ytd[2] == 80);
  CHECK(p.ytd[11] == 80);
  CHECK(p.reporting[0] == 2);
  CHECK(p.reporting[1] == 1);
  CHECK(p.reporting[3] == 0);
  CHECK(p.present[2] == 3);  // both values
  CHECK(p.present[3] == 2);  // April: no month, the year-to-date stands
  // labour (12..23), a stock: Jan 150; Feb 110 reported, month-end 110 + T12's January 50 = 160; Mar 180.
  CHECK(p.monthly[13] == 110);
  CHECK(p.ytd[13] == 160);
  CHECK(p.ytd[14] == 180);
  CHECK(p.ytd[23] == 180);
  // rate (24..35): the leaves with both parts: Jan 2, Feb 1, Mar 2.
  CHECK(p.reporting[24] == 2);
  CHECK(p.reporting[25] == 1);
  CHECK(p.reporting[26] == 2);
  for (int e : p.expected) CHECK(e == 2);
}

TEST_CASE("partials: the nation from two loaded provinces — flows, stocks, ratios and coverage") {
  model top = nation();
  CHECK(top.partial_count() == 2);
  CHECK(top.years() == std::vector<int>{2021});
  // hires: Jan 15+1 = 16, Feb 20+2 = 22, Mar 45+3 = 48; ytd 16, 38, 86.
  CHECK(text(at(top, "N", "2021-01", "hires")) == "16");
  aggregate feb = at(top, "N", "2021-02", "hires");
  CHECK(text(feb) == "22");
  CHECK(feb.reporting == 2);  // T11, T21
  CHECK(feb.expected == 4);   // four towns, not two provinces
  CHECK(text(at(top, "N", "2021-03", "hires")) == "48");
  CHECK(text(at(top, "N", "2021年1-3月", "hires")) == "86");
  CHECK(text(at(top, "N", "2021-04", "hires")) == "—");
  CHECK(text(at(top, "N", "2021年1-4月", "hires")) == "86");
  // labour, month-end: Jan 150+40 = 190; Feb reported 110+40 = 150, month-end 160+40 = 200; Mar 180+40 = 220.
  CHECK(text(at(top, "N", "2021-02", "labour")) == "150");
  CHECK(text(at(top, "N", "截至2021年2月底", "labour")) == "200");
  CHECK(text(at(top, "N", "截至2021年12月底", "labour")) == "220");
  // rate = hires / labour × 100, 1 decimal half-up: Feb 22/150 = 14.67 → 14.7; 1-3月 86/220 = 39.09 → 39.1;
  // 1-2月 38/200 = 19.0.
  aggregate rate = at(top, "N", "2021-02", "rate");
  CHECK(text(rate) == "14.7");
  CHECK(rate.reporting == 2);
  CHECK(rate.expected == 4);
  CHECK(text(at(top, "N", "2021年1-2月", "rate")) == "19.0");
  CHECK(text(at(top, "N", "2021年1-3月", "rate")) == "39.1");
  // A province as a leaf shows the numbers of its own model.
  CHECK(text(at(top, "P1", "截至2021年2月底", "labour")) == "160");
  CHECK(at(top, "P2", "2021-01", "hires").expected == 2);
}

TEST_CASE("partials: the nation's rows equal the single model's, by either roll-up path") {
  model whole = make("N,全国,nation,\nP1,省1,province,N\nP2,省2,province,N\nT11,镇,town,P1\nT12,镇,town,P1\n"
                     "T21,镇,town,P2\nT22,镇,town,P2\n",
                     p1_obs + p2_obs);
  whole.rollup();
  model top = nation();
  rollup_filter above;
  above.only_level = level::nation;
  const std::string expected = whole.csv(above);
  CHECK(expected.find("N,2021-02,hires,22,38,2,4,,\n") != std::string::npos);
  CHECK(top.csv(above) == expected);
  top.rollup(model::rollup_path::segmented);
  CHECK(top.csv(above) == expected);
  // Provinces too: what the nation model holds for its leaves is the provinces' own roll-up.
  rollup_filter provinces;
  provinces.only_level = level::province;
  CHECK(top.csv(provinces) == whole.csv(provinces));
}

TEST_CASE("partials: a bad partial is refused with a reason and changes nothing") {
  model p1 = province("P1");
  const partial good = p1.export_partial(p1.regions().require("P1"), 2021);
  model top = make(nation_regions, "");
  top.load_partial(good);
  auto refused = [&](partial p, const char* fragment) {
    try {
      top.load_partial(p);
      FAIL("loaded");
    } catch (const error& e) {
      INFO(e.what());
      CHECK(e.code() == errc::invalid_argument);
      CHECK(std::string(e.what()).find(fragment) != std::string::npos);
    }
    CHECK(top.partial_count() == 1);
  };
  partial p = good;
  p.reporting[1] = 3;  // above the 2 expected
  refused(p, "outside 0..2");
  p = good;
  p.ytd[2] = 81;  // a flow's year-to-date that is not the sum of its months
  refused(p, "not the sum of the months");
  p = good;
  p.present[3] = 3;  // a monthly value where no leaf reported
  refused(p, "iff some leaf reported");
  p = good;
  p.indicators[1] = "labor";
  refused(p, "'labor' there and 'labour' here");
  p = good;
  p.monthly.pop_back();
  refused(p, "48 entries");
  p = good;
  p.expected[5] = 0;  // says the region did not exist in June
  refused(p, "2021-06");
  // A region with children cannot take a partial: its roll-up is its children's.
  p = good;
  p.region = "N";
  refused(p, "has children");
  p = good;
  p.region = "X";
  CHECK_THROWS_AS(top.load_partial(p), error);
  // Loading again replaces the province's partial rather than adding it twice.
  top.load_partial(good);
  CHECK(top.partial_count() == 1);
}

TEST_CASE("partials: a pre-rolled leaf's observations are a reported total; quarters over it are refused") {
  model top = make(nation_regions, "P1,2021-02,hires,999\n");
  model p1 = province("P1"), p2 = province("P2");
  top.load_partial(p1.export_partial(p1.regions().require("P1"), 2021));
  top.load_partial(p2.export_partial(p2.regions().require("P2"), 2021));
  top.rollup();
  CHECK(text(at(top, "N", "2021-02", "hires")) == "22");  // 20 + 2, not 999 + 2
  CHECK(text(at(top, "P1", "2021-02", "hires")) == "20");
  top.set_value(top.regions().require("P1"), period::parse("2021-02"), top.indicators().require("hires"), decimal::parse("5"));
  CHECK(text(at(top, "N", "2021-02", "hires")) == "22");
  CHECK_THROWS_AS(at(top, "N", "2021Q1", "hires"), error);
  CHECK_THROWS_AS(top.set_regions(hierarchy::parse("code,name,level,parent\nN,全国,nation,\n", "<r>")), error);
}
