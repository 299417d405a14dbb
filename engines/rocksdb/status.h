// Maps RocksDB statuses onto the engine ABI's status codes.
#ifndef JORMUN_ROCKSDB_STATUS_H
#define JORMUN_ROCKSDB_STATUS_H

#include <jormun/engine.h>
#include <rocksdb/status.h>

#include <string_view>

namespace jormun::rocks {

// The jormun status code for a non-OK RocksDB status.
jormun_status to_jormun(const rocksdb::Status& status);

// Throws plugin::Error with the mapped code and a message "rocksdb: <what>:
// <RocksDB's text>" unless `status` is OK.
void check(const rocksdb::Status& status, std::string_view what);

}  // namespace jormun::rocks

#endif
