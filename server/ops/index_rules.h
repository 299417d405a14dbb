// The rules DynamoDB applies to secondary index definitions after member
// validation, with its messages, and the IndexSchema a valid one becomes.
// The order of checks follows DynamoDB's (each rule throws the first
// ValidationException it finds).
#pragma once

#include <optional>
#include <vector>

#include "ops/table_params.h"
#include "storage/table_schema.h"

namespace jormun::ops {

// The per-index key rules shared by CreateTable and UpdateTable's Create:
// key attributes defined, distinct, HASH then RANGE. A GSI (`global`) may
// have a multi-attribute key: up to four HASH elements, then up to four
// RANGE ones.
void check_index_definition(const IndexDefinition& d,
                            const std::vector<storage::KeyAttribute>& defs, bool global);

// A known ProjectionType, with NonKeyAttributes exactly when INCLUDE, each
// named once.
// DynamoDB checks this after the key rules (and the LSI-only ones).
void check_projection(const IndexDefinition& d);

// The NonKeyAttributes of all of a table's indexes (a name projected into
// two indexes counts twice) number at most 100.
void check_projected_total(const std::vector<storage::IndexSchema>& indexes);

// CreateTable's index rules for `table` (keys, AttributeDefinitions and
// billing mode set). Returns the indexes, LSIs first, all kActive.
std::vector<storage::IndexSchema> check_create_indexes(
    const storage::TableSchema& table,
    const std::optional<std::vector<IndexDefinition>>& lsis,
    const std::optional<std::vector<IndexDefinition>>& gsis);

// The IndexSchema of a checked definition.
storage::IndexSchema make_index(const IndexDefinition& d,
                                const std::vector<storage::KeyAttribute>& defs,
                                bool global);

// With indexes, every AttributeDefinition must be a key of the table or of
// an index: "Some AttributeDefinitions are not used. ...".
void check_definitions_used(const storage::TableSchema& table);

}  // namespace jormun::ops
