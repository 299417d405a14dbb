// long_keys.h -- how keys longer than LMDB allows are stored.
//
// LMDB keys are at most mdb_env_get_maxkeysize() (511) bytes; the host writes
// keys of up to ~3.2 KB. A user key shorter than kBucketPrefix bytes is
// stored as the LMDB key itself. A longer key goes into a "bucket": the LMDB
// entry whose key is exactly the user key's first kBucketPrefix bytes and
// whose value is the sorted list of (rest of key, value) of every long key
// that shares that prefix.
//
// Why the order stays the byte order of user keys: a direct key (shorter than
// kBucketPrefix) can never equal a bucket key (exactly kBucketPrefix), and
// comparing a direct key d with a long key k gives the same answer as
// comparing d with k's bucket key, because d either differs from k within
// its own length (which lies inside the prefix) or is a proper prefix of
// both. Two long keys with different prefixes compare like their prefixes;
// with the same prefix, like their rests, which is the bucket's own order.
// So walking LMDB entries in order and each bucket's members in order yields
// user keys in order, in both directions.
//
// Cost: a bucket is rewritten whole when one of its members changes, so a
// very large set of long keys sharing one prefix (one DynamoDB partition with
// a partition key of ~470 bytes or more) writes in time proportional to it.
#ifndef JORMUN_LMDB_LONG_KEYS_H
#define JORMUN_LMDB_LONG_KEYS_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jormun::lmdb {

// DO NOT CHANGE: embedded in on-disk data (see kFormatVersion in instance.cc).
inline constexpr size_t kBucketPrefix = 480;

// True for the LMDB key of a bucket, false for a direct key.
inline bool is_bucket_key(std::string_view lmdb_key) {
  return lmdb_key.size() == kBucketPrefix;
}

// The LMDB key under which a user key is stored (itself or its bucket key).
inline std::string_view lmdb_key_of(std::string_view key) {
  return key.size() < kBucketPrefix ? key : key.substr(0, kBucketPrefix);
}

// One long key of a bucket: the bytes after the prefix, and its value.
struct Member {
  std::string rest;
  std::string value;
};

// A bucket's members, sorted by `rest`, no two equal.
using Bucket = std::vector<Member>;

// Parses a stored bucket value. Throws plugin::Error(JORMUN_CORRUPTION) when
// the bytes are not a well-formed bucket.
Bucket decode_bucket(std::string_view stored);

// The stored form of `bucket`; the inverse of decode_bucket.
std::string encode_bucket(const Bucket& bucket);

// The value of member `rest` in a stored bucket, without decoding the rest of
// it; false when absent. *value points into `stored`.
bool find_member(std::string_view stored, std::string_view rest,
                 std::string_view* value);

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_LONG_KEYS_H
