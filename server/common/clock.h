// The server's wall clock: what TTL expiry, stream record times, shard ages,
// stream retention and shard iterator ages are measured with. It is the
// system clock plus an offset that only tests set
// (ttl.test_clock_offset_seconds, at start-up), so hours of expiry,
// retention and shard roll-over pass in seconds.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace jormun::clock {

namespace detail {
inline std::atomic<int64_t> offset_ms{0};
}  // namespace detail

// Moves the clock forward by `seconds`. For tests only; main calls it once,
// before any thread reads the clock.
inline void set_test_offset_seconds(uint64_t seconds) {
  detail::offset_ms.store(static_cast<int64_t>(seconds) * 1000);
}

// Milliseconds since the epoch, moved by the test offset.
inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() +
         detail::offset_ms.load(std::memory_order_relaxed);
}

}  // namespace jormun::clock
