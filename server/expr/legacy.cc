#include "expr/legacy.h"

#include <algorithm>

#include "common/api_error.h"
#include "expr/value_compare.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;
using model::Type;

constexpr const char* kInvalidParameters = "One or more parameter values were invalid: ";

[[noreturn]] void invalid_parameters(const std::string& detail) {
  throw ApiError::validation(kInvalidParameters + detail);
}

Operand path_operand(const std::string& name) {
  Operand o;
  o.kind = Operand::Kind::kPath;
  o.path.elements.emplace_back(name);
  return o;
}

Operand value_operand(const AttributeValue& v) {
  Operand o;
  o.kind = Operand::Kind::kValue;
  o.value = v;
  return o;
}

Condition comparison(const std::string& name, Comparator cmp, const AttributeValue& v) {
  Condition c;
  c.op = Condition::Op::kCompare;
  c.comparator = cmp;
  c.operands = {path_operand(name), value_operand(v)};
  return c;
}

Condition function(Function f, const std::string& name, const AttributeValue* arg) {
  Condition c;
  c.op = Condition::Op::kFunction;
  c.function = f;
  c.operands.push_back(path_operand(name));
  if (arg != nullptr) c.operands.push_back(value_operand(*arg));
  return c;
}

Condition combine(Condition::Op op, Condition left, Condition right) {
  Condition c;
  c.op = op;
  c.children.push_back(std::move(left));
  c.children.push_back(std::move(right));
  return c;
}

bool argument_count_ok(ComparisonOperator op, size_t n) {
  switch (op) {
    case ComparisonOperator::kNull:
    case ComparisonOperator::kNotNull:
      return n == 0;
    case ComparisonOperator::kIn:
      return n >= 1;
    case ComparisonOperator::kBetween:
      return n == 2;
    default:
      return n == 1;
  }
}

bool type_ok(ComparisonOperator op, Type t) {
  switch (op) {
    case ComparisonOperator::kEq:
    case ComparisonOperator::kNe:
      return true;
    case ComparisonOperator::kContains:
    case ComparisonOperator::kNotContains:
      return t != Type::SS && t != Type::NS && t != Type::BS && t != Type::L &&
             t != Type::M;
    case ComparisonOperator::kBeginsWith:
      return t == Type::S || t == Type::B;
    default:
      return is_ordered_type(t);
  }
}

void validate(const LegacyCondition& c) {
  const std::string op = comparison_operator_name(c.op);
  if (!argument_count_ok(c.op, c.values.size())) {
    invalid_parameters("Invalid number of argument(s) for the " + op +
                       " ComparisonOperator");
  }
  for (const AttributeValue& v : c.values) {
    if (!type_ok(c.op, v.type())) {
      invalid_parameters("ComparisonOperator " + op + " is not valid for " +
                         model::type_name(v.type()) + " AttributeValue type");
    }
  }
  for (const AttributeValue& v : c.values) {
    if (v.type() != c.values[0].type()) {
      invalid_parameters(
          "AttributeValues inside AttributeValueList must be of same type");
    }
  }
  if (c.op == ComparisonOperator::kBetween) {
    const std::optional<int> order = compare_ordered(c.values[0], c.values[1]);
    if (order && *order > 0) {
      throw ApiError::validation(
          "The BETWEEN condition was provided a range where the lower bound is greater "
          "than "
          "the upper bound");
    }
  }
}

Condition to_condition(const std::string& name, const LegacyCondition& c) {
  validate(c);
  const AttributeValue* first = c.values.empty() ? nullptr : &c.values[0];
  switch (c.op) {
    case ComparisonOperator::kEq:
      return comparison(name, Comparator::kEq, *first);
    case ComparisonOperator::kNe:
      return comparison(name, Comparator::kNe, *first);
    case ComparisonOperator::kLe:
      return comparison(name, Comparator::kLe, *first);
    case ComparisonOperator::kLt:
      return comparison(name, Comparator::kLt, *first);
    case ComparisonOperator::kGe:
      return comparison(name, Comparator::kGe, *first);
    case ComparisonOperator::kGt:
      return comparison(name, Comparator::kGt, *first);
    case ComparisonOperator::kNotNull:
      return function(Function::kAttributeExists, name, nullptr);
    case ComparisonOperator::kNull:
      return function(Function::kAttributeNotExists, name, nullptr);
    case ComparisonOperator::kContains:
      return function(Function::kContains, name, first);
    case ComparisonOperator::kNotContains: {
      Condition negated;
      negated.op = Condition::Op::kNot;
      negated.children.push_back(function(Function::kContains, name, first));
      return combine(Condition::Op::kAnd,
                     function(Function::kAttributeExists, name, nullptr),
                     std::move(negated));
    }
    case ComparisonOperator::kBeginsWith:
      return function(Function::kBeginsWith, name, first);
    case ComparisonOperator::kIn:
    case ComparisonOperator::kBetween: {
      Condition out;
      out.op =
          c.op == ComparisonOperator::kIn ? Condition::Op::kIn : Condition::Op::kBetween;
      out.operands.push_back(path_operand(name));
      for (const AttributeValue& v : c.values) out.operands.push_back(value_operand(v));
      return out;
    }
  }
  return Condition{};
}

std::optional<Condition> join(std::vector<Condition> parts,
                              ConditionalOperator conjunction) {
  if (parts.empty()) return std::nullopt;
  const Condition::Op op =
      conjunction == ConditionalOperator::kAnd ? Condition::Op::kAnd : Condition::Op::kOr;
  Condition out = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i)
    out = combine(op, std::move(out), std::move(parts[i]));
  return out;
}

// The checks in DynamoDB's order, then the condition.
Condition expected_to_condition(const std::string& name, const ExpectedEntry& e) {
  const std::string suffix = " for Attribute: " + name;
  const auto& list = e.attribute_value_list;
  if (e.exists && e.op) {
    invalid_parameters("Exists and ComparisonOperator cannot be used together" + suffix);
  }
  if (e.value && list) {
    invalid_parameters("Value and AttributeValueList cannot be used together" + suffix);
  }
  if (!e.op && list) {
    invalid_parameters("AttributeValueList can only be used with a ComparisonOperator" +
                       suffix);
  }
  if (e.exists == false && e.value) {
    invalid_parameters("Value cannot be used when Exists is false" + suffix);
  }
  if (!e.value && !list) {
    if (e.op && *e.op != ComparisonOperator::kNull &&
        *e.op != ComparisonOperator::kNotNull) {
      invalid_parameters(std::string("Value or AttributeValueList must be used with "
                                     "ComparisonOperator: ") +
                         comparison_operator_name(*e.op) + suffix);
    }
    if (!e.op && !e.exists) {
      invalid_parameters("Value must be provided when Exists is null" + suffix);
    }
    if (!e.op && *e.exists) {
      invalid_parameters("Value must be provided when Exists is true" + suffix);
    }
  }
  if (e.op) {
    LegacyCondition c{*e.op, e.value ? std::vector<AttributeValue>{*e.value}
                                     : list.value_or(std::vector<AttributeValue>{})};
    return to_condition(name, c);
  }
  if (e.exists == false) return function(Function::kAttributeNotExists, name, nullptr);
  return comparison(name, Comparator::kEq, *e.value);
}

std::string join_names(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace

const char* comparison_operator_name(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::kEq:
      return "EQ";
    case ComparisonOperator::kNe:
      return "NE";
    case ComparisonOperator::kLe:
      return "LE";
    case ComparisonOperator::kLt:
      return "LT";
    case ComparisonOperator::kGe:
      return "GE";
    case ComparisonOperator::kGt:
      return "GT";
    case ComparisonOperator::kNotNull:
      return "NOT_NULL";
    case ComparisonOperator::kNull:
      return "NULL";
    case ComparisonOperator::kContains:
      return "CONTAINS";
    case ComparisonOperator::kNotContains:
      return "NOT_CONTAINS";
    case ComparisonOperator::kBeginsWith:
      return "BEGINS_WITH";
    case ComparisonOperator::kIn:
      return "IN";
    case ComparisonOperator::kBetween:
      return "BETWEEN";
  }
  return "";
}

std::optional<Condition> condition_from_filter(const LegacyFilter& filter,
                                               ConditionalOperator conjunction) {
  std::vector<Condition> parts;
  for (const auto& [name, c] : filter) parts.push_back(to_condition(name, c));
  return join(std::move(parts), conjunction);
}

std::optional<Condition> condition_from_expected(const Expected& expected,
                                                 ConditionalOperator conjunction) {
  std::vector<Condition> parts;
  for (const auto& [name, e] : expected) parts.push_back(expected_to_condition(name, e));
  return join(std::move(parts), conjunction);
}

KeyCondition key_condition_from_legacy(const LegacyFilter& key_conditions,
                                       const KeySchema& schema) {
  for (const auto& [name, c] : key_conditions) validate(c);
  const bool multi_attribute =
      !schema.more_partition_keys.empty() || !schema.more_sort_keys.empty();
  if (key_conditions.empty() ||
      key_conditions.size() > (multi_attribute ? kMaxKeyConditions : 2)) {
    throw ApiError::validation("Conditions can be of length 1 or 2 only");
  }
  // DynamoDB walks the key schema, judging the partition key's condition in
  // full before the sort key's; NULL, NOT_NULL, NE, CONTAINS, NOT_CONTAINS
  // and IN serve no index.
  auto check_indexable = [](const LegacyCondition& c) {
    switch (c.op) {
      case ComparisonOperator::kEq:
      case ComparisonOperator::kLe:
      case ComparisonOperator::kLt:
      case ComparisonOperator::kGe:
      case ComparisonOperator::kGt:
      case ComparisonOperator::kBeginsWith:
      case ComparisonOperator::kBetween:
        return;
      default:
        throw ApiError::validation(
            "Attempted conditional constraint is not an indexable operation");
    }
  };
  if (multi_attribute) {
    // A multi-attribute key's rules are to_key_condition's.
    for (const auto& [name, c] : key_conditions) check_indexable(c);
    return to_key_condition(
        *condition_from_filter(key_conditions, ConditionalOperator::kAnd), schema);
  }
  if (!schema.sort_key && key_conditions.size() > 1) {
    throw ApiError::validation("Query key condition not supported");
  }
  auto pk =
      std::find_if(key_conditions.begin(), key_conditions.end(),
                   [&](const auto& kc) { return kc.first == schema.partition_key; });
  if (pk == key_conditions.end()) {
    throw ApiError::validation("Query condition missed key schema element: " +
                               schema.partition_key);
  }
  check_indexable(pk->second);
  to_key_condition(to_condition(pk->first, pk->second), schema);
  for (const auto& [name, c] : key_conditions) {
    if (name == schema.partition_key) continue;
    if (name != *schema.sort_key) {
      throw ApiError::validation("Query condition missed key schema element: " +
                                 *schema.sort_key);
    }
    check_indexable(c);
  }
  return to_key_condition(
      *condition_from_filter(key_conditions, ConditionalOperator::kAnd), schema);
}

void check_conditional_operator(size_t conditions) {
  if (conditions == 0) {
    throw ApiError::validation(
        "ConditionalOperator cannot be used without Filter or Expected");
  }
  if (conditions == 1) {
    throw ApiError::validation(
        "ConditionalOperator can only be used when Filter or Expected has two or more "
        "elements");
  }
}

Projection projection_from_attributes_to_get(const std::vector<std::string>& names) {
  Projection out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (std::find(names.begin(), names.begin() + i, names[i]) != names.begin() + i) {
      invalid_parameters("Duplicate value in attribute name: " + names[i]);
    }
    Path p;
    p.elements.emplace_back(names[i]);
    out.paths.push_back(std::move(p));
  }
  return out;
}

void check_not_mixed(const std::vector<std::string_view>& non_expression_parameters,
                     const std::vector<std::string_view>& expression_parameters) {
  if (non_expression_parameters.empty() || expression_parameters.empty()) return;
  throw ApiError::validation(
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: {" +
      join_names(non_expression_parameters) + "} Expression parameters: {" +
      join_names(expression_parameters) + "}");
}

}  // namespace jormun::expr
