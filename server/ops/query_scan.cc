// Query and Scan: what to read (a key range of the table or an index), then
// the shared paging loop in item_pager.
#include "ops/query_scan.h"

#include <algorithm>
#include <stdexcept>

#include "common/api_error.h"
#include "model/key_codec.h"
#include "ops/capacity.h"
#include "ops/expression_params.h"
#include "ops/item_key.h"
#include "ops/item_pager.h"
#include "ops/item_request.h"
#include "ops/key_range.h"

namespace jormun::ops {
namespace {

// What a read walks: the base table's items or one index's entries.
struct Source {
  host::Keyspace keyspace;
  expr::KeySchema schema;
  std::vector<std::string> key_attributes;  // LastEvaluatedKey members
  const storage::IndexSchema* index = nullptr;
};

expr::KeySchema key_schema(const storage::KeyAttribute& pk,
                           const std::optional<storage::KeyAttribute>& sk) {
  expr::KeySchema k;
  k.partition_key = pk.name;
  k.partition_type = pk.type;
  if (sk) {
    k.sort_key = sk->name;
    k.sort_type = sk->type;
  }
  return k;
}

void add_key_attribute(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

Source source(storage::Table& table, std::optional<std::string_view> index_name,
              bool consistent) {
  const auto& s = table.schema();
  Source src{table.items(), key_schema(s.partition_key, s.sort_key), {}, nullptr};
  add_key_attribute(src.key_attributes, s.partition_key.name);
  if (s.sort_key) add_key_attribute(src.key_attributes, s.sort_key->name);
  if (!index_name) return src;
  const storage::IndexSchema* ix = table.find_index(*index_name);
  if (!ix || ix->state == storage::IndexSchema::State::kDeleting)
    throw ApiError::validation("The table does not have the specified index: " +
                               std::string(*index_name));
  if (!ix->queryable())
    throw ApiError::validation(std::string(storage::IndexSchema::kNotQueryableMessage) +
                               ix->name);
  if (consistent && ix->global)
    throw ApiError::validation(
        "Consistent reads are not supported on global secondary indexes");
  try {
    src.keyspace = table.index_keyspace(*ix);
  } catch (const std::out_of_range&) {
    // Deleted between the lookup and here: as if it were already gone.
    throw ApiError::validation("The table does not have the specified index: " + ix->name);
  }
  src.schema = key_schema(ix->partition_key, ix->sort_key);
  src.index = ix;
  add_key_attribute(src.key_attributes, ix->partition_key.name);
  if (ix->sort_key) add_key_attribute(src.key_attributes, ix->sort_key->name);
  return src;
}

// The members Query and Scan share, read in DynamoDB's order.
struct ReadRequest {
  std::string table_name;
  std::optional<std::string_view> index_name;
  std::optional<size_t> limit;
  bool count_only = false;
  bool all_attributes = false;  // Select=ALL_ATTRIBUTES asked for explicitly
  bool consistent = false;
  bool capacity = false;
  const rapidjson::Value* exclusive_start_key = nullptr;
  Expressions ex;
};

ReadRequest read_request(Params& p, unsigned families) {
  ReadRequest r;
  r.capacity = wants_capacity(p);
  r.table_name = p.table_name();
  r.index_name = p.string("IndexName");
  auto limit = p.integer("Limit");
  if (limit && *limit < 1)
    p.violation("'" + std::to_string(*limit) + "'", "limit",
                "Member must have value greater than or equal to 1");
  if (limit) r.limit = static_cast<size_t>(*limit);
  auto select = p.string("Select");
  p.one_of(select, "select",
           {"ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"});
  r.consistent = p.boolean("ConsistentRead").value_or(false);
  r.exclusive_start_key = p.object("ExclusiveStartKey");
  p.check();
  r.ex = read_expressions(p, families | kProjectionParams);

  const char* projection_name =
      p.json().HasMember("AttributesToGet") ? "AttributesToGet" : "ProjectionExpression";
  if (select && *select == "SPECIFIC_ATTRIBUTES" && !r.ex.projection)
    throw ApiError::validation(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES");
  if (select && r.ex.projection && *select != "SPECIFIC_ATTRIBUTES")
    throw ApiError::validation(std::string("Cannot specify the ") + projection_name +
                               " when choosing to get " +
                               (*select == "COUNT" ? "only the Count" : std::string(*select)));
  if (select && *select == "ALL_PROJECTED_ATTRIBUTES" && !r.index_name)
    throw ApiError::validation(
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  r.count_only = select && *select == "COUNT";
  r.all_attributes = select && *select == "ALL_ATTRIBUTES";
  return r;
}

// The engine key after which the page starts: an index entry's key is the
// index key followed by the base key, so its start key names both.
std::string start_key(const storage::TableSchema& schema, const Source& src,
                      const rapidjson::Value& json) {
  try {
    model::Item key = model::parse_item(json);
    if (!src.index) return key_from_key_param(schema, key);
    // Every member present with its declared type, and nothing else.
    auto typed = [&](const storage::KeyAttribute& a) -> const model::AttributeValue& {
      auto it = key.find(a.name);
      if (it == key.end() || it->second.type() != a.type)
        throw ApiError::validation("The provided key element does not match the schema");
      return it->second;
    };
    if (key.size() != src.key_attributes.size())
      throw ApiError::validation("The provided key element does not match the schema");
    const storage::IndexSchema& ix = *src.index;
    const model::AttributeValue& pk = typed(schema.partition_key);
    const model::AttributeValue* sk = schema.sort_key ? &typed(*schema.sort_key) : nullptr;
    const model::AttributeValue& ipk = typed(ix.partition_key);
    const model::AttributeValue* isk = ix.sort_key ? &typed(*ix.sort_key) : nullptr;
    return model::index_key(ipk, isk, pk, sk);
  } catch (const ApiError& e) {
    if (e.type() != "ValidationException") throw;
    throw ApiError::validation("The provided starting key is invalid: " + e.message());
  }
}

// Select=ALL_ATTRIBUTES on an index that does not hold every attribute: an
// LSI reads the items from the table (as DynamoDB does); a GSI cannot.
void expand_to_items(const ReadRequest& r, storage::Table& table, const Source& src,
                     PageRequest& pr) {
  if (!src.index || !r.all_attributes ||
      src.index->projection == storage::IndexSchema::Projection::kAll)
    return;
  if (src.index->global)
    throw ApiError::validation(
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
        "supported for global secondary index " +
        src.index->name + " because its projection type is not ALL");
  pr.expand = [&table](model::Item entry) {
    std::optional<model::Item> item =
        table.get(key_from_key_param(table.schema(), key_of(table.schema(), entry)));
    return item ? std::move(*item) : std::move(entry);
  };
}

void answer(const ReadRequest& r, const Page& page, model::JsonWriter& out) {
  out.StartObject();
  write_page(page, r.count_only, out);
  if (r.capacity) write_capacity(r.table_name, read_units(page.bytes, r.consistent), out);
  out.EndObject();
}

PageRequest page_request(const ReadRequest& r, const Source& src) {
  PageRequest pr;
  pr.limit = r.limit;
  pr.filter = r.ex.filter ? &*r.ex.filter : nullptr;
  pr.projection = r.ex.projection ? &*r.ex.projection : nullptr;
  pr.count_only = r.count_only;
  pr.key_attributes = src.key_attributes;
  return pr;
}

}  // namespace

void query(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  bool forward = p.boolean("ScanIndexForward").value_or(true);
  ReadRequest r = read_request(p, kQueryParams);
  if (!r.ex.key_condition && !r.ex.key_conditions)
    throw ApiError::validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in "
        "the request.");
  auto table = require_item_table(ctx, r.table_name);
  Source src = source(*table, r.index_name, r.consistent);
  expr::KeyCondition kc = r.ex.key_condition
                              ? expr::to_key_condition(*r.ex.key_condition, src.schema)
                              : expr::key_condition_from_legacy(*r.ex.key_conditions, src.schema);
  if (r.ex.filter)
    expr::check_filter_excludes_keys(
        *r.ex.filter, src.schema,
        p.json().HasMember("QueryFilter") ? "QueryFilter" : "Filter Expression");

  PageRequest pr = page_request(r, src);
  expand_to_items(r, *table, src, pr);
  pr.range = query_range(model::partition_prefix(kc.partition_value), kc, src.index != nullptr);
  pr.range.reverse = !forward;
  if (r.exclusive_start_key) {
    host::Bound after{start_key(table->schema(), src, *r.exclusive_start_key), false};
    (forward ? pr.range.lower : pr.range.upper) = after;
  }
  answer(r, read_page(table->engine(), src.keyspace, pr), out);
}

void scan(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  auto total = p.integer("TotalSegments");
  auto segment = p.integer("Segment");
  if (total && *total < 1)
    p.violation("'" + std::to_string(*total) + "'", "totalSegments",
                "Member must have value greater than or equal to 1");
  if (total && *total > 1000000)
    p.violation("'" + std::to_string(*total) + "'", "totalSegments",
                "Member must have value less than or equal to 1000000");
  if (segment && *segment < 0)
    p.violation("'" + std::to_string(*segment) + "'", "segment",
                "Member must have value greater than or equal to 0");
  if (segment && *segment > 999999)
    p.violation("'" + std::to_string(*segment) + "'", "segment",
                "Member must have value less than or equal to 999999");
  ReadRequest r = read_request(p, kScanParams);
  if (segment && !total)
    throw ApiError::validation(
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present");
  if (total && !segment)
    throw ApiError::validation(
        "The Segment parameter is required but was not present in the request when "
        "parameter TotalSegments is present");
  if (segment && *segment >= *total)
    throw ApiError::validation(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: " +
        std::to_string(*segment) + " is not less than TotalSegments: " +
        std::to_string(*total));
  auto table = require_item_table(ctx, r.table_name);
  Source src = source(*table, r.index_name, r.consistent);

  PageRequest pr = page_request(r, src);
  expand_to_items(r, *table, src, pr);
  if (total) pr.range = segment_range(*segment, *total);
  if (r.exclusive_start_key)
    pr.range.lower =
        host::Bound{start_key(table->schema(), src, *r.exclusive_start_key), false};
  answer(r, read_page(table->engine(), src.keyspace, pr), out);
}

}  // namespace jormun::ops
