// Splits an expression into tokens. The lexer never fails: a character that
// starts no token becomes a one-character kInvalid token, so the parser
// reports it with DynamoDB's "Syntax error; token: ..." message.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace jormun::expr {

struct Token {
  enum class Type {
    kIdentifier,  // [A-Za-z][A-Za-z0-9_]*: attribute names, keywords, functions
    kName,        // #[A-Za-z0-9_]+: an ExpressionAttributeNames placeholder
    kValue,       // :[A-Za-z0-9_]+: an ExpressionAttributeValues placeholder
    kNumber,      // [0-9]+: list indexes
    kPunct,       // = <> < <= > >= ( ) [ ] , . + -
    kInvalid,     // any other character, and a lone # or :
    kEof,
  };
  Type type;
  std::string_view text;  // a view into the expression; "<EOF>" for kEof
  size_t begin;           // byte offsets into the expression
  size_t end;

  bool is_punct(std::string_view p) const { return type == Type::kPunct && text == p; }
  // Case-insensitive keyword test (AND, OR, NOT, BETWEEN, IN, SET, ...).
  bool is_keyword(std::string_view upper_word) const;
};

// The tokens of `text`, always ending with one kEof token whose offsets are
// both text.size(). The views point into `text`.
std::vector<Token> tokenize(std::string_view text);

}  // namespace jormun::expr
