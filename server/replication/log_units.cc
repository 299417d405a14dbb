#include "replication/log_units.h"

#include <algorithm>
#include <map>

namespace jormun::replication {

LogPlan plan_units(std::vector<LogEntry> entries, uint64_t from, uint64_t answer_next) {
  std::sort(entries.begin(), entries.end(),
            [](const LogEntry& a, const LogEntry& b) { return a.sequence < b.sequence; });
  // Units by their first record's number; a group's records by its first.
  std::map<uint64_t, LogUnit> units;
  std::map<uint64_t, uint64_t> wanted;  // group first -> its size
  for (auto& e : entries) {
    if (e.sequence < from) continue;
    if (!e.record.group) {
      units[e.sequence].entries.push_back(std::move(e));
      continue;
    }
    const auto group = *e.record.group;
    if (group.first < from) continue;
    wanted[group.first] = group.size;
    units[group.first].entries.push_back(std::move(e));
  }
  LogPlan plan;
  plan.next = answer_next;
  for (auto& [first, unit] : units) {
    if (auto w = wanted.find(first);
        w != wanted.end() && unit.entries.size() < w->second) {
      plan.next = first;  // cut: stop before it, ask again from its start
      break;
    }
    plan.units.push_back(std::move(unit));
  }
  for (size_t i = 0; i < plan.units.size(); ++i) {
    plan.units[i].next = i + 1 < plan.units.size()
                             ? plan.units[i + 1].entries.front().sequence
                             : plan.next;
    // One change per item: the last one stands.
    auto& es = plan.units[i].entries;
    std::vector<LogEntry> kept;
    for (auto it = es.rbegin(); it != es.rend(); ++it) {
      const bool seen = std::any_of(kept.begin(), kept.end(), [&](const LogEntry& k) {
        return k.record.keys == it->record.keys;
      });
      if (!seen) kept.push_back(std::move(*it));
    }
    std::reverse(kept.begin(), kept.end());
    es = std::move(kept);
  }
  return plan;
}

}  // namespace jormun::replication
