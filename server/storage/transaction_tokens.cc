#include "storage/transaction_tokens.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "common/log.h"
#include "storage/table.h"

namespace jormun::storage {
namespace {

// A record's value: the time (milliseconds since the epoch, 8 bytes big
// endian), then the fingerprint. DO NOT CHANGE: on disk.
std::string encode_value(const std::string& fingerprint,
                         std::chrono::system_clock::time_point used) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      used.time_since_epoch())
                      .count();
  std::string out;
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(uint64_t(ms) >> (8 * i)));
  return out + fingerprint;
}

// The time of a record's value; nullopt when the value is too short to hold it.
std::optional<std::chrono::system_clock::time_point> decode_time(std::string_view value) {
  if (value.size() < 8) return std::nullopt;
  uint64_t ms = 0;
  for (int i = 0; i < 8; ++i) ms = ms << 8 | static_cast<uint8_t>(value[i]);
  return std::chrono::system_clock::time_point{std::chrono::milliseconds(ms)};
}

}  // namespace

TransactionTokens::Seen TransactionTokens::claim(const std::string& token,
                                                 const std::string& fingerprint) {
  std::lock_guard lock(mu_);
  auto it = committed_.find(token);
  if (it != committed_.end() && Clock::now() - it->second.used < kLife)
    return it->second.fingerprint == fingerprint ? Seen::kCommitted : Seen::kOtherRequest;
  if (!running_.insert(token).second) return Seen::kInProgress;
  return Seen::kNew;
}

std::string TransactionTokens::record_value(const std::string& fingerprint) {
  return encode_value(fingerprint, Clock::now());
}

TransactionTokens::Seen TransactionTokens::judge(std::string_view record,
                                                 const std::string& fingerprint) {
  const auto used = decode_time(record);
  if (!used || Clock::now() - *used >= kLife) return Seen::kNew;
  return record.substr(8) == fingerprint ? Seen::kCommitted : Seen::kOtherRequest;
}

void TransactionTokens::finish(const std::string& token, const std::string& fingerprint,
                               const std::shared_ptr<Table>& where, std::string record_key) {
  std::vector<std::pair<std::shared_ptr<Table>, std::string>> expired;
  {
    std::lock_guard lock(mu_);
    running_.erase(token);
    const auto now = Clock::now();
    committed_[token] = Entry{fingerprint, now, where, std::move(record_key)};
    order_.emplace_back(now, token);
    // Oldest first: the front is the first to expire.
    while (!order_.empty() && now - order_.front().first >= kLife) {
      auto it = committed_.find(order_.front().second);
      if (it != committed_.end() && it->second.used == order_.front().first) {
        if (auto table = it->second.table.lock())
          expired.emplace_back(std::move(table), it->second.record_key);
        committed_.erase(it);
      }
      order_.pop_front();
    }
  }
  // Outside the lock: deleting is an engine write.
  for (auto& [table, key] : expired) {
    try {
      table->delete_records({key}, false);
    } catch (const std::exception& e) {
      // Left for the next start-up, which deletes expired records too.
      log::error("deleting an expired transaction token: " + std::string(e.what()));
    }
  }
}

void TransactionTokens::abandon(const std::string& token) {
  std::lock_guard lock(mu_);
  running_.erase(token);
}

void TransactionTokens::load(const std::shared_ptr<Table>& table) {
  const auto now = Clock::now();
  std::vector<std::string> expired;
  std::lock_guard lock(mu_);
  table->for_each_record(kRecordKind, [&](std::string_view key, std::string_view name,
                                          std::string_view value) {
    const auto time = decode_time(value);
    if (!time) return;
    const Clock::time_point used = *time;
    if (now - used >= kLife) {
      expired.emplace_back(key);
      return;
    }
    std::string token(name);
    auto it = committed_.find(token);
    if (it == committed_.end() || it->second.used < used) {
      committed_[token] = Entry{std::string(value.substr(8)), used, table, std::string(key)};
      order_.emplace_back(used, std::move(token));
    }
  });
  table->delete_records(expired, true);
  std::sort(order_.begin(), order_.end());
}

}  // namespace jormun::storage
