// The grammar shared by ConditionExpression, FilterExpression and
// KeyConditionExpression, with DynamoDB's precedence NOT > AND > OR:
//
//   or      := and (OR and)*
//   and     := not (AND not)*
//   not     := NOT primary | primary
//   primary := operand comparator operand
//            | operand BETWEEN operand AND operand
//            | operand IN '(' operand (',' operand)* ')'
//            | function
//            | '(' or ')'
//   operand := '(' operand ')' | function | :value | path
#include <optional>
#include <string>
#include <utility>

#include "expr/functions.h"
#include "expr/parser.h"
#include "expr/parser_core.h"

namespace jormun::expr {
namespace {

using detail::Deferred;

// DynamoDB allows at most 100 values in the list of an IN.
constexpr size_t kMaxInOperands = 100;

std::optional<Comparator> comparator_of(const Token& t) {
  if (t.type != Token::Type::kPunct) return std::nullopt;
  if (t.text == "=") return Comparator::kEq;
  if (t.text == "<>") return Comparator::kNe;
  if (t.text == "<") return Comparator::kLt;
  if (t.text == "<=") return Comparator::kLe;
  if (t.text == ">") return Comparator::kGt;
  if (t.text == ">=") return Comparator::kGe;
  return std::nullopt;
}

class ConditionParser : public detail::ParserCore {
 public:
  ConditionParser(std::string_view text, ExpressionKind kind)
      : ParserCore(text, kind, {"AND", "OR", "NOT", "BETWEEN", "IN"}) {}

  Condition parse() {
    return run(
        [this] {
          Parsed top = parse_or();
          check_truth_valued(top.condition);
          return std::move(top.condition);
        },
        {Deferred::kRedundantParens, Deferred::kUnknownFunction,
         Deferred::kMisusedFunction, Deferred::kReserved, Deferred::kPathDepth,
         Deferred::kOperands, Deferred::kOperatorCount});
  }

 private:
  // `wrapped` is true when the whole construct was one parenthesised group,
  // so that "((x))" can be reported as redundant parentheses.
  struct Parsed {
    Condition condition;
    bool wrapped = false;
  };
  struct ParsedOperand {
    Operand operand;
    bool wrapped = false;
  };

  Parsed parse_or() {
    Parsed left = parse_and();
    while (at_keyword("OR")) {
      next();
      Parsed right = parse_and();
      left = Parsed{combine(Condition::Op::kOr, std::move(left), std::move(right))};
    }
    return left;
  }

  Parsed parse_and() {
    Parsed left = parse_not();
    while (at_keyword("AND")) {
      next();
      Parsed right = parse_not();
      left = Parsed{combine(Condition::Op::kAnd, std::move(left), std::move(right))};
    }
    return left;
  }

  Condition combine(Condition::Op op, Parsed left, Parsed right) {
    count_operator();
    check_truth_valued(left.condition);
    check_truth_valued(right.condition);
    Condition c;
    c.op = op;
    c.children.push_back(std::move(left.condition));
    c.children.push_back(std::move(right.condition));
    return c;
  }

  Parsed parse_not() {
    if (!at_keyword("NOT")) return parse_primary();
    next();
    Parsed inner = parse_primary();
    count_operator();
    check_truth_valued(inner.condition);
    Condition c;
    c.op = Condition::Op::kNot;
    c.children.push_back(std::move(inner.condition));
    return Parsed{std::move(c)};
  }

  // A "(" may open a parenthesised operand ("(a) = :v") or a parenthesised
  // condition ("(a = :v)"): try the former first, as DynamoDB's grammar does.
  Parsed parse_primary() {
    if (!peek().is_punct("(")) return Parsed{parse_comparison()};
    const Mark m = mark();
    try {
      return Parsed{parse_comparison()};
    } catch (const detail::SyntaxFailure&) {
      reset(m);
    }
    next();
    Parsed inner = parse_or();
    expect_punct(")");
    if (inner.wrapped) redundant_parens();
    return Parsed{std::move(inner.condition), true};
  }

  Condition parse_comparison() {
    ParsedOperand first = parse_operand();
    Condition c;
    if (auto cmp = comparator_of(peek())) {
      next();
      c.op = Condition::Op::kCompare;
      c.comparator = *cmp;
      c.operands.push_back(std::move(first.operand));
      c.operands.push_back(parse_operand().operand);
    } else if (at_keyword("BETWEEN")) {
      next();
      c.op = Condition::Op::kBetween;
      c.operands.push_back(std::move(first.operand));
      c.operands.push_back(parse_operand().operand);
      if (!at_keyword("AND")) fail();
      next();
      c.operands.push_back(parse_operand().operand);
    } else if (at_keyword("IN")) {
      next();
      c.op = Condition::Op::kIn;
      c.operands.push_back(std::move(first.operand));
      expect_punct("(");
      do {
        c.operands.push_back(parse_operand().operand);
      } while (accept_punct(","));
      expect_punct(")");
      if (c.operands.size() - 1 > kMaxInOperands) {
        note(Deferred::kOperands,
             "The IN operator is provided with too many operands; number of operands: " +
                 std::to_string(c.operands.size() - 1));
      }
    } else if (first.operand.kind == Operand::Kind::kFunction && !first.wrapped) {
      c.op = Condition::Op::kFunction;
      c.function = first.operand.function;
      c.operands = std::move(first.operand.args);
      return c;
    } else {
      fail();
    }
    count_operator();
    check_operands_not_functions(c.operands);
    return c;
  }

  ParsedOperand parse_operand() {
    if (accept_punct("(")) {
      ParsedOperand inner = parse_operand();
      expect_punct(")");
      if (inner.wrapped) redundant_parens();
      return ParsedOperand{std::move(inner.operand), true};
    }
    Operand op;
    if (at_function_call()) {
      const std::string name(next().text);
      next();  // "("
      do {
        op.args.push_back(parse_operand().operand);
      } while (accept_punct(","));
      expect_punct(")");
      op.kind = Operand::Kind::kFunction;
      count_operator();
      check_operands_not_functions(op.args);
      const FunctionDescriptor* f = find_function(name, kInCondition | kInUpdate);
      if (f == nullptr) {
        note(Deferred::kUnknownFunction, "Invalid function name; function: " + name);
      } else if ((f->places & kInCondition) == 0) {
        note(Deferred::kUnknownFunction,
             "The function is not allowed in a condition expression; function: " + name);
      } else {
        op.function = f->function;
        check_operand_count(*f, op.args.size());
      }
    } else if (peek().type == Token::Type::kValue) {
      op.kind = Operand::Kind::kValue;
      op.value_name = std::string(next().text);
    } else {
      op.kind = Operand::Kind::kPath;
      op.path = parse_path();
    }
    return ParsedOperand{std::move(op)};
  }

  // Of the condition functions only size() yields a value, so only it may be
  // an operand; the others are conditions.
  void check_operands_not_functions(const std::vector<Operand>& operands) {
    for (const Operand& o : operands) {
      if (o.kind == Operand::Kind::kFunction && !describe(o.function).nestable) {
        misused(o.function);
      }
    }
  }

  // A condition must be a condition function: size() yields a number.
  void check_truth_valued(const Condition& c) {
    if (c.op == Condition::Op::kFunction && describe(c.function).test == nullptr) {
      misused(c.function);
    }
  }

  void misused(Function f) {
    note(Deferred::kMisusedFunction,
         "The function is not allowed to be used this way in an expression; "
         "function: " +
             std::string(describe(f).name));
  }

  void redundant_parens() {
    note(Deferred::kRedundantParens, "The expression has redundant parentheses;");
  }
};

}  // namespace

Condition parse_condition(std::string_view text, ExpressionKind kind) {
  return ConditionParser(text, kind).parse();
}

}  // namespace jormun::expr
