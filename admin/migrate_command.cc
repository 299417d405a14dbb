// jormun-admin migrate TABLE --to ENGINE [--drop-old]: moves a table to
// another engine while clients keep using it (JormunMigrateTable; the
// server does the work, storage/catalog_migrate.h), following its progress
// (JormunDescribeMigration) with a bar. Ctrl-C cancels it
// (JormunCancelMigration): the table stays on its engine.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "admin/commands.h"
#include "admin/interrupt.h"
#include "admin/json_text.h"
#include "admin/progress.h"

namespace jormun::admin {
namespace {

constexpr std::chrono::milliseconds kPoll{200};

std::string member(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

uint64_t number(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsUint64() ? it->value.GetUint64() : 0;
}

// The server's description of the table's migration.
rapidjson::Document describe(Client& client, const std::string& request) {
  return client.call("JormunDescribeMigration", request);
}

bool finished(const std::string& phase) {
  return phase == "DONE" || phase == "FAILED" || phase == "CANCELLED";
}

}  // namespace

int run_migrate(const CommonOptions& common, const MigrateOptions& options) {
  Client client(common.endpoint);
  const std::string table = json_string(options.table);
  const std::string request = "{\"TableName\":" + table + "}";
  rapidjson::Document answer = client.call(
      "JormunMigrateTable",
      "{\"TableName\":" + table + ",\"TargetEngine\":" + json_string(options.engine) + "}");
  std::string phase, from = member(answer["Migration"], "SourceEngine");
  Progress progress(Progress::mode_for(common.quiet),
                    "migrate " + options.table + " to " + options.engine, "items",
                    common.progress_interval);
  progress.set_total(number(answer["Migration"], "ItemCount"));
  bool cancelled = false;
  for (;;) {
    const rapidjson::Value& m = answer["Migration"];
    phase = member(m, "Phase");
    // Items copied, then changes caught up: both are work done.
    const uint64_t done = number(m, "ItemsCopied") + number(m, "ChangesCaughtUp");
    if (done > progress.done()) progress.add(done - progress.done());
    if (finished(phase)) break;
    if (interrupted() && !cancelled) {
      client.call("JormunCancelMigration", request);
      cancelled = true;
    }
    std::this_thread::sleep_for(kPoll);
    answer = describe(client, request);
  }
  progress.stop();
  const rapidjson::Value& m = answer["Migration"];
  if (phase == "FAILED") {
    std::fprintf(stderr, "jormun-admin migrate: %s stays on engine %s: %s\n",
                 options.table.c_str(), from.c_str(), member(m, "Error").c_str());
    return 1;
  }
  if (phase == "CANCELLED") {
    std::fprintf(stderr, "jormun-admin migrate: cancelled; %s stays on engine %s\n",
                 options.table.c_str(), from.c_str());
    return kInterruptedStatus;
  }
  std::string dropped;
  if (options.drop_old) {
    rapidjson::Document d = client.call("JormunDropOldTableCopies", request);
    for (const auto& f : d["DroppedCopies"].GetArray())
      dropped += std::string(dropped.empty() ? "" : ", ") + f.GetString();
  }
  if (!common.quiet) {
    std::printf("migrated %s from %s to %s: %llu items copied, %llu changes caught up, in %s\n",
                options.table.c_str(), from.c_str(), options.engine.c_str(),
                static_cast<unsigned long long>(number(m, "ItemsCopied")),
                static_cast<unsigned long long>(number(m, "ChangesCaughtUp")),
                format_duration(progress.seconds()).c_str());
    if (options.drop_old)
      std::printf("old copies dropped: %s\n", dropped.empty() ? "none" : dropped.c_str());
    else
      std::printf("old copy kept: tables/%s (jormun-admin migrate --drop-old, or "
                  "JormunDropOldTableCopies, removes it)\n",
                  member(m, "OldCopy").c_str());
  }
  // A cancel that came after the switch-over: the move stands.
  return 0;
}

}  // namespace jormun::admin
