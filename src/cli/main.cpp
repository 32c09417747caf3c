// The zhibiao command: a thin front end over the library.
#include <zhibiao/version.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

namespace {

constexpr std::string_view usage = R"(zhibiao — indicators, roll-ups and target checks for 人社 bureaus

usage: zhibiao <command> [options]

commands:
  --version            print the version
  --help               print this help
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(usage.data(), stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    fmt::print("zhibiao {}\n", zhibiao::version());
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(usage.data(), stdout);
    return 0;
  }
  fmt::print(stderr, "zhibiao: unknown command '{}' (see zhibiao --help)\n", cmd);
  return 2;
}
