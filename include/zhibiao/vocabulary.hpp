// zhibiao — the words of checks: severities, statuses and check kinds, each an enum with one name table.
//
// Inside the library these are compared as enums; their names appear only at the edges (CSV, JSON, the
// C ABI, Python, rule-test cases), and their Chinese wording only in findings and reports, both from the
// tables here so that a check and a report can never describe one outcome in two ways.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace zhibiao {

/// How bad a finding is.
enum class severity : std::uint8_t { info, warning, error };

/// Name of a severity.
constexpr std::string_view severity_name(severity s) noexcept {
  return s == severity::error ? "error" : s == severity::warning ? "warning" : "info";
}

/// What a check found: the outcome of a target, a rule, a built-in relation or a reconciliation.
enum class status : std::uint8_t {
  exceeded,          ///< a floor beaten at its period's end (超额完成)
  met,               ///< a floor reached exactly, a zero target held, no decrease (完成 / 达标)
  not_met,           ///< a floor missed at its period's end (未完成)
  ahead,             ///< before the end: faster than 序时进度
  on_track,          ///< before the end: within the tolerance of 序时进度
  behind,            ///< before the end: slower than 序时进度
  pending,           ///< a year_end schedule before the end: not judged yet
  within,            ///< a cap or band held that month
  breached,          ///< a cap exceeded, or something happened against a zero target
  below,             ///< under a band's lower bound
  above,             ///< over a band's upper bound
  decreased,         ///< a no_decrease target fell below last year's value
  missing,           ///< no value to judge (never counted as 0)
  under_allocated,   ///< the children's targets add up to less than the parent's
  allocated,         ///< the children's targets add up to the parent's
  over_allocated,    ///< the children's targets add up to more than the parent's
  pass,              ///< a rule or built-in relation holds
  fail,              ///< a rule or built-in relation does not hold
  division_by_zero,  ///< a rule divided by zero: no verdict
  differs,           ///< a reported total differs from its children's sum
  approximate        ///< judged on an approximate value (约), or on a lower bound (XX多) the verdict could change with: no exact verdict
};

/// Every status, in declaration order (for name look-ups and tests).
inline constexpr std::array<status, 21> all_statuses = {
    status::exceeded,        status::met,       status::not_met, status::ahead,           status::on_track,
    status::behind,          status::pending,   status::within,  status::breached,        status::below,
    status::above,           status::decreased, status::missing, status::under_allocated, status::allocated,
    status::over_allocated,  status::pass,      status::fail,    status::division_by_zero, status::differs,
    status::approximate};

/// Name of a status as written in findings and rule-test cases.
constexpr std::string_view status_name(status s) noexcept {
  constexpr std::array<std::string_view, 21> names = {
      "exceeded", "met",      "not_met", "ahead",   "on_track", "behind",          "pending",
      "within",   "breached", "below",   "above",   "decreased", "missing",        "under_allocated",
      "allocated", "over_allocated", "pass", "fail", "division_by_zero", "differs", "approximate"};
  return names[static_cast<std::size_t>(s)];
}

/// The status with this name, or nullopt.
constexpr std::optional<status> status_from_name(std::string_view name) noexcept {
  for (status s : all_statuses)
    if (status_name(s) == name) return s;
  return std::nullopt;
}

/// A status compared with a name from a file or a caller (rule-test cases, bindings).
constexpr bool operator==(status s, std::string_view name) noexcept { return status_name(s) == name; }

/// How a floor target stands, in the words of a 工作总结 (超额完成, 慢于序时进度, …); empty for other statuses.
constexpr std::string_view floor_words_zh(status s) noexcept {
  switch (s) {
    case status::exceeded: return "超额完成";
    case status::met: return "完成";
    case status::not_met: return "未完成";
    case status::ahead: return "快于序时进度";
    case status::on_track: return "与序时进度基本一致";
    case status::behind: return "慢于序时进度";
    case status::pending: return "年末考核";
    default: return "";
  }
}

/// Which check produced a finding.
enum class check_kind : std::uint8_t {
  target,      ///< a target from targets.csv
  allocation,  ///< a parent floor against its children's floors (分解下达)
  rule,        ///< a rule from a rules file (the finding's `check` is the rule's name)
  part_of,     ///< built-in: a part (其中) is at most its whole
  parts,       ///< built-in: the parts of a whole add up to it (or at most to it)
  share,       ///< built-in: a share lies within 0..factor
  reconcile    ///< built-in: a reported total against its children's sum
};

/// Name of a check kind; a rule's findings are named after the rule instead.
constexpr std::string_view check_kind_name(check_kind k) noexcept {
  switch (k) {
    case check_kind::target: return "target";
    case check_kind::allocation: return "allocation";
    case check_kind::rule: return "rule";
    case check_kind::part_of: return "part_of";
    case check_kind::parts: return "parts";
    case check_kind::share: return "share";
    case check_kind::reconcile: return "reconcile";
  }
  return "unknown";
}

/// The built-in check kind with this name (everything but `rule`), or nullopt.
constexpr std::optional<check_kind> parse_builtin_check(std::string_view name) noexcept {
  for (check_kind k : {check_kind::target, check_kind::allocation, check_kind::part_of, check_kind::parts,
                       check_kind::share, check_kind::reconcile})
    if (check_kind_name(k) == name) return k;
  return std::nullopt;
}

}  // namespace zhibiao
