// The expression parameters of a request, and their legacy (pre-expression)
// equivalents, read into resolved expression trees.
//
// Each operation names the parameters it accepts; a parameter it does not
// accept is ignored, as DynamoDB ignores unknown members. Mixing expression
// and non-expression parameters is refused with DynamoDB's message.
#pragma once

#include <optional>

#include "expr/expressions.h"
#include "expr/legacy.h"
#include "ops/params.h"

namespace jormun::ops {

// Which parameter families an operation accepts.
enum ExpressionFamilies : unsigned {
  kConditionParams = 1,   // ConditionExpression | Expected (+ ConditionalOperator)
  kUpdateParams = 2,      // UpdateExpression | AttributeUpdates
  kProjectionParams = 4,  // ProjectionExpression | AttributesToGet
  kQueryParams = 8,       // KeyConditionExpression | KeyConditions,
                          // FilterExpression | QueryFilter (+ ConditionalOperator)
  kScanParams = 16,       // FilterExpression | ScanFilter (+ ConditionalOperator)
};

struct Expressions {
  std::optional<expr::Condition> condition;
  std::optional<expr::Condition> filter;
  // Query: exactly one of these once read.
  std::optional<expr::Condition> key_condition;  // shape-checked
  std::optional<expr::LegacyFilter> key_conditions;
  std::optional<expr::UpdateExpression> update;
  std::optional<expr::Projection> projection;
};

// Reads and resolves the families in `accepted`. Throws ApiError.
Expressions read_expressions(const Params& p, unsigned accepted);

}  // namespace jormun::ops
