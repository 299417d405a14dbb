// A jormundb of the admin's own over a stopped server's data directory
// (`jormun-admin --data-dir`): the commands then talk to it over the API like
// to any server, so they need no second path to the engines. It runs with
// background work off (no TTL deletions, stream trimming or checkpoints of
// its own), on a free loopback port, and stops with the command.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace jormun::admin {

class PrivateServer {
 public:
  // Starts build's (or PATH's) jormundb on `data_dir`, with `config` when
  // given, and waits until it listens. Throws StartFailed when it does not.
  PrivateServer(const std::string& data_dir, const std::optional<std::string>& config);
  // Stops the server (SIGTERM, then waits for it) and removes its log.
  ~PrivateServer();
  PrivateServer(const PrivateServer&) = delete;
  PrivateServer& operator=(const PrivateServer&) = delete;

  // http://127.0.0.1:PORT
  const std::string& url() const { return url_; }

  // The server exited before listening: its output, and the exit status
  // the admin should give (3 when the server said the data directory needs
  // a person, a running server's lock among them; else 1).
  struct StartFailed {
    std::string output;
    int status;
  };

 private:
  void stop();

  pid_t pid_ = -1;
  std::string log_path_;
  std::string url_;
};

}  // namespace jormun::admin
