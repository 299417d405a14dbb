#include "startup_probe.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "setup_calls.h"

extern char** environ;

namespace jormun::bench {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto kGiveUp = std::chrono::seconds(30);
// Between connection attempts: fine enough for a 50 ms target.
constexpr auto kPollPause = std::chrono::microseconds(200);

// A port nothing listens on right now (the kernel's choice for port 0).
uint16_t free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

uint64_t resident_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmRSS:")) return std::stoull(line.substr(6));
  return 0;
}

void stop(pid_t pid) {
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
}
}  // namespace

std::optional<StartupMeasure> measure_startup(std::vector<std::string> command,
                                              const std::string& log_path,
                                              std::string& problem) {
  const uint16_t port = free_port();
  for (auto& arg : command)
    for (size_t at; (at = arg.find("{port}")) != std::string::npos;)
      arg.replace(at, 6, std::to_string(port));
  std::vector<char*> argv;
  for (auto& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const char* log = log_path.empty() ? "/dev/null" : log_path.c_str();
  posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);

  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
  const std::string list_tables = "{}";
  const auto started = Clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    problem = "cannot start " + command[0] + ": " + std::strerror(spawned);
    return std::nullopt;
  }
  while (Clock::now() - started < kGiveUp) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) {
      problem = command[0] + " exited before answering";
      return std::nullopt;
    }
    try {
      if (call(server, Operation::ListTables, list_tables).status == 200) {
        StartupMeasure measure;
        measure.milliseconds =
            std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        measure.resident_kb = resident_kb(pid);
        stop(pid);
        return measure;
      }
    } catch (const boost::system::system_error&) {
      // Not listening yet.
    }
    std::this_thread::sleep_for(kPollPause);
  }
  stop(pid);
  problem = command[0] + " did not answer within 30 s";
  return std::nullopt;
}

}  // namespace jormun::bench
