// key_store.h -- point reads and writes of user keys inside an LMDB
// transaction, hiding the long-key buckets of long_keys.h.
//
// REQUIRES for all: `txn` is live and `dbi` is valid in it; put/erase need a
// write transaction; `key` is not empty (the plugin adaptor refuses empty
// keys, which LMDB cannot store). LMDB failures are thrown through check()
// (lmdb_status.h).
#ifndef JORMUN_LMDB_KEY_STORE_H
#define JORMUN_LMDB_KEY_STORE_H

#include <lmdb.h>

#include <string_view>

namespace jormun::lmdb {

// Finds `key`; on success *value points into the map (or a bucket stored
// there) and stays valid until the transaction ends or writes.
bool get_key(MDB_txn* txn, MDB_dbi dbi, std::string_view key, std::string_view* value);

// Inserts or replaces `key`.
void put_key(MDB_txn* txn, MDB_dbi dbi, std::string_view key, std::string_view value);

// Removes `key`; removing an absent key does nothing.
void erase_key(MDB_txn* txn, MDB_dbi dbi, std::string_view key);

// A byte span as LMDB takes it, and back.
inline MDB_val mdb_val(std::string_view s) {
  return {s.size(), const_cast<char*>(s.data())};
}
inline std::string_view view(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_KEY_STORE_H
