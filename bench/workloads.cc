#include "workloads.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "answer_checks.h"
#include "insert_frontier.h"

namespace jormun::bench {

std::string_view name_of(OpKind kind) {
  static constexpr std::array<std::string_view, kOpKinds> names = {
      "ping",      "put",         "read",       "add",
      "update",    "query",       "short-scan", "scan-page",
      "batch-get", "batch-write", "insert",     "read-modify-write",
      "load",      "transact-write", "transact-get", "read-key",
      "select-key"};
  return names[static_cast<size_t>(kind)];
}

namespace {

constexpr unsigned kBatchSize = 25;  // DynamoDB's limit for both batch calls
constexpr unsigned kScanPage = 100;  // items per Scan call
constexpr size_t kFieldSize = 100;   // YCSB's field length

struct Share {
  OpKind kind;
  double weight;
};

// A workload definition: what fraction of operations is of which kind.
// YCSB's core workloads (A-F) fix their own key distribution.
struct Definition {
  std::string_view name;
  TableShape shape;
  std::optional<Distribution> fixed_distribution;
  std::array<Share, 2> shares;  // a weight of 0 marks an unused slot
  // Distinct items per call of the batch and transaction kinds.
  unsigned group = 0;
};

constexpr std::array kDefinitions = {
    Definition{"ping", TableShape::kv, {}, {{{OpKind::ping, 1}}}},
    Definition{"put", TableShape::kv, {}, {{{OpKind::put, 1}}}},
    Definition{"get", TableShape::kv, {}, {{{OpKind::read, 1}}}},
    Definition{"update", TableShape::kv, {}, {{{OpKind::add, 1}}}},
    Definition{"query", TableShape::ranged, {}, {{{OpKind::query, 1}}}},
    Definition{"scan", TableShape::kv, {}, {{{OpKind::scan_page, 1}}}},
    Definition{"batch-get", TableShape::kv, {}, {{{OpKind::batch_get, 1}}}, kBatchSize},
    Definition{
        "batch-write", TableShape::kv, {}, {{{OpKind::batch_write, 1}}}, kBatchSize},
    Definition{
        "transact-write-2", TableShape::kv, {}, {{{OpKind::transact_write, 1}}}, 2},
    Definition{
        "transact-write-10", TableShape::kv, {}, {{{OpKind::transact_write, 1}}}, 10},
    Definition{
        "transact-get-10", TableShape::kv, {}, {{{OpKind::transact_get, 1}}}, 10},
    // The same items of a ranged table read by GetItem and by PartiQL, for
    // the ratio issue 14 names.
    Definition{"get-key", TableShape::ranged, {}, {{{OpKind::read_key, 1}}}},
    Definition{"select-key", TableShape::ranged, {}, {{{OpKind::select_key, 1}}}},
    Definition{"ycsb-a",
               TableShape::kv,
               Distribution::zipfian,
               {{{OpKind::read, 0.5}, {OpKind::update, 0.5}}}},
    Definition{"ycsb-b",
               TableShape::kv,
               Distribution::zipfian,
               {{{OpKind::read, 0.95}, {OpKind::update, 0.05}}}},
    Definition{"ycsb-c", TableShape::kv, Distribution::zipfian, {{{OpKind::read, 1}}}},
    Definition{"ycsb-d",
               TableShape::kv,
               Distribution::latest,
               {{{OpKind::read, 0.95}, {OpKind::insert, 0.05}}}},
    Definition{"ycsb-e",
               TableShape::ranged,
               Distribution::zipfian,
               {{{OpKind::short_scan, 0.95}, {OpKind::insert, 0.05}}}},
    Definition{"ycsb-f",
               TableShape::kv,
               Distribution::zipfian,
               {{{OpKind::read, 0.5}, {OpKind::read_modify_write, 0.5}}}},
};

const Definition* find_definition(std::string_view name) {
  for (const auto& d : kDefinitions)
    if (d.name == name) return &d;
  return nullptr;
}

std::string_view view(const rapidjson::Value& s) {
  return {s.GetString(), s.GetStringLength()};
}

const rapidjson::Value* member(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(name);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

Verdict wrong(Session& s, std::string problem) {
  s.problem = std::move(problem);
  return Verdict::wrong;
}

// Runs the shares of one definition against one table.
class Mix final : public Workload {
 public:
  Mix(const Definition& definition, const WorkloadSettings& settings)
      : definition_(definition),
        settings_(settings),
        table_(settings_.tables.front()),
        population_(definition.shape == TableShape::kv
                        ? settings.keys
                        : settings.keys / kItemsPerPartition),
        picker_(definition.fixed_distribution.value_or(settings.distribution),
                population_),
        frontier_(population_) {}

  bool begin(Session& s) override;
  Verdict judge(Session& s, const rapidjson::Document& answer) override;

 private:
  OpKind choose(Session& s) const;
  uint64_t pick(Session& s) const { return picker_.pick(s.rng, frontier_.limit()); }
  // DynamoDB refuses a batch or a transaction that names an item twice.
  void pick_distinct_batch(Session& s) const;
  void read(Session& s, uint64_t index);
  // One item of a ranged table: a partition as picked, a sort key uniform.
  uint64_t pick_ranged_item(Session& s) const;
  void update(Session& s);
  Verdict judge_read(Session& s, const rapidjson::Document& answer) const;
  Verdict judge_read_key(Session& s, const rapidjson::Document& answer) const;
  Verdict judge_select_key(Session& s, const rapidjson::Document& answer) const;
  Verdict judge_partition(Session& s, const rapidjson::Document& answer, uint64_t first,
                          uint64_t last) const;
  Verdict judge_scan_page(Session& s, const rapidjson::Document& answer) const;
  Verdict judge_batch_get(Session& s, const rapidjson::Document& answer) const;
  Verdict judge_batch_write(Session& s, const rapidjson::Document& answer);
  Verdict judge_transact_write(Session& s, const rapidjson::Document& answer) const;
  Verdict judge_transact_get(Session& s, const rapidjson::Document& answer) const;

  const Definition& definition_;
  WorkloadSettings settings_;
  const std::string& table_;  // the first of the settings' tables
  uint64_t population_;  // keys, or partitions of a ranged table
  KeyPicker picker_;
  InsertFrontier frontier_;
};

OpKind Mix::choose(Session& s) const {
  const auto& shares = definition_.shares;
  if (shares[1].weight == 0) return shares[0].kind;
  const double u = std::uniform_real_distribution<double>(0, 1)(s.rng);
  return u < shares[0].weight ? shares[0].kind : shares[1].kind;
}

void Mix::pick_distinct_batch(Session& s) const {
  s.batch.clear();
  while (s.batch.size() < definition_.group) {
    const uint64_t index = pick(s);
    if (std::find(s.batch.begin(), s.batch.end(), index) == s.batch.end())
      s.batch.push_back(index);
  }
}

void Mix::read(Session& s, uint64_t index) {
  s.index = index;
  s.op = Operation::GetItem;
  s.request.get_item(table_, TableShape::kv, index);
}

uint64_t Mix::pick_ranged_item(Session& s) const {
  return pick(s) * kItemsPerPartition +
         std::uniform_int_distribution<uint64_t>(0, kItemsPerPartition - 1)(s.rng);
}

void Mix::update(Session& s) {
  s.scratch.clear();
  std::uniform_int_distribution<int> letter(0, 25);
  for (size_t i = 0; i < kFieldSize; ++i)
    s.scratch.push_back(static_cast<char>('a' + letter(s.rng)));
  s.op = Operation::UpdateItem;
  s.request.set_field(table_, s.index, s.scratch);
}

bool Mix::begin(Session& s) {
  s.kind = choose(s);
  s.step = 0;
  const auto& table = table_;
  switch (s.kind) {
    case OpKind::ping:
    case OpKind::read:
    case OpKind::read_modify_write:
      read(s, pick(s));
      break;
    case OpKind::read_key:
      s.index = pick_ranged_item(s);
      s.op = Operation::GetItem;
      s.request.get_item(table, TableShape::ranged, s.index);
      break;
    case OpKind::select_key:
      s.index = pick_ranged_item(s);
      s.op = Operation::ExecuteStatement;
      s.request.select_key(table, s.index);
      break;
    case OpKind::put:
      s.index = pick(s);
      s.op = Operation::PutItem;
      s.request.put_item(table, TableShape::kv, s.index);
      break;
    case OpKind::add:
      s.index = pick(s);
      s.op = Operation::UpdateItem;
      s.request.add_to_counter(table, s.index);
      break;
    case OpKind::update:
      s.index = pick(s);
      update(s);
      break;
    case OpKind::query:
      s.index = pick(s);
      s.op = Operation::Query;
      s.request.query(table, s.index, std::nullopt);
      break;
    case OpKind::short_scan: {
      // YCSB E scans a uniform 1..max items from a zipfian start; here the
      // range lies within one partition of kItemsPerPartition items.
      s.index = pick(s);
      const uint64_t first =
          std::uniform_int_distribution<uint64_t>(0, kItemsPerPartition - 1)(s.rng);
      const uint64_t length =
          std::uniform_int_distribution<uint64_t>(1, kItemsPerPartition)(s.rng);
      s.batch.assign({first, std::min(first + length, kItemsPerPartition) - 1});
      s.op = Operation::Query;
      s.request.query(table, s.index, std::pair{s.batch[0], s.batch[1]});
      break;
    }
    case OpKind::scan_page:
      s.op = Operation::Scan;
      s.request.scan(table, kScanPage, s.cursor);
      break;
    case OpKind::batch_get:
      pick_distinct_batch(s);
      s.op = Operation::BatchGetItem;
      s.request.batch_get(table, s.batch);
      break;
    case OpKind::batch_write:
      pick_distinct_batch(s);
      s.op = Operation::BatchWriteItem;
      s.request.batch_write(table, TableShape::kv, s.batch);
      break;
    case OpKind::transact_write:
      pick_distinct_batch(s);
      s.op = Operation::TransactWriteItems;
      s.request.transact_put(settings_.tables, s.batch);
      break;
    case OpKind::transact_get:
      pick_distinct_batch(s);
      s.op = Operation::TransactGetItems;
      s.request.transact_get(settings_.tables, s.batch);
      break;
    case OpKind::insert:
      // A ranged table grows by whole partitions, so the preloaded ones keep
      // exactly kItemsPerPartition items and their checks stay exact.
      s.index = frontier_.claim();
      s.op = Operation::PutItem;
      s.request.put_item(
          table, definition_.shape,
          definition_.shape == TableShape::kv ? s.index : s.index * kItemsPerPartition);
      break;
    case OpKind::load:
      return false;
  }
  return true;
}

Verdict Mix::judge(Session& s, const rapidjson::Document& answer) {
  switch (s.kind) {
    case OpKind::ping:
    case OpKind::put:
    case OpKind::update:
    case OpKind::load:
      return Verdict::done;
    case OpKind::read:
      return judge_read(s, answer);
    case OpKind::read_key:
      return judge_read_key(s, answer);
    case OpKind::select_key:
      return judge_select_key(s, answer);
    case OpKind::read_modify_write:
      if (s.step == 0) {
        if (judge_read(s, answer) == Verdict::wrong) return Verdict::wrong;
        s.step = 1;
        update(s);
        return Verdict::again;
      }
      return Verdict::done;
    case OpKind::add: {
      const auto* attributes = member(answer, "Attributes");
      const auto* n = attributes ? member(*attributes, "n") : nullptr;
      const auto* number = n ? member(*n, "N") : nullptr;
      uint64_t value = 0;
      if (!number || !number->IsString() ||
          std::from_chars(number->GetString(),
                          number->GetString() + number->GetStringLength(), value)
                  .ec != std::errc() ||
          value == 0)
        return wrong(s, "UpdateItem ADD did not return a positive counter");
      return Verdict::done;
    }
    case OpKind::query:
      return judge_partition(s, answer, 0, kItemsPerPartition - 1);
    case OpKind::short_scan:
      return judge_partition(s, answer, s.batch[0], s.batch[1]);
    case OpKind::scan_page:
      return judge_scan_page(s, answer);
    case OpKind::batch_get:
      return judge_batch_get(s, answer);
    case OpKind::batch_write:
      return judge_batch_write(s, answer);
    case OpKind::transact_write:
      return judge_transact_write(s, answer);
    case OpKind::transact_get:
      return judge_transact_get(s, answer);
    case OpKind::insert:
      if (definition_.shape == TableShape::kv) frontier_.acknowledge(s.index);
      return Verdict::done;
  }
  return Verdict::done;
}

Verdict Mix::judge_read(Session& s, const rapidjson::Document& answer) const {
  const auto* item = member(answer, "Item");
  if (!item) return wrong(s, "GetItem found no item " + std::to_string(s.index));
  return item_is(*item, TableShape::kv, s.index, *settings_.items, s.problem)
             ? Verdict::done
             : Verdict::wrong;
}

Verdict Mix::judge_read_key(Session& s, const rapidjson::Document& answer) const {
  const auto* item = member(answer, "Item");
  if (!item) return wrong(s, "GetItem found no item " + std::to_string(s.index));
  return item_is(*item, TableShape::ranged, s.index, *settings_.items, s.problem)
             ? Verdict::done
             : Verdict::wrong;
}

Verdict Mix::judge_select_key(Session& s, const rapidjson::Document& answer) const {
  const auto* items = member(answer, "Items");
  if (!items || !items->IsArray() || items->Size() != 1)
    return wrong(s, "SELECT by key did not return exactly item " + std::to_string(s.index));
  if (member(answer, "NextToken")) return wrong(s, "SELECT by key answered a NextToken");
  return item_is((*items)[0], TableShape::ranged, s.index, *settings_.items, s.problem)
             ? Verdict::done
             : Verdict::wrong;
}

Verdict Mix::judge_partition(Session& s, const rapidjson::Document& answer,
                             uint64_t first, uint64_t last) const {
  const auto* items = member(answer, "Items");
  const uint64_t expected = last - first + 1;
  if (!items || !items->IsArray() || items->Size() != expected)
    return wrong(s, "Query of partition " + std::to_string(s.index) + " returned " +
                        std::to_string(items && items->IsArray() ? items->Size() : 0) +
                        " items, expected " + std::to_string(expected));
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    const uint64_t index = s.index * kItemsPerPartition + first + i;
    if (!item_is((*items)[i], TableShape::ranged, index, *settings_.items, s.problem))
      return Verdict::wrong;
  }
  return Verdict::done;
}

Verdict Mix::judge_scan_page(Session& s, const rapidjson::Document& answer) const {
  const auto* items = member(answer, "Items");
  if (!items || !items->IsArray()) return wrong(s, "Scan answer without Items");
  for (const auto& item : items->GetArray()) {
    const auto* pk = string_attribute(item, "pk");
    const auto index = pk ? ItemSet::kv_index(view(*pk)) : std::nullopt;
    if (!index) return wrong(s, "Scan returned an item the benchmark did not write");
    if (!item_is(item, TableShape::kv, *index, *settings_.items, s.problem))
      return Verdict::wrong;
  }
  const auto* last_key = member(answer, "LastEvaluatedKey");
  // Pages of kScanPage small items are far below the 1 MB page limit, so
  // only the last page may be short.
  if (last_key && items->Size() != kScanPage)
    return wrong(
        s, "Scan page of " + std::to_string(items->Size()) + " items before the end");
  if (last_key)
    s.cursor = to_json(*last_key);
  else
    s.cursor.clear();  // the table is done: the next page starts over
  return Verdict::done;
}

Verdict Mix::judge_batch_get(Session& s, const rapidjson::Document& answer) const {
  const auto* responses = member(answer, "Responses");
  const auto* items = responses ? member(*responses, table_.c_str()) : nullptr;
  if (!items || !items->IsArray())
    return wrong(s, "BatchGetItem answer without the table's items");
  size_t unprocessed = 0;
  if (const auto* left = member(answer, "UnprocessedKeys")) {
    const auto* table = member(*left, table_.c_str());
    const auto* keys = table ? member(*table, "Keys") : nullptr;
    if (keys && keys->IsArray()) unprocessed = keys->Size();
  }
  if (items->Size() + unprocessed != s.batch.size())
    return wrong(s, "BatchGetItem returned " + std::to_string(items->Size()) +
                        " items and " + std::to_string(unprocessed) +
                        " unprocessed keys for " + std::to_string(s.batch.size()) +
                        " keys");
  for (const auto& item : items->GetArray()) {
    const auto* pk = string_attribute(item, "pk");
    const auto index = pk ? ItemSet::kv_index(view(*pk)) : std::nullopt;
    auto wanted =
        index ? std::find(s.batch.begin(), s.batch.end(), *index) : s.batch.end();
    if (wanted == s.batch.end())
      return wrong(s, "BatchGetItem returned a key it was not asked for");
    // Each key may be returned once: strike it off.
    *wanted = UINT64_MAX;
    if (!item_is(item, TableShape::kv, *index, *settings_.items, s.problem))
      return Verdict::wrong;
  }
  return Verdict::done;
}

Verdict Mix::judge_batch_write(Session& s, const rapidjson::Document& answer) {
  const auto* left = member(answer, "UnprocessedItems");
  if (!left || !left->IsObject() || left->MemberCount() == 0) return Verdict::done;
  s.request.batch_write_unprocessed(to_json(*left));
  return Verdict::again;
}

Verdict Mix::judge_transact_write(Session& s, const rapidjson::Document& answer) const {
  // The benchmark asks for neither capacity nor item collection metrics, so
  // DynamoDB answers an empty object; a cancelled transaction is a 400.
  if (!answer.IsObject() || answer.MemberCount() != 0)
    return wrong(s, "TransactWriteItems answer is not {}");
  return Verdict::done;
}

Verdict Mix::judge_transact_get(Session& s, const rapidjson::Document& answer) const {
  const auto* responses = member(answer, "Responses");
  if (!responses || !responses->IsArray() || responses->Size() != s.batch.size())
    return wrong(s, "TransactGetItems answer without one response per Get");
  // Responses come in the order of the Gets; every table holds the same
  // items, so the index alone says what each must be.
  for (rapidjson::SizeType i = 0; i < responses->Size(); ++i) {
    const auto* item = member((*responses)[i], "Item");
    if (!item)
      return wrong(s, "TransactGetItems found no item " + std::to_string(s.batch[i]));
    if (!item_is(*item, TableShape::kv, s.batch[i], *settings_.items, s.problem))
      return Verdict::wrong;
  }
  return Verdict::done;
}

}  // namespace

std::span<const std::string_view> workload_names() {
  static const auto names = [] {
    std::array<std::string_view, kDefinitions.size()> n{};
    for (size_t i = 0; i < n.size(); ++i) n[i] = kDefinitions[i].name;
    return n;
  }();
  return names;
}

std::unique_ptr<Workload> make_workload(std::string_view name,
                                        const WorkloadSettings& settings) {
  const auto* definition = find_definition(name);
  if (!definition) return nullptr;
  return std::make_unique<Mix>(*definition, settings);
}

std::optional<TableShape> table_shape_of(std::string_view name) {
  const auto* definition = find_definition(name);
  if (!definition || definition->shares[0].kind == OpKind::ping) return std::nullopt;
  return definition->shape;
}

}  // namespace jormun::bench
