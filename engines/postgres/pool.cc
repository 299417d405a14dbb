#include "pool.h"

#include <chrono>
#include <map>

#include "pg_status.h"
#include "sql.h"

namespace jormun::postgres {
namespace {

// How long a caller waits for a connection of a full pool before giving up
// with JORMUN_BUSY.
constexpr auto kAcquireWait = std::chrono::seconds(30);

}  // namespace

std::shared_ptr<Pool> Pool::shared(const Options& options) {
  // Pools live as long as an instance uses them; the map holds them weakly,
  // so an instance closed late (at exit, after the map is gone) never
  // touches it. Not leaked: a host that unloads the plugin (dlclose) would
  // lose the only pointer to them, which LeakSanitizer reports.
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<Pool>> pools;
  std::lock_guard lock(mu);
  const std::string key = options.pool_key();
  auto& slot = pools[key];
  if (auto pool = slot.lock()) return pool;
  auto pool = std::make_shared<Pool>(options);
  slot = pool;
  return pool;
}

std::unique_ptr<Connection> Pool::connect() {
  auto conn = Connection::connect(options_);
  connects_.fetch_add(1);
  return conn;
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mu_);
  if (!freed_.wait_for(lock, kAcquireWait, [&] {
        return !idle_.empty() || in_use_ < options_.pool_size;
      }))
    throw PgError(JORMUN_BUSY, FailureKind::kFinal, "",
                  "postgres: no connection came free in time (pool_size " +
                      std::to_string(options_.pool_size) + ")");
  ++in_use_;
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn), true);
  }
  lock.unlock();
  try {
    return Lease(this, connect(), true);
  } catch (...) {
    lock.lock();
    --in_use_;
    freed_.notify_one();
    throw;
  }
}

Pool::Lease Pool::acquire_dedicated() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn), false);
    }
  }
  return Lease(this, connect(), false);
}

void Pool::give_back(std::unique_ptr<Connection> conn, bool counted) noexcept {
  // Leases end in destructors, during unwinding too: nothing here may throw.
  if (conn) conn->rollback();
  std::vector<std::unique_ptr<Connection>> dropped;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    if (counted) --in_use_;
    if (!conn) {
    } else if (conn->broken()) {
      lost_.fetch_add(1);
      dropped = std::move(idle_);
      idle_.clear();
      dropped.push_back(std::move(conn));
    } else if (idle_.size() < options_.pool_size) {
      idle_.push_back(std::move(conn));
    } else {
      dropped.push_back(std::move(conn));
    }
  }
  freed_.notify_one();
}

void Pool::ensure_schema() {
  std::lock_guard guard(schema_mu_);
  if (schema_ready_) return;
  // Two processes (or front ends) may bootstrap the same schema at once;
  // CREATE ... IF NOT EXISTS can then still fail on PostgreSQL with a
  // unique violation in its catalog. The loser tries again and finds it.
  for (int attempt = 0;; ++attempt) {
    auto conn = acquire();
    try {
      for (const auto& statement : sql::bootstrap(options_.schema)) conn->exec(statement);
      schema_ready_ = true;
      return;
    } catch (const PgError& e) {
      const bool race = e.sqlstate() == "23505" || e.sqlstate() == "42P07" ||
                        e.sqlstate() == "42P06" || e.kind() == FailureKind::kRetryTxn;
      if (!race || attempt >= 5) throw;
    }
  }
}

size_t Pool::idle_count() {
  std::lock_guard lock(mu_);
  return idle_.size();
}

}  // namespace jormun::postgres
