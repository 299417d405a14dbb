// pool.h -- the connections of one set of connection settings.
//
// One pool per distinct Options::pool_key() in the process, shared by every
// instance (DynamoDB table) opened with those settings: a server with
// hundreds of tables keeps pool_size connections, not hundreds of pools.
//
// Connections are made on demand and kept when returned, up to pool_size in
// use at once; a caller that finds all of them in use waits. A connection
// that broke is not returned but dropped, and with it every idle one (a
// lost connection usually means the server restarted or the network went,
// which killed them all): the next caller connects afresh, so the engine
// recovers by itself once the database is back. While it is down, every
// call fails at once with JORMUN_IO_ERROR (connection refused), which the
// host answers with a 500.
//
// Thread-safe.
#ifndef JORMUN_POSTGRES_POOL_H
#define JORMUN_POSTGRES_POOL_H

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "connection.h"
#include "options.h"

namespace jormun::postgres {

class Pool {
 public:
  // The pool for `options`' connection settings, made on first use.
  static std::shared_ptr<Pool> shared(const Options& options);

  explicit Pool(Options options) : options_(std::move(options)) {}
  const Options& options() const { return options_; }

  // A connection lent for one unit of work; returns to the pool when the
  // lease ends (dropped instead when broken or left inside a transaction).
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn, bool counted)
        : pool_(pool), conn_(std::move(conn)), counted_(counted) {}
    Lease(Lease&& other) noexcept
        : pool_(other.pool_), conn_(std::move(other.conn_)), counted_(other.counted_) {
      other.pool_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->give_back(std::move(conn_), counted_);
    }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
    bool counted_;
  };

  // A connection counted against pool_size; waits while all are in use.
  // Throws PgError: kConnection when the database cannot be reached,
  // JORMUN_BUSY when none came free in time.
  Lease acquire();
  // A connection outside the count, for a snapshot that holds one for its
  // whole life: counting those would let the host's snapshots starve its
  // own reads (or deadlock them). Takes an idle one when there is one.
  Lease acquire_dedicated();

  // Creates the schema and the keyspace registry, once per pool (and again
  // after a failure). Throws PgError.
  void ensure_schema();

  // For stats.
  uint64_t connects() const { return connects_.load(); }
  uint64_t lost() const { return lost_.load(); }
  uint64_t retries() const { return retries_.load(); }
  void count_retry() { retries_.fetch_add(1); }
  size_t idle_count();

 private:
  std::unique_ptr<Connection> connect();
  void give_back(std::unique_ptr<Connection> conn, bool counted) noexcept;

  const Options options_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  uint32_t in_use_ = 0;  // counted leases alive
  bool schema_ready_ = false;
  std::mutex schema_mu_;
  std::atomic<uint64_t> connects_{0}, lost_{0}, retries_{0};
};

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_POOL_H
