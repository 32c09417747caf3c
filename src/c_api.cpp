// The C ABI: every export translates arguments, calls the C++ engine inside a catch-all guard, and
// reports failures through a thread-local last error. No rule is implemented here.
#include <zhibiao/date.hpp>
#include <zhibiao/zhibiao.h>

#include <zhibiao/chart.hpp>
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>
#include <zhibiao/html.hpp>
#include <zhibiao/import.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>
#include <zhibiao/table.hpp>
#include <zhibiao/testing.hpp>
#include <zhibiao/version.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

struct zb_model_s {
  zhibiao::model m;
  std::vector<zhibiao::target> targets;
  std::optional<zhibiao::rule_set> rules;
  zhibiao::import::revision_log revisions;  // every value zb_model_revise replaced or cleared, in order
  mutable std::shared_mutex mu;
};

struct zb_findings_s {
  // One finding's texts, owned here so the zb_finding pointers stay valid until the handle is destroyed.
  struct row {
    std::string check, subject, region, region_name, period, severity, status, message;
    std::optional<std::string> actual, expected, completion, progress, projected;
  };
  std::vector<row> rows;
};

namespace {

using namespace zhibiao;

struct last_error {
  std::string message;
  zb_status code = ZB_OK;
  std::string file;
  bool has_file = false;
  std::size_t line = 0, column = 0;
};

thread_local last_error t_error;

void set_error(zb_status code, const char* message, const location* at = nullptr) noexcept {
  try {
    t_error.code = code;
    t_error.message = message;
    t_error.has_file = at != nullptr;
    t_error.file = at ? at->file : std::string();
    t_error.line = at ? at->line : 0;
    t_error.column = at ? at->column : 0;
  } catch (...) {
    t_error.code = code;
  }
}

// A caller array too small for the answer; the needed size was already written.
struct buffer_too_small : error {
  explicit buffer_too_small(const std::string& m) : error(errc::invalid_argument, m) {}
};

template <class F>
zb_status guard(F&& f) noexcept {
  try {
    f();
    return ZB_OK;
  } catch (const buffer_too_small& e) {
    set_error(ZB_BUFFER_TOO_SMALL, e.what());
  } catch (const load_error& e) {
    set_error(static_cast<zb_status>(e.code()), e.what(), &e.where());
  } catch (const error& e) {
    set_error(static_cast<zb_status>(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    set_error(ZB_LIMIT, "out of memory");
  } catch (const std::exception& e) {
    set_error(ZB_INTERNAL, e.what());
  } catch (...) {
    set_error(ZB_INTERNAL, "unknown error");
  }
  return t_error.code;
}


template <class T>
T* need(T* p, const char* name) {
  if (!p) throw error(errc::invalid_argument, std::string("argument '") + name + "' is NULL");
  return p;
}

std::string_view text_arg(const char* text, std::size_t length, const char* name) {
  need(text, name);
  return std::string_view(text, length);
}

std::string name_or(const char* name, const char* fallback) { return name ? std::string(name) : std::string(fallback); }

char* dup(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size() + 1);
  return p;
}

void write_text(const std::string& s, char* buf, std::size_t cap, std::size_t* len) {
  if (len) *len = s.size();
  if (buf && cap) {
    std::size_t n = s.size() < cap - 1 ? s.size() : cap - 1;
    std::memcpy(buf, s.data(), n);
    buf[n] = '\0';
  }
}

// Resolves a region or scope code to a value for a period.
aggregate value_of(const zb_model_s& h, const char* region, const period& p, indicator_id i) {
  return h.m.value(h.m.require_place(need(region, "region")), p, i);
}

void fill(zb_value* out, const aggregate& a, int scale) {
  out->has_value = a.value ? 1 : 0;
  out->scale = scale;
  out->scaled = 0;
  out->reporting = a.reporting;
  out->expected = a.expected;
  out->qualifier = static_cast<int32_t>(a.qualifier);
  out->carried = a.carried;
  if (a.value) {
    auto s = a.value->to_scaled_int64(scale);
    if (!s) throw overflow_error("the value does not fit a scaled 64-bit integer; use its text");
    out->scaled = *s;
  }
}

template <class F>
zb_status with_model_exclusive(zb_model model, F&& f) noexcept {
  return guard([&] {
    need(model, "model");
    std::unique_lock lock(model->mu);
    f(*model);
  });
}

template <class F>
zb_status with_model_shared(zb_model model, F&& f) noexcept {
  return guard([&] {
    need(model, "model");
    std::shared_lock lock(model->mu);
    f(*model);
  });
}

// A 报表 request as the C caller gave it: region, period, indicator list and level.
struct table_request {
  region_id region;
  period when;
  table_options opt;
};

table_request table_args(const zb_model_s& h, const char* region, const char* period_text, const char* indicators,
                         const char* level_text) {
  table_request q{h.m.regions().require(need(region, "region")), table_period(period::parse(need(period_text, "period"))), {}};
  if (indicators && *indicators) q.opt.indicators = parse_indicator_list(h.m.indicators(), indicators);
  if (level_text) {
    q.opt.level = parse_level(level_text);
    if (!q.opt.level) throw error(errc::invalid_argument, std::string("unknown level '") + level_text + "'");
  }
  return q;
}

// A rendered report to the caller: the text in *out and, when asked for, the warnings one per line; all or
// nothing, so a failed allocation leaves no half-returned strings.
void hand_out_report(const report_result& res, char** out, char** warnings) {
  std::string w;
  for (const std::string& line : res.warnings) w += line + "\n";
  char* text = dup(res.text);
  if (warnings) {
    try {
      *warnings = dup(w);
    } catch (...) {
      std::free(text);
      throw;
    }
  }
  *out = text;
}

// The text and the HTML report take the same arguments: a template, a region and a period.
template <class Render>
zb_status render_call(zb_model model, const char* template_text, size_t length, const char* region, const char* period_text,
                      char** out, char** warnings, const char* out_name, Render&& render) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(out, out_name);
    *out = nullptr;
    if (warnings) *warnings = nullptr;
    std::string_view t = text_arg(template_text, length, "template_text");
    region_id r = h.m.regions().require(need(region, "region"));
    period p = period::parse(need(period_text, "period"));
    hand_out_report(render(h, t, r, p), out, warnings);
  });
}

}  // namespace

extern "C" {

const char* zb_version(void) { return ZHIBIAO_VERSION_STRING; }
int32_t zb_abi_version(void) { return ZB_ABI_VERSION; }
const char* zb_last_error(void) { return t_error.message.c_str(); }
zb_status zb_last_error_code(void) { return t_error.code; }
void zb_last_error_location(const char** file, size_t* line, size_t* column) {
  if (file) *file = t_error.has_file ? t_error.file.c_str() : nullptr;
  if (line) *line = t_error.line;
  if (column) *column = t_error.column;
}
void zb_free(void* p) { std::free(p); }

zb_status zb_period_parse(const char* text, int32_t* year, int32_t* first_month, int32_t* last_month) {
  return guard([&] {
    const period p = period::parse(need(text, "text"));
    if (p.crosses_years())
      throw error(errc::invalid_argument, p.code() + " spans more than one year: read it with zb_period_parse_span");
    if (year) *year = p.year();
    if (first_month) *first_month = p.first_month();
    if (last_month) *last_month = p.last_month();
  });
}

zb_status zb_period_parse_span(const char* text, int32_t* first_year, int32_t* first_month, int32_t* last_year,
                               int32_t* last_month) {
  return guard([&] {
    const period p = period::parse(need(text, "text"));
    if (first_year) *first_year = p.first_year();
    if (first_month) *first_month = p.first_month();
    if (last_year) *last_year = p.year();
    if (last_month) *last_month = p.last_month();
  });
}

zb_status zb_model_create(zb_model* out) {
  return guard([&] {
    need(out, "out");
    *out = new zb_model_s();
  });
}

void zb_model_destroy(zb_model* model) {
  if (!model || !*model) return;
  delete *model;
  *model = nullptr;
}

zb_status zb_model_load_regions(zb_model model, const char* path) {
  return with_model_exclusive(model, [&](zb_model_s& h) { h.m.load_regions(need(path, "path")); });
}
zb_status zb_model_load_regions_text(zb_model model, const char* text, size_t length, const char* name) {
  return with_model_exclusive(model, [&](zb_model_s& h) { h.m.load_regions_text(text_arg(text, length, "text"), name_or(name, "<regions>")); });
}
zb_status zb_model_load_indicators(zb_model model, const char* path) {
  return with_model_exclusive(model, [&](zb_model_s& h) { h.m.load_indicators(need(path, "path")); });
}
zb_status zb_model_load_indicators_text(zb_model model, const char* text, size_t length, const char* name) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    h.m.load_indicators_text(text_arg(text, length, "text"), name_or(name, "<indicators>"));
  });
}
zb_status zb_model_load_scopes(zb_model model, const char* path) {
  return with_model_exclusive(model, [&](zb_model_s& h) { h.m.load_scopes(need(path, "path")); });
}
zb_status zb_model_load_scopes_text(zb_model model, const char* text, size_t length, const char* name) {
  return with_model_exclusive(model, [&](zb_model_s& h) { h.m.load_scopes_text(text_arg(text, length, "text"), name_or(name, "<scopes>")); });
}
zb_status zb_model_load_observations(zb_model model, const char* path) {
  return with_model_exclusive(model, [&](zb_model_s& h) { import::load_file(h.m, need(path, "path")); });
}
zb_status zb_model_load_observations_text(zb_model model, const char* text, size_t length, const char* name) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    h.m.load_observations_text(text_arg(text, length, "text"), name_or(name, "<observations>"));
  });
}
zb_status zb_model_load_workbook(zb_model model, const char* path, const char* map_path, const char* sheet, const char* under,
                                 const char* period) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    const import::options opt{name_or(map_path, ""), name_or(sheet, ""), name_or(under, ""), name_or(period, "")};
    import::load(h.m, import::read(h.m, need(path, "path"), opt), {}, opt);
  });
}
zb_status zb_model_revise(zb_model model, const char* path, const char* map_path, const char* sheet, const char* under,
                          const char* period, const char* log_path, size_t* changed) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    const import::options opt{name_or(map_path, ""), name_or(sheet, ""), name_or(under, ""), name_or(period, "")};
    const std::string p = need(path, "path");
    import::table t = map_path ? import::read(h.m, p, opt) : import::read_observations(h.m, p, opt);
    import::revision_log log = import::revise(h.m, t);
    if (log_path) log.append_to(log_path);
    if (changed) *changed = log.entries.size();
    h.revisions.entries.insert(h.revisions.entries.end(), log.entries.begin(), log.entries.end());
  });
}
zb_status zb_model_revisions_csv(zb_model model, char** out) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(out, "out");
    *out = nullptr;
    *out = dup(h.revisions.csv());
  });
}
zb_status zb_model_load_targets(zb_model model, const char* path) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    std::string p = need(path, "path");
    auto t = parse_targets(csv::read_file(p), p, h.m);
    h.targets = std::move(t);
  });
}
zb_status zb_model_load_targets_text(zb_model model, const char* text, size_t length, const char* name) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    auto t = parse_targets(text_arg(text, length, "text"), name_or(name, "<targets>"), h.m);
    h.targets = std::move(t);
  });
}
zb_status zb_model_load_rules(zb_model model, const char* path) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    std::string p = need(path, "path");
    h.rules = rule_set::parse(csv::read_file(p), p, h.m.indicators());
  });
}
zb_status zb_model_load_rules_text(zb_model model, const char* text, size_t length, const char* name) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    h.rules = rule_set::parse(text_arg(text, length, "text"), name_or(name, "<rules>"), h.m.indicators());
  });
}

zb_status zb_model_region_id(zb_model model, const char* code, int32_t* id) {
  return with_model_shared(model, [&](zb_model_s& h) { *need(id, "id") = h.m.regions().require(need(code, "code")); });
}
zb_status zb_model_indicator_id(zb_model model, const char* code, int32_t* id) {
  return with_model_shared(model, [&](zb_model_s& h) { *need(id, "id") = h.m.indicators().require(need(code, "code")); });
}
zb_status zb_model_size(zb_model model, size_t* regions, size_t* indicators) {
  return with_model_shared(model, [&](zb_model_s& h) {
    if (regions) *regions = h.m.regions().size();
    if (indicators) *indicators = h.m.indicators().size();
  });
}
zb_status zb_model_region_code(zb_model model, int32_t id, char* buffer, size_t capacity, size_t* length) {
  return with_model_shared(model, [&](zb_model_s& h) {
    if (id < 0 || static_cast<std::size_t>(id) >= h.m.regions().size()) throw error(errc::invalid_argument, "region id out of range");
    write_text(h.m.regions()[id].code, buffer, capacity, length);
  });
}

zb_status zb_model_set_values(zb_model model, size_t n, const int32_t* region_ids, const int32_t* indicator_ids,
                              const int32_t* years, const int32_t* months, const int64_t* scaled, int32_t scale) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    if (n == 0) return;
    need(region_ids, "region_ids");
    need(indicator_ids, "indicator_ids");
    need(years, "years");
    need(months, "months");
    need(scaled, "scaled");
    if (scale < 0 || scale > 18) throw error(errc::invalid_argument, "scale must be within 0..18");
    // The model validates every value, all or nothing; only the arrays' shape is checked here.
    std::vector<zhibiao::model::value_update> updates;
    updates.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      try {
        updates.push_back({region_ids[k], period::month(years[k], months[k]), indicator_ids[k], decimal::from_scaled(scaled[k], scale)});
      } catch (const error& e) {
        throw error(e.code(), "value " + std::to_string(k) + ": " + e.what());
      }
    }
    h.m.set_values(updates);  // all or nothing, even when a sum overflows half-way
  });
}

zb_status zb_model_indicator(zb_model model, int32_t id, char* buffer, size_t capacity, size_t* length, int32_t* kind,
                             int32_t* decimals) {
  return with_model_shared(model, [&](zb_model_s& h) {
    if (id < 0 || static_cast<std::size_t>(id) >= h.m.indicators().size()) throw error(errc::invalid_argument, "indicator id out of range");
    const indicator& ind = h.m.indicators()[id];
    write_text(ind.code, buffer, capacity, length);
    if (kind) *kind = static_cast<int32_t>(ind.kind);
    if (decimals) *decimals = ind.decimals;
  });
}

zb_status zb_model_indicator_unit(zb_model model, int32_t id, char* buffer, size_t capacity, size_t* length) {
  return with_model_shared(model, [&](zb_model_s& h) {
    if (id < 0 || static_cast<std::size_t>(id) >= h.m.indicators().size()) throw error(errc::invalid_argument, "indicator id out of range");
    write_text(std::string(h.m.indicators()[id].unit.symbol), buffer, capacity, length);
  });
}

zb_status zb_model_years(zb_model model, size_t capacity, int32_t* years, size_t* count) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(count, "count");
    const std::vector<int> ys = h.m.years();
    *count = ys.size();
    if (capacity < ys.size())
      throw buffer_too_small("capacity " + std::to_string(capacity) + " is below the " + std::to_string(ys.size()) + " years");
    if (ys.empty()) return;
    need(years, "years");
    for (std::size_t k = 0; k < ys.size(); ++k) years[k] = ys[k];
  });
}

zb_status zb_model_regions_at(zb_model model, int32_t year, int32_t month, size_t capacity, int32_t* levels, int32_t* parents,
                              size_t* count) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(count, "count");
    if (month < 1 || month > 12) throw error(errc::invalid_argument, "month must be 1..12");
    if (year < period::min_year || year > period::max_year) throw error(errc::invalid_argument, "year out of range");
    const hierarchy& rs = h.m.regions();
    *count = rs.size();
    if (capacity < rs.size())
      throw buffer_too_small("capacity " + std::to_string(capacity) + " is below the " + std::to_string(rs.size()) + " regions");
    const int s = period::month(year, month).serial();
    for (std::size_t r = 0; r < rs.size(); ++r) {
      const region_version* v = rs[static_cast<region_id>(r)].at(s);
      if (levels) levels[r] = v ? static_cast<int32_t>(v->level) : -1;
      if (parents) parents[r] = v ? v->parent : -1;
    }
  });
}

namespace {
// Which observations.csv column a refused value is about, for callers that name it (a data frame's column).
int32_t field_of(const zhibiao::model& m, const zhibiao::model::value_update& u, const error& e) {
  if (e.code() == errc::overflow) return 3;
  if (u.region < 0 || static_cast<std::size_t>(u.region) >= m.regions().size()) return 0;
  if (u.indicator < 0 || static_cast<std::size_t>(u.indicator) >= m.indicators().size()) return 2;
  if (m.indicators()[u.indicator].kind == indicator_kind::ratio) return 2;
  if (!m.regions()[u.region].at(u.when.serial())) return 0;
  if (u.when.kind() != period_kind::month && u.when.kind() != period_kind::year_to_date && u.when.kind() != period_kind::year &&
      u.when.kind() != period_kind::as_of)
    return 1;
  return 3;
}
}  // namespace

zb_status zb_model_load_values(zb_model model, size_t n, const int32_t* region_ids, const int32_t* indicator_ids,
                               const char* const* periods, const int64_t* scaled, int32_t scale, const int32_t* qualifiers,
                               size_t* failed_index, int32_t* failed_field) {
  if (failed_index) *failed_index = n;
  if (failed_field) *failed_field = -1;
  auto fail_at = [&](std::size_t k, int32_t field) {
    if (failed_index) *failed_index = k;
    if (failed_field) *failed_field = field;
  };
  return with_model_exclusive(model, [&](zb_model_s& h) {
    if (n == 0) return;
    need(region_ids, "region_ids");
    need(indicator_ids, "indicator_ids");
    need(periods, "periods");
    need(scaled, "scaled");
    if (scale < 0 || scale > 18) throw error(errc::invalid_argument, "scale must be within 0..18");
    const zhibiao::model& m = h.m;
    std::vector<zhibiao::model::value_update> updates;
    updates.reserve(n);
    // (region, indicator, month serial) of every value so far, for the loader's one-value-per-month rule.
    std::unordered_map<std::uint64_t, std::size_t> seen;
    seen.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      const region_id r = region_ids[k];
      const indicator_id i = indicator_ids[k];
      if (r < 0 || static_cast<std::size_t>(r) >= m.regions().size()) {
        fail_at(k, 0);
        throw error(errc::invalid_argument, "value " + std::to_string(k) + ": region id out of range");
      }
      if (i < 0 || static_cast<std::size_t>(i) >= m.indicators().size()) {
        fail_at(k, 2);
        throw error(errc::invalid_argument, "value " + std::to_string(k) + ": indicator id out of range");
      }
      if (!periods[k]) {
        fail_at(k, 1);
        throw error(errc::invalid_argument, "value " + std::to_string(k) + ": period is NULL");
      }
      std::optional<period> p;
      try {
        p = period::parse(periods[k]);
      } catch (const error&) {
        fail_at(k, 1);
        throw;
      }
      qualifier q = qualifier::none;
      if (qualifiers) {
        if (qualifiers[k] < 0 || qualifiers[k] > 2) {
          fail_at(k, 4);
          throw error(errc::invalid_argument, "value " + std::to_string(k) + ": qualifier must be 0, 1 or 2");
        }
        q = static_cast<qualifier>(qualifiers[k]);
      }
      const std::uint64_t key = (static_cast<std::uint64_t>(r) * m.indicators().size() + static_cast<std::uint64_t>(i)) * 4096u +
                                static_cast<std::uint64_t>(p->year() * 12 + p->last_month() - 1 - period::min_year * 12);
      const auto [it, fresh] = seen.emplace(key, k);
      const period month = period::month(p->year(), p->last_month());
      if (!fresh || m.reported(r, month, i)) {
        fail_at(k, 1);
        const std::string what = "(" + m.regions()[r].code + ", " + month.code() + ", " + m.indicators()[i].code + ")";
        throw error(errc::load, fresh ? "duplicate: " + what + " was already loaded"
                                      : "duplicate: " + what + " is given by values " + std::to_string(it->second) + " and " +
                                            std::to_string(k));
      }
      updates.push_back({r, *p, i, decimal::from_scaled(scaled[k], scale), q});
    }
    try {
      h.m.set_values(updates);  // the model's rules; all or nothing
    } catch (const error& e) {
      if (failed_index || failed_field) {
        // The batch applies its values in order, so the first value a copy refuses one at a time is the
        // one the batch failed at. Only the failure path pays for the copy.
        zhibiao::model probe = h.m;
        for (std::size_t k = 0; k < n; ++k) {
          try {
            probe.set_values({updates[k]});
          } catch (const error&) {
            fail_at(k, field_of(m, updates[k], e));
            break;
          }
        }
      }
      throw;
    }
  });
}

zb_status zb_model_set_value(zb_model model, const char* region, const char* period_text, const char* indicator, const char* value) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    region_id r = h.m.regions().require(need(region, "region"));
    period p = period::parse(need(period_text, "period"));
    indicator_id i = h.m.indicators().require(need(indicator, "indicator"));
    const char* text = need(value, "value");
    h.m.set_value(r, p, i, h.m.indicators()[i].is_date() ? decimal(parse_date(text), 0) : decimal::parse(text));
  });
}

zb_status zb_model_clear_value(zb_model model, const char* region, const char* period_text, const char* indicator) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    region_id r = h.m.regions().require(need(region, "region"));
    period p = period::parse(need(period_text, "period"));
    indicator_id i = h.m.indicators().require(need(indicator, "indicator"));
    h.m.clear_value(r, p, i);
  });
}

zb_status zb_model_rollup(zb_model model) {
  return with_model_exclusive(model, [&](zb_model_s& h) { h.m.rollup(); });
}

zb_status zb_model_value(zb_model model, const char* region, const char* period_text, const char* indicator, zb_value* out,
                         char* text, size_t capacity, size_t* length) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(out, "out");
    period p = period::parse(need(period_text, "period"));
    indicator_id i = h.m.indicators().require(need(indicator, "indicator"));
    aggregate a = value_of(h, region, p, i);
    write_text(a.value ? value_text(h.m.indicators()[i], *a.value) : std::string(), text, capacity, length);
    fill(out, a, h.m.indicators()[i].decimals);
  });
}

zb_status zb_model_slice(zb_model model, const char* level_name, const char* indicator, const char* period_text, size_t capacity,
                         int32_t* region_ids, zb_value* values, size_t* count) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(count, "count");
    auto lv = parse_level(need(level_name, "level"));
    if (!lv) throw error(errc::invalid_argument, std::string("unknown level '") + level_name + "'");
    period p = period::parse(need(period_text, "period"));
    indicator_id i = h.m.indicators().require(need(indicator, "indicator"));
    std::vector<region_id> rs;
    for (std::size_t r = 0; r < h.m.regions().size(); ++r) {
      const region_version* v = h.m.regions()[static_cast<region_id>(r)].at(p.serial());
      if (v && v->level == *lv) rs.push_back(static_cast<region_id>(r));
    }
    *count = rs.size();
    if (capacity < rs.size()) {
      throw buffer_too_small("capacity " + std::to_string(capacity) + " is below the " + std::to_string(rs.size()) +
                             " regions of the slice");
    }
    if (rs.empty()) return;
    need(values, "values");
    const int scale = h.m.indicators()[i].decimals;
    std::vector<zb_value> tmp(rs.size());
    for (std::size_t k = 0; k < rs.size(); ++k) fill(&tmp[k], h.m.value(rs[k], p, i), scale);
    std::memcpy(values, tmp.data(), tmp.size() * sizeof(zb_value));
    if (region_ids) std::memcpy(region_ids, rs.data(), rs.size() * sizeof(int32_t));
  });
}

zb_status zb_model_rollup_month(zb_model model, const char* indicator, int32_t year, int32_t month, size_t capacity,
                                zb_value* monthly, zb_value* ytd, size_t* count) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(count, "count");
    if (month < 1 || month > 12) throw error(errc::invalid_argument, "month must be 1..12");
    if (year < period::min_year || year > period::max_year) throw error(errc::invalid_argument, "year out of range");
    const indicator_id i = h.m.indicators().require(need(indicator, "indicator"));
    const std::size_t n = h.m.regions().size();
    *count = n;
    if (capacity < n)
      throw buffer_too_small("capacity " + std::to_string(capacity) + " is below the " + std::to_string(n) + " regions");
    if (n == 0) return;
    need(monthly, "monthly");
    need(ytd, "ytd");
    const period m = period::month(year, month);
    const period to_date = period::parse(fmt::format("{:04}-01..{:04}-{:02}", year, year, month));
    const int scale = h.m.indicators()[i].decimals;
    std::vector<zb_value> a(n), b(n);  // written to the caller only when every value fits
    for (std::size_t r = 0; r < n; ++r) {
      const auto id = static_cast<region_id>(r);
      if (!h.m.regions()[id].at(m.serial())) continue;  // zero-initialised: no value, expected 0
      fill(&a[r], h.m.value(id, m, i), scale);
      fill(&b[r], h.m.value(id, to_date, i), scale);
    }
    std::memcpy(monthly, a.data(), n * sizeof(zb_value));
    std::memcpy(ytd, b.data(), n * sizeof(zb_value));
  });
}

zb_status zb_model_export_partial(zb_model model, const char* region, int32_t year, size_t capacity, int64_t* monthly,
                                  int64_t* ytd, int32_t* reporting, uint8_t* present, int32_t* expected, size_t* count) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(count, "count");
    const region_id r = h.m.regions().require(need(region, "region"));
    const std::size_t n = h.m.indicators().size() * 12;
    *count = n;
    if (capacity < n) throw buffer_too_small("capacity " + std::to_string(capacity) + " is below the " + std::to_string(n) +
                                             " entries (indicators × 12)");
    const partial p = h.m.export_partial(r, year);
    need(monthly, "monthly");
    need(ytd, "ytd");
    need(reporting, "reporting");
    need(present, "present");
    need(expected, "expected");
    std::memcpy(monthly, p.monthly.data(), n * sizeof(int64_t));
    std::memcpy(ytd, p.ytd.data(), n * sizeof(int64_t));
    std::memcpy(reporting, p.reporting.data(), n * sizeof(int32_t));
    std::memcpy(present, p.present.data(), n);
    std::memcpy(expected, p.expected.data(), sizeof p.expected);
  });
}

zb_status zb_model_load_partial(zb_model model, const char* region, int32_t year, const char* indicators, size_t n,
                                const int64_t* monthly, const int64_t* ytd, const int32_t* reporting, const uint8_t* present,
                                const int32_t* expected) {
  return with_model_exclusive(model, [&](zb_model_s& h) {
    partial p;
    p.region = need(region, "region");
    p.year = year;
    for (std::string_view rest = need(indicators, "indicators"); !rest.empty();) {
      const std::size_t nl = rest.find('\n');
      p.indicators.emplace_back(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
    if (n) {
      p.monthly.assign(need(monthly, "monthly"), monthly + n);
      p.ytd.assign(need(ytd, "ytd"), ytd + n);
      p.reporting.assign(need(reporting, "reporting"), reporting + n);
      p.present.assign(need(present, "present"), present + n);
    }
    std::memcpy(p.expected.data(), need(expected, "expected"), sizeof p.expected);
    h.m.load_partial(p);
  });
}

zb_status zb_model_explain(zb_model model, const char* region, const char* period_text, const char* indicator, char** out) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(out, "out");
    *out = nullptr;
    region_id r = h.m.regions().require(need(region, "region"));
    period p = period::parse(need(period_text, "period"));
    indicator_id i = h.m.indicators().require(need(indicator, "indicator"));
    *out = dup(h.m.explain_text(h.m.explain(r, p, i)));
  });
}

zb_status zb_model_rollup_csv(zb_model model, char** out) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(out, "out");
    *out = nullptr;
    *out = dup(h.m.csv());
  });
}

zb_status zb_model_write_rollup(zb_model model, const char* path) {
  return with_model_shared(model, [&](zb_model_s& h) {
    std::FILE* f = std::fopen(need(path, "path"), "wb");
    if (!f) throw error(errc::io, std::string("cannot write '") + path + "'");
    try {
      h.m.write_csv(f);
    } catch (...) {
      std::fclose(f);
      throw;
    }
    if (std::fclose(f) != 0) throw error(errc::io, std::string("cannot write '") + path + "'");
  });
}

zb_status zb_model_check(zb_model model, const char* as_of, int32_t include_passes, zb_findings* out) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(out, "out");
    *out = nullptr;
    check_options opt;
    if (as_of) opt.as_of = period::parse(as_of);
    opt.include_passes = include_passes != 0;
    auto fs = evaluate(h.m, h.targets, h.rules ? &*h.rules : nullptr, opt);
    auto res = std::make_unique<zb_findings_s>();
    res->rows.reserve(fs.size());
    auto text = [](const std::optional<decimal>& d) { return d ? std::optional<std::string>(d->to_string()) : std::nullopt; };
    for (const finding& f : fs)
      res->rows.push_back({f.check, f.subject, h.m.place_code(f.where()), h.m.place_name(f.where(), f.when),
                           f.when.code(), std::string(severity_name(f.level)), std::string(status_name(f.status)), f.message,
                           text(f.actual), text(f.expected), text(f.completion), text(f.progress), text(f.projected)});
    *out = res.release();
  });
}

zb_status zb_findings_count(zb_findings findings, size_t* count) {
  return guard([&] { *need(count, "count") = need(findings, "findings")->rows.size(); });
}

zb_status zb_findings_get(zb_findings findings, size_t index, zb_finding* out) {
  return guard([&] {
    need(findings, "findings");
    need(out, "out");
    if (index >= findings->rows.size()) throw error(errc::invalid_argument, "finding index out of range");
    const auto& r = findings->rows[index];
    auto ptr = [](const std::optional<std::string>& t) { return t ? t->c_str() : nullptr; };
    *out = zb_finding{r.check.c_str(),    r.subject.c_str(), r.region.c_str(), r.region_name.c_str(), r.period.c_str(),
                      r.severity.c_str(), r.status.c_str(),  ptr(r.actual),    ptr(r.expected),       r.message.c_str(),
                      ptr(r.completion),  ptr(r.progress),   ptr(r.projected)};
  });
}

void zb_findings_destroy(zb_findings* findings) {
  if (!findings || !*findings) return;
  delete *findings;
  *findings = nullptr;
}

zb_status zb_model_report(zb_model model, const char* template_text, size_t length, const char* region, const char* period_text,
                          char** out, char** warnings) {
  return render_call(model, template_text, length, region, period_text, out, warnings, "out",
                     [](zb_model_s& h, std::string_view t, region_id r, const period& p) {
                       return render_report(h.m, t, r, p, h.targets);
                     });
}

zb_status zb_model_table_csv(zb_model model, const char* region, const char* period_text, const char* indicators,
                             const char* level_text, int32_t keys, char** out) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(out, "out");
    *out = nullptr;
    table_request q = table_args(h, region, period_text, indicators, level_text);
    std::string text;
    bool first = true;
    build_tables(h.m, q.region, q.when, h.targets, h.rules ? &*h.rules : nullptr, q.opt, [&](table_sheet&& s) {
      text += (first ? "" : "\n") + table_csv(s, keys != 0);
      first = false;
    });
    *out = dup(text);
  });
}

zb_status zb_model_write_table(zb_model model, const char* region, const char* period_text, const char* indicators,
                               const char* level_text, const char* format, const char* path) {
  return with_model_shared(model, [&](zb_model_s& h) {
    std::string file = need(path, "path");
    std::string fmt_name = format ? format : file.ends_with(".csv") ? "csv" : "xlsx";
    if (fmt_name != "csv" && fmt_name != "xlsx") throw error(errc::invalid_argument, "unknown format '" + fmt_name + "' (xlsx or csv)");
    table_request q = table_args(h, region, period_text, indicators, level_text);
    const rule_set* rules = h.rules ? &*h.rules : nullptr;
    write_tables(h.m, q.region, q.when, h.targets, rules, q.opt, fmt_name == "xlsx" ? table_format::xlsx : table_format::csv, file);
  });
}

zb_status zb_model_chart(zb_model model, const char* kind, const char* region, const char* period_text, const char* indicator,
                         char** svg) {
  return with_model_shared(model, [&](zb_model_s& h) {
    need(svg, "svg");
    *svg = nullptr;
    std::optional<chart_kind> k = parse_chart_kind(need(kind, "kind"));
    if (!k) throw error(errc::invalid_argument, std::string("unknown chart kind '") + kind + "' (progress, cap, peers or yoy)");
    period p = period::parse(need(period_text, "period"));
    indicator_id i = h.m.indicators().require(need(indicator, "indicator"));
    const char* where = need(region, "region");
    *svg = dup(*k == chart_kind::yoy ? yoy_chart(h.m, h.m.require_place(where), p, i)
                                     : chart_svg(h.m, h.targets, *k, h.m.regions().require(where), p, i));
  });
}

zb_status zb_model_report_html(zb_model model, const char* template_text, size_t length, const char* region, const char* period_text,
                               char** html, char** warnings) {
  return render_call(model, template_text, length, region, period_text, html, warnings, "html",
                     [](zb_model_s& h, std::string_view t, region_id r, const period& p) {
                       html_report_options opt;
                       opt.rules = h.rules ? &*h.rules : nullptr;
                       return html_report(h.m, t, r, p, h.targets, opt);
                     });
}

zb_status zb_test_run(const char* model_dir, const char* cases_dir, int32_t* passed, int32_t* failed, char** report) {
  return guard([&] {
    need(report, "report");
    *report = nullptr;
    need(passed, "passed");
    need(failed, "failed");
    auto results = zhibiao::testing::run_cases(need(model_dir, "model_dir"), need(cases_dir, "cases_dir"));
    int32_t ok = 0;
    for (const auto& r : results) ok += r.passed ? 1 : 0;
    *report = dup(zhibiao::testing::report_text(results));
    *passed = ok;
    *failed = static_cast<int32_t>(results.size()) - ok;
  });
}

zb_status zb_test_run_case(const char* model_dir, const char* case_dir, int32_t* passed, char** diff) {
  return guard([&] {
    need(diff, "diff");
    *diff = nullptr;
    need(passed, "passed");
    auto result = zhibiao::testing::run_case(need(model_dir, "model_dir"), need(case_dir, "case_dir"));
    *diff = dup(result.diff);
    *passed = result.passed ? 1 : 0;
  });
}

}  // extern "C"
