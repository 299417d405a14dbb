// One instance used by several threads at once: writers with their own key
// ranges, reading back their own writes, and a reader scanning everything.
#include <atomic>
#include <map>
#include <mutex>
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

std::string writer_key(int writer, int n) {
  return "t" + std::to_string(writer) + "-" + std::to_string(100 + n);
}

void write_own_range(host::Instance& instance, host::Keyspace a, host::Keyspace b,
                     int writer, Model& model) {
  std::mt19937_64 rng(writer);
  host::RangeSpec own{host::Bound{"t" + std::to_string(writer) + "-", true},
                      host::Bound{"t" + std::to_string(writer) + ".", false}};
  for (int i = 0; i < kRounds; ++i) {
    host::WriteBatch batch;
    std::string key = writer_key(writer, static_cast<int>(rng() % kKeysPerWriter));
    std::string value = std::to_string(i);
    batch.put(a, key, value);
    batch.put(b, key, value);
    model[key] = value;
    if (i % 3 == 0) {
      std::string gone = writer_key(writer, static_cast<int>(rng() % kKeysPerWriter));
      batch.del(a, gone);
      batch.del(b, gone);
      model.erase(gone);
    }
    instance.write(batch, i % 50 == 0);
    std::string read;
    bool found = instance.get(b, key, &read);
    auto it = model.find(key);
    expect(found == (it != model.end()) && (!found || read == it->second),
           "thread " + std::to_string(writer) + " did not read its own write of " + key);
    if (i % 20 == 0) {
      Entries got = collect(instance, a, own);
      expect(got == Entries(model.begin(), model.end()),
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
      error.run([&] { write_own_range(*instance, a, b, t, models[t]); });
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

}  // namespace

void add_concurrency_checks(Checks& checks) {
  checks.push_back(
      {"concurrency: 4 writers, their reads and scans, 1 scanner, "
       "exact final state",
       concurrent_use});
}

}  // namespace jormun::check
