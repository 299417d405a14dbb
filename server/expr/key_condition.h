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
#include "storage/table_schema.h"

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
  // A multi-attribute key: the values of the HASH attributes after the
  // first, and of the leading RANGE attributes compared with = before the
  // one `sort` names.
  std::vector<model::AttributeValue> more_partition_values;
  std::vector<model::AttributeValue> sort_prefix;
};

// The key schema of the table or index being queried.
struct KeySchema {
  std::string partition_key;
  model::Type partition_type = model::Type::S;  // S, N or B
  std::optional<std::string> sort_key;
  model::Type sort_type = model::Type::S;
  // A GSI's multi-attribute key: its HASH attributes after partition_key,
  // its RANGE attributes after sort_key.
  std::vector<storage::KeyAttribute> more_partition_keys;
  std::vector<storage::KeyAttribute> more_sort_keys;

  // Every HASH attribute, then every RANGE attribute, in KeySchema order.
  std::vector<storage::KeyAttribute> partition_keys() const;
  std::vector<storage::KeyAttribute> sort_keys() const;
};

// At most this many conditions, one per key attribute of a multi-attribute
// GSI key (four HASH, four RANGE).
inline constexpr size_t kMaxKeyConditions = 8;

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
//   "Conditions can be of length 1 or 2 only" (more than kMaxKeyConditions)
void check_key_condition_shape(const Condition& resolved);

// Matches a resolved, shape-checked key condition against `schema`. Throws:
//   "Conditions can be of length 1 or 2 only"  (more than two, unless the key
//     has more than two attributes)
//   "Query condition missed key schema element: <partition key>"  (each HASH
//     attribute needs a condition)
//   "Query condition missed key schema element: <sort key>"  (condition on a
//     non-key, or on a RANGE attribute after one without a condition; names
//     the first RANGE attribute without one)
//   "Query key condition not supported"  (a HASH attribute not compared with
//     =, a RANGE attribute before the last one conditioned not compared with
//     =, or more conditions than a key without a sort key has attributes)
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
