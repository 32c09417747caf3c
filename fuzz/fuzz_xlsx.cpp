// Fuzz target: workbooks. The first byte picks what the rest is: a whole .xlsx archive (the zip reader,
// the workbook parts, then the wide-table import on the small model), one worksheet's XML (the streaming
// cell parsers, the fast scanner checked against expat, with three shared strings), or a wide CSV table
// (the import's header, region and cell rules).
#include "common.hpp"

#include <zhibiao/import.hpp>
#include <zhibiao/xlsx.hpp>

#include <cstring>
#include <optional>

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

// One worksheet's XML through the fast scanner (in chunks of a size that varies with the input's length, so
// tags and texts are cut at every place) and through expat alone: both must accept or refuse it alike and build the same sheet.
void compare_parsers(std::string_view xml) {
  static const std::vector<std::string> shared{"甲一镇", "合计", "城镇新增就业"};
  const std::size_t chunk = 1 + xml.size() % 61;
  std::optional<xlsx::sheet> fast, slow;
  std::string fast_error, slow_error;
  try {
    fast = xlsx::parse_sheet_xml(xml, shared, "<fuzz>.xlsx", "2021年9月", fuzz_limits(), xlsx::sheet_parser::fast, chunk);
  } catch (const error& e) {
    zhibiao_fuzz::check_message(e);
    fast_error = e.what();
  }
  try {
    slow = xlsx::parse_sheet_xml(xml, shared, "<fuzz>.xlsx", "2021年9月", fuzz_limits(), xlsx::sheet_parser::expat);
  } catch (const error& e) {
    slow_error = e.what();
  }
  ZB_FUZZ_ASSERT(fast.has_value() == slow.has_value());
  ZB_FUZZ_ASSERT(fast_error == slow_error);
  if (!fast) return;
  ZB_FUZZ_ASSERT(fast->cells.size() == slow->cells.size() && fast->merges.size() == slow->merges.size());
  for (std::size_t k = 0; k < fast->cells.size(); ++k) {
    const xlsx::cell &a = fast->cells[k], &b = slow->cells[k];
    ZB_FUZZ_ASSERT(a.row >= 1 && a.row <= 1'048'576 && a.col >= 1 && a.col <= 16384);
    ZB_FUZZ_ASSERT(a.row == b.row && a.col == b.col && a.type == b.type && fast->text(a) == slow->text(b));
    ZB_FUZZ_ASSERT(std::memcmp(&a.number, &b.number, sizeof a.number) == 0);
  }
  for (std::size_t k = 0; k < fast->merges.size(); ++k) {
    const xlsx::merge_range &a = fast->merges[k], &b = slow->merges[k];
    ZB_FUZZ_ASSERT(a.first_row == b.first_row && a.first_col == b.first_col && a.last_row == b.last_row && a.last_col == b.last_col);
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
      compare_parsers(rest);
      break;
    default:
      import_on_small_model(rest, "<fuzz>.csv");
  }
  return 0;
}
