#include "storage/engine_services.h"

#include <string>

#include "common/log.h"

namespace jormun::storage {
namespace {

// Callbacks run on the engine's threads and must not throw into it.
void log_line(void*, uint32_t level, const char* message) {
  if (message == nullptr) return;
  if (level == JORMUN_LOG_ERROR) return log::error(message);
  // A warning is worth seeing at every level, like the server's notices.
  if (level == JORMUN_LOG_WARN) return log::notice(message);
  log::info(message);
}

void background_error(void*, jormun_status status, const char* message) {
  try {
    log::error("engine background error (status " + std::to_string(status) +
               "): " + (message ? message : ""));
  } catch (...) {
    // A failed allocation drops the line.
  }
}

constexpr jormun_host_services kServices{sizeof(jormun_host_services), 0, nullptr,
                                         &log_line, &background_error};

}  // namespace

const jormun_host_services* engine_services() { return &kServices; }

}  // namespace jormun::storage
