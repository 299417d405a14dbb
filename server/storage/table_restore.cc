#include "storage/table_restore.h"

#include <filesystem>
#include <jormun/engine.hpp>
#include <memory>
#include <stdexcept>
#include <vector>

#include "common/log.h"
#include "storage/catalog_file.h"
#include "storage/engine_services.h"
#include "storage/stream_record.h"
#include "storage/table.h"
#include "storage/table_counts.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

// Entries per write batch when streaming: large enough that a batch's cost
// is not per entry, small enough to keep memory bounded on wide items.
constexpr size_t kBatchEntries = 512;
constexpr size_t kBatchBytes = 4 << 20;

void check_stop(std::stop_token stop) {
  if (stop.stop_requested()) throw std::runtime_error("the server is stopping");
}

std::string index_keyspace(const std::string& index) {
  return std::string(Table::kIndexKeyspacePrefix) + index;
}

bool has_index(const TableSchema& s, const std::string& name) {
  for (const auto& i : s.indexes)
    if (i.name == name) return true;
  return false;
}

// Copies the files of folder `from` into `to` (which exists), keeping the
// layout.
void copy_files(const std::string& from, const std::string& to) {
  fs::copy(from, to, fs::copy_options::recursive);
}

// Drops the keyspaces `target` must not inherit from `source`.
void drop_inherited(host::Instance& instance, const TableSchema& source,
                    const TableSchema& target) {
  std::vector<std::string> names = {std::string(kStreamsKeyspace),
                                    std::string(Table::kTransactionsKeyspace)};
  for (const auto& i : source.indexes)
    if (!has_index(target, i.name)) names.push_back(index_keyspace(i.name));
  for (const auto& name : names)
    if (auto ks = instance.keyspace(name, false)) instance.drop(*ks);
}

// Writes every entry of keyspace `name` of `from` into the same keyspace of
// `to`, in batches.
void stream_keyspace(host::Instance& from, host::Instance& to, const std::string& name,
                     std::stop_token stop, std::atomic<uint64_t>* copied = nullptr) {
  auto source = from.keyspace(name, false);
  if (!source) return;  // an index that never had an entry
  host::Keyspace target = *to.keyspace(name, true);
  host::Iterator it = from.iterate(*source, {});
  host::WriteBatch batch;
  size_t bytes = 0;
  std::string_view key, value;
  while (it.next(&key, &value)) {
    batch.put(target, std::string(key), std::string(value));
    bytes += key.size() + value.size();
    if (batch.size() >= kBatchEntries || bytes >= kBatchBytes) {
      check_stop(stop);
      to.write(batch, false);
      if (copied) copied->fetch_add(batch.size());
      batch.clear();
      bytes = 0;
    }
  }
  to.write(batch, false);
  if (copied) copied->fetch_add(batch.size());
}

// Counts the restored table's items and saves the figures in `dir`. An
// entry that is not an item must not fail the restore of what can be read:
// the table then answers zeros until a start-up recounts it (logged).
void save_restored_counts(host::Instance& instance, const TableSchema& target,
                          const std::string& dir, std::atomic<uint64_t>* copied) {
  try {
    Stats counted = scan_counts(instance, target);
    if (copied) copied->store(counted.item_count);
    save_counts(dir, counted);
  } catch (const std::exception& e) {
    log::error("item counts of restored table " + target.name + " not saved: " + e.what());
  }
}

}  // namespace

void fill_restored_table(EngineRegistry& engines, const TableSchema& source,
                         const std::string& checkpoint, const TableSchema& target,
                         const std::string& dir, const std::string& scratch,
                         std::stop_token stop, std::atomic<uint64_t>* copied) {
  if (source.plugin == target.plugin && source.engine_options == target.engine_options) {
    copy_files(checkpoint, dir);
    sync_tree(dir);
    check_stop(stop);
    auto instance = host::Instance::open(engines.library(target.plugin), dir,
                                         target.engine_options, engine_services());
    drop_inherited(*instance, source, target);
    instance->sync();
    save_restored_counts(*instance, target, dir, copied);
    return;
  }
  std::error_code ec;
  fs::remove_all(scratch, ec);
  fs::create_directories(scratch);
  try {
    copy_files(checkpoint, scratch);
    auto from = host::Instance::open(engines.library(source.plugin), scratch,
                                     source.engine_options, engine_services());
    auto to = host::Instance::open(engines.library(target.plugin), dir,
                                   target.engine_options, engine_services());
    stream_keyspace(*from, *to, std::string(Table::kItemsKeyspace), stop, copied);
    for (const auto& i : target.indexes) stream_keyspace(*from, *to, index_keyspace(i.name), stop);
    // Streamed unsynced, in batches: durable before the table is listed.
    to->sync();
    save_restored_counts(*to, target, dir, copied);
  } catch (...) {
    fs::remove_all(scratch, ec);
    throw;
  }
  fs::remove_all(scratch, ec);
}

}  // namespace jormun::storage
