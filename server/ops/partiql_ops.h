// DynamoDB's PartiQL operations: ExecuteStatement, BatchExecuteStatement
// and ExecuteTransaction. Each statement is parsed (partiql/), planned into
// a JSON operation's request (ops/partiql_plan.h) and run by that
// operation, so PartiQL and the JSON API share one executor.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void execute_statement(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void batch_execute_statement(Context& ctx, const rapidjson::Value& request,
                             model::JsonWriter& out);
void execute_transaction(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
