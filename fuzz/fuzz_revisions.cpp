// Fuzz target: the revision log reader (an earlier run's --revision-log read by explain), and its rows
// written back: what parses must be written in the same form.
#include "common.hpp"

#include <zhibiao/import.hpp>

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  import::revision_log log;
  try {
    log = import::parse_revision_log(zhibiao_fuzz::text(data, size), "<fuzz>");
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
    return 0;
  }
  // A log that parsed is written and read again to the same rows.
  const std::string again = log.csv();
  const import::revision_log back = import::parse_revision_log(again, "<again>");
  if (back.csv() != again) __builtin_trap();
  return 0;
}
