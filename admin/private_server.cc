#include "admin/private_server.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace jormun::admin {
namespace fs = std::filesystem;

namespace {

// The jormundb installed or built beside this jormun-admin, else PATH's.
std::string server_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path beside = self.parent_path() / "jormundb";
    if (fs::exists(beside, ec)) return beside.string();
  }
  return "jormundb";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

PrivateServer::PrivateServer(const std::string& data_dir,
                             const std::optional<std::string>& config) {
  char log_template[] = "/tmp/jormun-admin-server-XXXXXX";
  const int log_fd = ::mkstemp(log_template);
  if (log_fd < 0) throw std::runtime_error("cannot create a log file in /tmp");
  log_path_ = log_template;
  std::vector<std::string> args = {server_binary(), "--data-dir", data_dir, "--host",
                                   "127.0.0.1", "--port", "0", "--background-work", "false"};
  if (config) args.insert(args.end(), {"--config", *config});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("cannot start jormundb: fork failed");
  if (pid_ == 0) {
    // Its own process group, so that Ctrl-C reaches the admin alone, which
    // then stops the server itself; and it dies with the admin.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);

  const std::regex listening(R"(jormundb listening on 127\.0\.0\.1:([0-9]+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const std::string output = read_file(log_path_);
    if (std::regex_search(output, m, listening)) {
      url_ = "http://127.0.0.1:" + m[1].str();
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
      std::string text = read_file(log_path_);
      fs::remove(log_path_);
      throw StartFailed{text, code == 3 ? 3 : 1};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string text = read_file(log_path_);
  stop();
  throw StartFailed{text + "(jormundb did not listen within 5 minutes)\n", 1};
}

PrivateServer::~PrivateServer() { stop(); }

void PrivateServer::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::error_code ec;
  if (!log_path_.empty()) fs::remove(log_path_, ec);
}

}  // namespace jormun::admin
