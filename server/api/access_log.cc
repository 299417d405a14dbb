#include "api/access_log.h"

#include <atomic>
#include <chrono>
#include <string>

#include "common/log.h"

namespace jormun::api {
namespace {

std::atomic<bool> g_enabled = false;

}  // namespace

void enable_access_log() { g_enabled = true; }
bool access_log_enabled() { return g_enabled.load(std::memory_order_relaxed); }

void log_access(const RequestFacts& facts, int status,
                std::string_view error_type) noexcept try {
  if (!access_log_enabled()) return;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - facts.start)
                          .count();
  const std::string status_text = std::to_string(status);
  const std::string latency = std::to_string(micros / 1000) + "." +
                              std::to_string(1000 + micros % 1000).substr(1);
  // The short form of the type, as SDKs report it.
  const size_t hash = error_type.rfind('#');
  const std::string_view error =
      hash == std::string_view::npos ? error_type : error_type.substr(hash + 1);
  log::info_fields("request",
                   {{"id", facts.request_id},
                    {"operation", facts.operation.empty() ? "-" : facts.operation},
                    {"table", facts.table.empty() ? "-" : std::string_view(facts.table)},
                    {"status", status_text, true},
                    {"error", error.empty() ? "-" : error},
                    {"latency_ms", latency, true}});
} catch (...) {
  // Out of memory for the line: the request is answered all the same.
}

}  // namespace jormun::api
