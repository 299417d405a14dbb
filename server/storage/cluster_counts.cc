#include "storage/cluster_counts.h"

#include <sstream>

#include "common/log.h"

namespace jormun::storage {
namespace {

// DO NOT CHANGE: the stored layout (shared_catalog.h).
constexpr const char* kCountsPrefix = "n/";

const Net* find(const NetStats& s, const std::string& name) {
  for (const auto& [n, net] : s.indexes)
    if (n == name) return &net;
  return nullptr;
}

Net plus(Net a, const Net* b, int sign) {
  if (!b) return a;
  return {a.items + sign * b->items, a.bytes + sign * b->bytes};
}

// `base` + `now` - `before`, for the table and the indexes of `schema` that
// are not being deleted (a deleted index's figures leave the row with it).
NetStats moved(const NetStats& base, const NetStats& now, const NetStats& before,
               const TableSchema& schema) {
  NetStats out;
  out.table = plus(plus(base.table, &now.table, 1), &before.table, -1);
  for (const auto& index : schema.indexes) {
    if (index.state == IndexSchema::State::kDeleting) continue;
    Net sum = plus({}, find(base, index.name), 1);
    // An index this front end does not count yet (backfilled elsewhere)
    // adds nothing.
    if (const Net* counted = find(now, index.name))
      sum = plus(plus(sum, counted, 1), find(before, index.name), -1);
    out.indexes.emplace_back(index.name, sum);
  }
  return out;
}

bool is_zero(const NetStats& s) {
  if (s.table.items != 0 || s.table.bytes != 0) return false;
  for (const auto& [name, n] : s.indexes)
    if (n.items != 0 || n.bytes != 0) return false;
  return true;
}

uint64_t clamp(int64_t v) { return v < 0 ? 0 : static_cast<uint64_t>(v); }

}  // namespace

std::string ClusterCounts::key(const std::string& table_id) { return kCountsPrefix + table_id; }

std::string ClusterCounts::format(const NetStats& net) {
  std::string out = std::to_string(net.table.items) + " " + std::to_string(net.table.bytes);
  for (const auto& [name, n] : net.indexes)
    out += " " + name + " " + std::to_string(n.items) + " " + std::to_string(n.bytes);
  return out;
}

NetStats ClusterCounts::parse(const std::string& text) {
  std::istringstream in(text);
  NetStats out;
  if (!(in >> out.table.items >> out.table.bytes)) return {};
  std::string name;
  Net n;
  while (in >> name >> n.items >> n.bytes) out.indexes.emplace_back(name, n);
  return out;
}

void ClusterCounts::add(const Table& table) {
  const std::string id = table.schema().id;
  std::lock_guard lock(mu_);
  Known& known = known_[id];
  const NetStats now = table.net_stats();
  const TableSchema& schema = table.schema();
  if (is_zero(moved({}, now, known.added, schema))) return;  // nothing since the last add
  for (;;) {
    const std::optional<std::string> seen = catalog_.row(key(id));
    NetStats row = moved(seen ? parse(*seen) : NetStats{}, now, known.added, schema);
    if (catalog_.swap_row(key(id), seen, format(row))) {
      known.added = now;
      known.row = std::move(row);
      return;
    }
    // Another front end added first: again on its figures.
  }
}

Stats ClusterCounts::figures(const Table& table) {
  const std::string id = table.schema().id;
  std::lock_guard lock(mu_);
  Known& known = known_[id];
  try {
    const std::optional<std::string> seen = catalog_.row(key(id));
    known.row = seen ? parse(*seen) : NetStats{};
  } catch (const std::exception&) {
    // The database is away: the row as last read, and this front end's
    // own writes since.
  }
  NetStats all = moved(known.row, table.net_stats(), known.added, table.schema());
  Stats out;
  out.item_count = clamp(all.table.items);
  out.size_bytes = clamp(all.table.bytes);
  for (const auto& [name, n] : all.indexes)
    out.indexes.emplace_back(name, Counts{clamp(n.items), clamp(n.bytes)});
  return out;
}

void ClusterCounts::drop(const std::string& table_id) noexcept {
  std::lock_guard lock(mu_);
  known_.erase(table_id);
  try {
    // A front end still adding may change it meanwhile.
    if (catalog_.remove_row(key(table_id), 3)) return;
    log::error("cluster: the item counts of deleted table " + table_id + " kept changing: left");
  } catch (const std::exception& e) {
    log::error("cluster: deleting the item counts of deleted table " + table_id + ": " +
               e.what());
  }
}

void ClusterCounts::forget(const std::string& table_id) {
  std::lock_guard lock(mu_);
  known_.erase(table_id);
}

}  // namespace jormun::storage
