#include "expr/key_condition.h"

#include <algorithm>

#include "common/api_error.h"
#include "expr/functions.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;

[[noreturn]] void invalid(const std::string& message) {
  throw ApiError::validation(message);
}

[[noreturn]] void invalid_operator(std::string_view op) {
  invalid("Invalid operator used in KeyConditionExpression: " + std::string(op));
}

// Everything but AND of =, <, <=, >, >=, BETWEEN and the key condition
// functions (begins_with) is refused, before any single condition is looked at.
void check_operators(const Condition& c) {
  switch (c.op) {
    case Condition::Op::kAnd:
      for (const Condition& child : c.children) check_operators(child);
      return;
    case Condition::Op::kOr:
      invalid_operator("OR");
    case Condition::Op::kNot:
      invalid_operator("NOT");
    case Condition::Op::kIn:
      invalid_operator("IN");
    case Condition::Op::kCompare:
      if (c.comparator == Comparator::kNe) invalid_operator("<>");
      return;
    case Condition::Op::kBetween:
      return;
    case Condition::Op::kFunction:
      if ((describe(c.function).places & kInKeyCondition) == 0) {
        invalid_operator(describe(c.function).name);
      }
      return;
  }
}

void collect_leaves(const Condition& c, std::vector<const Condition*>& leaves) {
  if (c.op == Condition::Op::kAnd) {
    for (const Condition& child : c.children) collect_leaves(child, leaves);
  } else {
    leaves.push_back(&c);
  }
}

// The one key attribute a leaf condition names.
const std::string& key_attribute(const Condition& leaf) {
  const bool key_first =
      leaf.op == Condition::Op::kBetween || leaf.op == Condition::Op::kFunction;
  if (key_first && leaf.operands[0].kind != Operand::Kind::kPath) {
    const std::string_view op =
        leaf.op == Condition::Op::kBetween ? "BETWEEN" : describe(leaf.function).name;
    invalid("Invalid condition in KeyConditionExpression: " + std::string(op) +
            " operator must have the key attribute as its first operand");
  }
  const Path* key = nullptr;
  for (const Operand& op : leaf.operands) {
    if (op.kind == Operand::Kind::kFunction) {
      invalid("KeyConditionExpressions cannot contain nested operations");
    }
    if (op.kind != Operand::Kind::kPath) continue;
    if (key != nullptr) {
      invalid(
          "Invalid condition in KeyConditionExpression: Multiple attribute names used in "
          "one "
          "condition");
    }
    if (op.path.elements.size() > 1) {
      invalid("KeyConditionExpressions cannot have conditions on nested attributes");
    }
    key = &op.path;
  }
  if (key == nullptr) {
    invalid("Invalid condition in KeyConditionExpression: No key attribute specified");
  }
  return key->top();
}

std::vector<const Condition*> checked_leaves(const Condition& resolved) {
  check_operators(resolved);
  std::vector<const Condition*> leaves;
  collect_leaves(resolved, leaves);
  std::vector<std::string> seen;
  for (const Condition* leaf : leaves) {
    const std::string& name = key_attribute(*leaf);
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      invalid("KeyConditionExpressions must only contain one condition per key");
    }
    seen.push_back(name);
  }
  if (leaves.size() > 2) invalid("Conditions can be of length 1 or 2 only");
  return leaves;
}

// The comparison seen from the key's side: ":v < k" is "k > :v".
Comparator mirrored(Comparator c) {
  switch (c) {
    case Comparator::kLt:
      return Comparator::kGt;
    case Comparator::kLe:
      return Comparator::kGe;
    case Comparator::kGt:
      return Comparator::kLt;
    case Comparator::kGe:
      return Comparator::kLe;
    default:
      return c;
  }
}

SortKeyCondition::Op sort_op(Comparator c) {
  switch (c) {
    case Comparator::kLt:
      return SortKeyCondition::Op::kLt;
    case Comparator::kLe:
      return SortKeyCondition::Op::kLe;
    case Comparator::kGt:
      return SortKeyCondition::Op::kGt;
    case Comparator::kGe:
      return SortKeyCondition::Op::kGe;
    default:
      return SortKeyCondition::Op::kEq;
  }
}

void check_type(const AttributeValue& v, model::Type schema_type) {
  if (v.type() != schema_type) {
    invalid(
        "One or more parameter values were invalid: Condition parameter type does not "
        "match "
        "schema type");
  }
}

// The leaf's :values in order, and its comparator as seen from the key.
std::vector<AttributeValue> leaf_values(const Condition& leaf, Comparator* cmp) {
  std::vector<AttributeValue> values;
  for (const Operand& op : leaf.operands) {
    if (op.kind == Operand::Kind::kValue) values.push_back(op.value);
  }
  *cmp = leaf.comparator;
  if (leaf.op == Condition::Op::kCompare &&
      leaf.operands[0].kind != Operand::Kind::kPath) {
    *cmp = mirrored(leaf.comparator);
  }
  return values;
}

bool operand_mentions(const Operand& op, const std::string& name) {
  if (op.kind == Operand::Kind::kPath) return op.path.top() == name;
  return std::any_of(op.args.begin(), op.args.end(),
                     [&](const Operand& arg) { return operand_mentions(arg, name); });
}

// True if any path in `c` starts at attribute `name`.
bool mentions(const Condition& c, const std::string& name) {
  return std::any_of(c.children.begin(), c.children.end(),
                     [&](const Condition& child) { return mentions(child, name); }) ||
         std::any_of(c.operands.begin(), c.operands.end(),
                     [&](const Operand& op) { return operand_mentions(op, name); });
}

}  // namespace

void check_filter_excludes_keys(const Condition& resolved_filter, const KeySchema& schema,
                                std::string_view parameter) {
  std::vector<const std::string*> keys{&schema.partition_key};
  if (schema.sort_key) keys.push_back(&*schema.sort_key);
  for (const std::string* key : keys) {
    if (mentions(resolved_filter, *key)) {
      invalid(
          std::string(parameter) +
          " can only contain non-primary key attributes: Primary key attribute: " + *key);
    }
  }
}

void check_key_condition_shape(const Condition& resolved) { checked_leaves(resolved); }

KeyCondition to_key_condition(const Condition& resolved, const KeySchema& schema) {
  const std::vector<const Condition*> leaves = checked_leaves(resolved);
  if (!schema.sort_key && leaves.size() > 1) invalid("Query key condition not supported");
  const auto names_pk = [&](const Condition* leaf) {
    return key_attribute(*leaf) == schema.partition_key;
  };
  if (std::none_of(leaves.begin(), leaves.end(), names_pk)) {
    invalid("Query condition missed key schema element: " + schema.partition_key);
  }
  KeyCondition out;
  out.partition_key = schema.partition_key;
  for (const Condition* leaf : leaves) {
    const std::string& name = key_attribute(*leaf);
    Comparator cmp;
    std::vector<AttributeValue> values = leaf_values(*leaf, &cmp);
    if (name == schema.partition_key) {
      // DynamoDB reports a value of the wrong type before the operator.
      for (const AttributeValue& v : values) check_type(v, schema.partition_type);
      if (leaf->op != Condition::Op::kCompare || cmp != Comparator::kEq) {
        invalid("Query key condition not supported");
      }
      out.partition_value = std::move(values[0]);
      continue;
    }
    if (name != *schema.sort_key) {
      invalid("Query condition missed key schema element: " + *schema.sort_key);
    }
    for (const AttributeValue& v : values) check_type(v, schema.sort_type);
    SortKeyCondition sort;
    sort.attribute = name;
    if (leaf->op == Condition::Op::kBetween) {
      sort.op = SortKeyCondition::Op::kBetween;
    } else if (leaf->op == Condition::Op::kFunction) {
      // begins_with is the one function with kInKeyCondition.
      sort.op = SortKeyCondition::Op::kBeginsWith;
    } else {
      sort.op = sort_op(cmp);
    }
    sort.values = std::move(values);
    out.sort = std::move(sort);
  }
  return out;
}

}  // namespace jormun::expr
