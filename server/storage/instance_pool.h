// The budget of engine instances open at once, over all tables.
//
// A table opens its engine instance on first use and keeps it while it is
// used; the pool closes the instances of the tables used least recently
// (storage::Table::close_if_idle) once more than max_tables are open, or
// once the process holds more than max_files open descriptors. A closed
// table opens its instance again on its next use (Table::Lease), so many
// more tables than descriptors can live on one server.
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace jormun::storage {

class Table;

class InstancePool {
 public:
  // max_tables, max_files: 0 means no limit of that kind.
  InstancePool(size_t max_tables, size_t max_files);

  // The descriptors engines may hold given the process's soft RLIMIT_NOFILE
  // `limit` and the configured cap `configured` (0: 1024, the default soft
  // limit of most systems, so the server runs where it is not raised): the
  // smaller of the two, less a quarter (at least 32) kept for connections,
  // logs and the catalog. At least 16.
  static size_t budget_for_limit(uint64_t limit, uint64_t configured);
  // The number of descriptors this process has open (/proc/self/fd); 0 when
  // unknown.
  static size_t open_descriptors();

  // Called by a table about to open its instance: unless the descriptors
  // open leave room for one more table (the mean a table holds now, with
  // half again for files it opens as it is used), closes idle tables, least
  // recently used first, down to seven eighths of max_files.
  void before_open(const Table* table);
  // Called by `table` after it opened its instance, while it holds a lease
  // (so it is not closed itself): past max_tables, closes idle tables,
  // least recently used first, down to seven eighths of it (or as many as
  // are idle).
  void opened(const std::shared_ptr<Table>& table);
  // Called by a table whose instance closed (or that is destroyed).
  void closed(const Table* table);

  size_t open_tables() const;
  size_t max_tables() const { return max_tables_; }
  size_t max_files() const { return max_files_; }

 private:
  const size_t max_tables_;
  const size_t max_files_;
  mutable std::mutex mu_;
  std::map<const Table*, std::weak_ptr<Table>> open_;
  const size_t base_files_;  // descriptors open before any table
  // The descriptors open now (see count_files in the .cc), and what it
  // keeps between calls (guarded by listing_mu_): the numbers to probe
  // (0: list first) and the counts since the last listing.
  size_t count_files();
  std::mutex listing_mu_;
  size_t probe_bound_ = 0;
  size_t counts_since_listing_ = 0;
  // Closes `count` idle tables (not `keep`), least recently used first, or
  // as many as are idle.
  void close_idle(const Table* keep, size_t count);
  // The mean descriptors a table holds when the process holds `files` with
  // `tables` open; 0 without tables.
  size_t mean_files(size_t files, size_t tables) const;
};

}  // namespace jormun::storage
