// DynamoDB's older, non-expression parameters (QueryFilter, ScanFilter,
// KeyConditions, Expected + ConditionalOperator, AttributesToGet), converted
// into the same trees as expressions so one evaluator serves both. The results
// are already resolved: pass them straight to evaluate(), project() or
// to_key_condition() (after check_key_condition_shape()).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/ast.h"
#include "expr/key_condition.h"
#include "model/attribute_value.h"

namespace jormun::expr {

enum class ComparisonOperator : uint8_t {
  kEq,
  kNe,
  kLe,
  kLt,
  kGe,
  kGt,
  kNotNull,
  kNull,
  kContains,
  kNotContains,
  kBeginsWith,
  kIn,
  kBetween,
};

// "EQ", "NOT_NULL", ... as in requests and messages.
const char* comparison_operator_name(ComparisonOperator op);

enum class ConditionalOperator : uint8_t { kAnd, kOr };

// One entry of QueryFilter, ScanFilter or KeyConditions, or of Expected in
// its ComparisonOperator form.
struct LegacyCondition {
  ComparisonOperator op = ComparisonOperator::kEq;
  std::vector<model::AttributeValue> values;  // AttributeValueList
};

// Attribute name -> condition, in request order.
using LegacyFilter = std::vector<std::pair<std::string, LegacyCondition>>;

// The conjunction (kAnd) or disjunction (kOr) of the entries; nullopt for an
// empty filter. Throws ValidationException:
//   "One or more parameter values were invalid: Invalid number of argument(s)
//    for the <OP> ComparisonOperator"
//   "One or more parameter values were invalid: ComparisonOperator <OP> is not
//    valid for <T> AttributeValue type"
//   "One or more parameter values were invalid: AttributeValues inside
//    AttributeValueList must be of same type"
//   "The BETWEEN condition was provided a range where the lower bound is
//    greater than the upper bound"
// NOT_CONTAINS is false for a missing attribute, like every operator but NE
// and NULL.
std::optional<Condition> condition_from_filter(const LegacyFilter& filter,
                                               ConditionalOperator conjunction);

// Query's KeyConditions against the key schema. Besides the errors of
// condition_from_filter and to_key_condition, throws
//   "Conditions can be of length 1 or 2 only"
//   "Attempted conditional constraint is not an indexable operation"  (a key
//     attribute compared with NULL, NOT_NULL, NE, CONTAINS, NOT_CONTAINS or IN)
KeyCondition key_condition_from_legacy(const LegacyFilter& key_conditions,
                                       const KeySchema& schema);

// One entry of Expected: either the ComparisonOperator form or the
// Value / Exists form. Each member is nullopt when absent (an empty
// AttributeValueList is present).
struct ExpectedEntry {
  std::optional<ComparisonOperator> op;
  std::optional<std::vector<model::AttributeValue>> attribute_value_list;
  std::optional<model::AttributeValue> value;
  std::optional<bool> exists;
};
using Expected = std::vector<std::pair<std::string, ExpectedEntry>>;

// As condition_from_filter, plus for the Value/Exists form: Value given means
// "= Value", Exists false means attribute_not_exists. Throws "One or more
// parameter values were invalid: " followed by the first of (in DynamoDB's
// order)
//   "Exists and ComparisonOperator cannot be used together for Attribute: <a>"
//   "Value and AttributeValueList cannot be used together for Attribute: <a>"
//   "AttributeValueList can only be used with a ComparisonOperator for Attribute: <a>"
//   "Value cannot be used when Exists is false for Attribute: <a>"
//   "Value or AttributeValueList must be used with ComparisonOperator: <OP> for
//    Attribute: <a>"  (unless OP is NULL or NOT_NULL)
//   "Value must be provided when Exists is null for Attribute: <a>"
//   "Value must be provided when Exists is true for Attribute: <a>"
std::optional<Condition> condition_from_expected(const Expected& expected,
                                                 ConditionalOperator conjunction);

// ConditionalOperator, when sent, needs a Filter (QueryFilter, ScanFilter) or
// Expected of `conditions` >= 2 entries. Throws
//   "ConditionalOperator cannot be used without Filter or Expected"  (0)
//   "ConditionalOperator can only be used when Filter or Expected has two or
//    more elements"  (1)
void check_conditional_operator(size_t conditions);

// AttributesToGet as a projection of top-level attributes. Throws
// "One or more parameter values were invalid: Duplicate value in attribute name: <a>".
Projection projection_from_attributes_to_get(const std::vector<std::string>& names);

// Throws "Can not use both expression and non-expression parameters in the
// same request: Non-expression parameters: {AttributesToGet} Expression
// parameters: {ProjectionExpression}" (names joined with ", ") when both
// lists are non-empty. Each list names the parameters present in the request.
void check_not_mixed(const std::vector<std::string_view>& non_expression_parameters,
                     const std::vector<std::string_view>& expression_parameters);

}  // namespace jormun::expr
