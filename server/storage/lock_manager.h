// Per-item locks: every single-item write holds its key's stripe, so a
// read-modify-write (conditions, UpdateItem, ReturnValues, index maintenance)
// is atomic against all other writes to the item. Striped: a key hashes to one of a fixed
// set of mutexes, so there is no global lock and no per-key allocation.
// Two keys may share a stripe; that costs only concurrency, never safety.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

namespace jormun::storage {

class LockManager {
 public:
  static constexpr size_t kStripes = 4096;

  // Holds the stripes of a set of keys, taken in a fixed order (ascending
  // stripe index) so that multi-key holders cannot deadlock.
  class Guard {
   public:
    Guard(Guard&&) = default;
    ~Guard();

   private:
    friend class LockManager;
    Guard(LockManager* m, std::vector<size_t> stripes);
    LockManager* m_;
    std::vector<size_t> stripes_;
  };

  Guard lock(std::string_view key);
  Guard lock_all(const std::vector<std::string_view>& keys);

 private:
  static size_t stripe(std::string_view key);
  std::array<std::mutex, kStripes> stripes_;
};

}  // namespace jormun::storage
