// Order-preserving encoding of key attributes, and the keys the server writes
// into an engine. Layouts are on disk: DO NOT CHANGE.
//
//   base item key:  hash(pk) | pk (length-prefixed) | sk (order-preserving)
//   index key:      hash(ipk) | ipk (length-prefixed) | isk (self-delimiting)
//                   | pk (length-prefixed) | sk (order-preserving)
//
// hash is partition_hash() as 8 bytes big-endian. Key values are S, N or B.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/attribute_value.h"

namespace jormun::model {

// The fixed 64-bit partition hash of a partition key value (documented with
// test vectors in docs/architecture.md; it is on disk and never changes).
uint64_t partition_hash(const AttributeValue& pk);

// Appends the order-preserving encoding of a key value (S, N or B): byte
// order of the output equals DynamoDB's order of the values. With
// `self_delimiting`, the encoding is also prefix-free so more parts may follow.
void append_key_value(const AttributeValue& v, bool self_delimiting, std::string* out);

// hash(pk) | pk: the common prefix of every item in a partition.
std::string partition_prefix(const AttributeValue& pk);

// The engine key of a base item; `sk` is null for tables without a sort key.
std::string base_key(const AttributeValue& pk, const AttributeValue* sk);

// The engine key of an index entry; `isk`/`sk` null when absent.
std::string index_key(const AttributeValue& ipk, const AttributeValue* isk,
                      const AttributeValue& pk, const AttributeValue* sk);

// Appends the 8-byte big-endian form of `h`.
void append_hash(uint64_t h, std::string* out);

}  // namespace jormun::model
