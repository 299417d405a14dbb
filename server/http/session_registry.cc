#include "http/session_registry.h"

#include <vector>

#include "http/session.h"

namespace jormun::http {

bool SessionRegistry::add(const std::shared_ptr<Connection>& session) {
  const std::lock_guard lock(mutex_);
  if (closed_) return false;
  sessions_.emplace(session.get(), session);
  return true;
}

void SessionRegistry::remove(const Connection* session) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::size_t SessionRegistry::size() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

void SessionRegistry::shut_down_all() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    live.reserve(sessions_.size());
    for (const auto& [key, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  // Outside the lock: dropping the last reference runs ~Session, which calls
  // remove().
  for (const auto& session : live) session->shut_down();
}

}  // namespace jormun::http
