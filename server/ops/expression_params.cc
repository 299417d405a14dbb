#include "ops/expression_params.h"

#include <string>
#include <vector>

#include "common/api_error.h"
#include "model/attribute_json.h"
#include "model/nesting.h"
#include "ops/attribute_updates.h"

namespace jormun::ops {
namespace {

using rapidjson::Value;

const Value* member(const Params& p, const char* name) {
  auto it = p.json().FindMember(name);
  return it == p.json().MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::optional<expr::AttributeNames> read_names(const Params& p) {
  const Value* v = p.object("ExpressionAttributeNames");
  if (!v) return std::nullopt;
  expr::AttributeNames names;
  for (const auto& m : v->GetObject())
    names[m.name.GetString()] = std::string(Params::string_at(m.value));
  return names;
}

std::optional<expr::AttributeValues> read_values(const Params& p) {
  const Value* v = p.object("ExpressionAttributeValues");
  if (!v) return std::nullopt;
  expr::AttributeValues values;
  for (const auto& m : v->GetObject()) {
    try {
      values[m.name.GetString()] = model::parse_attribute_value(m.value);
    } catch (const ApiError& e) {
      // A value nested too deeply is reported bare, as in an item.
      if (e.type() != "ValidationException" || e.message() == model::kNestingTooDeep)
        throw;
      throw ApiError::validation("ExpressionAttributeValues contains invalid value: " +
                                 e.message() + " for key " + m.name.GetString());
    }
  }
  return values;
}

std::vector<model::AttributeValue> value_list(const Value& list) {
  Params::expect_list(list);
  std::vector<model::AttributeValue> out;
  for (const auto& v : list.GetArray()) out.push_back(model::parse_attribute_value(v));
  return out;
}

std::optional<expr::ComparisonOperator> comparison_operator(const Value& v,
                                                            const std::string& path,
                                                            Params& violations) {
  static const std::pair<const char*, expr::ComparisonOperator> kOps[] = {
      {"EQ", expr::ComparisonOperator::kEq},
      {"NE", expr::ComparisonOperator::kNe},
      {"IN", expr::ComparisonOperator::kIn},
      {"LE", expr::ComparisonOperator::kLe},
      {"LT", expr::ComparisonOperator::kLt},
      {"GE", expr::ComparisonOperator::kGe},
      {"GT", expr::ComparisonOperator::kGt},
      {"BETWEEN", expr::ComparisonOperator::kBetween},
      {"NOT_NULL", expr::ComparisonOperator::kNotNull},
      {"NULL", expr::ComparisonOperator::kNull},
      {"CONTAINS", expr::ComparisonOperator::kContains},
      {"NOT_CONTAINS", expr::ComparisonOperator::kNotContains},
      {"BEGINS_WITH", expr::ComparisonOperator::kBeginsWith},
  };
  std::string_view name = Params::string_at(v);
  for (const auto& [n, op] : kOps)
    if (name == n) return op;
  violations.one_of(name, path,
                    {"EQ", "NE", "IN", "LE", "LT", "GE", "GT", "BETWEEN", "NOT_NULL",
                     "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"});
  return std::nullopt;
}

// QueryFilter, ScanFilter, KeyConditions: {attr: {ComparisonOperator,
// AttributeValueList}}.
expr::LegacyFilter read_legacy_filter(const Value& obj, const char* param,
                                      Params& violations) {
  Params::expect_object(obj);
  expr::LegacyFilter out;
  for (const auto& m : obj.GetObject()) {
    Params::expect_object(m.value);
    Params entry(m.value);
    std::string path =
        lower_first(param) + "." + m.name.GetString() + ".member.comparisonOperator";
    const Value* op = member(entry, "ComparisonOperator");
    violations.not_null(op, path);
    expr::LegacyCondition c;
    if (op) {
      auto parsed = comparison_operator(*op, path, violations);
      if (parsed) c.op = *parsed;
    }
    if (const Value* list = member(entry, "AttributeValueList"))
      c.values = value_list(*list);
    out.emplace_back(m.name.GetString(), std::move(c));
  }
  return out;
}

expr::Expected read_expected(const Value& obj, Params& violations) {
  Params::expect_object(obj);
  expr::Expected out;
  for (const auto& m : obj.GetObject()) {
    Params::expect_object(m.value);
    Params entry(m.value);
    expr::ExpectedEntry e;
    if (const Value* op = member(entry, "ComparisonOperator"))
      e.op = comparison_operator(
          *op,
          std::string("expected.") + m.name.GetString() + ".member.comparisonOperator",
          violations);
    if (const Value* list = member(entry, "AttributeValueList"))
      e.attribute_value_list = value_list(*list);
    if (const Value* v = member(entry, "Value"))
      e.value = model::parse_attribute_value(*v);
    e.exists = entry.boolean("Exists");
    out.emplace_back(m.name.GetString(), std::move(e));
  }
  return out;
}

expr::ConditionalOperator conditional_operator(Params& p) {
  auto op = p.string("ConditionalOperator");
  p.one_of(op, "conditionalOperator", {"AND", "OR"});
  return op && *op == "OR" ? expr::ConditionalOperator::kOr
                           : expr::ConditionalOperator::kAnd;
}

std::vector<std::string> string_list(const Value& list) {
  Params::expect_list(list);
  std::vector<std::string> out;
  for (const auto& v : list.GetArray()) out.emplace_back(Params::string_at(v));
  return out;
}

}  // namespace

Expressions read_expressions(const Params& request, unsigned accepted) {
  Params p(request.json());  // collects this phase's violations
  expr::RequestExpressions in;
  std::vector<std::string_view> legacy, modern;
  auto expression = [&](const char* name,
                        unsigned family) -> std::optional<std::string_view> {
    if (!(accepted & family)) return std::nullopt;
    auto text = p.string(name);
    if (text) modern.push_back(name);
    return text;
  };
  auto legacy_param = [&](const char* name, unsigned family) -> const Value* {
    if (!(accepted & family)) return nullptr;
    const Value* v = member(p, name);
    if (v) legacy.push_back(name);
    return v;
  };

  // DynamoDB's mixing error lists the parameters in this order (no
  // operation accepts both UpdateExpression and ProjectionExpression).
  in.update = expression("UpdateExpression", kUpdateParams);
  in.condition = expression("ConditionExpression", kConditionParams);
  in.projection = expression("ProjectionExpression", kProjectionParams);
  in.filter = expression("FilterExpression", kQueryParams | kScanParams);
  in.key_condition = expression("KeyConditionExpression", kQueryParams);

  const Value* attribute_updates = legacy_param("AttributeUpdates", kUpdateParams);
  const Value* attributes_to_get = legacy_param("AttributesToGet", kProjectionParams);
  const Value* expected = legacy_param("Expected", kConditionParams);
  const Value* scan_filter = legacy_param("ScanFilter", kScanParams);
  const Value* query_filter = legacy_param("QueryFilter", kQueryParams);
  const Value* conditional =
      legacy_param("ConditionalOperator", kConditionParams | kQueryParams | kScanParams);
  // KeyConditions only conflicts with KeyConditionExpression: DynamoDB
  // accepts it with FilterExpression and ProjectionExpression.
  const Value* key_conditions =
      (accepted & kQueryParams) ? member(p, "KeyConditions") : nullptr;
  if (key_conditions && in.key_condition) legacy.push_back("KeyConditions");
  expr::ConditionalOperator conjunction =
      conditional ? conditional_operator(p) : expr::ConditionalOperator::kAnd;
  if (attributes_to_get && attributes_to_get->IsArray() && attributes_to_get->Empty())
    p.violation("'[]'", "attributesToGet",
                "Member must have length greater than or equal to 1");

  std::optional<expr::AttributeNames> names = read_names(p);
  std::optional<expr::AttributeValues> values = read_values(p);
  in.names = names ? &*names : nullptr;
  in.values = values ? &*values : nullptr;

  expr::Expected expected_entries;
  if (expected) expected_entries = read_expected(*expected, p);
  expr::LegacyFilter filter_entries, key_entries;
  if (query_filter) filter_entries = read_legacy_filter(*query_filter, "QueryFilter", p);
  if (scan_filter) filter_entries = read_legacy_filter(*scan_filter, "ScanFilter", p);
  if (key_conditions)
    key_entries = read_legacy_filter(*key_conditions, "KeyConditions", p);
  p.check();
  expr::check_not_mixed(legacy, modern);
  if (conditional)
    expr::check_conditional_operator(expected ? expected_entries.size()
                                              : filter_entries.size());

  expr::PreparedExpressions prepared = expr::prepare_expressions(in);
  Expressions out;
  out.condition = std::move(prepared.condition);
  out.filter = std::move(prepared.filter);
  out.key_condition = std::move(prepared.key_condition);
  out.update = std::move(prepared.update);
  out.projection = std::move(prepared.projection);
  if (expected)
    out.condition = expr::condition_from_expected(expected_entries, conjunction);
  if (query_filter || scan_filter)
    out.filter = expr::condition_from_filter(filter_entries, conjunction);
  if (key_conditions) out.key_conditions = std::move(key_entries);
  if (attributes_to_get)
    out.projection =
        expr::projection_from_attributes_to_get(string_list(*attributes_to_get));
  if (attribute_updates) out.update = update_from_attribute_updates(*attribute_updates);
  return out;
}

}  // namespace jormun::ops
