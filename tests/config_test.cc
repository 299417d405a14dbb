#include "config/config.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace jormun::config {
namespace {

constexpr const char* kMinimal = R"(
engines:
  rocksdb:
    plugin: rocksdb
tables:
  default: rocksdb
)";

std::string error_of(const std::string& yaml) {
  try {
    parse_config(yaml, "test.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Config, DefaultsApplyToMinimalFile) {
  Config c = parse_config(kMinimal, "test.yaml");
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 8002);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.engine_for_table("anything").name, "rocksdb");
}

TEST(Config, RulesPickEnginesByExactNameAndGlob) {
  Config c = parse_config(R"(
engines:
  rocksdb: {plugin: rocksdb}
  lmdb: {plugin: lmdb, options: {map_size_mb: 64}}
  sqlite: {plugin: sqlite}
tables:
  default: rocksdb
  rules:
    - {match: "cache_*", engine: lmdb}
    - {match: audit, engine: sqlite}
)",
                          "test.yaml");
  EXPECT_EQ(c.engine_for_table("cache_users").name, "lmdb");
  EXPECT_EQ(c.engine_for_table("audit").name, "sqlite");
  EXPECT_EQ(c.engine_for_table("audit2").name, "rocksdb");
  ASSERT_EQ(c.engine("lmdb")->options.size(), 1u);
  EXPECT_EQ(c.engine("lmdb")->options[0].first, "map_size_mb");
  EXPECT_EQ(c.engine("lmdb")->options[0].second, "64");
}

TEST(Config, DurableEnginesAndCommitThreads) {
  Config c = parse_config(R"(
server: {commit_threads: 8}
engines:
  rocksdb: {plugin: rocksdb, durable: true}
  lmdb: {plugin: lmdb}
tables:
  default: rocksdb
)",
                          "test.yaml");
  EXPECT_TRUE(c.engine("rocksdb")->durable);
  EXPECT_FALSE(c.engine("lmdb")->durable);
  EXPECT_EQ(c.commit_threads, 8u);
  EXPECT_EQ(parse_config(kMinimal, "test.yaml").commit_threads, 64u);
  EXPECT_EQ(error_of("engines: {rocksdb: {plugin: rocksdb, durable: yes}}\n"
                     "tables: {default: rocksdb}\n"),
            "test.yaml: engines.rocksdb.durable: must be true or false, got 'yes'");
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {commit_threads: 0}\n"),
            "test.yaml: server.commit_threads: must be at least 1");
}

TEST(Config, PollSpin) {
  EXPECT_EQ(parse_config(kMinimal, "test.yaml").poll_spin_us, 50u);
  EXPECT_EQ(parse_config(std::string(kMinimal) + "server: {poll_spin_us: 0}\n", "test.yaml")
                .poll_spin_us,
            0u);
  EXPECT_NE(error_of(std::string(kMinimal) + "server: {poll_spin_us: -1}\n")
                .find("server.poll_spin_us"),
            std::string::npos);
}

TEST(Config, ConnectionAndBodyLimits) {
  const Config defaults = parse_config(kMinimal, "test.yaml");
  EXPECT_EQ(defaults.max_connections, 10000u);
  EXPECT_EQ(defaults.max_inflight_body_mb, 256u);
  const Config c = parse_config(
      std::string(kMinimal) +
          "server: {max_connections: 0, max_inflight_body_mb: 20, max_body_bytes: 1000}\n",
      "test.yaml");
  EXPECT_EQ(c.max_connections, 0u);
  EXPECT_EQ(c.max_inflight_body_mb, 20u);
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {max_inflight_body_mb: 15}\n"),
            "test.yaml: server.max_inflight_body_mb: must hold at least one body of "
            "server.max_body_bytes (16777216 bytes)");
  EXPECT_NE(error_of(std::string(kMinimal) + "server: {max_connections: -5}\n")
                .find("server.max_connections"),
            std::string::npos);
}

TEST(Config, ErrorsNameTheKey) {
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {hots: x}\n"),
            "test.yaml: server.hots: unknown key");
  EXPECT_EQ(
      error_of(std::string(kMinimal) + "server: {port: 70000}\n"),
      "test.yaml: server.port: must be a whole number from 0 to 65535, got '70000'");
  EXPECT_EQ(error_of("engines:\n  rocksdb: {plugin: rocksdb}\ntables: {default: lmdb}\n"),
            "test.yaml: tables.default: engine 'lmdb' is not declared under engines");
  EXPECT_EQ(error_of("engines:\n  rocksdb: {options: {}}\ntables: {default: rocksdb}\n"),
            "test.yaml: engines.rocksdb.plugin: is required");
  EXPECT_EQ(error_of("tables: {default: rocksdb}\n"),
            "test.yaml: engines: at least one engine must be declared");
  EXPECT_EQ(
      error_of(std::string(kMinimal) + "  rules:\n    - {match: x, engine: nope}\n"),
      "test.yaml: tables.rules[0].engine: engine 'nope' is not declared under engines");
  EXPECT_NE(error_of("engines: [unclosed\n").find("test.yaml: "), std::string::npos);
}

TEST(Config, PluginPathsAreTheConfigFilesAndNamesStayNames) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("jormun-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "etc");
  const auto file = dir / "etc" / "jormun.yaml";
  std::ofstream(file) << "engines:\n"
                         "  rocksdb: {plugin: rocksdb}\n"
                         "  mine: {plugin: ../plugins/jormun_mine.so}\n"
                         "  theirs: {plugin: /opt/jormun/jormun_theirs.so}\n"
                         "tables: {default: rocksdb}\n";
  const Config c = load_config(file.string());
  std::filesystem::remove_all(dir);
  ASSERT_EQ(c.engines.size(), 3u);
  std::map<std::string, std::string> plugins;
  for (const auto& e : c.engines) plugins[e.name] = e.plugin;
  EXPECT_EQ(plugins["rocksdb"], "rocksdb");
  EXPECT_EQ(plugins["mine"], (dir / "plugins" / "jormun_mine.so").string());
  EXPECT_EQ(plugins["theirs"], "/opt/jormun/jormun_theirs.so");
}

TEST(Config, LogSettings) {
  const auto defaults = parse_config(kMinimal, "test.yaml");
  EXPECT_FALSE(defaults.log_json);
  EXPECT_FALSE(defaults.log_errors_only);
  EXPECT_FALSE(defaults.access_log);
  const auto set = parse_config(
      std::string(kMinimal) + "server: {log_format: json, log_level: error, access_log: true}\n",
      "test.yaml");
  EXPECT_TRUE(set.log_json);
  EXPECT_TRUE(set.log_errors_only);
  EXPECT_TRUE(set.access_log);
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {log_format: xml}\n"),
            "test.yaml: server.log_format: must be text or json, got 'xml'");
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {log_level: debug}\n"),
            "test.yaml: server.log_level: must be info or error, got 'debug'");
}

TEST(Config, MetricsAndConsoleAreOnByDefaultAndCanBeTurnedOff) {
  EXPECT_TRUE(parse_config(kMinimal, "test.yaml").metrics);
  EXPECT_TRUE(parse_config(kMinimal, "test.yaml").console);
  EXPECT_FALSE(
      parse_config(std::string(kMinimal) + "server: {console: false}\n", "test.yaml").console);
  EXPECT_FALSE(
      parse_config(std::string(kMinimal) + "server: {metrics: false}\n", "test.yaml").metrics);
  EXPECT_NE(error_of(std::string(kMinimal) + "server: {metrics: sometimes}\n")
                .find("test.yaml: server.metrics: "),
            std::string::npos);
}

TEST(Config, BackupsDirDefaultsToTheDataDirAndIsChecked) {
  EXPECT_EQ(parse_config(kMinimal, "test.yaml").backups.dir, "");
  EXPECT_EQ(parse_config(std::string(kMinimal) + "backups: {dir: /srv/b}\n", "test.yaml")
                .backups.dir,
            "/srv/b");
  EXPECT_EQ(error_of(std::string(kMinimal) + "backups: {dri: x}\n"),
            "test.yaml: backups.dri: unknown key");
  EXPECT_EQ(error_of(std::string(kMinimal) + "backups: {dir: \"\"}\n"),
            "test.yaml: backups.dir: must not be empty");
}

TEST(Config, ClusterNamesADeclaredPostgresEngine) {
  EXPECT_FALSE(parse_config(kMinimal, "test.yaml").cluster.enabled());
  const std::string with_pg =
      "engines:\n  rocksdb: {plugin: rocksdb}\n  pg: {plugin: postgres}\n"
      "tables:\n  default: pg\n";
  Config c = parse_config(with_pg + "cluster: {engine: pg, poll_ms: 50}\n", "test.yaml");
  EXPECT_TRUE(c.cluster.enabled());
  EXPECT_EQ(c.cluster.engine, "pg");
  EXPECT_EQ(c.cluster.poll_ms, 50u);
  EXPECT_EQ(parse_config(with_pg + "cluster: {engine: pg}\n", "test.yaml").cluster.poll_ms,
            200u);
  EXPECT_EQ(error_of(with_pg + "cluster: {engine: pg, pol_ms: 5}\n"),
            "test.yaml: cluster.pol_ms: unknown key");
  EXPECT_EQ(error_of(with_pg + "cluster: {poll_ms: 50}\n"),
            "test.yaml: cluster.engine: is required");
  EXPECT_EQ(error_of(with_pg + "cluster: {engine: nope}\n"),
            "test.yaml: cluster.engine: engine 'nope' is not declared under engines");
  EXPECT_EQ(error_of(with_pg + "cluster: {engine: rocksdb}\n"),
            "test.yaml: cluster.engine: engine 'rocksdb' is not a postgres engine "
            "(plugin: rocksdb)");
  EXPECT_EQ(error_of(with_pg + "cluster: {engine: pg, poll_ms: 1}\n"),
            "test.yaml: cluster.poll_ms: must be at least 10");
  // The lease: 10 s by default, or three polls when longer.
  EXPECT_EQ(c.cluster.lease_ms, 10000u);
  EXPECT_EQ(parse_config(with_pg + "cluster: {engine: pg, poll_ms: 5000}\n", "test.yaml")
                .cluster.lease_ms,
            15000u);
  EXPECT_EQ(parse_config(with_pg + "cluster: {engine: pg, lease_ms: 600}\n", "test.yaml")
                .cluster.lease_ms,
            600u);
  EXPECT_EQ(error_of(with_pg + "cluster: {engine: pg, lease_ms: 599}\n"),
            "test.yaml: cluster.lease_ms: must be at least three times cluster.poll_ms");
}

// Any readable file passes here; whether it holds a certificate is the
// server's check at start-up (conformance/test_tls.py).
TEST(Config, TlsIsOffByDefaultAndNeedsReadableFiles) {
  EXPECT_FALSE(parse_config(kMinimal, "test.yaml").tls.enabled());
  Config c = parse_config(
      std::string(kMinimal) +
          "server: {tls: {port: 0, certificate: /dev/null, private_key: /dev/null}}\n",
      "test.yaml");
  EXPECT_TRUE(c.tls.enabled());
  EXPECT_EQ(c.tls.port, 0);
  EXPECT_EQ(c.tls.private_key, "/dev/null");
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {tls: {certificate: /dev/null}}\n"),
            "test.yaml: server.tls.private_key: is required");
  EXPECT_EQ(
      error_of(std::string(kMinimal) +
               "server: {tls: {certificate: /nonexistent/c.pem, private_key: x}}\n"),
      "test.yaml: server.tls.certificate: cannot read /nonexistent/c.pem");
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {tls: {cert: x}}\n"),
            "test.yaml: server.tls.cert: unknown key");
}

TEST(Config, CorsOriginsDefaultToLoopbackAndAreChecked) {
  EXPECT_EQ(parse_config(kMinimal, "test.yaml").cors_origins,
            (std::vector<std::string>{"http://localhost:*", "https://localhost:*",
                                      "http://127.0.0.1:*", "https://127.0.0.1:*",
                                      "http://[::1]:*", "https://[::1]:*"}));
  EXPECT_TRUE(
      parse_config(std::string(kMinimal) + "server: {cors_origins: []}\n", "test.yaml")
          .cors_origins.empty());
  const Config c = parse_config(
      std::string(kMinimal) +
          "server:\n  cors_origins: [\"*\", \"null\", https://app.example.com, "
          "\"http://dev.local:3000\", \"http://[fd00::7]:*\"]\n",
      "test.yaml");
  EXPECT_EQ(c.cors_origins,
            (std::vector<std::string>{"*", "null", "https://app.example.com",
                                      "http://dev.local:3000", "http://[fd00::7]:*"}));
  for (const char* bad : {"app.example.com", "ftp://x", "https://x/", "https://x:0x",
                          "https://x:70000", "https://", "http://x:"})
    EXPECT_EQ(
        error_of(std::string(kMinimal) + "server:\n  cors_origins: [\"" + bad + "\"]\n"),
        std::string("test.yaml: server.cors_origins[0]: '") + bad +
            "' is not an origin: give \"*\", \"null\" or http(s)://HOST with an "
            "optional :PORT or :* (any port), without a path")
        << bad;
}

TEST(Config, AllowedHostsAreNamesWithoutPorts) {
  EXPECT_TRUE(parse_config(kMinimal, "test.yaml").allowed_hosts.empty());
  const Config c = parse_config(
      std::string(kMinimal) +
          "server:\n  allowed_hosts: [jormun, DB.Internal, my_service-1, 10.0.0.7, "
          "\"[fd00::7]\"]\n",
      "test.yaml");
  EXPECT_EQ(c.allowed_hosts,
            (std::vector<std::string>{"jormun", "DB.Internal", "my_service-1", "10.0.0.7",
                                      "[fd00::7]"}));
  EXPECT_EQ(error_of(std::string(kMinimal) + "server: {allowed_hosts: jormun}\n"),
            "test.yaml: server.allowed_hosts: must be a list of host names");
  for (const char* bad :
       {"jormun:8002", "http://jormun", "jormun/x", "*.example", "", "a..b", ".jormun",
        "fd00::7", "[fd00::7]:8002", "[xyz]", "two words"})
    EXPECT_EQ(error_of(std::string(kMinimal) + "server:\n  allowed_hosts: [ok, \"" + bad +
                       "\"]\n"),
              std::string("test.yaml: server.allowed_hosts[1]: '") + bad +
                  "' is not a host name: give a name or address alone (an IPv6 "
                  "address in brackets), without scheme, port or path; any port is "
                  "accepted")
        << bad;
  EXPECT_EQ(error_of(std::string(kMinimal) + "server:\n  allowed_hosts: [[a]]\n"),
            "test.yaml: server.allowed_hosts[0]: must be a scalar value");
  EXPECT_EQ(error_of(std::string(kMinimal) + "server:\n  allowed_hosts: [" +
                     std::string(64, 'a') + "]\n"),
            "test.yaml: server.allowed_hosts[0]: '" + std::string(64, 'a') +
                "' is not a host name: give a name or address alone (an IPv6 address "
                "in brackets), without scheme, port or path; any port is accepted");
}

TEST(Config, EnvironmentThenFlagsOverrideTheFile) {
  Config c = parse_config(kMinimal, "test.yaml");
  static std::map<std::string, std::string> env;
  env = {{"JORMUN_PORT", "9000"}, {"JORMUN_DATA_DIR", "/tmp/env"}};
  apply_environment(c, [](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_EQ(c.port, 9000);
  EXPECT_EQ(c.data_dir, "/tmp/env");

  const char* argv[] = {"jormundb",       "--port",   "9100",
                        "--host=0.0.0.0", "--config", "x.yaml"};
  CommandLine cl = parse_command_line(6, argv);
  EXPECT_EQ(cl.config_path, "x.yaml");
  apply_overrides(c, cl);
  EXPECT_EQ(c.port, 9100);
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.data_dir, "/tmp/env");
}

TEST(Config, BadCommandLineIsAnError) {
  const char* unknown[] = {"jormundb", "--colour", "red"};
  EXPECT_THROW(parse_command_line(3, unknown), ConfigError);
  const char* missing[] = {"jormundb", "--port"};
  EXPECT_THROW(parse_command_line(2, missing), ConfigError);
  Config c = parse_config(kMinimal, "test.yaml");
  const char* bad_port[] = {"jormundb", "--port", "http"};
  EXPECT_THROW(apply_overrides(c, parse_command_line(3, bad_port)), ConfigError);
}

TEST(Config, TtlSweeperDefaultsAndLimits) {
  Config d = parse_config(kMinimal, "test.yaml");
  EXPECT_EQ(d.ttl.sweep_interval_seconds, 60u);
  EXPECT_EQ(d.ttl.max_deletes_per_second, 1000u);
  EXPECT_EQ(d.ttl.test_clock_offset_seconds, 0u);  // the real clock unless asked
  EXPECT_EQ(d.ttl.change_cooldown_seconds, 1860u);  // DynamoDB's, as observed

  Config c = parse_config(std::string(kMinimal) + R"(
ttl:
  sweep_interval_seconds: 5
  max_deletes_per_second: 20
  test_clock_offset_seconds: 86400
  change_cooldown_seconds: 0
)",
                          "test.yaml");
  EXPECT_EQ(c.ttl.sweep_interval_seconds, 5u);
  EXPECT_EQ(c.ttl.max_deletes_per_second, 20u);
  EXPECT_EQ(c.ttl.test_clock_offset_seconds, 86400u);
  EXPECT_EQ(c.ttl.change_cooldown_seconds, 0u);
  EXPECT_EQ(error_of(std::string(kMinimal) + "ttl:\n  change_cooldown_seconds: 86401\n"),
            "test.yaml: ttl.change_cooldown_seconds: must be a whole number from 0 to "
            "86400, got '86401'");

  EXPECT_EQ(error_of(std::string(kMinimal) + "ttl:\n  sweep_interval_seconds: 0\n"),
            "test.yaml: ttl.sweep_interval_seconds: must be at least 1");
  EXPECT_EQ(error_of(std::string(kMinimal) + "ttl:\n  max_deletes_per_second: 0\n"),
            "test.yaml: ttl.max_deletes_per_second: must be at least 1");
  EXPECT_EQ(error_of(std::string(kMinimal) + "ttl:\n  test_clock_offset_seconds: -5\n"),
            "test.yaml: ttl.test_clock_offset_seconds: must be a whole number from 0 to "
            "3153600000, got '-5'");
  EXPECT_EQ(error_of(std::string(kMinimal) + "ttl:\n  hide: true\n"),
            "test.yaml: ttl.hide: unknown key");
  EXPECT_EQ(error_of(std::string(kMinimal) + "ttl: 5\n"),
            "test.yaml: ttl: must be a mapping");
  EXPECT_FALSE(d.ttl.hide_expired);
  EXPECT_TRUE(parse_config(std::string(kMinimal) + "ttl:\n  hide_expired: true\n",
                           "test.yaml")
                  .ttl.hide_expired);
}

TEST(Config, StreamsRetentionDefaultsAndLimits) {
  Config d = parse_config(kMinimal, "test.yaml");
  EXPECT_EQ(d.streams.retention_hours, 24u);  // DynamoDB's
  EXPECT_EQ(d.streams.trim_interval_seconds, 60u);
  Config c = parse_config(std::string(kMinimal) + R"(
streams:
  retention_hours: 48
  trim_interval_seconds: 1
)",
                          "test.yaml");
  EXPECT_EQ(c.streams.retention_hours, 48u);
  EXPECT_EQ(c.streams.trim_interval_seconds, 1u);
  EXPECT_EQ(error_of(std::string(kMinimal) + "streams:\n  retention_hours: 0\n"),
            "test.yaml: streams.retention_hours: must be at least 1");
  EXPECT_EQ(error_of(std::string(kMinimal) + "streams:\n  trim_interval_seconds: 0\n"),
            "test.yaml: streams.trim_interval_seconds: must be at least 1");
  EXPECT_EQ(error_of(std::string(kMinimal) + "streams:\n  keep: 1\n"),
            "test.yaml: streams.keep: unknown key");
}

TEST(Config, ReplicationRolesAndTheirKeys) {
  const std::string base(kMinimal);
  Config none = parse_config(base, "test.yaml");
  EXPECT_FALSE(none.replication.log);
  EXPECT_FALSE(none.replication.following());
  Config primary = parse_config(
      base + "replication: {log: true, sync: true, log_retention_hours: 2}\n", "test.yaml");
  EXPECT_TRUE(primary.replication.log && primary.replication.sync);
  EXPECT_EQ(primary.replication.log_retention_hours, 2u);
  EXPECT_EQ(primary.replication.log_retention_mb, 1024u);
  EXPECT_EQ(primary.replication.sync_timeout_ms, 5000u);
  Config follower = parse_config(
      base + "replication:\n  follow: http://10.0.0.1:8002\n  forward_writes: true\n",
      "test.yaml");
  EXPECT_TRUE(follower.replication.following());
  EXPECT_EQ(follower.replication.follow, "http://10.0.0.1:8002");
  EXPECT_TRUE(follower.replication.forward_writes);
  EXPECT_EQ(follower.replication.poll_ms, 10u);
  EXPECT_EQ(error_of(base + "replication: {follow: 10.0.0.1:8002}\n"),
            "test.yaml: replication.follow: must be an http:// or https:// URL");
  Config secure = parse_config(
      base + "replication: {follow: https://db.example:8443, ca_file: /dev/null}\n",
      "test.yaml");
  EXPECT_EQ(secure.replication.follow, "https://db.example:8443");
  EXPECT_EQ(secure.replication.ca_file, "/dev/null");
  EXPECT_EQ(follower.replication.ca_file, "");  // the system's CA store
  // A primary's too: its failover check asks https followers.
  EXPECT_EQ(parse_config(base + "replication: {log: true, ca_file: /dev/null}\n", "test.yaml")
                .replication.ca_file,
            "/dev/null");
  EXPECT_EQ(error_of(base + "replication: {follow: https://h:1, ca_file: /nonexistent/ca.pem}\n"),
            "test.yaml: replication.ca_file: cannot read /nonexistent/ca.pem");
  EXPECT_EQ(error_of(base + "replication: {follow: https://h:1, ca_file: ''}\n"),
            "test.yaml: replication.ca_file: cannot read ");
  EXPECT_EQ(error_of(base + "replication: {sync: true}\n"),
            "test.yaml: replication.sync: needs replication.log: true");
  EXPECT_EQ(error_of(base + "replication: {follow: http://h:1, log: true, sync: true}\n"),
            "test.yaml: replication.sync: is for a primary; a follower (follow) has no "
            "followers");
  EXPECT_EQ(error_of(base + "replication: {forward_writes: true}\n"),
            "test.yaml: replication: forward_writes and access keys are for a follower "
            "(follow)");
  EXPECT_EQ(error_of(base + "replication: {follow: http://h:1, access_key_id: k}\n"),
            "test.yaml: replication: access_key_id and secret_access_key go together");
  EXPECT_EQ(error_of(base + "replication: {log_retention_hours: 0}\n"),
            "test.yaml: replication.log_retention_hours: must be at least 1");
  EXPECT_EQ(error_of(base + "replication: {lag: 1}\n"),
            "test.yaml: replication.lag: unknown key");
}

}  // namespace
}  // namespace jormun::config
