// schema.h -- the tables of a partition file. DO NOT CHANGE: on disk.
//
// One WITHOUT ROWID table per file, keyed (keyspace id, key), rather than one
// table per keyspace: creating a keyspace then touches only the metadata
// file, the statement texts are fixed (so every connection prepares them once
// and no schema change ever invalidates them), and the clustered primary key
// gives each keyspace's entries in key order. BLOB columns compare with
// memcmp and then length, which is exactly the engine's key order.
#ifndef JORMUN_ENGINES_SQLITE_SCHEMA_H
#define JORMUN_ENGINES_SQLITE_SCHEMA_H

namespace jormun::sqlite {

inline constexpr const char* kPartitionSchema =
    "CREATE TABLE IF NOT EXISTS entries("
    "  ks INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,"
    "  PRIMARY KEY (ks, key)) WITHOUT ROWID;"
    // The sequence number of the last multi-partition batch applied to this
    // file, written in the same transaction as the batch (see intent_log.h).
    "CREATE TABLE IF NOT EXISTS intent_mark("
    "  id INTEGER PRIMARY KEY CHECK (id = 0), seq INTEGER NOT NULL);";

// The page size of partition files created from now on: 8 KB pages hold
// twice the 1 KB items of SQLite's default 4 KB, so the B-tree is shallower
// and splits half as often. Files keep the size they were created with.
inline constexpr const char* kPartitionPageSize = "PRAGMA page_size=8192";

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_SCHEMA_H
