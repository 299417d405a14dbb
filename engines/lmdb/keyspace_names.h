// keyspace_names.h -- which LMDB named database holds which keyspace.
//
// LMDB names a database with a C string stored as a key of the main
// database, so a name is at most the key size (511 bytes) and holds no NUL.
// A keyspace name of up to kMaxDirectName bytes is stored directly, as the
// database "k" + two hex digits per name byte (the only form of format 1).
// A longer name gets a number instead: the database "l" + decimal id, and
// the reserved database "jormun.names" maps the id (8 bytes, big-endian) to
// the full name. Any name works, and data directories of format 1 keep their
// layout: nothing is migrated.
//
// REQUIRES for all: `txn` is live; add and remove need a write transaction.
// LMDB failures are thrown through check() (lmdb_status.h).
#ifndef JORMUN_LMDB_KEYSPACE_NAMES_H
#define JORMUN_LMDB_KEYSPACE_NAMES_H

#include <lmdb.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::lmdb {

// The longest keyspace name stored directly: "k" + 2 * 255 hex digits is
// LMDB's 511-byte key limit.
inline constexpr size_t kMaxDirectName = 255;

// The database of a keyspace whose name is at most kMaxDirectName bytes.
std::string direct_database(std::string_view keyspace);

// The keyspace a main-database key names when it is a direct database;
// nullopt for every other key.
std::optional<std::string> direct_keyspace(std::string_view db);

// Calls `found(keyspace, db)` for every long-named keyspace recorded.
void list_long_names(
    MDB_txn* txn, const std::function<void(std::string keyspace, std::string db)>& found);

// Records `keyspace` (longer than kMaxDirectName) under a fresh id and
// returns the name of its database (not yet created).
std::string add_long_name(MDB_txn* txn, std::string_view keyspace);

// Removes the record of the long-named database `db`.
void remove_long_name(MDB_txn* txn, std::string_view db);

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_KEYSPACE_NAMES_H
