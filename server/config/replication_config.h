// The `replication:` section of jormun.yaml: read replicas
// (docs/replication.md). A server with `follow` set is a follower of the
// primary at that URL; any other server is a primary, which keeps a
// replication log when `log` is on.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace jormun::config {

struct ReplicationConfig {
  // Primary: keep every table's change log (storage/change_log.h) for
  // followers, whatever each table's point-in-time recovery setting. On a
  // follower it keeps a log of what it applies, ready for its own
  // followers once it is promoted.
  bool log = false;
  // Primary: how long the log keeps a change, and how many MiB of changes
  // it keeps per table at most; the smaller wins. A follower that falls
  // behind what is kept bootstraps again.
  unsigned log_retention_hours = 24;
  unsigned log_retention_mb = 1024;
  // Primary: a write is acknowledged only once a follower has applied it,
  // or answered 500 when none has within sync_timeout_ms (it is written on
  // the primary all the same).
  bool sync = false;
  unsigned sync_timeout_ms = 5000;

  // Follower: the primary's URL (http://host:port or https://host:port).
  std::string follow;
  // Follower: the key its requests to the primary are signed with, when
  // the primary requires signatures.
  std::string access_key_id;
  std::string secret_access_key;
  // Follower: writes (and strongly consistent reads) are sent on to the
  // primary instead of refused.
  bool forward_writes = false;
  // Follower: how long it waits before asking again when the primary had
  // nothing new.
  unsigned poll_ms = 10;
  // Follower: the URL the primary and operators reach this server at, told
  // to the primary so that a restarted primary can find a promoted
  // follower; empty: http://<server.host>:<server.port>.
  std::string advertise;

  // The CAs (a PEM file) this server trusts when it reaches another over
  // https: a follower its primary, a restarted primary its followers (the
  // failover check); empty: the system's CA store. The certificate must
  // also name the host of the URL.
  std::string ca_file;

  bool following() const { return !follow.empty(); }
};

// Parses the `replication:` node; throws ConfigError naming the key.
ReplicationConfig parse_replication(const YAML::Node& node, const std::string& source);

}  // namespace jormun::config
