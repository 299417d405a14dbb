// This server's identity in replication (docs/replication.md), kept in
// <data_dir>/replication/identity.json: a random id made at its first
// start, which a primary's followers learn as its PrimaryId, and, once a
// follower has been promoted, the id of the primary it followed. The data
// dir's record wins over the config: a promoted follower stays a primary
// across restarts whatever replication.follow says.
#pragma once

#include <mutex>
#include <optional>
#include <string>

namespace jormun::storage {

class ReplicationIdentity {
 public:
  // Reads the file, or writes it with a new id when there is none. Throws
  // std::runtime_error when it cannot be read or written.
  explicit ReplicationIdentity(const std::string& data_dir);

  // 32 lowercase hex digits.
  const std::string& id() const { return id_; }
  // The PrimaryId this server followed until it was promoted, or nullopt.
  std::optional<std::string> promoted_from() const;
  // Records, durably, that this server was promoted from following the
  // primary `primary_id`. Throws std::runtime_error when it cannot write.
  void promote(const std::string& primary_id);

 private:
  void write_locked() const;

  std::string path_;
  std::string id_;
  mutable std::mutex mu_;
  std::optional<std::string> promoted_from_;
};

}  // namespace jormun::storage
