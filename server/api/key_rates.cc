#include "api/key_rates.h"

#include <algorithm>

namespace jormun::api {

KeyRates::KeyRates(const config::AuthConfig& auth) {
  const Clock::time_point now = Clock::now();
  for (const config::AccessKey& key : auth.keys) {
    if (key.max_requests_per_second == 0) continue;
    auto bucket = std::make_unique<Bucket>();
    bucket->tokens = key.max_requests_per_second;
    bucket->updated = now;
    buckets_.emplace(&key, std::move(bucket));
  }
}

bool KeyRates::admit(const config::AccessKey& key, Clock::time_point now) {
  const auto found = buckets_.find(&key);
  if (found == buckets_.end()) return true;
  Bucket& bucket = *found->second;
  const double rate = key.max_requests_per_second;
  const std::lock_guard lock(bucket.mutex);
  if (now > bucket.updated) {
    const std::chrono::duration<double> elapsed = now - bucket.updated;
    bucket.tokens = std::min(rate, bucket.tokens + elapsed.count() * rate);
    bucket.updated = now;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

}  // namespace jormun::api
