// What the SQLite engine plugin's tests share: the plugin, a scratch
// directory, keys of a chosen partition, and short forms of open, scan and
// stats.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <jormun/engine.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace jormun::sqlite_test {

namespace fs = std::filesystem;
using jormun::host::Bound;
using jormun::host::EngineError;
using jormun::host::Instance;
using jormun::host::Keyspace;
using jormun::host::Library;
using jormun::host::RangeSpec;
using jormun::host::WriteBatch;
using Options = std::vector<std::pair<std::string, std::string>>;

inline std::shared_ptr<Library> plugin() {
  static std::shared_ptr<Library> lib =
      Library::load(std::string(JORMUN_TEST_PLUGIN_DIR) + "/jormun_sqlite.so");
  return lib;
}

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "jormun_sqlite_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A key whose 8-byte big-endian prefix is `prefix`, followed by `rest`.
inline std::string key(uint64_t prefix, const std::string& rest = "") {
  std::string k(8, '\0');
  for (int i = 0; i < 8; ++i) k[i] = static_cast<char>(prefix >> (56 - 8 * i));
  return k + rest;
}

// The top `bits` bits of the prefix select the partition.
inline uint64_t partition_start(uint64_t index, int bits) { return index << (64 - bits); }

inline std::unique_ptr<Instance> open(const std::string& dir, const Options& options = {}) {
  return Instance::open(plugin(), dir, options);
}

inline std::vector<std::string> scan(Instance& db, Keyspace ks, const RangeSpec& range = {}) {
  std::vector<std::string> keys;
  auto it = db.iterate(ks, range);
  std::string_view k, v;
  while (it.next(&k, &v)) keys.emplace_back(k);
  return keys;
}

inline std::string stat(Instance& db, const std::string& name) {
  for (const auto& [n, v] : db.stats())
    if (n == name) return v;
  return "(missing)";
}

inline jormun_status open_status(const std::string& dir, const Options& options,
                          std::string* message) {
  try {
    open(dir, options);
  } catch (const EngineError& e) {
    *message = e.what();
    return e.status();
  }
  return JORMUN_OK;
}

}  // namespace jormun::sqlite_test
