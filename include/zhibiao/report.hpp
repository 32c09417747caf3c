// zhibiao — report templates: a bureau's own sentences with placeholders for the numbers.
//
// `全县实现城镇新增就业{urban_new_employment}人，城镇登记失业率{registered_urban_unemployment_rate}%，
//  控制在{registered_urban_unemployment_rate:target}%以内` renders with the rolled-up values.
#pragma once

#include <zhibiao/checks.hpp>
#include <zhibiao/model.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// A rendered report and what could not be filled.
struct report_result {
  std::string text;                   ///< the template with every placeholder replaced
  std::vector<std::string> warnings;  ///< one line per missing ("—" in the text) or partial value, with its position
};

/// Renders `tmpl` for `region` and `p`. Placeholders (`{{` and `}}` are literal braces):
/// - `{region}`, `{period}`: the region's name and the period's Chinese label;
/// - `{code}`: the value by the indicator's kind at its decimals, rounded half-up once;
/// - `{code:万元}`, `{code:亿元}`, `{code:万人}`, `{code:万}` …: the value in another unit of the same dimension
///   (2 decimals unless given: `{code:万人:1}`);
/// - `{code:target}`: the target value (cap or floor), `{code:target:2022}` / `{code:target:next}` a later year's,
///   `{code:deadline}` its end (6月底前; with a year 2022年6月底前); `{code:completion}`: 完成率 % (1 decimal);
///   `{code:progress}`: 快于/慢于/与序时进度基本一致, or 超额完成/完成/未完成 at the period's end;
/// - `{code:yoy}`: 同比 in words (上升0.28个百分点 for a ratio, 增长5.3% otherwise); `{code:yoy_diff}`: the signed difference;
/// - `{code:coverage}`: `15/16` (reporting/expected leaves);
/// - `{code:status}`: the target's verdict in words from its one evaluation (超额完成年度任务, 控制在3.5%以内,
///   超出控制线1.68个百分点（12月）, 发生2起, …); `{missed:a,b}`: the listed targets not met, with their status;
/// - `{code:allocation}`: the 分解下达 of the region's floor as the `allocation` check finds it (已全部分解下达,
///   分解下达X人，少于年度任务Y人, …超过…);
/// - `{code@REGION_OR_SCOPE}` with any of the above: the value at another region or a scope (海丰县不含深汕);
/// - `{code~2021-03}` / `{code~2021-03..2021-11}` with any of the above: over the months from March through the
///   report period's end, or through November; `{period~2021-03:dated}` its label (2021年3月至2021年12月);
/// - `{#if COND}` … `{#elif COND}` … `{#else}` … `{/if}`: predicates (`code:met`, `all(a,b):exceeded`, …),
///   `code:status == NAME`, `code:allocation == under_allocated`, comparisons (`code:completion >= 100`), joined by and / or / not (README).
/// A number from partial reports is listed as a `partial` warning unless the template shows its coverage.
/// An unknown indicator, modifier, region, predicate or status (or allocation status), an unbalanced condition or an unterminated
/// brace is a load_error naming line and column.
report_result render_report(const model& m, std::string_view tmpl, region_id region, const period& p,
                            const std::vector<target>& targets, const std::string& file = "<template>");

}  // namespace zhibiao
