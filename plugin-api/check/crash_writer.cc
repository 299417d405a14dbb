#include <unistd.h>

#include <cstring>
#include <iostream>

#include "crash_layout.h"
#include "kit.h"

namespace jormun::check {

int crash_writer_main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: " << argv[0] << " " << kCrashWriterFlag
              << " PLUGIN DIR [--option key=value ...]\n";
    return 2;
  }
  Options options;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--option") != 0 || !parse_option(argv[i + 1], options))
      return 2;
  }
  try {
    auto library = host::Library::load(argv[2]);
    auto instance = host::Instance::open(library, argv[3], options);
    host::Keyspace a = keyspace(*instance, kCrashKeyspaces[0]);
    host::Keyspace b = keyspace(*instance, kCrashKeyspaces[1]);
    for (uint64_t n = 1;; ++n) {
      host::WriteBatch batch;
      for (int slot = 0; slot < kSlots; ++slot) {
        for (host::Keyspace ks : {a, b}) {
          batch.put(ks, crash_key(slot, n), crash_value(slot, n));
          if (n > kLiveBatches) batch.del(ks, crash_key(slot, n - kLiveBatches));
        }
      }
      instance->write(batch, n % 4 == 0);
      // Unbuffered, so the parent sees every number written before the kill.
      std::string line = std::to_string(n) + "\n";
      if (::write(STDOUT_FILENO, line.data(), line.size()) !=
          static_cast<ssize_t>(line.size()))
        return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "crash writer: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace jormun::check
