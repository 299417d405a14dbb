// ExecuteTransaction: up to 100 statements as one TransactWriteItems (writes
// and EXISTS checks) or one TransactGetItems (reads), so PartiQL's
// transactions are the JSON API's, all or nothing.
#include <vector>

#include "common/api_error.h"
#include "ops/partiql_expression.h"
#include "ops/partiql_ops.h"
#include "ops/partiql_run.h"
#include "ops/transaction_request.h"
#include "ops/transactions.h"

namespace jormun::ops {
namespace {

using Op = StatementPlan::Op;

const char* action_kind(Op op) {
  switch (op) {
    case Op::kGetItem:
      return "Get";
    case Op::kPutItem:
      return "Put";
    case Op::kUpdateItem:
      return "Update";
    case Op::kDeleteItem:
      return "Delete";
    default:
      return "ConditionCheck";
  }
}

// An INSERT's failed condition is a DuplicateItem reason, as its
// ExecuteStatement is a DuplicateItemException.
ApiError duplicates_named(const ApiError& e, const std::vector<StatementPlan>& plans) {
  rapidjson::Document extra;
  extra.Parse(("{" + e.extra_json() + "}").c_str());
  auto reasons = extra.FindMember("CancellationReasons");
  if (extra.HasParseError() || reasons == extra.MemberEnd() || !reasons->value.IsArray() ||
      reasons->value.Size() != plans.size())
    return e;
  std::string codes;
  auto& a = extra.GetAllocator();
  for (size_t i = 0; i < plans.size(); ++i) {
    auto& reason = reasons->value[static_cast<rapidjson::SizeType>(i)];
    if (plans[i].op == Op::kPutItem && reason["Code"] == "ConditionalCheckFailed") {
      reason.RemoveAllMembers();
      reason.AddMember("Code", "DuplicateItem", a);
      reason.AddMember("Message", rapidjson::StringRef(kDuplicateItemMessage), a);
    }
    codes += (i ? ", " : "") + std::string(reason["Code"].GetString());
  }
  rapidjson::StringBuffer buffer;
  model::JsonWriter w(buffer);
  reasons->value.Accept(w);
  return ApiError(e.type(),
                  "Transaction cancelled, please refer cancellation reasons for specific "
                  "reasons [" + codes + "]")
      .with_extra_json("\"CancellationReasons\":" +
                       std::string(buffer.GetString(), buffer.GetSize()));
}

}  // namespace

void execute_transaction(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  const std::vector<ListedStatement> listed =
      read_statement_list(p, "TransactStatements", kMaxTransactItems);
  const auto token = p.string("ClientRequestToken");
  if (token) p.length_between(*token, "clientRequestToken", 1, 36);
  const auto capacity = p.string("ReturnConsumedCapacity");
  p.one_of(capacity, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"});
  p.check();

  std::vector<StatementPlan> plans;
  size_t reads = 0;
  for (const auto& s : listed) {
    plans.push_back(plan_request(ctx, s.request, ReadPlan::kKeyLookup));
    if (plans.back().op == Op::kGetItem) ++reads;
  }
  if (reads != 0 && reads != plans.size())
    throw ApiError::validation(kMixedStatementsMessage);

  rapidjson::Document call(rapidjson::kObjectType);
  auto& a = call.GetAllocator();
  rapidjson::Value items(rapidjson::kArrayType);
  for (size_t i = 0; i < plans.size(); ++i) {
    rapidjson::Value action(plans[i].request, a);
    if (action.HasMember("ReturnValues"))
      throw ApiError::validation("RETURNING is not allowed in a transaction's statements");
    if (listed[i].old_on_failure && plans[i].op != Op::kGetItem)
      action.AddMember("ReturnValuesOnConditionCheckFailure",
                       json_string(*listed[i].old_on_failure, a),
                       a);
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember(rapidjson::StringRef(action_kind(plans[i].op)), action, a);
    items.PushBack(item, a);
  }
  call.AddMember("TransactItems", items, a);
  if (token && reads == 0)
    call.AddMember("ClientRequestToken",
                   json_string(*token, a),
                   a);
  if (capacity)
    call.AddMember("ReturnConsumedCapacity",
                   json_string(*capacity, a),
                   a);
  rapidjson::StringBuffer buffer;
  model::JsonWriter writer(buffer);
  if (reads != 0) {
    transact_get_items(ctx, call, writer);
  } else {
    try {
      transact_write_items(ctx, call, writer);
    } catch (const ApiError& e) {
      if (e.type() != "TransactionCanceledException") throw;
      throw duplicates_named(e, plans);
    }
  }
  rapidjson::Document answer;
  answer.Parse(buffer.GetString(), buffer.GetSize());
  if (answer.HasParseError() || !answer.IsObject())
    throw ApiError::internal("a transaction's answer is not a JSON object");
  out.StartObject();
  for (const char* member : {"Responses", "ConsumedCapacity"}) {
    auto it = answer.FindMember(member);
    if (it == answer.MemberEnd()) continue;
    out.Key(member);
    it->value.Accept(out);
  }
  out.EndObject();
}

}  // namespace jormun::ops
