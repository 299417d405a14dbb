// The `cluster:` section of jormun.yaml: several jormundb front ends over
// one database. When set, the catalog lives in a keyspace of the named
// engine (storage/shared_catalog.h) instead of <data_dir>/catalog.json, and
// every table must be on that engine.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace jormun::config {

struct ClusterConfig {
  // The engine (a key under engines:, a postgres one) holding the catalog
  // and every table; empty: no cluster, the catalog is local.
  std::string engine;
  // How often each front end reads the shared catalog's version to apply
  // what the others changed.
  unsigned poll_ms = 200;
  // How long a lease on a backfill, or a front end's presence, lasts
  // without being renewed before the other front ends count its holder
  // gone (storage/backfill_lease.h). Renewed every third of it;
  // by default 10 s, or three polls when longer.
  unsigned lease_ms = 10000;

  bool enabled() const { return !engine.empty(); }
};

// Parses the `cluster:` node; throws ConfigError naming the key. Whether the
// engine is declared, and a postgres one, is checked with the engines.
ClusterConfig parse_cluster(const YAML::Node& node, const std::string& source);

}  // namespace jormun::config
