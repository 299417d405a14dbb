#include "config/config.h"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/exposure.h"
#include "config/yaml_fields.h"

namespace jormun::config {
namespace {

uint16_t port_number(std::string_view text, const std::string& source,
                     const std::string& key) {
  return static_cast<uint16_t>(number(text, 65535, source, key));
}

// Checks only that the files can be opened: whether they hold a usable
// certificate and key is known once the server loads them.
void parse_tls(const YAML::Node& t, TlsConfig& tls, const std::string& src) {
  check_keys(t, {"port", "certificate", "private_key"}, src, "server.tls");
  if (t["port"])
    tls.port =
        port_number(scalar(t["port"], src, "server.tls.port"), src, "server.tls.port");
  auto file = [&](const char* name) {
    const std::string key = std::string("server.tls.") + name;
    if (!t[name]) fail(src, key, "is required");
    std::string path = scalar(t[name], src, key);
    if (path.empty() || !std::ifstream(path)) fail(src, key, "cannot read " + path);
    return path;
  };
  tls.certificate = file("certificate");
  tls.private_key = file("private_key");
}

// The strings of `list` (server.<name>), each passing `valid`. A bad one
// fails naming its index: "'<value>' is not <one>: <advice>".
std::vector<std::string> checked_list(const YAML::Node& list, const std::string& src,
                                      const std::string& name, const std::string& many,
                                      const std::string& one, const std::string& advice,
                                      bool (*valid)(std::string_view)) {
  std::vector<std::string> out;
  if (list.IsNull()) return out;
  if (!list.IsSequence()) fail(src, "server." + name, "must be a list of " + many);
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string key = "server." + name + "[" + std::to_string(i) + "]";
    std::string value = scalar(list[i], src, key);
    if (!valid(value)) fail(src, key, "'" + value + "' is not " + one + ": " + advice);
    out.push_back(std::move(value));
  }
  return out;
}

void parse_server(const YAML::Node& s, Config& c, const std::string& src) {
  check_keys(
      s,
      {"host", "port", "data_dir", "threads", "plugin_dir", "region", "max_body_bytes",
       "idle_timeout_seconds", "commit_threads", "poll_spin_us", "max_connections",
       "max_inflight_body_mb", "tls", "allowed_hosts", "cors_origins", "metrics", "console", "background_work", "log_format", "log_level",
       "access_log", "max_open_tables", "max_open_files"},
      src, "server");
  if (s["host"]) c.host = scalar(s["host"], src, "server.host");
  if (s["port"])
    c.port = port_number(scalar(s["port"], src, "server.port"), src, "server.port");
  if (s["data_dir"]) c.data_dir = scalar(s["data_dir"], src, "server.data_dir");
  if (s["threads"])
    c.threads =
        number(scalar(s["threads"], src, "server.threads"), 1024, src, "server.threads");
  if (s["plugin_dir"]) c.plugin_dir = scalar(s["plugin_dir"], src, "server.plugin_dir");
  if (s["region"]) c.region = scalar(s["region"], src, "server.region");
  if (s["max_body_bytes"])
    c.max_body_bytes = number(scalar(s["max_body_bytes"], src, "server.max_body_bytes"),
                              1ull << 30, src, "server.max_body_bytes");
  if (s["idle_timeout_seconds"])
    c.idle_timeout_seconds =
        number(scalar(s["idle_timeout_seconds"], src, "server.idle_timeout_seconds"),
               86400, src, "server.idle_timeout_seconds");
  if (s["commit_threads"])
    c.commit_threads = number(scalar(s["commit_threads"], src, "server.commit_threads"),
                              4096, src, "server.commit_threads");
  if (c.commit_threads == 0) fail(src, "server.commit_threads", "must be at least 1");
  if (s["poll_spin_us"])
    c.poll_spin_us = number(scalar(s["poll_spin_us"], src, "server.poll_spin_us"), 1000000,
                            src, "server.poll_spin_us");
  if (s["max_connections"])
    c.max_connections = number(scalar(s["max_connections"], src, "server.max_connections"),
                               10000000, src, "server.max_connections");
  if (s["max_open_tables"])
    c.max_open_tables = number(scalar(s["max_open_tables"], src, "server.max_open_tables"),
                               10000000, src, "server.max_open_tables");
  if (s["max_open_files"])
    c.max_open_files = number(scalar(s["max_open_files"], src, "server.max_open_files"),
                              100000000, src, "server.max_open_files");
  if (s["max_inflight_body_mb"])
    c.max_inflight_body_mb =
        number(scalar(s["max_inflight_body_mb"], src, "server.max_inflight_body_mb"),
               1 << 20, src, "server.max_inflight_body_mb");
  // Else a request of the largest allowed size could never be taken.
  if ((c.max_inflight_body_mb << 20) < c.max_body_bytes)
    fail(src, "server.max_inflight_body_mb",
         "must hold at least one body of server.max_body_bytes (" +
             std::to_string(c.max_body_bytes) + " bytes)");
  if (s["tls"]) parse_tls(s["tls"], c.tls, src);
  if (s["allowed_hosts"])
    c.allowed_hosts = checked_list(
        s["allowed_hosts"], src, "allowed_hosts", "host names", "a host name",
        "give a name or address alone (an IPv6 address in brackets), without scheme, port "
        "or path; any port is accepted",
        is_host_name);
  if (s["cors_origins"])
    c.cors_origins = checked_list(s["cors_origins"], src, "cors_origins", "origins",
                                  "an origin",
                                  "give \"*\", \"null\" or http(s)://HOST with an optional "
                                  ":PORT or :* (any port), without a path",
                                  is_cors_origin);
  if (s["metrics"])
    c.metrics = boolean(scalar(s["metrics"], src, "server.metrics"), src, "server.metrics");
  if (s["console"])
    c.console = boolean(scalar(s["console"], src, "server.console"), src, "server.console");
  if (s["background_work"])
    c.background_work = boolean(scalar(s["background_work"], src, "server.background_work"),
                                src, "server.background_work");
  if (s["log_format"]) {
    const std::string f = scalar(s["log_format"], src, "server.log_format");
    if (f != "text" && f != "json")
      fail(src, "server.log_format", "must be text or json, got '" + f + "'");
    c.log_json = f == "json";
  }
  if (s["log_level"]) {
    const std::string l = scalar(s["log_level"], src, "server.log_level");
    if (l != "info" && l != "error")
      fail(src, "server.log_level", "must be info or error, got '" + l + "'");
    c.log_errors_only = l == "error";
  }
  if (s["access_log"])
    c.access_log =
        boolean(scalar(s["access_log"], src, "server.access_log"), src, "server.access_log");
  if (c.host.empty()) fail(src, "server.host", "must not be empty");
  if (c.data_dir.empty()) fail(src, "server.data_dir", "must not be empty");
}

void parse_engines(const YAML::Node& e, Config& c, const std::string& src) {
  if (!e.IsMap() || e.size() == 0)
    fail(src, "engines", "must map engine names to engines");
  for (const auto& kv : e) {
    EngineConfig ec;
    ec.name = kv.first.as<std::string>();
    std::string key = "engines." + ec.name;
    check_keys(kv.second, {"plugin", "durable", "options"}, src, key);
    if (!kv.second["plugin"]) fail(src, key + ".plugin", "is required");
    ec.plugin = scalar(kv.second["plugin"], src, key + ".plugin");
    if (kv.second["durable"])
      ec.durable = boolean(scalar(kv.second["durable"], src, key + ".durable"), src,
                           key + ".durable");
    if (const YAML::Node& opts = kv.second["options"]; opts && !opts.IsNull()) {
      if (!opts.IsMap()) fail(src, key + ".options", "must be a mapping");
      for (const auto& o : opts) {
        std::string name = o.first.as<std::string>();
        ec.options.emplace_back(name, scalar(o.second, src, key + ".options." + name));
      }
    }
    c.engines.push_back(std::move(ec));
  }
}

void parse_tables(const YAML::Node& t, Config& c, const std::string& src) {
  check_keys(t, {"default", "rules"}, src, "tables");
  if (t["default"]) c.default_engine = scalar(t["default"], src, "tables.default");
  if (const YAML::Node& rules = t["rules"]; rules && !rules.IsNull()) {
    if (!rules.IsSequence()) fail(src, "tables.rules", "must be a list");
    for (size_t i = 0; i < rules.size(); ++i) {
      std::string key = "tables.rules[" + std::to_string(i) + "]";
      check_keys(rules[i], {"match", "engine"}, src, key);
      if (!rules[i]["match"] || !rules[i]["engine"])
        fail(src, key, "needs both 'match' and 'engine'");
      c.rules.push_back({scalar(rules[i]["match"], src, key + ".match"),
                         scalar(rules[i]["engine"], src, key + ".engine")});
    }
  }
}

// Cross-references: every engine named by tables: must be declared.
void check_references(const Config& c, const std::string& src) {
  if (c.engines.empty()) fail(src, "engines", "at least one engine must be declared");
  if (c.default_engine.empty()) fail(src, "tables.default", "is required");
  if (!c.engine(c.default_engine))
    fail(src, "tables.default",
         "engine '" + c.default_engine + "' is not declared under engines");
  for (size_t i = 0; i < c.rules.size(); ++i)
    if (!c.engine(c.rules[i].engine))
      fail(src, "tables.rules[" + std::to_string(i) + "].engine",
           "engine '" + c.rules[i].engine + "' is not declared under engines");
  if (c.cluster.enabled() && (c.replication.log || c.replication.following()))
    fail(src, "replication",
         "cluster front ends share one database and replicate nothing themselves");
  if (c.cluster.enabled()) {
    const EngineConfig* e = c.engine(c.cluster.engine);
    if (!e)
      fail(src, "cluster.engine",
           "engine '" + c.cluster.engine + "' is not declared under engines");
    // Only an engine whose data lives in the shared database, and that checks
    // preconditions, can hold a cluster's catalog and tables.
    const std::string base = std::filesystem::path(e->plugin).filename().string();
    if (base != "postgres" && base != "jormun_postgres.so")
      fail(src, "cluster.engine",
           "engine '" + c.cluster.engine + "' is not a postgres engine (plugin: " +
               e->plugin + ")");
  }
}

}  // namespace

const EngineConfig* Config::engine(std::string_view name) const {
  for (const auto& e : engines)
    if (e.name == name) return &e;
  return nullptr;
}

const EngineConfig& Config::engine_for_table(std::string_view table) const {
  std::string name(table);
  for (const auto& r : rules)
    if (fnmatch(r.match.c_str(), name.c_str(), 0) == 0) return *engine(r.engine);
  return *engine(default_engine);
}

Config parse_config(std::string_view yaml, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ": " + e.what());
  }
  Config c;
  if (root.IsNull()) fail(source, "engines", "at least one engine must be declared");
  check_keys(root, {"server", "engines", "tables", "auth", "ttl", "streams", "backups",
                    "cluster", "replication"}, source,
             "(top level)");
  try {
    if (root["server"]) parse_server(root["server"], c, source);
    if (root["engines"]) parse_engines(root["engines"], c, source);
    if (root["tables"]) parse_tables(root["tables"], c, source);
    if (root["auth"])
      c.auth = parse_auth(root["auth"], source, [](const char* name) -> const char* {
        return std::getenv(name);
      });
    if (root["ttl"]) c.ttl = parse_ttl(root["ttl"], source);
    if (root["streams"]) c.streams = parse_streams(root["streams"], source);
    if (root["backups"]) c.backups = parse_backups(root["backups"], source);
    if (root["cluster"]) c.cluster = parse_cluster(root["cluster"], source);
    if (root["replication"])
      c.replication = parse_replication(root["replication"], source);
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ": " + e.what());
  }
  check_references(c, source);
  return c;
}

Config load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open the config file");
  std::stringstream ss;
  ss << in.rdbuf();
  Config c = parse_config(ss.str(), path);
  // A plugin path is the config file's, wherever the server starts from,
  // and is recorded absolute in the catalog with each table it holds.
  const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
  for (auto& engine : c.engines)
    if (engine.plugin.find('/') != std::string::npos &&
        std::filesystem::path(engine.plugin).is_relative())
      engine.plugin = (folder / engine.plugin).lexically_normal().string();
  return c;
}

void apply_environment(Config& c, const char* (*lookup)(const char*)) {
  if (const char* v = lookup("JORMUN_HOST"); v && *v) c.host = v;
  if (const char* v = lookup("JORMUN_PORT"); v && *v)
    c.port = port_number(v, "environment", "JORMUN_PORT");
  if (const char* v = lookup("JORMUN_DATA_DIR"); v && *v) c.data_dir = v;
}

const char* const kUsage =
    "usage: jormundb [--config FILE] [--host HOST] [--port PORT] [--data-dir DIR]\n"
    "       jormundb --help\n";

const char* const kHelp =
    "NAME\n"
    "    jormundb - a DynamoDB-compatible database server\n"
    "\n"
    "SYNOPSIS\n"
    "    jormundb [--config FILE] [--host HOST] [--port PORT] [--data-dir DIR]\n"
    "    jormundb --help\n"
    "\n"
    "DESCRIPTION\n"
    "    Serves the DynamoDB API over HTTP (and HTTPS, with server.tls) to any\n"
    "    AWS SDK or the AWS CLI. Each table lives on a storage engine loaded as\n"
    "    a plugin (jormun_NAME.so); the configuration says which engine holds\n"
    "    which table. The server runs in the foreground, logs to standard\n"
    "    output, and stops cleanly on SIGINT or SIGTERM.\n"
    "\n"
    "OPTIONS\n"
    "    --config FILE\n"
    "        The YAML configuration (default: config/jormun.yaml). Every key is\n"
    "        described in README.md, \"Configuration\".\n"
    "    --host HOST\n"
    "        Listen address; overrides server.host.\n"
    "    --port PORT\n"
    "        Listen port, 0 for any free one (the log says which); overrides\n"
    "        server.port.\n"
    "    --data-dir DIR\n"
    "        Where tables, the catalog and backups live; overrides\n"
    "        server.data_dir.\n"
    "    --background-work true|false\n"
    "        false: no TTL sweeps, stream trimming, PITR checkpoints, item\n"
    "        recounts or resumed index work, so only requests change the data\n"
    "        (jormun-admin --data-dir); overrides server.background_work.\n"
    "    -h, --help\n"
    "        Print this text and exit.\n"
    "    Each option also takes the form --option=VALUE.\n"
    "\n"
    "ENVIRONMENT\n"
    "    JORMUN_HOST, JORMUN_PORT, JORMUN_DATA_DIR\n"
    "        Override the file like the options do; the options win.\n"
    "\n"
    "FILES\n"
    "    /etc/jormun/jormun.yaml\n"
    "        The configuration of the packaged service (jormundb.service).\n"
    "    /var/lib/jormun\n"
    "        The packaged service's data directory.\n"
    "    jormun_NAME.so\n"
    "        Engine plugins, found next to the jormundb binary (after\n"
    "        following its links) or in server.plugin_dir.\n"
    "\n"
    "EXIT STATUS\n"
    "    0   stopped by SIGINT or SIGTERM, or --help\n"
    "    1   an unexpected error\n"
    "    2   a bad option or configuration (the message names the key)\n"
    "    3   the data directory needs a person (the message says why)\n"
    "\n"
    "SEE ALSO\n"
    "    jormun-engine-check, the engine test kit; README.md and\n"
    "    plugin-api.md in /usr/share/doc/jormundb.\n";

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine cl;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      cl.help = true;
      continue;
    }
    std::string value;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw ConfigError("option " + arg + " needs a value");
    }
    if (arg == "--config")
      cl.config_path = value;
    else if (arg == "--host" || arg == "--port" || arg == "--data-dir" ||
             arg == "--background-work")
      cl.overrides.emplace_back(arg, value);
    else
      throw ConfigError("unknown option " + arg + "\n" + kUsage);
  }
  return cl;
}

void apply_overrides(Config& c, const CommandLine& cl) {
  for (const auto& [flag, value] : cl.overrides) {
    if (flag == "--host") c.host = value;
    if (flag == "--port") c.port = port_number(value, "command line", "--port");
    if (flag == "--data-dir") c.data_dir = value;
    if (flag == "--background-work")
      c.background_work = boolean(value, "command line", "--background-work");
  }
}

}  // namespace jormun::config
