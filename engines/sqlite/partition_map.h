// partition_map.h -- which partition file holds a key.
//
// Keys the host writes start with an 8-byte big-endian partition hash. With
// 2^b partitions, partition i holds the keys whose prefix has i as its top b
// bits, so each file covers one contiguous range of prefixes and walking the
// files in index order walks the keys in byte order. A key shorter than 8
// bytes goes by its zero-padded prefix, which keeps the mapping monotonic:
// a <= b in byte order implies partition(a) <= partition(b).
#ifndef JORMUN_ENGINES_SQLITE_PARTITION_MAP_H
#define JORMUN_ENGINES_SQLITE_PARTITION_MAP_H

#include <bit>
#include <cstdint>
#include <string_view>

namespace jormun::sqlite {

class PartitionMap {
 public:
  // REQUIRES: count is a power of two.
  explicit PartitionMap(uint32_t count)
      : count_(count), bits_(static_cast<uint32_t>(std::countr_zero(count))) {}

  uint32_t count() const { return count_; }

  uint32_t of(std::string_view key) const {
    if (bits_ == 0) return 0;  // a shift by 64 would be undefined
    uint64_t prefix = 0;
    for (size_t i = 0; i < 8; ++i)
      prefix = (prefix << 8) | (i < key.size() ? static_cast<uint8_t>(key[i]) : 0u);
    return static_cast<uint32_t>(prefix >> (64 - bits_));
  }

 private:
  uint32_t count_;
  uint32_t bits_;
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_PARTITION_MAP_H
