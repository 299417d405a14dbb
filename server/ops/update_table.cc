#include "ops/cluster_limits.h"
#include "ops/update_table.h"

#include <algorithm>

#include "common/api_error.h"
#include "ops/index_rules.h"
#include "ops/stream_specification.h"
#include "ops/table_description.h"
#include "ops/table_params.h"
#include "ops/table_settings.h"

namespace jormun::ops {
namespace {

using storage::IndexSchema;
using storage::TableSchema;

const std::string kInvalid = "One or more parameter values were invalid: ";

// One element of GlobalSecondaryIndexUpdates.
struct IndexUpdate {
  std::optional<IndexDefinition> create;
  std::optional<std::string> delete_name;
  std::optional<std::string> update_name;
  std::optional<Throughput> update_throughput;
  int actions = 0;
};

struct Request {
  std::string table;
  std::optional<std::vector<storage::KeyAttribute>> definitions;
  std::optional<std::string> billing_mode;
  std::optional<Throughput> throughput;
  std::vector<IndexUpdate> index_updates;
  TableSettings settings;
  std::optional<StreamRequest> stream;
};

std::string required_name(Params& p, const rapidjson::Value& v, const std::string& path) {
  Params::expect_object(v);
  Params el(v);
  auto name = el.string("IndexName");
  p.not_null(name ? &*name : nullptr, path + ".indexName");
  return name ? std::string(*name) : "";
}

Request read_request(Params& p) {
  Request r;
  if (p.list("AttributeDefinitions")) r.definitions = read_attribute_definitions(p);
  r.table = p.table_name();
  r.throughput =
      read_throughput(p, p.object("ProvisionedThroughput"), "provisionedThroughput");
  if (const rapidjson::Value* list = p.list("GlobalSecondaryIndexUpdates")) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      const auto& e = (*list)[i];
      Params::expect_object(e);
      Params el(e);
      std::string path =
          "globalSecondaryIndexUpdates." + std::to_string(i + 1) + ".member";
      IndexUpdate u;
      if (const rapidjson::Value* c = el.object("Create")) {
        u.create = read_index_definition(p, *c, path + ".create", true);
        ++u.actions;
      }
      if (const rapidjson::Value* d = el.object("Delete")) {
        u.delete_name = required_name(p, *d, path + ".delete");
        ++u.actions;
      }
      if (const rapidjson::Value* up = el.object("Update")) {
        u.update_name = required_name(p, *up, path + ".update");
        Params upp(*up);
        const rapidjson::Value* pt = upp.object("ProvisionedThroughput");
        p.not_null(pt, path + ".update.provisionedThroughput");
        u.update_throughput =
            read_throughput(p, pt, path + ".update.provisionedThroughput");
        ++u.actions;
      }
      r.index_updates.push_back(std::move(u));
    }
  }
  auto billing = p.string("BillingMode");
  p.one_of(billing, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"});
  if (billing) r.billing_mode = std::string(*billing);
  r.settings = read_table_settings(p);
  r.stream = read_stream_specification(p);
  p.check();
  return r;
}

IndexSchema* find(TableSchema& s, const std::string& name) {
  for (auto& i : s.indexes)
    if (i.name == name) return &i;
  return nullptr;
}

// BillingMode and table ProvisionedThroughput.
void apply_capacity(const Request& r, TableSchema& s) {
  std::string mode = r.billing_mode.value_or(s.billing_mode);
  if (mode == "PAY_PER_REQUEST" && r.throughput)
    throw ApiError::validation(kInvalid +
                               "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                               "specified when BillingMode is PAY_PER_REQUEST");
  if (mode == "PROVISIONED" && s.billing_mode != "PROVISIONED") {
    if (!r.throughput)
      throw ApiError::validation(
          kInvalid +
          "ProvisionedThroughput must be specified when BillingMode is "
          "PROVISIONED");
    std::vector<std::string> missing;
    for (const auto& i : s.indexes) {
      bool updated =
          std::any_of(r.index_updates.begin(), r.index_updates.end(),
                      [&](const IndexUpdate& u) { return u.update_name == i.name; });
      if (i.global && !updated) missing.push_back(i.name);
    }
    if (!missing.empty()) {
      std::string names;
      for (const auto& n : missing) names += (names.empty() ? "" : ",") + n;
      throw ApiError::validation(
          kInvalid + "ProvisionedThroughput must be specified for index: " + names);
    }
  }
  if (r.throughput && r.throughput->read == s.read_capacity &&
      r.throughput->write == s.write_capacity && s.billing_mode == "PROVISIONED")
    throw ApiError::validation(
        "The provisioned throughput for the table will not change. The requested value "
        "equals "
        "the current value. Current ReadCapacityUnits provisioned for the table: " +
        std::to_string(s.read_capacity) +
        ". Requested ReadCapacityUnits: " + std::to_string(r.throughput->read) +
        ". Current WriteCapacityUnits provisioned for the table: " +
        std::to_string(s.write_capacity) +
        ". Requested WriteCapacityUnits: " + std::to_string(r.throughput->write) +
        ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to "
        "request "
        "higher limits.");
  s.billing_mode = mode;
  if (mode == "PAY_PER_REQUEST") {
    s.read_capacity = s.write_capacity = 0;
    for (auto& i : s.indexes) i.read_capacity = i.write_capacity = 0;
  } else if (r.throughput) {
    s.read_capacity = r.throughput->read;
    s.write_capacity = r.throughput->write;
  }
}

// "HASH" or "RANGE": how the defined attribute `name` serves as a key of the
// table or, failing that, of its first index that has it.
std::string key_role(const TableSchema& s, const std::string& name) {
  if (s.partition_key.name == name) return "HASH";
  if (s.sort_key && s.sort_key->name == name) return "RANGE";
  auto named = [&](const storage::KeyAttribute* k) { return k->name == name; };
  for (const auto& i : s.indexes) {
    auto pks = i.partition_keys(), sks = i.sort_keys();
    if (std::any_of(pks.begin(), pks.end(), named)) return "HASH";
    if (std::any_of(sks.begin(), sks.end(), named)) return "RANGE";
  }
  return "HASH";  // not reached: every definition is some key's
}

// A new index's key attribute keeps the type the table already defines.
void check_not_redefined(const IndexDefinition& d,
                         const std::vector<storage::KeyAttribute>& requested,
                         const TableSchema& s) {
  auto type_in = [](const std::vector<storage::KeyAttribute>& defs,
                    const std::string& name) {
    auto it = std::find_if(defs.begin(), defs.end(),
                           [&](const auto& a) { return a.name == name; });
    return it == defs.end() ? std::optional<model::Type>() : it->type;
  };
  for (const auto& k : d.keys) {
    auto now = type_in(s.attribute_definitions, k.name);
    auto asked = type_in(requested, k.name);
    if (!now || !asked || *now == *asked) continue;
    auto element = [&](model::Type t, const std::string& role) {
      return "Schema:[SchemaElement: key{" + k.name + ":" + model::type_name(t) + ":" +
             role + "}]";
    };
    throw ApiError::validation(kInvalid +
                               "Attributes cannot be redefined. Please check that your "
                               "attribute has the same type "
                               "as previously defined. Existing schema: " +
                               element(*now, key_role(s, k.name)) +
                               " New schema: " + element(*asked, k.key_type));
  }
}

void create_index(const Request& r, const IndexDefinition& d, TableSchema& s) {
  if (find(s, d.name))
    throw ApiError::validation("Attempting to create an index which already exists");
  if (!r.definitions)
    throw ApiError::validation(
        kInvalid + "AttributeDefinitions is not specified for index: " + d.name);
  // The request's definitions add to the table's; DynamoDB wants the new
  // index's keys among them.
  std::vector<storage::KeyAttribute> defs = s.attribute_definitions;
  for (const auto& a : *r.definitions)
    if (std::none_of(defs.begin(), defs.end(),
                     [&](const auto& x) { return x.name == a.name; }))
      defs.push_back(a);
  check_index_definition(d, *r.definitions, true);
  check_not_redefined(d, *r.definitions, s);
  check_projection(d);
  if (s.billing_mode == "PROVISIONED" && !d.throughput)
    throw ApiError::validation(
        kInvalid + "ProvisionedThroughput must be specified for index: " + d.name);
  if (s.billing_mode == "PAY_PER_REQUEST" && d.throughput)
    throw ApiError::validation(kInvalid +
                               "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                               "specified for index: " +
                               d.name + " when BillingMode is PAY_PER_REQUEST");
  IndexSchema index = make_index(d, defs, true);
  index.state = IndexSchema::State::kCreating;
  s.attribute_definitions = defs;
  s.indexes.push_back(std::move(index));
  check_projected_total(s.indexes);
  s.prune_attribute_definitions();
}

void delete_index(const std::string& name, TableSchema& s) {
  IndexSchema* index = find(s, name);
  if (!index)
    throw ApiError::resource_not_found("Requested resource not found: Index " + name +
                                       " for table " + s.name);
  if (!index->global)
    throw ApiError::validation(
        "Cannot delete an index that is not a GlobalSecondaryIndex: " + name);
  index->state = IndexSchema::State::kDeleting;
}

void update_index(const std::string& name, const Throughput& t, TableSchema& s) {
  IndexSchema* index = find(s, name);
  if (!index)
    throw ApiError::resource_not_found("Requested resource not found: Index " + name +
                                       " for table " + s.name);
  if (!index->global)
    throw ApiError::validation(
        "Cannot update an index that is not a GlobalSecondaryIndex: " + name);
  if (s.billing_mode == "PAY_PER_REQUEST")
    throw ApiError::validation(kInvalid + "The only Updates for index: " + name +
                               " when TableThroughputMode is PAY_PER_REQUEST can be to "
                               "OnDemandThroughput, WarmThroughput");
  index->read_capacity = t.read;
  index->write_capacity = t.write;
}

// The table's next schema, under DynamoDB's rules in its order.
TableSchema change_schema(const Request& r, const TableSchema& current,
                          std::string_view region) {
  TableSchema s = current;
  int online = 0;  // creates and deletes
  for (const auto& u : r.index_updates) {
    if (u.actions == 0)
      throw ApiError::validation(kInvalid +
                                 "One of GlobalSecondaryIndexUpdate.Update, "
                                 "GlobalSecondaryIndexUpdate.Create, "
                                 "GlobalSecondaryIndexUpdate.Delete must not be null");
    if (u.actions > 1)
      throw ApiError::validation(kInvalid +
                                 "Only one global secondary index action is allowed per "
                                 "GlobalSecondaryIndexUpdate object");
    online += u.create || u.delete_name ? 1 : 0;
  }
  bool busy = std::any_of(s.indexes.begin(), s.indexes.end(), [](const IndexSchema& i) {
    return i.state != IndexSchema::State::kActive;
  });
  if (online > 1 || (online == 1 && busy))
    throw ApiError::limit_exceeded(
        "Subscriber limit exceeded: Only 1 online index can be created or deleted "
        "simultaneously per table");
  if (online == 1 && r.throughput)
    throw ApiError::validation(
        "You cannot create or delete index while updating table IOPS");
  apply_capacity(r, s);
  for (const auto& u : r.index_updates) {
    if (u.create) create_index(r, *u.create, s);
    if (u.delete_name) delete_index(*u.delete_name, s);
    if (u.update_name) update_index(*u.update_name, *u.update_throughput, s);
  }
  if (r.settings.any()) apply_update_settings(r.settings, region, s);
  if (r.stream) apply_stream_specification(*r.stream, s, false);
  return s;
}

}  // namespace

void update_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  Request r = read_request(p);
  if (r.stream && r.stream->enabled) refuse_in_cluster(ctx, "DynamoDB Streams");
  if (!r.billing_mode && !r.throughput && r.index_updates.empty() && !r.settings.any() &&
      !r.stream)
    throw ApiError::validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
        "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
        "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is "
        "required");
  // A rule of the request's shape: checked before the table is looked up.
  const int other_changes = (r.billing_mode ? 1 : 0) + (r.throughput ? 1 : 0) +
                            (r.stream ? 1 : 0) + static_cast<int>(r.index_updates.size());
  check_settings_alone(r.settings, other_changes, r.billing_mode.has_value());
  TableSchema next = ctx.catalog.update_schema(r.table, [&](const TableSchema& current) {
    return change_schema(r, current, ctx.config.region);
  });
  auto table = ctx.catalog.find(r.table);
  out.StartObject();
  out.Key("TableDescription");
  // The schema as changed, so a deleted index shows DELETING even when its
  // keyspace is already gone.
  write_table_description(next, table ? ctx.catalog.stats(*table) : storage::Table::Stats{},
                          "UPDATING", ctx.config.region, out);
  out.EndObject();
}

}  // namespace jormun::ops
