#include "ops/stream_specification.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/api_error.h"
#include "common/clock.h"
#include "ops/table_description.h"

namespace jormun::ops {
namespace {

using storage::StreamSchema;

constexpr std::pair<StreamSchema::View, std::string_view> kViews[] = {
    {StreamSchema::View::kNewImage, "NEW_IMAGE"},
    {StreamSchema::View::kOldImage, "OLD_IMAGE"},
    {StreamSchema::View::kNewAndOldImages, "NEW_AND_OLD_IMAGES"},
    {StreamSchema::View::kKeysOnly, "KEYS_ONLY"},
};

// A stream's label: its creation time in UTC with milliseconds, as DynamoDB
// writes it ("2026-10-08T23:07:31.275").
std::string label_at(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];  // room for any int values, so the compiler sees no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

// A label later than every label of `s`: two streams enabled within one
// millisecond would otherwise share an ARN.
std::string next_label(const storage::TableSchema& s) {
  // The server clock: a stream's first shard is as old as its label says
  // (storage/stream_shards.h), also when tests move the clock.
  std::chrono::system_clock::time_point t{std::chrono::milliseconds(clock::now_ms())};
  std::string label = label_at(t);
  while (!s.streams.empty() && label <= s.streams.back().label) {
    t += std::chrono::milliseconds(1);
    label = label_at(t);
  }
  return label;
}

}  // namespace

const char* view_name(StreamSchema::View view) {
  for (const auto& [v, n] : kViews)
    if (v == view) return n.data();
  return "KEYS_ONLY";
}

std::optional<StreamRequest> read_stream_specification(Params& p) {
  const rapidjson::Value* spec = p.object("StreamSpecification");
  if (!spec) return std::nullopt;
  Params sp(*spec);
  StreamRequest r;
  auto enabled = sp.boolean("StreamEnabled");
  p.not_null(enabled ? &*enabled : nullptr, "streamSpecification.streamEnabled");
  r.enabled = enabled.value_or(false);
  auto view = sp.string("StreamViewType");
  p.one_of(view, "streamSpecification.streamViewType",
           {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"});
  if (view)
    for (const auto& [v, n] : kViews)
      if (*view == n) r.view = v;
  return r;
}

void apply_stream_specification(const StreamRequest& r, storage::TableSchema& s,
                                bool creating) {
  const std::string kInvalid = "One or more parameter values were invalid: ";
  if (r.enabled && !r.view)
    throw ApiError::validation(
        kInvalid + "If stream is being enabled then UpdateViewType is required");
  if (!r.enabled && r.view)
    throw ApiError::validation(
        kInvalid +
        "If stream is being disabled, then UpdateViewType must not be specified");
  if (r.enabled) {
    if (s.enabled_stream())
      throw ApiError::validation("Table already has an enabled stream: TableName: " +
                                 s.name);
    StreamSchema stream;
    stream.number = s.streams.empty() ? 1 : s.streams.back().number + 1;
    stream.label = next_label(s);
    stream.view = *r.view;
    s.streams.push_back(std::move(stream));
    return;
  }
  if (creating) return;
  if (!s.enabled_stream())
    throw ApiError::validation("Table has no stream to disable: TableName: " + s.name);
  s.streams.back().enabled = false;
}

std::string stream_arn(std::string_view region, std::string_view table,
                       std::string_view label) {
  return table_arn(region, table) + "/stream/" + std::string(label);
}

void write_enabled_stream(std::string_view key, const storage::TableSchema& s,
                          model::JsonWriter& w) {
  const StreamSchema* stream = s.enabled_stream();
  if (!stream) return;
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartObject();
  w.Key("StreamEnabled");
  w.Bool(true);
  w.Key("StreamViewType");
  w.String(view_name(stream->view));
  w.EndObject();
}

void write_stream_members(const storage::TableSchema& s, std::string_view region,
                          model::JsonWriter& w) {
  write_enabled_stream("StreamSpecification", s, w);
  if (s.streams.empty()) return;
  w.Key("LatestStreamLabel");
  w.String(s.streams.back().label);
  w.Key("LatestStreamArn");
  w.String(stream_arn(region, s.name, s.streams.back().label));
}

}  // namespace jormun::ops
