// Splits a PartiQL statement into tokens. The lexer never fails: a character
// that starts no token, or an unterminated string or quoted name, becomes a
// kInvalid token, which the parser reports as a syntax error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jormun::partiql {

struct Token {
  enum class Type {
    kIdentifier,  // [A-Za-z_][A-Za-z0-9_$]*: names, keywords, functions
    kQuoted,      // "name" ("" inside stands for one "): always a name
    kString,      // 'text' ('' inside stands for one ')
    kNumber,      // digits with an optional fraction and exponent (no sign)
    kParameter,   // ?
    kPunct,       // = <> != < <= > >= ( ) [ ] { } , . : ; * + - << >>
    kInvalid,
    kEof,
  };
  Type type;
  // The name or string with its quotes removed and escapes undone; the
  // token's text for the other types; "<EOF>" for kEof.
  std::string text;
  size_t begin;  // byte offset into the statement

  bool is_punct(std::string_view p) const { return type == Type::kPunct && text == p; }
  // Case-insensitive keyword test of a bare identifier.
  bool is_keyword(std::string_view upper_word) const;
};

// The tokens of `statement`, ending with one kEof token.
std::vector<Token> tokenize(std::string_view statement);

}  // namespace jormun::partiql
