#include "expr/resolver.h"

#include <optional>

#include "common/api_error.h"
#include "expr/errors.h"
#include "expr/value_compare.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;
using model::Type;

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

template <typename Map>
void validate_map(const Map* map, const char* parameter, char sigil) {
  if (map == nullptr) return;
  if (map->empty()) throw ApiError::validation(std::string(parameter) + " must not be empty");
  for (const auto& entry : *map) {
    const std::string& key = entry.first;
    if (!valid_placeholder_key(key, sigil)) {
      throw ApiError::validation(std::string(parameter) +
                                 " contains invalid key: Syntax error; key: \"" + key + "\"");
    }
  }
}

// The statically known type of an operand, if any: a :value's own type, or N
// for size(). Paths are only known when evaluated.
std::optional<Type> known_type(const Operand& op) {
  if (op.kind == Operand::Kind::kValue) return op.value.type();
  if (op.kind == Operand::Kind::kFunction && op.function == Function::kSize) return Type::N;
  return std::nullopt;
}

// Overlap: one path is a prefix of the other. Conflict: at the first place
// they differ, one has a name and the other a list index.
enum class PathRelation { kDisjoint, kOverlap, kConflict };

PathRelation relate(const Path& a, const Path& b) {
  const size_t n = std::min(a.elements.size(), b.elements.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.elements[i].index() != b.elements[i].index()) return PathRelation::kConflict;
    if (a.elements[i] != b.elements[i]) return PathRelation::kDisjoint;
  }
  return PathRelation::kOverlap;
}

void check_paths_independent(const std::vector<const Path*>& paths, ExpressionKind kind) {
  std::optional<std::string> conflict;
  for (size_t j = 1; j < paths.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      const PathRelation r = relate(*paths[i], *paths[j]);
      if (r == PathRelation::kDisjoint) continue;
      std::string detail =
          std::string(r == PathRelation::kOverlap ? "Two document paths overlap"
                                                  : "Two document paths conflict") +
          " with each other; must remove or rewrite one of these paths; path one: " +
          path_to_string(*paths[i]) + ", path two: " + path_to_string(*paths[j]);
      if (r == PathRelation::kOverlap) throw invalid_expression(kind, detail);
      if (!conflict) conflict = std::move(detail);
    }
  }
  if (conflict) throw invalid_expression(kind, *conflict);
}

void require_path(const Operand& op, Function f, ExpressionKind kind) {
  if (op.kind == Operand::Kind::kPath) return;
  throw invalid_expression(
      kind, std::string("Operator or function requires a document path; operator or "
                        "function: ") +
                function_name(f));
}

void check_operand_type(const Operand& op, std::string_view function, ExpressionKind kind,
                        bool (*allowed)(Type)) {
  const std::optional<Type> t = known_type(op);
  if (t && !allowed(*t)) {
    throw invalid_expression(kind, incorrect_operand_detail(function, model::type_name(*t)));
  }
}

// Checks of a condition's operand functions (size) and their arguments.
void check_operand_functions(const Operand& op, ExpressionKind kind) {
  if (op.kind != Operand::Kind::kFunction) return;
  for (const Operand& arg : op.args) check_operand_functions(arg, kind);
  if (op.function == Function::kSize) {
    check_operand_type(op.args[0], "size", kind, [](Type t) {
      return t != Type::N && t != Type::BOOL && t != Type::NULL_;
    });
  }
}

void check_distinct(const std::vector<Operand>& operands, std::string_view op_name,
                    ExpressionKind kind) {
  if (operands.size() != 2 || operands[0].kind != Operand::Kind::kPath ||
      operands[1].kind != Operand::Kind::kPath || !(operands[0].path == operands[1].path)) {
    return;
  }
  throw invalid_expression(
      kind,
      "The first operand must be distinct from the remaining operands for this operator or "
      "function; operator: " +
          std::string(op_name) + ", first operand: " + path_to_string(operands[0].path));
}

void check_between_bounds(const Operand& low, const Operand& high, ExpressionKind kind) {
  if (low.kind != Operand::Kind::kValue || high.kind != Operand::Kind::kValue) return;
  const std::string bounds = "lower bound operand: AttributeValue: " +
                             describe_value(low.value) +
                             ", upper bound operand: AttributeValue: " +
                             describe_value(high.value);
  if (low.value.type() != high.value.type()) {
    throw invalid_expression(
        kind, "The BETWEEN operator requires same data type for lower and upper bounds; " +
                  bounds);
  }
  const std::optional<int> order = compare_ordered(low.value, high.value);
  if (order && *order > 0) {
    throw invalid_expression(kind,
                             "The BETWEEN operator requires upper bound to be greater than "
                             "or equal to lower bound; " +
                                 bounds);
  }
}

void check_attribute_type(const Operand& type_operand, ExpressionKind kind) {
  const std::optional<Type> t = known_type(type_operand);
  if (t != Type::S) {
    throw invalid_expression(
        kind, incorrect_operand_detail("attribute_type",
                                       t ? model::type_name(*t)
                                         : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
  }
  const std::string& name = type_operand.value.as<std::string>();
  if (model::type_from_name(name)) return;
  throw invalid_expression(kind, "Invalid attribute type name found; type: " + name +
                                     ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
}

void check_condition(const Condition& c, ExpressionKind kind) {
  for (const Condition& child : c.children) check_condition(child, kind);
  for (const Operand& op : c.operands) check_operand_functions(op, kind);
  switch (c.op) {
    case Condition::Op::kCompare:
      check_distinct(c.operands, comparator_text(c.comparator), kind);
      if (c.comparator != Comparator::kEq && c.comparator != Comparator::kNe) {
        for (const Operand& op : c.operands) {
          check_operand_type(op, comparator_text(c.comparator), kind, is_ordered_type);
        }
      }
      break;
    case Condition::Op::kBetween:
      for (const Operand& op : c.operands) {
        check_operand_type(op, "BETWEEN", kind, is_ordered_type);
      }
      check_between_bounds(c.operands[1], c.operands[2], kind);
      break;
    case Condition::Op::kFunction:
      check_distinct(c.operands, function_name(c.function), kind);
      switch (c.function) {
        case Function::kAttributeExists:
        case Function::kAttributeNotExists:
          require_path(c.operands[0], c.function, kind);
          break;
        case Function::kAttributeType:
          require_path(c.operands[0], c.function, kind);
          check_attribute_type(c.operands[1], kind);
          break;
        case Function::kBeginsWith:
          for (const Operand& op : c.operands) {
            check_operand_type(op, "begins_with", kind,
                               [](Type t) { return t == Type::S || t == Type::B; });
          }
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
}

// ADD takes a number or a set, DELETE only a set; DynamoDB names the
// offending type in words here.
void check_add_delete_value(const Operand& value, bool is_add) {
  const char* word = nullptr;
  switch (value.value.type()) {
    case Type::S: word = "STRING"; break;
    case Type::N: word = is_add ? nullptr : "NUMBER"; break;
    case Type::B: word = "BINARY"; break;
    case Type::NULL_: word = "NULL"; break;
    case Type::BOOL: word = "BOOLEAN"; break;
    case Type::L: word = "LIST"; break;
    case Type::M: word = "MAP"; break;
    default: break;
  }
  if (word == nullptr) return;
  throw invalid_expression(ExpressionKind::kUpdate,
                           std::string("Incorrect operand type for operator or function; "
                                       "operator: ") +
                               (is_add ? "ADD" : "DELETE") + ", operand type: " + word);
}

void check_update_function(const Operand& op) {
  if (op.kind != Operand::Kind::kFunction) return;
  for (const Operand& arg : op.args) check_update_function(arg);
  if (op.function == Function::kIfNotExists) return;
  const Type wanted = op.function == Function::kListAppend ? Type::L : Type::N;
  for (const Operand& arg : op.args) {
    if (arg.kind == Operand::Kind::kValue && arg.value.type() != wanted) {
      throw invalid_expression(
          ExpressionKind::kUpdate,
          incorrect_operand_detail(function_name(op.function), model::type_name(arg.value.type())));
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

  for (const auto& a : out.add) check_add_delete_value(a.value, true);
  for (const auto& d : out.del) check_add_delete_value(d.value, false);
  for (const auto& s : out.set) check_update_function(s.value);
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
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys +
          "}");
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
