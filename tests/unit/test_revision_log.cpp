// The revision log read back (import::parse_revision_log): what revision_log::csv writes parses to the same
// rows, and a bad row names its line and field.
#include <doctest/doctest.h>

#include <zhibiao/import.hpp>

#include <string>

using namespace zhibiao;

TEST_CASE("revision log: written and read back to the same rows") {
  import::revision_log log;
  log.entries.push_back({"2026-12-01T10:00:00Z", "441521101000", "2021-09", "urban_new_employment", decimal::parse("20"),
                         decimal::parse("25"), "book.xlsx:2021年9月!C5"});
  log.entries.push_back({"2026-12-01T10:00:00Z", "441521102000", "2021-09", "vocational_training", decimal::parse("61"), std::nullopt,
                         "a,b.csv:3"});  // a comma in the source is quoted
  const import::revision_log back = import::parse_revision_log(log.csv(), "rev.csv");
  REQUIRE(back.entries.size() == 2);
  CHECK(back.entries[0].old_value->to_string() == "20");
  CHECK(back.entries[0].new_value->to_string() == "25");
  CHECK(back.entries[1].source == "a,b.csv:3");
  CHECK_FALSE(back.entries[1].new_value.has_value());  // cleared, not 0
  CHECK(back.csv() == log.csv());
  // A period as written by hand is kept in its canonical form.
  const auto by_hand = import::parse_revision_log("time,region,period,indicator,old,new,source\nt,R,2021年9月,x,,1.50,s\n", "rev.csv");
  CHECK(by_hand.entries[0].period == "2021-09");
  CHECK(by_hand.entries[0].new_value->to_string() == "1.50");
}

TEST_CASE("revision log: a bad row names its line and field") {
  auto error_of = [](const std::string& text) -> std::string {
    try {
      import::parse_revision_log(text, "rev.csv");
    } catch (const load_error& e) {
      return e.what();
    }
    return "";
  };
  const std::string head = "time,region,period,indicator,old,new,source\n";
  CHECK(error_of(head + "t,R,2021-09,x,1,2,s\nt,R,2021-13,x,1,2,s\n").find("rev.csv:3:3 (period)") != std::string::npos);
  CHECK(error_of(head + "t,R,2021-09,x,1x,2,s\n").find("rev.csv:2:5 (old): malformed value") != std::string::npos);
  CHECK(error_of(head + "t,,2021-09,x,1,2,s\n").find("empty region code") != std::string::npos);
  CHECK(error_of("time,region,period\n").find("rev.csv") != std::string::npos);  // a missing column
}
