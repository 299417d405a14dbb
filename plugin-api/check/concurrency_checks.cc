// One instance used by several threads at once: writers with their own keys
// (spread over every shard), reading back their own writes, and a reader
// scanning everything; and checkpoints taken while writers run.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "kit.h"

namespace jormun::check {
namespace {

constexpr int kWriters = 4;
constexpr int kRounds = 200;
constexpr int kKeysPerWriter = 50;

using Model = std::map<std::string, std::string>;

// Collects the first failure of any thread, to be rethrown after join.
class FirstError {
 public:
  template <typename Body>
  void run(Body&& body) {
    try {
      body();
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      if (message_.empty()) message_ = e.what();
    }
  }
  void rethrow() const {
    if (!message_.empty()) throw CheckFailed(message_);
  }

 private:
  std::mutex mutex_;
  std::string message_;
};

// Writer `writer`'s key number n: the writer's keys spread over all eight
// eighths of the hash space, so an engine that shards on the prefix sees
// every writer in every shard and batches that span shards.
std::string writer_key(int writer, int n) {
  return sharded_key(n % 8, "w" + std::to_string(writer) + "-" + std::to_string(100 + n));
}

bool is_writers(const std::string& key, int writer) {
  return std::string_view(key).substr(8).starts_with("w" + std::to_string(writer) + "-");
}

// Each batch puts two of the writer's keys (mostly in different shards) in
// both keyspaces, and every third one deletes a third key.
void write_own_keys(host::Instance& instance, host::Keyspace a, host::Keyspace b,
                    int writer, Model& model) {
  std::mt19937_64 rng(writer);
  auto random_key = [&] {
    return writer_key(writer, static_cast<int>(rng() % kKeysPerWriter));
  };
  for (int i = 0; i < kRounds; ++i) {
    host::WriteBatch batch;
    std::string value = std::to_string(i);
    std::string key = random_key();
    for (const std::string& k : {key, random_key()}) {
      batch.put(a, k, value);
      batch.put(b, k, value);
      model[k] = value;
    }
    if (i % 3 == 0) {
      std::string gone = random_key();
      batch.del(a, gone);
      batch.del(b, gone);
      model.erase(gone);
    }
    instance.write(batch, i % 50 == 0);
    std::string read;
    bool found = instance.get(b, key, &read);
    auto it = model.find(key);
    expect(found == (it != model.end()) && (!found || read == it->second),
           "thread " + std::to_string(writer) + " did not read its own write of " +
               printable(key));
    if (i % 20 == 0) {
      // Only this thread writes these keys, so even an iterator that moves
      // on to newer data sees exactly them.
      Entries own;
      for (auto& entry : collect(instance, a))
        if (is_writers(entry.first, writer)) own.push_back(std::move(entry));
      expect(own == Entries(model.begin(), model.end()),
             "thread " + std::to_string(writer) +
                 " iterated a state other than its own writes");
    }
  }
}

void scan_ordered(host::Instance& instance, host::Keyspace a,
                  const std::atomic<int>& running) {
  while (running.load() > 0) {
    for (bool reverse : {false, true}) {
      Entries all = collect(instance, a, whole(reverse));
      for (size_t i = 1; i < all.size(); ++i)
        expect(
            reverse ? all[i].first < all[i - 1].first : all[i].first > all[i - 1].first,
            "a concurrent scan returned keys out of order");
    }
  }
}

void concurrent_use(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("concurrency"));
  std::vector<host::Keyspace> opened(kWriters + 1);
  {
    FirstError error;
    std::vector<std::thread> threads;
    for (int t = 0; t <= kWriters; ++t)
      threads.emplace_back(
          [&, t] { error.run([&] { opened[t] = keyspace(*instance, "shared"); }); });
    for (auto& th : threads) th.join();
    error.rethrow();
    for (const auto& ks : opened)
      expect(ks.handle == opened[0].handle,
             "concurrent keyspace_open of one name gave different handles");
  }
  host::Keyspace a = opened[0];
  host::Keyspace b = keyspace(*instance, "shared-b");
  std::vector<Model> models(kWriters);
  std::atomic<int> running{kWriters};
  FirstError error;
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t)
    threads.emplace_back([&, t] {
      error.run([&] { write_own_keys(*instance, a, b, t, models[t]); });
      --running;
    });
  threads.emplace_back([&] { error.run([&] { scan_ordered(*instance, a, running); }); });
  for (auto& th : threads) th.join();
  error.rethrow();

  Model all;
  for (const auto& m : models) all.insert(m.begin(), m.end());
  Entries want(all.begin(), all.end());
  expect(collect(*instance, a) == want, "final state of keyspace shared is not exact");
  expect(collect(*instance, b) == want, "final state of keyspace shared-b is not exact");
}

// Writer w's batch n sets its key in every eighth of the hash space, in both
// keyspaces, to n: a checkpoint holds whole batches when all sixteen agree.
void write_slot_batches(host::Instance& instance, host::Keyspace a, host::Keyspace b,
                        int writer, std::atomic<uint64_t>& acked,
                        const std::atomic<bool>& stop) {
  for (uint64_t n = 1; !stop.load(); ++n) {
    host::WriteBatch batch;
    for (int slot = 0; slot < 8; ++slot) {
      std::string key = sharded_key(slot, "w" + std::to_string(writer));
      batch.put(a, key, std::to_string(n));
      batch.put(b, key, std::to_string(n));
    }
    instance.write(batch, n % 8 == 0);
    acked = n;
  }
}

// The copy holds, for every writer, one whole batch no older than the one
// it had acknowledged before the checkpoint began.
void expect_whole_batches(Kit& kit, const std::filesystem::path& copy_dir,
                          const std::vector<uint64_t>& acked_before) {
  auto copy = kit.open(copy_dir);
  auto a = copy->keyspace("a", false), b = copy->keyspace("b", false);
  expect(a && b, "the checkpoint lacks a keyspace");
  for (int w = 0; w < kWriters; ++w) {
    std::string first;
    for (host::Keyspace ks : {*a, *b}) {
      for (int slot = 0; slot < 8; ++slot) {
        std::string value;
        bool found = copy->get(ks, sharded_key(slot, "w" + std::to_string(w)), &value);
        expect(found, "writer " + std::to_string(w) + "'s key in slot " +
                          std::to_string(slot) + " is missing from the checkpoint");
        if (first.empty()) first = value;
        expect(value == first, "the checkpoint holds a torn batch of writer " +
                                   std::to_string(w) + ": " + first + " and " + value);
      }
    }
    expect(std::stoull(first) >= acked_before[w],
           "the checkpoint lacks batch " + std::to_string(acked_before[w]) +
               " of writer " + std::to_string(w) + ", acknowledged before it began");
  }
}

// Runs `body(stop)` while kWriters threads write slot batches, writer w
// counting its acknowledged ones in acked[w]; then stops and joins them and
// rethrows the first failure of any. A writer only ends early on failure,
// and then sets `stop` for the body and the other writers.
template <typename Body>
void with_slot_writers(host::Instance& instance,
                       std::vector<std::atomic<uint64_t>>& acked, Body&& body) {
  host::Keyspace a = keyspace(instance, "a");
  host::Keyspace b = keyspace(instance, "b");
  std::atomic<bool> stop{false};
  FirstError error;
  std::vector<std::thread> threads;
  auto finish = [&] {
    stop = true;
    for (auto& t : threads) t.join();
  };
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      error.run([&] { write_slot_batches(instance, a, b, w, acked[w], stop); });
      stop = true;
    });
  try {
    body(stop);
  } catch (...) {
    finish();
    throw;
  }
  finish();
  error.rethrow();
}

void checkpoint_under_writes(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("checkpoint-writes"));
  std::vector<std::atomic<uint64_t>> acked(kWriters);
  std::vector<std::pair<std::filesystem::path, std::vector<uint64_t>>> copies;
  with_slot_writers(*instance, acked, [&](const std::atomic<bool>& stop) {
    for (int round = 0; round < 3; ++round) {
      // Every writer is under way before each checkpoint.
      std::vector<uint64_t> before(kWriters);
      for (int w = 0; w < kWriters; ++w) {
        uint64_t start = acked[w];
        while (acked[w] == start && !stop) std::this_thread::yield();
        before[w] = acked[w];
      }
      auto target = kit.unused_path("checkpoint-writes-copy");
      instance->checkpoint(target.string());
      copies.emplace_back(target, before);
    }
  });
  for (const auto& [dir, before] : copies) expect_whole_batches(kit, dir, before);
}

// Syncs (JORMUN_CAP_SYNC) among writers spanning several shards: each
// succeeds, and none blocks or tears a write (the reopened instance holds
// every writer's last acknowledged batch whole). That a sync makes earlier
// writes survive a machine crash, no process-level check can show.
void sync_under_writes(Kit& kit) {
  auto dir = kit.fresh_dir("sync-writes");
  std::vector<uint64_t> last(kWriters);
  {
    auto instance = kit.open(dir);
    std::vector<std::atomic<uint64_t>> acked(kWriters);
    with_slot_writers(*instance, acked, [&](const std::atomic<bool>& stop) {
      for (int round = 0; round < 20 && !stop; ++round) {
        expect(instance->sync(), "sync refused despite JORMUN_CAP_SYNC");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
    for (int w = 0; w < kWriters; ++w) last[w] = acked[w];
    expect(instance->sync(), "sync refused despite JORMUN_CAP_SYNC");
  }
  expect_whole_batches(kit, dir, last);
}

// A reopened instance: scanners and snapshot readers run while its first
// writes land, each batch setting every key to the next generation. An
// engine may reopen its files differently at the first write (RocksDB opens
// a database read-only until then); what was begun before reads
// on as the ABI says (at a snapshot: the state it pinned; without: every
// key, each with a value it had), the key and value last given staying
// readable until the next call.
constexpr int kReopenedKeys = 100;
constexpr int kGenerations = 20;

void scan_across_writes(host::Instance& instance, host::Keyspace ks, bool reverse,
                        bool pinned) {
  std::optional<host::Snapshot> snapshot =
      pinned ? instance.snapshot() : std::optional<host::Snapshot>();
  host::Iterator it =
      instance.iterate(ks, whole(reverse, snapshot ? &*snapshot : nullptr));
  std::string_view key, value;
  std::string first;
  int n = 0;
  while (it.next(&key, &value)) {
    if (n == 0) first = std::string(value);
    expect(pinned ? value == first : value.starts_with("g"),
           "a scan begun before a write read part of it at " + printable(key));
    if (++n % 25 == 0) {
      const std::string copy(key);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      expect(key == copy, "the key last given changed before the next call");
    }
  }
  expect_eq(n, kReopenedKeys, "keys in one scan of the reopened instance");
}

void reads_across_first_write(Kit& kit) {
  auto dir = kit.fresh_dir("first-write");
  auto key = [](int i) { return sharded_key(i % 8, "k" + std::to_string(1000 + i)); };
  {
    auto instance = kit.open(dir);
    host::Keyspace ks = keyspace(*instance, "reopened");
    host::WriteBatch batch;
    for (int i = 0; i < kReopenedKeys; ++i) batch.put(ks, key(i), "g0");
    instance->write(batch, true);
  }
  // A session that only reads first: an engine may open data written in its
  // last session otherwise than data only read (RocksDB opens the latter
  // read-only).
  kit.open(dir);
  auto instance = kit.open(dir);
  host::Keyspace ks = keyspace(*instance, "reopened");
  std::atomic<int> started{0};
  std::atomic<bool> written{false};
  FirstError error;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      ++started;
      error.run([&] {
        do {
          if (t == 3) {
            auto snapshot = instance->snapshot();
            std::this_thread::sleep_for(std::chrono::microseconds(500));
            Entries seen = collect(*instance, ks, whole(false, &*snapshot));
            expect_eq(seen.size(), size_t{kReopenedKeys}, "keys read at a snapshot");
            for (const auto& [k, v] : seen)
              expect(v == seen[0].second, "a snapshot read part of a later write");
          } else {
            scan_across_writes(*instance, ks, /*reverse=*/t == 1, /*pinned=*/t < 2);
          }
        } while (!written.load());
      });
    });
  error.run([&] {
    while (started.load() < 4) std::this_thread::yield();
    for (int g = 1; g <= kGenerations; ++g) {
      host::WriteBatch batch;
      for (int i = 0; i < kReopenedKeys; ++i)
        batch.put(ks, key(i), "g" + std::to_string(g));
      instance->write(batch, false);
    }
  });
  written = true;
  for (auto& th : threads) th.join();
  error.rethrow();
  for (const auto& [k, v] : collect(*instance, ks))
    expect_eq(v, "g" + std::to_string(kGenerations), "value after the last write");
}

}  // namespace

void add_concurrency_checks(Checks& checks) {
  checks.push_back(
      {"concurrency: 4 writers, their reads and scans, 1 scanner, "
       "exact final state",
       concurrent_use});
  checks.push_back(
      {"concurrency: checkpoints taken while 4 writers run hold whole "
       "batches, every acknowledged one",
       checkpoint_under_writes, JORMUN_CAP_CHECKPOINT});
  checks.push_back({"concurrency: syncs while 4 writers run succeed and tear nothing",
                    sync_under_writes, JORMUN_CAP_SYNC});
  checks.push_back(
      {"concurrency: scans and snapshots of a reopened instance begun "
       "before its first writes read the state they began with",
       reads_across_first_write, JORMUN_CAP_SNAPSHOTS});
}

}  // namespace jormun::check
