// What the three PartiQL operations share: reading one statement with its
// parameters, and running a plan through the JSON operation it names.
#pragma once

#include <rapidjson/document.h>

#include <string>

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

// Parses and plans a statement read by read_statement (after p.check()).
StatementPlan plan_request(Context& ctx, const StatementRequest& r, ReadPlan reads);

// Runs the plan's operation and returns its JSON answer. An INSERT that
// finds its item fails with DuplicateItemException.
rapidjson::Document run_plan(Context& ctx, const StatementPlan& plan);

// DuplicateItemException's message, as DynamoDB words it.
inline constexpr const char* kDuplicateItemMessage = "Duplicate primary key exists in table";

}  // namespace jormun::ops
