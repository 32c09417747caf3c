// zhibiao — the one-page HTML report: the rendered report text, charts, the 报表 of the region and the
// findings, in one self-contained file (inline CSS and SVG, nothing fetched, an A4 print stylesheet).
#pragma once

#include <zhibiao/checks.hpp>
#include <zhibiao/model.hpp>
#include <zhibiao/report.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace zhibiao {

/// What goes into the HTML report besides the template.
struct html_report_options {
  const rule_set* rules = nullptr;        ///< rules whose findings join the targets' in the 问题清单
  std::vector<indicator_id> indicators;   ///< the 报表's indicator groups; empty: those with a target at the region or below
};

/// Renders the template as render_report does and wraps it in one HTML page: the text (escaped), the progress,
/// cap, peers and 同比 charts of the region's first floor and cap targets, the 报表 of the region for 1-M月 and its
/// 问题清单. `text` of the result is the page; `warnings` are render_report's.
report_result html_report(const model& m, std::string_view tmpl, region_id region, const period& p, const std::vector<target>& targets,
                          const html_report_options& opt = {}, const std::string& file = "<template>");

}  // namespace zhibiao
