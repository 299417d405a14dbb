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

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_SCHEMA_H
