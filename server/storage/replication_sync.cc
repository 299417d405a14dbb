#include "storage/replication_sync.h"

#include "common/api_error.h"

namespace jormun::storage {

void ReplicationSync::applied(const std::string& table_id, uint64_t next) {
  {
    std::lock_guard lock(mu_);
    uint64_t& furthest = applied_[table_id];
    if (next <= furthest) return;
    furthest = next;
  }
  cv_.notify_all();
}

void ReplicationSync::wait(const std::string& table_id, uint64_t end) {
  std::unique_lock lock(mu_);
  const bool confirmed = cv_.wait_for(lock, timeout_, [&] {
    auto found = applied_.find(table_id);
    return found != applied_.end() && found->second >= end;
  });
  if (!confirmed)
    throw ApiError::internal(
        "Internal server error: no follower confirmed the write within "
        "replication.sync_timeout_ms; it is applied on the primary");
}

}  // namespace jormun::storage
