#include "ops/tags.h"

#include <functional>
#include <memory>

#include "common/api_error.h"
#include "ops/params.h"
#include "ops/resource_arn.h"

namespace jormun::ops {
namespace {

// DynamoDB reads ResourceArn before anything else (its authorization needs
// it): without one, this is the whole answer, whatever else is missing.
std::string_view required_arn(const Params& p) {
  auto arn = p.string("ResourceArn");
  if (!arn) throw ApiError::validation("Invalid TableArn");
  return *arn;
}

// The table `name` (from `arn`), which must exist.
std::shared_ptr<storage::Table> require(Context& ctx, const std::string& name,
                                        std::string_view arn) {
  auto table = ctx.catalog.find(name);
  if (!table) resource_arn_not_found(arn);
  return table;
}

// Replaces the table's tags with change(tags), under the catalog's lock so
// concurrent tag changes of one table serialise, and persists them.
void change_tags(
    Context& ctx, std::string_view arn, const std::string& name,
    const std::function<std::vector<storage::Tag>(std::vector<storage::Tag>)>& change) {
  try {
    ctx.catalog.update_schema(name, [&](const storage::TableSchema& current) {
      storage::TableSchema next = current;
      next.tags = change(current.tags);
      return next;
    });
  } catch (const ApiError& e) {
    // Dropped since require found it: answered as for any unknown ARN.
    if (e.type() == "ResourceNotFoundException") resource_arn_not_found(arn);
    throw;
  }
}

}  // namespace

std::vector<TagInput> read_tag_list(const rapidjson::Value& list) {
  Params::expect_list(list);
  std::vector<TagInput> tags;
  for (const auto& e : list.GetArray()) {
    Params::expect_object(e);
    Params tag(e);
    TagInput t;
    if (auto k = tag.string("Key")) t.key = std::string(*k);
    if (auto v = tag.string("Value")) t.value = std::string(*v);
    tags.push_back(std::move(t));
  }
  return tags;
}

void tag_resource(Context& ctx, const rapidjson::Value& request, model::JsonWriter&) {
  Params p(request);
  std::string_view arn = required_arn(p);
  const rapidjson::Value* list = p.list("Tags");
  std::vector<TagInput> given;
  if (list) given = read_tag_list(*list);
  p.not_null(list, "tags");
  p.check();
  std::string name = table_of_resource_arn(arn, ctx.config.region);
  if (given.empty())
    throw ApiError::validation("Atleast one Tag needs to be provided as Input.");
  std::vector<storage::Tag> tags = check_tags(given);
  require(ctx, name, arn);
  change_tags(ctx, arn, name, [&](std::vector<storage::Tag> current) {
    return merge_tags(std::move(current), tags);
  });
  // DynamoDB's answer has an empty body: nothing is written.
}

void untag_resource(Context& ctx, const rapidjson::Value& request, model::JsonWriter&) {
  Params p(request);
  std::string_view arn = required_arn(p);
  const rapidjson::Value* list = p.list("TagKeys");
  std::vector<std::optional<std::string>> given;
  if (list)
    for (const auto& k : list->GetArray())
      given.emplace_back(k.IsNull() ? std::nullopt
                                    : std::optional<std::string>(Params::string_at(k)));
  p.not_null(list, "tagKeys");
  p.check();
  std::string name = table_of_resource_arn(arn, ctx.config.region);
  if (given.empty())
    throw ApiError::validation("Atleast one Tag Key needs to be provided as Input.");
  std::vector<std::string> keys = check_tag_keys(given);
  require(ctx, name, arn);
  change_tags(ctx, arn, name, [&](std::vector<storage::Tag> current) {
    return remove_tags(std::move(current), keys);
  });
}

void list_tags_of_resource(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out) {
  Params p(request);
  std::string_view arn = required_arn(p);
  auto token = p.string("NextToken");
  p.check();
  std::string name = table_of_resource_arn(arn, ctx.config.region);
  auto table = require(ctx, name, arn);
  TagPage page = page_tags(table->schema().tags, token);
  out.StartObject();
  out.Key("Tags");
  out.StartArray();
  for (const auto& t : page.tags) {
    out.StartObject();
    out.Key("Key");
    out.String(t.key);
    out.Key("Value");
    out.String(t.value);
    out.EndObject();
  }
  out.EndArray();
  if (page.next_token) {
    out.Key("NextToken");
    out.String(*page.next_token);
  }
  out.EndObject();
}

}  // namespace jormun::ops
