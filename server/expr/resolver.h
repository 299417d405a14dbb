// Phase two: replacing #name and :value placeholders with what the request's
// ExpressionAttributeNames and ExpressionAttributeValues map them to, and the
// checks that need those values (operand types, BETWEEN bounds, overlapping
// update paths). One Resolver serves all expressions of one request, so that
// names and values unused by every expression can be reported at the end.
#pragma once

#include <map>
#include <set>
#include <string>

#include "expr/ast.h"
#include "model/attribute_value.h"

namespace jormun::expr {

using AttributeNames = std::map<std::string, std::string>;
using AttributeValues = std::map<std::string, model::AttributeValue>;

// Checks the maps themselves; a null pointer means the parameter was absent.
// Throws ValidationException:
//   "ExpressionAttributeNames must not be empty"
//   "ExpressionAttributeNames contains invalid key: The expression attribute
//    map contains a key that is too long; size of key: N"  (over 255 bytes)
//   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"<k>\""
// and the same for ExpressionAttributeValues (keys must be #x / :x with x in
// [A-Za-z0-9_]+).
void validate_attribute_maps(const AttributeNames* names, const AttributeValues* values);

// Not thread-safe; one per request. The maps must outlive the Resolver.
class Resolver {
 public:
  // Null maps behave as empty ones.
  Resolver(const AttributeNames* names, const AttributeValues* values);

  // Each returns a copy with every placeholder resolved, or throws
  // ValidationException "Invalid <Kind>: ..." with DynamoDB's message for
  // an undefined name or value, a misplaced or mistyped operand, equal
  // operands, BETWEEN bounds out of order, or overlapping/conflicting paths.
  // REQUIRES: kind is kCondition, kFilter or kKeyCondition.
  Condition resolve(const Condition& c, ExpressionKind kind);
  UpdateExpression resolve(const UpdateExpression& u);
  Projection resolve(const Projection& p);

  // Call once after resolving every expression of the request. Throws
  //   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
  // or the same for ExpressionAttributeValues (names are checked first).
  void check_all_used() const;

 private:
  void resolve_path(Path& path, ExpressionKind kind);
  void resolve_operand(Operand& op, ExpressionKind kind);
  void resolve_placeholders(Condition& c, ExpressionKind kind);

  const AttributeNames* names_;
  const AttributeValues* values_;
  std::set<std::string, std::less<>> used_names_;
  std::set<std::string, std::less<>> used_values_;
};

}  // namespace jormun::expr
