// ItemCount and TableSizeBytes of a table and of each of its indexes, kept
// with the writes instead of scanned for, so DescribeTable and ListTables
// cost the same whatever a table holds.
//
// Every write set adds what it changed (items, DynamoDB-measured bytes) to
// the counts of the keyspaces it wrote, once its batch is committed. The
// figures are saved in the table's folder (kCountsMarker) when the table
// closes, and that file is removed, durably, before the next write, so a
// file present always holds exact figures and a table that was never opened
// in a run answers them without opening. No file (a crash, a data
// directory from before counts were kept, a restored transaction share)
// means the figures are unknown: the last ones known are answered while a
// scan recounts the keyspace in the background. A table given no folder
// counts from zero in each run and saves nothing: a cluster's front end
// counts its own writes, and adds them to the cluster's figures
// (storage/cluster_counts.h).
//
// A recount scans in chunks, each under the table's write gate held
// exclusively, so no write is between stage and commit while a chunk
// reads; between chunks writes go on. A write's change counts at once when
// its key is at or below the scan's position (the scan has passed it), and
// is left for the scan to read otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <jormun/engine.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/table_schema.h"

namespace jormun::storage {

struct Counts {
  uint64_t item_count = 0;
  uint64_t size_bytes = 0;
};

// What writes changed in a keyspace's figures, signed: a cluster's front
// end counts only its own writes (storage/cluster_counts.h), which may
// remove what others added.
struct Net {
  int64_t items = 0;
  int64_t bytes = 0;
};

// The figures of a table and of its indexes (by index name).
struct Stats : Counts {
  std::vector<std::pair<std::string, Counts>> indexes;
  // The figures of index `name`, or null.
  const Counts* index(std::string_view name) const;
};

// Zero figures for the table of `schema` and each of its indexes (a new
// table's, or a count that starts from zero).
Stats zero_stats(const TableSchema& schema);

// Signed figures of a table and of its indexes (by index name).
struct NetStats {
  Net table;
  std::vector<std::pair<std::string, Net>> indexes;
};

// The counts of one keyspace. add() may be called by many writers at once,
// each holding the table's write gate shared; the scan methods require the
// gate held exclusively; figures() may be called at any time.
class KeyspaceCount {
 public:
  // Exact figures.
  explicit KeyspaceCount(Counts exact);
  // Unknown figures, to be recounted; `shown` is answered until then.
  static std::unique_ptr<KeyspaceCount> unknown(Counts shown);
  KeyspaceCount(const KeyspaceCount&) = delete;
  KeyspaceCount& operator=(const KeyspaceCount&) = delete;

  // Whether a change at `key` is to be added now (see the file comment).
  // REQUIRES: the gate held.
  bool counts_at(std::string_view key) const;
  // Adds a committed change (negative for removals).
  void add(int64_t items, int64_t bytes);

  bool recounting() const { return recounting_.load(); }
  // Where the next chunk of a recount starts (after this key); nullopt at
  // the start. REQUIRES: the gate held.
  std::optional<host::Bound> resume_after() const;
  // Adds a chunk the scan read, up to `last`, and ends the recount when
  // `done`. REQUIRES: the gate held exclusively.
  void scanned(const Counts& chunk, std::string last, bool done);

  // The exact figures, or the shown ones during a recount.
  Counts figures() const;
  // The exact figures; nullopt during a recount.
  std::optional<Counts> exact() const;
  // The exact figures before clamping at zero (those of a count that
  // started at zero and saw more removals than additions are negative);
  // nullopt during a recount.
  std::optional<Net> net() const;

 private:
  KeyspaceCount() = default;
  std::atomic<int64_t> items_{0};
  std::atomic<int64_t> bytes_{0};
  std::atomic<bool> recounting_{false};
  std::string position_;  // scanned up to here, inclusive; empty: nothing yet
  Counts shown_;
};

// What a staged write changes in one keyspace's counts, added once its
// batch is committed (negative for removals).
struct CountChange {
  KeyspaceCount* count;
  int64_t items;
  int64_t bytes;
};

// Sums, in `counts`, the DynamoDB size of at most `limit` entries of `ks`
// after `after`, each value an item in its stored form; sets `last` to the
// key of the last one read. Returns true when the keyspace has no more.
// Throws std::runtime_error on an entry that is not an item.
bool count_chunk(host::Instance& instance, host::Keyspace ks,
                 const std::optional<host::Bound>& after, size_t limit, Counts* counts,
                 std::string* last);
// The figures of every keyspace of `schema` in `instance`, by a full scan
// (a restored table, before it is listed).
Stats scan_counts(host::Instance& instance, const TableSchema& schema);

// The saved figures in table folder `dir`; nullopt when there are none or
// they cannot be read (logged): then they are recounted.
std::optional<Stats> read_saved_counts(const std::string& dir);
// Saves `stats` in `dir`, atomically and durably. Throws std::runtime_error.
void save_counts(const std::string& dir, const Stats& stats);
// Removes the saved figures of `dir`, durably: what follows may change them.
// Throws std::runtime_error.
void forget_saved_counts(const std::string& dir);

}  // namespace jormun::storage
