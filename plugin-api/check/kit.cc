#include "kit.h"

#include <cstdio>
#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace jormun::check {

Kit::Kit(std::string plugin_path, std::shared_ptr<host::Library> library,
         std::filesystem::path scratch, Options options)
    : plugin_path_(std::move(plugin_path)),
      library_(std::move(library)),
      scratch_(std::move(scratch)),
      options_(std::move(options)) {}

std::filesystem::path Kit::unused_path(std::string_view name) {
  return scratch_ / (std::string(name) + "-" + std::to_string(++counter_));
}

std::filesystem::path Kit::fresh_dir(std::string_view name) {
  std::filesystem::path dir = unused_path(name);
  std::filesystem::create_directories(dir);
  return dir;
}

std::unique_ptr<host::Instance> Kit::open(const std::filesystem::path& dir) const {
  return host::Instance::open(library_, dir.string(), options_);
}

std::string printable(std::string_view bytes) {
  constexpr size_t kMax = 48;
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < kMax; ++i) {
    unsigned char c = bytes[i];
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  if (bytes.size() > kMax) out += "... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

void expect(bool condition, const std::string& what) {
  if (!condition) throw CheckFailed(what);
}

jormun_status status_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const host::EngineError& e) {
    return e.status();
  }
  return JORMUN_OK;
}

int until_applied(int threads, int rounds, const std::function<jormun_status()>& attempt) {
  std::atomic<int> conflicts = 0;
  std::vector<std::string> errors(threads);
  {
    std::vector<std::jthread> running;
    for (int t = 0; t < threads; ++t)
      running.emplace_back([&, t] {
        try {
          for (int i = 0; i < rounds; ++i)
            for (;;) {
              const jormun_status s = attempt();
              if (s == JORMUN_OK) break;
              if (s != JORMUN_CONFLICT)
                throw CheckFailed("a checked write answered " + std::to_string(s));
              ++conflicts;
            }
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
  }
  for (const auto& e : errors) expect(e.empty(), e);
  return conflicts.load();
}

std::optional<std::string> value_of(host::Instance& instance, host::Keyspace ks,
                                    const std::string& key) {
  std::string value;
  if (!instance.get(ks, key, &value)) return std::nullopt;
  return value;
}

Entries collect(host::Instance& instance, host::Keyspace keyspace,
                const host::RangeSpec& range) {
  Entries out;
  host::Iterator it = instance.iterate(keyspace, range);
  std::string_view key, value;
  while (it.next(&key, &value)) out.emplace_back(key, value);
  return out;
}

host::RangeSpec whole(bool reverse, const host::Snapshot* snapshot) {
  host::RangeSpec range;
  range.reverse = reverse;
  range.snapshot = snapshot;
  return range;
}

bool parse_option(const char* text, Options& options) {
  const char* eq = std::strchr(text, '=');
  if (eq == nullptr || eq == text) return false;
  options.emplace_back(std::string(text, eq), std::string(eq + 1));
  return true;
}

host::Keyspace keyspace(host::Instance& instance, std::string_view name) {
  auto ks = instance.keyspace(name, true);
  expect(ks.has_value(),
         "keyspace_open(create=1) gave NOT_FOUND for '" + printable(name) + "'");
  return *ks;
}

jormun_status fill_storage(host::Instance& instance, std::string_view tag) {
  host::Keyspace filler = keyspace(instance, "filler");
  const std::string value(8192, 'f');
  for (int b = 0; b < 16; ++b) {
    host::WriteBatch batch;
    for (int i = 0; i < 16; ++i)
      batch.put(filler, std::string(tag) + "/" + std::to_string(b * 16 + i), value);
    jormun_status s = status_of([&] { instance.write(batch, false); });
    if (s != JORMUN_OK) return s;
  }
  return JORMUN_OK;
}

std::string sharded_key(int slot, std::string_view rest) {
  // The lower bits are fixed noise: a prefix is not all zeros in practice.
  uint64_t prefix = static_cast<uint64_t>(slot) << 61 | 0x0A5A5A5A5A5A5A5Aull;
  std::string key;
  for (int shift = 56; shift >= 0; shift -= 8)
    key += static_cast<char>((prefix >> shift) & 0xFF);
  key += rest;
  return key;
}

}  // namespace jormun::check
