// keyspace_delete PLUGIN.so TABLE_DIR KEYSPACE [key=value ...]
//
// Deletes the first key of KEYSPACE in the engine instance at TABLE_DIR (a
// stopped server's <data_dir>/tables/<table>), opened with the engine
// options the catalog records for it. conformance/test_admin.py uses it to
// make an index disagree with its items the way a damaged disk would, so
// that `jormun-admin verify` has a real failure to find; the server has no
// way to do it, and must not. Prints the deleted key in hex.
#include <cstdio>
#include <string>
#include <vector>

#include "jormun/engine.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s PLUGIN.so TABLE_DIR KEYSPACE [key=value ...]\n", argv[0]);
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> options;
  for (int i = 4; i < argc; ++i) {
    std::string option = argv[i];
    const auto eq = option.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "%s: option '%s' is not key=value\n", argv[0], argv[i]);
      return 2;
    }
    options.emplace_back(option.substr(0, eq), option.substr(eq + 1));
  }
  try {
    auto instance =
        jormun::host::Instance::open(jormun::host::Library::load(argv[1]), argv[2], options);
    auto keyspace = instance->keyspace(argv[3], false);
    if (!keyspace) {
      std::fprintf(stderr, "%s: no keyspace '%s'\n", argv[0], argv[3]);
      return 1;
    }
    std::string key;
    {
      auto it = instance->iterate(*keyspace, {});
      std::string_view k, v;
      if (!it.next(&k, &v)) {
        std::fprintf(stderr, "%s: keyspace '%s' is empty\n", argv[0], argv[3]);
        return 1;
      }
      key = k;
    }
    jormun::host::WriteBatch batch;
    batch.del(*keyspace, key);
    instance->write(batch, true);
    for (unsigned char c : key) std::printf("%02x", c);
    std::printf("\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 1;
  }
  return 0;
}
