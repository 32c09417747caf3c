// zhibiao — the bureau's own wide tables (xlsx or CSV) as observations, and revisions with an audit trail.
//
// A wide table has one row per region (a column of town names or codes, a 合计 row) and one column per
// indicator (headers matched by code, by name or through MAP.csv, with a unit in parentheses). Reading
// one gives values with the cell each came from; loading them is all or nothing and every error names
// the workbook, the sheet and the cell (`haifeng.xlsx:2021年9月!B8: unknown town '新城镇' under 441521000000`).
#pragma once

#include <zhibiao/decimal.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/period.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao::import {

/// How a wide table is read; every field is optional.
struct options {
  std::string map_path;  ///< MAP.csv (`column,indicator`): header text, `group/sub`, or a column letter
  std::string sheet;     ///< read only this sheet (default: every sheet of the workbook)
  std::string under;     ///< the region whose towns the name column names; the 合计 row is its reported total
  std::string period;    ///< the period of every sheet read (default: the sheet name, else the title)
};

/// One cell of the table: a value (or a missing mark) for a region, period and indicator.
struct cell_value {
  region_id region = npos;
  zhibiao::period when = zhibiao::period::month(2000, 1);
  indicator_id indicator = npos;
  std::optional<decimal> value;  ///< in the catalogue's unit; empty for an empty or "—" cell
  std::uint32_t place = 0;       ///< index of its sheet or file in table::places
  std::uint32_t row = 0;         ///< 1-based row (a CSV's line)
  std::uint32_t col = 0;         ///< 1-based column; 0 for a long CSV's line
};

/// What a table holds, in reading order.
struct table {
  std::string file;                 ///< the path read
  std::vector<std::string> places;  ///< `book.xlsx:sheet!` per sheet read, or `file.csv:`
  std::vector<cell_value> cells;    ///< every (region, indicator) cell of every sheet read, missing ones too
  /// Where a cell came from: `book.xlsx:2021年9月!C7`, `file.csv:7:3`, or `observations.csv:12`.
  std::string source(const cell_value& c) const;
};

/// True when `path` names a workbook (by its first bytes, so a misnamed file is still recognised).
bool is_workbook(const std::string& path);

/// Reads the xlsx workbook or wide CSV table at `path` against the model's regions and catalogue.
table read(const model& m, const std::string& path, const options& opt = {});
/// Reads a workbook or wide CSV held in memory; `name` labels messages.
table read_bytes(const model& m, std::string_view bytes, const std::string& name, const options& opt = {});
/// Reads a long observations CSV (`region,period,indicator,value[,qualifier]`) as a table, for revisions.
table read_long_csv(const model& m, const std::string& path);

/// The long observations CSV (`region,period,indicator,value`) of a table's present values.
std::string observations_csv(const model& m, const table& t);
/// Loads a table's values into the model, all or nothing; a value already loaded is an error naming the
/// cell and, when one of the `earlier` files (read with `opt`) gave it, the place there too.
void load(model& m, const table& t, const std::vector<std::string>& earlier = {}, const options& opt = {});

/// True when the CSV at `path` is a wide table: its header names none of region, period, indicator, value.
bool is_wide_csv(const std::string& path);
/// Reads any observations file as a table: a workbook or a wide CSV through `opt`, else a long CSV.
table read_observations(const model& m, const std::string& path, const options& opt = {});
/// Loads one observations file, all or nothing: a long CSV, a workbook or a wide CSV (read with `opt`);
/// a value one of the `earlier` files gave too is an error naming both places.
void load_file(model& m, const std::string& path, const std::vector<std::string>& earlier = {}, const options& opt = {});

/// A starting MAP.csv for the workbook or CSV at `path`: every column's header with the best guess.
std::string suggest_map(const model& m, const std::string& path, const options& opt = {});

/// One replaced or cleared value.
struct revision {
  std::string time;                    ///< when it was revised, UTC, ISO 8601
  std::string region, period, indicator;  ///< codes
  std::optional<decimal> old_value;    ///< before (empty: it was missing)
  std::optional<decimal> new_value;    ///< after (empty: cleared)
  std::string source;                  ///< the cell or line the new value came from
};

/// The revisions made, in order; written as CSV `time,region,period,indicator,old,new,source`.
struct revision_log {
  std::vector<revision> entries;  ///< one per changed value
  /// The log as CSV rows, with the header line when `header` is true.
  std::string csv(bool header = true) const;
  /// Appends the rows to `path` (writing the header when the file is new or empty).
  void append_to(const std::string& path) const;
};

/// Parses a revision log as `revision_log::csv` writes it (`time,region,period,indicator,old,new,source`);
/// `file` labels errors, which name the line and field.
revision_log parse_revision_log(std::string_view text, const std::string& file);
/// Reads a revision log file (an earlier run's `--revision-log`).
revision_log read_revision_log(const std::string& path);

/// Replaces the loaded values with the table's, all or nothing, and returns what changed: a present
/// cell sets its value, a missing cell of a month clears a loaded value; unchanged values are not logged.
revision_log revise(model& m, const table& t);

}  // namespace zhibiao::import
