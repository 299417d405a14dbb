#include "ops/cluster_limits.h"

#include <string>

#include "common/api_error.h"
#include "storage/catalog.h"

namespace jormun::ops {

void refuse_in_cluster(const Context& ctx, std::string_view feature) {
  if (!ctx.catalog.clustered()) return;
  throw ApiError::validation(std::string(feature) +
                             " is not supported when the server runs as one of several "
                             "front ends (cluster mode)");
}

}  // namespace jormun::ops
