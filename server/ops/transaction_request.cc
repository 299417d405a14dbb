#include "ops/transaction_request.h"

#include <algorithm>

#include "common/api_error.h"
#include "model/attribute_json.h"
#include "storage/write_set.h"

namespace jormun::ops {

const rapidjson::Value* read_transact_items(Params& p) {
  const rapidjson::Value* items = p.list("TransactItems");
  p.not_null(items, "transactItems");
  if (items && items->Empty())
    p.violation("'[]'", "transactItems", "Member must have length greater than or equal to 1");
  if (items && items->Size() > kMaxTransactItems)
    p.violation("'[...]'", "transactItems",
                "Member must have length less than or equal to 100");
  return items;
}

std::pair<const char*, const rapidjson::Value*> one_action(
    const rapidjson::Value& action, std::initializer_list<const char*> kinds,
    const char* refusal) {
  Params::expect_object(action);
  Params a(action);
  std::pair<const char*, const rapidjson::Value*> found{nullptr, nullptr};
  for (const char* kind : kinds) {
    const rapidjson::Value* v = a.object(kind);
    if (!v) continue;
    if (found.second) throw ApiError::validation(refusal);
    found = {kind, v};
  }
  if (!found.second) throw ApiError::validation(refusal);
  return found;
}

std::string action_table_name(Params& top, const Params& action, const std::string& path) {
  auto name = action.string("TableName");
  if (!name) {
    top.not_null(nullptr, path);
    return {};
  }
  top.length_between(*name, path, 3, 255);
  top.name_pattern(*name, path);
  return std::string(*name);
}

bool key_error_is_reason(const ApiError& e) {
  return e.type() == "ValidationException" &&
         e.message().rfind("One or more parameter values are not valid.", 0) != 0;
}

std::vector<size_t> lock_order(const std::vector<ActionTarget>& targets) {
  std::vector<size_t> order;
  for (size_t i = 0; i < targets.size(); ++i)
    if (!targets[i].key.empty()) order.push_back(i);
  auto before = [&](size_t a, size_t b) {
    const ActionTarget& x = targets[a];
    const ActionTarget& y = targets[b];
    if (storage::WriteSet::precedes(*x.table, x.key, *y.table, y.key)) return true;
    if (storage::WriteSet::precedes(*y.table, y.key, *x.table, x.key)) return false;
    return x.key < y.key;  // one lock; any order, but a fixed one
  };
  std::sort(order.begin(), order.end(), before);
  for (size_t i = 1; i < order.size(); ++i) {
    const ActionTarget& x = targets[order[i - 1]];
    const ActionTarget& y = targets[order[i]];
    if (x.table == y.table && x.key == y.key)
      throw ApiError::validation(
          "Transaction request cannot include multiple operations on one item");
  }
  return order;
}

namespace {

// {"Code":..,"Message":..} plus the ALL_OLD Item, if any.
std::string reason_json(const CancellationReason& r) {
  rapidjson::StringBuffer buf;
  model::JsonWriter w(buf);
  w.StartObject();
  w.Key("Code");
  w.String(r.code);
  if (!r.message.empty()) {
    w.Key("Message");
    w.String(r.message);
  }
  w.EndObject();
  std::string out(buf.GetString(), buf.GetSize());
  if (!r.item_json.empty()) {
    out.pop_back();  // the closing brace
    out += "," + r.item_json + "}";
  }
  return out;
}

}  // namespace

void cancel_if_any(const std::vector<CancellationReason>& reasons) {
  if (std::all_of(reasons.begin(), reasons.end(),
                  [](const CancellationReason& r) { return r.code == "None"; }))
    return;
  std::string codes, list;
  for (const auto& r : reasons) {
    codes += (codes.empty() ? "" : ", ") + r.code;
    list += (list.empty() ? "" : ",") + reason_json(r);
  }
  throw ApiError("TransactionCanceledException",
                 "Transaction cancelled, please refer cancellation reasons for specific "
                 "reasons [" +
                     codes + "]")
      .with_extra_json("\"CancellationReasons\":[" + list + "]");
}

}  // namespace jormun::ops
