// The commands of jormun-admin. Each returns the process's exit status:
// 0 done, 1 failed (or, for verify, disagreements found), 130 stopped by
// Ctrl-C. Messages go to standard error, reports to standard output.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "client/client.h"

namespace jormun::admin {

// The HTTP client lives below the server (server/client/): one copy for both.
using client::Endpoint;
using client::ApiFailure;
using client::Client;
using client::parse_endpoint;

struct CommonOptions {
  Endpoint endpoint;
  bool quiet = false;
  // Between two progress lines when standard error is not a terminal.
  std::chrono::milliseconds progress_interval{5000};
};

struct ExportOptions {
  std::string table;
  std::string out = "-";
  int segments = 1;
  int page_size = 0;  // Scan's Limit; 0 for none
};
int run_export(const CommonOptions& common, const ExportOptions& options);

struct ImportOptions {
  std::string table;
  std::string file;
  std::optional<std::string> schema_file;
  bool skip_bad = false;
};
int run_import(const CommonOptions& common, const ImportOptions& options);

struct VerifyOptions {
  std::string table;
  int segments = 1;
  // Disagreements printed per index; all are counted.
  int max_report = 20;
};
int run_verify(const CommonOptions& common, const VerifyOptions& options);

struct RebuildIndexOptions {
  std::string table;
  std::string index;
};
int run_rebuild_index(const CommonOptions& common, const RebuildIndexOptions& options);

struct MigrateOptions {
  std::string table;
  std::string engine;     // --to: an engine of the server's config
  bool drop_old = false;  // delete the old copy once moved
};
int run_migrate(const CommonOptions& common, const MigrateOptions& options);

struct StatsOptions {
  std::optional<std::string> table;
};
int run_stats(const CommonOptions& common, const StatsOptions& options);

// Read replicas (docs/replication.md): the server's role and, for a
// replica, how far each copy is; promote turns a replica into a primary.
int run_replication_status(const CommonOptions& common);
int run_promote(const CommonOptions& common);

}  // namespace jormun::admin
