// Which primary a read replica's data came from: the PrimaryId recorded in
// <data_dir>/replication/follower.json when the replica first copies a
// primary's tables. A replica that finds another primary at its URL (a
// failover, a primary rebuilt from nothing) copies every table again rather
// than mix two histories.
#pragma once

#include <optional>
#include <string>

namespace jormun::replication {

// The recorded PrimaryId, or nullopt when none was recorded. Throws
// storage::DataDirError when the file is there but unreadable.
std::optional<std::string> read_followed_primary(const std::string& data_dir);

// Records `primary_id`, durably. Throws std::runtime_error.
void write_followed_primary(const std::string& data_dir, const std::string& primary_id);

}  // namespace jormun::replication
