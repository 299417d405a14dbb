#include "storage/table_counts.h"

#include <fcntl.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "common/log.h"
#include "model/item_size.h"
#include "storage/catalog_file.h"
#include "storage/table.h"
#include "storage/table_dir.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

// The first line of the saved figures; a file without it is not read.
constexpr std::string_view kCountsHeader = "jormun-counts 1";
// Entries a full scan reads per iterator.
constexpr size_t kScanChunk = 4096;

uint64_t non_negative(int64_t v) { return v < 0 ? 0 : static_cast<uint64_t>(v); }

}  // namespace

const Counts* Stats::index(std::string_view name) const {
  for (const auto& [n, c] : indexes)
    if (n == name) return &c;
  return nullptr;
}

Stats zero_stats(const TableSchema& schema) {
  Stats none;
  for (const auto& index : schema.indexes) none.indexes.emplace_back(index.name, Counts{});
  return none;
}

KeyspaceCount::KeyspaceCount(Counts exact)
    : items_(static_cast<int64_t>(exact.item_count)),
      bytes_(static_cast<int64_t>(exact.size_bytes)) {}

std::unique_ptr<KeyspaceCount> KeyspaceCount::unknown(Counts shown) {
  std::unique_ptr<KeyspaceCount> c(new KeyspaceCount());
  c->recounting_ = true;
  c->shown_ = shown;
  return c;
}

bool KeyspaceCount::counts_at(std::string_view key) const {
  return !recounting_.load() || key <= std::string_view(position_);
}

void KeyspaceCount::add(int64_t items, int64_t bytes) {
  items_.fetch_add(items, std::memory_order_relaxed);
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
}

std::optional<host::Bound> KeyspaceCount::resume_after() const {
  if (position_.empty()) return std::nullopt;
  return host::Bound{position_, false};
}

void KeyspaceCount::scanned(const Counts& chunk, std::string last, bool done) {
  add(static_cast<int64_t>(chunk.item_count), static_cast<int64_t>(chunk.size_bytes));
  if (!last.empty()) position_ = std::move(last);
  if (done) {
    recounting_.store(false);
    position_.clear();
  }
}

Counts KeyspaceCount::figures() const {
  if (auto e = exact()) return *e;
  return shown_;
}

std::optional<Counts> KeyspaceCount::exact() const {
  auto n = net();
  if (!n) return std::nullopt;
  return Counts{non_negative(n->items), non_negative(n->bytes)};
}

std::optional<Net> KeyspaceCount::net() const {
  if (recounting_.load()) return std::nullopt;
  return Net{items_.load(std::memory_order_relaxed), bytes_.load(std::memory_order_relaxed)};
}

bool count_chunk(host::Instance& instance, host::Keyspace ks,
                 const std::optional<host::Bound>& after, size_t limit, Counts* counts,
                 std::string* last) {
  host::Iterator it = instance.iterate(ks, {after, std::nullopt});
  std::string_view k, v;
  for (size_t n = 0; n < limit; ++n) {
    if (!it.next(&k, &v)) return true;
    ++counts->item_count;
    counts->size_bytes += model::stored_item_size(v);
    last->assign(k);
  }
  return false;
}

namespace {
Counts scan_keyspace(host::Instance& instance, host::Keyspace ks) {
  Counts counts;
  std::optional<host::Bound> after;
  std::string last;
  while (!count_chunk(instance, ks, after, kScanChunk, &counts, &last))
    after = host::Bound{last, false};
  return counts;
}
}  // namespace

Stats scan_counts(host::Instance& instance, const TableSchema& schema) {
  Stats stats;
  if (auto ks = instance.keyspace(Table::kItemsKeyspace, false))
    static_cast<Counts&>(stats) = scan_keyspace(instance, *ks);
  for (const auto& index : schema.indexes) {
    if (index.state == IndexSchema::State::kDeleting) continue;
    Counts c;
    if (auto ks = instance.keyspace(std::string(Table::kIndexKeyspacePrefix) + index.name,
                                    false))
      c = scan_keyspace(instance, *ks);
    stats.indexes.emplace_back(index.name, c);
  }
  return stats;
}

// The file: the header line, "<items> <bytes>" of the table, then one
// "<items> <bytes> <index name>" line per index (index names hold no
// spaces or newlines).
std::optional<Stats> read_saved_counts(const std::string& dir) {
  const std::string path = (fs::path(dir) / kCountsMarker).string();
  try {
    std::optional<std::string> text = read_file(path);
    if (!text) return std::nullopt;
    std::istringstream in(*text);
    std::string header;
    Stats stats;
    if (!std::getline(in, header) || header != kCountsHeader ||
        !(in >> stats.item_count >> stats.size_bytes))
      throw std::runtime_error("not a counts file");
    Counts c;
    std::string name;
    while (in >> c.item_count >> c.size_bytes >> name) stats.indexes.emplace_back(name, c);
    if (!in.eof()) throw std::runtime_error("not a counts file");
    return stats;
  } catch (const std::exception& e) {
    log::error("item counts in " + path + " are not read, they will be recounted: " +
               e.what());
    return std::nullopt;
  }
}

void save_counts(const std::string& dir, const Stats& stats) {
  std::string text(kCountsHeader);
  text += "\n" + std::to_string(stats.item_count) + " " + std::to_string(stats.size_bytes) +
          "\n";
  for (const auto& [name, c] : stats.indexes)
    text += std::to_string(c.item_count) + " " + std::to_string(c.size_bytes) + " " + name +
            "\n";
  write_marker(dir, kCountsMarker, text);
}

void forget_saved_counts(const std::string& dir) {
  const fs::path path = fs::path(dir) / kCountsMarker;
  std::error_code ec;
  if (!fs::remove(path, ec) && !ec) return;  // there was none
  if (ec) throw std::runtime_error("remove " + path.string() + ": " + ec.message());
  fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace jormun::storage
