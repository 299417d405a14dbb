// A primary's check at start-up (docs/replication.md, "Failover safety"):
// while it was down, one of its followers may have been promoted and taken
// writes; starting as a primary again would fork the data. It asks every
// follower it knows (<data_dir>/replication/followers.json) for its role.
#pragma once

#include <optional>
#include <string>

namespace jormun::replication {

// The URL of a known follower that answers it is a primary promoted from
// `own_id` (this server's replication id), or nullopt. Followers that do
// not answer within a short timeout are logged and passed over.
std::optional<std::string> promoted_follower(const std::string& data_dir,
                                             const std::string& own_id);

}  // namespace jormun::replication
