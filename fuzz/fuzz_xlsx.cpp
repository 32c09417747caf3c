// Fuzz target: workbooks. The first byte picks what the rest is: a whole .xlsx archive (the zip reader,
// the workbook parts, then the wide-table import on the small model), one worksheet's XML (the streaming
// cell parser, with three shared strings), or a wide CSV table (the import's header, region and cell rules).
#include "common.hpp"

#include <zhibiao/import.hpp>
#include <zhibiao/xlsx.hpp>

using namespace zhibiao;

namespace {

// Small bounds so that a fuzzer reaches each limit quickly instead of allocating gigabytes.
xlsx::limits fuzz_limits() {
  xlsx::limits lim;
  lim.max_entries = 64;
  lim.max_entry_bytes = 4 << 20;
  lim.max_total_bytes = 8 << 20;
  lim.max_shared_strings = 10'000;
  lim.max_cells = 100'000;
  lim.max_sheets = 16;
  return lim;
}

void import_on_small_model(std::string_view bytes, const char* name) {
  const model& m = zhibiao_fuzz::empty_small_model();
  import::options opt;
  opt.under = "A";
  try {
    import::table t = import::read_bytes(m, bytes, name, opt);
    for (const import::cell_value& c : t.cells) {
      ZB_FUZZ_ASSERT(c.region >= 0 && static_cast<std::size_t>(c.region) < m.regions().size());
      ZB_FUZZ_ASSERT(c.indicator >= 0 && static_cast<std::size_t>(c.indicator) < m.indicators().size());
      ZB_FUZZ_ASSERT(!c.value || c.value->scale() == m.indicators()[c.indicator].decimals);
    }
    model copy = m;
    import::load(copy, t);
    (void)import::revise(copy, t);  // the same values again: nothing changes, nothing fails
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = zhibiao_fuzz::text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      try {
        xlsx::workbook wb(rest, "<fuzz>.xlsx", fuzz_limits());
        ZB_FUZZ_ASSERT(!wb.sheet_names().empty());
        for (std::size_t k = 0; k < wb.sheet_names().size(); ++k) {
          xlsx::sheet s = wb.read_sheet(k);
          ZB_FUZZ_ASSERT(s.cells.size() <= fuzz_limits().max_cells);
        }
      } catch (const error& e) {
        zhibiao_fuzz::check_message(e);
        return 0;
      }
      import_on_small_model(rest, "<fuzz>.xlsx");
      break;
    case 1:
      try {
        static const std::vector<std::string> shared{"甲一镇", "合计", "城镇新增就业"};
        xlsx::sheet s = xlsx::parse_sheet_xml(rest, shared, "<fuzz>.xlsx", "2021年9月", fuzz_limits());
        for (const xlsx::cell& c : s.cells) ZB_FUZZ_ASSERT(c.row >= 1 && c.row <= 1'048'576 && c.col >= 1 && c.col <= 16384);
      } catch (const error& e) {
        zhibiao_fuzz::check_message(e);
      }
      break;
    default:
      import_on_small_model(rest, "<fuzz>.csv");
  }
  return 0;
}
