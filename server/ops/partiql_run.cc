#include "ops/partiql_run.h"

#include "common/api_error.h"
#include "common/json_writer.h"
#include "ops/item_ops.h"
#include "ops/query_scan.h"
#include "ops/update_item.h"
#include "partiql/parser.h"

namespace jormun::ops {

StatementRequest read_statement(Params& p, const std::string& path) {
  StatementRequest r;
  auto text = p.string("Statement");
  p.not_null(text ? &*text : nullptr, path + "statement");
  if (text) {
    p.length_between(*text, path + "statement", 1, kMaxStatementLength);
    r.text = *text;
  }
  r.parameters = p.list("Parameters");
  if (r.parameters && r.parameters->Empty())
    p.violation("[]", path + "parameters", "Member must have length greater than or equal to 1");
  if (r.parameters)
    for (const auto& v : r.parameters->GetArray()) Params::expect_object(v);
  return r;
}

std::vector<ListedStatement> read_statement_list(Params& p, const char* member, size_t max) {
  const std::string name = lower_first(member);
  const rapidjson::Value* list = p.list(member);
  p.not_null(list, name);
  if (list && list->Empty())
    p.violation("[]", name, "Member must have length greater than or equal to 1");
  if (list && list->Size() > max)
    p.violation("[...]", name,
                "Member must have length less than or equal to " + std::to_string(max));
  std::vector<ListedStatement> out;
  if (!list) return out;
  for (const auto& entry : list->GetArray()) {
    Params sp(entry);
    const std::string path = name + "." + std::to_string(out.size() + 1) + ".member.";
    ListedStatement s{read_statement(sp, path), sp.boolean("ConsistentRead"),
                      sp.string("ReturnValuesOnConditionCheckFailure")};
    sp.one_of(s.old_on_failure, path + "returnValuesOnConditionCheckFailure",
              {"ALL_OLD", "NONE"});
    sp.check();
    out.push_back(s);
  }
  return out;
}

StatementPlan plan_request(Context& ctx, const StatementRequest& r, ReadPlan reads) {
  return plan_statement(ctx, *partiql::parse_cached(r.text), r.parameters, reads);
}

void add_numbers(rapidjson::Value& into, const rapidjson::Value& from,
                 rapidjson::Document::AllocatorType& a) {
  if (into.IsNumber() && from.IsNumber()) {
    into.SetDouble(into.GetDouble() + from.GetDouble());
  } else if (into.IsObject() && from.IsObject()) {
    for (const auto& m : from.GetObject()) {
      auto it = into.FindMember(m.name);
      if (it == into.MemberEnd())
        into.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
      else add_numbers(it->value, m.value, a);
    }
  }
}

rapidjson::Document run_plan(Context& ctx, const StatementPlan& plan) {
  Operation op = nullptr;
  switch (plan.op) {
    case StatementPlan::Op::kGetItem:
      op = &get_item;
      break;
    case StatementPlan::Op::kQuery:
      op = &query;
      break;
    case StatementPlan::Op::kScan:
      op = &scan;
      break;
    case StatementPlan::Op::kPutItem:
      op = &put_item;
      break;
    case StatementPlan::Op::kUpdateItem:
      op = &update_item;
      break;
    case StatementPlan::Op::kDeleteItem:
      op = &delete_item;
      break;
    case StatementPlan::Op::kConditionCheck:
      throw ApiError::validation("EXISTS can only be used in a transaction");
  }
  rapidjson::StringBuffer buffer;
  model::JsonWriter writer(buffer);
  try {
    op(ctx, plan.request, writer);
  } catch (const ApiError& e) {
    if (plan.op == StatementPlan::Op::kPutItem && e.type() == "ConditionalCheckFailedException")
      throw ApiError("DuplicateItemException", kDuplicateItemMessage);
    throw;
  }
  rapidjson::Document answer;
  answer.Parse(buffer.GetString(), buffer.GetSize());
  if (answer.HasParseError() || !answer.IsObject())
    throw ApiError::internal("an operation's answer is not a JSON object");
  return answer;
}

}  // namespace jormun::ops
