// The one entry every thread the server starts runs its task through
// (backfills, commit-thread jobs, I/O loops): an exception that escapes a
// thread ends the process, so whatever the task throws is logged here and
// the task counts as failed, while the process goes on serving.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "common/log.h"

namespace jormun {

// Runs `task`; true when it returned, false when it threw (the exception is
// logged with `what`, naming the task).
template <typename F>
bool guarded(std::string_view what, F&& task) noexcept {
  try {
    task();
    return true;
  } catch (const std::exception& e) {
    log::error(std::string(what) + " failed: " + e.what());
  } catch (...) {
    log::error(std::string(what) + " failed: exception of unknown type");
  }
  return false;
}

}  // namespace jormun
