// The recursive-descent parser of DynamoDB's PartiQL dialect: SELECT,
// INSERT, UPDATE, DELETE and (for transactions) EXISTS(SELECT ...).
// Keywords are case-insensitive; names are bare or double-quoted.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/text_cache.h"
#include "partiql/ast.h"

namespace jormun::partiql {

// Nesting the parser follows before it refuses a statement (parentheses,
// NOT, lists and maps), so hostile input cannot exhaust the stack.
inline constexpr size_t kMaxDepth = 64;

// The prefix of every syntax error's message, as DynamoDB writes it.
inline constexpr std::string_view kMalformed = "Statement wasn't well formed, can't be processed: ";

// Parses one statement; a syntax error throws ValidationException.
Statement parse(std::string_view statement);

// The process-wide cache of parsed statements (4096 entries), keyed by the
// statement's text alone: a statement holds its values as `?`, so an
// application's few statement texts are parsed once each, as expressions
// are (expr/expression_cache.h).
common::TextCache& statement_cache();

// parse(), through `cache`: the same text answers the same shared tree.
// A syntax error is thrown every time and not cached.
std::shared_ptr<const Statement> parse_cached(std::string_view statement,
                                              common::TextCache& cache = statement_cache());

// The table a statement names, or nullopt when it does not parse (the
// operation then refuses it): permissions check it before the operation.
std::optional<std::string> statement_table(std::string_view statement);

}  // namespace jormun::partiql
