// The expression parsers on arbitrary text. The first byte picks the
// grammar (condition, filter, key condition, update, projection); the rest
// is the expression. Bad text must be an ApiError, never a crash, a hang or
// another exception; the parsers are pure, so a second parse of the same text
// must fail or succeed alike.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/api_error.h"
#include "expr/parser.h"
#include "fuzz_check.h"

using namespace jormun;

namespace {

// Parses `text` with the grammar `selector` picks; the error message, or ""
// when it parsed.
std::string parse(uint8_t selector, std::string_view text) {
  try {
    switch (selector % 5) {
      case 0:
        expr::parse_condition(text, expr::ExpressionKind::kCondition);
        break;
      case 1:
        expr::parse_condition(text, expr::ExpressionKind::kFilter);
        break;
      case 2:
        expr::parse_condition(text, expr::ExpressionKind::kKeyCondition);
        break;
      case 3:
        expr::parse_update(text);
        break;
      default:
        expr::parse_projection(text);
        break;
    }
  } catch (const ApiError& e) {
    fuzz::check(e.type() == "ValidationException", "not a ValidationException", e.what());
    fuzz::check(e.message().starts_with("Invalid "), "message lacks \"Invalid \"",
                e.what());
    return e.message();
  }
  return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string first = parse(data[0], text);
  fuzz::check(parse(data[0], text) == first, "a second parse answered differently", first);
  return 0;
}
