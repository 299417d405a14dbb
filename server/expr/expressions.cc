#include "expr/expressions.h"

#include "common/api_error.h"

namespace jormun::expr {

PreparedExpressions prepare_expressions(const RequestExpressions& request,
                                        ExpressionCache& cache) {
  validate_attribute_maps(request.names, request.values);
  const bool any_expression = request.condition || request.filter ||
                              request.key_condition || request.update ||
                              request.projection;
  if (!any_expression) {
    if (request.names != nullptr) {
      throw ApiError::validation(
          "ExpressionAttributeNames can only be specified when using expressions");
    }
    if (request.values != nullptr) {
      throw ApiError::validation(
          "ExpressionAttributeValues can only be specified when using expressions");
    }
  }

  Resolver resolver(request.names, request.values);
  PreparedExpressions out;
  if (request.update) out.update = resolver.resolve(*cache.update(*request.update));
  auto condition = [&](std::string_view text, ExpressionKind kind) {
    return resolver.resolve(*cache.condition(text, kind), kind);
  };
  if (request.condition) {
    out.condition = condition(*request.condition, ExpressionKind::kCondition);
  }
  if (request.key_condition) {
    out.key_condition = condition(*request.key_condition, ExpressionKind::kKeyCondition);
    check_key_condition_shape(*out.key_condition);
  }
  if (request.filter) out.filter = condition(*request.filter, ExpressionKind::kFilter);
  if (request.projection) {
    out.projection = resolver.resolve(*cache.projection(*request.projection));
  }
  resolver.check_all_used();
  return out;
}

}  // namespace jormun::expr
