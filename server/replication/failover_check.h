// A primary's check at start-up (docs/replication.md, "Failover safety"):
// while it was down, one of its followers may have been promoted and taken
// writes; starting as a primary again would fork the data. It asks every
// follower it knows (<data_dir>/replication/followers.json) for its role.
#pragma once

#include <optional>
#include <string>

namespace jormun::replication {

// The URL of a known follower that answers it is a primary promoted from
// `own_id` (this server's replication id), or nullopt. Followers are asked
// 32 at a time, each with one request that ends within 2 s whatever the
// follower does (a frozen one accepts the connection and never answers);
// those that do not answer are logged and passed over.
// Followers at https URLs are trusted through the CAs of `ca_file`
// (replication.ca_file; empty: the system's).
std::optional<std::string> promoted_follower(const std::string& data_dir,
                                             const std::string& own_id,
                                             const std::string& ca_file);

}  // namespace jormun::replication
