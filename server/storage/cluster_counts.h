// The item counts of a cluster's tables (README, "Scale out"): DescribeTable's
// ItemCount and TableSizeBytes, and each index's, whichever front end wrote.
//
// Each front end counts what its own writes change (a cluster's Table counts
// from zero in each run, storage/table.h) and adds that, every second and as
// it stops, to the table's row "n/<table id>" of the shared catalog
// (storage/shared_catalog.h), compare-and-set, so front ends adding at once
// all count. A front end answers the row plus what it counted and has not
// added yet. A front end killed loses what it had not added (at most its
// last second of writes); the row is otherwise exact, like a single
// server's counts.
//
// Row value: "<items> <bytes>" then " <index> <items> <bytes>" per index, in
// decimal, signed (one front end's removals may reach the row before
// another's additions).
//
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "storage/shared_catalog.h"
#include "storage/table.h"

namespace jormun::storage {

class ClusterCounts {
 public:
  explicit ClusterCounts(SharedCatalog& catalog) : catalog_(catalog) {}

  // The row of table `table_id`.
  static std::string key(const std::string& table_id);
  // The row's text of `net`, and back (missing and malformed fields: zero).
  static std::string format(const NetStats& net);
  static NetStats parse(const std::string& text);

  // Adds to `table`'s row what it counted since the last add. Throws
  // host::EngineError (nothing added then: the next call adds it).
  void add(const Table& table);
  // `table`'s figures: its row (as last read, when the database cannot be
  // reached) and what it counted that is not in the row yet, for the
  // indexes its schema has.
  Stats figures(const Table& table);
  // Deletes the row of a dropped table and forgets it. A failure is logged:
  // the row stays behind, a few bytes.
  void drop(const std::string& table_id) noexcept;
  // Forgets a table another front end dropped (its row is that one's).
  void forget(const std::string& table_id);

 private:
  // Each table's figures (by id) as last added, and its row as last read.
  struct Known {
    NetStats added;
    NetStats row;
  };
  SharedCatalog& catalog_;
  std::mutex mu_;  // known_; an add of a table at a time
  std::map<std::string, Known> known_;
};

}  // namespace jormun::storage
