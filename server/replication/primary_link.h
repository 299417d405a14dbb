// A read replica's side of the wire to its primary (docs/replication.md):
// the Jormun replication actions, called over one keep-alive connection
// (client::Client, SigV4-signed with replication.access_key_id when set),
// their answers read into plain structs. Throws client::ApiFailure for an
// error answer, std::runtime_error when the primary cannot be reached or
// answers something that is not the protocol.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/client.h"
#include "config/replication_config.h"
#include "model/attribute_value.h"
#include "replication/log_units.h"
#include "storage/table_schema.h"

namespace jormun::replication {

struct PrimaryCatalog {
  std::string primary_id;
  std::string version;
  std::vector<storage::TableSchema> tables;  // with the primary's ids
};

struct Snapshot {
  std::string id;
  storage::TableSchema schema;
  uint64_t log_position = 0;
};

struct SnapshotPage {
  std::vector<model::Item> items;
  std::optional<std::string> last_key;  // base64, as the primary gave it
};

// One table's part of a log answer.
struct TableLog {
  bool gone = false;
  bool trimmed = false;
  std::vector<LogEntry> records;
  uint64_t next = 0;
  uint64_t end = 0;
};

struct LogAnswer {
  std::string primary_id;
  std::string catalog_version;
  int64_t time_ms = 0;
  std::map<std::string, TableLog> tables;  // by TableId
};

struct LogRequest {
  std::string follower_id;
  std::string follower_url;
  std::map<std::string, uint64_t> from;     // TableId -> next to read
  std::map<std::string, uint64_t> applied;  // TableId -> applied below
  unsigned limit = 1000;
};

class PrimaryLink {
 public:
  explicit PrimaryLink(const config::ReplicationConfig& config);

  PrimaryCatalog catalog();
  // Snapshots of `tables` (at least one), taken by the primary at one
  // moment, in their order. A primary from before several were taken at
  // once answers the first table's alone: then only that one comes back.
  std::vector<Snapshot> snapshots(const std::vector<std::string>& tables);
  SnapshotPage page(const std::string& snapshot_id,
                    const std::optional<std::string>& after);
  void snapshot_done(const std::string& snapshot_id);
  LogAnswer log(const LogRequest& request);
  // From any thread: the call under way, and every later one, throws.
  void interrupt() { client_.interrupt(); }

 private:
  client::Client client_;
};

// The endpoint of the primary at `config.follow`, signed with its key when
// set, trusting `config.ca_file` over https. Throws std::invalid_argument
// naming replication.follow.
client::Endpoint primary_endpoint(const config::ReplicationConfig& config);

}  // namespace jormun::replication
