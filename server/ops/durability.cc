#include "ops/durability.h"

#include "storage/catalog.h"

namespace jormun::ops {
namespace {

bool durable_table(Context& ctx, const rapidjson::Value& name) {
  if (!name.IsString()) return false;
  auto table = ctx.catalog.find({name.GetString(), name.GetStringLength()});
  return table && table->schema().durable;
}

}  // namespace

bool writes_durably(Context& ctx, std::string_view name,
                    const rapidjson::Value& request) {
  if (!request.IsObject()) return false;
  if (name == "PutItem" || name == "UpdateItem" || name == "DeleteItem") {
    auto it = request.FindMember("TableName");
    return it != request.MemberEnd() && durable_table(ctx, it->value);
  }
  if (name == "BatchWriteItem") {
    auto it = request.FindMember("RequestItems");
    if (it == request.MemberEnd() || !it->value.IsObject()) return false;
    for (const auto& table : it->value.GetObject())
      if (durable_table(ctx, table.name)) return true;
  }
  return false;
}

}  // namespace jormun::ops
