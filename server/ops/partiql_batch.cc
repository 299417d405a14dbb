// BatchExecuteStatement: up to 25 statements, all reads (each a key lookup)
// or all writes, each run on its own; a statement's failure is its
// response's Error, not the call's. ConsumedCapacity, when asked for, is a
// list with an entry per table, as BatchGetItem and BatchWriteItem answer.
#include <vector>

#include "common/api_error.h"
#include "ops/partiql_expression.h"
#include "ops/partiql_ops.h"
#include "ops/partiql_run.h"
#include "partiql/parser.h"

namespace jormun::ops {
namespace {

constexpr size_t kMaxBatchStatements = 25;

// BatchStatementError's Code for an error type.
std::string error_code(const std::string& type) {
  if (type == "ValidationException") return "ValidationError";
  if (type == "ThrottlingException") return "ThrottlingError";
  if (type == "AccessDeniedException") return "AccessDenied";
  const std::string_view suffix = "Exception";
  if (type.size() > suffix.size() && type.ends_with(suffix))
    return type.substr(0, type.size() - suffix.size());
  return type;
}

void write_error(const ApiError& e, model::JsonWriter& out) {
  out.Key("Error");
  out.StartObject();
  out.Key("Code");
  out.String(error_code(e.type()));
  out.Key("Message");
  out.String(e.message());
  if (!e.extra_json().empty()) {
    // The failed condition's item (ReturnValuesOnConditionCheckFailure).
    rapidjson::Document extra;
    extra.Parse(("{" + e.extra_json() + "}").c_str());
    auto item = extra.FindMember("Item");
    if (!extra.HasParseError() && item != extra.MemberEnd()) {
      out.Key("Item");
      item->value.Accept(out);
    }
  }
  out.EndObject();
}

struct BatchEntry {
  ListedStatement listed;
  std::shared_ptr<const partiql::Statement> statement;
  std::optional<ApiError> error;  // the parse error, answered in place
};

}  // namespace

void batch_execute_statement(Context& ctx, const rapidjson::Value& request,
                             model::JsonWriter& out) {
  Params p(request);
  std::vector<BatchEntry> entries;
  for (auto& listed : read_statement_list(p, "Statements", kMaxBatchStatements))
    entries.push_back({listed, {}, {}});
  const auto capacity = p.string("ReturnConsumedCapacity");
  p.one_of(capacity, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"});
  p.check();

  bool reads = false, writes = false;
  for (auto& e : entries) {
    try {
      e.statement = partiql::parse_cached(e.listed.request.text);
      (e.statement->kind == partiql::Statement::Kind::kSelect ? reads : writes) = true;
    } catch (const ApiError& error) {
      e.error = error;
    }
  }
  if (reads && writes)
    throw ApiError::validation(kMixedStatementsMessage);

  // One entry per table, in the order the statements first name them, each
  // the sum of what its statements' operations consumed (statements that
  // failed consumed nothing here); absent when none succeeded.
  rapidjson::Document consumed(rapidjson::kArrayType);
  auto add_capacity = [&](const rapidjson::Value& c) {
    auto& a = consumed.GetAllocator();
    for (auto& entry : consumed.GetArray())
      if (entry["TableName"] == c["TableName"]) return add_numbers(entry, c, a);
    consumed.PushBack(rapidjson::Value(c, a), a);
  };

  out.StartObject();
  out.Key("Responses");
  out.StartArray();
  for (auto& e : entries) {
    out.StartObject();
    if (e.error) {
      write_error(*e.error, out);
      out.EndObject();
      continue;
    }
    try {
      StatementPlan plan = plan_statement(ctx, *e.statement, e.listed.request.parameters,
                                          ReadPlan::kKeyLookup);
      auto& a = plan.request.GetAllocator();
      if (plan.op == StatementPlan::Op::kGetItem && e.listed.consistent)
        plan.request.AddMember("ConsistentRead", *e.listed.consistent, a);
      if (plan.op != StatementPlan::Op::kGetItem && e.listed.old_on_failure)
        plan.request.AddMember(
            "ReturnValuesOnConditionCheckFailure",
            json_string(*e.listed.old_on_failure, a),
            a);
      if (capacity)
        plan.request.AddMember("ReturnConsumedCapacity", json_string(*capacity, a), a);
      rapidjson::Document answer = run_plan(ctx, plan);
      if (auto c = answer.FindMember("ConsumedCapacity"); c != answer.MemberEnd())
        add_capacity(c->value);
      out.Key("TableName");
      out.String(plan.table);
      auto item = answer.FindMember("Item");
      if (item != answer.MemberEnd()) {
        out.Key("Item");
        item->value.Accept(out);
      }
    } catch (const ApiError& error) {
      if (error.http_status() >= 500) throw;
      write_error(error, out);
    }
    out.EndObject();
  }
  out.EndArray();
  if (!consumed.Empty()) {
    out.Key("ConsumedCapacity");
    consumed.Accept(out);
  }
  out.EndObject();
}

}  // namespace jormun::ops
