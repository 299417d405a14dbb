#include "expr/functions.h"

#include <algorithm>
#include <string>

#include "expr/document.h"
#include "expr/errors.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;
using model::Type;

// ---- Checks of resolved arguments ----

void require_path(const Operand& op, std::string_view name, ExpressionKind kind) {
  if (op.kind == Operand::Kind::kPath) return;
  throw invalid_expression(
      kind, "Operator or function requires a document path; operator or function: " +
                std::string(name));
}

void check_each(const std::vector<Operand>& args, std::string_view name,
                ExpressionKind kind, bool (*allowed)(Type)) {
  for (const Operand& op : args) check_operand_type(op, name, kind, allowed);
}

// The type name must be a :value of type S naming one of DynamoDB's types.
void check_attribute_type(std::string_view name, const std::vector<Operand>& args,
                          ExpressionKind kind) {
  const Operand& type_operand = args[1];
  const std::optional<Type> t = static_type(type_operand);
  if (t != Type::S) {
    throw invalid_expression(
        kind, incorrect_operand_detail(
                  name, t ? model::type_name(*t) : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
  }
  const std::string& type_name = type_operand.value.as<std::string>();
  if (model::type_from_name(type_name)) return;
  throw invalid_expression(kind, "Invalid attribute type name found; type: " + type_name +
                                     ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
}

void check_strings_or_binaries(std::string_view name, const std::vector<Operand>& args,
                               ExpressionKind kind) {
  check_each(args, name, kind, [](Type t) { return t == Type::S || t == Type::B; });
}

void check_sized(std::string_view name, const std::vector<Operand>& args,
                 ExpressionKind kind) {
  check_each(args, name, kind,
             [](Type t) { return t != Type::N && t != Type::BOOL && t != Type::NULL_; });
}

void check_lists(std::string_view name, const std::vector<Operand>& args,
                 ExpressionKind kind) {
  check_each(args, name, kind, [](Type t) { return t == Type::L; });
}

void check_numbers(std::string_view name, const std::vector<Operand>& args,
                   ExpressionKind kind) {
  check_each(args, name, kind, [](Type t) { return t == Type::N; });
}

// ---- Condition functions ----

bool test_exists(Arguments& args) { return args[0] != nullptr; }

bool test_not_exists(Arguments& args) { return args[0] == nullptr; }

bool test_attribute_type(Arguments& args) {
  const AttributeValue* v = args[0];
  const AttributeValue* type = args[1];
  return v != nullptr && type != nullptr && type->is<std::string>() &&
         type->as<std::string>() == model::type_name(v->type());
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// A prefix of S or of B, of the same type only.
bool test_begins_with(Arguments& args) {
  const AttributeValue* v = args[0];
  const AttributeValue* prefix = args[1];
  if (v == nullptr || prefix == nullptr || v->type() != prefix->type()) return false;
  if (v->is<std::string>()) {
    return starts_with(v->as<std::string>(), prefix->as<std::string>());
  }
  if (v->is<model::Binary>()) {
    return starts_with(v->as<model::Binary>().bytes, prefix->as<model::Binary>().bytes);
  }
  return false;
}

template <typename T>
bool set_has(const std::vector<T>& items, const T& x) {
  return std::binary_search(items.begin(), items.end(), x);
}

// A substring of S (or B), an element of a set of the operand's type, or an
// element of a list equal to the operand.
bool test_contains(Arguments& args) {
  const AttributeValue* v = args[0];
  const AttributeValue* x = args[1];
  if (v == nullptr || x == nullptr) return false;
  switch (v->type()) {
    case Type::S:
      return x->is<std::string>() &&
             v->as<std::string>().find(x->as<std::string>()) != std::string::npos;
    case Type::B:
      return x->is<model::Binary>() &&
             v->as<model::Binary>().bytes.find(x->as<model::Binary>().bytes) !=
                 std::string::npos;
    case Type::SS:
      return x->is<std::string>() &&
             set_has(v->as<model::StringSet>().items, x->as<std::string>());
    case Type::BS:
      return x->is<model::Binary>() &&
             set_has(v->as<model::BinarySet>().items, x->as<model::Binary>().bytes);
    case Type::NS:
      return x->is<model::Decimal>() &&
             set_has(v->as<model::NumberSet>().items, x->as<model::Decimal>());
    case Type::L: {
      const model::List& l = v->as<model::List>();
      return std::find(l.begin(), l.end(), *x) != l.end();
    }
    default:
      return false;
  }
}

// Bytes of S (UTF-8) and B, elements of SS/NS/BS/L, entries of M; no size
// for other types, so a condition on it is false.
std::optional<AttributeValue> compute_size(Arguments& args) {
  const AttributeValue* v = args[0];
  if (v == nullptr) return std::nullopt;
  size_t size = 0;
  switch (v->type()) {
    case Type::S:
      size = v->as<std::string>().size();
      break;
    case Type::B:
      size = v->as<model::Binary>().bytes.size();
      break;
    case Type::SS:
      size = v->as<model::StringSet>().items.size();
      break;
    case Type::NS:
      size = v->as<model::NumberSet>().items.size();
      break;
    case Type::BS:
      size = v->as<model::BinarySet>().items.size();
      break;
    case Type::L:
      size = v->as<model::List>().size();
      break;
    case Type::M:
      size = v->as<model::Map>().size();
      break;
    default:
      return std::nullopt;
  }
  return AttributeValue(model::Decimal::parse(std::to_string(size)));
}

// ---- Update functions ----
// A missing argument yields no value, which the applier reports; DynamoDB
// reports it before a wrong type, so both arguments are read first.

std::optional<AttributeValue> compute_if_not_exists(Arguments& args) {
  if (const AttributeValue* existing = args[0]) return *existing;
  const AttributeValue* fallback = args[1];
  if (fallback == nullptr) return std::nullopt;
  return *fallback;
}

std::optional<AttributeValue> compute_list_append(Arguments& args) {
  const AttributeValue* a = args[0];
  if (a == nullptr) return std::nullopt;
  const AttributeValue* b = args[1];
  if (b == nullptr) return std::nullopt;
  if (!a->is<model::List>() || !b->is<model::List>()) throw update_operand_type_error();
  model::List out = a->as<model::List>();
  const model::List& tail = b->as<model::List>();
  out.insert(out.end(), tail.begin(), tail.end());
  return AttributeValue(std::move(out));
}

// + and -: both operands numbers.
template <model::Decimal (*Op)(const model::Decimal&, const model::Decimal&)>
std::optional<AttributeValue> compute_arithmetic(Arguments& args) {
  const AttributeValue* a = args[0];
  if (a == nullptr) return std::nullopt;
  const AttributeValue* b = args[1];
  if (b == nullptr) return std::nullopt;
  if (!a->is<model::Decimal>() || !b->is<model::Decimal>()) {
    throw update_operand_type_error();
  }
  return AttributeValue(Op(a->as<model::Decimal>(), b->as<model::Decimal>()));
}

// ---- The table, in the order of the Function enum ----

constexpr uint8_t kConditionOrKey = kInCondition | kInKeyCondition;

const FunctionDescriptor kFunctions[] = {
    {.function = Function::kAttributeExists,
     .name = "attribute_exists",
     .min_arguments = 1,
     .max_arguments = 1,
     .places = kInCondition,
     .path_first = true,
     .test = test_exists},
    {.function = Function::kAttributeNotExists,
     .name = "attribute_not_exists",
     .min_arguments = 1,
     .max_arguments = 1,
     .places = kInCondition,
     .path_first = true,
     .test = test_not_exists},
    {.function = Function::kAttributeType,
     .name = "attribute_type",
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInCondition,
     .path_first = true,
     .check = check_attribute_type,
     .test = test_attribute_type},
    {.function = Function::kBeginsWith,
     .name = "begins_with",
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kConditionOrKey,
     .check = check_strings_or_binaries,
     .test = test_begins_with},
    {.function = Function::kContains,
     .name = "contains",
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInCondition,
     .test = test_contains},
    {.function = Function::kSize,
     .name = "size",
     .min_arguments = 1,
     .max_arguments = 1,
     .places = kInCondition,
     .nestable = true,
     .result_type = Type::N,
     .check = check_sized,
     .compute = compute_size},
    {.function = Function::kIfNotExists,
     .name = "if_not_exists",
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInUpdate,
     .path_first = true,
     .nestable = true,
     .compute = compute_if_not_exists},
    {.function = Function::kListAppend,
     .name = "list_append",
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInUpdate,
     .result_type = Type::L,
     .check = check_lists,
     .compute = compute_list_append},
    {.function = Function::kPlus,
     .name = "+",
     .is_operator = true,
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInUpdate,
     .result_type = Type::N,
     .check = check_numbers,
     .compute = compute_arithmetic<model::Decimal::add>},
    {.function = Function::kMinus,
     .name = "-",
     .is_operator = true,
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInUpdate,
     .result_type = Type::N,
     .check = check_numbers,
     .compute = compute_arithmetic<model::Decimal::subtract>},
    {.function = Function::kSetAdd,
     .name = "set_add",
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInPartiqlSet,
     .path_first = true,
     .clause = UpdateExpression::Clause::kAdd},
    {.function = Function::kSetDelete,
     .name = "set_delete",
     .min_arguments = 2,
     .max_arguments = 2,
     .places = kInPartiqlSet,
     .path_first = true,
     .clause = UpdateExpression::Clause::kDelete},
};

}  // namespace

OperandValue evaluate_operand(const Operand& op, const model::Item* item) {
  switch (op.kind) {
    case Operand::Kind::kValue:
      return OperandValue(&op.value);
    case Operand::Kind::kPath:
      return OperandValue(item ? find_path(*item, op.path) : nullptr);
    case Operand::Kind::kFunction:
      break;
  }
  Arguments args(op.args, item);
  std::optional<AttributeValue> result = describe(op.function).compute(args);
  return result ? OperandValue(std::move(*result)) : OperandValue();
}

const FunctionDescriptor& describe(Function f) {
  return kFunctions[static_cast<size_t>(f)];
}

const FunctionDescriptor* find_function(std::string_view name, uint8_t places) {
  for (const FunctionDescriptor& d : kFunctions) {
    if (!d.is_operator && (d.places & places) != 0 && d.name == name) return &d;
  }
  return nullptr;
}

std::span<const FunctionDescriptor> all_functions() { return kFunctions; }

std::optional<Type> static_type(const Operand& op) {
  if (op.kind == Operand::Kind::kValue) return op.value.type();
  if (op.kind == Operand::Kind::kFunction) return describe(op.function).result_type;
  return std::nullopt;
}

void check_operand_type(const Operand& op, std::string_view name, ExpressionKind kind,
                        bool (*allowed)(Type)) {
  const std::optional<Type> t = static_type(op);
  if (t && !allowed(*t)) {
    throw invalid_expression(kind, incorrect_operand_detail(name, model::type_name(*t)));
  }
}

void check_arguments(const FunctionDescriptor& d, const std::vector<Operand>& args,
                     ExpressionKind kind) {
  if (d.path_first) require_path(args[0], d.name, kind);
  if (d.check != nullptr) d.check(d.name, args, kind);
}

}  // namespace jormun::expr
