// The server's configuration: jormun.yaml, then flags and environment.
//
// Precedence, lowest first: built-in defaults, the YAML file, JORMUN_HOST /
// JORMUN_PORT / JORMUN_DATA_DIR, then --host / --port / --data-dir. A bad
// value anywhere throws ConfigError naming the key, and start-up stops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/auth_config.h"
#include "config/backups_config.h"
#include "config/cluster_config.h"
#include "config/replication_config.h"
#include "config/streams_config.h"
#include "config/ttl_config.h"

namespace jormun::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One entry of `engines:`: a named engine instance kind and its options.
struct EngineConfig {
  std::string name;    // the key under engines:, e.g. "rocksdb"
  // "rocksdb" -> <plugin_dir>/jormun_rocksdb.so, or a path (load_config
  // makes a relative one absolute from the config file's folder).
  std::string plugin;
  std::vector<std::pair<std::string, std::string>> options;
  // Every write to a table on this engine is on disk before its answer: the
  // server asks the engine to sync each write batch, and concurrent writers
  // share one sync (group commit). Recorded with each table at creation.
  bool durable = false;
};

// One entry of `tables.rules`: a table name or fnmatch(3) glob -> engine.
struct TableRule {
  std::string match;
  std::string engine;
};

// `server.tls`: HTTPS on its own port, next to plain HTTP. Off while the
// certificate is empty.
struct TlsConfig {
  uint16_t port = 8443;
  std::string certificate;  // PEM: the server's certificate, then any chain
  std::string private_key;  // PEM, unencrypted
  bool enabled() const { return !certificate.empty(); }
};

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 8002;
  std::string data_dir = "./data";
  unsigned threads = 0;              // 0: one per core
  std::string plugin_dir;            // empty: the folder of the jormundb binary
  std::string region = "us-east-1";  // used in table ARNs
  size_t max_body_bytes = 16 * 1024 * 1024;
  unsigned idle_timeout_seconds = 60;
  // Threads that run writes to durable tables: how many such writes can be
  // waiting for a sync at once, and so share it.
  unsigned commit_threads = 64;
  // How long an I/O thread serving a few connections polls for the next
  // request before it sleeps; 0 never polls.
  unsigned poll_spin_us = 50;
  // Connections served at once (0: no limit); more are answered
  // ThrottlingException and closed.
  size_t max_connections = 10000;
  // Request bodies held in memory at once, over all connections, in MiB;
  // requests beyond it are answered ThrottlingException. At least
  // max_body_bytes.
  size_t max_inflight_body_mb = 256;
  // Tables whose engine instances are open at once (0: no limit); the
  // instances of the tables used least recently are closed beyond it and
  // open again on their next use (storage/instance_pool.h).
  size_t max_open_tables = 256;
  // File descriptors the server lets its tables' engines hold, all told
  // (0: 1024); the smaller of it and the open file limit, less a quarter
  // kept for connections, is the budget idle tables are closed to keep.
  size_t max_open_files = 0;
  TlsConfig tls;
  // Names besides localhost, loopback addresses and `host` that a request's
  // Host header may give while the server listens on loopback (a
  // docker-compose service, an /etc/hosts alias, a proxy's name); compared
  // without case, any port.
  std::vector<std::string> allowed_hosts;
  // Origins whose web pages may call the server from a browser (CORS), as
  // exposure.h's is_cors_origin accepts them. By default loopback pages
  // only: they are served by software on this machine, which can reach the
  // server without a browser anyway.
  std::vector<std::string> cors_origins = {"http://localhost:*", "https://localhost:*",
                                           "http://127.0.0.1:*", "https://127.0.0.1:*",
                                           "http://[::1]:*",     "https://[::1]:*"};
  // GET /metrics answers the process's metrics (Prometheus' text format),
  // without a signature: table names and request rates, no items.
  bool metrics = true;
  // GET /console serves the console page. On by default wherever the server
  // may listen: the page reads only through the API and /metrics, with the
  // user's own key when signatures are required (check_exposure's rules
  // hold for it as for any client), so it opens nothing they leave shut.
  bool console = true;
  // false: no background work (TTL sweeper, stream trimmer, PITR
  // checkpointer, item recounts, resumed index work), so only requests
  // change the data: for a private server on a stopped one's data.
  bool background_work = true;
  // server.log_format json: each log line a JSON object.
  bool log_json = false;
  // server.log_level error: INFO lines (start-up, the access log) left out.
  bool log_errors_only = false;
  // A line per answered request (api/access_log.h).
  bool access_log = false;
  std::vector<EngineConfig> engines;
  std::string default_engine;
  std::vector<TableRule> rules;
  AuthConfig auth;
  TtlConfig ttl;
  StreamsConfig streams;
  BackupsConfig backups;
  ClusterConfig cluster;
  ReplicationConfig replication;

  const EngineConfig* engine(std::string_view name) const;
  // The engine a new table with this name goes to: the first matching rule,
  // else the default engine.
  const EngineConfig& engine_for_table(std::string_view table) const;
};

// Parses YAML text; `source` names it in error messages.
Config parse_config(std::string_view yaml, const std::string& source);
Config load_config(const std::string& path);

// Applies JORMUN_HOST/JORMUN_PORT/JORMUN_DATA_DIR from `getenv`-like lookup.
void apply_environment(Config& config, const char* (*lookup)(const char*));

// Command-line options of jormundb.
struct CommandLine {
  std::string config_path = "config/jormun.yaml";
  std::vector<std::pair<std::string, std::string>> overrides;  // flag -> value
  bool help = false;
};
CommandLine parse_command_line(int argc, const char* const* argv);
void apply_overrides(Config& config, const CommandLine& cl);

// The short usage (with an option error) and the --help text, laid out
// like a man page.
extern const char* const kUsage;
extern const char* const kHelp;

}  // namespace jormun::config
