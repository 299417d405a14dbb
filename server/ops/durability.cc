#include "ops/durability.h"

#include "storage/catalog.h"

namespace jormun::ops {
namespace {

bool waiting_table(Context& ctx, const rapidjson::Value& name) {
  if (!name.IsString()) return false;
  auto table = ctx.catalog.find({name.GetString(), name.GetStringLength()});
  return table && table->writes_wait_for_group();
}

}  // namespace

bool waits_for_disk(Context& ctx, const OperationSpec& op,
                    const rapidjson::Value& request) {
  if (op.writes == ItemWrites::kNone || !request.IsObject()) return false;
  if (op.writes == ItemWrites::kTableName) {
    auto it = request.FindMember("TableName");
    return it != request.MemberEnd() && waiting_table(ctx, it->value);
  }
  if (op.writes == ItemWrites::kTransactItems) {
    // A transaction over several tables syncs its intent and every batch
    // (storage/transaction_log.h), whatever the tables' durability.
    auto items = request.FindMember("TransactItems");
    if (items == request.MemberEnd() || !items->value.IsArray()) return false;
    const rapidjson::Value* first = nullptr;
    for (const auto& action : items->value.GetArray()) {
      if (!action.IsObject()) continue;
      for (const auto& kind : action.GetObject()) {
        if (!kind.value.IsObject()) continue;
        auto name = kind.value.FindMember("TableName");
        if (name == kind.value.MemberEnd()) continue;
        if (waiting_table(ctx, name->value)) return true;
        if (!first) first = &name->value;
        else if (name->value != *first) return true;
      }
    }
    return false;
  }
  auto it = request.FindMember("RequestItems");
  if (it == request.MemberEnd() || !it->value.IsObject()) return false;
  for (const auto& table : it->value.GetObject())
    if (waiting_table(ctx, table.name)) return true;
  return false;
}

}  // namespace jormun::ops
