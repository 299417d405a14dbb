// Crash atomicity: a writer process is SIGKILLed at a random moment, then
// every batch must be all-or-nothing and every acknowledged batch present.
// The writer is this program re-executed (not a bare fork), so it starts
// without the parent's engine threads and locks.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "crash_layout.h"
#include "kit.h"

namespace jormun::check {
namespace {

constexpr int kRounds = 5;

// Starts the writer on `dir` with its stdout on a pipe; returns its pid and
// the pipe's read end.
std::pair<pid_t, int> start_writer(const Kit& kit, const std::filesystem::path& dir) {
  std::vector<std::string> args = {"jormun-engine-check", kCrashWriterFlag,
                                   kit.plugin_path(), dir.string()};
  for (const auto& [key, value] : kit.options()) {
    args.push_back("--option");
    args.push_back(key + "=" + value);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int fds[2];
  expect(::pipe(fds) == 0, "pipe failed");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execv("/proc/self/exe", argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    throw CheckFailed("fork failed");
  }
  return {pid, fds[0]};
}

// Reads what is available on `fd` (waiting up to `timeout_ms`) into `text`;
// false at end of file.
bool read_some(int fd, std::string& text, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return true;
  char buf[4096];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n <= 0) return false;
  text.append(buf, static_cast<size_t>(n));
  return true;
}

// The last complete number in the writer's output, 0 when none.
uint64_t last_reported(const std::string& text) {
  size_t end = text.rfind('\n');
  if (end == std::string::npos) return 0;
  size_t begin = text.rfind('\n', end - 1);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return std::stoull(text.substr(begin, end - begin));
}

// Runs the writer until it has acknowledged a batch, kills it after
// `delay`, and returns the last batch it acknowledged.
uint64_t write_and_kill(const Kit& kit, const std::filesystem::path& dir,
                        std::chrono::milliseconds delay) {
  auto [pid, fd] = start_writer(kit, dir);
  std::string output;
  bool open = true;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (open && output.find('\n') == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    open = read_some(fd, output, 100);
  if (open) {
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
  }
  while (read_some(fd, output, 1000)) {
  }
  ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
         "the writer process ended by itself (status " + std::to_string(status) +
             ") instead of being killed; see its message above");
  return last_reported(output);
}

// Checks the state after the kill, given the last acknowledged batch.
void verify(const Kit& kit, const std::filesystem::path& dir, uint64_t acked) {
  auto instance = kit.open(dir);
  std::map<uint64_t, int> keys_per_batch;
  for (const char* name : kCrashKeyspaces) {
    auto ks = instance->keyspace(name, false);
    expect(ks.has_value(), std::string("keyspace ") + name + " lost in the crash");
    for (const auto& [key, value] : collect(*instance, *ks)) {
      auto batch = batch_of_key(key);
      expect(batch.has_value(), "unexpected key " + printable(key));
      int slot = static_cast<unsigned char>(key[0]) >> 5;
      expect(value == crash_value(slot, *batch),
             "torn value under key " + printable(key));
      ++keys_per_batch[*batch];
    }
  }
  uint64_t newest = keys_per_batch.empty() ? 0 : keys_per_batch.rbegin()->first;
  expect(newest == acked || newest == acked + 1,
         "the writer acknowledged batch " + std::to_string(acked) +
             " but the newest batch after reopen is " + std::to_string(newest));
  for (const auto& [batch, count] : keys_per_batch) {
    expect(count == 2 * kSlots, "batch " + std::to_string(batch) +
                                    " is torn: " + std::to_string(count) + " of " +
                                    std::to_string(2 * kSlots) + " keys present");
    expect(batch + kLiveBatches > newest,
           "batch " + std::to_string(batch) + " survived the batch that deleted it");
  }
  uint64_t oldest = newest > kLiveBatches ? newest - kLiveBatches + 1 : 1;
  expect(newest == 0 || keys_per_batch.size() == newest - oldest + 1,
         "batches missing below the newest one, " + std::to_string(newest));
}

void crash_atomicity(Kit& kit) {
  std::random_device seed_source;
  uint64_t seed = seed_source();
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> delay_ms(5, 250);
  for (int round = 0; round < kRounds; ++round) {
    std::filesystem::path dir = kit.fresh_dir("crash");
    try {
      uint64_t acked = write_and_kill(kit, dir, std::chrono::milliseconds(delay_ms(rng)));
      verify(kit, dir, acked);
    } catch (const std::exception& e) {
      throw CheckFailed("round " + std::to_string(round + 1) + " (seed " +
                        std::to_string(seed) + ", dir " + dir.string() +
                        "): " + e.what());
    }
  }
}

}  // namespace

void add_crash_checks(Checks& checks) {
  checks.push_back(
      {"crash atomicity: SIGKILL during batches, all-or-nothing "
       "after reopen",
       crash_atomicity});
}

}  // namespace jormun::check
