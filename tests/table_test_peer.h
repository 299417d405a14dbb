// Raw engine access to a storage::Table, for tests that must store what the
// public API never writes (an item the codec cannot read, an item without
// its index entries).
#pragma once

#include <jormun/engine.hpp>

#include "storage/table.h"

namespace jormun::storage {

class TableTestPeer {
 public:
  // Writes `batch` to the table's engine instance.
  static void write(Table& t, const host::WriteBatch& batch) {
    Table::Lease use = t.lease();
    t.engine_->write(batch, true);
  }
  // The keyspace of the table's base items.
  static host::Keyspace items(const Table& t) { return t.items_; }
  // The table's figures by a full scan of its keyspaces.
  static Stats scan(Table& t) {
    Table::Lease use = t.lease();
    return scan_counts(*t.engine_, t.schema());
  }
};

}  // namespace jormun::storage
