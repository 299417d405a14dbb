// Request ids in DynamoDB's x-amzn-RequestId format.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace jormun::http {

// 52 characters from "0-9A-V" (base32hex), the shape of DynamoDB's ids such
// as "Q688NK1IGVHT27G4MNKSO2P5ENVV4KQNSO5AEMVJF66Q9ASUAAJG". A value type of
// fixed size: every request has one, and none needs the heap.
class RequestId {
 public:
  static constexpr size_t kLength = 52;
  std::string_view view() const { return {text_.data(), text_.size()}; }
  std::string str() const { return std::string(view()); }

 private:
  friend RequestId new_request_id();
  std::array<char, kLength> text_{};
};

// A fresh random id, drawn from a per-thread generator seeded with 256 bits
// from the OS, so ids do not repeat in practice. Thread-safe.
RequestId new_request_id();

}  // namespace jormun::http
