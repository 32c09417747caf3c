/* zhibiao — the C ABI.
 *
 * A thin, C11-clean interface over the C++ engine for bureau tools written in other languages.
 *
 * Conventions
 * - Every function returns a zb_status (ZB_OK = 0) unless documented otherwise. On failure the
 *   calling thread's last error (zb_last_error, zb_last_error_code, zb_last_error_location) says why;
 *   it is thread-local and stays until the next failing call on that thread.
 * - No C++ exception ever crosses this boundary. NULL handles and NULL out-pointers are rejected with
 *   ZB_INVALID_ARGUMENT and a message naming the argument.
 * - Ownership: memory returned through `char**` is allocated by zhibiao and must be freed with zb_free.
 *   `const char*` returned by value (zb_version, zb_last_error) or inside zb_finding belongs to zhibiao
 *   and must not be freed. Handles are freed with their *_destroy function, which takes a pointer to
 *   the handle, accepts NULL and sets the handle to NULL (destroying twice is harmless).
 * - Text is UTF-8. Text buffers provided by the caller follow snprintf: at most `capacity` bytes are
 *   written including the terminating NUL, and `*length` (when not NULL) receives the full length.
 * - Thread safety: a zb_model may be queried (value, slice, explain, check, csv, report) from several
 *   threads at once; loads, revisions and zb_model_rollup take the model exclusively and wait for
 *   running queries. A zb_findings handle is immutable and may be read from any thread.
 * - A failed load leaves the model exactly as it was.
 * - Statuses: besides those its comment lists ("Returns …"), every function that takes a handle or a
 *   pointer returns ZB_INVALID_ARGUMENT for a NULL one, ZB_LIMIT ("out of memory") when memory runs
 *   out, and ZB_INTERNAL only for a bug.
 */
#ifndef ZHIBIAO_H
#define ZHIBIAO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ZB_API exports the functions when the library itself is built (ZHIBIAO_BUILDING) and imports them
 * in a program that uses the DLL. */
#if defined(_WIN32)
#if defined(ZHIBIAO_BUILDING)
#define ZB_API __declspec(dllexport)
#else
#define ZB_API __declspec(dllimport)
#endif
#else
#define ZB_API __attribute__((visibility("default")))
#endif

/** The ABI version: bumped whenever a signature or struct in this header changes. */
#define ZB_ABI_VERSION 3

/** Status codes; the numbers match the C++ zhibiao::errc classes. */
typedef enum zb_status {
  ZB_OK = 0,
  ZB_INVALID_ARGUMENT = 1, /**< NULL handle or pointer, unknown code, bad option */
  ZB_PARSE = 2,            /**< text that is not a number, period, unit, rule or template */
  ZB_LOAD = 3,             /**< a bad input file; zb_last_error_location names file, line, column */
  ZB_OVERFLOW = 4,         /**< an exact value does not fit; never wrapped */
  ZB_UNIT = 5,             /**< conversion across dimensions */
  ZB_STATE = 6,            /**< wrong order, e.g. a query before zb_model_rollup */
  ZB_NOT_FOUND = 7,        /**< an unknown region, indicator or scope */
  ZB_LIMIT = 8,            /**< a resource limit protecting against hostile input */
  ZB_IO = 9,               /**< a file that cannot be read or written */
  ZB_RULE = 10,            /**< a bad rule or target definition */
  ZB_BUFFER_TOO_SMALL = 11,/**< a caller buffer or array is too small; the needed size is returned */
  ZB_INTERNAL = 99         /**< a bug in zhibiao */
} zb_status;

/** A model: catalogue, regions, observations, roll-up, targets and rules. */
typedef struct zb_model_s* zb_model;
/** An immutable list of findings produced by zb_model_check. */
typedef struct zb_findings_s* zb_findings;

/** How a value qualifies its number: exact, a lower bound (XX多, 以上) or approximate (约), carried from the
 *  reported parts (see README, "Roll-up semantics"). */
typedef enum zb_qualifier { ZB_QUALIFIER_NONE = 0, ZB_QUALIFIER_LOWER_BOUND = 1, ZB_QUALIFIER_APPROXIMATE = 2 } zb_qualifier;

/** One value with its coverage. `scaled`/`scale` give the exact value as scaled / 10^scale. For a day date
 *  (an indicator of unit 日期, always a parameter) `scaled` is the day number, days since 1970-01-01
 *  (2021-05-12 is 18759), with scale 0. */
typedef struct zb_value {
  int32_t has_value; /**< 0 when nothing was reported (missing is never 0) */
  int32_t scale;     /**< decimals of the indicator */
  int64_t scaled;    /**< the value times 10^scale */
  int32_t reporting; /**< leaves that reported */
  int32_t expected;  /**< leaves that should have */
  int32_t qualifier; /**< a zb_qualifier: ZB_QUALIFIER_LOWER_BOUND (XX多) or ZB_QUALIFIER_APPROXIMATE (约) from the parts */
  int32_t carried;   /**< stocks: leaves whose value is an earlier month's end (in the value, not in reporting) */
} zb_value;

/** One finding; every pointer belongs to its zb_findings handle (valid until it is destroyed). */
typedef struct zb_finding {
  const char* check;       /**< rule name, or target, allocation, part_of, parts, share, reconcile */
  const char* subject;     /**< indicator code or rule expression */
  const char* region;      /**< region code */
  const char* region_name; /**< region name */
  const char* period;      /**< canonical period code */
  const char* severity;    /**< error, warning or info */
  const char* status;      /**< exceeded, met, not_met, ahead, on_track, behind, within, breached, fail, approximate, ... */
  const char* actual;      /**< exact decimal text, or NULL */
  const char* expected;    /**< exact decimal text, or NULL */
  const char* message;     /**< a readable sentence with the numbers */
  const char* completion;  /**< floors: 完成率 % at 1 decimal, or NULL */
  const char* progress;    /**< floors before the period's end: 序时进度 % at 1 decimal, or NULL */
  const char* projected;   /**< floors before the period's end: the projected year-end value, or NULL */
} zb_finding;

/* ---- library ---------------------------------------------------------------------------- */

/** The library version (major.minor.patch, as ZHIBIAO_VERSION_STRING in zhibiao/version.h); owned by
 *  zhibiao. Always succeeds. */
ZB_API const char* zb_version(void);
/** The ABI version the library was built with (ZB_ABI_VERSION). Always succeeds. */
ZB_API int32_t zb_abi_version(void);
/** The calling thread's last error message ("" when none); owned by zhibiao, valid until the next call on this thread. */
ZB_API const char* zb_last_error(void);
/** The calling thread's last error code (ZB_OK when none). */
ZB_API zb_status zb_last_error_code(void);
/** Where the last load error happened: file (owned by zhibiao, may be NULL), 1-based line and column (0 when unknown). Any out-pointer may be NULL. */
ZB_API void zb_last_error_location(const char** file, size_t* line, size_t* column);
/** Parses a period (2021-09, 2021-01..2021-09, 2021年1-9月, 截至2021年9月底, 2021Q3, 2021H1, 2021, ...) into
 *  its year and the first and last month it covers (1..12); any out-pointer may be NULL. ZB_PARSE when the
 *  text is not a period. Needs no model; may be called from any thread. */
ZB_API zb_status zb_period_parse(const char* text, int32_t* year, int32_t* first_month, int32_t* last_month);
/** Parses a period like zb_period_parse, a span across years included (2020-01..2021-12, 2020年1月至2021年12月):
 *  the year and month (1..12) of its first and of its last month; any out-pointer may be NULL. ZB_PARSE when
 *  the text is not a period. zb_period_parse itself answers ZB_INVALID_ARGUMENT for a span across years, which
 *  one year cannot describe. Needs no model; may be called from any thread. */
ZB_API zb_status zb_period_parse_span(const char* text, int32_t* first_year, int32_t* first_month, int32_t* last_year,
                                      int32_t* last_month);
/** Frees memory that zhibiao returned through a char** out-pointer. NULL is allowed. */
ZB_API void zb_free(void* p);

/* ---- model lifetime ---------------------------------------------------------------------- */

/** Creates an empty model in *out; the caller owns it and destroys it with zb_model_destroy. Returns ZB_OK. */
ZB_API zb_status zb_model_create(zb_model* out);
/** Destroys *model and sets it to NULL; NULL or an already destroyed (NULL) handle is a no-op. */
ZB_API void zb_model_destroy(zb_model* model);

/* ---- loading (each all-or-nothing; `name` labels error messages and may be NULL) ------------- */

/** Loads regions.csv from a file. Returns ZB_IO (unreadable), ZB_LOAD (a bad row, located), ZB_LIMIT. */
ZB_API zb_status zb_model_load_regions(zb_model model, const char* path);
/** Loads regions.csv text of `length` bytes (the caller keeps the text). Returns ZB_LOAD, ZB_LIMIT. */
ZB_API zb_status zb_model_load_regions_text(zb_model model, const char* text, size_t length, const char* name);
/** Loads indicators.csv from a file. Returns ZB_IO, ZB_LOAD, ZB_LIMIT; ZB_STATE once observations are loaded. */
ZB_API zb_status zb_model_load_indicators(zb_model model, const char* path);
/** Loads indicators.csv text. Returns ZB_LOAD, ZB_LIMIT, ZB_STATE as zb_model_load_indicators. */
ZB_API zb_status zb_model_load_indicators_text(zb_model model, const char* text, size_t length, const char* name);
/** Loads scopes.csv from a file. Returns ZB_IO, ZB_LOAD; ZB_STATE before the regions. */
ZB_API zb_status zb_model_load_scopes(zb_model model, const char* path);
/** Loads scopes.csv text. Returns ZB_LOAD; ZB_STATE before the regions. */
ZB_API zb_status zb_model_load_scopes_text(zb_model model, const char* text, size_t length, const char* name);
/** Loads observations.csv from a file (marks the roll-up stale); a workbook or a wide CSV (a header that is not
 *  region,period,indicator,value) goes through the workbook import with no MAP.csv, as zb_model_load_workbook.
 *  Returns ZB_IO, ZB_LOAD, ZB_OVERFLOW, ZB_LIMIT, ZB_UNIT; ZB_STATE before the regions and indicators. */
ZB_API zb_status zb_model_load_observations(zb_model model, const char* path);
/** Loads observations.csv text. Returns as zb_model_load_observations but ZB_IO. */
ZB_API zb_status zb_model_load_observations_text(zb_model model, const char* text, size_t length, const char* name);
/** Loads a bureau's wide table, an .xlsx workbook or a wide CSV (one row per region, one column per indicator),
 *  as observations, all or nothing; errors name workbook, sheet and cell (`book.xlsx:2021年9月!B8`, the location's
 *  file). `map_path` (MAP.csv `column,indicator`), `sheet` (default: every sheet), `under` (the region the rows'
 *  town names belong to; its 合计 row is its reported total) and `period` (default: sheet name, else title) may be NULL.
 *  Returns ZB_IO (unreadable), ZB_LOAD (a bad cell, header or row, located), ZB_LIMIT (a hostile archive),
 *  ZB_OVERFLOW, ZB_NOT_FOUND (an unknown --under region), ZB_STATE before the regions and indicators. */
ZB_API zb_status zb_model_load_workbook(zb_model model, const char* path, const char* map_path, const char* sheet,
                                        const char* under, const char* period);
/** Revises loaded values from a workbook (options as zb_model_load_workbook), a wide CSV (when `map_path` is given)
 *  or a long observations.csv: its values replace the loaded ones, all or nothing, and a missing cell of a month
 *  clears one. Appends every change to `log_path` (CSV `time,region,period,indicator,
 *  old,new,source`) unless NULL, and writes the number of changed values to *changed unless NULL. Returns as
 *  zb_model_load_workbook (then no value changes), or ZB_IO when the log cannot be written (the values are then
 *  already revised). */
ZB_API zb_status zb_model_revise(zb_model model, const char* path, const char* map_path, const char* sheet, const char* under,
                                 const char* period, const char* log_path, size_t* changed);
/** Every value zb_model_revise replaced or cleared on this model, in order, as the revision log's CSV
 *  (time,region,period,indicator,old,new,source; the header alone when none) in *out (free with zb_free).
 *  Returns ZB_INVALID_ARGUMENT for a NULL model or out. */
ZB_API zb_status zb_model_revisions_csv(zb_model model, char** out);
/** Loads targets.csv from a file (replaces earlier targets). Returns ZB_IO, ZB_LOAD; ZB_STATE before the regions and indicators. */
ZB_API zb_status zb_model_load_targets(zb_model model, const char* path);
/** Loads targets.csv text. Returns ZB_LOAD, ZB_STATE. */
ZB_API zb_status zb_model_load_targets_text(zb_model model, const char* text, size_t length, const char* name);
/** Loads a rules file (replaces earlier rules). Returns ZB_IO, ZB_RULE (located), ZB_LIMIT, ZB_STATE. */
ZB_API zb_status zb_model_load_rules(zb_model model, const char* path);
/** Loads rules text. Returns ZB_RULE, ZB_LIMIT, ZB_STATE. */
ZB_API zb_status zb_model_load_rules_text(zb_model model, const char* text, size_t length, const char* name);

/** Dense id of a region code in *id. ZB_NOT_FOUND when unknown. */
ZB_API zb_status zb_model_region_id(zb_model model, const char* code, int32_t* id);
/** Dense id of an indicator code in *id. ZB_NOT_FOUND when unknown. */
ZB_API zb_status zb_model_indicator_id(zb_model model, const char* code, int32_t* id);
/** Number of regions and indicators; either out-pointer may be NULL. Returns ZB_OK. */
ZB_API zb_status zb_model_size(zb_model model, size_t* regions, size_t* indicators);
/** The code of region `id` into a caller buffer (snprintf semantics). Returns ZB_NOT_FOUND for an id out of range. */
ZB_API zb_status zb_model_region_code(zb_model model, int32_t id, char* buffer, size_t capacity, size_t* length);

/** Indicator `id`: its code into a caller buffer (snprintf semantics; buffer may be NULL to learn the
 *  length), *kind (may be NULL) 0 flow, 1 stock, 2 ratio, 3 parameter, *decimals (may be NULL) its decimals.
 *  ZB_INVALID_ARGUMENT when the id is out of range. */
ZB_API zb_status zb_model_indicator(zb_model model, int32_t id, char* buffer, size_t capacity, size_t* length, int32_t* kind,
                                    int32_t* decimals);
/** Indicator `id`'s unit symbol into a caller buffer (snprintf semantics; buffer may be NULL to learn the
 *  length): 人, 万元, % …, or 日期 for a day date, whose values are day numbers. ZB_INVALID_ARGUMENT when the
 *  id is out of range. */
ZB_API zb_status zb_model_indicator_unit(zb_model model, int32_t id, char* buffer, size_t capacity, size_t* length);
/** The years that have observations, ascending, into a caller array of `capacity` entries; *count receives how
 *  many there are. When capacity is too small nothing is written and ZB_BUFFER_TOO_SMALL is returned with
 *  *count set. */
ZB_API zb_status zb_model_years(zb_model model, size_t capacity, int32_t* years, size_t* count);
/** The region tree valid in month `month` (1..12) of `year`: for every region id, its level (0 nation,
 *  1 province, 2 city, 3 county, 4 town, 5 village; -1 when the region does not exist that month) and its
 *  parent's id (-1 for a root and for a region that does not exist), into caller arrays of `capacity`
 *  entries (either may be NULL); *count receives the number of regions. ZB_BUFFER_TOO_SMALL as for
 *  zb_model_years; ZB_INVALID_ARGUMENT for a month outside 1..12 or a year outside the supported range. */
ZB_API zb_status zb_model_regions_at(zb_model model, int32_t year, int32_t month, size_t capacity, int32_t* levels,
                                     int32_t* parents, size_t* count);
/** Bulk monthly values from arrays, all-or-nothing: value k is scaled[k] / 10^scale for region
 *  region_ids[k], indicator indicator_ids[k], month `months[k]` (1..12) of `years[k]`. Existing
 *  values are revised. Updates the roll-up in place when it is current. Returns ZB_INVALID_ARGUMENT naming
 *  the value ("value k: …": an id out of range, a bad month or year, a ratio, too many decimals, a
 *  negative value where the catalogue forbids it, a region that does not exist that month), ZB_OVERFLOW,
 *  ZB_LIMIT; on any error no value changes. */
ZB_API zb_status zb_model_set_values(zb_model model, size_t n, const int32_t* region_ids, const int32_t* indicator_ids,
                                     const int32_t* years, const int32_t* months, const int64_t* scaled, int32_t scale);
/** Loads observations from arrays, as zb_model_load_observations loads the rows of observations.csv, all or
 *  nothing: value k is scaled[k] / 10^scale (scale 0..18) for region region_ids[k], indicator indicator_ids[k]
 *  and period periods[k] (UTF-8 text: a month, 2021-09, or for a flow a year-to-date span, 2021-01..2021-09 or
 *  2021年1-9月, booked by difference), with qualifier qualifiers[k] (0 none, 1 lower_bound, 2 approximate; the
 *  array may be NULL for none). Two values for the same region, indicator and month — in the call, or one in
 *  the call and one already loaded — are ZB_LOAD ("duplicate"); unlike the file loader, a series mixing
 *  monthly and year-to-date values is not refused. Updates the roll-up in place when it is current.
 *  On failure *failed_index (may be NULL) receives the index of the value at fault (the later one of a
 *  duplicate pair), or n when the failure is no single value's, and *failed_field (may be NULL) the field:
 *  0 region, 1 period, 2 indicator, 3 value, 4 qualifier (the columns of observations.csv), or -1. For a
 *  failure the model's own rules report (decimals, sign, a decreasing year-to-date series, an overflow),
 *  the index is found on a copy of the model, so pass both NULL when that memory matters more.
 *  Statuses: ZB_INVALID_ARGUMENT (NULL arrays, ids out of range, a ratio, a bad qualifier, a value with more
 *  decimals than its indicator or negative where not allowed, a region that does not exist that month),
 *  ZB_PARSE (a period), ZB_LOAD (a duplicate), ZB_OVERFLOW, ZB_LIMIT. Nothing to free. */
ZB_API zb_status zb_model_load_values(zb_model model, size_t n, const int32_t* region_ids, const int32_t* indicator_ids,
                                      const char* const* periods, const int64_t* scaled, int32_t scale,
                                      const int32_t* qualifiers, size_t* failed_index, int32_t* failed_field);
/** Sets or revises one value: period is a month or a year-to-date span; value is exact decimal text (for a
 *  day date, unit 日期, the day: "2021-05-12" or "2021年5月12日").
 *  Returns ZB_NOT_FOUND (unknown code), ZB_PARSE (period or value), ZB_INVALID_ARGUMENT, ZB_OVERFLOW. */
ZB_API zb_status zb_model_set_value(zb_model model, const char* region, const char* period, const char* indicator,
                                    const char* value);
/** Removes one monthly value (it becomes missing, not 0). Returns ZB_NOT_FOUND, ZB_PARSE, ZB_INVALID_ARGUMENT. */
ZB_API zb_status zb_model_clear_value(zb_model model, const char* region, const char* period, const char* indicator);

/* ---- roll-up and queries ----------------------------------------------------------------- */

/** Computes the full roll-up. Queries before it return ZB_STATE. Returns ZB_OVERFLOW (a sum past 64 bits,
 *  and then no roll-up is current), ZB_STATE (nothing loaded), ZB_LIMIT. */
ZB_API zb_status zb_model_rollup(zb_model model);
/** The value of an indicator at a region (or scope code) for a period, with coverage, into *out;
 *  `text` (may be NULL) receives the exact decimal text ("" when missing) with snprintf semantics; for a
 *  day date (unit 日期) the ISO day, "2021-05-12", while `out->scaled` holds its day number.
 *  Returns ZB_OVERFLOW when the value does not fit `scaled` (the text is still written), ZB_NOT_FOUND
 *  (unknown region, scope or indicator), ZB_PARSE (period), ZB_STATE (no current roll-up). */
ZB_API zb_status zb_model_value(zb_model model, const char* region, const char* period, const char* indicator,
                                zb_value* out, char* text, size_t capacity, size_t* length);
/** Every region of `level` ("province", "city", "county", "town", ...) for one indicator and period, into
 *  caller arrays of `capacity` entries; *count receives how many regions there are. When capacity is too
 *  small nothing is written and ZB_BUFFER_TOO_SMALL is returned with *count set. `values` carries
 *  has_value, scale, scaled, reporting, expected, qualifier per region; `region_ids` may be NULL. Also returns
 *  ZB_INVALID_ARGUMENT (unknown level), ZB_NOT_FOUND, ZB_PARSE, ZB_STATE, ZB_OVERFLOW. */
ZB_API zb_status zb_model_slice(zb_model model, const char* level, const char* indicator, const char* period,
                                size_t capacity, int32_t* region_ids, zb_value* values, size_t* count);
/** One month of the roll-up of one indicator for every region at once, indexed by region id, into caller
 *  arrays of `capacity` entries: monthly[r] the value for month `month` (1..12) of `year`, ytd[r] the
 *  year-to-date value through it (1-M月累计, or 截至M月底 for a stock), each with the coverage of that month
 *  — what the roll-up CSV's row (r, year-month, indicator) holds. A region that does not exist that month
 *  gets has_value 0 and expected 0. *count receives the number of regions; when capacity is too small
 *  nothing is written and ZB_BUFFER_TOO_SMALL is returned with *count set. ZB_STATE before zb_model_rollup,
 *  ZB_NOT_FOUND for an unknown indicator, ZB_INVALID_ARGUMENT for a bad month or year, ZB_OVERFLOW as for
 *  zb_model_value. */
ZB_API zb_status zb_model_rollup_month(zb_model model, const char* indicator, int32_t year, int32_t month, size_t capacity,
                                       zb_value* monthly, zb_value* ytd, size_t* count);
/** A subtree root's roll-up for one year, in the form another model loads as one leaf
 *  (zb_model_load_partial), so the levels above subtrees rolled up in separate models (a province per
 *  process) are the engine's own sums, coverage included. Entry i × 12 + m − 1, for indicator id i of this
 *  catalogue and month m (1..12), of monthly[] and ytd[] (mantissas at the indicator's decimals, as the
 *  roll-up holds them; 0 when absent), reporting[] (leaves that reported; a ratio: every part) and
 *  present[] (bit 0 the monthly value exists, bit 1 the year-to-date value; bits 2-3 the monthly value's
 *  qualifier bits and 4-5 the year-to-date's, 1 a lower-bound part, 2 an approximate part); expected[0..11]
 *  the leaves under the region each month (0 when it did not exist). A ratio's numerator and denominator are
 *  indicators of the catalogue, so their sums and qualifiers are among the entries.
 *  *count receives indicators × 12; when capacity is below it nothing is written and ZB_BUFFER_TOO_SMALL is
 *  returned with *count set. Returns ZB_STATE (no current roll-up), ZB_NOT_FOUND (unknown region, or no
 *  roll-up for the year). */
ZB_API zb_status zb_model_export_partial(zb_model model, const char* region, int32_t year, size_t capacity,
                                         int64_t* monthly, int64_t* ytd, int32_t* reporting, uint8_t* present,
                                         int32_t* expected, size_t* count);
/** Loads a partial — the arrays of zb_model_export_partial, `n` entries each (expected: 12), exported from a
 *  model whose indicator codes `indicators` lists in id order, one per line — as a leaf of this model
 *  whose roll-up is the partial's own: monthly, year-to-date, reporting and expected are copied, not
 *  computed from the region's observations (those stay as a reported total), and ratios are recomputed
 *  from their parts. The region must exist here exactly in the months it has expected > 0, as a leaf.
 *  Replaces an earlier partial of the same region and year; all or nothing; the roll-up is then no longer
 *  current. Returns ZB_NOT_FOUND (unknown region), ZB_INVALID_ARGUMENT (another catalogue, arrays of the
 *  wrong size or that no roll-up can hold — reporting above expected, a flow whose year-to-date is not the
 *  sum of its months, a value where present says none —, a region with children here or existing in other
 *  months), ZB_STATE (no indicators or regions), ZB_LIMIT (a new year past the grid limit). */
ZB_API zb_status zb_model_load_partial(zb_model model, const char* region, int32_t year, const char* indicators, size_t n,
                                       const int64_t* monthly, const int64_t* ytd, const int32_t* reporting,
                                       const uint8_t* present, const int32_t* expected);
/** Where a value came from, as text in *out (free with zb_free). Returns ZB_NOT_FOUND, ZB_PARSE, ZB_STATE. */
ZB_API zb_status zb_model_explain(zb_model model, const char* region, const char* period, const char* indicator, char** out);
/** The whole roll-up CSV (region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier) in *out (free with
 *  zb_free). Returns ZB_STATE (no current roll-up). */
ZB_API zb_status zb_model_rollup_csv(zb_model model, char** out);
/** Writes the roll-up CSV to a file. Returns ZB_IO (cannot write), ZB_STATE. */
ZB_API zb_status zb_model_write_rollup(zb_model model, const char* path);

/* ---- checks -------------------------------------------------------------------------------- */

/** Evaluates targets, rules and built-in checks as of `as_of` (a month, or NULL for the last month with
 *  data); include_passes != 0 also lists passed rules. *out receives a findings handle that the caller
 *  destroys with zb_findings_destroy. Returns ZB_PARSE (as_of), ZB_STATE (no current roll-up or no data). */
ZB_API zb_status zb_model_check(zb_model model, const char* as_of, int32_t include_passes, zb_findings* out);
/** Number of findings. Returns ZB_OK. */
ZB_API zb_status zb_findings_count(zb_findings findings, size_t* count);
/** Finding `index` into *out; its strings belong to the findings handle. Returns ZB_INVALID_ARGUMENT
 *  for an index out of range. */
ZB_API zb_status zb_findings_get(zb_findings findings, size_t index, zb_finding* out);
/** Destroys *findings and sets it to NULL; NULL is a no-op. */
ZB_API void zb_findings_destroy(zb_findings* findings);

/* ---- reports ------------------------------------------------------------------------------- */

/** Renders a report template for a region and period (the placeholders of README "Report templates":
 *  values, {code:status} and {code:allocation} from the loaded targets, conditions); *out receives the text
 *  and *warnings (may be NULL) the list of missing values, one per line (both freed with zb_free). Returns ZB_PARSE (a bad
 *  placeholder, located), ZB_LOAD (text that is not UTF-8), ZB_NOT_FOUND, ZB_STATE, ZB_OVERFLOW. */
ZB_API zb_status zb_model_report(zb_model model, const char* template_text, size_t length, const char* region,
                                 const char* period, char** out, char** warnings);

/* ---- the 报表 (table) ------------------------------------------------------------------------- */

/** The 报表 of `region` for `period` (a month or 1-M月: the sheet covers 1-M月 of that year) as CSV text in *out
 *  (free with zb_free): per sheet one header line per level of the merged header (indicator groups, then
 *  本月 / 1-M月累计 / 截至M月底 / 同比… / 年度目标 / 完成率 / 序时进度 / 完成情况 / 报送), then a row per child region
 *  in code order, the region itself as 合计 and the loaded scopes within it; numbers are exact text at their
 *  decimals and a missing value is an empty field (never 0). `indicators` is a comma-separated list of codes
 *  (NULL or "": the whole catalogue); `level` (NULL: none) gives one sheet per region of that level below
 *  `region`, sheets separated by one empty line. With keys != 0 each sheet starts with a line of machine keys
 *  (`code`, `name`, `<indicator>:monthly|cumulative|yoy|target|completion|progress|status|coverage`, `notes`).
 *  Target columns come from the targets loaded with zb_model_load_targets (evaluated as of the sheet's month).
 *  ZB_NOT_FOUND for an unknown region or indicator, ZB_INVALID_ARGUMENT for a quarter or an unknown level.
 *  A query: may run from several threads at once. */
ZB_API zb_status zb_model_table_csv(zb_model model, const char* region, const char* period, const char* indicators,
                                    const char* level, int32_t keys, char** out);
/** Writes the same 报表 to `path`: `format` "xlsx" (a workbook, one sheet per parent plus its 问题清单 sheet of
 *  findings from the loaded targets and rules) or "csv" (as zb_model_table_csv without keys); NULL chooses by
 *  the path (".csv" → csv, else xlsx). ZB_IO when the file cannot be written. A query, as zb_model_table_csv. */
ZB_API zb_status zb_model_write_table(zb_model model, const char* region, const char* period, const char* indicators,
                                      const char* level, const char* format, const char* path);

/* ---- charts and the HTML report ------------------------------------------------------------- */

/** One chart as SVG text in *svg (free with zb_free). `kind` is "progress" (the floor target's 1-M月 value by
 *  month against 序时进度 and the target), "cap" (the value by month against its cap, breaches marked), "peers"
 *  (完成率 of the region's children ranked; a region without children is highlighted among its siblings) or
 *  "yoy" (同比 by month; `region` may also be a scope), for `indicator` as of the last month of `period`, from
 *  the targets loaded with zb_model_load_targets. ZB_NOT_FOUND for an unknown region or indicator or a missing
 *  target, ZB_INVALID_ARGUMENT for an unknown kind. A query: may run from several threads at once. */
ZB_API zb_status zb_model_chart(zb_model model, const char* kind, const char* region, const char* period, const char* indicator,
                                char** svg);
/** The one-page HTML report (`zhibiao report --format html`) in *html: the template rendered as zb_model_report
 *  does (escaped), the progress, cap, peers and 同比 charts, the region's 报表 for 1-M月 of the indicators with a
 *  target at the region or below, and its 问题清单 from the loaded targets and rules; inline CSS and SVG, nothing
 *  fetched. *warnings (may be NULL) as for zb_model_report; both freed with zb_free. Errors as zb_model_report,
 *  and ZB_INVALID_ARGUMENT for a quarter or half-year. A query, as zb_model_chart. */
ZB_API zb_status zb_model_report_html(zb_model model, const char* template_text, size_t length, const char* region,
                                      const char* period, char** html, char** warnings);

/* ---- rule tests ---------------------------------------------------------------------------- */

/** Runs every case folder of `cases_dir` against the model folder `model_dir` (regions.csv, indicators.csv,
 *  optional scopes.csv, targets.csv, rules.txt; observations.csv is not used) — what `zhibiao test` does;
 *  see README "Unit-testing your rules and targets" for the case files. *passed and *failed receive the
 *  number of passing and failing cases, *report (free with zb_free) exactly the text `zhibiao test` prints
 *  (`PASS name` or `FAIL name` with the indented diff, then `N passed, N failed`). A failing case is not an
 *  error (ZB_OK); a malformed model or case file is ZB_LOAD (or ZB_PARSE, ZB_RULE, ZB_IO, ...) with
 *  zb_last_error_location naming file, line and column, and then *report is NULL. Needs no model handle;
 *  may be called from several threads at once. */
ZB_API zb_status zb_test_run(const char* model_dir, const char* cases_dir, int32_t* passed, int32_t* failed, char** report);
/** Runs one case folder against the model folder: *passed receives 1 or 0 and *diff (free with zb_free) the
 *  diff of a failing case (lines `- expected: …`, `  actual findings: …`, `+ unexpected: …`; "" when it
 *  passed). Returns, and may be called from threads, as zb_test_run. */
ZB_API zb_status zb_test_run_case(const char* model_dir, const char* case_dir, int32_t* passed, char** diff);

#ifdef __cplusplus
}
#endif

#endif /* ZHIBIAO_H */
