#include "storage/table.h"

#include "model/item_codec.h"
#include "model/item_size.h"

namespace jormun::storage {

namespace {
// The keyspace of base items. DO NOT CHANGE: it is on disk.
constexpr std::string_view kItemsKeyspace = "items";
}  // namespace

Table::Table(TableSchema schema, std::unique_ptr<host::Instance> engine)
    : schema_(std::move(schema)), engine_(std::move(engine)) {
  items_ = *engine_->keyspace(kItemsKeyspace, true);
}

std::optional<model::Item> Table::get(std::string_view key, const host::Snapshot* snapshot) {
  std::string value;
  if (!engine_->get(items_, key, &value, snapshot)) return std::nullopt;
  return model::decode_item(value);
}

void Table::write_item(const std::string& key, const model::Item* /*old*/,
                       const model::Item* item) {
  host::WriteBatch batch;
  if (item)
    batch.put(items_, key, model::encode_item(*item));
  else
    batch.del(items_, key);
  engine_->write(batch, false);
}

Table::Stats Table::stats() {
  std::lock_guard lock(stats_mu_);
  auto now = std::chrono::steady_clock::now();
  if (stats_time_ && now - *stats_time_ < kStatsMaxAge) return stats_;
  Stats s;
  host::Iterator it = engine_->iterate(items_, {});
  std::string_view k, v;
  while (it.next(&k, &v)) {
    ++s.item_count;
    s.size_bytes += model::item_size(model::decode_item(v));
  }
  stats_ = s;
  stats_time_ = now;
  return s;
}

}  // namespace jormun::storage
