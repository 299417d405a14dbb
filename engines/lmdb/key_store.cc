#include "key_store.h"

#include <algorithm>
#include <jormun/plugin.hpp>
#include <string>

#include "lmdb_status.h"
#include "long_keys.h"

namespace jormun::lmdb {
namespace {

// Reads the raw LMDB entry; false when absent.
bool get_raw(MDB_txn* txn, MDB_dbi dbi, std::string_view lmdb_key,
             std::string_view* out) {
  MDB_val k = mdb_val(lmdb_key), v{};
  int rc = ::mdb_get(txn, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return false;
  check(rc, "get");
  *out = view(v);
  return true;
}

void put_raw(MDB_txn* txn, MDB_dbi dbi, std::string_view lmdb_key,
             std::string_view value) {
  MDB_val k = mdb_val(lmdb_key), v = mdb_val(value);
  check(::mdb_put(txn, dbi, &k, &v, 0), "put");
}

void erase_raw(MDB_txn* txn, MDB_dbi dbi, std::string_view lmdb_key) {
  MDB_val k = mdb_val(lmdb_key);
  int rc = ::mdb_del(txn, dbi, &k, nullptr);
  if (rc != MDB_NOTFOUND) check(rc, "delete");
}

// The stored bucket of `key` (empty when none) and where `key`'s rest sorts.
struct BucketSlot {
  Bucket bucket;
  size_t index;
  bool present;
};

BucketSlot load_bucket(MDB_txn* txn, MDB_dbi dbi, std::string_view key) {
  BucketSlot slot;
  std::string_view stored;
  if (get_raw(txn, dbi, lmdb_key_of(key), &stored)) slot.bucket = decode_bucket(stored);
  std::string_view rest = key.substr(kBucketPrefix);
  auto pos =
      std::lower_bound(slot.bucket.begin(), slot.bucket.end(), rest,
                       [](const Member& m, std::string_view r) { return m.rest < r; });
  slot.index = static_cast<size_t>(pos - slot.bucket.begin());
  slot.present = pos != slot.bucket.end() && pos->rest == rest;
  return slot;
}

}  // namespace

bool get_key(MDB_txn* txn, MDB_dbi dbi, std::string_view key, std::string_view* value) {
  if (key.size() < kBucketPrefix) return get_raw(txn, dbi, key, value);
  std::string_view stored;
  return get_raw(txn, dbi, lmdb_key_of(key), &stored) &&
         find_member(stored, key.substr(kBucketPrefix), value);
}

void put_key(MDB_txn* txn, MDB_dbi dbi, std::string_view key, std::string_view value) {
  if (key.size() < kBucketPrefix) return put_raw(txn, dbi, key, value);
  BucketSlot slot = load_bucket(txn, dbi, key);
  if (slot.present) {
    slot.bucket[slot.index].value.assign(value);
  } else {
    slot.bucket.insert(
        slot.bucket.begin() + slot.index,
        Member{std::string(key.substr(kBucketPrefix)), std::string(value)});
  }
  put_raw(txn, dbi, lmdb_key_of(key), encode_bucket(slot.bucket));
}

void erase_key(MDB_txn* txn, MDB_dbi dbi, std::string_view key) {
  if (key.size() < kBucketPrefix) return erase_raw(txn, dbi, key);
  BucketSlot slot = load_bucket(txn, dbi, key);
  if (!slot.present) return;
  slot.bucket.erase(slot.bucket.begin() + slot.index);
  if (slot.bucket.empty()) return erase_raw(txn, dbi, lmdb_key_of(key));
  put_raw(txn, dbi, lmdb_key_of(key), encode_bucket(slot.bucket));
}

}  // namespace jormun::lmdb
