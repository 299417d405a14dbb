// Query and Scan: what to read (a key range of the table or an index), then
// the shared paging loop in item_pager.
#include "ops/query_scan.h"

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

// What a read walks: the base table's items (indexes come with their own).
struct Source {
  host::Keyspace keyspace;
  expr::KeySchema schema;
  std::vector<std::string> key_attributes;  // LastEvaluatedKey members
};

expr::KeySchema key_schema(const storage::TableSchema& s) {
  expr::KeySchema k;
  k.partition_key = s.partition_key.name;
  k.partition_type = s.partition_key.type;
  if (s.sort_key) {
    k.sort_key = s.sort_key->name;
    k.sort_type = s.sort_key->type;
  }
  return k;
}

Source base_source(storage::Table& table) {
  const auto& s = table.schema();
  Source src{table.items(), key_schema(s), {s.partition_key.name}};
  if (s.sort_key) src.key_attributes.push_back(s.sort_key->name);
  return src;
}

Source source(storage::Table& table, std::optional<std::string_view> index_name) {
  if (index_name)
    throw ApiError::validation("The table does not have the specified index: " +
                               std::string(*index_name));
  return base_source(table);
}

// The members Query and Scan share, read in DynamoDB's order.
struct ReadRequest {
  std::string table_name;
  std::optional<std::string_view> index_name;
  std::optional<size_t> limit;
  bool count_only = false;
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
  return r;
}

// The engine key after which the page starts.
std::string start_key(const storage::TableSchema& schema, const rapidjson::Value& json) {
  try {
    return key_from_key_param(schema, model::parse_item(json));
  } catch (const ApiError& e) {
    if (e.type() != "ValidationException") throw;
    throw ApiError::validation("The provided starting key is invalid: " + e.message());
  }
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
  Source src = source(*table, r.index_name);
  expr::KeyCondition kc = r.ex.key_condition
                              ? expr::to_key_condition(*r.ex.key_condition, src.schema)
                              : expr::key_condition_from_legacy(*r.ex.key_conditions, src.schema);
  if (r.ex.filter)
    expr::check_filter_excludes_keys(
        *r.ex.filter, src.schema,
        p.json().HasMember("QueryFilter") ? "QueryFilter" : "Filter Expression");

  PageRequest pr = page_request(r, src);
  pr.range = query_range(model::partition_prefix(kc.partition_value), kc, false);
  pr.range.reverse = !forward;
  if (r.exclusive_start_key) {
    host::Bound after{start_key(table->schema(), *r.exclusive_start_key), false};
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
  Source src = source(*table, r.index_name);

  PageRequest pr = page_request(r, src);
  if (total) pr.range = segment_range(*segment, *total);
  if (r.exclusive_start_key)
    pr.range.lower = host::Bound{start_key(table->schema(), *r.exclusive_start_key), false};
  answer(r, read_page(table->engine(), src.keyspace, pr), out);
}

}  // namespace jormun::ops
