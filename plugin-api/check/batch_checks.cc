// Atomic batches across keyspaces, and their persistence across reopen.
#include <sys/resource.h>

#include "kit.h"

namespace jormun::check {
namespace {

void expect_value(host::Instance& instance, host::Keyspace ks, const std::string& key,
                  const std::optional<std::string>& want, const std::string& when) {
  std::string value;
  bool found = instance.get(ks, key, &value);
  if (!want) {
    expect(!found, when + ": key " + printable(key) + " should be absent");
    return;
  }
  expect(found, when + ": key " + printable(key) + " is missing");
  expect_eq(value, *want, when + ": value of " + printable(key));
}

void batch_semantics(Kit& kit) {
  auto dir = kit.fresh_dir("batch");
  auto check_state = [](host::Instance& instance, const std::string& when) {
    host::Keyspace a = keyspace(instance, "a");
    host::Keyspace b = keyspace(instance, "b");
    expect_value(instance, a, "shared", "in a", when);
    expect_value(instance, b, "shared", "in b", when);
    expect_value(instance, a, "put-then-delete", std::nullopt, when);
    expect_value(instance, a, "delete-then-put", "back", when);
    expect_value(instance, b, "put-put", "second", when);
    expect_value(instance, a, "pre-existing", std::nullopt, when);
  };
  {
    auto instance = kit.open(dir);
    host::Keyspace a = keyspace(*instance, "a");
    host::Keyspace b = keyspace(*instance, "b");
    host::WriteBatch first;
    first.put(a, "pre-existing", "x");
    instance->write(first, false);
    host::WriteBatch batch;
    batch.put(a, "shared", "in a");
    batch.put(b, "shared", "in b");
    batch.put(a, "put-then-delete", "x");
    batch.del(a, "put-then-delete");
    batch.del(a, "delete-then-put");
    batch.put(a, "delete-then-put", "back");
    batch.put(b, "put-put", "first");
    batch.put(b, "put-put", "second");
    batch.del(a, "pre-existing");
    instance->write(batch, false);
    check_state(*instance, "before reopen");
  }
  auto instance = kit.open(dir);
  check_state(*instance, "after reopen");
}

// Only a clean reopen: close flushes unsynced batches too, so an engine that
// ignores JORMUN_WRITE_SYNC passes. Proving the flag needs a machine crash,
// which the kit cannot cause; process crashes are the crash check's.
void synced_batches_persist(Kit& kit) {
  auto dir = kit.fresh_dir("synced");
  {
    auto instance = kit.open(dir);
    host::Keyspace a = keyspace(*instance, "a");
    host::Keyspace b = keyspace(*instance, "b");
    for (int i = 0; i < 20; ++i) {
      host::WriteBatch batch;
      batch.put(a, "k" + std::to_string(i), std::to_string(i));
      batch.put(b, "k" + std::to_string(i), std::to_string(i));
      instance->write(batch, true);
    }
  }
  auto instance = kit.open(dir);
  for (const char* name : {"a", "b"}) {
    host::Keyspace ks = keyspace(*instance, name);
    for (int i = 0; i < 20; ++i)
      expect_value(*instance, ks, "k" + std::to_string(i), std::to_string(i),
                   std::string("keyspace ") + name + " after reopen");
  }
}

// A server holds an instance per table and closes idle ones, reopening them
// on demand: many instances of the engine open at once in one process, each
// closed and opened again, several times, keep their own data.
void many_instances_reopened(Kit& kit) {
  constexpr int kInstances = 64;
  // As the server does at start: an engine may hold dozens of files each.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  constexpr int kRounds = 3;
  std::vector<std::filesystem::path> dirs;
  for (int i = 0; i < kInstances; ++i) dirs.push_back(kit.fresh_dir("many" + std::to_string(i)));
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::unique_ptr<host::Instance>> open;
    for (int i = 0; i < kInstances; ++i) {
      open.push_back(kit.open(dirs[i]));
      host::Keyspace ks = keyspace(*open.back(), "items");
      host::WriteBatch batch;
      batch.put(ks, "round" + std::to_string(round), "instance " + std::to_string(i));
      open.back()->write(batch, false);
    }
    // All open at once: each sees its own writes of every round so far.
    for (int i = 0; i < kInstances; ++i) {
      host::Keyspace ks = keyspace(*open[i], "items");
      for (int r = 0; r <= round; ++r)
        expect_value(*open[i], ks, "round" + std::to_string(r), "instance " + std::to_string(i),
                     "instance " + std::to_string(i) + " of " + std::to_string(kInstances) +
                         ", round " + std::to_string(round));
    }
    // Closed in another order than opened, as idle instances are.
    for (int i = kInstances - 1; i >= 0; i -= 2) open[i].reset();
    open.clear();
  }
}

}  // namespace

void add_batch_checks(Checks& checks) {
  checks.push_back(
      {"batch: atomic across keyspaces, later op on a key wins, "
       "visible after reopen",
       batch_semantics});
  checks.push_back(
      {"batch: synced batches present after a clean reopen (no machine crash is "
       "simulated)",
       synced_batches_persist});
  checks.push_back(
      {"instances: 64 open at once in one process, closed and reopened three "
       "times, each keeps its own data (one instance per table, idle ones "
       "closed)",
       many_instances_reopened});
}

}  // namespace jormun::check
