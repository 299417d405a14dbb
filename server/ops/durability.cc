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

bool writes_durably(Context& ctx, const OperationSpec& op,
                    const rapidjson::Value& request) {
  if (op.writes == ItemWrites::kNone || !request.IsObject()) return false;
  if (op.writes == ItemWrites::kTableName) {
    auto it = request.FindMember("TableName");
    return it != request.MemberEnd() && durable_table(ctx, it->value);
  }
  auto it = request.FindMember("RequestItems");
  if (it == request.MemberEnd() || !it->value.IsObject()) return false;
  for (const auto& table : it->value.GetObject())
    if (durable_table(ctx, table.name)) return true;
  return false;
}

}  // namespace jormun::ops
