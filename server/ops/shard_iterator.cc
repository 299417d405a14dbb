#include "ops/shard_iterator.h"

#include <charconv>
#include <random>
#include <vector>

#include "auth/crypto.h"

namespace jormun::ops {
namespace {

// Fields are '|'-separated: a table name ([a-zA-Z0-9_.-]) and a table id (a
// UUID) never contain one.
constexpr char kSep = '|';
constexpr std::string_view kVersion = "1";

template <typename T>
std::optional<T> number(std::string_view text) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return v;
}

}  // namespace

std::string encode_shard_iterator(const ShardIterator& it, std::string_view key) {
  std::string body = std::string(kVersion) + kSep + it.table + kSep + it.table_id + kSep +
                     std::to_string(it.stream) + kSep + std::to_string(it.position) +
                     kSep + std::to_string(it.created_ms);
  return body + kSep + auth::hex(auth::hmac_sha256(key, body));
}

std::optional<ShardIterator> decode_shard_iterator(std::string_view text,
                                                   std::string_view key) {
  const size_t mac_at = text.rfind(kSep);
  if (mac_at == std::string_view::npos) return std::nullopt;
  const std::string_view body = text.substr(0, mac_at);
  if (!auth::equal_in_constant_time(text.substr(mac_at + 1),
                                    auth::hex(auth::hmac_sha256(key, body))))
    return std::nullopt;
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    const size_t end = body.find(kSep, start);
    fields.push_back(body.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (fields.size() != 6 || fields[0] != kVersion) return std::nullopt;
  auto stream = number<uint64_t>(fields[3]);
  auto position = number<uint64_t>(fields[4]);
  auto created = number<int64_t>(fields[5]);
  if (!stream || !position || !created) return std::nullopt;
  return ShardIterator{std::string(fields[1]), std::string(fields[2]), *stream, *position,
                       *created};
}

std::string_view iterator_key() {
  static const std::string key = [] {
    std::random_device rd;
    std::string k(32, '\0');
    for (auto& c : k) c = static_cast<char>(rd());
    return k;
  }();
  return key;
}

}  // namespace jormun::ops
