// Order-preserving encoding of key attributes, and the keys the server writes
// into an engine. Layouts are on disk: DO NOT CHANGE. docs/architecture.md
// ("Key format") has the same definitions with test vectors.
//
//   base item key:  hash(pk) | len(pk) | pk | sk
//   index key:      hash(ipk) | len(ipk) | ipk | isk (self-delimiting)
//                   | len(pk) | pk | sk
//
// A GSI with a multi-attribute key has a tuple of up to four values for ipk
// and for isk. ipk of two or more values is the concatenation of their
// self-delimiting encodings (so len and hash cover the whole tuple), and isk
// the concatenation of each value's self-delimiting encoding, so tuples sort
// left to right. One value is encoded exactly as above: keys of indexes with
// one-attribute keys do not change.
//
// hash is partition_hash() as 8 bytes big-endian; len is the byte length of
// the following encoding as 2 bytes big-endian; pk, sk, ipk are the plain
// encodings of append_key_value(); a part that is absent (no sort key) is
// omitted. Key values are S, N or B.
//
// Value encodings (append_key_value):
//   S, B  plain: the bytes themselves (UTF-8 for S).
//         self-delimiting: every 0x00 becomes 0x00 0xFF, then 0x00 0x01.
//   N     zero:     0x02
//         positive: 0x03, exponent + 129, digit pairs, 0x00
//         negative: 0x01, then the positive form's remaining bytes each
//                   subtracted from 0xFF (so larger magnitudes sort first)
//         where exponent is Decimal::exponent() (-129..126, so one byte) and
//         each pair of significant digits d1 d2 is the byte 1 + 10*d1 + d2
//         (an odd last digit is paired with 0). N is always self-delimiting.
//
// partition_hash(v) = fmix64(fnv1a64(t | plain encoding of v)), t the byte
// 'S', 'N' or 'B'; of a tuple v1..vn, fmix64(fnv1a64(t1..tn | its encoding)); FNV-1a 64
// with offset basis 0xcbf29ce484222325 and prime 0x100000001b3; fmix64 the MurmurHash3
// 64-bit finalizer, which spreads the high bits so that equal hash ranges hold equal
// shares of the partitions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "model/attribute_value.h"

namespace jormun::model {

// The fixed 64-bit partition hash of a partition key value (documented with
// test vectors in docs/architecture.md; it is on disk and never changes).
// Throws std::invalid_argument unless `pk` is S, N or B.
uint64_t partition_hash(const AttributeValue& pk);

// DynamoDB's limits on a key value (S or B bytes; a number is always far
// smaller), for the table's key and for index keys alike.
inline constexpr size_t kMaxPartitionKeyBytes = 2048;
inline constexpr size_t kMaxSortKeyBytes = 1024;

// The byte length of an S or B key value, 0 for N (a number's encoding is at
// most 21 bytes, under either limit).
size_t key_value_bytes(const AttributeValue& v);

// Appends the order-preserving encoding of a key value (S, N or B): byte
// order of the output equals DynamoDB's order of the values. With
// `self_delimiting`, the encoding is also prefix-free so more parts may follow.
// Throws std::invalid_argument for other types.
void append_key_value(const AttributeValue& v, bool self_delimiting, std::string* out);

// The values of a multi-attribute key, in KeySchema order (one or more).
using KeyTuple = std::span<const AttributeValue* const>;

// hash(pk) | pk: the common prefix of every item in a partition.
// Throws std::invalid_argument if pk's encoding exceeds 65535 bytes.
std::string partition_prefix(const AttributeValue& pk);
// The same for an index partition key of one or more values.
std::string partition_prefix(KeyTuple pk);

// The engine key of a base item; `sk` is null for tables without a sort key.
std::string base_key(const AttributeValue& pk, const AttributeValue* sk);

// The engine key of an index entry; `isk`/`sk` null when absent.
std::string index_key(const AttributeValue& ipk, const AttributeValue* isk,
                      const AttributeValue& pk, const AttributeValue* sk);
// The same for a multi-attribute index key; `isk` empty when the index has no
// sort key.
std::string index_key(KeyTuple ipk, KeyTuple isk, const AttributeValue& pk,
                      const AttributeValue* sk);

// Appends the 8-byte big-endian form of `h`.
void append_hash(uint64_t h, std::string* out);

}  // namespace jormun::model
