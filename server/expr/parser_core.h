// Internal to expr/: the machinery shared by the condition, update and
// projection parsers. A recursive-descent parser over the token vector with
// backtracking (mark/reset) where DynamoDB's grammar is ambiguous at a "(".
//
// DynamoDB reports a syntax error at the furthest token any alternative
// reached, so every failure records its position and the final error names
// the furthest one. Errors that are not syntax errors (reserved words, unknown
// functions, ...) are noted while parsing and raised only once the whole
// expression parsed, in DynamoDB's priority order.
#pragma once

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/ast.h"
#include "expr/functions.h"
#include "expr/lexer.h"

namespace jormun::expr::detail {

// Kinds of non-syntax error a parser may note; at most the first of each is kept.
enum class Deferred : uint8_t {
  kRedundantParens,
  kUnknownFunction,  // no such function, or one of the other expression kind
  kMisusedFunction,  // a function where its result cannot be used
  kReserved,
  kSection,
  kPathDepth,
  kOperands,
  kOperatorCount,
  kCount_,
};

// Thrown inside the parser to unwind to the nearest alternative; never escapes.
struct SyntaxFailure {};

class ParserCore {
 protected:
  // `keywords` are the upper-case words that may not be used as attribute
  // names at all in this grammar (AND, OR, ... or SET, REMOVE, ...).
  ParserCore(std::string_view text, ExpressionKind kind,
             std::initializer_list<std::string_view> keywords);

  // Runs `parse` (which must consume the whole input), converting a syntax
  // failure into DynamoDB's error, then raises the first noted error among
  // `order`. Checks the empty-expression and 4 KB limits first.
  template <typename Parse>
  auto run(Parse&& parse, std::initializer_list<Deferred> order) {
    check_limits();
    try {
      auto result = parse();
      expect_end();
      check_operator_count();
      raise_deferred(order);
      return result;
    } catch (const SyntaxFailure&) {
      throw_syntax_error();
    }
  }

  const Token& peek(size_t ahead = 0) const;
  const Token& next();
  bool accept_punct(std::string_view p);
  void expect_punct(std::string_view p);
  void expect_end();
  bool at_keyword(std::string_view upper_word) const {
    return peek().is_keyword(upper_word);
  }
  [[noreturn]] void fail();

  struct Mark {
    size_t pos;
    size_t operators;
    std::array<std::optional<std::string>, static_cast<size_t>(Deferred::kCount_)>
        deferred;
  };
  Mark mark() const { return Mark{pos_, operators_, deferred_}; }
  void reset(const Mark& m) {
    pos_ = m.pos;
    operators_ = m.operators;
    deferred_ = m.deferred;
  }

  void note(Deferred what, std::string message);
  // Counts one operator or function towards DynamoDB's limit of 300. Call it
  // for every node that survives backtracking: reset() restores the count.
  void count_operator() { ++operators_; }

  // path := (identifier | #name) ('[' number ']' | '.' (identifier | #name))*
  // Notes a path of more than 32 elements (DynamoDB's nesting limit).
  Path parse_path();
  bool at_path_start() const;
  // True if the next tokens are an identifier followed by "(".
  bool at_function_call() const;

  // Notes the count error if a call to `f` has the wrong number of arguments.
  void check_operand_count(const FunctionDescriptor& f, size_t actual);

  ExpressionKind kind_;

 private:
  std::string path_element_name();
  void check_limits() const;
  void check_operator_count();
  [[noreturn]] void throw_syntax_error() const;
  void raise_deferred(std::initializer_list<Deferred> order) const;

  std::string_view text_;
  std::vector<Token> tokens_;
  std::vector<std::string_view> keywords_;
  size_t pos_ = 0;
  size_t furthest_ = 0;
  size_t operators_ = 0;
  std::array<std::optional<std::string>, static_cast<size_t>(Deferred::kCount_)>
      deferred_;
};

}  // namespace jormun::expr::detail
