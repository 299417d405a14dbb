// A range cursor over one column family.
#ifndef JORMUN_ROCKSDB_ITERATOR_H
#define JORMUN_ROCKSDB_ITERATOR_H

#include <rocksdb/db.h>

#include <jormun/plugin.hpp>
#include <memory>
#include <string>

namespace jormun::rocks {

// Every jormun bound maps onto RocksDB's inclusive lower and exclusive upper
// bounds: for byte strings, key > k exactly when key >= k + "\0", and
// key <= k exactly when key < k + "\0". RocksDB then enforces the bounds in
// both directions itself. Without a snapshot, RocksDB pins the state at
// creation, as JORMUN_CAP_SNAPSHOTS asks.
class RocksIterator final : public plugin::Iterator {
 public:
  // `snapshot` may be null. REQUIRES: `db` and `column_family` outlive this.
  RocksIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* column_family,
                const rocksdb::Snapshot* snapshot, const plugin::Range& range);

  bool next(jormun_bytes* key, jormun_bytes* value) override;

 private:
  void seek_first();

  // RocksDB keeps pointers to these bounds for the iterator's life.
  std::string lower_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  bool has_lower_ = false;
  bool has_upper_ = false;
  bool reverse_ = false;
  bool started_ = false;
  bool done_ = false;
  // The failure that ended the iteration; reported again on later calls.
  rocksdb::Status error_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace jormun::rocks

#endif
