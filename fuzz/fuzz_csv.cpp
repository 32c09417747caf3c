// Fuzz target: the CSV reader (encoding check, quoting, limits, header mapping).
#include "common.hpp"

#include <zhibiao/csv.hpp>

using namespace zhibiao;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view t = zhibiao_fuzz::text(data, size);
  const csv::limits lim;
  // Every record as it comes.
  try {
    csv::reader in(t, "<fuzz>");
    std::size_t last_line = 0;
    while (in.next()) {
      ZB_FUZZ_ASSERT(in.size() >= 1 && in.size() <= lim.max_fields);
      ZB_FUZZ_ASSERT(in.line() > last_line);
      last_line = in.line();
      for (std::size_t i = 0; i < in.size(); ++i) ZB_FUZZ_ASSERT(in[i].size() <= lim.max_field_bytes);
      ZB_FUZZ_ASSERT(in.offset() <= t.size());
    }
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
  }
  // With a header: named columns, short records, errors at a column.
  try {
    csv::reader in(t, "<fuzz>", csv::limits{256, 8, 1 << 20});
    in.read_header({"a"}, {"b", "c"});
    const int a = in.column("a"), b = in.column("b");
    ZB_FUZZ_ASSERT(a >= 0);
    while (in.next()) {
      ZB_FUZZ_ASSERT(in.size() <= 3);
      if (in.get(a) == "fail") in.fail(b, "requested failure");
      (void)in.get(b);
      (void)to_string(in.at(b));
    }
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
  }
  return 0;
}
