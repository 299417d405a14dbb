// auth.keys[].max_requests_per_second: one token bucket per access key.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "config/auth_config.h"

namespace jormun::api {

// Thread-safe. A key's bucket holds up to max_requests_per_second tokens,
// starts full and refills continuously at that rate; each request takes one.
class KeyRates {
 public:
  using Clock = std::chrono::steady_clock;

  // A bucket for each key of `auth` with a rate. `auth` must outlive this.
  explicit KeyRates(const config::AuthConfig& auth);

  // Takes a token of `key`'s bucket at `now`; false when it is empty. A key
  // without a rate always passes.
  bool admit(const config::AccessKey& key, Clock::time_point now);

 private:
  struct Bucket {
    std::mutex mutex;
    double tokens = 0;
    Clock::time_point updated;
  };
  // Built once; only the buckets change, each under its own lock.
  std::unordered_map<const config::AccessKey*, std::unique_ptr<Bucket>> buckets_;
};

}  // namespace jormun::api
