// BatchGetItem and BatchWriteItem: many single-item reads or writes across
// tables. Every request in the batch is validated (tables, keys, sizes,
// duplicates) before anything is read or written, so bad input changes
// nothing. Each write is atomic on its own; the batch as a whole is not,
// as in DynamoDB.
#include "ops/batch_ops.h"

#include <set>

#include "common/api_error.h"
#include "expr/projection.h"
#include "model/item_size.h"
#include "ops/expression_params.h"
#include "ops/item_key.h"
#include "ops/item_request.h"
#include "ops/item_write.h"

namespace jormun::ops {
namespace {

constexpr size_t kMaxGetKeys = 100;
constexpr size_t kMaxWriteRequests = 25;
// BatchGetItem answers at most 16 MB; the rest comes back as UnprocessedKeys.
constexpr size_t kMaxGetResponseBytes = 16 * 1024 * 1024;

const rapidjson::Value& request_items(Params& p) {
  const rapidjson::Value* items = p.object("RequestItems");
  p.not_null(items, "requestItems");
  p.check();
  if (items->MemberCount() == 0) {
    p.violation("'{}'", "requestItems", "Member must have length greater than or equal to 1");
    p.check();
  }
  return *items;
}

[[noreturn]] void duplicates() {
  throw ApiError::validation("Provided list of item keys contains duplicates");
}

struct GetTable {
  std::string name;
  std::shared_ptr<storage::Table> table;
  const rapidjson::Value* json;  // KeysAndAttributes, echoed in UnprocessedKeys
  std::vector<std::pair<std::string, const rapidjson::Value*>> keys;  // engine key, Key
  Expressions ex;
};

void write_unprocessed(const GetTable& t, size_t from, model::JsonWriter& out) {
  out.Key(t.name.c_str());
  out.StartObject();
  for (const auto& m : t.json->GetObject()) {
    if (std::string_view(m.name.GetString()) == "Keys") continue;
    out.Key(m.name.GetString());
    m.value.Accept(out);
  }
  out.Key("Keys");
  out.StartArray();
  for (size_t i = from; i < t.keys.size(); ++i) t.keys[i].second->Accept(out);
  out.EndArray();
  out.EndObject();
}

}  // namespace

void batch_get_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  const rapidjson::Value& items = request_items(p);
  std::vector<GetTable> tables;
  size_t total = 0;
  for (const auto& m : items.GetObject()) {
    Params::expect_object(m.value);
    Params kaa(m.value);
    const rapidjson::Value* keys = kaa.list("Keys");
    kaa.not_null(keys, "requestItems." + std::string(m.name.GetString()) + ".member.keys");
    kaa.check();
    total += keys->Size();
    if (total > kMaxGetKeys)
      throw ApiError::validation("Too many items requested for the BatchGetItem call");
    GetTable t{m.name.GetString(), nullptr, &m.value, {}, read_expressions(kaa, kProjectionParams)};
    t.table = require_item_table(ctx, t.name);
    std::set<std::string> seen;
    for (const auto& k : keys->GetArray()) {
      std::string key = key_from_key_param(t.table->schema(), model::parse_item(k));
      if (!seen.insert(key).second) duplicates();
      t.keys.emplace_back(std::move(key), &k);
    }
    tables.push_back(std::move(t));
  }

  out.StartObject();
  out.Key("Responses");
  out.StartObject();
  size_t bytes = 0;
  std::vector<std::pair<const GetTable*, size_t>> unprocessed;
  for (const auto& t : tables) {
    out.Key(t.name.c_str());
    out.StartArray();
    for (size_t i = 0; i < t.keys.size(); ++i) {
      if (bytes >= kMaxGetResponseBytes) {
        unprocessed.emplace_back(&t, i);
        break;
      }
      std::optional<model::Item> item = t.table->get(t.keys[i].first);
      if (!item) continue;
      model::Item shown = t.ex.projection ? expr::project(*item, t.ex.projection->paths) : *item;
      bytes += model::item_size(shown);
      model::write_item(shown, out);
    }
    out.EndArray();
  }
  out.EndObject();
  out.Key("UnprocessedKeys");
  out.StartObject();
  for (const auto& [t, from] : unprocessed) write_unprocessed(*t, from, out);
  out.EndObject();
  out.EndObject();
}

void batch_write_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  const rapidjson::Value& items = request_items(p);
  struct Write {
    std::shared_ptr<storage::Table> table;
    std::string key;
    std::optional<model::Item> item;  // nullopt: delete
  };
  std::vector<Write> writes;
  for (const auto& m : items.GetObject()) {
    Params::expect_list(m.value);
    auto table = require_item_table(ctx, m.name.GetString());
    std::set<std::string> seen;
    for (const auto& wr : m.value.GetArray()) {
      Params::expect_object(wr);
      Params w(wr);
      const rapidjson::Value* put = w.object("PutRequest");
      const rapidjson::Value* del = w.object("DeleteRequest");
      if ((put != nullptr) == (del != nullptr))
        throw ApiError::validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes");
      Write write{table, {}, std::nullopt};
      if (put) {
        Params pr(*put);
        const rapidjson::Value* item = required_object(pr, "Item");
        pr.check();
        write.item = model::parse_item(*item);
        write.key = key_from_item(table->schema(), *write.item);
        check_index_key_types(table->schema(), *write.item);
        if (model::item_size(*write.item) > model::kMaxItemSize)
          throw ApiError::validation("Item size has exceeded the maximum allowed size");
      } else {
        Params dr(*del);
        const rapidjson::Value* key = required_object(dr, "Key");
        dr.check();
        write.key = key_from_key_param(table->schema(), model::parse_item(*key));
      }
      if (!seen.insert(write.key).second) duplicates();
      writes.push_back(std::move(write));
      if (writes.size() > kMaxWriteRequests)
        throw ApiError::validation("Too many items requested for the BatchWriteItem call");
    }
  }
  for (auto& w : writes) {
    ItemWrite iw;
    iw.mutate = [&](const model::Item*) { return w.item; };
    write_item(*w.table, w.key, iw);
  }
  out.StartObject();
  out.Key("UnprocessedItems");
  out.StartObject();
  out.EndObject();
  out.EndObject();
}

}  // namespace jormun::ops
