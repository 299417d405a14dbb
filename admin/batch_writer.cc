#include "admin/batch_writer.h"

#include <chrono>
#include <thread>

#include "admin/json_text.h"

namespace jormun::admin {
namespace {

constexpr size_t kBatchSize = 25;  // BatchWriteItem's limit

}  // namespace

BatchWriter::BatchWriter(Client& client, std::string table, Refusal on_refusal)
    : client_(client), table_(std::move(table)), on_refusal_(std::move(on_refusal)) {}

void BatchWriter::put(uint64_t line, const std::string& key, std::string item_json) {
  if (keys_.contains(key)) flush();
  keys_.insert(key);
  pending_.push_back({line, std::move(item_json)});
  if (pending_.size() == kBatchSize) flush();
}

void BatchWriter::flush() {
  if (pending_.empty()) return;
  std::string requests = "[";
  for (const auto& p : pending_) {
    if (requests.size() > 1) requests += ',';
    requests += "{\"PutRequest\":{\"Item\":" + p.item_json + "}}";
  }
  requests += "]";
  try {
    send_batch(std::move(requests));
    written_ += pending_.size();
  } catch (const ApiFailure& e) {
    if (e.type() != "ValidationException") throw;
    // One bad item fails the whole batch: find it, and put the others.
    put_one_by_one();
  }
  pending_.clear();
  keys_.clear();
}

void BatchWriter::send_batch(std::string request_items) {
  auto delay = std::chrono::milliseconds(50);
  for (;;) {
    rapidjson::Document answer =
        client_.call("BatchWriteItem", "{\"RequestItems\":{" + json_string(table_) + ":" +
                                           request_items + "}}");
    auto unprocessed = answer.FindMember("UnprocessedItems");
    if (unprocessed == answer.MemberEnd() || !unprocessed->value.IsObject()) return;
    auto left = unprocessed->value.FindMember(table_.c_str());
    if (left == unprocessed->value.MemberEnd() || !left->value.IsArray() ||
        left->value.Empty())
      return;
    request_items = json_text(left->value);
    // As the SDKs advise: back off before sending what was not processed.
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
  }
}

void BatchWriter::put_one_by_one() {
  for (const auto& p : pending_) {
    try {
      client_.call("PutItem",
                   "{\"TableName\":" + json_string(table_) + ",\"Item\":" + p.item_json + "}");
      ++written_;
    } catch (const ApiFailure& e) {
      if (e.type() != "ValidationException") throw;
      on_refusal_(p.line, e.what());
    }
  }
}

}  // namespace jormun::admin
