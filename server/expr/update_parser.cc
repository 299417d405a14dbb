// The UpdateExpression grammar:
//
//   update  := section+                      each of SET/REMOVE/ADD/DELETE at most once
//   section := SET path '=' value (',' path '=' value)*
//            | REMOVE path (',' path)*
//            | ADD path :value (',' path :value)*
//            | DELETE path :value (',' path :value)*
//   value   := '(' term ')' | term
//   term    := operand ('+' | '-') operand | operand
//   operand := '(' operand ')' | function | :value | path
//   function:= if_not_exists '(' operand ',' operand ')' | list_append '(' ... ')'
//
// Only if_not_exists may be nested: list_append as an argument of a function
// or an operand of + or - is refused, as DynamoDB refuses it
// (FunctionDescriptor::nestable).
#include <string>
#include <utility>

#include "expr/functions.h"
#include "expr/parser.h"
#include "expr/parser_core.h"

namespace jormun::expr {
namespace {

using detail::Deferred;

class UpdateParser : public detail::ParserCore {
 public:
  explicit UpdateParser(std::string_view text)
      : ParserCore(text, ExpressionKind::kUpdate, {"SET", "REMOVE", "ADD", "DELETE"}) {}

  UpdateExpression parse() {
    return run(
        [this] {
          UpdateExpression u;
          do {
            parse_section(u);
          } while (peek().type != Token::Type::kEof);
          return u;
        },
        {Deferred::kReserved, Deferred::kUnknownFunction, Deferred::kMisusedFunction,
         Deferred::kSection, Deferred::kPathDepth, Deferred::kOperands,
         Deferred::kOperatorCount});
  }

 private:
  void parse_section(UpdateExpression& u) {
    static constexpr std::string_view kSections[] = {"SET", "REMOVE", "ADD", "DELETE"};
    size_t which = 0;
    while (which < 4 && !at_keyword(kSections[which])) ++which;
    if (which == 4) fail();
    next();
    if (seen_[which]) {
      note(Deferred::kSection, "The \"" + std::string(kSections[which]) +
                                   "\" section can only be used once in an update "
                                   "expression;");
    }
    seen_[which] = true;
    u.clause_order.push_back(static_cast<UpdateExpression::Clause>(which));
    do {
      switch (which) {
        case 0: {
          Path path = parse_path();
          expect_punct("=");
          u.set.push_back({std::move(path), parse_value()});
          break;
        }
        case 1:
          u.remove.push_back(parse_path());
          break;
        default: {
          Path path = parse_path();
          if (peek().type != Token::Type::kValue) fail();
          Operand value;
          value.kind = Operand::Kind::kValue;
          value.value_name = std::string(next().text);
          (which == 2 ? u.add : u.del).push_back({std::move(path), std::move(value)});
          break;
        }
      }
    } while (accept_punct(","));
  }

  // "(" may open the whole term or just its first operand: try the term first.
  Operand parse_value() {
    if (!peek().is_punct("(")) return parse_term();
    const Mark m = mark();
    try {
      return parse_term();
    } catch (const detail::SyntaxFailure&) {
      reset(m);
    }
    next();
    Operand term = parse_term();
    expect_punct(")");
    return term;
  }

  Operand parse_term() {
    Operand left = parse_operand(false);
    const bool plus = peek().is_punct("+");
    if (!plus && !peek().is_punct("-")) return left;
    next();
    count_operator();
    check_nestable(left);
    Operand op;
    op.kind = Operand::Kind::kFunction;
    op.function = plus ? Function::kPlus : Function::kMinus;
    op.args.push_back(std::move(left));
    op.args.push_back(parse_operand(true));
    return op;
  }

  // `nested`: the operand is an argument of a function or of + or -.
  Operand parse_operand(bool nested) {
    if (accept_punct("(")) {
      Operand inner = parse_operand(nested);
      expect_punct(")");
      return inner;
    }
    Operand op;
    if (at_function_call()) {
      const std::string name(next().text);
      next();  // "("
      do {
        op.args.push_back(parse_operand(true));
      } while (accept_punct(","));
      expect_punct(")");
      op.kind = Operand::Kind::kFunction;
      count_operator();
      const FunctionDescriptor* f = find_function(name, kInCondition | kInUpdate);
      if (f == nullptr) {
        note(Deferred::kUnknownFunction, "Invalid function name; function: " + name);
        return op;
      }
      if ((f->places & kInUpdate) == 0) {
        note(Deferred::kUnknownFunction,
             "The function is not allowed in an update expression; function: " + name);
        return op;
      }
      op.function = f->function;
      if (nested) check_nestable(op);
      check_operand_count(*f, op.args.size());
      if (f->path_first && !op.args.empty() && op.args[0].kind != Operand::Kind::kPath) {
        note(Deferred::kOperands,
             "Operator or function requires a document path; operator or function: " +
                 name);
      }
    } else if (peek().type == Token::Type::kValue) {
      op.kind = Operand::Kind::kValue;
      op.value_name = std::string(next().text);
    } else {
      op.kind = Operand::Kind::kPath;
      op.path = parse_path();
    }
    return op;
  }

  void check_nestable(const Operand& op) {
    if (op.kind != Operand::Kind::kFunction || describe(op.function).nestable) return;
    note(Deferred::kMisusedFunction,
         "The function is not allowed to be used this way in an expression; function: " +
             std::string(describe(op.function).name));
  }

  bool seen_[4] = {false, false, false, false};
};

}  // namespace

UpdateExpression parse_update(std::string_view text) {
  return UpdateParser(text).parse();
}

}  // namespace jormun::expr
