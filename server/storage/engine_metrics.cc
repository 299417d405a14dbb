#include "storage/engine_metrics.h"

#include <charconv>
#include <map>

#include "common/metrics.h"

namespace jormun::storage {
namespace {

// Names and values cross the ABI as text; only what the text format can
// carry becomes a sample.
bool is_metric_name_part(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::optional<double> number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<metrics::CollectedFamily> collect(Catalog& catalog) {
  std::map<std::string, metrics::CollectedFamily> by_stat;  // sorted: a stable exposition
  for (const std::string& name : catalog.names()) {
    std::shared_ptr<Table> table = catalog.find(name);
    if (!table) continue;  // being restored, or dropped since names()
    std::optional<std::vector<std::pair<std::string, std::string>>> stats;
    try {
      stats = table->engine_stats_if_open();
    } catch (const std::exception&) {
      // Not logged: a scrape every few seconds would repeat it, and the
      // engine's failure shows in the table's own requests.
      continue;
    }
    if (!stats) continue;
    for (const auto& [stat, text] : *stats) {
      std::optional<double> value = number(text);
      if (!value || !is_metric_name_part(stat)) continue;
      metrics::CollectedFamily& family = by_stat[stat];
      if (family.name.empty()) {
        family.name = "jormun_engine_" + stat;
        family.help = "The engine's statistic " + stat +
                      " for each open table (engine-specific; see README, Metrics).";
        family.type = stat.ends_with("_total") ? "counter" : "gauge";
      }
      family.samples.push_back({{{"table", name}, {"engine", table->schema().engine}}, *value});
    }
  }
  std::vector<metrics::CollectedFamily> out;
  out.reserve(by_stat.size());
  for (auto& [stat, family] : by_stat) out.push_back(std::move(family));
  return out;
}

}  // namespace

void register_engine_metrics(Catalog& catalog) {
  metrics::Registry::global().collection("engine statistics",
                                         [&catalog] { return collect(catalog); });
}

}  // namespace jormun::storage
