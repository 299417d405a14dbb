#include "ops/replica_rules.h"

#include "ops/durability.h"

namespace jormun::ops {
namespace {

bool asks_consistent_read(const rapidjson::Value& v) {
  if (!v.IsObject()) return false;
  auto c = v.FindMember("ConsistentRead");
  return c != v.MemberEnd() && c->value.IsBool() && c->value.GetBool();
}

}  // namespace

bool replica_refuses(const OperationSpec& op, const rapidjson::Value& request) {
  if (op.on_replica == OnReplica::kPrimary) return true;
  if (op.on_replica == OnReplica::kByStatement && statements_write(request)) return true;
  if (asks_consistent_read(request)) return true;
  if (!request.IsObject()) return false;
  auto items = request.FindMember("RequestItems");
  if (items == request.MemberEnd() || !items->value.IsObject()) return false;
  for (const auto& table : items->value.GetObject())
    if (asks_consistent_read(table.value)) return true;
  return false;
}

std::string replica_refusal(const std::string& primary_url) {
  return "This server is a read replica of " + primary_url +
         ": send writes and strongly consistent reads to the primary";
}

}  // namespace jormun::ops
