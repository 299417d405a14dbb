// The entry point for operations: everything PutItem, UpdateItem, DeleteItem,
// GetItem, Query, Scan and the transaction/batch variants need from expr/.
//
// DynamoDB expressions go through three phases (as in Alternator):
//   1. parse   - syntax only; results cached by text (expression_cache.h)
//   2. resolve - #names and :values of the request substituted and checked,
//                across all expressions of the request (prepare_expressions)
//   3. use     - evaluate() a condition or filter, apply_update(), project(),
//                to_key_condition() with the table's key schema
// Every client error is an ApiError (ValidationException) carrying DynamoDB's
// message; phase 3 raises only the data-dependent ones documented per function.
//
// Usage (UpdateItem):
//
//   expr::RequestExpressions in;
//   in.update = req.update_expression;            // std::optional<std::string_view>
//   in.condition = req.condition_expression;
//   in.names = req.has_names ? &req.names : nullptr;    // expr::AttributeNames
//   in.values = req.has_values ? &req.values : nullptr; // expr::AttributeValues
//   expr::PreparedExpressions ex = expr::prepare_expressions(in);
//   expr::check_key_attributes_untouched(*ex.update, table.key_attribute_names());
//   // ... lock the key, read `old` (std::optional<model::Item>) ...
//   if (ex.condition && !expr::evaluate(*ex.condition, old ? &*old : nullptr))
//     throw ApiError::conditional_check_failed();
//   expr::UpdateResult r = expr::apply_update(*ex.update, old ? &*old : nullptr,
//   req.key);
//   // ReturnValues=UPDATED_NEW:
//   model::Item attributes = expr::project(r.item, r.updated_paths);
//
// Query: in.key_condition / in.filter / in.projection, then
//   expr::KeyCondition kc = expr::to_key_condition(*ex.key_condition, schema);
//   if (ex.filter) expr::check_filter_excludes_keys(*ex.filter, schema, "Filter
//   Expression");
//   ... for each item: if (!ex.filter || expr::evaluate(*ex.filter, &item)) keep it,
//   projected with expr::project(item, ex.projection->paths) when ex.projection.
//
// Requests with the legacy parameters (Expected, QueryFilter, ScanFilter,
// KeyConditions, AttributesToGet) convert them with legacy.h into the same
// trees, after check_not_mixed(). The 400 KB item limit after an update is
// the caller's check (model/item_size.h).
#pragma once

#include <optional>
#include <string_view>

#include "expr/ast.h"
#include "expr/evaluator.h"
#include "expr/expression_cache.h"
#include "expr/key_condition.h"
#include "expr/legacy.h"
#include "expr/projection.h"
#include "expr/resolver.h"
#include "expr/update_applier.h"

namespace jormun::expr {

// The expression parameters of one request, as sent. An absent parameter is
// nullopt / nullptr; an empty string is present (and rejected as empty).
struct RequestExpressions {
  std::optional<std::string_view> condition;      // ConditionExpression
  std::optional<std::string_view> filter;         // FilterExpression
  std::optional<std::string_view> key_condition;  // KeyConditionExpression
  std::optional<std::string_view> update;         // UpdateExpression
  std::optional<std::string_view> projection;     // ProjectionExpression
  const AttributeNames* names = nullptr;          // ExpressionAttributeNames
  const AttributeValues* values = nullptr;        // ExpressionAttributeValues
};

// The resolved expressions of a request; each is set iff its parameter was.
// Self-contained: nothing refers back to the request or the cache.
struct PreparedExpressions {
  std::optional<Condition> condition;
  std::optional<Condition> filter;
  // Shape-checked; turn into a KeyCondition with to_key_condition() once the
  // table's key schema is known (DynamoDB reports a missing table first).
  std::optional<Condition> key_condition;
  std::optional<UpdateExpression> update;
  std::optional<Projection> projection;
};

// Parses (through `cache`) and resolves every expression of a request, in
// this order: UpdateExpression, ConditionExpression, KeyConditionExpression,
// FilterExpression, ProjectionExpression; then reports unused names and values.
// Throws ValidationException, first for the maps themselves:
//   "ExpressionAttributeNames must not be empty"
//   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"<k>\""
//   "ExpressionAttributeNames can only be specified when using expressions"
//   (and the same three for ExpressionAttributeValues)
// then the errors of parser.h, resolver.h and check_key_condition_shape().
PreparedExpressions prepare_expressions(
    const RequestExpressions& request,
    ExpressionCache& cache = ExpressionCache::shared());

}  // namespace jormun::expr
