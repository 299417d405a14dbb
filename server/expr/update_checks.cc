#include "expr/update_checks.h"

#include <string>

#include "expr/errors.h"
#include "expr/functions.h"

namespace jormun::expr {
namespace {

using model::Type;

// ADD takes a number or a set, DELETE a set. DynamoDB names the offending
// type in words here, and the set of types it allows.
void check_add_delete_value(const Operand& value, bool is_add) {
  const char* word = nullptr;
  switch (value.value.type()) {
    case Type::S:
      word = "STRING";
      break;
    case Type::N:
      word = is_add ? nullptr : "NUMBER";
      break;
    case Type::B:
      word = "BINARY";
      break;
    case Type::NULL_:
      word = "NULL";
      break;
    case Type::BOOL:
      word = "BOOLEAN";
      break;
    case Type::L:
      word = "LIST";
      break;
    case Type::M:
      word = "MAP";
      break;
    default:
      break;
  }
  if (word == nullptr) return;
  throw invalid_expression(
      ExpressionKind::kUpdate,
      std::string("Incorrect operand type for operator or function; operator: ") +
          (is_add ? "ADD" : "DELETE") + ", operand type: " + word + ", typeSet: " +
          (is_add ? "ALLOWED_FOR_ADD_OPERAND" : "ALLOWED_FOR_DELETE_OPERAND"));
}

void check_update_function(const Operand& op) {
  if (op.kind != Operand::Kind::kFunction) return;
  for (const Operand& arg : op.args) check_update_function(arg);
  check_arguments(describe(op.function), op.args, ExpressionKind::kUpdate);
}

}  // namespace

void check_update_operands(const UpdateExpression& u) {
  for (const auto& a : u.add) check_add_delete_value(a.value, true);
  for (const auto& d : u.del) check_add_delete_value(d.value, false);
  for (const auto& s : u.set) check_update_function(s.value);
}

}  // namespace jormun::expr
