#include "expr/resolver.h"

#include <string>
#include <vector>

#include "common/api_error.h"
#include "expr/condition_checks.h"
#include "expr/errors.h"
#include "expr/path_overlap.h"
#include "expr/update_checks.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;

bool valid_placeholder_key(const std::string& key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (size_t i = 1; i < key.size(); ++i) {
    const char c = key[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// DynamoDB's limit on the length of a placeholder (#name or :value).
constexpr size_t kMaxPlaceholderBytes = 255;

template <typename Map>
void validate_map(const Map* map, const char* parameter, char sigil) {
  if (map == nullptr) return;
  if (map->empty())
    throw ApiError::validation(std::string(parameter) + " must not be empty");
  for (const auto& entry : *map) {
    const std::string& key = entry.first;
    if (key.size() > kMaxPlaceholderBytes) {
      throw ApiError::validation(std::string(parameter) +
                                 " contains invalid key: The expression attribute map "
                                 "contains a key that is too long; size of key: " +
                                 std::to_string(key.size()));
    }
    if (!valid_placeholder_key(key, sigil)) {
      throw ApiError::validation(std::string(parameter) +
                                 " contains invalid key: Syntax error; key: \"" + key +
                                 "\"");
    }
  }
}

template <typename Set>
std::string unused_keys(const Set& used, const auto& map) {
  std::string keys;
  for (const auto& entry : map) {
    if (used.count(entry.first)) continue;
    if (!keys.empty()) keys += ", ";
    keys += entry.first;
  }
  return keys;
}

}  // namespace

void validate_attribute_maps(const AttributeNames* names, const AttributeValues* values) {
  validate_map(names, "ExpressionAttributeNames", '#');
  validate_map(values, "ExpressionAttributeValues", ':');
}

Resolver::Resolver(const AttributeNames* names, const AttributeValues* values)
    : names_(names), values_(values) {}

void Resolver::resolve_path(Path& path, ExpressionKind kind) {
  for (PathElement& e : path.elements) {
    auto* name = std::get_if<std::string>(&e);
    if (name == nullptr || name->empty() || (*name)[0] != '#') continue;
    const std::string* resolved = nullptr;
    if (names_ != nullptr) {
      auto it = names_->find(*name);
      if (it != names_->end()) resolved = &it->second;
    }
    if (resolved == nullptr) {
      throw invalid_expression(
          kind,
          "An expression attribute name used in the document path is not defined; "
          "attribute name: " +
              *name);
    }
    used_names_.insert(*name);
    *name = *resolved;
  }
}

void Resolver::resolve_operand(Operand& op, ExpressionKind kind) {
  switch (op.kind) {
    case Operand::Kind::kPath:
      resolve_path(op.path, kind);
      break;
    case Operand::Kind::kValue: {
      const AttributeValue* v = nullptr;
      if (values_ != nullptr) {
        auto it = values_->find(op.value_name);
        if (it != values_->end()) v = &it->second;
      }
      if (v == nullptr) {
        throw invalid_expression(
            kind,
            "An expression attribute value used in expression is not defined; attribute "
            "value: " +
                op.value_name);
      }
      used_values_.insert(op.value_name);
      op.value = *v;
      break;
    }
    case Operand::Kind::kFunction:
      for (Operand& arg : op.args) resolve_operand(arg, kind);
      break;
  }
}

void Resolver::resolve_placeholders(Condition& c, ExpressionKind kind) {
  for (Condition& child : c.children) resolve_placeholders(child, kind);
  for (Operand& op : c.operands) resolve_operand(op, kind);
}

Condition Resolver::resolve(const Condition& c, ExpressionKind kind) {
  Condition out = c;
  resolve_placeholders(out, kind);
  check_condition(out, kind);
  return out;
}

UpdateExpression Resolver::resolve(const UpdateExpression& u) {
  constexpr ExpressionKind kKind = ExpressionKind::kUpdate;
  UpdateExpression out = u;
  // DynamoDB reports undefined names before undefined values.
  for (auto& s : out.set) resolve_path(s.path, kKind);
  for (Path& p : out.remove) resolve_path(p, kKind);
  for (auto& a : out.add) resolve_path(a.path, kKind);
  for (auto& d : out.del) resolve_path(d.path, kKind);
  for (auto& s : out.set) resolve_operand(s.value, kKind);
  for (auto& a : out.add) resolve_operand(a.value, kKind);
  for (auto& d : out.del) resolve_operand(d.value, kKind);

  std::vector<const Path*> paths;
  for (UpdateExpression::Clause clause : out.clause_order) {
    switch (clause) {
      case UpdateExpression::Clause::kSet:
        for (const auto& s : out.set) paths.push_back(&s.path);
        break;
      case UpdateExpression::Clause::kRemove:
        for (const Path& p : out.remove) paths.push_back(&p);
        break;
      case UpdateExpression::Clause::kAdd:
        for (const auto& a : out.add) paths.push_back(&a.path);
        break;
      case UpdateExpression::Clause::kDelete:
        for (const auto& d : out.del) paths.push_back(&d.path);
        break;
    }
  }
  check_paths_independent(paths, kKind);

  check_update_operands(out);
  return out;
}

Projection Resolver::resolve(const Projection& p) {
  Projection out = p;
  std::vector<const Path*> paths;
  for (Path& path : out.paths) {
    resolve_path(path, ExpressionKind::kProjection);
    paths.push_back(&path);
  }
  check_paths_independent(paths, ExpressionKind::kProjection);
  return out;
}

void Resolver::check_all_used() const {
  if (names_ != nullptr) {
    std::string keys = unused_keys(used_names_, *names_);
    if (!keys.empty()) {
      throw ApiError::validation(
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {" +
          keys + "}");
    }
  }
  if (values_ != nullptr) {
    std::string keys = unused_keys(used_values_, *values_);
    if (!keys.empty()) {
      throw ApiError::validation(
          "Value provided in ExpressionAttributeValues unused in expressions: keys: {" +
          keys + "}");
    }
  }
}

}  // namespace jormun::expr
