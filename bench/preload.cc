#include "preload.h"

#include <algorithm>

#include "answer_checks.h"

namespace jormun::bench {

namespace {
constexpr uint64_t kMaxBatch = 25;
// Keeps a batch of large items near 1 MB, a request size any server takes.
constexpr uint64_t kBatchBytes = 1 << 20;
}  // namespace

Preload::Preload(std::string table, TableShape shape, uint64_t keys, size_t item_size)
    : table_(std::move(table)),
      shape_(shape),
      keys_(keys),
      chunk_(std::clamp<uint64_t>(kBatchBytes / std::max<size_t>(item_size, 1), 1,
                                  kMaxBatch)) {}

bool Preload::begin(Session& s) {
  const uint64_t first = next_.fetch_add(chunk_);
  if (first >= keys_) return false;
  s.kind = OpKind::load;
  s.batch.clear();
  for (uint64_t i = first; i < std::min(first + chunk_, keys_); ++i) s.batch.push_back(i);
  s.step = 0;
  if (single_puts_.load(std::memory_order_relaxed)) {
    put_next(s);
  } else {
    s.op = Operation::BatchWriteItem;
    s.request.batch_write(table_, shape_, s.batch);
  }
  return true;
}

void Preload::put_next(Session& s) {
  s.op = Operation::PutItem;
  s.request.put_item(table_, shape_, s.batch[s.step]);
}

Verdict Preload::judge(Session& s, const rapidjson::Document& answer) {
  if (s.op == Operation::PutItem) {
    if (++s.step == s.batch.size()) return Verdict::done;
    put_next(s);
    return Verdict::again;
  }
  if (!answer.IsObject()) return Verdict::done;
  auto left = answer.FindMember("UnprocessedItems");
  if (left == answer.MemberEnd() || !left->value.IsObject() ||
      left->value.MemberCount() == 0)
    return Verdict::done;
  s.request.batch_write_unprocessed(to_json(left->value));
  return Verdict::again;
}

bool Preload::fall_back(Session& s) {
  if (s.op != Operation::BatchWriteItem) return false;
  single_puts_.store(true, std::memory_order_relaxed);
  s.step = 0;
  put_next(s);
  return true;
}

}  // namespace jormun::bench
