// retry.h -- running a unit of work again when PostgreSQL says it may.
//
// `with_retry(pool, body)` runs body(Connection&) on a pooled connection.
// When it fails with a serialization failure or a deadlock (SQLSTATE 40001,
// 40P01: the norm under contention on CockroachDB and YugabyteDB, which run
// SERIALIZABLE), it runs again after a jittered, doubling backoff; when the
// connection was lost (the server restarted, the network dropped), it runs
// again on a new one, once. Anything else, and the last failure, is thrown.
//
// A body must therefore be a whole transaction (or one autocommit
// statement) that may run more than once. For a batch whose COMMIT was sent
// when the connection died the outcome is unknown, and running it again is
// what makes it certain: a batch is puts and deletes, idempotent, and the
// host holds the locks of its keys until `write` returns.
#ifndef JORMUN_POSTGRES_RETRY_H
#define JORMUN_POSTGRES_RETRY_H

#include <chrono>
#include <random>
#include <thread>

#include "pg_status.h"
#include "pool.h"

namespace jormun::postgres {

inline constexpr int kMaxTxnAttempts = 12;
inline constexpr int kMaxConnectionAttempts = 2;

// Sleeps before attempt `attempt` (1-based) of a transaction: 2 ms doubling
// to 500 ms, times a random factor in [0.5, 1.5) so that the transactions
// that collided do not collide again.
void backoff(int attempt);

template <typename Body>
auto with_retry(Pool& pool, Body&& body) {
  int txn_attempts = 0, connection_attempts = 0;
  for (;;) {
    auto conn = pool.acquire();
    try {
      return body(*conn);
    } catch (const PgError& e) {
      conn->rollback();
      if (e.kind() == FailureKind::kRetryTxn && ++txn_attempts < kMaxTxnAttempts) {
        pool.count_retry();
        backoff(txn_attempts);
        continue;
      }
      if (e.kind() == FailureKind::kConnection &&
          ++connection_attempts < kMaxConnectionAttempts) {
        pool.count_retry();
        continue;  // the lease drops the dead connection, and the idle ones
      }
      throw;
    }
  }
}

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_RETRY_H
