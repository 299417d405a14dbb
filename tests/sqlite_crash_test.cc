// Crash tests of the SQLite engine plugin's batches that span partition
// files: a child process writes them until it is killed, and the instance
// reopened must hold every batch whole or not at all, every acknowledged
// one, and in every partition the same order of batches.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <jormun/engine.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_test_util.h"

namespace {

using namespace jormun::sqlite_test;

constexpr uint64_t kPartitions = 8;
constexpr int kPartitionBits = 3;

// Batch `id` puts "latest" = id into every partition plus a key of its own
// ("batch" and the id in ten digits) per partition.
void write_batch(Instance& db, Keyspace ks, uint32_t id) {
  static const std::string filler(2000, 'f');
  char name[16];
  std::snprintf(name, sizeof name, "%010u", id);
  WriteBatch batch;
  for (uint64_t p = 0; p < kPartitions; ++p) {
    uint64_t start = partition_start(p, kPartitionBits);
    batch.put(ks, key(start, "latest"), name);
    batch.put(ks, key(start, std::string("batch") + name), filler);
  }
  db.write(batch, false);
}

// The child: `threads` threads write batches until it is killed, thread t
// numbering its batches t * 100,000,000 + 0, 1, ...; each finished batch's
// id is reported on `ack` (one write of 4 bytes, atomic on a pipe).
[[noreturn]] void write_until_killed(const std::string& dir, int ack, uint32_t threads) {
  try {
    auto db = open(dir);
    Keyspace ks = *db->keyspace("t", true);
    std::vector<std::thread> writers;
    for (uint32_t t = 0; t < threads; ++t)
      writers.emplace_back([&, t] {
        try {
          for (uint32_t id = t * 100000000u;; ++id) {
            write_batch(*db, ks, id);
            if (::write(ack, &id, sizeof id) != sizeof id) ::_exit(3);
          }
        } catch (...) {
          ::_exit(2);
        }
      });
    for (auto& w : writers) w.join();
  } catch (...) {
    ::_exit(2);
  }
  ::_exit(4);
}

// Forks a writer of `threads` threads into the instance in `dir`, kills it
// `pause_us` after its `wait_for`th acknowledged batch, and returns the ids
// of every batch it acknowledged (those still in the pipe after the kill
// too).
std::set<uint32_t> kill_writer(const std::string& dir, uint32_t threads, uint32_t wait_for,
                               useconds_t pause_us) {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  EXPECT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    write_until_killed(dir, pipe_fds[1], threads);
  }
  ::close(pipe_fds[1]);
  std::set<uint32_t> acked;
  uint32_t id = 0;
  while (acked.size() < wait_for && ::read(pipe_fds[0], &id, sizeof id) == sizeof id)
    acked.insert(id);
  ::usleep(pause_us);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  while (::read(pipe_fds[0], &id, sizeof id) == sizeof id) acked.insert(id);
  ::close(pipe_fds[0]);
  EXPECT_GE(acked.size(), wait_for) << "child stopped early, status " << status;
  EXPECT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  return acked;
}

// What one partition holds of the batches: the last one's id, and every
// batch's own key.
struct PartitionState {
  std::string latest;
  std::vector<std::string> batches;
};

PartitionState partition_state(Instance& db, Keyspace ks, uint64_t p) {
  uint64_t start = partition_start(p, kPartitionBits);
  PartitionState s;
  EXPECT_TRUE(db.get(ks, key(start, "latest"), &s.latest)) << "partition " << p;
  RangeSpec range;
  range.lower = Bound{key(start, "batch"), true};
  range.upper = Bound{key(start, "batci"), false};
  for (const auto& k : scan(db, ks, range)) s.batches.push_back(k.substr(8 + 5));
  return s;
}

// Kills writers of `threads` threads at varying points, eight rounds at
// least and on until a kill has torn a batch (on a loaded machine every kill
// of eight can fall between batches), and checks each reopened instance:
// every partition holds the same batches and the same last one, and every
// acknowledged batch is there.
void check_kills(uint32_t threads) {
  int repaired = 0;  // rounds whose kill tore a batch that open then repaired
  for (int round = 0; round < 8 || (repaired == 0 && round < 64); ++round) {
    const int step = round % 8;
    TempDir dir;
    open(dir.path(), {{"partitions", std::to_string(kPartitions)}});  // create it
    // A different number of finished batches and a different pause each
    // round: the child keeps writing meanwhile, so the kill lands at varying
    // points of a batch (before, during or after its intent).
    std::set<uint32_t> acked =
        kill_writer(dir.path(), threads, 2 + 4 * step, static_cast<useconds_t>(4000 * step));

    auto db = open(dir.path());
    Keyspace ks = *db->keyspace("t", true);
    const PartitionState first = partition_state(*db, ks, 0);
    for (uint64_t p = 1; p < kPartitions; ++p) {
      const PartitionState s = partition_state(*db, ks, p);
      EXPECT_EQ(s.latest, first.latest) << "partition " << p << ", round " << round;
      EXPECT_EQ(s.batches, first.batches) << "partition " << p << ", round " << round;
    }
    std::set<uint32_t> present;
    for (const auto& b : first.batches) present.insert(std::stoul(b));
    for (uint32_t id : acked)
      EXPECT_TRUE(present.count(id)) << "acknowledged batch " << id << " lost, round " << round;
    EXPECT_TRUE(present.count(std::stoul(first.latest))) << "round " << round;
    std::cout << "round " << round << ": " << acked.size() << " batches acknowledged, "
              << present.size() << " present, intents replayed at open: "
              << stat(*db, "intents_replayed_at_open") << ", partial batches repaired: "
              << stat(*db, "partial_batches_repaired_at_open") << "\n";
    repaired += stat(*db, "partial_batches_repaired_at_open") != "0";
  }
  // Otherwise every kill fell between batches and the rounds proved nothing
  // about the intent log.
  EXPECT_GT(repaired, 0) << "no kill landed inside a batch";
}

TEST(SqliteEngine, KilledWriterLeavesEveryBatchWholeOrAbsent) { check_kills(1); }

// Batches of four threads at once share intent log commits and apply to
// each partition in one transaction per group: after a kill, replay must
// put them back in the order the log gives, the one every partition took
// them in, so every partition names the same batch last.
TEST(SqliteEngine, KilledConcurrentWritersLeaveOneOrderInEveryPartition) { check_kills(4); }

}  // namespace
