// A program outside the tree that uses the header-only core found with find_package.
#include <zhibiao/decimal.hpp>
#include <zhibiao/period.hpp>
#include <zhibiao/unit.hpp>

#include <cstdio>

int main() {
  auto wan = zhibiao::convert(zhibiao::decimal::parse("12345.67"), zhibiao::unit_of("元"), zhibiao::unit_of("万元"));
  auto p = zhibiao::period::parse("2021年1-9月");
  bool ok = wan.to_string() == "1.234567" && p.code() == "2021-01..2021-09" && p.last_month() == 9;
  std::printf("%s %s %s\n", wan.to_string().c_str(), p.code().c_str(), ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
