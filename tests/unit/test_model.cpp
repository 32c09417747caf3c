// Unit tests for the model (include/zhibiao/model.hpp, src/model.cpp): the indicator catalogue
// (indicators.csv), the administrative hierarchy (regions.csv, versioned by month), reporting scopes
// (scopes.csv), and roll-ups through hierarchies of varying depth (东莞-style cities, 海丰县（不含深汕）,
// towns that move between counties).
#include <zhibiao/model.hpp>
#include <zhibiao/error.hpp>
#include <zhibiao/model.hpp>

#include <doctest/doctest.h>

#include "support.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using zhibiao::catalogue;
using zhibiao::errc;
using zhibiao::hierarchy;
using zhibiao::indicator_id;
using zhibiao::indicator_kind;
using zhibiao::level;
using zhibiao::load_error;
using zhibiao_test::load_failure;
using zhibiao::npos;
using zhibiao::period;
using zhibiao::region_id;

const std::string cat_header = "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\n";

catalogue parse_cat(const std::string& rows) { return catalogue::parse(cat_header + rows, "ind.csv"); }

const std::string reg_header = "code,name,level,parent\n";

hierarchy parse_reg(const std::string& rows) { return hierarchy::parse(reg_header + rows, "reg.csv"); }

// Month serial (period::serial) of a month.
int ms(int y, int m) { return period::month(y, m).serial(); }

// Codes of regions, for readable comparisons.
std::vector<std::string> codes(const hierarchy& h, const std::vector<region_id>& ids) {
  std::vector<std::string> out;
  for (region_id r : ids) out.push_back(h[r].code);
  return out;
}

// The parent code of `code` at month serial `s` ("" for a root).
std::string parent_of(const hierarchy& h, const std::string& code, int s) {
  region_id p = h.at(s).parent[static_cast<std::size_t>(h.require(code))];
  return p == npos ? std::string() : h[p].code;
}

const std::string indicators_csv = cat_header +
                                   "new_jobs,城镇新增就业,人,flow,0,,,,\n"
                                   "insured,参保人数,人,stock,0,,,,\n"
                                   "unemployed,期末城镇登记失业人数,人,stock,0,,,,\n"
                                   "employed,期末城镇从业人员数,人,stock,0,,,,\n"
                                   "rate,城镇登记失业率,%,ratio,2,unemployed,unemployed+employed,,\n";

// A value as text ("—" when missing) with its coverage, e.g. "53 (3/3)".
std::string shown(const zhibiao::aggregate& a) {
  return (a.value ? a.value->to_string() : std::string("—")) + " (" + std::to_string(a.reporting) + "/" +
         std::to_string(a.expected) + ")";
}

std::string val(const zhibiao::model& m, const std::string& region, const std::string& p, const std::string& ind) {
  return shown(m.value(m.regions().require(region), period::parse(p), m.indicators().require(ind)));
}

// The value alone, for cumulative queries where coverage is not the point.
std::string num(const zhibiao::model& m, const std::string& region, const std::string& p, const std::string& ind) {
  auto a = m.value(m.regions().require(region), period::parse(p), m.indicators().require(ind));
  return a.value ? a.value->to_string() : std::string("—");
}

std::string scope_val(const zhibiao::model& m, std::size_t s, const std::string& p, const std::string& ind) {
  return shown(m.scope_value(s, period::parse(p), m.indicators().require(ind)));
}

const std::string data_dir = std::string(ZHIBIAO_TEST_DATA) + "/model/";

}  // namespace

// ---------------------------------------------------------------------------------------------
// indicators.csv

TEST_CASE("model: catalogue resolves forward references, a+b denominators and default factors") {
  catalogue c = parse_cat(
      "rate,城镇登记失业率,%,ratio,2,unemployed,unemployed + employed,,\n"
      "permille,千分比,‰,ratio,1,unemployed,employed,,\n"
      "times,倍数,倍,ratio,2,employed,unemployed,,\n"
      "custom,自定因子,%,ratio,2,unemployed,employed,10,\n"
      "unemployed,期末城镇登记失业人数,人,stock,0,,,,\n"
      "employed,期末城镇从业人员数,人,stock,0,,,,\n"
      "new_jobs,城镇新增就业,人,flow,0,,,,\n"
      "wage,最低工资标准,元/月,parameter,0,,,,\n");
  REQUIRE(c.size() == 8);
  const indicator_id rate = c.find("rate"), un = c.find("unemployed"), em = c.find("employed");
  REQUIRE(rate == 0);
  REQUIRE(un == 4);
  REQUIRE(em == 5);
  CHECK(c[rate].kind == indicator_kind::ratio);
  CHECK(c[rate].numerator == std::vector<indicator_id>{un});
  CHECK(c[rate].denominator == std::vector<indicator_id>{un, em});
  CHECK(c[rate].factor == 100);
  CHECK(c[rate].decimals == 2);
  CHECK(c[rate].line == 2);
  CHECK(c[rate].name == "城镇登记失业率");
  CHECK(c[c.find("permille")].factor == 1000);
  CHECK(c[c.find("times")].factor == 1);
  CHECK(c[c.find("custom")].factor == 10);
  CHECK(c[c.find("new_jobs")].factor == 1);
  CHECK(c[c.find("new_jobs")].line == 8);
  CHECK(c[c.find("wage")].kind == indicator_kind::parameter);
  CHECK(c.find("nope") == npos);
  CHECK(c.require("employed") == em);
  try {
    c.require("nope");
    FAIL("require of an unknown code must throw");
  } catch (const zhibiao::error& e) {
    CHECK(e.code() == errc::not_found);
    CHECK(std::string(e.what()).find("nope") != std::string::npos);
  }
  // Copies rebuild their index.
  catalogue copy = c;
  CHECK(copy.find("employed") == em);
  catalogue assigned;
  assigned = copy;
  CHECK(assigned.find("wage") == c.find("wage"));
}

TEST_CASE("model: catalogue parts_of lists the parts of a whole and is_share tells shares") {
  catalogue c = catalogue::parse(
      "code,name,unit,kind,decimals,numerator,denominator,factor,part_of,parts,signed\n"
      "part_a,其中：管理岗位,人,stock,0,,,,posts,,\n"
      "posts,岗位聘用人数,人,stock,0,,,,,eq,\n"
      "rate,城镇登记失业率,%,ratio,2,unemployed,unemployed+employed,,,,\n"
      "times,倍数,倍,ratio,2,employed,unemployed,,,,\n"
      "unemployed,期末城镇登记失业人数,人,stock,0,,,,,le,\n"
      "part_b,其中：专业技术岗位,人,stock,0,,,,posts,,\n"
      "hard,其中：就业困难人员,万人,stock,2,,,,unemployed,,\n"
      "employed,期末城镇从业人员数,人,stock,0,,,,,,\n"
      "net,基金当期结余,万元,flow,2,,,,,,yes\n",
      "ind.csv");
  const indicator_id posts = c.find("posts");
  CHECK(c.parts_of(posts) == std::vector<indicator_id>{c.find("part_a"), c.find("part_b")});
  CHECK(c.parts_of(c.find("unemployed")) == std::vector<indicator_id>{c.find("hard")});
  CHECK(c.parts_of(c.find("employed")).empty());
  CHECK(c[c.find("part_a")].part_of == posts);
  CHECK(c[posts].part_of == npos);
  CHECK(c[posts].parts == zhibiao::parts_rule::eq);
  CHECK(c[c.find("unemployed")].parts == zhibiao::parts_rule::le);
  CHECK(c[c.find("employed")].parts == zhibiao::parts_rule::none);
  CHECK(c[c.find("rate")].is_share());
  CHECK_FALSE(c[c.find("times")].is_share());
  CHECK_FALSE(c[c.find("employed")].is_share());
  CHECK(c[c.find("net")].allow_negative);
  CHECK_FALSE(c[c.find("employed")].allow_negative);
}

TEST_CASE("model: catalogue rejects an unknown kind") {
  auto e = load_failure([] { parse_cat("new_jobs,城镇新增就业,人,flux,0,,,,\n"); });
  CHECK_LOAD_AT(e, 2, 4, "unknown kind 'flux'");
  CHECK(e.where().file == "ind.csv");
  CHECK(e.where().field == "kind");
}

TEST_CASE("model: catalogue rejects an unknown unit") {
  auto e = load_failure([] { parse_cat("new_jobs,城镇新增就业,人,flow,0,,,,\nloan,贷款,万美元,flow,2,,,,\n"); });
  CHECK_LOAD_AT(e, 3, 3, "unknown unit '万美元'");
  CHECK(e.where().field == "unit");
}

TEST_CASE("model: catalogue rejects a duplicate code and names the first line") {
  auto e = load_failure([] {
    parse_cat(
        "new_jobs,城镇新增就业,人,flow,0,,,,\n"
        "insured,参保人数,人,stock,0,,,,\n"
        "new_jobs,城镇新增就业（重复）,人,flow,0,,,,\n");
  });
  CHECK_LOAD_AT(e, 4, 1, "duplicate indicator code 'new_jobs' (first defined at line 2)");
}

TEST_CASE("model: catalogue rejects a ratio without a numerator") {
  auto e = load_failure([] { parse_cat("employed,从业,人,stock,0,,,,\nrate,失业率,%,ratio,2,,employed,,\n"); });
  CHECK_LOAD_AT(e, 3, 6, "ratio 'rate' needs a numerator");
}

TEST_CASE("model: catalogue rejects a ratio without a denominator") {
  auto e = load_failure([] { parse_cat("employed,从业,人,stock,0,,,,\nrate,失业率,%,ratio,2,employed,,,\n"); });
  CHECK_LOAD_AT(e, 3, 7, "ratio 'rate' needs a denominator");
}

TEST_CASE("model: catalogue rejects a numerator that is unknown") {
  auto e = load_failure([] {
    parse_cat(
        "rate,失业率,%,ratio,2,unemployd,unemployed+employed,,\n"
        "unemployed,失业,人,stock,0,,,,\n"
        "employed,从业,人,stock,0,,,,\n");
  });
  CHECK_LOAD_AT(e, 2, 6, "unknown indicator 'unemployd' in ratio 'rate'");
  CHECK(e.where().field == "numerator");
}

TEST_CASE("model: catalogue rejects an unknown term in a sum denominator") {
  auto e = load_failure([] {
    parse_cat(
        "unemployed,失业,人,stock,0,,,,\n"
        "rate,失业率,%,ratio,2,unemployed,unemployed+employd,,\n");
  });
  CHECK_LOAD_AT(e, 3, 7, "unknown indicator 'employd' in ratio 'rate'");
  CHECK(e.where().field == "denominator");
}

TEST_CASE("model: catalogue rejects a numerator that is a ratio") {
  auto e = load_failure([] {
    parse_cat(
        "unemployed,失业,人,stock,0,,,,\n"
        "employed,从业,人,stock,0,,,,\n"
        "rate,失业率,%,ratio,2,unemployed,unemployed+employed,,\n"
        "rate2,失业率之比,倍,ratio,2,rate,employed,,\n");
  });
  CHECK_LOAD_AT(e, 5, 6, "'rate' is a ratio");
}

TEST_CASE("model: catalogue rejects a numerator that is a parameter") {
  auto e = load_failure([] {
    parse_cat(
        "wage,最低工资标准,元/月,parameter,0,,,,\n"
        "avg,人均工资,元,flow,0,,,,\n"
        "ratio_w,工资比,倍,ratio,2,wage,avg,,\n");
  });
  CHECK_LOAD_AT(e, 4, 6, "'wage' is a parameter");
}

TEST_CASE("model: catalogue rejects circular part_of") {
  auto e = load_failure([] {
    parse_cat(
        "a,甲,人,stock,0,,,,b\n"
        "b,乙,人,stock,0,,,,a\n");
  });
  CHECK_LOAD_AT(e, 2, 9, "circular part_of involving 'a'");
  CHECK(e.where().field == "part_of");
}

TEST_CASE("model: catalogue rejects a longer part_of cycle and a self part_of") {
  auto e = load_failure([] {
    parse_cat(
        "a,甲,人,stock,0,,,,b\n"
        "b,乙,人,stock,0,,,,c\n"
        "c,丙,人,stock,0,,,,a\n");
  });
  CHECK_LOAD_AT(e, 2, 9, "circular part_of");
  auto self = load_failure([] { parse_cat("a,甲,人,stock,0,,,,\nb,乙,人,stock,0,,,,b\n"); });
  CHECK_LOAD_AT(self, 3, 9, "cannot be part of itself");
}

TEST_CASE("model: catalogue rejects part_of across dimensions") {
  auto e = load_failure([] {
    parse_cat(
        "loan,发放创业担保贷款,万元,flow,2,,,,\n"
        "loan_people,其中：扶持人数,人,flow,0,,,,loan\n");
  });
  CHECK_LOAD_AT(e, 3, 9, "different dimensions");
  CHECK(e.reason().find("'loan_people' (人, people) cannot be part of 'loan' (万元, money)") != std::string::npos);
}

TEST_CASE("model: catalogue accepts part_of within a dimension across multipliers") {
  catalogue c = parse_cat(
      "insured,参保人数,万人,stock,2,,,,\n"
      "insured_rural,其中：城乡居民,人,stock,0,,,,insured\n");
  CHECK(c[c.find("insured_rural")].part_of == c.find("insured"));
}

TEST_CASE("model: catalogue rejects part_of naming an unknown indicator") {
  auto e = load_failure([] { parse_cat("a,甲,人,stock,0,,,,whole\n"); });
  CHECK_LOAD_AT(e, 2, 9, "unknown indicator 'whole' in part_of");
}

TEST_CASE("model: catalogue rejects a numerator, denominator or factor on a non-ratio") {
  auto num = load_failure([] { parse_cat("a,甲,人,stock,0,,,,\nb,乙,人,flow,0,a,,,\n"); });
  CHECK_LOAD_AT(num, 3, 6, "only ratio indicators have a numerator");
  auto den = load_failure([] { parse_cat("a,甲,人,stock,0,,,,\nb,乙,人,stock,0,,a,,\n"); });
  CHECK_LOAD_AT(den, 3, 7, "only ratio indicators have a denominator");
  auto fac = load_failure([] { parse_cat("a,甲,人,stock,0,,,100,\n"); });
  CHECK_LOAD_AT(fac, 2, 8, "only ratio indicators have a factor");
}

TEST_CASE("model: catalogue rejects bad decimals") {
  for (const char* bad : {"x", "-1", "10", "1.5", "", "+2"}) {
    CAPTURE(bad);
    auto e = load_failure([&] { parse_cat("a,甲,人,stock,0,,,,\nb,乙,人,flow," + std::string(bad) + ",,,,\n"); });
    CHECK_LOAD_AT(e, 3, 5, "decimals must be a whole number 0..9, not '" + std::string(bad) + "'");
  }
  CHECK(parse_cat("b,乙,万元,flow,9,,,,\n")[0].decimals == 9);
}

TEST_CASE("model: catalogue rejects a bad factor") {
  auto e = load_failure([] { parse_cat("a,甲,人,stock,0,,,,\nr,率,%,ratio,2,a,a,-100,\n"); });
  CHECK_LOAD_AT(e, 3, 8, "factor must be a positive whole number, not '-100'");
}

TEST_CASE("model: catalogue rejects an unknown column in the header") {
  auto e = load_failure([] {
    catalogue::parse(
        "code,name,unit,kind,decimals,numerator,denominator,factor,part_of,colour\n"
        "a,甲,人,stock,0,,,,,red\n",
        "ind.csv");
  });
  CHECK_LOAD_AT(e, 1, 10, "unknown column 'colour'");
  CHECK(e.where().field == "colour");
}

TEST_CASE("model: catalogue rejects a missing required column") {
  auto e = load_failure([] {
    catalogue::parse(
        "code,name,unit,kind,decimals,numerator,denominator,part_of\n"
        "a,甲,人,stock,0,,,\n",
        "ind.csv");
  });
  // A missing column has no position: column 0 (the whole line), the field names the column.
  CHECK_LOAD_AT(e, 1, 0, "missing required column 'factor'");
  CHECK(e.where().field == "factor");
}

TEST_CASE("model: catalogue error columns follow the file's own header order") {
  const std::string header = "name,part_of,code,unit,kind,decimals,denominator,numerator,factor\n";
  auto kind = load_failure([&] { catalogue::parse(header + "甲,,a,人,flux,0,,,\n", "ind.csv"); });
  CHECK_LOAD_AT(kind, 2, 5, "unknown kind");
  // Second-pass (reference) errors, too.
  auto numr = load_failure([&] { catalogue::parse(header + "率,,r,%,ratio,2,a,zz,\n甲,,a,人,stock,0,,,\n", "ind.csv"); });
  CHECK_LOAD_AT(numr, 2, 8, "unknown indicator 'zz'");
  CHECK(numr.where().field == "numerator");
  auto part = load_failure([&] { catalogue::parse(header + "甲,b,a,人,stock,0,,,\n乙,a,b,人,stock,0,,,\n", "ind.csv"); });
  CHECK_LOAD_AT(part, 2, 2, "circular part_of");
  catalogue ok = catalogue::parse(header + "率,,r,%,ratio,2,a,a,\n甲,,a,人,stock,0,,,\n", "ind.csv");
  CHECK(ok[ok.find("r")].factor == 100);
}

TEST_CASE("model: a failed indicators load leaves the model's catalogue unchanged") {
  zhibiao::model m;
  m.load_indicators_text(indicators_csv);
  REQUIRE(m.indicators().size() == 5);
  auto e = load_failure([&] { m.load_indicators_text(cat_header + "a,甲,人,stock,0,,,,\na,甲,人,stock,0,,,,\n", "bad.csv"); });
  CHECK_LOAD_AT(e, 3, 1, "duplicate indicator code 'a'");
  CHECK(e.where().file == "bad.csv");
  CHECK(m.indicators().size() == 5);
  CHECK(m.indicators().find("rate") == 4);
}

// ---------------------------------------------------------------------------------------------
// regions.csv

TEST_CASE("model: regions with 6-digit GB/T 2260 codes infer their parents") {
  hierarchy h = parse_reg(
      "440000,广东省,province,\n"
      "441500,汕尾市,city,\n"
      "441521,海丰县,county,\n"
      "441581,陆丰市,county,\n"
      "440700,江门市,city,\n"
      "440781,台山市,county,\n");
  REQUIRE(h.size() == 6);
  const int s = ms(2023, 1);
  CHECK(parent_of(h, "441521", s) == "441500");
  CHECK(parent_of(h, "441581", s) == "441500");
  CHECK(parent_of(h, "440781", s) == "440700");
  CHECK(parent_of(h, "441500", s) == "440000");
  CHECK(parent_of(h, "440000", s) == "");
  CHECK(h.trees().size() == 1);
  CHECK(codes(h, h.leaves_under(h.require("440000"), s)) == std::vector<std::string>{"441521", "441581", "440781"});
  CHECK(codes(h, h.leaves_under(h.require("441581"), s)) == std::vector<std::string>{"441581"});
  const auto counts = h.level_counts();
  CHECK(counts == std::vector<std::pair<level, std::size_t>>{{level::province, 1}, {level::city, 2}, {level::county, 3}});
}

TEST_CASE("model: a 东莞-style city holds its towns directly (12-digit codes, inferred parents)") {
  hierarchy h = parse_reg(
      "440000000000,广东省,province,\n"
      "441900000000,东莞市,city,\n"
      "441900003000,东城街道,town,\n"
      "441900004000,南城街道,town,\n"
      "441900101000,石碣镇,town,\n"
      "441500000000,汕尾市,city,\n"
      "441521000000,海丰县,county,\n"
      "441521100000,海城镇,town,\n");
  const int s = ms(2023, 6);
  CHECK(parent_of(h, "441900003000", s) == "441900000000");
  CHECK(parent_of(h, "441900101000", s) == "441900000000");
  CHECK(parent_of(h, "441900000000", s) == "440000000000");
  CHECK(parent_of(h, "441521100000", s) == "441521000000");
  CHECK(parent_of(h, "441521000000", s) == "441500000000");
  CHECK(h[h.require("441900004000")].latest().level == level::town);
  CHECK(h.name(h.require("441900101000")) == "石碣镇");
  // Variable depth: 东莞's towns are leaves two levels below the province, 海城镇 three.
  CHECK(codes(h, h.leaves_under(h.require("441900000000"), s)) ==
        std::vector<std::string>{"441900003000", "441900004000", "441900101000"});
  CHECK(codes(h, h.leaves_under(h.require("440000000000"), s)) ==
        std::vector<std::string>{"441900003000", "441900004000", "441900101000", "441521100000"});
  const zhibiao::tree& t = h.at(s);
  CHECK(t.leaves[static_cast<std::size_t>(h.require("440000000000"))] == 4);
  CHECK(t.leaves[static_cast<std::size_t>(h.require("441900000000"))] == 3);
  CHECK(t.leaf[static_cast<std::size_t>(h.require("441900003000"))] == 1);
  CHECK(t.leaf[static_cast<std::size_t>(h.require("441900000000"))] == 0);
  CHECK(h.trees().size() == 1);
  CHECK(h.level_counts() == std::vector<std::pair<level, std::size_t>>{
                                {level::province, 1}, {level::city, 2}, {level::county, 1}, {level::town, 4}});

  // A roll-up over that hierarchy: the city total is the sum of its towns, with no county layer.
  zhibiao::model m;
  m.load_indicators_text(indicators_csv);
  m.set_regions(h);
  m.load_observations_text(
      "region,period,indicator,value\n"
      "441900003000,2023-06,new_jobs,120\n"
      "441900004000,2023-06,new_jobs,80\n"
      "441900101000,2023-06,new_jobs,45\n"
      "441521100000,2023-06,new_jobs,9\n");
  m.rollup();
  CHECK(val(m, "441900000000", "2023-06", "new_jobs") == "245 (3/3)");
  CHECK(val(m, "440000000000", "2023-06", "new_jobs") == "254 (4/4)");
  CHECK(val(m, "441500000000", "2023-06", "new_jobs") == "9 (1/1)");
}

TEST_CASE("model: a 省直辖 county-level city without a placeholder row hangs under the province") {
  // 湖北 4290 仙桃/潜江/天门 report straight to the province (domain notes §3.4).
  hierarchy h = parse_reg(
      "420000,湖北省,province,\n"
      "429004,仙桃市,county,\n"
      "429005,潜江市,county,\n");
  CHECK(parent_of(h, "429004", ms(2023, 1)) == "420000");
  CHECK(parent_of(h, "429005", ms(2023, 1)) == "420000");
}

TEST_CASE("model: regions with user codes and explicit parents build one tree") {
  hierarchy h = parse_reg(
      "C1,示例市,city,\n"
      "A,甲县,county,C1\n"
      "B,乙县,county,C1\n"
      "a1,甲一镇,town,A\n"
      "a2,甲二镇,town,A\n"
      "b1,乙一镇,town,B\n");
  CHECK(h.size() == 6);
  CHECK(h.trees().size() == 1);
  const int s = ms(2021, 3);
  CHECK(codes(h, h.leaves_under(h.require("C1"), s)) == std::vector<std::string>{"a1", "a2", "b1"});
  CHECK(codes(h, h.leaves_under(h.require("B"), s)) == std::vector<std::string>{"b1"});
  CHECK(codes(h, h.leaves_under(h.require("a2"), s)) == std::vector<std::string>{"a2"});
  const zhibiao::tree& t = h.at(s);
  // Children before parents.
  auto pos = [&](const char* code) {
    return std::find(t.order.begin(), t.order.end(), h.require(code)) - t.order.begin();
  };
  CHECK(pos("a1") < pos("A"));
  CHECK(pos("b1") < pos("B"));
  CHECK(pos("A") < pos("C1"));
  CHECK(t.order.size() == 6);
  try {
    h.require("zz");
    FAIL("require of an unknown region must throw");
  } catch (const zhibiao::error& e) {
    CHECK(e.code() == errc::not_found);
  }
  hierarchy copy = h;
  CHECK(copy.find("b1") == h.find("b1"));
}

TEST_CASE("model: regions reject a duplicate code") {
  auto e = load_failure([] {
    parse_reg(
        "C1,示例市,city,\n"
        "A,甲县,county,C1\n"
        "A,甲县（重复）,county,C1\n");
  });
  CHECK_LOAD_AT(e, 4, 1, "duplicate region code 'A' (already at line 3)");
  // With validity columns, only overlapping validity is a duplicate.
  auto v = load_failure([] {
    hierarchy::parse(
        "code,name,level,parent,valid_from,valid_to\n"
        "C1,示例市,city,,,\n"
        "A,甲县,county,C1,,2021-06\n"
        "A,甲县,county,C1,2021-06,\n",
        "reg.csv");
  });
  CHECK_LOAD_AT(v, 4, 1, "duplicate region code 'A' (already at line 3 with an overlapping validity)");
}

TEST_CASE("model: regions reject an unknown parent") {
  auto e = load_failure([] {
    parse_reg(
        "C1,示例市,city,\n"
        "A,甲县,county,C2\n");
  });
  CHECK_LOAD_AT(e, 3, 4, "unknown parent 'C2'");
  CHECK(e.where().field == "parent");
}

TEST_CASE("model: regions reject a two-region cycle (before any level check)") {
  // A county under a city and the city under the county: the levels alone would pass for A → B,
  // but the cycle is reported first.
  auto e = load_failure([] {
    parse_reg(
        "A,甲县,county,B\n"
        "B,乙市,city,A\n");
  });
  CHECK_LOAD_AT(e, 2, 4, "cycle: region 'A' is its own ancestor");
  auto self = load_failure([] { parse_reg("C1,示例市,city,\nA,甲县,county,A\n"); });
  CHECK_LOAD_AT(self, 3, 4, "cannot be its own parent");
}

TEST_CASE("model: regions reject a child whose level is not below its parent's") {
  auto same = load_failure([] {
    parse_reg(
        "C1,示例市,city,\n"
        "A,甲县,county,C1\n"
        "a1,甲一镇,county,A\n");
  });
  CHECK_LOAD_AT(same, 4, 4, "'a1' is a county but its parent 'A' is a county");
  auto above = load_failure([] {
    parse_reg(
        "A,甲县,county,\n"
        "C1,示例市,city,A\n");
  });
  CHECK_LOAD_AT(above, 3, 4, "a child's level must be below its parent's");
}

TEST_CASE("model: regions reject a parent that does not exist for the child's whole validity") {
  auto e = load_failure([] {
    hierarchy::parse(
        "code,name,level,parent,valid_from,valid_to\n"
        "C1,示例市,city,,,\n"
        "A,甲县,county,C1,,2020-12\n"
        "a1,甲一镇,town,A,2020-01,2021-06\n",
        "reg.csv");
  });
  CHECK_LOAD_AT(e, 4, 4, "parent 'A' does not exist for the whole validity of 'a1'");
}

TEST_CASE("model: regions reject malformed codes") {
  auto four = load_failure([] { parse_reg("440000,广东省,province,\n4415,汕尾市,city,\n"); });
  CHECK_LOAD_AT(four, 3, 1, "malformed region code '4415': a division code has 12 digits");
  auto space = load_failure([] { parse_reg("44-15 x,汕尾市,city,\n"); });
  CHECK_LOAD_AT(space, 2, 1, "malformed region code '44-15 x'");
  auto seven = load_failure([] { parse_reg("440000,广东省,province,\n441500,汕尾市,city,\n4415210,海丰县,county,\n"); });
  CHECK_LOAD_AT(seven, 4, 1, "malformed region code '4415210'");
  CHECK(seven.reason().find("12 digits") != std::string::npos);
  auto empty = load_failure([] { parse_reg("C1,示例市,city,\n,甲县,county,C1\n"); });
  CHECK_LOAD_AT(empty, 3, 1, "empty region code");
}

TEST_CASE("model: regions reject an empty name and an unknown level") {
  auto name = load_failure([] { parse_reg("C1,示例市,city,\nA,,county,C1\n"); });
  CHECK_LOAD_AT(name, 3, 2, "empty region name");
  auto lvl = load_failure([] { parse_reg("C1,示例市,city,\nA,甲县,district,C1\n"); });
  CHECK_LOAD_AT(lvl, 3, 3, "unknown level 'district'");
}

TEST_CASE("model: a region whose inferred parent is absent becomes a root with a note saying so") {
  // No county, city or province row for the town: every candidate is missing. The loader keeps the
  // town as a root (the top of a partial file) and says so in notes(); an explicit parent that is
  // missing stays an error ("model: regions reject an unknown parent").
  hierarchy h = parse_reg(
      "450000000000,广西壮族自治区,province,\n"
      "441521102000,小漠镇,town,\n");
  CHECK(parent_of(h, "441521102000", ms(2023, 1)) == "");
  REQUIRE(h.notes().size() == 1);
  const std::string& note = h.notes()[0];
  CHECK(note.find("reg.csv:3:") == 0);
  CHECK(note.find("inferred from its code as '441521000000'") != std::string::npos);
  CHECK(note.find("'441521102000' is a root") != std::string::npos);
  // A city bureau's own file: the city is the root, its counties and towns hang below it.
  hierarchy city = parse_reg(
      "441500000000,汕尾市,city,\n"
      "441521000000,海丰县,county,\n"
      "441521102000,小漠镇,town,\n");
  REQUIRE(city.notes().size() == 1);
  CHECK(city.notes()[0].find("'441500000000' is a root") != std::string::npos);
  CHECK(parent_of(city, "441521102000", ms(2023, 1)) == "441521000000");
  CHECK(codes(city, city.leaves_under(city.require("441500000000"), ms(2023, 1))) == std::vector<std::string>{"441521102000"});
  // A complete file has no notes.
  CHECK(parse_reg("440000000000,广东省,province,\n441500000000,汕尾市,city,\n").notes().empty());
}

TEST_CASE("model: regions load with a BOM, CRLF line ends and quoted fields") {
  hierarchy h = hierarchy::parse(
      "\xEF\xBB\xBF"
      "code,name,level,parent\r\n"
      "\"C1\",\"示例市\",city,\r\n"
      "\"A\",\"甲县, 东片\",\"county\",\"C1\"\r\n"
      "a1,\"甲一\"\"新\"\"镇\",town,A\r\n"
      "\r\n"
      "a2,甲二镇,town,\"A\"\r\n",
      "bom.csv");
  REQUIRE(h.size() == 4);
  CHECK(h.find("C1") == 0);
  CHECK(h.name(h.require("A")) == "甲县, 东片");
  CHECK(h.name(h.require("a1")) == "甲一\"新\"镇");
  CHECK(parent_of(h, "a2", ms(2021, 1)) == "A");
  CHECK(h[h.require("a2")].latest().line == 6);
  CHECK(codes(h, h.leaves_under(h.require("C1"), ms(2021, 1))) == std::vector<std::string>{"a1", "a2"});
  // Errors in such a file still name the right line.
  auto e = load_failure([] {
    hierarchy::parse("\xEF\xBB\xBF" "code,name,level,parent\r\n\"C1\",\"示例市\",city,\r\n\"A\",\"甲县\",county,\"C9\"\r\n", "bom.csv");
  });
  CHECK_LOAD_AT(e, 3, 4, "unknown parent 'C9'");
}

TEST_CASE("model: regions and indicators with lone CR line ends load intact") {
  // Old Mac-style line ends: every record must still be found by its code (the code index must
  // not point into moved storage).
  std::string regions = "code,name,level,parent\rC1,示例市,city,\r";
  std::string cat = "code,name,unit,kind,decimals,numerator,denominator,factor,part_of\r";
  for (int k = 0; k < 100; ++k) {
    regions += "t" + std::to_string(k) + ",镇" + std::to_string(k) + ",town,C1\r";
    cat += "i" + std::to_string(k) + ",指标" + std::to_string(k) + ",人,flow,0,,,,\r";
  }
  hierarchy h = hierarchy::parse(regions, "cr.csv");
  REQUIRE(h.size() == 101);
  int missing = 0;
  for (int k = 0; k < 100; ++k) missing += h.find("t" + std::to_string(k)) != k + 1;
  CHECK(missing == 0);
  CHECK(h.at(0).leaves[0] == 100);
  catalogue c = catalogue::parse(cat, "cr.csv");
  REQUIRE(c.size() == 100);
  missing = 0;
  for (int k = 0; k < 100; ++k) missing += c.find("i" + std::to_string(k)) != k;
  CHECK(missing == 0);
  // A duplicate late in such a file is still caught.
  auto e = load_failure([&] { hierarchy::parse(regions + "t3,重复,town,C1\r", "cr.csv"); });
  CHECK_LOAD_AT(e, 103, 1, "duplicate region code 't3' (already at line 6)");
}

TEST_CASE("model: a GBK-encoded regions file is rejected naming GB18030") {
  // 海丰县 and 广东省 in GBK (the whole file, as Excel writes it).
  auto e = load_failure([] {
    parse_reg(
        "441521000000,\xBA\xA3\xB7\xE1\xCF\xD8,county,\n"
        "440000000000,\xB9\xE3\xB6\xAB\xCA\xA1,province,\n");
  });
  CHECK_LOAD_AT(e, 2, 2, "GB18030");
  CHECK(e.reason().find("not valid UTF-8 (byte 0xBA)") != std::string::npos);

  zhibiao::model m;
  auto f = load_failure([&] { m.load_regions(data_dir + "regions_gbk.csv"); });
  CHECK_LOAD_AT(f, 2, 2, "GB18030");
  CHECK(f.where().file == data_dir + "regions_gbk.csv");
  CHECK(m.regions().size() == 0);
}

TEST_CASE("model: a failed regions load leaves the model's hierarchy unchanged") {
  zhibiao::model m;
  m.load_regions_text(reg_header + "C1,示例市,city,\nA,甲县,county,C1\n");
  auto e = load_failure([&] { m.load_regions_text(reg_header + "C1,示例市,city,\nA,甲县,county,C2\n"); });
  CHECK_LOAD_AT(e, 3, 4, "unknown parent");
  CHECK(m.regions().size() == 2);
  CHECK(m.regions().find("A") == 1);
}

// ---------------------------------------------------------------------------------------------
// scopes and roll-ups through versioned hierarchies

TEST_CASE("model: 海丰县（不含深汕） as a scope excludes the four 深汕 towns") {
  zhibiao::model m;
  m.load_indicators(data_dir + "indicators.csv");
  m.load_regions(data_dir + "haifeng_regions.csv");
  m.load_scopes(data_dir + "haifeng_scopes.csv");
  m.load_observations(data_dir + "haifeng_observations.csv");
  m.rollup();
  const hierarchy& h = m.regions();
  REQUIRE(m.scopes().size() == 1);
  const zhibiao::scope& sc = m.scopes()[0];
  CHECK(sc.code == "haifeng_excl_shenshan");
  CHECK(sc.name == "海丰县（不含深汕）");
  CHECK(codes(h, sc.include) == std::vector<std::string>{"441521000000"});
  CHECK(codes(h, sc.exclude) ==
        std::vector<std::string>{"441521102000", "441521103000", "441521104000", "441521105000"});
  CHECK(codes(h, sc.leaves(h, ms(2023, 3))) == std::vector<std::string>{"441521100000", "441521108000"});
  CHECK(codes(h, h.leaves_under(h.require("441521000000"), ms(2023, 3))).size() == 6);

  // Flow, one month: 海城 120 + 梅陇 35 = 155; the county has all six towns: 155 + 4 + 9 + 6 + 2 = 176.
  CHECK(scope_val(m, 0, "2023-03", "new_jobs") == "155 (2/2)");
  CHECK(val(m, "441521000000", "2023-03", "new_jobs") == "176 (6/6)");
  CHECK(val(m, "441500000000", "2023-03", "new_jobs") == "226 (7/7)");
  // Year to date and quarter: January adds 100 + 30 (scope) and 1 + 2 + 3 + 4 more (county).
  CHECK(scope_val(m, 0, "2023-01..2023-03", "new_jobs") == "285 (2/2)");
  CHECK(scope_val(m, 0, "2023Q1", "new_jobs") == "285 (2/2)");
  CHECK(val(m, "441521000000", "2023-01..2023-03", "new_jobs") == "316 (6/6)");
  CHECK(val(m, "441521000000", "2023Q1", "new_jobs") == "316 (6/6)");
  CHECK(scope_val(m, 0, "2023-02", "new_jobs") == "— (0/2)");
  // Stock at the end of March: each leaf's latest value (梅陇 only reported January).
  CHECK(scope_val(m, 0, "2023-03-31", "insured") == "7100 (1/2)");
  CHECK(val(m, "441521000000", "2023-03-31", "insured") == "8900 (5/6)");
  CHECK(val(m, "441521000000", "2023-03", "insured") == "6900 (5/6)");
  // Ratio from the aggregated parts: 70 / (70 + 6930) = 1.00 %; the county adds 4 × (10 / 100):
  // 110 / 7400 × 100 = 1.4864… → 1.49.
  CHECK(scope_val(m, 0, "2023-03", "rate") == "1.00 (2/2)");
  CHECK(val(m, "441521000000", "2023-03", "rate") == "1.49 (6/6)");
}

TEST_CASE("model: scopes reject unknown regions, region codes and an empty include") {
  zhibiao::model m;
  m.load_regions(data_dir + "haifeng_regions.csv");
  const std::string header = "code,name,include,exclude\n";
  auto unknown = load_failure([&] { m.load_scopes_text(header + "hf,海丰县（不含深汕）,441521000000,441521102000;441521199000\n"); });
  CHECK_LOAD_AT(unknown, 2, 4, "unknown region '441521199000'");
  auto clash = load_failure([&] { m.load_scopes_text(header + "441521000000,海丰县,441521000000,\n"); });
  CHECK_LOAD_AT(clash, 2, 1, "is already a region code");
  auto empty = load_failure([&] { m.load_scopes_text(header + "hf,海丰县,,441521102000\n"); });
  CHECK_LOAD_AT(empty, 2, 3, "must include at least one region");
  auto dup = load_failure([&] { m.load_scopes_text(header + "hf,海丰县,441521000000,\nhf,海丰县,441521000000,\n"); });
  CHECK_LOAD_AT(dup, 3, 1, "duplicate scope code 'hf'");
  CHECK(m.scopes().empty());
  // Space-separated codes are accepted as well.
  m.load_scopes_text(header + "hf,海丰县（不含深汕）,441521000000,441521102000 441521103000; 441521104000\n");
  REQUIRE(m.scopes().size() == 1);
  CHECK(m.scopes()[0].exclude.size() == 3);
}

namespace {

const std::string moving_regions =
    "code,name,level,parent,valid_from,valid_to\n"
    "C,示例市,city,,,\n"
    "X,甲县,county,C,,\n"
    "Y,乙县,county,C,,\n"
    "x1,甲一镇,town,X,,\n"
    "y1,乙一镇,town,Y,,\n"
    "t,迁移镇,town,X,,2020-12\n"
    "t,迁移镇,town,Y,2021-01,\n"
    "old,旧镇,town,X,,2020-12\n"
    "new,新镇,town,Y,2021-01,\n";

}  // namespace

TEST_CASE("model: a town that moves county between years counts in its county of each year") {
  zhibiao::model m;
  m.load_indicators_text(indicators_csv);
  m.load_regions_text(moving_regions);
  const hierarchy& h = m.regions();
  REQUIRE(h.size() == 8);
  CHECK(h.trees().size() == 2);
  CHECK(h[h.require("t")].versions.size() == 2);
  CHECK(parent_of(h, "t", ms(2020, 12)) == "X");
  CHECK(parent_of(h, "t", ms(2021, 1)) == "Y");
  CHECK(codes(h, h.leaves_under(h.require("X"), ms(2020, 6))) == std::vector<std::string>{"x1", "t", "old"});
  CHECK(codes(h, h.leaves_under(h.require("X"), ms(2021, 6))) == std::vector<std::string>{"x1"});
  CHECK(codes(h, h.leaves_under(h.require("Y"), ms(2021, 6))) == std::vector<std::string>{"y1", "t", "new"});
  CHECK(h.level_counts() ==
        std::vector<std::pair<level, std::size_t>>{{level::city, 1}, {level::county, 2}, {level::town, 6}});

  m.load_observations_text(
      "region,period,indicator,value\n"
      "x1,2020-06,new_jobs,10\n"
      "y1,2020-06,new_jobs,20\n"
      "t,2020-06,new_jobs,5\n"
      "old,2020-06,new_jobs,1\n"
      "x1,2021-06,new_jobs,11\n"
      "y1,2021-06,new_jobs,21\n"
      "t,2021-06,new_jobs,7\n"
      "new,2021-06,new_jobs,2\n"
      "x1,2020-12,insured,1000\n"
      "y1,2020-12,insured,2000\n"
      "t,2020-12,insured,300\n"
      "x1,2021-03,insured,1001\n"
      "y1,2021-03,insured,2002\n"
      "t,2021-03,insured,310\n");
  CHECK(m.years() == std::vector<int>{2020, 2021});
  CHECK(m.observation_count() == 14);
  m.rollup();
  // 2020: t is X's (x1 10 + t 5 + old 1); 2021: t is Y's (y1 21 + t 7 + new 2).
  CHECK(val(m, "X", "2020-06", "new_jobs") == "16 (3/3)");
  CHECK(val(m, "Y", "2020-06", "new_jobs") == "20 (1/1)");
  CHECK(val(m, "C", "2020-06", "new_jobs") == "36 (4/4)");
  CHECK(val(m, "X", "2021-06", "new_jobs") == "11 (1/1)");
  CHECK(val(m, "Y", "2021-06", "new_jobs") == "30 (3/3)");
  CHECK(val(m, "C", "2021-06", "new_jobs") == "41 (4/4)");
  CHECK(num(m, "X", "2020", "new_jobs") == "16");
  CHECK(num(m, "Y", "2021", "new_jobs") == "30");
  CHECK(val(m, "X", "2021Q2", "new_jobs") == "11 (1/1)");
  CHECK(val(m, "Y", "2021Q2", "new_jobs") == "30 (3/3)");
  // Stocks: t's December 2020 value in X, its March 2021 value in Y.
  CHECK(val(m, "X", "2020-12-31", "insured") == "1300 (2/3)");
  CHECK(val(m, "Y", "2020-12-31", "insured") == "2000 (1/1)");
  CHECK(val(m, "X", "2021-03-31", "insured") == "1001 (1/1)");
  CHECK(val(m, "Y", "2021-03-31", "insured") == "2312 (2/3)");
  CHECK(val(m, "C", "2021-03-31", "insured") == "3313 (3/4)");
  CHECK(m.reported(h.require("t"), period::month(2021, 6), m.indicators().require("new_jobs")) ==
        zhibiao::decimal::from_int(7));
}

TEST_CASE("model: a town that moves county mid-year counts in each county for its own months") {
  zhibiao::model m;
  m.load_indicators_text(indicators_csv);
  m.load_regions_text(
      "code,name,level,parent,valid_from,valid_to\n"
      "C,示例市,city,,,\n"
      "X,甲县,county,C,,\n"
      "Y,乙县,county,C,,\n"
      "x1,甲一镇,town,X,,\n"
      "y1,乙一镇,town,Y,,\n"
      "t,迁移镇,town,X,,2021-06\n"
      "t,迁移镇,town,Y,2021-07,\n");
  CHECK(m.regions().trees().size() == 2);
  m.load_observations_text(
      "region,period,indicator,value\n"
      "x1,2021-03,new_jobs,10\n"
      "t,2021-03,new_jobs,5\n"
      "x1,2021-09,new_jobs,1\n"
      "y1,2021-09,new_jobs,20\n"
      "t,2021-09,new_jobs,7\n"
      "t,2021-03,insured,50\n"
      "y1,2021-09,insured,400\n");
  m.rollup();
  CHECK(val(m, "X", "2021-03", "new_jobs") == "15 (2/2)");
  CHECK(val(m, "Y", "2021-03", "new_jobs") == "— (0/1)");
  CHECK(val(m, "X", "2021-09", "new_jobs") == "1 (1/1)");
  CHECK(val(m, "Y", "2021-09", "new_jobs") == "27 (2/2)");
  // Year to date follows the tree of each month: t's March counts in X, its September in Y.
  CHECK(num(m, "X", "2021-01..2021-09", "new_jobs") == "16");
  CHECK(num(m, "Y", "2021-01..2021-09", "new_jobs") == "27");
  CHECK(num(m, "C", "2021-01..2021-09", "new_jobs") == "43");
  CHECK(num(m, "X", "2021S1", "new_jobs") == "15");
  CHECK(val(m, "X", "2021Q3", "new_jobs") == "1 (1/1)");
  CHECK(val(m, "Y", "2021Q3", "new_jobs") == "27 (2/2)");
  // A stock carries t's latest value (March) into September, where t is Y's.
  CHECK(val(m, "Y", "2021-09-30", "insured") == "450 (1/2)");
  CHECK(val(m, "X", "2021-03-31", "insured") == "50 (1/2)");
}

TEST_CASE("model: an observation for a region in a period where it does not exist is a load error") {
  zhibiao::model m;
  m.load_indicators_text(indicators_csv);
  m.load_regions_text(moving_regions);
  m.load_observations_text("region,period,indicator,value\nold,2020-06,new_jobs,1\nnew,2021-06,new_jobs,2\n");
  m.rollup();
  const std::string before = m.csv();
  auto gone = load_failure([&] {
    m.load_observations_text("region,period,indicator,value\nx1,2021-03,new_jobs,4\nold,2021-03,new_jobs,1\n", "obs.csv");
  });
  CHECK_LOAD_AT(gone, 3, 1, "region 'old' does not exist in 2021-03");
  CHECK(gone.reason().find("2020-12") != std::string::npos);
  CHECK(gone.where().file == "obs.csv");
  auto early = load_failure([&] { m.load_observations_text("region,period,indicator,value\nnew,2020-12,insured,9\n"); });
  CHECK_LOAD_AT(early, 2, 1, "region 'new' does not exist in 2020-12");
  auto ytd = load_failure([&] { m.load_observations_text("region,period,indicator,value\nold,2021-01..2021-02,new_jobs,3\n"); });
  CHECK_LOAD_AT(ytd, 2, 1, "region 'old' does not exist");
  // Nothing of the failed files was kept.
  CHECK(m.observation_count() == 2);
  CHECK(m.rolled_up());
  CHECK(m.csv() == before);
  CHECK(val(m, "X", "2021-03", "new_jobs") == "— (0/1)");
}

TEST_CASE("model: the small data set loads from files and rolls up as computed by hand") {
  const std::string dir = std::string(ZHIBIAO_TEST_DATA) + "/small/";
  zhibiao::model m;
  m.load_indicators(dir + "indicators.csv");
  m.load_regions(dir + "regions.csv");
  m.load_observations(dir + "observations.csv");
  CHECK(m.observation_count() == 27);
  m.rollup();
  // new_jobs March: a1 30 + a2 15 + b1 (20 − 12) = 53; Q1 to date: 60 + 20 + 20 = 100.
  CHECK(val(m, "C1", "2021-03", "new_jobs") == "53 (3/3)");
  CHECK(num(m, "C1", "2021-01..2021-03", "new_jobs") == "100");
  CHECK(val(m, "B", "2021-02", "new_jobs") == "5 (1/1)");
  CHECK(val(m, "A", "2021-02", "new_jobs") == "20 (1/2)");
  CHECK(val(m, "C1", "2021-02", "loan_amount") == "3.25 (1/3)");
  CHECK(num(m, "C1", "2021-01..2021-02", "loan_amount") == "15.75");
  // Stocks: March has no a1 value; at the end of March a1's February value still stands.
  CHECK(val(m, "C1", "2021-03", "insured") == "145 (2/3)");
  CHECK(val(m, "C1", "2021-03-31", "insured") == "255 (2/3)");
  // 失业率 January: 42 / (42 + 1458) × 100 = 2.80; a2 alone: 10 / 100 = 10.00.
  CHECK(val(m, "C1", "2021-01", "rate") == "2.80 (3/3)");
  CHECK(val(m, "a2", "2021-01", "rate") == "10.00 (1/1)");
  // End of February, carried forward: 44 / (44 + 1457) × 100 = 2.931… → 2.93.
  CHECK(val(m, "C1", "2021-02-28", "rate") == "2.93 (1/3)");
  CHECK(m.reported_qualifier(m.regions().require("b1"), period::month(2021, 2), m.indicators().require("loan_amount")) ==
        zhibiao::qualifier::approximate);
}
