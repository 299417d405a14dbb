#include "ops/durability.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/api_error.h"
#include "partiql/parser.h"
#include "storage/catalog.h"

namespace jormun::ops {
namespace {

// A write to it waits for a shared commit, or for a follower's copy (a
// synchronous primary's: storage/replication_sync.h).
bool waits(const storage::Table& table) {
  return table.writes_wait_for_group() || table.replication_sync();
}

bool waiting_table(Context& ctx, const rapidjson::Value& name) {
  if (!name.IsString()) return false;
  auto table = ctx.catalog.find({name.GetString(), name.GetStringLength()});
  return table && waits(*table);
}

// The table a statement of a PartiQL request names and whether it writes,
// from its text (the parse is cached, and the operation reuses it); nullopt
// for an entry that is not a statement that parses: the operation refuses it.
struct NamedTable {
  std::string table;
  bool writes;
};
std::optional<NamedTable> statement_of(const rapidjson::Value& entry) {
  if (!entry.IsObject()) return std::nullopt;
  auto text = entry.FindMember("Statement");
  if (text == entry.MemberEnd() || !text->value.IsString()) return std::nullopt;
  try {
    auto s = partiql::parse_cached({text->value.GetString(), text->value.GetStringLength()});
    return NamedTable{s->table, s->kind != partiql::Statement::Kind::kSelect &&
                                    s->kind != partiql::Statement::Kind::kExists};
  } catch (const ApiError&) {
    return std::nullopt;
  }
}

// ExecuteStatement and BatchExecuteStatement wait when a write names a
// waiting table; ExecuteTransaction also when its writes span several
// tables, as TransactWriteItems does (a transaction of reads writes nothing).
// The statements of a PartiQL request: Statement, Statements or
// TransactStatements.
std::vector<NamedTable> statements_of(const rapidjson::Value& request) {
  std::vector<NamedTable> statements;
  if (auto one = statement_of(request)) statements.push_back(*one);
  const char* lists[] = {"Statements", "TransactStatements"};
  for (const char* member : lists) {
    auto list = request.FindMember(member);
    if (list == request.MemberEnd() || !list->value.IsArray()) continue;
    for (const auto& entry : list->value.GetArray())
      if (auto s = statement_of(entry)) statements.push_back(*s);
  }
  return statements;
}

bool statements_wait(Context& ctx, const rapidjson::Value& request) {
  const std::vector<NamedTable> statements = statements_of(request);
  const bool transaction = request.HasMember("TransactStatements");
  bool writes = false;
  for (const auto& s : statements) writes = writes || s.writes;
  for (const auto& s : statements) {
    if (!s.writes && !transaction) continue;
    if (!writes) return false;
    auto table = ctx.catalog.find(s.table);
    if (table && waits(*table)) return true;
    if (transaction && s.table != statements.front().table) return true;
  }
  return false;
}

}  // namespace

bool statements_write(const rapidjson::Value& request) {
  if (!request.IsObject()) return false;
  const auto statements = statements_of(request);
  return std::any_of(statements.begin(), statements.end(),
                     [](const NamedTable& s) { return s.writes; });
}

bool waits_for_disk(Context& ctx, const OperationSpec& op,
                    const rapidjson::Value& request) {
  if (op.writes == ItemWrites::kNone || !request.IsObject()) return false;
  if (op.writes == ItemWrites::kTableName) {
    auto it = request.FindMember("TableName");
    return it != request.MemberEnd() && waiting_table(ctx, it->value);
  }
  if (op.writes == ItemWrites::kStatements) return statements_wait(ctx, request);
  if (op.writes == ItemWrites::kTransactItems) {
    // A transaction over several tables syncs its intent and every batch
    // (storage/transaction_log.h), whatever the tables' durability.
    auto items = request.FindMember("TransactItems");
    if (items == request.MemberEnd() || !items->value.IsArray()) return false;
    const rapidjson::Value* first = nullptr;
    for (const auto& action : items->value.GetArray()) {
      if (!action.IsObject()) continue;
      for (const auto& kind : action.GetObject()) {
        if (!kind.value.IsObject()) continue;
        auto name = kind.value.FindMember("TableName");
        if (name == kind.value.MemberEnd()) continue;
        if (waiting_table(ctx, name->value)) return true;
        if (!first) first = &name->value;
        else if (name->value != *first) return true;
      }
    }
    return false;
  }
  auto it = request.FindMember("RequestItems");
  if (it == request.MemberEnd() || !it->value.IsObject()) return false;
  for (const auto& table : it->value.GetObject())
    if (waiting_table(ctx, table.name)) return true;
  return false;
}

}  // namespace jormun::ops
