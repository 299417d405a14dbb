#include "ops/shard_iterator.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <vector>

#include "auth/crypto.h"

namespace jormun::ops {
namespace {

// Fields are '|'-separated: a table name ([a-zA-Z0-9_.-]) and a table id (a
// UUID) never contain one.
constexpr char kSep = '|';
constexpr std::string_view kVersion = "2";
constexpr size_t kKeyBytes = 32;

std::string& key_storage() {
  static std::string key;
  return key;
}

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
                     std::to_string(it.stream) + kSep + std::to_string(it.shard) + kSep +
                     std::to_string(it.position) +
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
  if (fields.size() != 7 || fields[0] != kVersion) return std::nullopt;
  auto stream = number<uint64_t>(fields[3]);
  auto shard = number<uint64_t>(fields[4]);
  auto position = number<uint64_t>(fields[5]);
  auto created = number<int64_t>(fields[6]);
  if (!stream || !shard || !position || !created) return std::nullopt;
  return ShardIterator{std::string(fields[1]), std::string(fields[2]), *stream, *shard,
                       *position, *created};
}

void load_iterator_key(const std::string& data_dir) {
  const std::string path = (std::filesystem::path(data_dir) / kIteratorKeyFile).string();
  std::string key;
  if (std::ifstream in{path, std::ios::binary}) {
    key.assign(std::istreambuf_iterator<char>(in), {});
    if (key.size() != kKeyBytes)
      throw std::runtime_error(path + " does not hold a shard iterator key (" +
                               std::to_string(kKeyBytes) +
                               " bytes); delete it to draw a new one");
  } else {
    std::random_device rd;
    key.resize(kKeyBytes);
    for (auto& c : key) c = static_cast<char>(rd());
    // Written aside, synced, then renamed: a crash never leaves half a key.
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const bool written = fd >= 0 &&
                         ::write(fd, key.data(), key.size()) ==
                             static_cast<ssize_t>(key.size()) &&
                         ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!written || ::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  }
  key_storage() = std::move(key);
}

std::string_view iterator_key() { return key_storage(); }

}  // namespace jormun::ops
