// Puts items with BatchWriteItem, 25 at a time, resending UnprocessedItems
// until the server took them all.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "client/client.h"

namespace jormun::admin {

// The HTTP client lives below the server (server/client/): one copy for both.
using client::Client;
using client::ApiFailure;

class BatchWriter {
 public:
  // Called for an item the server refuses (ValidationException, e.g. an
  // item over 400 KB) with its line and DynamoDB's message; the item is
  // left out. Throwing from it stops the import.
  using Refusal = std::function<void(uint64_t line, const std::string& message)>;

  BatchWriter(Client& client, std::string table, Refusal on_refusal);

  // Queues the item (compact DynamoDB JSON) read from `line`; sends the
  // queue once it holds 25, or first when it already holds the same key
  // (BatchWriteItem refuses a batch with a key twice).
  void put(uint64_t line, const std::string& key, std::string item_json);
  // Sends what is queued.
  void flush();
  // Items the server has taken.
  uint64_t written() const { return written_; }

 private:
  struct Pending {
    uint64_t line;
    std::string item_json;
  };
  void send_batch(std::string request_items);
  void put_one_by_one();

  Client& client_;
  std::string table_;
  Refusal on_refusal_;
  std::vector<Pending> pending_;
  std::unordered_set<std::string> keys_;
  uint64_t written_ = 0;
};

}  // namespace jormun::admin
