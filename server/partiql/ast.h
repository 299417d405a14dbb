// The tree of a PartiQL statement as parsed: syntax only. Table names,
// key attributes and parameter values are checked when the statement is
// planned into operations (ops/partiql_plan.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace jormun::partiql {

// A literal or a `?` as written.
struct Value {
  enum class Kind { kString, kNumber, kBoolean, kNull, kMissing, kParameter, kList, kMap, kSet };
  Kind kind = Kind::kNull;
  std::string text;           // kString's text, kNumber's digits (with any sign)
  bool boolean = false;       // kBoolean
  size_t parameter = 0;       // kParameter: which `?`, counted from 0
  std::vector<Value> items;   // kList, kSet elements; kMap values
  std::vector<std::string> keys;  // kMap keys, one per item
};

// One step of a document path: a name, or a list index.
struct PathStep {
  std::string name;
  std::optional<size_t> index;
};
// a.b[2].c: the first step is always a name.
using Path = std::vector<PathStep>;

// A condition or an operand. Kinds and their members:
//   kOr, kAnd: args (two or more); kNot: args[0]
//   kCompare: op (= <> < <= > >=), args[0] and args[1]
//   kBetween: args[0] BETWEEN args[1] AND args[2]
//   kIn: args[0] IN (args[1..])
//   kIs: args[0] IS op, op one of MISSING, NOT MISSING, NULL, NOT NULL
//   kCall: op (function name, lower case), args
//   kArithmetic: args[0] op (+ -) args[1] (UPDATE's SET only)
//   kPath: path; kValue: value
struct Expr {
  enum class Kind { kOr, kAnd, kNot, kCompare, kBetween, kIn, kIs, kCall, kArithmetic, kPath, kValue };
  Kind kind = Kind::kValue;
  std::string op;
  std::vector<Expr> args;
  Path path;
  Value value;
};

struct SetAction {
  Path path;
  Expr value;
};

struct Statement {
  enum class Kind {
    kSelect,
    kInsert,
    kUpdate,
    kDelete,
    kExists,  // EXISTS(SELECT ...): a transaction's condition check
  };
  // What RETURNING asks for, as UpdateItem's ReturnValues names it.
  enum class Returning { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };

  Kind kind = Kind::kSelect;
  std::string table;
  std::optional<std::string> index;  // FROM "table"."index"
  std::vector<Path> projection;      // SELECT's paths; empty for *
  std::optional<Expr> where;
  std::optional<Path> order_by;      // ORDER BY path [ASC|DESC]
  bool descending = false;
  Value item;                        // INSERT's VALUE, a kMap or a kParameter
  std::vector<SetAction> set;        // UPDATE's SET actions, in order
  std::vector<Path> remove;          // UPDATE's REMOVE paths, in order
  Returning returning = Returning::kNone;
  size_t parameters = 0;             // how many `?` the statement holds
};

}  // namespace jormun::partiql
