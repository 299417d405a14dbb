// instance.h -- one engine instance: the keyspaces registered under one
// instance id, in the tables of the configured schema.
//
// Thread-safe as engine.h requires: the connections come from the shared
// pool, keyspace handles are immutable once made, and opening or dropping
// a keyspace takes the instance's mutex.
#ifndef JORMUN_POSTGRES_INSTANCE_H
#define JORMUN_POSTGRES_INSTANCE_H

#include <jormun/plugin.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "handles.h"
#include "key_split.h"
#include "options.h"
#include "pool.h"

namespace jormun::postgres {

class PgInstance : public plugin::Instance {
 public:
  // Connects (through the shared pool), creates the schema if need be and
  // reads or makes the instance id in `data_dir`. Throws plugin::Error.
  PgInstance(const std::string& data_dir, const Options& options);
  ~PgInstance() override;

  plugin::Keyspace* keyspace_open(std::string_view name, bool create) override;
  void keyspace_drop(plugin::Keyspace* keyspace) override;
  bool get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
           std::string_view key, jormun_value_fn fn, void* ctx) override;
  void write(const jormun_write_op* ops, size_t count, bool sync) override;
  // One SERIALIZABLE transaction that reads each precondition's row FOR
  // UPDATE, compares it, and applies the batch only if all hold. Why
  // SERIALIZABLE: FOR UPDATE cannot lock a row that is absent, and
  // serializable isolation makes a concurrent insert of a key expected
  // absent fail one of the two transactions with 40001 (retried, after which
  // the read sees the row and answers a conflict). PostgreSQL, CockroachDB
  // and YugabyteDB all document both.
  void write_checked(const jormun_write_op* ops, size_t count,
                     const jormun_precondition* preconditions, size_t precondition_count,
                     bool sync) override;
  // write_checked of every part in one such transaction, when every part's
  // instance uses this one's pool (the same connection settings, so the
  // same database); else JORMUN_NOT_SUPPORTED.
  void write_joint(const jormun_joint_part* parts, size_t count, bool sync) override;
  std::unique_ptr<plugin::Iterator> iterate(plugin::Keyspace* keyspace,
                                            const plugin::Range& range) override;
  plugin::Snapshot* snapshot_acquire() override;
  void snapshot_release(plugin::Snapshot* snapshot) override;
  void checkpoint(const std::string& target_dir) override;
  void stats(jormun_stat_fn fn, void* ctx) override;
  // Every commit is durable when it returns (PostgreSQL's default,
  // synchronous_commit on), and the WAL replays commits in order: nothing
  // is left to make durable.
  void sync() override {}

 private:
  // The handle, checked to come from this instance. Throws
  // JORMUN_INVALID_ARGUMENT otherwise.
  PgKeyspace& own(plugin::Keyspace* keyspace) const;
  PgSnapshot* own(const plugin::Snapshot* snapshot) const;
  // The keyspace and split key of each of `count` operations or
  // preconditions, checked before the first statement runs, so that a bad
  // batch changes nothing.
  struct Located {
    PgKeyspace* ks;
    SplitKey key;
  };
  template <typename Op>
  std::vector<Located> locate(const Op* ops, size_t count) const;
  // Runs operation `op` of a batch located as `at`.
  static void apply(Connection& c, const jormun_write_op& op, const Located& at);
  // One instance's batch and preconditions, located.
  struct Checked {
    std::vector<Located> at;
    const jormun_write_op* ops;
    std::vector<Located> expect_at;
    const jormun_precondition* pre;
  };
  // Applies every part's operations in one SERIALIZABLE transaction if every
  // part's preconditions hold (see write_checked); else throws
  // JORMUN_CONFLICT, nothing applied.
  static void apply_checked(Pool& pool, const std::vector<Checked>& parts);
  // Copies every keyspace of instance `from_id` under `to_id`, as of one
  // moment (one REPEATABLE READ transaction), atomically. checkpoint.cc.
  void copy_keyspaces(const std::string& from_id, const std::string& to_id);

  std::shared_ptr<Pool> pool_;
  const std::string schema_;
  std::string id_;
  std::mutex keyspaces_mu_;
  std::map<std::string, std::unique_ptr<PgKeyspace>, std::less<>> keyspaces_;
};

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_INSTANCE_H
