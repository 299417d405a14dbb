// The services the server offers every engine instance it opens (ABI 1.3
// jormun_host_services): an engine's log lines and background errors go to
// the server's log, in its format, instead of the engine's own files or
// stderr.
#pragma once

#include <jormun/engine.h>

namespace jormun::storage {

// One static table for every instance: it holds no per-instance state (an
// engine names the instance in its lines), so it outlives every instance
// as the ABI requires. Thread-safe.
const jormun_host_services* engine_services();

}  // namespace jormun::storage
