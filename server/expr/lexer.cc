#include "expr/lexer.h"

namespace jormun::expr {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) { return is_letter(c) || is_digit(c) || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

bool Token::is_keyword(std::string_view upper_word) const {
  if (type != Type::kIdentifier || text.size() != upper_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper_word[i]) return false;
  }
  return true;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = text.size();
  auto scan_word = [&](size_t from) {
    while (from < n && is_word_char(text[from])) ++from;
    return from;
  };
  while (true) {
    while (i < n && is_space(text[i])) ++i;
    if (i == n) break;
    const size_t start = i;
    const char c = text[i];
    Token::Type type;
    if (is_letter(c)) {
      type = Token::Type::kIdentifier;
      i = scan_word(i + 1);
    } else if (c == '#' || c == ':') {
      // A sigil needs at least one word character after it to be a token.
      i = scan_word(i + 1);
      if (i == start + 1) {
        type = Token::Type::kInvalid;
      } else {
        type = c == '#' ? Token::Type::kName : Token::Type::kValue;
      }
    } else if (is_digit(c)) {
      type = Token::Type::kNumber;
      while (i < n && is_digit(text[i])) ++i;
    } else if ((c == '<' || c == '>') && i + 1 < n && text[i + 1] == '=') {
      type = Token::Type::kPunct;
      i += 2;
    } else if (c == '<' && i + 1 < n && text[i + 1] == '>') {
      type = Token::Type::kPunct;
      i += 2;
    } else if (std::string_view("=<>()[],.+-").find(c) != std::string_view::npos) {
      type = Token::Type::kPunct;
      ++i;
    } else {
      // A multi-byte UTF-8 character is reported whole, not as a lone byte.
      type = Token::Type::kInvalid;
      ++i;
      while (i < n && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    }
    tokens.push_back(Token{type, text.substr(start, i - start), start, i});
  }
  tokens.push_back(Token{Token::Type::kEof, "<EOF>", n, n});
  return tokens;
}

}  // namespace jormun::expr
