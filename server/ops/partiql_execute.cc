// ExecuteStatement: one statement, planned and run; a SELECT's pages are
// the Query's or Scan's, their LastEvaluatedKey carried in NextToken.
#include "common/api_error.h"
#include "model/base64.h"
#include "ops/partiql_expression.h"
#include "ops/partiql_ops.h"
#include "ops/partiql_run.h"

namespace jormun::ops {
namespace {

// NextToken: the page's LastEvaluatedKey, as JSON, in base64.
std::string next_token(const rapidjson::Value& last_key) {
  rapidjson::StringBuffer buffer;
  model::JsonWriter w(buffer);
  last_key.Accept(w);
  return model::base64_encode({buffer.GetString(), buffer.GetSize()});
}

rapidjson::Value start_key(std::string_view token, rapidjson::Document::AllocatorType& a) {
  std::string error;
  auto json = model::base64_decode(token, &error);
  rapidjson::Document key;
  if (json) key.Parse(json->data(), json->size());
  if (!json || key.HasParseError() || !key.IsObject())
    throw ApiError::validation("Invalid NextToken");
  return rapidjson::Value(key, a);
}

void copy_member(const rapidjson::Value& from, const char* name, model::JsonWriter& out) {
  auto it = from.FindMember(name);
  if (it == from.MemberEnd()) return;
  out.Key(name);
  it->value.Accept(out);
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

  StatementPlan plan = plan_request(ctx, statement, ReadPlan::kQueryOrScan);
  auto& r = plan.request;
  auto& a = r.GetAllocator();
  const bool read = plan.op == StatementPlan::Op::kQuery || plan.op == StatementPlan::Op::kScan;
  if (read) {
    if (consistent) r.AddMember("ConsistentRead", *consistent, a);
    if (limit) r.AddMember("Limit", *limit, a);
    if (token) r.AddMember("ExclusiveStartKey", start_key(*token, a), a);
  } else if (old_on_failure) {
    r.AddMember("ReturnValuesOnConditionCheckFailure",
                json_string(*old_on_failure, a),
                a);
  }
  if (capacity)
    r.AddMember("ReturnConsumedCapacity",
                json_string(*capacity, a),
                a);
  rapidjson::Document answer = run_plan(ctx, plan);

  out.StartObject();
  out.Key("Items");
  if (read) {
    answer["Items"].Accept(out);
  } else {
    out.StartArray();
    auto attributes = answer.FindMember("Attributes");
    if (attributes != answer.MemberEnd()) attributes->value.Accept(out);
    out.EndArray();
  }
  auto last = answer.FindMember("LastEvaluatedKey");
  if (last != answer.MemberEnd()) {
    out.Key("NextToken");
    out.String(next_token(last->value));
    out.Key("LastEvaluatedKey");
    last->value.Accept(out);
  }
  copy_member(answer, "ConsumedCapacity", out);
  out.EndObject();
}

}  // namespace jormun::ops
