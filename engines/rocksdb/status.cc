#include "status.h"

#include <jormun/plugin.hpp>
#include <string>

namespace jormun::rocks {

jormun_status to_jormun(const rocksdb::Status& status) {
  // NoSpace and MemoryLimit are sub-codes of IOError/Aborted, so they are
  // tested before their parents.
  if (status.IsNoSpace() || status.IsMemoryLimit()) return JORMUN_NO_SPACE;
  if (status.IsCorruption()) return JORMUN_CORRUPTION;
  // NotFound outside a point read means a file the engine needed is missing.
  if (status.IsIOError() || status.IsNotFound()) return JORMUN_IO_ERROR;
  if (status.IsBusy() || status.IsTryAgain() || status.IsTimedOut() ||
      status.IsIncomplete())
    return JORMUN_BUSY;
  if (status.IsInvalidArgument()) return JORMUN_INVALID_ARGUMENT;
  if (status.IsNotSupported()) return JORMUN_NOT_SUPPORTED;
  return JORMUN_INTERNAL;
}

void check(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return;
  std::string message = "rocksdb: ";
  message += what;
  message += ": ";
  message += status.ToString();
  throw plugin::Error(to_jormun(status), std::move(message));
}

}  // namespace jormun::rocks
