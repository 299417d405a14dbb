#include "long_keys.h"

#include <jormun/plugin.hpp>

#include <cstdint>

// Stored bucket: members in ascending `rest` order, each as
// varint(rest size) rest varint(value size) value, varints being LEB128.
// DO NOT CHANGE: embedded in on-disk data.

namespace jormun::lmdb {
namespace {

[[noreturn]] void corrupt() {
  throw plugin::Error(JORMUN_CORRUPTION, "lmdb: malformed long-key bucket");
}

void put_varint(std::string& out, uint64_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

// Reads the stored members one at a time, checking every length.
class Reader {
 public:
  explicit Reader(std::string_view stored) : in_(stored) {}
  bool done() const { return in_.empty(); }
  void next(std::string_view* rest, std::string_view* value) {
    *rest = chunk();
    *value = chunk();
  }

 private:
  std::string_view chunk() {
    uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
      if (in_.empty() || shift > 63) corrupt();
      auto byte = static_cast<uint8_t>(in_.front());
      in_.remove_prefix(1);
      n |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) break;
    }
    if (n > in_.size()) corrupt();
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }
  std::string_view in_;
};

}  // namespace

Bucket decode_bucket(std::string_view stored) {
  Bucket bucket;
  Reader reader(stored);
  while (!reader.done()) {
    std::string_view rest, value;
    reader.next(&rest, &value);
    if (!bucket.empty() && !(bucket.back().rest < rest)) corrupt();
    bucket.push_back({std::string(rest), std::string(value)});
  }
  return bucket;
}

std::string encode_bucket(const Bucket& bucket) {
  std::string out;
  for (const Member& m : bucket) {
    put_varint(out, m.rest.size());
    out += m.rest;
    put_varint(out, m.value.size());
    out += m.value;
  }
  return out;
}

bool find_member(std::string_view stored, std::string_view rest,
                 std::string_view* value) {
  Reader reader(stored);
  while (!reader.done()) {
    std::string_view r, v;
    reader.next(&r, &v);
    if (r == rest) {
      *value = v;
      return true;
    }
    if (rest < r) return false;
  }
  return false;
}

}  // namespace jormun::lmdb
