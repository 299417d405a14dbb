// The PartiQL parser on arbitrary text. Bad text must be a
// ValidationException with DynamoDB's syntax-error prefix, never a crash, a
// hang or another exception; parsing is pure, so a second parse of the same
// text must fail or succeed alike.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/api_error.h"
#include "fuzz_check.h"
#include "partiql/parser.h"

using namespace jormun;

namespace {

// The error message, or "" when `text` parsed.
std::string parse(std::string_view text) {
  try {
    partiql::parse(text);
  } catch (const ApiError& e) {
    fuzz::check(e.type() == "ValidationException", "not a ValidationException", e.what());
    fuzz::check(e.message().starts_with(partiql::kMalformed), "message lacks the prefix",
                e.what());
    return e.message();
  }
  return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string first = parse(text);
  fuzz::check(parse(text) == first, "a second parse answered differently", first);
  return 0;
}
