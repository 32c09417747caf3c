// zhibiao — charts as hand-written SVG: progress against 序时进度, a rate against its cap, peers ranked by
// 完成率, and 同比 by month.
//
// Every number comes from the query API and the one target evaluation (evaluate_target); labels are
// rounded half-up once, at the indicator's decimals. A missing month is a gap in a line or an absent bar,
// never a 0. Marks carry classes (`actual`, `point`, `schedule`, `target`, `cap`, `breach`, `asof`, `bar`,
// `highlight`, `axis`) and `data-month` / `data-value` attributes so tests and stylesheets can find them.
#pragma once

#include <zhibiao/model.hpp>
#include <zhibiao/targets.hpp>
#include <zhibiao/vocabulary.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// The kinds of chart.
enum class chart_kind : std::uint8_t {
  progress,  ///< a floor target's 1-M月 value month by month against 序时进度 and the target
  cap,       ///< a capped value month by month against its cap, breaches marked
  peers,     ///< 完成率 of the children of a region as ranked bars, with 序时进度
  yoy        ///< 同比: this year's 1-M月 value against last year's, month by month
};

/// Name of a chart kind as the command and the C ABI spell it (`progress`, `cap`, `peers`, `yoy`).
std::string_view chart_kind_name(chart_kind k) noexcept;

/// The chart kind with this name, or nullopt.
std::optional<chart_kind> parse_chart_kind(std::string_view name) noexcept;

/// One region's place among its peers.
struct peer_rank {
  region_id region = npos;
  std::optional<boost::multiprecision::cpp_rational> completion_exact;  ///< from evaluate_target
  std::optional<decimal> completion;  ///< 完成率 %, 1 decimal, as the finding states it
  int rank = 0;                       ///< 1 = highest 完成率; ties share a rank (1, 2, 2, 4); 0: unranked
  zhibiao::status status = status::missing;  ///< the target's status as of the month (behind, ahead, …)
  bool has_target = false;            ///< false: the region has no floor target for the indicator
};

/// Ranks the children of `parent` (in the tree of the period's last month) by the 完成率 of their floor
/// targets for `indicator` as of that month, highest first, ties sharing a rank and in code order; regions
/// without a target or without a value come last, unranked.
std::vector<peer_rank> rank_peers(const model& m, const std::vector<target>& targets, region_id parent, const period& p,
                                  indicator_id indicator);

/// The progress chart of the floor target of (region, indicator) for the period's year, as of the period's
/// last month; a not_found error when there is no floor target.
std::string progress_chart(const model& m, const std::vector<target>& targets, region_id region, const period& p,
                           indicator_id indicator);

/// The cap chart of the cap target of (region, indicator) for the period's year, months 1..M; a not_found
/// error when there is no cap target.
std::string cap_chart(const model& m, const std::vector<target>& targets, region_id region, const period& p,
                      indicator_id indicator);

/// The peers chart: rank_peers of `parent`'s children as horizontal bars with the 序时进度 line, `highlight`
/// (npos: none) drawn in another colour; an invalid_argument error when `parent` has no children.
std::string peers_chart(const model& m, const std::vector<target>& targets, region_id parent, const period& p,
                        indicator_id indicator, region_id highlight = npos);

/// The 同比 chart at a region or scope: the 1-M月 value of each month of the period's year against the same
/// months a year earlier (months 1..M of this year, 1..12 of last year).
std::string yoy_chart(const model& m, const place& where, const period& p, indicator_id indicator);

/// One chart by kind at a region: for `peers`, a region with children has them ranked, a region without
/// children is highlighted among its parent's.
std::string chart_svg(const model& m, const std::vector<target>& targets, chart_kind kind, region_id region, const period& p,
                      indicator_id indicator);

/// Text escaped for XML and HTML (`&`, `<`, `>`, `"`, `'`).
std::string xml_escape(std::string_view text);

}  // namespace zhibiao
