// PartiQL paths, values and conditions written as the expression language
// (expr/) reads them: names become #placeholders and values :placeholders,
// collected for the request's ExpressionAttributeNames and
// ExpressionAttributeValues.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <string_view>

#include "expr/ast.h"
#include "partiql/ast.h"

namespace jormun::ops {

// A JSON string holding a copy of `s`, made in `a`.
rapidjson::Value json_string(std::string_view s, rapidjson::Document::AllocatorType& a);

// The expression text of a call of `f` with `arguments` (already written,
// comma-separated): "attribute_exists(#0)".
std::string call_text(expr::Function f, std::string_view arguments);

class PartiqlExpressions {
 public:
  // Values are made in `doc`'s allocator; `parameters` (the bound `?`
  // values, already counted) may be null when the statement has none.
  PartiqlExpressions(rapidjson::Document& doc, const rapidjson::Value* parameters)
      : doc_(doc), parameters_(parameters) {}

  std::string path(const partiql::Path& p);
  std::string value(const partiql::Value& v);
  // A condition or an operand of one. ValidationException for what the
  // expression language cannot say (arithmetic, IS on a value).
  std::string condition(const partiql::Expr& e);
  // The AttributeValue JSON of a literal or parameter.
  rapidjson::Value attribute(const partiql::Value& v);

  // Adds ExpressionAttributeNames and ExpressionAttributeValues to the
  // request, when any placeholder was made.
  void add_to(rapidjson::Value& request);

 private:
  rapidjson::Value set(const partiql::Value& v);

  rapidjson::Document& doc_;
  const rapidjson::Value* parameters_;
  std::map<std::string, std::string> names_;  // attribute name -> #placeholder
  rapidjson::Value values_{rapidjson::kObjectType};
  size_t value_count_ = 0;
};

}  // namespace jormun::ops
