// jormun-admin import TABLE FILE: DynamoDB's export format into a table,
// created from --schema when missing.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "admin/batch_writer.h"
#include "admin/commands.h"
#include "admin/export_file.h"
#include "admin/export_line.h"
#include "admin/interrupt.h"
#include "admin/json_text.h"
#include "admin/progress.h"
#include "admin/table_info.h"
#include "common/scope_exit.h"

namespace jormun::admin {
namespace {

// A bad line, or a failure, that ends the import: the message is printed as
// it is, with the exit status 1.
class Stop : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The CreateTable request of --schema, with TableName set to `table`.
std::string read_schema(const std::string& path, const std::string& table,
                        rapidjson::Document& doc) {
  std::ifstream in(path);
  if (!in) throw Stop(path + ": cannot read the schema file");
  std::stringstream text;
  text << in.rdbuf();
  doc.Parse(text.str().c_str());
  if (doc.HasParseError() || !doc.IsObject())
    throw Stop(path + ": not a JSON object (a CreateTable request)");
  doc.RemoveMember("TableName");
  doc.AddMember("TableName", rapidjson::Value(table.c_str(), doc.GetAllocator()),
                doc.GetAllocator());
  return json_text(doc);
}

std::string line_message(const ImportOptions& o, uint64_t line, const std::string& what) {
  return o.file + ":" + std::to_string(line) + ": " + what;
}

// Reads every line of the file, calling on_item(line, item) for the good
// ones; a bad line is skipped with a message under --skip-bad and otherwise
// ends the reading (Stop). Returns the bad lines skipped, and stops early
// (with *whole false) once interrupted.
template <typename OnItem>
uint64_t read_items(const ImportOptions& o, const TableInfo& table, Progress& progress,
                    bool* whole, OnItem&& on_item) {
  LineReader reader(o.file);
  progress.set_fraction_source([&reader] {
    return reader.size() == 0 ? 1.0
                              : static_cast<double>(reader.position()) /
                                    static_cast<double>(reader.size());
  });
  // The progress thread must not call into the reader once it is gone.
  ScopeExit forget_reader([&progress] { progress.set_fraction_source(nullptr); });
  std::string text;
  rapidjson::Document doc;
  uint64_t line = 0, bad = 0;
  *whole = false;
  while (reader.next(text)) {
    ++line;
    if (is_blank_line(text)) continue;
    try {
      on_item(line, parse_export_line(text, table, doc));
    } catch (const BadLine& e) {
      if (!o.skip_bad) throw Stop(line_message(o, line, e.what()));
      std::fprintf(stderr, "%s (skipped)\n", line_message(o, line, e.what()).c_str());
      ++bad;
    }
    if (interrupted()) return bad;
  }
  *whole = true;
  return bad;
}

int import(const CommonOptions& common, const ImportOptions& o) {
  Client client(common.endpoint);
  std::optional<TableInfo> table = describe_table(client, o.table);
  std::string create_request;
  if (!table) {
    if (!o.schema_file)
      throw Stop("table " + o.table +
                 " does not exist; give --schema FILE (a CreateTable request) to create it");
    rapidjson::Document schema;
    create_request = read_schema(*o.schema_file, o.table, schema);
    try {
      table = table_info_from_json(schema);
    } catch (const std::runtime_error& e) {
      throw Stop(*o.schema_file + ": " + e.what());
    }
  }
  const Progress::Mode mode = Progress::mode_for(common.quiet);
  bool whole = false;
  // Without --skip-bad, a bad line must change nothing: every line is
  // checked before the table is created or an item written.
  if (!o.skip_bad) {
    Progress check(mode, "check " + o.file, "items", common.progress_interval);
    read_items(o, *table, check, &whole, [&](uint64_t, const rapidjson::Value&) { check.add(1); });
    check.stop();
    if (!whole) {
      std::fprintf(stderr, "jormun-admin import: stopped while checking %s; nothing was written\n",
                   o.file.c_str());
      return kInterruptedStatus;
    }
  }
  if (!create_request.empty()) {
    client.call("CreateTable", create_request);
    table = wait_until_active(client, o.table, 300);
    if (!common.quiet) std::fprintf(stderr, "created table %s from %s\n", o.table.c_str(),
                                    o.schema_file->c_str());
  }

  Progress progress(mode, "import " + o.table, "items", common.progress_interval);
  uint64_t refused = 0;
  BatchWriter writer(client, o.table, [&](uint64_t line, const std::string& message) {
    if (!o.skip_bad) throw Stop(line_message(o, line, message));
    std::fprintf(stderr, "%s (skipped)\n", line_message(o, line, message).c_str());
    ++refused;
  });
  uint64_t last_line = 0;
  uint64_t bad = 0;
  try {
    bad = read_items(o, *table, progress, &whole, [&](uint64_t line, const rapidjson::Value& item) {
      writer.put(line, key_text(item, *table), json_text(item));
      last_line = line;
      progress.add(1);
    });
    writer.flush();
  } catch (const Stop& e) {
    progress.stop();
    std::fprintf(stderr, "jormun-admin import: %s\n", e.what());
    std::fprintf(stderr, "jormun-admin import: stopped; %llu items were written before\n",
                 static_cast<unsigned long long>(writer.written()));
    return 1;
  }
  progress.stop();
  const double seconds = progress.seconds();
  if (!whole) {
    std::fprintf(stderr,
                 "jormun-admin import: stopped: %llu items of %s (lines 1-%llu) written to %s "
                 "in %s; importing the file again is safe (puts overwrite)\n",
                 static_cast<unsigned long long>(writer.written()), o.file.c_str(),
                 static_cast<unsigned long long>(last_line), o.table.c_str(),
                 format_duration(seconds).c_str());
    return kInterruptedStatus;
  }
  if (!common.quiet) {
    std::fprintf(stderr, "imported %llu items from %s into %s in %s (%.0f items/s)",
                 static_cast<unsigned long long>(writer.written()), o.file.c_str(),
                 o.table.c_str(), format_duration(seconds).c_str(),
                 seconds > 0 ? static_cast<double>(writer.written()) / seconds : 0.0);
    if (bad + refused > 0)
      std::fprintf(stderr, "; %llu bad lines skipped",
                   static_cast<unsigned long long>(bad + refused));
    std::fprintf(stderr, "\n");
  }
  return 0;
}

}  // namespace

int run_import(const CommonOptions& common, const ImportOptions& options) {
  try {
    return import(common, options);
  } catch (const Stop& e) {
    std::fprintf(stderr, "jormun-admin import: %s\n", e.what());
    return 1;
  }
}

}  // namespace jormun::admin
