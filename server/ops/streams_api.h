// The DynamoDB Streams API (X-Amz-Target DynamoDBStreams_20120810.<name>):
// ListStreams, DescribeStream, GetShardIterator, GetRecords. Each stream has
// one shard, open while the stream is enabled and closed once it is
// disabled; shards do not roll over and records are not trimmed
// (docs/streams.md).
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void list_streams(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void describe_stream(Context& ctx, const rapidjson::Value& request,
                     model::JsonWriter& out);
void get_shard_iterator(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out);
void get_records(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
