#include "ops/attribute_updates.h"

#include <algorithm>
#include <optional>

#include "common/api_error.h"
#include "model/attribute_json.h"
#include "ops/params.h"

namespace jormun::ops {
namespace {

expr::Operand value_operand(model::AttributeValue v) {
  expr::Operand o;
  o.kind = expr::Operand::Kind::kValue;
  o.value = std::move(v);
  return o;
}

bool is_set(model::Type t) {
  return t == model::Type::SS || t == model::Type::NS || t == model::Type::BS;
}

void note_clause(expr::UpdateExpression& u, expr::UpdateExpression::Clause c) {
  if (std::find(u.clause_order.begin(), u.clause_order.end(), c) == u.clause_order.end())
    u.clause_order.push_back(c);
}

[[noreturn]] void invalid(const std::string& what) {
  throw ApiError::validation("One or more parameter values were invalid: " + what);
}

}  // namespace

expr::UpdateExpression update_from_attribute_updates(const rapidjson::Value& updates) {
  using Clause = expr::UpdateExpression::Clause;
  Params::expect_object(updates);
  Params violations(updates);
  expr::UpdateExpression u;
  u.from_attribute_updates = true;
  for (const auto& m : updates.GetObject()) {
    Params::expect_object(m.value);
    Params entry(m.value);
    std::string name = m.name.GetString();
    auto action = entry.string("Action");
    violations.one_of(action, "attributeUpdates." + name + ".member.action",
                      {"ADD", "PUT", "DELETE"});
    violations.check();
    std::string act = action ? std::string(*action) : "PUT";
    std::optional<model::AttributeValue> value;
    if (const rapidjson::Value* v = entry.object("Value"))
      value = model::parse_attribute_value(*v);
    expr::Path path{{name}};
    if (!value && act != "DELETE")
      invalid("Only DELETE action is allowed when no attribute value is specified");
    if (act == "PUT") {
      u.set.push_back({path, value_operand(std::move(*value))});
      note_clause(u, Clause::kSet);
    } else if (act == "DELETE" && !value) {
      u.remove.push_back(path);
      note_clause(u, Clause::kRemove);
    } else if (act == "DELETE") {
      if (!is_set(value->type()))
        invalid(std::string("DELETE action with value is not supported for the type ") +
                model::type_name(value->type()));
      u.del.push_back({path, value_operand(std::move(*value))});
      note_clause(u, Clause::kDelete);
    } else {
      // ADD of a list appends to it: undocumented, but DynamoDB does it.
      if (value->type() != model::Type::N && value->type() != model::Type::L &&
          !is_set(value->type()))
        invalid(std::string("ADD action is not supported for the type ") +
                model::type_name(value->type()));
      u.add.push_back({path, value_operand(std::move(*value))});
      note_clause(u, Clause::kAdd);
    }
  }
  return u;
}

}  // namespace jormun::ops
