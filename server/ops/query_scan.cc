// Query and Scan: what to read (a key range of the table or an index), then
// a page of it through item_pager and Table::read_page.
#include "ops/query_scan.h"

#include <algorithm>

#include "common/api_error.h"
#include "ops/capacity.h"
#include "ops/capacity_metrics.h"
#include "ops/expired_reads.h"
#include "ops/expression_params.h"
#include "ops/item_key.h"
#include "ops/item_pager.h"
#include "ops/item_request.h"
#include "ops/read_attributes.h"
#include "ops/start_key.h"

namespace jormun::ops {
namespace {

// What a read walks: the base table's items or one index's entries.
struct Source {
  expr::KeySchema schema;
  std::vector<std::string> key_attributes;  // LastEvaluatedKey members
  const storage::IndexSchema* index = nullptr;
  // The key attributes of the table or index read, HASH and RANGE, in
  // KeySchema order (schema references live as long as the table).
  std::vector<const storage::KeyAttribute*> partition_keys;
  std::vector<const storage::KeyAttribute*> sort_keys;
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

expr::KeySchema key_schema(const storage::IndexSchema& ix) {
  expr::KeySchema k = key_schema(ix.partition_key, ix.sort_key);
  k.more_partition_keys = ix.more_partition_keys;
  k.more_sort_keys = ix.more_sort_keys;
  return k;
}

void add_key_attribute(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

Source source(storage::Table& table, std::optional<std::string_view> index_name,
              bool consistent) {
  const auto& s = table.schema();
  Source src{
      key_schema(s.partition_key, s.sort_key), {}, nullptr, {&s.partition_key}, {}};
  if (s.sort_key) src.sort_keys.push_back(&*s.sort_key);
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
  src.schema = key_schema(*ix);
  src.index = ix;
  src.partition_keys = ix->partition_keys();
  src.sort_keys = ix->sort_keys();
  for (const auto* keys : {&src.partition_keys, &src.sort_keys})
    for (const storage::KeyAttribute* k : *keys)
      add_key_attribute(src.key_attributes, k->name);
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
  CapacityDetail capacity = CapacityDetail::kNone;
  std::optional<model::Item> start_key;  // ExclusiveStartKey
  Expressions ex;
};

ReadRequest read_request(Params& p, unsigned families) {
  ReadRequest r;
  r.capacity = capacity_detail(p);
  r.table_name = p.item_table_name();
  r.index_name = p.string("IndexName");
  auto limit = p.integer("Limit");
  if (limit && *limit < 1)
    p.violation("'" + std::to_string(*limit) + "'", "limit",
                "Member must have value greater than or equal to 1");
  if (limit) r.limit = static_cast<size_t>(*limit);
  auto select = p.string("Select");
  p.one_of(
      select, "select",
      {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"});
  r.consistent = p.boolean("ConsistentRead").value_or(false);
  const rapidjson::Value* start_key = p.object("ExclusiveStartKey");
  p.check();
  r.ex = read_expressions(p, families | kProjectionParams);
  if (start_key) r.start_key = parse_start_key(*start_key);

  const char* projection_name =
      p.json().HasMember("AttributesToGet") ? "AttributesToGet" : "ProjectionExpression";
  if (select && *select == "SPECIFIC_ATTRIBUTES" && !r.ex.projection)
    throw ApiError::validation(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES");
  if (select && r.ex.projection && *select != "SPECIFIC_ATTRIBUTES")
    throw ApiError::validation(
        std::string("Cannot specify the ") + projection_name + " when choosing to get " +
        (*select == "COUNT" ? "only the Count" : std::string(*select)));
  if (select && *select == "ALL_PROJECTED_ATTRIBUTES" && !r.index_name)
    throw ApiError::validation(
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  r.count_only = select && *select == "COUNT";
  r.all_attributes = select && *select == "ALL_ATTRIBUTES";
  return r;
}

// The checks of the start key's members that come before the key condition
// (Query) or the index's projection (Scan), in DynamoDB's order.
void check_start_key_members(const model::Item& key, const Source& src) {
  check_start_key_size(key, src.key_attributes.size());
  for (const storage::KeyAttribute* k : src.partition_keys)
    check_start_key_member(key, *k, true);
}

void check_start_key_sort_members(const model::Item& key, const Source& src) {
  for (const storage::KeyAttribute* k : src.sort_keys)
    check_start_key_member(key, *k, false);
}

// Reading an index whose projection lacks what the request names: an LSI
// reads the items from the table, as DynamoDB does; a GSI refuses.
void plan_index_read(const ReadRequest& r, storage::Table& table, const Source& src,
                     PageRequest& pr) {
  if (!src.index) return;
  IndexRead read{r.all_attributes, pr.projection, pr.filter};
  if (!reads_from_table(table.schema(), *src.index, read)) return;
  pr.expand = [&table](model::Item entry) {
    std::optional<model::Item> item =
        table.get(key_from_key_param(table.schema(), key_of(table.schema(), entry)));
    return item ? std::move(*item) : std::move(entry);
  };
  pr.return_entry = !r.all_attributes && !pr.projection;
}

// What a page read costs, charged to the index read when there is one.
TableUnits units(const ReadRequest& r, const PageRequest& pr, const Page& page) {
  TableUnits u;
  double read = read_units(page.bytes, r.consistent);
  if (!pr.read.index) {
    u.read = read;
    return u;
  }
  auto& indexes = pr.read.index->global ? u.global_indexes : u.local_indexes;
  indexes[pr.read.index->name].read = read;
  return u;
}

// Items come first in the answer, so the page writes them as it reads.
void answer(std::string_view operation, const ReadRequest& r, storage::Table& table,
            const PageRequest& pr, model::JsonWriter& out) {
  out.StartObject();
  if (!r.count_only) {
    out.Key("Items");
    out.StartArray();
  }
  Page page = read_page(table, pr, out);
  if (!r.count_only) out.EndArray();
  write_page_totals(page, out);
  count_returned_items(operation, r.table_name, r.count_only ? 0 : page.count);
  report_capacity(r.table_name, units(r, pr, page), r.capacity, out);
  out.EndObject();
}

PageRequest page_request(const ReadRequest& r, const Source& src) {
  PageRequest pr;
  pr.read.index = src.index;
  pr.read.limit = r.limit;
  pr.filter = r.ex.filter ? &*r.ex.filter : nullptr;
  pr.projection = r.ex.projection ? &*r.ex.projection : nullptr;
  pr.count_only = r.count_only;
  pr.key_attributes = src.key_attributes;
  return pr;
}

// The key condition as the table's key layout reads it.
storage::KeyRange key_range(expr::KeyCondition kc) {
  storage::KeyRange range{std::move(kc.partition_value), std::nullopt,
                          std::move(kc.more_partition_values), std::move(kc.sort_prefix)};
  if (kc.sort)
    range.sort = storage::SortKeyRange{kc.sort->op, std::move(kc.sort->values)};
  return range;
}

}  // namespace

void query(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  bool forward = p.boolean("ScanIndexForward").value_or(true);
  ReadRequest r = read_request(p, kQueryParams);
  if (!r.ex.key_condition && !r.ex.key_conditions)
    throw ApiError::validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified "
        "in "
        "the request.");
  auto table = require_item_table(ctx, r.table_name);
  Source src = source(*table, r.index_name, r.consistent);
  const model::Item* start = r.start_key ? &*r.start_key : nullptr;
  // DynamoDB checks the start key's partition key before the key condition,
  // its sort key after, and then whether it lies where the condition reads.
  if (start) check_start_key_members(*start, src);
  storage::KeyRange kr =
      key_range(r.ex.key_condition
                    ? expr::to_key_condition(*r.ex.key_condition, src.schema)
                    : expr::key_condition_from_legacy(*r.ex.key_conditions, src.schema));
  // An empty or oversized partition key value, as a Key parameter's.
  check_key_value(*src.partition_keys[0], kr.partition_value, true);
  for (size_t i = 0; i < kr.more_partition_values.size(); ++i)
    check_key_value(*src.partition_keys[i + 1], kr.more_partition_values[i], true);
  std::optional<std::string> start_after_key;
  if (start) {
    check_start_key_sort_members(*start, src);
    start_after_key = start_engine_key(table->schema(), src.index, *start);
    check_start_key_in_query(*start, *start_after_key, kr, src.partition_keys,
                             src.index != nullptr);
  }
  if (r.ex.projection)
    check_key_paths(projection_paths(*r.ex.projection), table->schema());
  if (r.ex.filter)
    expr::check_filter_excludes_keys(
        *r.ex.filter, src.schema,
        p.json().HasMember("QueryFilter") ? "QueryFilter" : "Filter Expression");

  PageRequest pr = page_request(r, src);
  plan_index_read(r, *table, src, pr);
  pr.hide = expired_filter(ctx.config.ttl, *table, src.index != nullptr);
  if (r.ex.filter) check_key_paths(condition_paths(*r.ex.filter), table->schema());
  pr.read.key = std::move(kr);
  pr.read.reverse = !forward;
  pr.read.start_after = std::move(start_after_key);
  answer("Query", r, *table, pr, out);
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
        "The Segment parameter is zero-based and must be less than parameter "
        "TotalSegments: "
        "Segment: " +
        std::to_string(*segment) +
        " is not less than TotalSegments: " + std::to_string(*total));
  auto table = require_item_table(ctx, r.table_name);
  Source src = source(*table, r.index_name, r.consistent);
  const model::Item* start = r.start_key ? &*r.start_key : nullptr;
  // On an index, DynamoDB checks the index's key in the start key before the
  // projection, and the table's key after it.
  if (start && src.index) {
    check_start_key_members(*start, src);
    check_start_key_sort_members(*start, src);
  }

  PageRequest pr = page_request(r, src);
  plan_index_read(r, *table, src, pr);
  pr.hide = expired_filter(ctx.config.ttl, *table, src.index != nullptr);
  if (total) {
    pr.read.segment = *segment;
    pr.read.total_segments = *total;
  }
  if (start) {
    std::string key = start_engine_key(table->schema(), src.index, *start);
    if (total) check_start_key_in_segment(key, *segment, *total);
    pr.read.start_after = std::move(key);
  }
  if (r.ex.projection)
    check_key_paths(projection_paths(*r.ex.projection), table->schema());
  if (r.ex.filter) check_key_paths(condition_paths(*r.ex.filter), table->schema());
  answer("Scan", r, *table, pr, out);
}

}  // namespace jormun::ops
