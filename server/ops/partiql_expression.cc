#include "ops/partiql_expression.h"

#include "common/api_error.h"
#include "expr/functions.h"

namespace jormun::ops {
namespace {

using partiql::Expr;
using partiql::Value;

rapidjson::Value typed(const char* type, rapidjson::Value v,
                       rapidjson::Document::AllocatorType& a) {
  rapidjson::Value out(rapidjson::kObjectType);
  out.AddMember(rapidjson::StringRef(type), v, a);
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

}  // namespace

rapidjson::Value json_string(std::string_view s, rapidjson::Document::AllocatorType& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

std::string call_text(expr::Function f, std::string_view arguments) {
  std::string out(expr::describe(f).name);
  out += '(';
  out += arguments;
  out += ')';
  return out;
}

std::string PartiqlExpressions::path(const partiql::Path& p) {
  std::string out;
  for (const auto& step : p) {
    if (step.index) {
      out += "[" + std::to_string(*step.index) + "]";
      continue;
    }
    auto [it, added] = names_.emplace(step.name, "#" + std::to_string(names_.size()));
    if (!out.empty()) out += '.';
    out += it->second;
  }
  return out;
}

std::string PartiqlExpressions::value(const Value& v) {
  std::string name = ":" + std::to_string(value_count_++);
  rapidjson::Value av = attribute(v);
  values_.AddMember(json_string(name, doc_.GetAllocator()), av, doc_.GetAllocator());
  return name;
}

rapidjson::Value PartiqlExpressions::attribute(const Value& v) {
  auto& a = doc_.GetAllocator();
  switch (v.kind) {
    case Value::Kind::kString:
      return typed("S", json_string(v.text, a), a);
    case Value::Kind::kNumber:
      return typed("N", json_string(v.text, a), a);
    case Value::Kind::kBoolean:
      return typed("BOOL", rapidjson::Value(v.boolean), a);
    case Value::Kind::kNull:
      return typed("NULL", rapidjson::Value(true), a);
    case Value::Kind::kParameter:
      return rapidjson::Value((*parameters_)[static_cast<rapidjson::SizeType>(v.parameter)], a);
    case Value::Kind::kList: {
      rapidjson::Value list(rapidjson::kArrayType);
      for (const auto& item : v.items) list.PushBack(attribute(item), a);
      return typed("L", std::move(list), a);
    }
    case Value::Kind::kMap: {
      rapidjson::Value map(rapidjson::kObjectType);
      for (size_t i = 0; i < v.items.size(); ++i) {
        // MISSING leaves the member out, as PartiQL's tuples do.
        if (v.items[i].kind == Value::Kind::kMissing) continue;
        if (map.HasMember(v.keys[i].c_str()))
          throw ApiError::validation("Duplicate key in map literal: " + v.keys[i]);
        map.AddMember(json_string(v.keys[i], a), attribute(v.items[i]), a);
      }
      return typed("M", std::move(map), a);
    }
    case Value::Kind::kSet:
      return set(v);
    case Value::Kind::kMissing:
      break;
  }
  throw ApiError::validation("MISSING is not a value: it can only be tested with IS MISSING");
}

// <<...>>: a String, Number or Binary set, by the type of its elements.
rapidjson::Value PartiqlExpressions::set(const Value& v) {
  auto& a = doc_.GetAllocator();
  std::string type;
  rapidjson::Value members(rapidjson::kArrayType);
  for (const auto& item : v.items) {
    rapidjson::Value element = attribute(item);
    std::string element_type;
    rapidjson::Value scalar;
    if (element.IsObject() && element.MemberCount() == 1) {
      auto m = element.MemberBegin();
      element_type = std::string(m->name.GetString(), m->name.GetStringLength());
      scalar = m->value;
    }
    if ((element_type != "S" && element_type != "N" && element_type != "B") || !scalar.IsString())
      throw ApiError::validation(
          "A set can only hold strings, numbers or binaries: <<...>> has another value");
    if (!type.empty() && element_type != type)
      throw ApiError::validation("A set's elements must all be of one type");
    type = element_type;
    members.PushBack(scalar, a);
  }
  if (type.empty()) throw ApiError::validation("A set cannot be empty: <<>>");
  rapidjson::Value out(rapidjson::kObjectType);
  out.AddMember(json_string(type + "S", a), members, a);
  return out;
}

std::string PartiqlExpressions::condition(const Expr& e) {
  std::vector<std::string> parts;
  switch (e.kind) {
    case Expr::Kind::kOr:
    case Expr::Kind::kAnd:
      for (const auto& arg : e.args) parts.push_back(condition(arg));
      return "(" + join(parts, e.kind == Expr::Kind::kOr ? " OR " : " AND ") + ")";
    case Expr::Kind::kNot:
      return "(NOT " + condition(e.args[0]) + ")";
    case Expr::Kind::kCompare:
      return condition(e.args[0]) + " " + e.op + " " + condition(e.args[1]);
    case Expr::Kind::kBetween:
      return condition(e.args[0]) + " BETWEEN " + condition(e.args[1]) + " AND " +
             condition(e.args[2]);
    case Expr::Kind::kIn:
      for (size_t i = 1; i < e.args.size(); ++i) parts.push_back(condition(e.args[i]));
      return condition(e.args[0]) + " IN (" + join(parts, ", ") + ")";
    case Expr::Kind::kIs: {
      if (e.args[0].kind != Expr::Kind::kPath)
        throw ApiError::validation("IS " + e.op + " can only test an attribute path");
      const std::string p = path(e.args[0].path);
      if (e.op == "MISSING") return call_text(expr::Function::kAttributeNotExists, p);
      if (e.op == "NOT MISSING") return call_text(expr::Function::kAttributeExists, p);
      Value null_type;
      null_type.kind = Value::Kind::kString;
      null_type.text = "NULL";
      const std::string test =
          call_text(expr::Function::kAttributeType, p + ", " + value(null_type));
      return e.op == "NULL" ? test : "(NOT " + test + ")";
    }
    case Expr::Kind::kCall:
      // Written as called: the expression parser looks the name up in
      // expr/functions.h and refuses an unknown one with DynamoDB's text.
      for (const auto& arg : e.args) parts.push_back(condition(arg));
      return e.op + "(" + join(parts, ", ") + ")";
    case Expr::Kind::kArithmetic:
      // Only UPDATE's SET can compute; its caller writes the operands itself.
      throw ApiError::validation("Arithmetic is only allowed in an UPDATE's SET");
    case Expr::Kind::kPath:
      return path(e.path);
    case Expr::Kind::kValue:
      return value(e.value);
  }
  return {};
}

void PartiqlExpressions::add_to(rapidjson::Value& request) {
  auto& a = doc_.GetAllocator();
  if (!names_.empty()) {
    rapidjson::Value names(rapidjson::kObjectType);
    for (const auto& [name, placeholder] : names_)
      names.AddMember(json_string(placeholder, a), json_string(name, a), a);
    request.AddMember("ExpressionAttributeNames", names, a);
  }
  if (value_count_ > 0) request.AddMember("ExpressionAttributeValues", values_, a);
}

}  // namespace jormun::ops
