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
  if (leaves.size() > kMaxKeyConditions)
    invalid("Conditions can be of length 1 or 2 only");
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

std::vector<storage::KeyAttribute> KeySchema::partition_keys() const {
  std::vector<storage::KeyAttribute> out{{partition_key, partition_type}};
  out.insert(out.end(), more_partition_keys.begin(), more_partition_keys.end());
  return out;
}

std::vector<storage::KeyAttribute> KeySchema::sort_keys() const {
  std::vector<storage::KeyAttribute> out;
  if (sort_key) out.push_back({*sort_key, sort_type});
  out.insert(out.end(), more_sort_keys.begin(), more_sort_keys.end());
  return out;
}

void check_filter_excludes_keys(const Condition& resolved_filter, const KeySchema& schema,
                                std::string_view parameter) {
  std::vector<storage::KeyAttribute> keys = schema.partition_keys();
  for (auto& k : schema.sort_keys()) keys.push_back(std::move(k));
  for (const storage::KeyAttribute& key : keys) {
    if (mentions(resolved_filter, key.name)) {
      invalid(std::string(parameter) +
              " can only contain non-primary key attributes: Primary key attribute: " +
              key.name);
    }
  }
}

void check_key_condition_shape(const Condition& resolved) { checked_leaves(resolved); }

namespace {

// The position of the attribute `name` in `keys`, or keys.size().
size_t position(const std::vector<storage::KeyAttribute>& keys, const std::string& name) {
  size_t i = 0;
  while (i < keys.size() && keys[i].name != name) ++i;
  return i;
}

SortKeyCondition sort_condition(const Condition& leaf, Comparator cmp,
                                std::vector<AttributeValue> values) {
  SortKeyCondition sort;
  sort.attribute = key_attribute(leaf);
  if (leaf.op == Condition::Op::kBetween) {
    sort.op = SortKeyCondition::Op::kBetween;
  } else if (leaf.op == Condition::Op::kFunction) {
    // begins_with is the one function with kInKeyCondition.
    sort.op = SortKeyCondition::Op::kBeginsWith;
  } else {
    sort.op = sort_op(cmp);
  }
  sort.values = std::move(values);
  return sort;
}

}  // namespace

KeyCondition to_key_condition(const Condition& resolved, const KeySchema& schema) {
  const std::vector<const Condition*> leaves = checked_leaves(resolved);
  const std::vector<storage::KeyAttribute> hash = schema.partition_keys();
  const std::vector<storage::KeyAttribute> range = schema.sort_keys();
  if (leaves.size() > 2 && hash.size() + range.size() <= 2)
    invalid("Conditions can be of length 1 or 2 only");
  if (range.empty() && leaves.size() > hash.size())
    invalid("Query key condition not supported");
  for (const storage::KeyAttribute& h : hash) {
    if (std::none_of(leaves.begin(), leaves.end(), [&](const Condition* leaf) {
          return key_attribute(*leaf) == h.name;
        }))
      invalid("Query condition missed key schema element: " + h.name);
  }
  // The first RANGE attribute without a condition: what a condition on
  // another attribute misses, as DynamoDB names the sort key.
  auto first_unconditioned = [&] {
    for (const storage::KeyAttribute& r : range)
      if (std::none_of(leaves.begin(), leaves.end(), [&](const Condition* leaf) {
            return key_attribute(*leaf) == r.name;
          }))
        return r.name;
    return range.front().name;
  };
  KeyCondition out;
  out.partition_key = schema.partition_key;
  out.more_partition_values.resize(hash.size() - 1);
  // Each RANGE attribute's condition, checked as DynamoDB meets them.
  std::vector<std::optional<SortKeyCondition>> on_range(range.size());
  for (const Condition* leaf : leaves) {
    const std::string& name = key_attribute(*leaf);
    Comparator cmp;
    std::vector<AttributeValue> values = leaf_values(*leaf, &cmp);
    if (size_t i = position(hash, name); i < hash.size()) {
      // DynamoDB reports a value of the wrong type before the operator.
      for (const AttributeValue& v : values) check_type(v, hash[i].type);
      if (leaf->op != Condition::Op::kCompare || cmp != Comparator::kEq) {
        invalid("Query key condition not supported");
      }
      (i == 0 ? out.partition_value : out.more_partition_values[i - 1]) =
          std::move(values[0]);
      continue;
    }
    const size_t j = position(range, name);
    if (j == range.size()) {
      invalid("Query condition missed key schema element: " + first_unconditioned());
    }
    for (const AttributeValue& v : values) check_type(v, range[j].type);
    on_range[j] = sort_condition(*leaf, cmp, std::move(values));
  }
  // Conditions go left to right over the RANGE attributes, all but the last
  // one equalities: a prefix of the sort key tuple, then one range on it.
  size_t given = 0;
  while (given < on_range.size() && on_range[given]) ++given;
  for (size_t j = given; j < on_range.size(); ++j)
    if (on_range[j])
      invalid("Query condition missed key schema element: " + range[given].name);
  for (size_t j = 0; j + 1 < given; ++j) {
    if (on_range[j]->op != SortKeyCondition::Op::kEq)
      invalid("Query key condition not supported");
    out.sort_prefix.push_back(std::move(on_range[j]->values[0]));
  }
  if (given > 0) out.sort = std::move(on_range[given - 1]);
  return out;
}

}  // namespace jormun::expr
