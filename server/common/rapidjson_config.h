// Included before every RapidJSON header (by the build's -include): a failed
// RapidJSON precondition throws instead of aborting the process, so a bug on
// one request answers 500 and the server keeps serving.
#pragma once

#include <stdexcept>

#define RAPIDJSON_HAS_STDSTRING 1
#define RAPIDJSON_ASSERT(x) \
  ((x) ? static_cast<void>(0) : throw std::logic_error("RapidJSON assertion failed: " #x))
// Destructors and move operations must not throw.
#define RAPIDJSON_NOEXCEPT_ASSERT(x) static_cast<void>(0)
