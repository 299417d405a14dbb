// The restricted form of a KeyConditionExpression that Query runs: equality
// on the partition key and at most one condition on the sort key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/ast.h"
#include "model/attribute_value.h"
#include "storage/key_range.h"

namespace jormun::expr {

struct SortKeyCondition {
  // Storage's, so the condition becomes a storage::KeyRange as it is.
  using Op = storage::SortKeyRange::Op;
  std::string attribute;
  Op op = Op::kEq;
  // One value; two for kBetween (low, high).
  std::vector<model::AttributeValue> values;
};

struct KeyCondition {
  std::string partition_key;
  model::AttributeValue partition_value;
  std::optional<SortKeyCondition> sort;
};

// The key schema of the table or index being queried.
struct KeySchema {
  std::string partition_key;
  model::Type partition_type = model::Type::S;  // S, N or B
  std::optional<std::string> sort_key;
  model::Type sort_type = model::Type::S;
};

// Checks the shape of a resolved KeyConditionExpression, which needs no
// schema: only AND of conditions with one key attribute (a top-level path) as
// one side and :values on the other. Throws ValidationException with
// DynamoDB's messages:
//   "Invalid operator used in KeyConditionExpression: OR" (also NOT, IN, <>,
//     attribute_exists, attribute_not_exists, attribute_type, contains)
//   "KeyConditionExpressions cannot contain nested operations"   (size())
//   "KeyConditionExpressions cannot have conditions on nested attributes"
//   "Invalid condition in KeyConditionExpression: Multiple attribute names used in one
//   condition" "Invalid condition in KeyConditionExpression: No key attribute specified"
//   "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key
//    attribute as its first operand" (and begins_with)
//   "KeyConditionExpressions must only contain one condition per key"
//   "Conditions can be of length 1 or 2 only"
void check_key_condition_shape(const Condition& resolved);

// Matches a resolved, shape-checked key condition against `schema`. Throws:
//   "Query condition missed key schema element: <partition key>"
//   "Query condition missed key schema element: <sort key>"  (condition on a non-key)
//   "Query key condition not supported"  (partition key not compared with =, or
//     two conditions on a table or index without a sort key)
//   "One or more parameter values were invalid: Condition parameter type does not
//    match schema type"
KeyCondition to_key_condition(const Condition& resolved, const KeySchema& schema);

// Query may not filter on the key attributes of the table or index queried.
// `parameter` is "Filter Expression" for a FilterExpression and "QueryFilter"
// for the legacy parameter. Throws "<parameter> can only contain non-primary
// key attributes: Primary key attribute: <name>", naming the partition key
// before the sort key.
void check_filter_excludes_keys(const Condition& resolved_filter, const KeySchema& schema,
                                std::string_view parameter);

}  // namespace jormun::expr
