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
    unit.first = first;
    for (const LogEntry& e : unit.entries)
      if (e.record.transaction && (!unit.transaction || !e.record.transaction->parts.empty()))
        unit.transaction = e.record.transaction;
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

namespace {

// Where schedule_units stands in one table's units.
struct Cursor {
  const TableUnits* table;
  size_t at = 0;         // the next unit to schedule
  bool waiting = false;  // held at `at` until the next answer

  const std::vector<LogUnit>& units() const { return table->plan.units; }
  bool done() const { return at >= units().size(); }
  const LogUnit& head() const { return units()[at]; }
  // Every change numbered below it is applied once the steps so far are.
  uint64_t position() const { return at == 0 ? table->applied : units()[at - 1].next; }
};

enum class Partner { kSkip, kJoin, kLater, kAbsent };

// What a part of transaction `id` does about its partner part `part`
// (whose table's cursor is `c`): skip it, join its unit (the head), let
// the partner's earlier units go first, or wait for it.
Partner partner(const Cursor& c, const storage::StreamRecord::Transaction::Part& part,
                uint64_t id) {
  if (part.first < c.position()) return Partner::kSkip;  // the copy holds it
  if (!c.done()) {
    const LogUnit& head = c.head();
    if (head.first < part.first) return Partner::kLater;
    if (head.first == part.first)
      return head.transaction && head.transaction->id == id ? Partner::kJoin : Partner::kSkip;
    return Partner::kSkip;  // not in the stretch of log the answer held
  }
  return c.table->plan.next <= part.first ? Partner::kAbsent : Partner::kSkip;
}

}  // namespace

Schedule schedule_units(const std::map<std::string, TableUnits>& tables,
                        const std::set<std::pair<std::string, uint64_t>>& alone) {
  std::map<std::string, Cursor> cursors;
  for (const auto& [id, t] : tables) cursors.emplace(id, Cursor{&t});
  Schedule out;
  // Schedules the head of `id`'s units if it can go now.
  auto advance = [&](const std::string& id, Cursor& c) {
    const LogUnit& unit = c.head();
    Step step{{id, c.at}};
    const auto& txn = unit.transaction;
    if (txn && !alone.contains({id, unit.first})) {
      for (const auto& part : txn->parts) {
        auto p = cursors.find(part.table_id);
        if (part.table_id == id || p == cursors.end()) continue;
        switch (partner(p->second, part, txn->id)) {
          case Partner::kSkip:
            break;
          case Partner::kJoin:
            step.emplace_back(part.table_id, p->second.at);
            break;
          case Partner::kLater:
            return false;
          case Partner::kAbsent:
            c.waiting = true;
            out.waiting[id] = unit.first;
            return false;
        }
      }
    }
    for (const auto& [table, at] : step) ++cursors.at(table).at;
    out.steps.push_back(std::move(step));
    return true;
  };
  for (bool progress = true; progress;) {
    progress = false;
    for (auto& [id, c] : cursors)
      while (!c.waiting && !c.done() && advance(id, c)) progress = true;
  }
  for (const auto& [id, c] : cursors) out.next[id] = c.done() ? c.table->plan.next : c.head().first;
  return out;
}

}  // namespace jormun::replication
