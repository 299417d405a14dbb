// jormun-admin export TABLE: a parallel scan into DynamoDB's export format.
#include <cstdio>
#include <mutex>

#include "admin/commands.h"
#include "admin/export_file.h"
#include "admin/export_line.h"
#include "admin/interrupt.h"
#include "admin/parallel_scan.h"
#include "admin/progress.h"
#include "admin/table_info.h"

namespace jormun::admin {

int run_export(const CommonOptions& common, const ExportOptions& options) {
  Client client(common.endpoint);
  std::optional<TableInfo> table = describe_table(client, options.table);
  if (!table) {
    std::fprintf(stderr, "jormun-admin export: table %s does not exist\n",
                 options.table.c_str());
    return 1;
  }
  LineWriter out(options.out);
  const std::string where = options.out == "-" ? "standard output" : options.out;
  Progress progress(Progress::mode_for(common.quiet), "export " + options.table, "items",
                    common.progress_interval);
  progress.set_total(static_cast<uint64_t>(table->item_count));
  std::mutex out_mutex;
  const bool whole = parallel_scan(
      common.endpoint, options.table, std::nullopt, options.segments, options.page_size,
      [&](const rapidjson::Value& items) {
        std::string lines;
        for (const auto& item : items.GetArray()) append_export_line(item, lines);
        std::lock_guard lock(out_mutex);
        out.write(lines);
        progress.add(items.Size());
      });
  out.close();
  progress.stop();
  const double seconds = progress.seconds();
  if (!whole) {
    std::fprintf(stderr,
                 "jormun-admin export: stopped: %llu items of %s written to %s in %s; "
                 "it is not a whole export of the table\n",
                 static_cast<unsigned long long>(progress.done()), options.table.c_str(),
                 where.c_str(), format_duration(seconds).c_str());
    return kInterruptedStatus;
  }
  if (!common.quiet)
    std::fprintf(stderr, "exported %llu items of %s to %s in %s (%.0f items/s)\n",
                 static_cast<unsigned long long>(progress.done()), options.table.c_str(),
                 where.c_str(), format_duration(seconds).c_str(),
                 seconds > 0 ? static_cast<double>(progress.done()) / seconds : 0.0);
  return 0;
}

}  // namespace jormun::admin
