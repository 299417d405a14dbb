// The recursive-descent parser of DynamoDB's PartiQL dialect: SELECT,
// INSERT, UPDATE, DELETE and (for transactions) EXISTS(SELECT ...).
// Keywords are case-insensitive; names are bare or double-quoted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "partiql/ast.h"

namespace jormun::partiql {

// Nesting the parser follows before it refuses a statement (parentheses,
// NOT, lists and maps), so hostile input cannot exhaust the stack.
inline constexpr size_t kMaxDepth = 64;

// The prefix of every syntax error's message, as DynamoDB writes it.
inline constexpr std::string_view kMalformed = "Statement wasn't well formed, can't be processed: ";

// Parses one statement; a syntax error throws ValidationException.
Statement parse(std::string_view statement);

// The table a statement names, or nullopt when it does not parse (the
// operation then refuses it): permissions check it before the operation.
std::optional<std::string> statement_table(std::string_view statement);

}  // namespace jormun::partiql
