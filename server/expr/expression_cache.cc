#include "expr/expression_cache.h"

#include "expr/parser.h"

namespace jormun::expr {

ExpressionCache::ExpressionCache(size_t capacity) : cache_(capacity) {}

ExpressionCache& ExpressionCache::shared() {
  static ExpressionCache cache(4096);
  return cache;
}

std::shared_ptr<const Condition> ExpressionCache::condition(std::string_view text,
                                                            ExpressionKind kind) {
  return get<Condition>(kind, text, [&] { return parse_condition(text, kind); });
}

std::shared_ptr<const UpdateExpression> ExpressionCache::update(std::string_view text) {
  return get<UpdateExpression>(ExpressionKind::kUpdate, text,
                               [&] { return parse_update(text); });
}

std::shared_ptr<const Projection> ExpressionCache::projection(std::string_view text) {
  return get<Projection>(ExpressionKind::kProjection, text,
                         [&] { return parse_projection(text); });
}

}  // namespace jormun::expr
