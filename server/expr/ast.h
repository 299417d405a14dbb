// The syntax trees of DynamoDB's expressions. The parser fills them with the
// text as written (#name and :value placeholders); the resolver returns copies
// in which every #name is replaced by the attribute name and every :value
// carries its AttributeValue, so evaluation never consults the request maps.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/attribute_value.h"

namespace jormun::expr {

// Which request parameter an expression came from. It selects the grammar and
// the "Invalid <Name>: ..." prefix of every error about it.
enum class ExpressionKind : uint8_t {
  kCondition,     // ConditionExpression
  kFilter,        // FilterExpression
  kKeyCondition,  // KeyConditionExpression
  kUpdate,        // UpdateExpression
  kProjection,    // ProjectionExpression
};

// "ConditionExpression", "FilterExpression", ...
const char* kind_name(ExpressionKind kind);

// One step of a document path: an attribute (or map key) name, or a list index.
using PathElement = std::variant<std::string, uint32_t>;

// a.b[2].c is {"a", "b", 2, "c"}; the first element is always a name.
struct Path {
  std::vector<PathElement> elements;

  const std::string& top() const { return std::get<std::string>(elements.front()); }
  bool operator==(const Path&) const = default;
};

// DynamoDB's rendering of a path in error messages: "[a, b, [2], c]".
std::string path_to_string(const Path& path);

// The functions of both languages; each is described in functions.h.
enum class Function : uint8_t {
  // Condition functions.
  kAttributeExists,
  kAttributeNotExists,
  kAttributeType,
  kBeginsWith,
  kContains,
  kSize,
  // Update functions; kPlus and kMinus are the SET operators "+" and "-".
  kIfNotExists,
  kListAppend,
  kPlus,
  kMinus,
  // PartiQL's SET only; planned into ADD and DELETE, so never in a tree here.
  kSetAdd,
  kSetDelete,
};

// A value-producing term: a document path, a :value, or a function of operands.
struct Operand {
  enum class Kind : uint8_t { kPath, kValue, kFunction };
  Kind kind = Kind::kPath;
  Path path;                            // kPath
  std::string value_name;               // kValue: the placeholder as written (":v")
  model::AttributeValue value;          // kValue, once resolved
  Function function = Function::kSize;  // kFunction
  std::vector<Operand> args;            // kFunction
};

enum class Comparator : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

// "=", "<>", "<", "<=", ">", ">=".
const char* comparator_text(Comparator c);

// A ConditionExpression / FilterExpression / KeyConditionExpression tree.
struct Condition {
  enum class Op : uint8_t { kOr, kAnd, kNot, kCompare, kBetween, kIn, kFunction };
  Op op = Op::kCompare;
  Comparator comparator = Comparator::kEq;         // kCompare
  Function function = Function::kAttributeExists;  // kFunction
  std::vector<Condition> children;                 // kOr, kAnd: two; kNot: one
  // kCompare: two; kBetween: subject, low, high; kIn: subject then the list;
  // kFunction: the arguments.
  std::vector<Operand> operands;
};

// An UpdateExpression. Each clause keeps the order in which it was written.
struct UpdateExpression {
  enum class Clause : uint8_t { kSet, kRemove, kAdd, kDelete };
  struct Set {
    Path path;
    Operand value;
  };
  // ADD and DELETE take a path and a :value.
  struct PathValue {
    Path path;
    Operand value;
  };
  std::vector<Set> set;
  std::vector<Path> remove;
  std::vector<PathValue> add;
  std::vector<PathValue> del;
  // The clauses in the order they were written, each once; DynamoDB names
  // overlapping paths in that order.
  std::vector<Clause> clause_order;
  // Built from the legacy AttributeUpdates, whose ADD also appends to a list
  // and whose ADD and DELETE report a type mismatch in their own words.
  bool from_attribute_updates = false;
};

// A ProjectionExpression: the paths to keep, in order.
struct Projection {
  std::vector<Path> paths;
};

}  // namespace jormun::expr
