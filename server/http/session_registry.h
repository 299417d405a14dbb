// The set of open connections, so a graceful stop can reach each of them.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace jormun::http {

class Connection;

// Thread-safe. Holds sessions weakly: a connection's lifetime stays with its
// pending I/O, and a session removes itself when it is destroyed.
class SessionRegistry {
 public:
  // Records `session`. Returns false, recording nothing, once shut_down_all()
  // has run: the caller then drops the connection.
  bool add(const std::shared_ptr<Connection>& session);
  // Forgets `session`; called from its destructor.
  void remove(const Connection* session);
  // Refuses further add() calls and asks every live session to finish its
  // current request and close.
  void shut_down_all();
  // True once shut_down_all() has begun; sessions then answer with
  // "Connection: close" even before their own shut_down() reaches them.
  bool closed() const { return closed_.load(std::memory_order_relaxed); }
  // Connections open now.
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::atomic<bool> closed_ = false;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> sessions_;
};

}  // namespace jormun::http
