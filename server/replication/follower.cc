#include "replication/follower.h"

#include <algorithm>
#include <set>

#include "client/client.h"
#include "common/api_error.h"
#include "common/guarded.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/stop_wait.h"
#include "replication/followed_primary.h"
#include "replication/log_units.h"
#include "replication/primary_link.h"
#include "replication/replica_schema.h"
#include "replication/table_apply.h"

namespace jormun::replication {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};

void say(const std::string& message) { log::notice("replication: " + message); }

}  // namespace

std::string_view state_name(TableState state) {
  return state == TableState::kBootstrapping ? "BOOTSTRAPPING" : "FOLLOWING";
}

Follower::Follower(storage::Catalog& catalog, const config::Config& config,
                   storage::ReplicationIdentity& identity)
    : catalog_(catalog), config_(config), identity_(identity) {
  metrics::Registry::global().collection("replication", [this] {
    metrics::CollectedFamily lag{"jormun_replication_lag_seconds",
                                 "How far each copy of a primary's table is behind it.",
                                 "gauge",
                                 {}};
    metrics::CollectedFamily applied{"jormun_replication_applied_total",
                                     "Changes of the primary applied to each copy.",
                                     "counter",
                                     {}};
    for (const auto& s : status()) {
      lag.samples.push_back(
          {{{"table", s.name}}, static_cast<double>(s.lag_ms) / 1000.0});
      applied.samples.push_back(
          {{{"table", s.name}}, static_cast<double>(s.applied_total)});
    }
    return std::vector<metrics::CollectedFamily>{std::move(lag), std::move(applied)};
  });
}

Follower::~Follower() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void Follower::start(std::string advertise) {
  advertise_ = std::move(advertise);
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

std::vector<TableStatus> Follower::status() const {
  std::lock_guard lock(mu_);
  std::vector<TableStatus> out;
  for (const auto& [id, s] : copies_) out.push_back(s);
  std::sort(out.begin(), out.end(),
            [](const TableStatus& a, const TableStatus& b) { return a.name < b.name; });
  return out;
}

std::optional<TableStatus> Follower::table_status(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (const auto& [id, s] : copies_)
    if (s.name == name) return s;
  return std::nullopt;
}

std::string Follower::promote() {
  std::lock_guard promoting(promote_mu_);
  if (!following_.load()) throw ApiError::validation("This server is a primary already");
  std::string from;
  {
    std::lock_guard lock(mu_);
    from = primary_id_;
    // A copy being made is not whole: promoted, it would stay so.
    for (const auto& [id, s] : copies_)
      if (s.state == TableState::kBootstrapping)
        throw ApiError::validation("Table " + s.name +
                                   " is still being copied from the primary: promote once "
                                   "every table is FOLLOWING");
  }
  if (from.empty()) {
    if (auto recorded = read_followed_primary(config_.data_dir)) from = *recorded;
  }
  if (from.empty())
    throw ApiError::validation("This server has never reached its primary " +
                               primary_url() + ": it holds no copy to promote");
  // No change of the primary lands after the promotion.
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
  identity_.promote(from);
  following_.store(false);
  say("promoted: this server is a primary now (it followed " + primary_url() + ", id " +
      from + ")");
  return from;
}

void Follower::run(std::stop_token stop) noexcept {
  auto backoff = kFirstBackoff;
  while (!stop.stop_requested()) {
    const auto began = std::chrono::steady_clock::now();
    const bool clean =
        guarded("replication from " + primary_url(), [&] { session(stop); });
    if (stop.stop_requested()) break;
    // A session that ran a while was a working one: the next starts quickly.
    if (std::chrono::steady_clock::now() - began > kMaxBackoff) backoff = kFirstBackoff;
    if (!clean)
      log::error("replication: retrying " + primary_url() + " in " +
                 std::to_string(backoff.count()) +
                 " ms; serving reads from the copies meanwhile");
    if (!pause_unless_stopped(backoff, stop)) break;
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
  }
}

void Follower::session(std::stop_token stop) {
  PrimaryLink link(config_.replication);
  // A stop (promotion, shutdown) does not wait out a request to a primary
  // that does not answer.
  std::stop_callback interrupt(stop, [&link] { link.interrupt(); });
  const PrimaryCatalog primary = link.catalog();
  adopt_primary(primary.primary_id);
  reconcile(link, primary, stop);
  while (!stop.stop_requested()) {
    if (!tail_once(link, stop) &&
        !pause_unless_stopped(std::chrono::milliseconds(config_.replication.poll_ms),
                              stop))
      return;
  }
}

void Follower::adopt_primary(const std::string& primary_id) {
  if (primary_id == identity_.id())
    throw std::runtime_error("replication.follow names this server itself");
  auto recorded = read_followed_primary(config_.data_dir);
  if (recorded && *recorded != primary_id) {
    say("the data here came from primary " + *recorded + ", and " + primary_url() +
        " is primary " + primary_id + ": copying every table again");
    for (const auto& name : catalog_.names())
      drop_local(name, "it came from another primary");
  }
  if (!recorded || *recorded != primary_id)
    write_followed_primary(config_.data_dir, primary_id);
  std::lock_guard lock(mu_);
  if (primary_id_ != primary_id) copies_.clear();
  primary_id_ = primary_id;
}

void Follower::drop_local(const std::string& name, std::string_view why) {
  try {
    catalog_.drop(name);
    say("table " + name + " dropped: " + std::string(why));
  } catch (const ApiError&) {
    // Not there any more, or not yet listed: nothing to drop.
  }
  std::lock_guard lock(mu_);
  std::erase_if(copies_, [&](const auto& c) { return c.second.name == name; });
}

void Follower::set_copy(const std::string& id, TableStatus status) {
  std::lock_guard lock(mu_);
  copies_[id] = std::move(status);
}

void Follower::reconcile(PrimaryLink& link, const PrimaryCatalog& primary,
                         std::stop_token stop) {
  std::map<std::string, const storage::TableSchema*> by_name;
  for (const auto& t : primary.tables) by_name[t.name] = &t;
  // A drop waits for every holder of the table to let go: no table is held
  // across one.
  for (const auto& name : catalog_.names()) {
    auto it = by_name.find(name);
    std::string id;
    if (auto local = catalog_.find(name)) id = local->schema().id;
    if (!id.empty() && (it == by_name.end() || it->second->id != id))
      drop_local(name, "the primary has no such table any more");
  }
  std::vector<std::string> missing;
  for (const auto& t : primary.tables) {
    if (stop.stop_requested()) return;
    std::optional<uint64_t> position;
    if (auto local = catalog_.find(t.name)) position = local->replica_position();
    if (!position) {
      missing.push_back(t.name);
      continue;
    }
    auto local = catalog_.find(t.name);
    if (!local) continue;  // dropped meanwhile: the next reconcile copies it
    if (auto changed = updated_replica_schema(local->schema(), t)) {
      catalog_.update_schema(t.name,
                             [&](const storage::TableSchema&) { return *changed; });
      say("table " + t.name + ": schema changed on the primary, applied");
    }
    std::lock_guard lock(mu_);
    TableStatus& s = copies_[t.id];
    s.name = t.name;
    s.id = t.id;
    s.state = TableState::kFollowing;
    s.applied = std::max(s.applied, *position);
  }
  bootstrap(link, missing, stop);
  std::lock_guard lock(mu_);
  catalog_version_ = primary.version;
}

void Follower::bootstrap(PrimaryLink& link, const std::vector<std::string>& names,
                         std::stop_token stop) {
  if (names.empty() || stop.stop_requested()) return;
  // A whole copy is served until its new copy replaces it (create_filled);
  // one without a position (a stop in its copy, before copies were listed
  // only once whole) is not worth serving.
  for (const auto& name : names) {
    bool whole = false;
    if (auto local = catalog_.find(name)) whole = local->replica_position().has_value();
    if (!whole) drop_local(name, "copying it again");
  }
  std::vector<Snapshot> snapshots = link.snapshots(names);
  if (snapshots.size() < names.size())
    say("the primary takes one table's snapshot at a time (it is older than this "
        "server): the tables copied now are each of a moment of their own");
  for (const Snapshot& s : snapshots)
    set_copy(s.schema.id, {s.schema.name, s.schema.id, TableState::kBootstrapping, 0, 0, 0});
  size_t copied = 0;
  try {
    for (; copied < names.size(); ++copied) {
      if (copied == snapshots.size()) {
        snapshots.push_back(link.snapshots({names[copied]}).at(0));
        set_copy(snapshots.back().schema.id, {names[copied], snapshots.back().schema.id,
                                              TableState::kBootstrapping, 0, 0, 0});
      }
      copy(link, snapshots[copied], stop);
    }
  } catch (...) {
    // The snapshots not read are not kept on the primary for nothing (it
    // drops them after a while all the same); a stop has cut the link.
    for (size_t i = copied + 1; i < snapshots.size() && !stop.stop_requested(); ++i)
      guarded("replication: releasing snapshot of " + names[i],
              [&] { link.snapshot_done(snapshots[i].id); });
    throw;
  }
}

void Follower::copy(PrimaryLink& link, const Snapshot& snapshot, std::stop_token stop) {
  const std::string& name = snapshot.schema.name;
  std::string local_id;
  if (auto local = catalog_.find(name)) local_id = local->schema().id;
  if (!local_id.empty() && local_id != snapshot.schema.id)
    drop_local(name, "the primary's table of that name is another one now");
  uint64_t items = 0;
  // Listed only once whole: readers never see part of a copy.
  catalog_.create_filled(replica_schema(snapshot.schema), [&](storage::Table& table) {
    std::optional<std::string> after;
    do {
      if (stop.stop_requested()) throw std::runtime_error("stopping");
      SnapshotPage page = link.page(snapshot.id, after);
      store_items(table, page.items);
      items += page.items.size();
      after = std::move(page.last_key);
    } while (after);
    // Only now: a copy without a position is copied again at the next start.
    set_position(table, snapshot.log_position);
  });
  // Whole from here (promotable), before the primary is asked again.
  set_copy(snapshot.schema.id, {name, snapshot.schema.id, TableState::kFollowing,
                                snapshot.log_position, 0, 0});
  guarded("replication: releasing snapshot of " + name,
          [&] { link.snapshot_done(snapshot.id); });
  say("table " + name + " copied from the primary: " + std::to_string(items) +
      " items, following its log from " + std::to_string(snapshot.log_position));
}

bool Follower::tail_once(PrimaryLink& link, std::stop_token stop) {
  LogRequest request;
  request.follower_id = identity_.id();
  request.follower_url = advertise_;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, s] : copies_) {
      if (s.state != TableState::kFollowing) continue;
      request.from[id] = s.applied;
      request.applied[id] = s.applied;
    }
  }
  const LogAnswer answer = link.log(request);
  if (answer.primary_id != primary_id_)
    throw std::runtime_error("the primary at " + primary_url() +
                             " is another server now");
  bool came = false;
  bool catalog_changed = answer.catalog_version != catalog_version_;
  AnswerUnits units;
  std::vector<std::pair<std::string, std::string>> trimmed;  // TableId, name
  for (const auto& [id, part] : answer.tables) {
    if (stop.stop_requested()) return true;
    std::optional<TableStatus> copy;
    {
      std::lock_guard lock(mu_);
      if (auto it = copies_.find(id); it != copies_.end()) copy = it->second;
    }
    if (!copy) continue;
    if (part.gone) {
      catalog_changed = true;
      continue;
    }
    if (part.trimmed) {
      say("table " + copy->name +
          " fell behind the primary's log: bootstrapping it again");
      trimmed.emplace_back(id, copy->name);
      continue;
    }
    auto table = catalog_.find(copy->name);
    if (!table || table->schema().id != id) {
      catalog_changed = true;
      continue;
    }
    units.tables[id] = {plan_units(part.records, copy->applied, part.next), copy->applied};
    units.open[id] = std::move(table);
    units.end[id] = part.end;
  }
  if (!trimmed.empty()) {
    std::vector<std::string> names;
    for (const auto& [id, name] : trimmed) names.push_back(name);
    bootstrap(link, names, stop);
    came = true;
  }
  for (const auto& [id, name] : trimmed) {
    // Followed from its snapshot on: a part of a set over several tables
    // that the snapshot lacks is waited for by its partners.
    auto table = catalog_.find(name);
    std::lock_guard lock(mu_);
    if (auto it = copies_.find(id);
        table && table->schema().id == id && it != copies_.end()) {
      const uint64_t position = it->second.applied;
      units.tables[id] = {LogPlan{{}, position}, position};
      units.open[id] = std::move(table);
    }
  }
  // A table held at a part waiting for its partners' does not count: the
  // next request waits poll_ms.
  came = apply_answer(units, answer.time_ms) || came;
  if (catalog_changed) reconcile(link, link.catalog(), stop);
  return came;
}

std::set<std::pair<std::string, uint64_t>> Follower::overdue_parts() {
  std::set<std::pair<std::string, uint64_t>> out;
  const auto now = std::chrono::steady_clock::now();
  for (const auto& [id, wait] : waits_)
    if (now - wait.since >= kPartWait) {
      out.emplace(id, wait.first);
      say("table " + table_name(id) + ": the part of a transaction at " +
          std::to_string(wait.first) + " waited " + std::to_string(kPartWait.count()) +
          " s for its other tables' parts: applied alone");
    }
  return out;
}

std::string Follower::table_name(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = copies_.find(id);
  return it == copies_.end() ? id : it->second.name;
}

bool Follower::apply_answer(const AnswerUnits& units, int64_t time_ms) {
  const Schedule schedule = schedule_units(units.tables, overdue_parts());
  std::map<std::string, int64_t> last_time;
  const std::vector<Step>& steps = schedule.steps;
  for (size_t first = 0, end = 0; first < steps.size(); first = end) {
    // Steps of one table alone, one after the other, share a commit: under a
    // load of single writes, a commit per write would cost the follower
    // more than the reads it serves. Readers still see whole units.
    end = first + 1;
    if (steps[first].size() == 1) {
      const std::string& id = steps[first][0].first;
      const std::vector<LogUnit>& plan = units.tables.at(id).plan.units;
      size_t changes = plan[steps[first][0].second].entries.size();
      while (end < steps.size() && steps[end].size() == 1 && steps[end][0].first == id &&
             changes < kChangesPerCommit)
        changes += plan[steps[end++][0].second].entries.size();
    }
    std::vector<TableUnit> parts;
    for (size_t i = first; i < end; ++i)
      for (const auto& [id, at] : steps[i])
        parts.push_back({units.open.at(id).get(), &units.tables.at(id).plan.units[at]});
    apply_units(catalog_.transaction_log(), parts);
    std::lock_guard lock(mu_);
    for (size_t i = first; i < end; ++i)
      for (const auto& [id, at] : steps[i]) {
        const LogUnit& unit = units.tables.at(id).plan.units[at];
        last_time[id] = unit.entries.back().record.time_ms;
        TableStatus& s = copies_[id];
        s.applied = unit.next;
        s.applied_total += unit.entries.size();
      }
  }
  std::lock_guard lock(mu_);
  for (const auto& [id, next] : schedule.next) {
    TableStatus& s = copies_[id];
    s.applied = std::max(s.applied, next);
    auto end = units.end.find(id);
    if (end == units.end.end()) continue;  // copied again just now
    // The oldest change not applied is newer than the last one applied.
    auto last = last_time.find(id);
    s.lag_ms = next >= end->second ? 0
               : last != last_time.end()
                   ? std::max<int64_t>(0, time_ms - last->second)
                   : s.lag_ms;
  }
  // A wait is timed from when the table was first held at that part.
  const auto now = std::chrono::steady_clock::now();
  std::map<std::string, PartWait> waits;
  for (const auto& [id, first] : schedule.waiting) {
    auto it = waits_.find(id);
    waits[id] = it != waits_.end() && it->second.first == first ? it->second
                                                                 : PartWait{first, now};
  }
  waits_ = std::move(waits);
  return !schedule.steps.empty();
}

}  // namespace jormun::replication
