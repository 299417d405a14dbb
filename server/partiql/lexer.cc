#include "partiql/lexer.h"

#include <cctype>

namespace jormun::partiql {
namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}
bool digit(char c) { return c >= '0' && c <= '9'; }

// A quoted run starting at s[i] (the quote), with the doubled quote as its
// escape. Returns the position after the closing quote, or npos when the
// statement ends first.
size_t quoted(std::string_view s, size_t i, char quote, std::string& text) {
  for (size_t j = i + 1; j < s.size(); ++j) {
    if (s[j] != quote) {
      text += s[j];
      continue;
    }
    if (j + 1 < s.size() && s[j + 1] == quote) {
      text += quote;
      ++j;
      continue;
    }
    return j + 1;
  }
  return std::string_view::npos;
}

size_t number_end(std::string_view s, size_t i) {
  while (i < s.size() && digit(s[i])) ++i;
  if (i + 1 < s.size() && s[i] == '.' && digit(s[i + 1])) {
    ++i;
    while (i < s.size() && digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && digit(s[j])) {
      while (j < s.size() && digit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

}  // namespace

bool Token::is_keyword(std::string_view upper_word) const {
  if (type != Type::kIdentifier || text.size() != upper_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(text[i])) != upper_word[i]) return false;
  return true;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {  // a comment to the line's end
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    Token t{Token::Type::kInvalid, {}, i};
    size_t end = i + 1;
    if (ident_start(c)) {
      while (end < s.size() && ident_char(s[end])) ++end;
      t.type = Token::Type::kIdentifier;
      t.text = s.substr(i, end - i);
    } else if (c == '"' || c == '\'') {
      end = quoted(s, i, c, t.text);
      if (end == std::string_view::npos) {
        t.text = s.substr(i);
        out.push_back(std::move(t));
        break;
      }
      t.type = c == '"' ? Token::Type::kQuoted : Token::Type::kString;
    } else if (digit(c) || (c == '.' && i + 1 < s.size() && digit(s[i + 1]))) {
      end = number_end(s, c == '.' ? i + 1 : i);
      t.type = Token::Type::kNumber;
      t.text = s.substr(i, end - i);
    } else if (c == '?') {
      t.type = Token::Type::kParameter;
      t.text = "?";
    } else {
      static constexpr std::string_view kTwo[] = {"<>", "!=", "<=", ">=", "<<", ">>"};
      static constexpr std::string_view kOne = "=<>()[]{},.:;*+-";
      for (auto two : kTwo)
        if (s.substr(i, 2) == two) end = i + 2;
      if (end == i + 2 || kOne.find(c) != std::string_view::npos) t.type = Token::Type::kPunct;
      t.text = s.substr(i, end - i);
    }
    out.push_back(std::move(t));
    i = end;
  }
  out.push_back({Token::Type::kEof, "<EOF>", s.size()});
  return out;
}

}  // namespace jormun::partiql
