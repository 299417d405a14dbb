// jormun-admin: the operator's command line; see help.cc or --help.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "admin/commands.h"
#include "admin/help.h"
#include "admin/interrupt.h"
#include "admin/private_server.h"

namespace {

using namespace jormun::admin;

std::string environment(std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"jormun-admin"};
  app.require_subcommand(1, 1);
  app.fallthrough();
  std::string endpoint = "http://127.0.0.1:8002";
  std::string access_key = environment({"AWS_ACCESS_KEY_ID"});
  std::string secret_key = environment({"AWS_SECRET_ACCESS_KEY"});
  std::string region = environment({"AWS_REGION", "AWS_DEFAULT_REGION"});
  if (region.empty()) region = "us-east-1";
  double progress_seconds = 5;
  CommonOptions common;
  CLI::Option* endpoint_option = app.add_option("--endpoint", endpoint);
  std::string ca_file;
  app.add_option("--ca-file", ca_file);
  std::optional<std::string> data_dir, config_file;
  app.add_option("--data-dir", data_dir);
  app.add_option("--config", config_file);
  app.add_option("--access-key", access_key);
  app.add_option("--secret-key", secret_key);
  app.add_option("--region", region);
  app.add_flag("-q,--quiet", common.quiet);
  app.add_option("--progress-interval", progress_seconds)->check(CLI::PositiveNumber);

  ExportOptions export_options;
  CLI::App* exp = app.add_subcommand("export");
  exp->add_option("TABLE", export_options.table)->required();
  exp->add_option("--out", export_options.out);
  exp->add_option("--segments", export_options.segments)->check(CLI::Range(1, 1000000));
  exp->add_option("--page-size", export_options.page_size)->check(CLI::Range(1, 1000000));

  ImportOptions import_options;
  CLI::App* imp = app.add_subcommand("import");
  imp->add_option("TABLE", import_options.table)->required();
  imp->add_option("FILE", import_options.file)->required();
  imp->add_option("--schema", import_options.schema_file);
  imp->add_flag("--skip-bad", import_options.skip_bad);

  VerifyOptions verify_options;
  CLI::App* ver = app.add_subcommand("verify");
  ver->add_option("TABLE", verify_options.table)->required();
  ver->add_option("--segments", verify_options.segments)->check(CLI::Range(1, 1000000));
  ver->add_option("--max-report", verify_options.max_report)->check(CLI::NonNegativeNumber);

  RebuildIndexOptions rebuild_options;
  CLI::App* reb = app.add_subcommand("rebuild-index");
  reb->add_option("TABLE", rebuild_options.table)->required();
  reb->add_option("INDEX", rebuild_options.index)->required();

  MigrateOptions migrate_options;
  CLI::App* mig = app.add_subcommand("migrate");
  mig->add_option("TABLE", migrate_options.table)->required();
  mig->add_option("--to", migrate_options.engine)->required();
  mig->add_flag("--drop-old", migrate_options.drop_old);

  StatsOptions stats_options;
  CLI::App* sta = app.add_subcommand("stats");
  sta->add_option("TABLE", stats_options.table);

  CLI::App* rep = app.add_subcommand("replication");
  CLI::App* rep_status = rep->add_subcommand("status");
  rep->require_subcommand(1);
  CLI::App* pro = app.add_subcommand("promote");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << kHelp;
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "jormun-admin: " << e.what() << "\n(jormun-admin --help for usage)\n";
    return 2;
  }

  if (data_dir && endpoint_option->count() > 0) {
    std::cerr << "jormun-admin: give --endpoint or --data-dir, not both\n";
    return 2;
  }
  if (config_file && !data_dir) {
    std::cerr << "jormun-admin: --config goes with --data-dir\n";
    return 2;
  }
  // It lives until main returns, whichever way the command ends.
  std::optional<PrivateServer> server;
  if (data_dir) {
    try {
      server.emplace(*data_dir, config_file);
    } catch (const PrivateServer::StartFailed& e) {
      std::cerr << "jormun-admin: cannot open " << *data_dir << ":\n" << e.output;
      return e.status;
    } catch (const std::exception& e) {
      std::cerr << "jormun-admin: cannot open " << *data_dir << ": " << e.what() << "\n";
      return 1;
    }
    endpoint = server->url();
  }
  try {
    common.endpoint = parse_endpoint(endpoint);
    common.endpoint.ca_file = ca_file;
  } catch (const std::invalid_argument& e) {
    std::cerr << "jormun-admin: " << e.what() << "\n";
    return 2;
  }
  if (access_key.empty() != secret_key.empty()) {
    std::cerr << "jormun-admin: give both --access-key and --secret-key, or neither\n";
    return 2;
  }
  // The server wants a well-formed signature even with auth.mode: none (as
  // DynamoDB Local does), and then takes any key: without credentials,
  // sign with a placeholder.
  if (access_key.empty()) {
    access_key = "jormun-admin";
    secret_key = "unused";
  }
  common.endpoint.credentials = {access_key, secret_key, environment({"AWS_SESSION_TOKEN"})};
  common.endpoint.region = region;
  common.progress_interval =
      std::chrono::milliseconds(static_cast<long long>(progress_seconds * 1000));

  catch_interrupts();
  const char* command = app.get_subcommands().front()->get_name().c_str();
  try {
    if (*exp) return run_export(common, export_options);
    if (*imp) return run_import(common, import_options);
    if (*ver) return run_verify(common, verify_options);
    if (*reb) return run_rebuild_index(common, rebuild_options);
    if (*mig) return run_migrate(common, migrate_options);
    if (*rep_status) return run_replication_status(common);
    if (*pro) return run_promote(common);
    return run_stats(common, stats_options);
  } catch (const std::exception& e) {
    std::cerr << "jormun-admin " << command << ": " << e.what() << "\n";
    return 1;
  }
}
