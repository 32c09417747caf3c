// The 报表 builder: rows of regions, groups of columns per indicator, cells from the model's queries and
// target figures from the findings of one evaluation. Nothing here rounds a value or judges a target.
#include <zhibiao/csv.hpp>
#include <zhibiao/table.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace zhibiao {

std::string_view table_column_role_name(table_column_role r) noexcept {
  switch (r) {
    case table_column_role::code: return "code";
    case table_column_role::name: return "name";
    case table_column_role::monthly: return "monthly";
    case table_column_role::cumulative: return "cumulative";
    case table_column_role::yoy: return "yoy";
    case table_column_role::target: return "target";
    case table_column_role::completion: return "completion";
    case table_column_role::progress: return "progress";
    case table_column_role::status: return "status";
    case table_column_role::coverage: return "coverage";
    case table_column_role::notes: return "notes";
  }
  return "unknown";
}

period table_period(const period& p) {
  switch (p.kind()) {
    case period_kind::month:
    case period_kind::year_to_date:
    case period_kind::as_of:
    case period_kind::year: return period::year_to_date(p.year(), p.last_month());
    default:
      throw error(errc::invalid_argument, fmt::format("a 报表 is for a month or 1-M月 of a year (2021-07, 2021年1-7月), not '{}'",
                                                      p.label_zh()));
  }
}

std::size_t display_width(std::string_view s) noexcept {
  std::size_t w = 0;
  for (std::size_t k = 0; k < s.size();) {
    auto c = static_cast<unsigned char>(s[k]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    // Code points from U+1100 up (CJK, full-width punctuation such as （）“”) are drawn two columns wide.
    w += len >= 3 ? 2 : 1;
    k += len;
  }
  return w;
}

namespace {

constexpr std::size_t no_scope = static_cast<std::size_t>(-1);

// The words a bureau writes for a finding's status: a floor's from the shared vocabulary, the others' here.
std::string status_words(const finding& f) {
  if (std::string_view w = floor_words_zh(f.status); !w.empty())
    return f.status == status::met && !f.completion ? "达标" : std::string(w);  // a zero or no_decrease target met
  switch (f.status) {
    case status::within: return "达标";
    case status::breached: return "超标";
    case status::below: return "低于下限";
    case status::above: return "高于上限";
    case status::decreased: return "低于上年同期";
    case status::missing: return "无数据";
    case status::pass: return "成立";
    case status::fail: return "不成立";
    case status::division_by_zero: return "除数为0";
    case status::differs: return "与下级合计不符";
    case status::under_allocated: return "分解不足";
    case status::allocated: return "分解到位";
    case status::over_allocated: return "分解超出";
    case status::approximate: return "数据为约数或下限，无法判定";
    default: return std::string(status_name(f.status));
  }
}

// The check in words for the 问题清单; a rule keeps its own name.
std::string check_words(const finding& f) {
  switch (f.kind) {
    case check_kind::target: return "目标";
    case check_kind::allocation: return "目标分解";
    case check_kind::part_of: return "其中项不超过总数";
    case check_kind::parts: return "分项合计";
    case check_kind::share: return "比例范围";
    case check_kind::reconcile: return "上报合计核对";
    case check_kind::rule: return f.check;
  }
  return f.check;
}

bool failing(const finding& f) {
  switch (f.status) {
    case status::not_met:
    case status::behind:
    case status::breached:
    case status::below:
    case status::above:
    case status::decreased: return true;
    default: return false;
  }
}

// Target findings at the sheet's month by (region, indicator), and the other findings by sheet parent.
struct finding_index {
  std::unordered_map<std::uint64_t, const finding*> target_at, scope_target_at;
  std::unordered_map<region_id, std::vector<const finding*>> problems;
  std::size_t indicators = 0;
  const finding* target(region_id r, indicator_id i) const {
    auto it = target_at.find(static_cast<std::uint64_t>(r) * indicators + static_cast<std::uint64_t>(i));
    return it == target_at.end() ? nullptr : it->second;
  }
  const finding* scope_target(std::size_t s, indicator_id i) const {
    auto it = scope_target_at.find(static_cast<std::uint64_t>(s) * indicators + static_cast<std::uint64_t>(i));
    return it == scope_target_at.end() ? nullptr : it->second;
  }
};

finding_index index_findings(const model& m, const std::vector<finding>& fs, const period& ytd,
                             const std::vector<region_id>& parents) {
  finding_index ix;
  ix.indicators = m.indicators().size();
  const tree& t = m.regions().at(ytd.serial());
  std::vector<std::uint8_t> is_parent(m.regions().size(), 0);
  for (region_id p : parents) is_parent[static_cast<std::size_t>(p)] = 1;
  for (const finding& f : fs) {
    bool is_target = f.kind == check_kind::target;
    if (is_target && f.when.year() == ytd.year() && f.when.last_month() == ytd.last_month()) {
      indicator_id i = m.indicators().find(f.subject);
      if (i != npos && f.scope) ix.scope_target_at[static_cast<std::uint64_t>(*f.scope) * ix.indicators + static_cast<std::uint64_t>(i)] = &f;
      else if (i != npos) ix.target_at[static_cast<std::uint64_t>(f.region) * ix.indicators + static_cast<std::uint64_t>(i)] = &f;
    }
    // A passed or on-schedule target is already in the table; the 问题清单 lists what needs attention.
    if (is_target && f.level == severity::info) continue;
    // A scope's finding belongs to the sheet that shows the scope: the nearest parent at or above it.
    const region_id anchor = f.scope ? m.scopes()[*f.scope].include.front() : f.region;
    if (anchor < 0 || !t.valid[static_cast<std::size_t>(anchor)]) continue;
    for (region_id x = anchor; x != npos; x = t.parent[static_cast<std::size_t>(x)])
      if (is_parent[static_cast<std::size_t>(x)]) {
        ix.problems[x].push_back(&f);
        break;
      }
  }
  return ix;
}

// One row's figures for one indicator, before the columns are decided.
struct figures {
  aggregate monthly, cumulative;
  std::optional<comparison> yoy;  // comparison has no empty state
  const finding* target = nullptr;
  bool not_aggregated = false;  // a parameter over a scope: in force per region, never summed
};

figures figures_of(const model& m, const table_row& row, const period& ytd, indicator_id i, const finding_index& ix) {
  figures f;
  const period month = period::month(ytd.year(), ytd.last_month());
  if (row.scope != no_scope && m.indicators()[i].kind == indicator_kind::parameter) {
    f.yoy = comparison{{}, {}, ytd.same_period_last_year(), std::nullopt, std::nullopt, false};
    f.not_aggregated = true;
  } else if (row.scope != no_scope) {
    const place where{npos, row.scope};
    f.monthly = m.value(where, month, i);
    f.cumulative = m.value(where, ytd, i);
    f.yoy = m.year_on_year(where, ytd, i);
    f.target = ix.scope_target(row.scope, i);
  } else {
    f.monthly = m.value(row.region, month, i);
    f.cumulative = m.value(row.region, ytd, i);
    // A date has no 同比: its column is the day in force, without a comparison.
    f.yoy = m.indicators()[i].is_date() ? comparison{{}, {}, ytd.same_period_last_year(), std::nullopt, std::nullopt, false}
                                        : m.year_on_year(row.region, ytd, i);
    f.target = ix.target(row.region, i);
  }
  return f;
}

std::string total_name(const model& m, region_id parent, int serial) {
  const region_version* v = m.regions()[parent].at(serial);
  const std::string& name = m.regions().name(parent, serial);
  auto ends = [&](std::string_view tail) { return name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0; };
  if (!v) return "合计";
  switch (v->level) {
    case level::province: return "全省合计";
    case level::city: return "全市合计";
    case level::county: return ends("区") ? "全区合计" : ends("市") ? "全市合计" : "全县合计";
    default: return "合计";
  }
}

bool below_or_at(const tree& t, region_id r, region_id top) {
  for (region_id x = r; x != npos; x = t.parent[static_cast<std::size_t>(x)])
    if (x == top) return true;
  return false;
}

// Children in code order (or as regions.csv lists them), then the parent as 合计, then the scopes within it.
std::vector<table_row> sheet_rows(const model& m, region_id parent, int serial, bool declared_order) {
  const hierarchy& h = m.regions();
  const tree& t = h.at(serial);
  std::vector<region_id> kids(t.children.begin() + t.child_begin[static_cast<std::size_t>(parent)],
                              t.children.begin() + t.child_begin[static_cast<std::size_t>(parent) + 1]);
  // The tree keeps children in file order, which is the declared order.
  if (!declared_order) std::sort(kids.begin(), kids.end(), [&](region_id a, region_id b) { return h[a].code < h[b].code; });
  std::vector<table_row> rows;
  for (region_id k : kids) rows.push_back(table_row{table_row_role::child, k, no_scope, {}});
  rows.push_back(table_row{table_row_role::total, parent, no_scope, {}});
  for (std::size_t s = 0; s < m.scopes().size(); ++s) {
    const scope& sc = m.scopes()[s];
    bool inside = !sc.include.empty();
    for (region_id r : sc.include) inside = inside && t.valid[static_cast<std::size_t>(r)] && below_or_at(t, r, parent);
    if (inside) rows.push_back(table_row{table_row_role::scope, npos, s, {}});
  }
  return rows;
}

// The header of the cumulative column: 1-M月累计 for a flow, 截至M月底 for a stock or a ratio of stocks.
std::string cumulative_header(const catalogue& cat, const indicator& ind, int M) {
  auto stocks_only = [&](const std::vector<indicator_id>& terms) {
    return std::all_of(terms.begin(), terms.end(), [&](indicator_id t) { return cat[t].kind == indicator_kind::stock; });
  };
  std::string span = M == 1 ? "1月" : fmt::format("1-{}月", M);
  switch (ind.kind) {
    case indicator_kind::flow: return span + "累计";
    case indicator_kind::stock: return fmt::format("截至{}月底", M);
    case indicator_kind::ratio:
      return stocks_only(ind.numerator) && stocks_only(ind.denominator) ? fmt::format("截至{}月底", M) : span;
    case indicator_kind::parameter: return "现行标准";
  }
  return span;
}

// The columns of one indicator's group: what the kind shows, plus what any row's target or coverage needs.
std::vector<table_column> group_columns(const model& m, indicator_id i, int M, const std::vector<std::vector<figures>>& fig,
                                        std::size_t col) {
  const indicator& ind = m.indicators()[i];
  bool target = false, completion = false, progress = false, partial = false, base = false;
  for (const auto& row : fig) {
    const figures& f = row[col];
    base = base || (f.yoy && f.yoy->base.value);
    if (f.target) {
      target = true;
      completion = completion || f.target->completion;
      progress = progress || f.target->progress;
    }
    const aggregate& a = ind.kind == indicator_kind::ratio ? f.cumulative : f.monthly;
    partial = partial || a.reporting < a.expected;
  }
  std::string group = fmt::format("{}（{}）", ind.name, ind.unit.symbol);
  std::vector<table_column> out;
  auto add = [&](table_column_role r, std::string header, int decimals) { out.push_back({r, i, group, std::move(header), decimals}); };
  bool flowlike = ind.kind == indicator_kind::flow || ind.kind == indicator_kind::stock;
  if (flowlike) add(table_column_role::monthly, "本月", ind.decimals);
  add(table_column_role::cumulative, cumulative_header(m.indicators(), ind, M), ind.decimals);
  // Without any value a year earlier the column would be blanks with one note repeated down the sheet.
  if (base && ind.kind == indicator_kind::ratio) add(table_column_role::yoy, "同比（个百分点）", ind.decimals);
  else if (base && flowlike) add(table_column_role::yoy, "同比增长（%）", 1);
  if (target) add(table_column_role::target, "年度目标", ind.decimals);
  if (completion) add(table_column_role::completion, "完成率（%）", 1);
  if (progress) add(table_column_role::progress, "序时进度（%）", 1);
  if (target) add(table_column_role::status, "完成情况", 0);
  if (partial && ind.kind != indicator_kind::parameter) add(table_column_role::coverage, "报送", 0);
  return out;
}

table_cell number_cell(const std::optional<decimal>& v, int decimals, const char* why) {
  table_cell c;
  if (v) c.number = v->rescaled(std::max(decimals, v->scale()), rounding::exact);
  else c.note = why;
  return c;
}

table_cell yoy_cell(const indicator& ind, const comparison& y) {
  if (ind.kind == indicator_kind::ratio) return number_cell(y.change, ind.decimals, y.current.value ? "上年同期无数据" : "未报送");
  table_cell c = number_cell(y.growth, 1, !y.current.value ? "未报送" : !y.base.value ? "上年同期无数据" : "上年同期为0，不计算增长");
  return c;
}

table_cell figure_cell(const model& m, const table_column& col, const figures& f) {
  const indicator& ind = m.indicators()[col.indicator];
  const finding* t = f.target;
  switch (col.role) {
    case table_column_role::monthly: return number_cell(f.monthly.value, col.decimals, "未报送");
    case table_column_role::cumulative: {
      if (ind.is_date() && f.cumulative.value) return table_cell{{}, value_text(ind, *f.cumulative.value), {}, false};
      table_cell c = number_cell(f.cumulative.value, col.decimals, f.not_aggregated ? "参数不汇总" : "未报送");
      c.flagged = t && !t->completion && failing(*t);  // a cap or band broken: the value itself is marked
      return c;
    }
    case table_column_role::yoy: return yoy_cell(ind, *f.yoy);
    case table_column_role::target: return t ? number_cell(t->expected, col.decimals, "无目标") : table_cell{};
    case table_column_role::completion:
    case table_column_role::progress: {
      if (!t) return {};
      const auto& v = col.role == table_column_role::completion ? t->completion : t->progress;
      if (!v && t->status != status::missing) return {};  // 年末考核 has no 序时进度, a cap no 完成率: not applicable
      table_cell c = number_cell(v, 1, "无数据");
      c.flagged = col.role == table_column_role::completion && failing(*t);
      return c;
    }
    case table_column_role::status: {
      if (!t) return {};
      table_cell c;
      c.text = status_words(*t);
      c.flagged = failing(*t);
      return c;
    }
    case table_column_role::coverage: {
      const aggregate& a = ind.kind == indicator_kind::ratio ? f.cumulative : f.monthly;
      table_cell c;
      c.text = fmt::format("{}/{}", a.reporting, a.expected);
      return c;
    }
    default: return {};
  }
}

// The row's missing monthly values in words, for the 备注 column a printed sheet needs.
std::string row_notes(const model& m, const std::vector<table_column>& cols, const table_row& row, int M) {
  std::vector<std::string> names;
  std::size_t monthly = 0;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (cols[c].role != table_column_role::monthly) continue;
    ++monthly;
    if (row.cells[c].missing()) names.push_back(m.indicators()[cols[c].indicator].name);
  }
  if (names.empty()) return {};
  if (names.size() == monthly) return fmt::format("{}月未报送", M);
  return fmt::format("{}月未报送：{}", M, fmt::join(names, "、"));
}

table_sheet build_sheet(const model& m, region_id parent, const period& ytd, const finding_index& ix, const table_options& opt) {
  const int M = ytd.last_month(), serial = ytd.serial();
  const hierarchy& h = m.regions();
  if (!h[parent].at(serial)) throw error(errc::not_found, fmt::format("region '{}' does not exist in {}", h[parent].code, ytd.label_zh()));
  table_sheet s;
  s.parent = parent;
  s.parent_code = h[parent].code;
  s.when = ytd;
  s.sheet_name = h.name(parent, serial);
  s.title = fmt::format("{}{}{}主要指标完成情况表", s.sheet_name, ytd.label_zh(), opt.subject);
  s.unit_note = fmt::format("说明：单位见各栏标题；“本月”为{0}年{1}月当月数，“{2}累计”为年初至{1}月底累计，“截至{1}月底”为月末时点数；"
                            "同比为与上年同期相比的增长（%），比率指标为增减的百分点（上年同期无数据的指标不列同比）；完成率、序时进度和完成情况按年度目标计算；"
                            "空白单元格为未报送或无数据，不作0处理（见批注和备注栏）。",
                            ytd.year(), M, M == 1 ? std::string("1月") : fmt::format("1-{}月", M));
  s.rows = sheet_rows(m, parent, serial, opt.declared_order);
  std::vector<indicator_id> inds = opt.indicators;
  if (inds.empty())
    for (std::size_t i = 0; i < m.indicators().size(); ++i) inds.push_back(static_cast<indicator_id>(i));
  std::vector<std::vector<figures>> fig(s.rows.size());
  for (std::size_t r = 0; r < s.rows.size(); ++r)
    for (indicator_id i : inds) fig[r].push_back(figures_of(m, s.rows[r], ytd, i, ix));
  s.columns.push_back({table_column_role::code, npos, "", "代码", 0});
  s.columns.push_back({table_column_role::name, npos, "", "名称", 0});
  std::vector<std::size_t> fig_of_col(2, 0);
  for (std::size_t k = 0; k < inds.size(); ++k)
    for (table_column& c : group_columns(m, inds[k], M, fig, k)) {
      s.columns.push_back(std::move(c));
      fig_of_col.push_back(k);
    }
  s.columns.push_back({table_column_role::notes, npos, "", "备注", 0});
  for (const table_column& c : s.columns) s.keys.push_back(table_column_key(m, c));
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    table_row& row = s.rows[r];
    row.cells.resize(s.columns.size());
    bool is_scope = row.scope != no_scope;
    row.cells[0].text = is_scope ? m.scopes()[row.scope].code : h[row.region].code;
    row.cells[1].text = is_scope ? m.scopes()[row.scope].name : row.role == table_row_role::total ? total_name(m, parent, serial)
                                                                                                   : h.name(row.region, serial);
    for (std::size_t c = 2; c + 1 < s.columns.size(); ++c) row.cells[c] = figure_cell(m, s.columns[c], fig[r][fig_of_col[c]]);
    row.cells.back().text = row_notes(m, s.columns, row, M);
  }
  if (auto it = ix.problems.find(parent); it != ix.problems.end()) {
    std::vector<const finding*> ps = it->second;
    std::stable_sort(ps.begin(), ps.end(), [](const finding* a, const finding* b) { return a->level > b->level; });
    for (const finding* f : ps)
      s.problems.push_back(table_problem{f->level, m.place_code(f->where()), m.place_name(f->where(), f->when), f->when.label_zh(), f->check,
                                         f->subject, std::string(status_name(f->status)), f->message, f->actual, f->expected,
                                         check_words(*f), status_words(*f)});
  }
  return s;
}

std::vector<finding> evaluate_for(const model& m, const period& ytd, const std::vector<target>& targets, const rule_set* rules) {
  check_options opt;
  opt.as_of = period::month(ytd.year(), ytd.last_month());
  return evaluate(m, targets, rules, opt);
}

}  // namespace

table_sheet build_table(const model& m, region_id parent, const period& p, const std::vector<finding>& findings,
                        const table_options& opt) {
  if (!m.rolled_up()) throw error(errc::state, "the roll-up is not current: call rollup() before building a 报表");
  if (parent < 0 || static_cast<std::size_t>(parent) >= m.regions().size()) throw error(errc::invalid_argument, "unknown region id");
  period ytd = table_period(p);
  return build_sheet(m, parent, ytd, index_findings(m, findings, ytd, {parent}), opt);
}

std::vector<region_id> table_parents(const model& m, region_id region, const period& p, const table_options& opt) {
  const hierarchy& h = m.regions();
  const int serial = table_period(p).serial();
  if (region == npos && !opt.level) throw error(errc::invalid_argument, "a 报表 needs a region, or a level for every region of it");
  if (region != npos && !h[region].at(serial))
    throw error(errc::not_found, fmt::format("region '{}' does not exist in {}", h[region].code, p.label_zh()));
  if (!opt.level) return {region};
  const tree& t = h.at(serial);
  std::vector<region_id> out;
  for (std::size_t r = 0; r < h.size(); ++r) {
    const region_version* v = h[static_cast<region_id>(r)].at(serial);
    if (v && v->level == *opt.level && (region == npos || below_or_at(t, static_cast<region_id>(r), region)))
      out.push_back(static_cast<region_id>(r));
  }
  if (out.empty())
    throw error(errc::not_found, region == npos ? fmt::format("no region of level {} in {}", level_name(*opt.level), p.label_zh())
                                                : fmt::format("no region of level {} at or below '{}' ({})", level_name(*opt.level),
                                                              h[region].code, h.name(region, serial)));
  std::sort(out.begin(), out.end(), [&](region_id a, region_id b) { return h[a].code < h[b].code; });
  return out;
}

void build_tables(const model& m, region_id region, const period& p, const std::vector<target>& targets, const rule_set* rules,
                  const table_options& opt, const std::function<void(table_sheet&&)>& sink) {
  if (!m.rolled_up()) throw error(errc::state, "the roll-up is not current: call rollup() before building a 报表");
  if (region < npos || (region != npos && static_cast<std::size_t>(region) >= m.regions().size()))
    throw error(errc::invalid_argument, "unknown region id");
  period ytd = table_period(p);
  std::vector<region_id> parents = table_parents(m, region, ytd, opt);
  // One evaluation serves every sheet: the checks walk the whole model once, not once per county.
  std::vector<finding> findings = evaluate_for(m, ytd, targets, rules);
  finding_index ix = index_findings(m, findings, ytd, parents);
  for (region_id parent : parents) sink(build_sheet(m, parent, ytd, ix, opt));
}

std::vector<table_sheet> build_tables(const model& m, region_id region, const period& p, const std::vector<target>& targets,
                                      const rule_set* rules, const table_options& opt) {
  std::vector<table_sheet> out;
  build_tables(m, region, p, targets, rules, opt, [&](table_sheet&& s) { out.push_back(std::move(s)); });
  return out;
}

std::string table_column_key(const model& m, const table_column& c) {
  if (c.indicator == npos) return std::string(table_column_role_name(c.role));
  return m.indicators()[c.indicator].code + ":" + std::string(table_column_role_name(c.role));
}

std::vector<indicator_id> parse_indicator_list(const catalogue& cat, std::string_view codes) {
  std::vector<indicator_id> out;
  std::size_t q = 0;
  while (q <= codes.size()) {
    std::size_t z = codes.find(',', q);
    if (z == std::string_view::npos) z = codes.size();
    std::string_view code = codes.substr(q, z - q);
    while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
    while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
    if (!code.empty()) out.push_back(cat.require(code));
    q = z + 1;
  }
  if (out.empty()) throw error(errc::invalid_argument, "the indicator list names no indicator");
  return out;
}

std::string table_csv(const table_sheet& s, bool keys) {
  std::string o;
  auto line = [&](auto field) {
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      if (c) o += ',';
      o += csv::quote(field(c));
    }
    o += '\n';
  };
  if (keys) line([&](std::size_t c) { return c < s.keys.size() ? s.keys[c] : std::string(); });
  line([&](std::size_t c) { return s.columns[c].group.empty() ? s.columns[c].header : s.columns[c].group; });
  line([&](std::size_t c) { return s.columns[c].group.empty() ? std::string() : s.columns[c].header; });
  for (const table_row& r : s.rows)
    line([&](std::size_t c) { return r.cells[c].number ? r.cells[c].number->to_string() : r.cells[c].text; });
  return o;
}

void write_table_csv(const std::vector<table_sheet>& sheets, std::FILE* out) {
  for (std::size_t k = 0; k < sheets.size(); ++k) {
    std::string text = (k ? "\n" : "") + table_csv(sheets[k]);
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) throw error(errc::io, "cannot write the 报表 CSV");
  }
}

}  // namespace zhibiao
