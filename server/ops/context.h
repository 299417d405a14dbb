// What every operation gets: the tables and the configuration.
#pragma once

#include <rapidjson/document.h>

#include "config/config.h"
#include "model/attribute_json.h"
#include "storage/catalog.h"

namespace jormun::ops {

struct Context {
  storage::Catalog& catalog;
  const config::Config& config;
};

// An operation reads its request and writes its JSON answer (one object) to
// `out`; a client error is thrown as ApiError.
using Operation = void (*)(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out);

// The operation for an X-Amz-Target operation name, or null.
Operation find_operation(std::string_view name);

}  // namespace jormun::ops
