// One open RocksDB database with the handles of its column families.
#ifndef JORMUN_ROCKSDB_DATABASE_H
#define JORMUN_ROCKSDB_DATABASE_H

#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <jormun/plugin.hpp>
#include <map>
#include <memory>
#include <string>

#include "db_options.h"

namespace jormun::rocks {

// A database opened read-only writes no file and syncs nothing: reopening a
// table of ten items costs about 1 ms that way against some 15 ms for a
// read-write open (a new manifest, WAL and options file, each synced), and a
// server of thousands of tables reopens one at nearly every request once
// requests spread over more tables than it keeps open (issue 17). The
// instance opens an existing database read-only and again read-write at its
// first change (instance.h).
//
// Not thread-safe by itself: the instance guards `families` (RocksDB's DB is
// thread-safe).
class Database {
 public:
  // Opens the database in `data_dir` (created when absent, unless
  // read-only) with every column family it has; a column family that no
  // keyspace name maps to is JORMUN_CORRUPTION. A database opened read-only
  // holds the LOCK file as a writable one does, so a second open in this
  // process or another is JORMUN_BUSY either way.
  static std::shared_ptr<Database> open(const std::string& data_dir,
                                        const DbOptions& options,
                                        const plugin::Host& host, bool read_only);
  // Syncs the WAL of a writable database, then closes it.
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Whether to open the database in `data_dir` read-only: it exists and its
  // WAL holds nothing, so its last session only read (or its writes reached
  // table files). One whose WAL holds writes was written last time and
  // probably will be again (writes spread over more tables than the server
  // keeps open): opened writable at once, it is spared a second open at its
  // first write, and that open moves the WAL's writes to a table file, so
  // after a session of reads the next reopen is read-only.
  static bool opens_read_only(const std::string& data_dir);

  // Gives up the LOCK file of a read-only database, so the same directory
  // can be opened read-write while this one is still read (instance.cc).
  void release_lock();

  rocksdb::DB& db() const { return *db_; }
  bool read_only() const { return read_only_; }
  // The column family handles by keyspace name; the database destroys those
  // left here when it closes.
  std::map<std::string, rocksdb::ColumnFamilyHandle*> families;

 private:
  explicit Database(bool read_only) : read_only_(read_only) {}

  const bool read_only_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* default_family_ = nullptr;
  rocksdb::FileLock* lock_ = nullptr;  // a read-only database's LOCK file
};

}  // namespace jormun::rocks

#endif
