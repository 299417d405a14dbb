#include "ops/read_attributes.h"

#include <algorithm>
#include <string>

#include "common/api_error.h"
#include "ops/table_params.h"
#include "storage/index_entry.h"

namespace jormun::ops {
namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

void operand_paths(const expr::Operand& op, std::vector<const expr::Path*>& out) {
  if (op.kind == expr::Operand::Kind::kPath) out.push_back(&op.path);
  for (const auto& arg : op.args) operand_paths(arg, out);
}

void collect(const expr::Condition& c, std::vector<const expr::Path*>& out) {
  for (const auto& child : c.children) collect(child, out);
  for (const auto& op : c.operands) operand_paths(op, out);
}

// The top-level attributes among `paths` that `index` does not project,
// each once, in the order they are first named.
std::vector<std::string> not_projected(const storage::TableSchema& table,
                                       const storage::IndexSchema& index,
                                       const std::vector<const expr::Path*>& paths) {
  std::vector<std::string> out;
  for (const expr::Path* p : paths)
    if (!storage::index_projects(table, index, p->top()) &&
        std::find(out.begin(), out.end(), p->top()) == out.end())
      out.push_back(p->top());
  return out;
}

std::string listed(const std::vector<std::string>& names) {
  return "[" + join(names) + "]";
}

}  // namespace

std::vector<const expr::Path*> condition_paths(const expr::Condition& c) {
  std::vector<const expr::Path*> out;
  collect(c, out);
  return out;
}

std::vector<const expr::Path*> projection_paths(const expr::Projection& p) {
  std::vector<const expr::Path*> out;
  for (const auto& path : p.paths) out.push_back(&path);
  return out;
}

void check_key_paths(const std::vector<const expr::Path*>& paths,
                     const storage::TableSchema& table) {
  auto check = [&](const std::string& key, const char* kind) {
    for (const expr::Path* p : paths)
      if (p->elements.size() > 1 && p->top() == key)
        throw ApiError::validation(
            "Key attributes must be scalars; list random access '[]' and map lookup '.' "
            "are "
            "not allowed: " +
            std::string(kind) + ": " + key);
  };
  check(table.partition_key.name, "Key");
  if (table.sort_key) check(table.sort_key->name, "Key");
  for (const auto& ix : table.indexes) {
    for (const storage::KeyAttribute* k : ix.partition_keys()) check(k->name, "IndexKey");
    for (const storage::KeyAttribute* k : ix.sort_keys()) check(k->name, "IndexKey");
  }
}

bool reads_from_table(const storage::TableSchema& table,
                      const storage::IndexSchema& index, const IndexRead& read) {
  if (index.projection == storage::IndexSchema::Projection::kAll) return false;
  if (index.global && read.all_attributes)
    throw ApiError::validation(kInvalid +
                               "Select type ALL_ATTRIBUTES is not supported for global "
                               "secondary index " +
                               index.name + " because its projection type is not ALL");
  std::vector<std::string> projected_out =
      read.projection ? not_projected(table, index, projection_paths(*read.projection))
                      : std::vector<std::string>{};
  std::vector<std::string> filtered_out =
      read.filter ? not_projected(table, index, condition_paths(*read.filter))
                  : std::vector<std::string>{};
  if (!index.global)
    return read.all_attributes || !projected_out.empty() || !filtered_out.empty();
  if (!projected_out.empty())
    throw ApiError::validation(kInvalid + "Global secondary index " + index.name +
                               " does not project " + listed(projected_out));
  if (!filtered_out.empty())
    throw ApiError::validation(
        kInvalid + "Secondary index " + index.name +
        " does not project one or more filter attributes: " + listed(filtered_out));
  return false;
}

}  // namespace jormun::ops
