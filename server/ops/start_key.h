// ExclusiveStartKey of Query and Scan: the checks DynamoDB applies to it,
// with its messages, and the engine key after which a page starts.
//
// DynamoDB checks a start key in steps that Query interleaves with its key
// condition (see query_scan.cc): the number of members, then each key
// attribute of the table or index read, then the table's own key, then
// whether the key lies where the condition or segment says the read goes.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "storage/key_range.h"
#include "storage/table_schema.h"

namespace jormun::ops {

// The members as attribute values; a malformed value is refused with
// "The provided starting key is invalid: <what is wrong>".
model::Item parse_start_key(const rapidjson::Value& json);

// Exactly `count` members (the table's key attributes plus the index's):
// else "The provided starting key is invalid".
void check_start_key_size(const model::Item& key, size_t count);

// One key attribute of the table or index read: absent is "The provided
// starting key is invalid"; of another type, "The provided key element does
// not match the schema"; empty or too long, the key-value messages.
void check_start_key_member(const model::Item& key, const storage::KeyAttribute& attr,
                            bool partition);

// The engine key of the start key. Without `index`, the members are checked
// as a Key parameter of the table; with it, the table's key attributes among
// them are, and the key is the index entry's. Errors are prefixed "The
// provided starting key is invalid: ".
// REQUIRES: with `index`, its key attributes passed check_start_key_member.
std::string start_engine_key(const storage::TableSchema& table,
                             const storage::IndexSchema* index, const model::Item& key);

// Query: the start key must lie where the key condition reads.
//   "The provided starting key is outside query boundaries based on provided
//    conditions": another partition, and no condition on the sort key;
//   "The provided starting key does not match the range key predicate": a
//    sort key outside the condition;
//   "The query can return at most one row and cannot be restarted": a sort
//    key inside it, but another partition.
// `partition_keys` are the HASH attributes of the table or index read;
// `delimited`: reading an index (see storage::query_range).
void check_start_key_in_query(
    const model::Item& key, const std::string& engine_key, const storage::KeyRange& range,
    const std::vector<const storage::KeyAttribute*>& partition_keys, bool delimited);

// Scan: the start key must lie in segment `segment` of `total`, else "The
// provided starting key is invalid: Invalid ExclusiveStartKey. Please use
// ExclusiveStartKey with correct Segment. TotalSegments: <total> Segment:
// <segment>".
void check_start_key_in_segment(const std::string& engine_key, uint64_t segment,
                                uint64_t total);

}  // namespace jormun::ops
