// The ProjectionExpression grammar: path (',' path)*.
#include "expr/parser.h"
#include "expr/parser_core.h"

namespace jormun::expr {
namespace {

class ProjectionParser : public detail::ParserCore {
 public:
  explicit ProjectionParser(std::string_view text)
      : ParserCore(text, ExpressionKind::kProjection, {}) {}

  Projection parse() {
    return run(
        [this] {
          Projection p;
          do {
            p.paths.push_back(parse_path());
          } while (accept_punct(","));
          return p;
        },
        {detail::Deferred::kReserved, detail::Deferred::kPathDepth});
  }
};

}  // namespace

Projection parse_projection(std::string_view text) {
  return ProjectionParser(text).parse();
}

}  // namespace jormun::expr
