// TransactGetItems: the items are read under their locks, all taken in the
// lock order before the first read and held to the last, so no write set
// (a transaction over several tables included) lands half inside the view.
#include "common/api_error.h"
#include "expr/projection.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "ops/capacity.h"
#include "ops/capacity_metrics.h"
#include "ops/expired_reads.h"
#include "ops/expression_params.h"
#include "ops/item_key.h"
#include "ops/item_request.h"
#include "ops/item_write.h"
#include "ops/transaction_request.h"
#include "ops/transactions.h"
#include "storage/write_set.h"

namespace jormun::ops {
namespace {

// DynamoDB answers at most 4 MB of items per TransactGetItems.
constexpr size_t kMaxGetBytes = 4 * 1024 * 1024;

struct Get {
  std::string table_name;
  ActionTarget target;
  model::Item key;
  Expressions ex;
  std::optional<model::Item> item;
  size_t size = 0;
};

Get read_get(Params& top, const rapidjson::Value& json, size_t i) {
  Params::expect_object(json);
  const rapidjson::Value* body = Params(json).object("Get");
  const std::string path = "transactItems." + std::to_string(i + 1) + ".member.get";
  top.not_null(body, path);
  top.check();
  Params p(*body);
  Get g;
  const rapidjson::Value* key = p.object("Key");
  top.not_null(key, path + ".key");
  g.table_name = action_table_name(top, p, path + ".tableName");
  p.check();
  top.check();
  g.ex = read_expressions(p, kProjectionParams);
  g.key = model::parse_item(*key);
  return g;
}

}  // namespace

void transact_get_items(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out) {
  Params p(request);
  const rapidjson::Value* items = read_transact_items(p);
  const CapacityDetail capacity = capacity_detail(p);
  p.check();

  std::vector<Get> gets;
  gets.reserve(items->Size());
  for (size_t i = 0; i < items->Size(); ++i) gets.push_back(read_get(p, (*items)[i], i));
  for (auto& g : gets) g.target.table = require_item_table(ctx, g.table_name);
  std::vector<CancellationReason> reasons(gets.size());
  std::vector<ActionTarget> targets;
  for (size_t i = 0; i < gets.size(); ++i) {
    Get& g = gets[i];
    key_or_reason(g.target, reasons[i], [&](const storage::TableSchema& schema) {
      return key_from_key_param(schema, g.key);
    });
    targets.push_back(g.target);
  }
  const std::vector<size_t> order = lock_order(targets);

  size_t total = 0;
  // Read again while another process sharing a table's database changed an
  // item between the reads and their check (storage::retry_conflicts).
  auto attempt = [&] {
    total = 0;
    storage::WriteSet set;
    for (size_t i : order) {
      Get& g = gets[i];
      g.item.reset();
      g.size = 0;
      std::string stored;
      try {
        if (!set.read(*g.target.table, g.target.key, &stored)) continue;
      } catch (const storage::LockTimeout&) {
        reasons[i].code = "TransactionConflict";
        reasons[i].message = kTransactionOngoing;
        continue;
      }
      g.item = model::decode_item(stored);
      if (hidden_as_expired(ctx.config.ttl, g.target.table->schema(), *g.item)) {
        g.item.reset();
        continue;
      }
      g.size = model::stored_item_size(stored);
      if (g.ex.projection) g.item = expr::project(*g.item, g.ex.projection->paths);
      total += model::item_size(*g.item);
    }
    set.check_reads();  // and the locks go before the answer is written
  };
  try {
    storage::retry_conflicts(attempt);
  } catch (const storage::WriteConflict&) {
    for (auto& r : reasons) r = {"TransactionConflict", kTransactionOngoing, ""};
  }
  cancel_if_any(reasons);
  if (total > kMaxGetBytes)
    throw ApiError::validation(
        "Total size of the items in the transaction exceeds the maximum allowed size");

  out.StartObject();
  {
    // A transactional read costs twice a strongly consistent one.
    std::map<std::string, TableUnits> units;
    std::map<std::string, size_t> returned;
    for (const auto& g : gets) {
      units[g.table_name].read += 2 * read_units(g.size, true);
      returned[g.table_name] += g.item ? 1 : 0;
    }
    report_capacity_list(units, capacity, UnitsShape::kSplit, out);
    for (const auto& [table, n] : returned) count_returned_items("TransactGetItems", table, n);
  }
  out.Key("Responses");
  out.StartArray();
  for (const auto& g : gets) {
    out.StartObject();
    if (g.item) {
      out.Key("Item");
      model::write_item(*g.item, out);
    }
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

}  // namespace jormun::ops
