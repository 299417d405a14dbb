// jormun-admin verify TABLE: every index entry matches its item, and every
// item has the entries its indexes must hold. Reads the indexes first, then
// the table, through Scan; a table written meanwhile can show disagreements
// that are only writes in flight, so run it on a quiet table, or again.
#include <cstdio>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "admin/commands.h"
#include "admin/export_line.h"
#include "admin/index_entry.h"
#include "admin/interrupt.h"
#include "admin/json_text.h"
#include "admin/parallel_scan.h"
#include "admin/progress.h"
#include "admin/table_info.h"

namespace jormun::admin {
namespace {

// One index's entries, by the key of the item each names, as JSON texts.
using Entries = std::unordered_map<std::string, std::vector<std::string>>;

struct Findings {
  std::map<std::string, std::vector<std::string>> by_index;  // index -> lines
  uint64_t count = 0;

  void add(const std::string& index, std::string line) {
    by_index[index].push_back(std::move(line));
    ++count;
  }
};

// Compares one item with what each index holds for it, and takes the
// entries it accounts for out of `entries`.
void check_item(const rapidjson::Value& item, const TableInfo& table,
                const std::vector<const IndexInfo*>& indexes, std::vector<Entries>& entries,
                Findings& findings) {
  const std::string key = key_text(item, table);
  rapidjson::Document scratch;
  for (size_t i = 0; i < indexes.size(); ++i) {
    const IndexInfo& index = *indexes[i];
    std::optional<rapidjson::Value> expected =
        expected_entry(item, table, index, scratch.GetAllocator());
    auto found = entries[i].find(key);
    if (found == entries[i].end()) {
      if (expected) findings.add(index.name, "item " + key + " has no entry");
      continue;
    }
    if (!expected) {
      findings.add(index.name, "item " + key + " has an entry, but the index must not hold it");
    } else {
      rapidjson::Document entry;
      entry.Parse(found->second.front().c_str());
      if (entry != *expected)
        findings.add(index.name, "item " + key + ": entry " + found->second.front() +
                                     " does not match the item's " + json_text(*expected));
      if (found->second.size() > 1)
        findings.add(index.name, "item " + key + " has " +
                                     std::to_string(found->second.size()) + " entries");
    }
    entries[i].erase(found);
  }
}

}  // namespace

int run_verify(const CommonOptions& common, const VerifyOptions& options) {
  Client client(common.endpoint);
  std::optional<TableInfo> table = describe_table(client, options.table);
  if (!table) {
    std::fprintf(stderr, "jormun-admin verify: table %s does not exist\n",
                 options.table.c_str());
    return 1;
  }
  std::vector<const IndexInfo*> indexes;
  uint64_t total = static_cast<uint64_t>(table->item_count);
  for (const auto& index : table->indexes) {
    if (index.status != "ACTIVE") {
      std::printf("index %s: %s, not verified\n", index.name.c_str(), index.status.c_str());
      continue;
    }
    indexes.push_back(&index);
    total += static_cast<uint64_t>(index.item_count);
  }

  Progress progress(Progress::mode_for(common.quiet), "verify " + options.table, "reads",
                    common.progress_interval);
  progress.set_total(total);
  std::mutex mutex;
  std::vector<Entries> entries(indexes.size());
  std::vector<uint64_t> entry_counts(indexes.size());
  bool whole = true;
  for (size_t i = 0; i < indexes.size() && whole; ++i)
    whole = parallel_scan(common.endpoint, options.table, indexes[i]->name, options.segments, 0,
                          [&](const rapidjson::Value& page) {
                            std::lock_guard lock(mutex);
                            for (const auto& entry : page.GetArray())
                              entries[i][key_text(entry, *table)].push_back(json_text(entry));
                            entry_counts[i] += page.Size();
                            progress.add(page.Size());
                          });
  Findings findings;
  uint64_t items = 0;
  if (whole)
    whole = parallel_scan(common.endpoint, options.table, std::nullopt, options.segments, 0,
                          [&](const rapidjson::Value& page) {
                            std::lock_guard lock(mutex);
                            for (const auto& item : page.GetArray())
                              check_item(item, *table, indexes, entries, findings);
                            items += page.Size();
                            progress.add(page.Size());
                          });
  progress.stop();
  if (!whole) {
    std::fprintf(stderr, "jormun-admin verify: stopped after %llu reads in %s; nothing verified\n",
                 static_cast<unsigned long long>(progress.done()),
                 format_duration(progress.seconds()).c_str());
    return kInterruptedStatus;
  }
  for (size_t i = 0; i < indexes.size(); ++i)
    for (const auto& [key, left] : entries[i])
      for (const auto& entry : left)
        findings.add(indexes[i]->name, "entry " + entry + " names item " + key +
                                           ", which does not exist");

  std::printf("table %s: %llu items\n", options.table.c_str(),
              static_cast<unsigned long long>(items));
  for (size_t i = 0; i < indexes.size(); ++i) {
    const auto& lines = findings.by_index[indexes[i]->name];
    std::printf("index %s: %llu entries, %s\n", indexes[i]->name.c_str(),
                static_cast<unsigned long long>(entry_counts[i]),
                lines.empty() ? "ok" : (std::to_string(lines.size()) + " disagreements").c_str());
    for (size_t n = 0; n < lines.size() && n < static_cast<size_t>(options.max_report); ++n)
      std::printf("  %s\n", lines[n].c_str());
    if (lines.size() > static_cast<size_t>(options.max_report))
      std::printf("  ... and %zu more\n", lines.size() - static_cast<size_t>(options.max_report));
  }
  if (findings.count > 0) {
    std::printf("verify %s: FAILED, %llu disagreements between items and index entries\n",
                options.table.c_str(), static_cast<unsigned long long>(findings.count));
    return 1;
  }
  std::printf("verify %s: ok\n", options.table.c_str());
  return 0;
}

}  // namespace jormun::admin
