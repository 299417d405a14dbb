#include "ops/stream_record_json.h"

#include <cstdio>

#include "ops/stream_specification.h"

namespace jormun::ops {
namespace {

const char* event_name(storage::StreamRecord::Event e) {
  switch (e) {
    case storage::StreamRecord::Event::kInsert:
      return "INSERT";
    case storage::StreamRecord::Event::kModify:
      return "MODIFY";
    case storage::StreamRecord::Event::kRemove:
      return "REMOVE";
  }
  return "MODIFY";
}

}  // namespace

std::string stream_event_id(uint64_t stream, uint64_t sequence) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx",
                static_cast<unsigned long long>(stream),
                static_cast<unsigned long long>(sequence));
  return buf;
}

void write_stream_record(const storage::StreamRecord& r,
                         const storage::StreamSchema& stream, uint64_t sequence,
                         std::string_view region, model::JsonWriter& w) {
  w.StartObject();
  w.Key("eventID");
  w.String(stream_event_id(stream.number, sequence));
  w.Key("eventName");
  w.String(event_name(r.event));
  w.Key("eventVersion");
  w.String("1.1");
  w.Key("eventSource");
  w.String("aws:dynamodb");
  w.Key("awsRegion");
  w.String(region.data(), region.size());
  w.Key("dynamodb");
  w.StartObject();
  // Whole seconds, as DynamoDB Streams gives it.
  w.Key("ApproximateCreationDateTime");
  w.Int64(r.time_ms / 1000);
  w.Key("Keys");
  model::write_item(r.keys, w);
  if (r.new_image) {
    w.Key("NewImage");
    model::write_item(*r.new_image, w);
  }
  if (r.old_image) {
    w.Key("OldImage");
    model::write_item(*r.old_image, w);
  }
  w.Key("SequenceNumber");
  w.String(storage::format_sequence(sequence));
  w.Key("SizeBytes");
  w.Uint64(storage::stream_record_size(r));
  w.Key("StreamViewType");
  w.String(view_name(stream.view));
  w.EndObject();
  if (r.by_service) {
    w.Key("userIdentity");
    w.StartObject();
    w.Key("PrincipalId");
    w.String("dynamodb.amazonaws.com");
    w.Key("Type");
    w.String("Service");
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace jormun::ops
