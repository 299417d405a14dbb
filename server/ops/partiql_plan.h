// A parsed PartiQL statement planned into the request of the JSON operation
// that runs it, so PartiQL has no executor of its own: SELECT becomes a
// Query (when the WHERE pins the partition key with = or IN) or a Scan, or a
// GetItem (when asked for a full key lookup), INSERT a PutItem that must not
// overwrite, UPDATE an UpdateItem that must find its item, DELETE a
// DeleteItem. Conditions become expression-language text over
// ExpressionAttributeNames and ExpressionAttributeValues, so the
// expression parser and evaluator of expr/ run them.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "ops/context.h"
#include "partiql/ast.h"

namespace jormun::ops {

struct StatementPlan {
  enum class Op { kGetItem, kQuery, kScan, kPutItem, kUpdateItem, kDeleteItem, kConditionCheck };
  Op op;
  rapidjson::Document request;  // the operation's JSON request
  std::string table;
  // A SELECT whose partition key is given by IN runs one Query per value:
  // each value in turn is bound to the ExpressionAttributeValues member
  // `partition_placeholder` of `request` (which holds the first).
  std::string partition_placeholder;
  std::vector<rapidjson::Value> partitions;
};

// How a read is to be planned.
enum class ReadPlan {
  // ExecuteStatement with Limit or NextToken: a Query or a Scan, whose pages
  // those two members count and resume.
  kQueryOrScan,
  // ExecuteStatement otherwise: a WHERE that is exactly the table's full key
  // (equalities, nothing else, no ORDER BY) is one GetItem, as it can match
  // one item at most; any other as kQueryOrScan.
  kGetItemOrQueryOrScan,
  kKeyLookup,  // batches and transactions: the WHERE must give the full key
};

// Plans `s` with `parameters` (the request's Parameters list, or null).
// Throws ValidationException for a statement the table cannot run (a key
// not pinned, a parameter count that differs, a value of the wrong form)
// and ResourceNotFoundException for an unknown table.
StatementPlan plan_statement(Context& ctx, const partiql::Statement& s,
                             const rapidjson::Value* parameters, ReadPlan reads);

}  // namespace jormun::ops
