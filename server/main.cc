// jormundb: loads the configuration and the engine plugins, opens the
// tables, and serves the DynamoDB protocol until SIGINT or SIGTERM.
#include <sys/resource.h>
#include <unistd.h>

#include <boost/beast/core/string.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "api/access_log.h"
#include "api/service.h"
#include "client/connection.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/malloc_tuning.h"
#include "common/metrics.h"
#include "config/config.h"
#include "config/exposure.h"
#include "console/console.h"
#include "http/server.h"
#include "http/tls_context.h"
#include "ops/shard_iterator.h"
#include "ops/pitr_checkpointer.h"
#include "ops/replication_source.h"
#include "ops/stream_trimmer.h"
#include "ops/ttl_sweeper.h"
#include "replication/failover_check.h"
#include "replication/follower.h"
#include "storage/catalog.h"
#include "storage/catalog_file.h"
#include "storage/data_dir_lock.h"
#include "storage/engine_metrics.h"
#include "storage/engine_registry.h"

namespace {

using namespace jormun;

// Plugins are installed next to the binary unless the config says otherwise.
std::string binary_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

// The headers the protocol reads, in one pass; the first of a repeated
// header counts.
api::Call read_call(http::Request& req) {
  api::Call call;
  call.method = req.method();
  call.request_id = req.request_id();
  call.request_target = req.target();
  enum Seen : unsigned { kType = 1, kTarget = 2, kAuth = 4, kHost = 8 };
  unsigned seen = 0;
  auto take = [&seen](Seen which, std::string_view value, std::string_view& into) {
    if (!(seen & which)) into = value;
    seen |= which;
  };
  req.for_each_header([&](std::string_view name, std::string_view value) {
    using boost::beast::iequals;
    if (iequals(name, "Content-Type")) {
      take(kType, value, call.content_type);
    } else if (iequals(name, "X-Amz-Target")) {
      take(kTarget, value, call.target);
    } else if (iequals(name, "Authorization")) {
      take(kAuth, value, call.authorization);
    } else if (iequals(name, "Host")) {
      take(kHost, value, call.host);
    } else if (iequals(name, "X-Amz-Date") || iequals(name, "Date")) {
      call.has_date = call.has_date || !value.empty();
    }
  });
  call.body = &req.mutable_body();
  call.encoded_body = req.encoded_body();
  call.for_each_header = [&req](const auto& f) { req.for_each_header(f); };
  call.defer = [&req] {
    return [done = req.defer()](api::Reply&& reply) {
      done(http::Response{reply.status, reply.content_type, std::move(reply.body), {}});
    };
  };
  return call;
}

// As for API calls: a page in a browser must not read what the server
// serves by GET through a name of its own rebound to loopback.
std::optional<http::Response> refuse_foreign_host(std::string_view host,
                                                  const config::Config& cfg) {
  if (host.empty() || !config::is_loopback(cfg.host) || config::names_this_server(host, cfg))
    return std::nullopt;
  http::Response r;
  r.status = 403;
  r.content_type = "text/plain; charset=utf-8";
  r.body.append("Host header '").append(host).append("' does not name this server");
  return r;
}

http::ServerOptions server_options(const config::Config& cfg) {
  http::ServerOptions o;
  o.host = cfg.host;
  o.port = cfg.port;
  if (cfg.threads > 0) o.threads = cfg.threads;
  o.max_body_bytes = cfg.max_body_bytes;
  o.idle_timeout = std::chrono::seconds(cfg.idle_timeout_seconds);
  o.poll_spin = std::chrono::microseconds(cfg.poll_spin_us);
  o.max_connections = cfg.max_connections;
  o.max_inflight_body_bytes = cfg.max_inflight_body_mb << 20;
  o.cors_origins = cfg.cors_origins;
  if (cfg.metrics)
    o.metrics = [&cfg](std::string_view host) {
      if (auto refused = refuse_foreign_host(host, cfg)) return *refused;
      http::Response r;
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      r.body = metrics::Registry::global().render();
      return r;
    };
  if (cfg.console)
    o.console = [&cfg](std::string_view target, std::string_view host) {
      if (auto refused = refuse_foreign_host(host, cfg)) return *refused;
      console::Answer a = console::answer(target, cfg);
      return http::Response{a.status, a.content_type, std::move(a.body), a.headers};
    };
  if (cfg.tls.enabled()) {
    o.tls_port = cfg.tls.port;
    try {
      o.tls = http::make_tls_context(cfg.tls.certificate, cfg.tls.private_key);
    } catch (const http::TlsFileError& e) {
      const bool certificate = e.file == http::TlsFileError::File::kCertificate;
      throw config::ConfigError(std::string("server.tls.") +
                                (certificate ? "certificate" : "private_key") + ": " +
                                e.what());
    }
  }
  // As the certificate: a CA file that holds no certificate stops start-up,
  // rather than every later attempt to reach a peer.
  if (!cfg.replication.ca_file.empty()) {
    try {
      client::make_tls_client_context(cfg.replication.ca_file);
    } catch (const std::runtime_error& e) {
      throw config::ConfigError(std::string("replication.ca_file: ") + e.what());
    }
  }
  return o;
}

// Each connection and each table's engine files take descriptors, and the
// soft limit is often 1024 where the hard one is far higher: take it all.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t soft = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) limit.rlim_cur = soft;
  }
  log::info("open file limit " + std::to_string(limit.rlim_cur));
}

int serve(const config::Config& cfg) {
  log::configure(cfg.log_json ? log::Format::kJson : log::Format::kText,
                 cfg.log_errors_only ? log::Level::kError : log::Level::kInfo);
  if (cfg.access_log) api::enable_access_log();
  raise_descriptor_limit();
  if (fix_mmap_threshold()) log::info("malloc: blocks of 1 MiB and more are mapped");
  // First: an unusable certificate stops start-up before any table opens.
  const http::ServerOptions options = server_options(cfg);
  // Before anything reads the data directory; held until serve returns.
  storage::DataDirLock data_dir_lock(cfg.data_dir);
  storage::EngineRegistry engines(cfg,
                                  cfg.plugin_dir.empty() ? binary_dir() : cfg.plugin_dir);
  if (cfg.ttl.test_clock_offset_seconds != 0) {
    log::error("WARNING: ttl.test_clock_offset_seconds is " +
               std::to_string(cfg.ttl.test_clock_offset_seconds) +
               ": the server's clock runs ahead of real time, so items expire, stream "
               "records are trimmed and shards roll over early. For tests only; never "
               "set it in production.");
    clock::set_test_offset_seconds(cfg.ttl.test_clock_offset_seconds);
  }
  storage::ReplicationIdentity replication(cfg.data_dir);
  // The data dir's record wins over the config: a promoted replica stays a
  // primary (docs/replication.md).
  const bool follows = cfg.replication.following() && !replication.promoted_from();
  if (cfg.replication.following() && !follows)
    log::notice("replication: this server was promoted from following " +
                cfg.replication.follow + ": it is a primary, replication.follow is ignored");
  if (!follows) {
    if (auto url = replication::promoted_follower(cfg.data_dir, replication.id(),
                                                  cfg.replication.ca_file))
      throw storage::DataDirError(
          "replication: the follower at " + *url + " was promoted from this server (id " +
          replication.id() + ") while it was down and may have taken writes; this server "
          "will not start as a primary. Set replication.follow: " + *url +
          " to follow it (every table is copied again)");
  }
  storage::Catalog catalog(cfg, engines);
  ops::load_iterator_key(cfg.data_dir);
  // Filled in once the listener is bound (port 0 picks one), before run().
  std::string endpoint;
  std::optional<replication::Follower> follower;
  if (follows) follower.emplace(catalog, cfg, replication);
  std::optional<ops::ReplicationSource> replication_source;
  if (cfg.replication.log) replication_source.emplace(catalog, cfg.data_dir);
  api::Service service({catalog, cfg, &endpoint, &replication,
                        replication_source ? &*replication_source : nullptr,
                        follower ? &*follower : nullptr},
                       cfg.commit_threads);
  // Stopped (and joined) before the catalog closes the tables it sweeps.
  std::optional<ops::TtlSweeper> ttl_sweeper;
  std::optional<ops::StreamTrimmer> stream_trimmer;
  std::optional<ops::PitrCheckpointer> pitr_checkpointer;
  if (cfg.background_work) {
    // A replica's expired items go when the primary's deletions arrive.
    ttl_sweeper.emplace(catalog, cfg.ttl,
                        [&follower] { return follower && follower->following(); });
    stream_trimmer.emplace(catalog, cfg.streams, cfg.replication);
    pitr_checkpointer.emplace(catalog, cfg.backups);
  } else {
    log::notice("background work off: no TTL sweeps, stream trimming, PITR checkpoints, "
                "item recounts or resumed index work");
  }
  http::Server server(options, [&](http::Request& req, http::Response& res) {
    api::Call call = read_call(req);
    api::Reply reply;
    service.handle(call, reply);
    res.status = reply.status;
    res.content_type = reply.content_type;
    res.body = std::move(reply.body);
  });
  metrics::Registry::global().gauge("jormun_connections", "Connections open now.", [&] {
    return std::vector<metrics::Sample>{{{}, static_cast<double>(server.connections())}};
  });
  metrics::Registry::global().gauge("jormun_tables", "Tables in the catalog.", [&] {
    return std::vector<metrics::Sample>{{{}, static_cast<double>(catalog.names().size())}};
  });
  // Which engine holds each table: DynamoDB's answers have no member for it,
  // and `jormun-admin stats` reads it here.
  metrics::Registry::global().gauge(
      "jormun_table_engine", "1 for each table, labelled with the engine that holds it.", [&] {
        std::vector<metrics::Sample> samples;
        for (const auto& name : catalog.names())
          if (auto table = catalog.find(name))
            samples.push_back({{{"table", name}, {"engine", table->schema().engine}}, 1});
        return samples;
      });
  storage::register_engine_metrics(catalog);
  // An IPv6 address takes brackets before its port.
  endpoint = (cfg.host.find(':') == std::string::npos ? cfg.host : "[" + cfg.host + "]") +
             ":" + std::to_string(server.port());
  log::notice("jormundb listening on " + endpoint + ", data in " + cfg.data_dir);
  // Worded apart from the line above, which scripts read for the HTTP port.
  if (cfg.tls.enabled())
    log::notice("jormundb serving TLS on " + cfg.host + ":" +
              std::to_string(server.tls_port()));
  if (follower) {
    log::notice("replication: following " + cfg.replication.follow);
    follower->start(cfg.replication.advertise.empty() ? "http://" + endpoint
                                                      : cfg.replication.advertise);
  }
  server.stop_on_signals();
  server.run();
  // Before the catalog closes the tables it writes.
  follower.reset();
  log::notice("jormundb stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    config::CommandLine cl = config::parse_command_line(argc, argv);
    if (cl.help) {
      std::cout << config::kHelp;
      return 0;
    }
    config::Config cfg = config::load_config(cl.config_path);
    config::apply_environment(
        cfg, [](const char* name) -> const char* { return std::getenv(name); });
    config::apply_overrides(cfg, cl);
    config::check_exposure(cfg.host, cfg.auth);
    return serve(cfg);
  } catch (const config::ConfigError& e) {
    std::cerr << "jormundb: " << e.what() << "\n";
    return 2;
  } catch (const storage::DataDirError& e) {
    // Its own status, so a supervisor can tell "the data needs a person"
    // from a crash worth restarting.
    std::cerr << "jormundb: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "jormundb: " << e.what() << "\n";
    return 1;
  }
}
