#include "ops/item_request.h"

#include "common/api_error.h"

namespace jormun::ops {

std::shared_ptr<storage::Table> require_item_table(Context& ctx, const std::string& name) {
  auto table = ctx.catalog.find(name);
  if (!table) throw ApiError::resource_not_found("Requested resource not found");
  return table;
}

ReturnValues read_return_values(Params& p) {
  auto v = p.string("ReturnValues");
  p.one_of(v, "returnValues", {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"});
  if (!v || *v == "NONE") return ReturnValues::kNone;
  if (*v == "ALL_OLD") return ReturnValues::kAllOld;
  if (*v == "UPDATED_OLD") return ReturnValues::kUpdatedOld;
  if (*v == "ALL_NEW") return ReturnValues::kAllNew;
  return ReturnValues::kUpdatedNew;
}

bool read_old_on_failure(Params& p) {
  auto v = p.string("ReturnValuesOnConditionCheckFailure");
  p.one_of(v, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
  return v && *v == "ALL_OLD";
}

const rapidjson::Value* required_object(Params& p, const char* member) {
  const rapidjson::Value* v = p.object(member);
  p.not_null(v, lower_first(member));
  return v;
}

void write_attributes(const model::Item& item, model::JsonWriter& out) {
  if (item.empty()) return;
  out.Key("Attributes");
  model::write_item(item, out);
}

}  // namespace jormun::ops
