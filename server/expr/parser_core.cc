#include "expr/parser_core.h"

#include <algorithm>
#include <charconv>

#include "expr/errors.h"
#include "expr/reserved_words.h"

namespace jormun::expr::detail {
namespace {

// DynamoDB's limits on one expression: its length in bytes, the operators
// and functions in it, and the elements of one document path.
constexpr size_t kMaxExpressionBytes = 4096;
constexpr size_t kMaxOperators = 300;
constexpr size_t kMaxPathElements = 32;

}  // namespace

ParserCore::ParserCore(std::string_view text, ExpressionKind kind,
                       std::initializer_list<std::string_view> keywords)
    : kind_(kind), text_(text), tokens_(tokenize(text)), keywords_(keywords) {}

void ParserCore::check_limits() const {
  if (text_.empty()) throw invalid_expression(kind_, "The expression can not be empty;");
  if (text_.size() > kMaxExpressionBytes) {
    throw invalid_expression(
        kind_,
        "Expression size has exceeded the maximum allowed size; expression size: " +
            std::to_string(text_.size()));
  }
}

// DynamoDB stops counting at the first operator over the limit, so the count
// it reports is always one more than the limit.
void ParserCore::check_operator_count() {
  if (operators_ <= kMaxOperators) return;
  note(Deferred::kOperatorCount,
       "The expression contains too many operators; operator count: " +
           std::to_string(kMaxOperators + 1));
}

const Token& ParserCore::peek(size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

const Token& ParserCore::next() {
  const Token& t = peek();
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return t;
}

bool ParserCore::accept_punct(std::string_view p) {
  if (!peek().is_punct(p)) return false;
  next();
  return true;
}

void ParserCore::expect_punct(std::string_view p) {
  if (!accept_punct(p)) fail();
}

void ParserCore::expect_end() {
  if (peek().type != Token::Type::kEof) fail();
}

void ParserCore::fail() {
  furthest_ = std::max(furthest_, pos_);
  throw SyntaxFailure{};
}

// DynamoDB quotes the offending token and, as "near", the source text from
// the start of the token before it to the end of the token after it.
void ParserCore::throw_syntax_error() const {
  const Token& bad = tokens_[furthest_];
  const size_t from = furthest_ > 0 ? tokens_[furthest_ - 1].begin : 0;
  const size_t to = furthest_ + 1 < tokens_.size() ? tokens_[furthest_ + 1].end : bad.end;
  throw invalid_expression(kind_,
                           syntax_error_detail(bad.text, text_.substr(from, to - from)));
}

void ParserCore::note(Deferred what, std::string message) {
  auto& slot = deferred_[static_cast<size_t>(what)];
  if (!slot) slot = std::move(message);
}

void ParserCore::raise_deferred(std::initializer_list<Deferred> order) const {
  for (Deferred d : order) {
    const auto& slot = deferred_[static_cast<size_t>(d)];
    if (slot) throw invalid_expression(kind_, *slot);
  }
}

bool ParserCore::at_path_start() const {
  const Token& t = peek();
  if (t.type == Token::Type::kName) return true;
  if (t.type != Token::Type::kIdentifier) return false;
  return std::none_of(keywords_.begin(), keywords_.end(),
                      [&](std::string_view k) { return t.is_keyword(k); });
}

bool ParserCore::at_function_call() const {
  return peek().type == Token::Type::kIdentifier && peek(1).is_punct("(");
}

std::string ParserCore::path_element_name() {
  if (!at_path_start()) fail();
  const Token& t = next();
  if (t.type == Token::Type::kIdentifier && is_reserved_word(t.text)) {
    note(Deferred::kReserved, "Attribute name is a reserved keyword; reserved keyword: " +
                                  std::string(t.text));
  }
  return std::string(t.text);
}

Path ParserCore::parse_path() {
  Path path;
  path.elements.emplace_back(path_element_name());
  while (true) {
    if (accept_punct("[")) {
      const Token& t = peek();
      uint32_t index = 0;
      if (t.type != Token::Type::kNumber) fail();
      const auto parsed =
          std::from_chars(t.text.data(), t.text.data() + t.text.size(), index);
      if (parsed.ec != std::errc()) fail();
      next();
      expect_punct("]");
      path.elements.emplace_back(index);
    } else if (accept_punct(".")) {
      path.elements.emplace_back(path_element_name());
    } else {
      break;
    }
  }
  if (path.elements.size() > kMaxPathElements) {
    note(Deferred::kPathDepth,
         "The document path has too many nesting levels; nesting levels: " +
             std::to_string(path.elements.size()));
  }
  return path;
}

void ParserCore::check_operand_count(const FunctionDescriptor& f, size_t actual) {
  if (actual >= f.min_arguments && actual <= f.max_arguments) return;
  note(Deferred::kOperands,
       "Incorrect number of operands for operator or function; operator or function: " +
           std::string(f.name) + ", number of operands: " + std::to_string(actual));
}

}  // namespace jormun::expr::detail
