// ClientRequestTokens of TransactWriteItems. A token used again within
// kLife with the same request answers as the first time without writing
// again; with another request it is a mismatch; while the first is still
// running, it is in progress.
//
// A committed transaction's token is a record (kind kRecordKind, named by
// the token, holding the time and fingerprint) in the transactions keyspace
// of one of its tables, written in the
// transaction's own commit (WriteSet::stage_record): the token is durable
// exactly when the transaction is, and survives a restart (load). Expired
// records are deleted as tokens are used, and at start-up. Memory: one
// entry per token used in the last kLife.
//
// Where other processes share the tables (front ends of a cluster), this
// process's entries do not know their tokens: a request the entries call
// new reads the record where every process looks for it (WriteSet::
// read_record) and asks judge(); its commit expects that record unchanged,
// so of two processes committing one token, one conflicts and, trying
// again, finds the other's record.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace jormun::storage {

class Table;

class TransactionTokens {
 public:
  static constexpr std::chrono::minutes kLife{10};
  static constexpr char kRecordKind = 't';

  enum class Seen {
    kNew,           // claimed by the caller: run it, then finish()
    kCommitted,     // the same request committed within kLife
    kOtherRequest,  // used within kLife by a different request
    kInProgress,    // the same token is running now
  };

  // Looks `token` up for a request whose canonical form hashes to
  // `fingerprint`; on kNew the caller holds the claim until finish().
  Seen claim(const std::string& token, const std::string& fingerprint);
  // The value of the record to stage with the transaction (name: the
  // token).
  static std::string record_value(const std::string& fingerprint);
  // What a stored record value says of the token for a request hashing to
  // `fingerprint`: kCommitted, kOtherRequest, or kNew once expired.
  static Seen judge(std::string_view record, const std::string& fingerprint);
  // Ends a claim whose transaction committed, with its record under
  // `record_key` in `where`.
  void finish(const std::string& token, const std::string& fingerprint,
              const std::shared_ptr<Table>& where, std::string record_key);
  // Ends a claim whose transaction did not commit: the token is free again,
  // as DynamoDB lets a failed request be retried.
  void abandon(const std::string& token);

  // Start-up: reads `table`'s token records, deleting expired ones.
  void load(const std::shared_ptr<Table>& table);

 private:
  using Clock = std::chrono::system_clock;
  struct Entry {
    std::string fingerprint;
    Clock::time_point used;
    std::weak_ptr<Table> table;
    std::string record_key;
  };
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> committed_;
  // (time, token) of committed_'s entries, oldest first, for expiry; an
  // entry whose token was used again since is skipped.
  std::deque<std::pair<Clock::time_point, std::string>> order_;
  std::set<std::string, std::less<>> running_;
};

}  // namespace jormun::storage
