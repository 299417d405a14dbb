// What the three PartiQL operations share: reading one statement with its
// parameters, and running a plan through the JSON operation it names.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <vector>

#include "ops/context.h"
#include "ops/params.h"
#include "ops/partiql_plan.h"
#include "partiql/ast.h"

namespace jormun::ops {

// A statement's text at most, in characters.
inline constexpr size_t kMaxStatementLength = 8192;

// The members of one statement as read: the text's constraints and the
// Parameters list's are recorded in `p` as violations at `path` +
// "statement" / "parameters" (path: "" or "statements.1.member.").
struct StatementRequest {
  std::string_view text;
  const rapidjson::Value* parameters = nullptr;
};
StatementRequest read_statement(Params& p, const std::string& path);

// One entry of Statements (BatchExecuteStatement) or TransactStatements
// (ExecuteTransaction).
struct ListedStatement {
  StatementRequest request;
  std::optional<bool> consistent;                 // ConsistentRead
  std::optional<std::string_view> old_on_failure;  // ReturnValuesOnConditionCheckFailure
};
// `member` (JSON name, as "Statements"): required, 1..`max` entries. Each
// entry's own constraints are checked (and thrown) as it is read; the
// list's are recorded in `p`.
std::vector<ListedStatement> read_statement_list(Params& p, const char* member, size_t max);

// Parses and plans a statement read by read_statement (after p.check()).
StatementPlan plan_request(Context& ctx, const StatementRequest& r, ReadPlan reads);

// Runs the plan's operation and returns its JSON answer. An INSERT that
// finds its item fails with DuplicateItemException.
rapidjson::Document run_plan(Context& ctx, const StatementPlan& plan);

// Adds the numbers of `from` into `into`, member by member, where both have
// them (ConsumedCapacity of several operations on one table).
void add_numbers(rapidjson::Value& into, const rapidjson::Value& from,
                 rapidjson::Document::AllocatorType& a);

// Batches and transactions hold reads or writes, not both (our wording).
inline constexpr const char* kMixedStatementsMessage =
    "Supplied statements must be all reads or all writes";

// DuplicateItemException's message, as DynamoDB words it.
inline constexpr const char* kDuplicateItemMessage = "Duplicate primary key exists in table";

}  // namespace jormun::ops
