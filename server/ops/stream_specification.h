// StreamSpecification of CreateTable and UpdateTable: reading it, applying
// it to a table's schema under DynamoDB's rules, and the stream members of
// a TableDescription.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/attribute_json.h"
#include "ops/params.h"
#include "storage/table_schema.h"

namespace jormun::ops {

struct StreamRequest {
  bool enabled = false;
  std::optional<storage::StreamSchema::View> view;
};

// The StreamSpecification member; nullopt when absent. Member violations
// (StreamEnabled missing, an unknown StreamViewType) go to `p`.
std::optional<StreamRequest> read_stream_specification(Params& p);

// Enables a new stream on `s` (numbered and labelled after its last one) or
// disables the current one. Throws DynamoDB's ValidationException when the
// view type is missing or superfluous, or when `s` already has an enabled
// stream (`creating`: the table is new, so a disabled request does nothing).
void apply_stream_specification(const StreamRequest& r, storage::TableSchema& s,
                                bool creating);

// DynamoDB's name of a view type ("NEW_AND_OLD_IMAGES").
const char* view_name(storage::StreamSchema::View view);

// The ARN of `table`'s stream labelled `label`.
std::string stream_arn(std::string_view region, std::string_view table,
                       std::string_view label);

// `key` with {StreamEnabled: true, StreamViewType} while `s` has an enabled
// stream (a description's StreamSpecification, a backup's
// StreamDescription); nothing otherwise.
void write_enabled_stream(std::string_view key, const storage::TableSchema& s,
                          model::JsonWriter& w);

// StreamSpecification (while a stream is enabled), LatestStreamArn and
// LatestStreamLabel (once the table has had a stream, enabled or not).
void write_stream_members(const storage::TableSchema& s, std::string_view region,
                          model::JsonWriter& w);

}  // namespace jormun::ops
