#include "ops/ttl_sweeper.h"

#include <vector>

#include "common/api_error.h"
#include "common/clock.h"
#include "common/guarded.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/stop_wait.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "ops/item_key.h"

namespace jormun::ops {
namespace {

// Items read per chunk: the table is held (and DeleteTable waits) for one
// chunk's deletions at most.
constexpr size_t kChunkItems = 100;

}  // namespace

bool ttl_expired(const model::Item& item, const std::string& attribute,
                 const model::Decimal& now) {
  auto it = item.find(attribute);
  return it != item.end() && it->second.is<model::Decimal>() &&
         it->second.as<model::Decimal>() < now;
}

storage::Mutation expiry_mutation(const std::string& attribute,
                                  const model::Decimal& now) {
  storage::Mutation m;
  m.needs_old = true;
  m.by_service = true;
  m.decide = [&attribute, &now](const model::Item* old) -> std::optional<model::Item> {
    if (!old || !ttl_expired(*old, attribute, now)) throw NotExpired{};
    return std::nullopt;
  };
  return m;
}

TtlSweeper::TtlSweeper(storage::Catalog& catalog, const config::TtlConfig& config,
                       std::function<bool()> paused)
    : catalog_(catalog),
      config_(config),
      paused_(std::move(paused)),
      window_start_(std::chrono::steady_clock::now()) {
  thread_ = std::jthread(
      [this](std::stop_token stop) { guarded("TTL sweeper", [&] { run(stop); }); });
}

model::Decimal TtlSweeper::now() const {
  return model::Decimal::parse(std::to_string(clock::now_ms() / 1000));
}

void TtlSweeper::run(std::stop_token stop) {
  const auto interval = std::chrono::seconds(config_.sweep_interval_seconds);
  while (!stop.stop_requested()) {
    const auto start = std::chrono::steady_clock::now();
    if (!paused_ || !paused_())
      for (const std::string& name : catalog_.names()) {
        if (stop.stop_requested()) return;
        // One table's failure (a full disk, a fault) is logged; the others,
        // and the next sweep, go on.
        guarded("TTL sweep of table " + name, [&] { sweep_table(name, stop); });
      }
    if (!pause_unless_stopped(start + interval - std::chrono::steady_clock::now(), stop)) return;
  }
}

bool TtlSweeper::wait_for_budget(std::stop_token stop) {
  for (;;) {
    const auto t = std::chrono::steady_clock::now();
    if (t - window_start_ >= std::chrono::seconds(1)) {
      window_start_ = t;
      window_deletes_ = 0;
    }
    if (window_deletes_ < config_.max_deletes_per_second) return true;
    if (!pause_unless_stopped(window_start_ + std::chrono::seconds(1) - t, stop)) return false;
  }
}

void TtlSweeper::sweep_table(const std::string& name, std::stop_token stop) {
  std::optional<std::string> after;  // the engine key the next chunk starts after
  std::string table_id;
  for (;;) {
    if (!wait_for_budget(stop)) return;
    // Found again for each chunk: a table dropped (or dropped and created
    // again) meanwhile ends its sweep.
    std::shared_ptr<storage::Table> table = catalog_.find(name);
    if (!table) return;
    const storage::TableSchema& schema = table->schema();
    if (table_id.empty()) table_id = schema.id;
    if (schema.id != table_id || schema.ttl_attribute.empty()) return;
    const std::string attribute = schema.ttl_attribute;
    const model::Decimal at = now();

    struct Seen {
      std::string key;
      bool expired;
    };
    std::vector<Seen> seen;
    storage::PageSpec spec;
    spec.start_after = after;
    spec.limit = kChunkItems;
    storage::PageRead read = table->read_page(spec, [&](std::string_view stored) {
      model::Item item = model::decode_item(stored);
      seen.push_back({key_from_item(schema, item), ttl_expired(item, attribute, at)});
      return model::stored_item_size(stored);
    });

    metrics::Counter& deleted =
        metrics::Registry::global()
            .counter("jormun_time_to_live_deleted_item_count_total",
                     "Items deleted by the TTL sweeper (CloudWatch "
                     "TimeToLiveDeletedItemCount), by table.",
                     {"table"})
            .with({name});
    bool chunk_done = true;
    for (const Seen& s : seen) {
      if (stop.stop_requested()) return;
      if (s.expired) {
        if (window_deletes_ >= config_.max_deletes_per_second) {
          // Out of budget: the next chunk starts at this item, after a wait
          // that does not hold the table.
          chunk_done = false;
          break;
        }
        ++window_deletes_;
        try {
          storage::WriteSet set;
          set.stage(*table, s.key, expiry_mutation(attribute, at));
          set.commit();
          deleted.add();
        } catch (const NotExpired&) {
          // Renewed, or deleted, since the chunk was read: it stays.
        } catch (const storage::LockTimeout&) {
          // A transaction or a stuck write holds it: the next sweep tries again.
        } catch (const storage::WriteConflict&) {
          // Another process wrote it meanwhile: the next sweep looks again.
        }
      }
      after = s.key;
    }
    if (chunk_done && !read.last) return;
  }
}

}  // namespace jormun::ops
