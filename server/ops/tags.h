// TagResource, UntagResource, ListTagsOfResource: a table's tags, by its
// ARN, kept in the catalog with its schema.
#pragma once

#include <vector>

#include "ops/context.h"
#include "ops/tag_rules.h"

namespace jormun::ops {

void tag_resource(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void untag_resource(Context& ctx, const rapidjson::Value& request,
                    model::JsonWriter& out);
void list_tags_of_resource(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out);

// A Tags member (TagResource, CreateTable) with its JSON types checked
// (SerializationException otherwise); the tags themselves are checked later
// by check_tags, in DynamoDB's order.
std::vector<TagInput> read_tag_list(const rapidjson::Value& list);

}  // namespace jormun::ops
