// Included before every RapidJSON header (by the build's -include): a failed
// RapidJSON precondition throws instead of aborting the process, so a bug on
// one request answers 500 and the server keeps serving.
#pragma once

#include <stdexcept>

#define RAPIDJSON_HAS_STDSTRING 1
// Vector scans for whitespace and for string runs that need no escaping: a
// 1 KB string value costs a sixteenth of the byte-at-a-time loop. (The
// writers do not use them: common/json_writer.h says why.) The
// parser's scans read whole aligned 16-byte blocks, possibly past the end of
// the input (never past a page), which AddressSanitizer would report, so
// sanitizer builds keep the plain loops. GCC says so with
// __SANITIZE_ADDRESS__, clang (the fuzz build) with __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JORMUN_ADDRESS_SANITIZER 1
#endif
#endif
#if !defined(__SANITIZE_ADDRESS__) && !defined(JORMUN_ADDRESS_SANITIZER)
#if defined(__SSE4_2__)
#define RAPIDJSON_SSE42 1
#elif defined(__SSE2__)
#define RAPIDJSON_SSE2 1
#elif defined(__ARM_NEON)
#define RAPIDJSON_NEON 1
#endif
#endif
#define RAPIDJSON_ASSERT(x) \
  ((x) ? static_cast<void>(0) : throw std::logic_error("RapidJSON assertion failed: " #x))
// Destructors and move operations must not throw.
#define RAPIDJSON_NOEXCEPT_ASSERT(x) static_cast<void>(0)
