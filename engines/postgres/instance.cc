#include "instance.h"

#include "instance_id.h"
#include "iterator.h"
#include "key_split.h"
#include "retry.h"

namespace jormun::postgres {

PgInstance::PgInstance(const std::string& data_dir, const Options& options)
    : pool_(Pool::shared(options)), schema_(options.schema) {
  pool_->ensure_schema();
  if (!options.instance_id.empty()) {
    // Named by the host (options.h): the directory holds nothing of ours,
    // and a copied directory is no concern (the host names the copy's id).
    id_ = options.instance_id;
    return;
  }
  // After the schema: an instance whose database cannot be reached leaves
  // no id file behind in a fresh directory.
  StoredId stored = load_or_create_id(data_dir);
  id_ = stored.id;
  if (stored.copied) {
    // The host copied another instance's directory here (instance_id.h):
    // this directory gets its own copy of the data. Until its id file is
    // written the directory still names the original, so a crash
    // meanwhile only leaves unreachable tables behind.
    std::string fork = random_id();
    copy_keyspaces(id_, fork);
    store_id(data_dir, fork);
    id_ = fork;
  }
}

PgInstance::~PgInstance() = default;

PgKeyspace& PgInstance::own(plugin::Keyspace* keyspace) const {
  auto* ks = dynamic_cast<PgKeyspace*>(keyspace);
  if (ks == nullptr || ks->owner != this)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "postgres: keyspace handle of another instance");
  return *ks;
}

PgSnapshot* PgInstance::own(const plugin::Snapshot* snapshot) const {
  if (snapshot == nullptr) return nullptr;
  auto* snap = dynamic_cast<PgSnapshot*>(const_cast<plugin::Snapshot*>(snapshot));
  if (snap == nullptr || snap->owner != this)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "postgres: snapshot handle of another instance");
  return snap;
}

plugin::Keyspace* PgInstance::keyspace_open(std::string_view name, bool create) {
  std::lock_guard lock(keyspaces_mu_);
  if (auto it = keyspaces_.find(name); it != keyspaces_.end()) return it->second.get();
  const std::string find = sql::find_keyspace(schema_);
  auto lookup = [&](Connection& c) -> std::optional<std::string> {
    Result r = c.run(find, {id_, name});
    if (r.rows() > 0) return std::string(r.bytes(0, 0));
    if (!create) return std::nullopt;
    // Creating: the table and its registry row in one transaction, which
    // looks again first, so that running it twice (a lost COMMIT reply)
    // finds the keyspace the first run made.
    c.exec("BEGIN");
    Result again = c.run(find, {id_, name});
    if (again.rows() > 0) {
      c.exec("COMMIT");
      return std::string(again.bytes(0, 0));
    }
    std::string made = "k" + id_ + "_" + random_id().substr(0, 8);
    c.exec(sql::KeyspaceSql(schema_, made).create());
    c.run(sql::register_keyspace(schema_), {id_, name, made});
    c.exec("COMMIT");
    return made;
  };
  // Front ends of a cluster open a new index's keyspace at once (each
  // applies the catalog change): the one whose registry row lands second
  // gets a unique violation, its table rolled back, and finds the winner's.
  std::optional<std::string> relname;
  for (int attempt = 0;; ++attempt) {
    try {
      relname = with_retry(*pool_, lookup);
      break;
    } catch (const PgError& e) {
      if (e.sqlstate() != "23505" || attempt >= 3) throw;
    }
  }
  if (!relname) return nullptr;
  auto ks = std::make_unique<PgKeyspace>(this, std::string(name), *relname, schema_);
  auto* raw = ks.get();
  keyspaces_.emplace(std::string(name), std::move(ks));
  return raw;
}

void PgInstance::keyspace_drop(plugin::Keyspace* keyspace) {
  PgKeyspace& ks = own(keyspace);
  std::lock_guard lock(keyspaces_mu_);
  with_retry(*pool_, [&](Connection& c) {
    c.exec("BEGIN");
    c.exec(ks.sql.drop());
    c.run(sql::forget_keyspace(schema_), {id_, ks.name});
    c.exec("COMMIT");
  });
  keyspaces_.erase(ks.name);
}

bool PgInstance::get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
                     std::string_view key, jormun_value_fn fn, void* ctx) {
  PgKeyspace& ks = own(keyspace);
  PgSnapshot* snap = own(snapshot);
  SplitKey k = split_key(key);
  auto found = [&](const Result& r) {
    if (r.rows() == 0) return false;
    std::string_view v = r.bytes(0, 0);
    fn(ctx, reinterpret_cast<const uint8_t*>(v.data()), v.size());
    return true;
  };
  if (snap != nullptr) {
    std::lock_guard lock(snap->mu);
    return found(snap->conn->run(ks.sql.get, {k.p, k.h}));
  }
  return found(with_retry(*pool_, [&](Connection& c) { return c.run(ks.sql.get, {k.p, k.h}); }));
}

template <typename Op>
std::vector<PgInstance::Located> PgInstance::locate(const Op* ops, size_t count) const {
  std::vector<Located> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i)
    out.push_back({&own(reinterpret_cast<plugin::Keyspace*>(ops[i].keyspace)),
                   split_key(plugin::view(ops[i].key))});
  return out;
}

void PgInstance::apply(Connection& c, const jormun_write_op& op, const Located& at) {
  const SplitKey& k = at.key;
  if (op.kind == JORMUN_OP_PUT)
    c.run(at.ks->sql.put, {k.p, k.h, k.rest, plugin::view(op.value)});
  else
    c.run(at.ks->sql.del, {k.p, k.h});
}

void PgInstance::write(const jormun_write_op* ops, size_t count, bool /*sync*/) {
  if (count == 0) return;
  const std::vector<Located> at = locate(ops, count);
  with_retry(*pool_, [&](Connection& c) {
    // One statement is atomic by itself: no BEGIN/COMMIT round trips.
    if (count == 1) return apply(c, ops[0], at[0]);
    c.exec("BEGIN");
    // In order, so a later operation on the same key wins.
    for (size_t i = 0; i < count; ++i) apply(c, ops[i], at[i]);
    c.exec("COMMIT");
  });
}

void PgInstance::write_checked(const jormun_write_op* ops, size_t count,
                               const jormun_precondition* pre, size_t pre_count,
                               bool /*sync*/) {
  apply_checked(*pool_, {{locate(ops, count), ops, locate(pre, pre_count), pre}});
}

void PgInstance::write_joint(const jormun_joint_part* parts, size_t count, bool /*sync*/) {
  std::vector<Checked> checked;
  checked.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    // Every instance is this plugin's (engine.h), so a PgInstance.
    auto* instance = static_cast<PgInstance*>(part_instance(parts[i]));
    // One transaction needs one database: instances of another pool (other
    // connection settings) may be anywhere.
    if (instance->pool_ != pool_)
      throw plugin::Error(JORMUN_NOT_SUPPORTED,
                          "postgres: joint write over instances of different connection "
                          "settings");
    checked.push_back({instance->locate(parts[i].ops, parts[i].count), parts[i].ops,
                       instance->locate(parts[i].preconditions, parts[i].precondition_count),
                       parts[i].preconditions});
  }
  apply_checked(*pool_, checked);
}

void PgInstance::apply_checked(Pool& pool, const std::vector<Checked>& parts) {
  // Which precondition failed (part, index), for the message; none when
  // all held.
  using Failed = std::optional<std::pair<size_t, size_t>>;
  const Failed failed = with_retry(pool, [&](Connection& c) -> Failed {
    c.exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
    for (size_t p = 0; p < parts.size(); ++p) {
      const Checked& part = parts[p];
      for (size_t i = 0; i < part.expect_at.size(); ++i) {
        const SplitKey& k = part.expect_at[i].key;
        Result r = c.run(part.expect_at[i].ks->sql.get_for_update, {k.p, k.h});
        const jormun_precondition& pre = part.pre[i];
        const bool held = pre.kind == JORMUN_EXPECT_ABSENT
                              ? r.rows() == 0
                              : r.rows() > 0 && r.bytes(0, 0) == plugin::view(pre.value);
        if (!held) {
          c.exec("ROLLBACK");
          return std::pair(p, i);
        }
      }
    }
    // In order, so a later operation on the same key wins.
    for (const Checked& part : parts)
      for (size_t i = 0; i < part.at.size(); ++i) apply(c, part.ops[i], part.at[i]);
    c.exec("COMMIT");
    return std::nullopt;
  });
  if (failed) {
    const auto [p, i] = *failed;
    throw plugin::Error(JORMUN_CONFLICT,
                        "postgres: precondition " + std::to_string(i) + " of " +
                            std::to_string(parts[p].expect_at.size()) +
                            (parts.size() > 1 ? " of part " + std::to_string(p) : "") +
                            " no longer holds");
  }
}

std::unique_ptr<plugin::Iterator> PgInstance::iterate(plugin::Keyspace* keyspace,
                                                      const plugin::Range& range) {
  return std::make_unique<PgIterator>(*pool_, own(range.snapshot), own(keyspace), range);
}

plugin::Snapshot* PgInstance::snapshot_acquire() {
  for (int attempt = 0;; ++attempt) {
    auto conn = pool_->acquire_dedicated();
    try {
      conn->exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
      // PostgreSQL takes the transaction's snapshot at its first query, not
      // at BEGIN: pin it now, or writes made before the host's next call
      // would leak in.
      conn->exec("SELECT 1");
      return new PgSnapshot(this, std::move(conn));
    } catch (const PgError& e) {
      conn->rollback();
      // An idle connection that died with a restart of the server: once more
      // on a fresh one.
      if (e.kind() != FailureKind::kConnection || attempt > 0) throw;
    }
  }
}

void PgInstance::snapshot_release(plugin::Snapshot* snapshot) {
  // The lease's end rolls the read-only transaction back and returns the
  // connection.
  delete own(snapshot);
}

void PgInstance::stats(jormun_stat_fn fn, void* ctx) {
  std::vector<std::string> tables;
  {
    std::lock_guard lock(keyspaces_mu_);
    for (const auto& [name, ks] : keyspaces_) tables.push_back(ks->sql.table);
  }
  auto put = [&](const char* name, uint64_t value) {
    fn(ctx, name, std::to_string(value).c_str());
  };
  put("open_keyspaces", tables.size());
  put("pool_size", pool_->options().pool_size);
  put("pool_idle_connections", pool_->idle_count());
  put("pool_connections_made", pool_->connects());
  put("pool_connections_lost", pool_->lost());
  put("retries", pool_->retries());
  if (tables.empty()) return put("approximate_size_bytes", 0);
  // pg_total_relation_size is PostgreSQL's (YugabyteDB has it too); on a
  // database without it the stat is left out rather than failing stats.
  // The quoted names are ours (schema identifier, hex relname): no quote
  // can appear in them to escape the literal.
  std::string sum;
  for (const auto& table : tables)
    sum += (sum.empty() ? "" : " + ") + std::string("pg_total_relation_size('") + table + "')";
  const std::string query = "SELECT CAST(" + sum + " AS bigint)";
  try {
    Result r = with_retry(*pool_, [&](Connection& c) { return c.run(query, {}); });
    std::string_view be = r.bytes(0, 0);  // int8, binary: 8 bytes big-endian
    if (be.size() != 8) return;
    uint64_t n = 0;
    for (unsigned char b : be) n = (n << 8) | b;
    put("approximate_size_bytes", n);
  } catch (const PgError&) {
  }
}

}  // namespace jormun::postgres
