// The rule language: a recursive-descent parser over indicator codes and an exact evaluator
// (rational arithmetic, so 0.1 + 0.2 == 0.3 and no rounding happens inside a rule).
#include <zhibiao/checks.hpp>
#include <zhibiao/csv.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace zhibiao {

using rational = boost::multiprecision::cpp_rational;

/// What a rule expression measures, so that 人 is never compared with 元 and 万元 meets 元 converted.
struct rule_type {
  /// A literal number takes the unit of what it meets; a product or quotient with an indicator value in it
  /// is `derived` (a literal factor may carry a unit, as in `amount * 10000` or `person_times * 1720`) and is
  /// neither checked nor converted.
  enum form_t { number, quantity, derived } form = number;
  unit u{"", dimension::ratio, 0};  ///< quantity: the unit of the value
};

/// A node of a parsed rule expression.
struct rule_node {
  enum kind_t { number, ref, neg, add, sub, mul, div, fn_ytd, fn_monthly, fn_last_year, compare } kind = number;
  rational value;                 // number
  indicator_id indicator = npos;  // ref
  std::string op;                 // compare: == != < <= > >=
  std::shared_ptr<const rule_node> a, b;
  rule_type type;                 // what the node's value measures
  int shift_b = 0;                // add, sub, compare: b is taken × 10^shift_b, in a's unit
};

namespace {

constexpr int max_depth = 200;
// Binary operators per expression: a flat chain `1 + 1 + …` builds a tree as deep as it is long, and
// evaluating (or freeing) a very deep tree would exhaust the stack.
constexpr int max_operators = 1000;
// U+2212 MINUS SIGN, as typeset documents write it (alongside × and ÷).
constexpr std::string_view minus_sign = "\xE2\x88\x92";

// Counts of people, person-times and items compare with one another (达成就业意向 人 ≤ 提供就业岗位 个);
// money, ratios, percentage points, standards per month or hour and ages (岁) only with themselves.
bool comparable(dimension a, dimension b) {
  auto count = [](dimension d) { return d == dimension::people || d == dimension::person_times || d == dimension::items; };
  return a == b || (count(a) && count(b));
}

std::string unit_words(const unit& u) { return fmt::format("{}, {}", u.symbol, dimension_name(u.dim)); }

class expr_parser {
 public:
  expr_parser(std::string_view text, std::size_t offset, std::string_view line, const location& at, const catalogue& cat,
              std::string_view rule_name)
      : s_(text), offset_(offset), line_(line), at_(at), cat_(cat), rule_(rule_name) {}

  std::shared_ptr<const rule_node> parse_rule() {
    skip();
    const std::size_t lb = pos_;
    auto left = sum(0);
    skip();
    std::string op = cmp_op();
    if (op.empty()) fail(i_, pos_ < s_.size() ? "expected a comparison (== != < <= > >=) or an operator" : "expected a comparison (== != < <= > >=)");
    const std::size_t at = i_;
    skip();
    const std::size_t rb = pos_;
    auto right = sum(0);
    skip();
    if (pos_ < s_.size()) {
      if (!cmp_op().empty()) fail(i_, "only one comparison is allowed in a rule");
      fail(pos_, "unexpected text after the expression");
    }
    auto n = std::make_shared<rule_node>();
    n->kind = rule_node::compare;
    n->op = op;
    n->a = left;
    n->b = right;
    unify(*n, at, operand(lb, at), operand(rb, pos_), "compares", "with");
    return n;
  }

 private:
  // A rule the language does not allow is errc::rule; one past the nesting or operator limits (which
  // keep a hostile file from exhausting the stack) is errc::limit.
  [[noreturn]] void fail(std::size_t pos, const std::string& why, errc code = errc::rule) const {
    location l = at_;
    l.column = csv::char_column(line_, offset_ + pos);
    std::string shown(s_);
    throw load_error(l, fmt::format("{} in '{}'", why, shown), code);
  }
  // The source text of an operand, for messages.
  std::string_view operand(std::size_t b, std::size_t e) const { return trim_view(s_.substr(b, e - b)); }
  static std::string_view trim_view(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  }
  // Types a sum, difference or comparison of n.a and n.b: two quantities must have comparable dimensions
  // (else a rule error naming the rule and both operands), and b is converted to a's unit exactly.
  void unify(rule_node& n, std::size_t op_pos, std::string_view a_text, std::string_view b_text, std::string_view verb,
             std::string_view with) {
    const rule_type &ta = n.a->type, &tb = n.b->type;
    if (ta.form == rule_type::derived || tb.form == rule_type::derived) {
      n.type.form = rule_type::derived;
      return;
    }
    if (ta.form == rule_type::number || tb.form == rule_type::number) {
      n.type = ta.form == rule_type::number ? tb : ta;
      return;
    }
    if (!comparable(ta.u.dim, tb.u.dim))
      fail(op_pos, fmt::format("rule '{}' {} {} ({}) {} {} ({}): different dimensions", rule_, verb, a_text, unit_words(ta.u), with, b_text,
                               unit_words(tb.u)));
    n.type = ta;
    n.shift_b = tb.u.exponent - ta.u.exponent;
  }
  void skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  std::string cmp_op() {
    skip();
    i_ = pos_;
    for (std::string_view op : {"<=", ">=", "==", "!=", "<", ">"})
      if (s_.substr(pos_, op.size()) == op) {
        pos_ += op.size();
        return std::string(op);
      }
    return {};
  }
  std::shared_ptr<rule_node> binary(rule_node::kind_t k, std::shared_ptr<const rule_node> a, std::shared_ptr<const rule_node> b,
                                    std::size_t op_pos) {
    if (++operators_ > max_operators) fail(op_pos, fmt::format("expression has more than {} operators", max_operators), errc::limit);
    auto n = std::make_shared<rule_node>();
    n->kind = k;
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }
  std::shared_ptr<const rule_node> sum(int depth) {
    skip();
    const std::size_t lb = pos_;
    auto left = product(depth);
    for (;;) {
      skip();
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-' || s_.substr(pos_, minus_sign.size()) == minus_sign)) {
        char c = s_[pos_];
        std::size_t at = pos_;
        pos_ += c == '+' || c == '-' ? 1 : minus_sign.size();
        skip();
        const std::size_t rb = pos_;
        auto n = binary(c == '+' ? rule_node::add : rule_node::sub, left, product(depth), at);
        unify(*n, at, operand(lb, at), operand(rb, pos_), c == '+' ? "adds" : "subtracts", c == '+' ? "and" : "from");
        left = n;
      } else {
        return left;
      }
    }
  }
  std::shared_ptr<const rule_node> product(int depth) {
    auto left = unary(depth);
    for (;;) {
      skip();
      if (pos_ < s_.size() && (s_[pos_] == '*' || s_[pos_] == '/' || s_.substr(pos_, 2) == "×" || s_.substr(pos_, 2) == "÷")) {
        bool mul = s_[pos_] == '*' || s_.substr(pos_, 2) == "×";
        std::size_t at = pos_;
        pos_ += (s_[pos_] == '*' || s_[pos_] == '/') ? 1 : 2;
        auto n = binary(mul ? rule_node::mul : rule_node::div, left, unary(depth), at);
        // A literal factor may carry a unit (`employment_fund_spent * 10000` is in 元), so a product or
        // quotient with an indicator value in it is not checked.
        if (n->a->type.form != rule_type::number || n->b->type.form != rule_type::number) n->type.form = rule_type::derived;
        left = n;
      } else {
        return left;
      }
    }
  }
  std::shared_ptr<const rule_node> unary(int depth) {
    if (depth > max_depth) fail(pos_, fmt::format("expression nested more than {} levels deep", max_depth), errc::limit);
    skip();
    if (pos_ < s_.size() && (s_[pos_] == '-' || s_.substr(pos_, minus_sign.size()) == minus_sign)) {
      pos_ += s_[pos_] == '-' ? 1 : minus_sign.size();
      auto n = std::make_shared<rule_node>();
      n->kind = rule_node::neg;
      n->a = unary(depth + 1);
      n->type = n->a->type;
      return n;
    }
    if (pos_ < s_.size() && s_[pos_] == '+') {
      ++pos_;
      return unary(depth + 1);
    }
    return primary(depth);
  }
  std::shared_ptr<const rule_node> primary(int depth) {
    skip();
    if (pos_ >= s_.size()) fail(pos_, "expected a number, an indicator code or '('");
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      auto inner = sum(depth + 1);
      skip();
      if (pos_ >= s_.size() || s_[pos_] != ')') fail(pos_, "expected ')'");
      ++pos_;
      return inner;
    }
    if ((c >= '0' && c <= '9') || c == '.') {
      std::size_t b = pos_;
      while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.')) ++pos_;
      auto n = std::make_shared<rule_node>();
      try {
        decimal d = decimal::parse(s_.substr(b, pos_ - b));
        n->value = d.to_rational();
      } catch (const error&) {
        fail(b, fmt::format("malformed number '{}'", s_.substr(b, pos_ - b)));
      }
      return n;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      std::size_t b = pos_;
      while (pos_ < s_.size() && ((s_[pos_] >= 'a' && s_[pos_] <= 'z') || (s_[pos_] >= 'A' && s_[pos_] <= 'Z') ||
                                  (s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '_'))
        ++pos_;
      std::string_view name = s_.substr(b, pos_ - b);
      skip();
      if (pos_ < s_.size() && s_[pos_] == '(') {
        rule_node::kind_t k;
        if (name == "ytd") k = rule_node::fn_ytd;
        else if (name == "monthly") k = rule_node::fn_monthly;
        else if (name == "last_year") k = rule_node::fn_last_year;
        else fail(b, fmt::format("unknown function '{}' (expected ytd, monthly or last_year)", name));
        ++pos_;
        auto n = std::make_shared<rule_node>();
        n->kind = k;
        n->a = sum(depth + 1);
        n->type = n->a->type;
        skip();
        if (pos_ >= s_.size() || s_[pos_] != ')') fail(pos_, "expected ')' to close the function call");
        ++pos_;
        return n;
      }
      indicator_id id = cat_.find(name);
      if (id == npos) fail(b, fmt::format("unknown indicator '{}'", name));
      if (cat_[id].is_date()) fail(b, fmt::format("'{}' is a date (日期): a rule computes with numbers, not days", name));
      auto n = std::make_shared<rule_node>();
      n->kind = rule_node::ref;
      n->indicator = id;
      n->type.form = rule_type::quantity;
      n->type.u = cat_[id].unit;
      return n;
    }
    // Show the whole character (a full-width '（' is three bytes in UTF-8).
    const auto lead = static_cast<unsigned char>(c);
    const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    fail(pos_, fmt::format("unexpected '{}'; expected a number, an indicator code or '('", s_.substr(pos_, len)));
  }

  std::string_view s_;
  std::size_t offset_;
  std::string_view line_;
  location at_;
  const catalogue& cat_;
  std::string_view rule_;
  std::size_t pos_ = 0, i_ = 0;
  int operators_ = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Evaluation: collects how many operands were referenced and how many were missing.
struct eval_ctx {
  const model& m;
  region_id region;
  bool missing_as_zero;
  int refs = 0, missing = 0;
  bool div0 = false;
};

// 10^k exactly (k may be negative): the factor that takes a value into another unit of its dimension.
rational pow10_rational(int k) {
  rational r = 1;
  for (int i = 0; i < (k < 0 ? -k : k); ++i) r *= 10;
  return k < 0 ? rational(1 / r) : r;
}

std::optional<rational> eval(const rule_node& n, eval_ctx& c, const period& p);

// The b operand of n in a's unit.
std::optional<rational> eval_b(const rule_node& n, eval_ctx& c, const period& p) {
  auto b = eval(*n.b, c, p);
  if (b && n.shift_b != 0) *b *= pow10_rational(n.shift_b);
  return b;
}

std::optional<rational> eval(const rule_node& n, eval_ctx& c, const period& p) {
  switch (n.kind) {
    case rule_node::number: return n.value;
    case rule_node::ref: {
      ++c.refs;
      aggregate a = c.m.value(c.region, p, n.indicator);
      if (!a.value) {
        ++c.missing;
        if (c.missing_as_zero) return rational(0);
        return std::nullopt;
      }
      return a.value->to_rational();
    }
    case rule_node::neg: {
      auto v = eval(*n.a, c, p);
      if (!v) return v;
      return rational(-*v);
    }
    case rule_node::fn_ytd: return eval(*n.a, c, period::year_to_date(p.year(), p.last_month()));
    case rule_node::fn_monthly: return eval(*n.a, c, period::month(p.year(), p.last_month()));
    case rule_node::fn_last_year: return eval(*n.a, c, p.same_period_last_year());
    case rule_node::add:
    case rule_node::sub:
    case rule_node::mul:
    case rule_node::div: {
      auto a = eval(*n.a, c, p);
      auto b = eval_b(n, c, p);
      if (!a || !b) return std::nullopt;
      switch (n.kind) {
        case rule_node::add: return rational(*a + *b);
        case rule_node::sub: return rational(*a - *b);
        case rule_node::mul: return rational(*a * *b);
        default:
          if (*b == 0) {
            c.div0 = true;
            return std::nullopt;
          }
          return rational(*a / *b);
      }
    }
    case rule_node::compare: return std::nullopt;
  }
  return std::nullopt;
}

bound flip(bound b) { return b == bound::lower ? bound::upper : b == bound::upper ? bound::lower : b; }

// The bound of a sum from its terms': one-sided bounds add up only in the same direction.
bound join(bound a, bound b) {
  if (a == bound::exact) return b;
  if (b == bound::exact || a == b) return a;
  return bound::unknown;
}

// The bound of a product or quotient's side `x` scaled by an exact factor `k`: kept, flipped or gone with k's sign.
bound scaled(bound x, const std::optional<rational>& k) {
  if (!k || *k == 0) return bound::exact;
  return *k > 0 ? x : flip(x);
}

// How the value eval() gives for `n` bounds the true one, from the qualifiers of the values it reads.
bound bound_of(const rule_node& n, const eval_ctx& c, const period& p) {
  eval_ctx scratch{c.m, c.region, c.missing_as_zero};  // signs of exact factors, without touching c's counts
  switch (n.kind) {
    case rule_node::number:
    case rule_node::compare: return bound::exact;
    case rule_node::ref: {
      const qualifier q = c.m.value(c.region, p, n.indicator).qualifier;
      return q == qualifier::approximate ? bound::unknown : q == qualifier::lower_bound ? bound::lower : bound::exact;
    }
    case rule_node::neg: return flip(bound_of(*n.a, c, p));
    case rule_node::fn_ytd: return bound_of(*n.a, c, period::year_to_date(p.year(), p.last_month()));
    case rule_node::fn_monthly: return bound_of(*n.a, c, period::month(p.year(), p.last_month()));
    case rule_node::fn_last_year: return bound_of(*n.a, c, p.same_period_last_year());
    case rule_node::add: return join(bound_of(*n.a, c, p), bound_of(*n.b, c, p));
    case rule_node::sub: return join(bound_of(*n.a, c, p), flip(bound_of(*n.b, c, p)));
    case rule_node::mul:
    case rule_node::div: {
      const bound a = bound_of(*n.a, c, p), b = bound_of(*n.b, c, p);
      if (a == bound::exact && b == bound::exact) return bound::exact;
      if (n.kind == rule_node::div || (a != bound::exact && b != bound::exact)) {
        if (b != bound::exact) return bound::unknown;  // a bounded divisor bounds nothing
        return scaled(a, eval_b(n, scratch, p));
      }
      return a == bound::exact ? scaled(b, eval(*n.a, scratch, p)) : scaled(a, eval_b(n, scratch, p));
    }
  }
  return bound::unknown;
}

std::optional<decimal> to_decimal(const std::optional<rational>& r) {
  if (!r) return std::nullopt;
  try {
    decimal d = decimal::from_rational(*r, 6);
    // Drop trailing zeros so 10000 shows as 10000, not 10000.000000.
    int s = 6;
    while (s > 0 && (d.mantissa() % decimal::pow10(6 - s + 1)) == 0) --s;
    return d.rescaled(s, rounding::exact);
  } catch (const std::exception&) {
    // Too large to show (the mantissa does not fit): the verdict is still exact, only the display is dropped.
    return std::nullopt;
  }
}

}  // namespace

rule_set rule_set::parse(std::string_view text, const std::string& file, const catalogue& cat) {
  rule_set out;
  std::unordered_map<std::string, std::size_t> first_line;  // rule name → line (a scan per rule would be quadratic)
  std::size_t line_no = 0, pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Messages quote the rule text and cross the C ABI as UTF-8: a GBK file is refused with a hint.
  csv::check_utf8(text, file);
  csv::check_plain_text(text, file);
  while (pos <= text.size()) {
    std::size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(pos, e - pos);
    ++line_no;
    std::size_t line_start = pos;
    pos = e + 1;
    std::string_view body = line;
    if (auto h = body.find('#'); h != std::string_view::npos) body = body.substr(0, h);
    if (trim(body).empty()) {
      if (e == text.size()) break;
      continue;
    }
    (void)line_start;
    location at{file, line_no, 0, {}};
    // Split on '|', remembering where each field starts for column numbers.
    std::vector<std::pair<std::string_view, std::size_t>> fields;
    std::size_t b = 0;
    for (std::size_t k = 0; k <= body.size(); ++k)
      if (k == body.size() || body[k] == '|') {
        std::string_view f = body.substr(b, k - b);
        std::size_t lead = 0;
        while (lead < f.size() && (f[lead] == ' ' || f[lead] == '\t')) ++lead;
        fields.emplace_back(trim(f), b + lead);
        b = k + 1;
      }
    auto fail = [&](std::size_t field, const std::string& why) {
      location l = at;
      l.column = csv::char_column(line, fields[field].second);
      throw load_error(l, why, errc::rule);
    };
    if (fields.size() < 3) {
      location l = at;
      l.column = csv::char_column(line, body.size());
      throw load_error(l, "expected 'name | severity | expression'", errc::rule);
    }
    rule r;
    r.line = line_no;
    r.name = std::string(fields[0].first);
    if (r.name.empty()) fail(0, "empty rule name");
    for (char c : r.name)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
        fail(0, fmt::format("rule name '{}' must be letters, digits, _ - or .", r.name));
    if (auto [it, fresh] = first_line.emplace(r.name, line_no); !fresh)
      fail(0, fmt::format("duplicate rule name '{}' (first at line {})", r.name, it->second));
    std::string_view sev = fields[1].first;
    if (sev == "error") r.level = severity::error;
    else if (sev == "warning") r.level = severity::warning;
    else if (sev == "info") r.level = severity::info;
    else fail(1, fmt::format("unknown severity '{}' (expected error, warning or info)", sev));
    r.text = std::string(fields[2].first);
    if (r.text.empty()) fail(2, "empty expression");
    r.expr = expr_parser(fields[2].first, fields[2].second, line, at, cat, r.name).parse_rule();
    for (std::size_t k = 3; k < fields.size(); ++k) {
      std::string_view opt = fields[k].first;
      auto eq = opt.find('=');
      if (eq == std::string_view::npos) fail(k, fmt::format("expected key=value, not '{}'", opt));
      std::string_view key = trim(opt.substr(0, eq)), val = trim(opt.substr(eq + 1));
      if (key == "missing") {
        if (val == "skip_any") r.missing = missing_strategy::skip_any;
        else if (val == "skip_all") r.missing = missing_strategy::skip_all;
        else if (val == "zero") r.missing = missing_strategy::zero;
        else fail(k, fmt::format("unknown missing strategy '{}' (expected skip_any, skip_all or zero)", val));
      } else if (key == "tolerance") {
        try {
          r.tolerance = decimal::parse(val);
        } catch (const error&) {
          fail(k, fmt::format("tolerance must be a decimal number, not '{}'", val));
        }
        if (r.tolerance.sign() < 0) fail(k, "tolerance must not be negative");
      } else if (key == "levels") {
        std::size_t q = 0;
        while (q <= val.size()) {
          std::size_t z = val.find(',', q);
          if (z == std::string_view::npos) z = val.size();
          auto lv = parse_level(trim(val.substr(q, z - q)));
          if (!lv) fail(k, fmt::format("unknown level '{}'", trim(val.substr(q, z - q))));
          r.levels.push_back(*lv);
          q = z + 1;
        }
      } else {
        fail(k, fmt::format("unknown option '{}' (expected missing, tolerance or levels)", key));
      }
    }
    out.rules_.push_back(std::move(r));
    if (e == text.size()) break;
  }
  return out;
}

rule_result evaluate_rule(const model& m, const rule& r, region_id region, const period& p) {
  rule_result res;
  eval_ctx c{m, region, r.missing != missing_strategy::skip_any};
  auto left = eval(*r.expr->a, c, p);
  auto right = eval_b(*r.expr, c, p);
  // The missing-value strategy decides first: a skipped rule is not judged, not even as a division by zero.
  if (r.missing == missing_strategy::skip_any && c.missing > 0) return res;
  if (r.missing == missing_strategy::skip_all && c.refs > 0 && c.missing == c.refs) return res;
  if (c.div0) {
    res.evaluated = true;
    res.division_by_zero = true;
    return res;
  }
  if (!left || !right) return res;
  res.evaluated = true;
  rational tol = r.tolerance.to_rational();
  const rational& a = *left;
  const rational& b = *right;
  rational diff = a - b;
  rational adiff = diff < 0 ? rational(-diff) : diff;
  const std::string& op = r.expr->op;
  if (op == "<=") res.passed = a <= b + tol;
  else if (op == ">=") res.passed = a + tol >= b;
  else if (op == "<") res.passed = a < b + tol;
  else if (op == ">") res.passed = a + tol > b;
  else if (op == "==") res.passed = adiff <= tol;
  else res.passed = adiff > tol;
  res.approximate = !verdict_certain(res.passed, op, join(bound_of(*r.expr->a, c, p), flip(bound_of(*r.expr->b, c, p))));
  res.left = to_decimal(left);
  res.right = to_decimal(right);
  return res;
}

bool verdict_certain(bool holds, std::string_view op, bound difference) noexcept {
  if (difference == bound::exact) return true;
  if (difference == bound::unknown || op == "==" || op == "!=") return false;
  // A difference that can only grow keeps a `>`/`>=` that holds and a `<`/`<=` that fails; one that can
  // only shrink, the other way round.
  const bool greater = op == ">" || op == ">=";
  return (difference == bound::lower) == (greater == holds);
}

bound difference_bound(qualifier left, qualifier right) noexcept {
  auto side = [](qualifier q) { return q == qualifier::approximate ? bound::unknown : q == qualifier::lower_bound ? bound::lower : bound::exact; };
  return join(side(left), flip(side(right)));
}

}  // namespace zhibiao
