// ExecuteStatement: one statement, planned and run. A SELECT of exactly the
// full key is one GetItem; any other SELECT's page is its Scan's, or its
// Queries' (one per partition key value, in turn); NextToken says where the
// next page starts.
#include "common/api_error.h"
#include "model/base64.h"
#include "ops/item_ops.h"
#include "ops/partiql_expression.h"
#include "ops/partiql_ops.h"
#include "ops/partiql_run.h"

namespace jormun::ops {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// Where a SELECT's next page starts: the partition key value (an index into
// the IN list, 0 without one) and the ExclusiveStartKey within it, if any.
struct Resume {
  size_t partition = 0;
  rapidjson::Value key;  // null: from the partition's start
};

// NextToken: {"p": partition, "k": key} as JSON, in base64.
std::string next_token(size_t partition, const rapidjson::Value* key) {
  rapidjson::StringBuffer buffer;
  model::JsonWriter w(buffer);
  w.StartObject();
  w.Key("p");
  w.Uint64(partition);
  if (key) {
    w.Key("k");
    key->Accept(w);
  }
  w.EndObject();
  return model::base64_encode({buffer.GetString(), buffer.GetSize()});
}

Resume resume_at(std::string_view token, Allocator& a) {
  std::string error;
  auto json = model::base64_decode(token, &error);
  rapidjson::Document d;
  if (json) d.Parse(json->data(), json->size());
  const bool ok = json && !d.HasParseError() && d.IsObject() && d.HasMember("p") &&
                  d["p"].IsUint64() && (!d.HasMember("k") || d["k"].IsObject());
  if (!ok) throw ApiError::validation("Invalid NextToken");
  Resume r{d["p"].GetUint64(), {}};
  if (d.HasMember("k")) r.key.CopyFrom(d["k"], a);
  return r;
}

void set_member(rapidjson::Value& object, const char* name, rapidjson::Value v, Allocator& a) {
  auto it = object.FindMember(name);
  if (it != object.MemberEnd()) it->value = v;
  else object.AddMember(rapidjson::StringRef(name), v, a);
}

// Runs a SELECT's Scan, or its Queries from `from` on, until a page ends or
// `limit` items are evaluated; writes Items, NextToken, LastEvaluatedKey
// and ConsumedCapacity.
void read_page(Context& ctx, StatementPlan& plan, Resume from, std::optional<int64_t> limit,
               model::JsonWriter& out) {
  auto& r = plan.request;
  auto& a = r.GetAllocator();
  if (from.partition > plan.partitions.size()) throw ApiError::validation("Invalid NextToken");
  rapidjson::Value items(rapidjson::kArrayType), capacity, last_key;
  std::optional<size_t> next;  // the partition the next page starts in
  for (size_t i = from.partition; i <= plan.partitions.size(); ++i) {
    if (i > 0 && !plan.partitions.empty())
      r["ExpressionAttributeValues"][plan.partition_placeholder.c_str()].CopyFrom(
          plan.partitions[i - 1], a);
    if (i == from.partition && !from.key.IsNull())
      set_member(r, "ExclusiveStartKey", std::move(from.key), a);
    else r.RemoveMember("ExclusiveStartKey");
    if (limit) set_member(r, "Limit", rapidjson::Value(*limit), a);
    rapidjson::Document answer = run_plan(ctx, plan);
    for (auto& item : answer["Items"].GetArray()) items.PushBack(rapidjson::Value(item, a), a);
    if (auto it = answer.FindMember("ConsumedCapacity"); it != answer.MemberEnd()) {
      if (capacity.IsNull()) capacity.CopyFrom(it->value, a);
      else add_numbers(capacity, it->value, a);
    }
    if (auto it = answer.FindMember("LastEvaluatedKey"); it != answer.MemberEnd()) {
      last_key.CopyFrom(it->value, a);
      next = i;
      break;
    }
    if (auto it = answer.FindMember("ScannedCount"); limit && it != answer.MemberEnd())
      *limit -= it->value.GetInt64();
    if (limit && *limit <= 0 && i < plan.partitions.size()) {
      next = i + 1;
      break;
    }
  }
  out.Key("Items");
  items.Accept(out);
  if (next) {
    out.Key("NextToken");
    out.String(next_token(*next, last_key.IsNull() ? nullptr : &last_key));
    if (!last_key.IsNull()) {
      out.Key("LastEvaluatedKey");
      last_key.Accept(out);
    }
  }
  if (!capacity.IsNull()) {
    out.Key("ConsumedCapacity");
    capacity.Accept(out);
  }
}

}  // namespace

void execute_statement(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  StatementRequest statement = read_statement(p, "");
  const auto consistent = p.boolean("ConsistentRead");
  const auto token = p.string("NextToken");
  if (token) p.length_between(*token, "nextToken", 1, 32768);
  const auto capacity = p.string("ReturnConsumedCapacity");
  p.one_of(capacity, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"});
  const auto limit = p.integer("Limit");
  if (limit && *limit < 1)
    p.violation("'" + std::to_string(*limit) + "'", "limit",
                "Member must have value greater than or equal to 1");
  const auto old_on_failure = p.string("ReturnValuesOnConditionCheckFailure");
  p.one_of(old_on_failure, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
  p.check();

  StatementPlan plan = plan_request(
      ctx, statement, limit || token ? ReadPlan::kQueryOrScan : ReadPlan::kGetItemOrQueryOrScan);
  auto& r = plan.request;
  auto& a = r.GetAllocator();
  if (capacity) r.AddMember("ReturnConsumedCapacity", json_string(*capacity, a), a);
  out.StartObject();
  if (plan.op == StatementPlan::Op::kQuery || plan.op == StatementPlan::Op::kScan) {
    if (consistent) r.AddMember("ConsistentRead", *consistent, a);
    read_page(ctx, plan, token ? resume_at(*token, a) : Resume{}, limit, out);
    out.EndObject();
    return;
  }
  if (plan.op == StatementPlan::Op::kGetItem) {
    // GetItem's answer is written as the SELECT's, straight to `out`.
    if (consistent) r.AddMember("ConsistentRead", *consistent, a);
    write_got_item(ctx, r, true, out);
    out.EndObject();
    return;
  }
  if (old_on_failure)
    r.AddMember("ReturnValuesOnConditionCheckFailure", json_string(*old_on_failure, a), a);
  rapidjson::Document answer = run_plan(ctx, plan);
  // A write answers the item RETURNING asked for, if any.
  out.Key("Items");
  out.StartArray();
  auto attributes = answer.FindMember("Attributes");
  if (attributes != answer.MemberEnd()) attributes->value.Accept(out);
  out.EndArray();
  if (auto it = answer.FindMember("ConsumedCapacity"); it != answer.MemberEnd()) {
    out.Key("ConsumedCapacity");
    it->value.Accept(out);
  }
  out.EndObject();
}

}  // namespace jormun::ops
