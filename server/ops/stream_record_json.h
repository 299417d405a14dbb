// A stream record as GetRecords answers with it (DynamoDB Streams' Record).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/attribute_json.h"
#include "storage/stream_record.h"
#include "storage/table_schema.h"

namespace jormun::ops {

// The eventID of record `sequence` of stream `stream`: 32 hex digits,
// unique per table.
std::string stream_event_id(uint64_t stream, uint64_t sequence);

// Writes record `sequence` of `stream` (from `region`) as a Record object.
void write_stream_record(const storage::StreamRecord& record,
                         const storage::StreamSchema& stream, uint64_t sequence,
                         std::string_view region, model::JsonWriter& w);

}  // namespace jormun::ops
