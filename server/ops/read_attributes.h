// The attributes a Query or Scan names in its ProjectionExpression and
// filter, held to DynamoDB's rules: key attributes only whole, and on an
// index only what it projects, unless (an LSI) the item can be read from the
// table.
#pragma once

#include <vector>

#include "expr/ast.h"
#include "storage/table_schema.h"

namespace jormun::ops {

// Every document path `c` names, in order.
std::vector<const expr::Path*> condition_paths(const expr::Condition& c);

// The paths of a projection, as condition_paths gives a condition's.
std::vector<const expr::Path*> projection_paths(const expr::Projection& p);

// A key attribute of the table or of any of its indexes is named only whole:
// "Key attributes must be scalars; list random access '[]' and map lookup
// '.' are not allowed: Key: <name>" (IndexKey: for an index's key).
void check_key_paths(const std::vector<const expr::Path*>& paths,
                     const storage::TableSchema& table);

// What reading `index` needs beyond the entries it holds.
struct IndexRead {
  bool all_attributes = false;  // Select=ALL_ATTRIBUTES
  const expr::Projection* projection = nullptr;
  const expr::Condition* filter = nullptr;
};

// True when the read must take each item from the table because the request
// names attributes `index` does not project: DynamoDB does that for an LSI.
// A GSI cannot, and the request is refused: "Select type ALL_ATTRIBUTES is
// not supported ...", "Global secondary index <name> does not project
// [a, b]" (ProjectionExpression), "Secondary index <name> does not project
// one or more filter attributes: [a]".
bool reads_from_table(const storage::TableSchema& table,
                      const storage::IndexSchema& index, const IndexRead& read);

}  // namespace jormun::ops
