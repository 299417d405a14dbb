// The functions of DynamoDB's expressions and of PartiQL, each described
// once: its name, how many arguments it takes, where it may be written, the
// checks of its arguments and how it evaluates. The condition and update
// parsers, the checks after resolution, the evaluator, the update applier,
// the key condition and the PartiQL planner (ops/partiql_plan.cc) all read
// this one table, so adding or changing a function touches no switch.
//
// What stays outside a descriptor is the grammar around a call: the
// parsers decide which DynamoDB error to raise when a descriptor says no,
// and in which order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/ast.h"
#include "model/attribute_value.h"

namespace jormun::expr {

// Where a function may be written: bits of FunctionDescriptor::places.
enum FunctionPlace : uint8_t {
  // ConditionExpression, FilterExpression and KeyConditionExpression (one
  // grammar), and PartiQL's WHERE, which is planned into them.
  kInCondition = 1,
  // A sort key condition of KeyConditionExpression (and of a PartiQL SELECT
  // planned as a Query).
  kInKeyCondition = 2,
  // A value of UpdateExpression's SET, and of PartiQL's SET.
  kInUpdate = 4,
  // PartiQL's SET only: set_add and set_delete, which become ADD and DELETE.
  kInPartiqlSet = 8,
};

// No function takes more arguments.
inline constexpr size_t kMaxFunctionArguments = 2;

// An operand's value while evaluating: a reference into the item or the
// expression, or a value a function computed. Empty for a path the item
// lacks and for a function without a result (size() of a missing attribute).
class OperandValue {
 public:
  OperandValue() = default;
  explicit OperandValue(const model::AttributeValue* ref) : ref_(ref) {}
  explicit OperandValue(model::AttributeValue owned) : owned_(std::move(owned)) {}

  // Null when empty. Valid while this object and the item are unchanged.
  const model::AttributeValue* get() const { return owned_ ? &*owned_ : ref_; }
  // The value, moved out when owned, copied when referenced.
  // REQUIRES: get() != nullptr.
  model::AttributeValue take() && { return owned_ ? std::move(*owned_) : *ref_; }

 private:
  const model::AttributeValue* ref_ = nullptr;
  std::optional<model::AttributeValue> owned_;
};

// The value of a resolved operand in `item`; a null `item` is an absent item,
// where every path is missing. Throws only what a function's evaluation
// throws (an update function given a value of the wrong type).
OperandValue evaluate_operand(const Operand& op, const model::Item* item);

// The arguments of one call, each evaluated when a function asks for it, in
// the order it asks: if_not_exists never evaluates a default it does not use.
class Arguments {
 public:
  // REQUIRES: `operands` has at most kMaxFunctionArguments elements and
  // outlives this object, as does `item`.
  Arguments(const std::vector<Operand>& operands, const model::Item* item)
      : operands_(operands), item_(item) {}

  // Argument i's value, or null where it has none. Ask once per argument.
  const model::AttributeValue* operator[](size_t i) {
    values_[i] = evaluate_operand(operands_[i], item_);
    return values_[i].get();
  }

 private:
  const std::vector<Operand>& operands_;
  const model::Item* item_;
  std::array<OperandValue, kMaxFunctionArguments> values_;
};

// One function. The table is static: descriptors live as long as the process.
struct FunctionDescriptor {
  Function function = Function::kSize;
  // As written in expressions and as DynamoDB's messages spell it ("+").
  std::string_view name;
  // + and -, written between their operands: never looked up by name.
  bool is_operator = false;
  uint8_t min_arguments = 0;
  uint8_t max_arguments = 0;
  uint8_t places = 0;  // FunctionPlace bits
  // The first argument must be a document path.
  bool path_first = false;
  // May be an argument of a function or an operand of + and -; DynamoDB
  // refuses list_append there.
  bool nestable = false;
  // The type every result has, where that is known without the item.
  std::optional<model::Type> result_type = std::nullopt;
  // The checks of the resolved arguments that need their :values (types,
  // attribute_type's type name), beyond path_first; null when none. Throws
  // "Invalid <kind>: " and DynamoDB's text, which names the function `name`.
  void (*check)(std::string_view name, const std::vector<Operand>& args,
                ExpressionKind kind) = nullptr;
  // A condition function's truth value. Never throws.
  bool (*test)(Arguments& args) = nullptr;
  // A value function's result, or nullopt where it has none: size() of a
  // missing or sizeless value, or an update function missing an argument
  // (which the update applier reports as a missing attribute). An update
  // function throws DynamoDB's ValidationException for an argument of the
  // wrong type, and + and - Decimal's range errors.
  std::optional<model::AttributeValue> (*compute)(Arguments& args) = nullptr;
  // set_add and set_delete are neither: PartiQL's planner writes them as
  // this clause of an UpdateExpression, whose ADD or DELETE evaluates them.
  std::optional<UpdateExpression::Clause> clause = std::nullopt;
};

// The descriptor of `f`.
const FunctionDescriptor& describe(Function f);

// The function called `name` (exact case) that may be written in at least
// one of `places`; null for any other name and for + and -. A function that
// exists only elsewhere is unknown here, as DynamoDB's expressions do not
// know set_add.
const FunctionDescriptor* find_function(std::string_view name, uint8_t places);

// Every function, in the order of the Function enum.
std::span<const FunctionDescriptor> all_functions();

// The statically known type of a resolved operand: a :value's own type, or
// the type a function always yields (N for size()). Paths are known only
// when evaluated.
std::optional<model::Type> static_type(const Operand& op);

// Throws "Invalid <kind>: Incorrect operand type for operator or function;
// operator or function: <name>, operand type: <T>" if `op`'s static type is
// known and not `allowed`.
void check_operand_type(const Operand& op, std::string_view name, ExpressionKind kind,
                        bool (*allowed)(model::Type));

// The argument checks of a call to `d` with resolved `args`: the path
// requirement, then d.check. Throws "Invalid <kind>: ..." with DynamoDB's
// text, as check() does.
void check_arguments(const FunctionDescriptor& d, const std::vector<Operand>& args,
                     ExpressionKind kind);

}  // namespace jormun::expr
