#include "expr/update_applier.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <optional>

#include "common/api_error.h"
#include "expr/errors.h"
#include "expr/functions.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;
using model::List;
using model::Map;
using model::Type;

[[noreturn]] void invalid_path() {
  throw ApiError::validation(
      "The document path provided in the update expression is invalid for update");
}

// The map or the list that holds the last step of a path (exactly one is set).
struct Parent {
  Map* map = nullptr;
  List* list = nullptr;
};

AttributeValue* child(const Parent& p, const PathElement& e) {
  if (const auto* name = std::get_if<std::string>(&e)) {
    if (p.map == nullptr) invalid_path();
    auto it = p.map->find(*name);
    return it == p.map->end() ? nullptr : &it->second;
  }
  if (p.list == nullptr) invalid_path();
  const uint32_t index = std::get<uint32_t>(e);
  return index < p.list->size() ? &(*p.list)[index] : nullptr;
}

// The parent of `path`'s last step, or nullopt if a step before it is missing.
// A step into a value that is not the map or list the path needs is invalid.
std::optional<Parent> parent_of(Map& item, const Path& path) {
  Parent p{&item, nullptr};
  for (size_t i = 0; i + 1 < path.elements.size(); ++i) {
    AttributeValue* next = child(p, path.elements[i]);
    if (next == nullptr) return std::nullopt;
    if (next->is<Map>()) {
      p = Parent{&next->as<Map>(), nullptr};
    } else if (next->is<List>()) {
      p = Parent{nullptr, &next->as<List>()};
    } else {
      invalid_path();
    }
  }
  const bool last_is_index = std::holds_alternative<uint32_t>(path.elements.back());
  if (last_is_index != (p.list != nullptr)) invalid_path();
  return p;
}

void erase_child(const Parent& p, const PathElement& e) {
  if (p.map != nullptr) {
    p.map->erase(std::get<std::string>(e));
  } else if (std::get<uint32_t>(e) < p.list->size()) {
    p.list->erase(p.list->begin() + std::get<uint32_t>(e));
  }
}

// A SET value computed from the item as it was. A path the item lacks, or a
// function missing an argument, is DynamoDB's missing-attribute error.
AttributeValue value_of(const Operand& op, const Map& old_item) {
  OperandValue v = evaluate_operand(op, &old_item);
  if (v.get() == nullptr) {
    throw ApiError::validation(
        "The provided expression refers to an attribute that does not exist in the "
        "item");
  }
  return std::move(v).take();
}

template <typename T>
std::vector<T> set_union(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

template <typename T>
std::vector<T> set_difference(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Applies `combine` to the items of two sets of the same type; nullopt if
// the types differ or are not sets.
template <typename Combine>
std::optional<AttributeValue> combine_sets(const AttributeValue& a,
                                           const AttributeValue& b, Combine combine) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case Type::SS:
      return model::StringSet{
          combine(a.as<model::StringSet>().items, b.as<model::StringSet>().items)};
    case Type::NS:
      return model::NumberSet{
          combine(a.as<model::NumberSet>().items, b.as<model::NumberSet>().items)};
    case Type::BS:
      return model::BinarySet{
          combine(a.as<model::BinarySet>().items, b.as<model::BinarySet>().items)};
    default:
      return std::nullopt;
  }
}

bool is_empty_set(const AttributeValue& v) {
  switch (v.type()) {
    case Type::SS:
      return v.as<model::StringSet>().items.empty();
    case Type::NS:
      return v.as<model::NumberSet>().items.empty();
    case Type::BS:
      return v.as<model::BinarySet>().items.empty();
    default:
      return false;
  }
}

// An ADD or DELETE whose value does not suit the attribute.
[[noreturn]] void mismatch(bool from_attribute_updates) {
  if (from_attribute_updates)
    throw ApiError::validation("Type mismatch for attribute to update");
  throw update_operand_type_error();
}

// `lists`: ADD of a list appends to it (AttributeUpdates only).
AttributeValue added(const AttributeValue* existing, const AttributeValue& value,
                     bool lists) {
  if (existing == nullptr) return value;
  if (existing->is<model::Decimal>() && value.is<model::Decimal>()) {
    return model::Decimal::add(existing->as<model::Decimal>(),
                               value.as<model::Decimal>());
  }
  if (lists && existing->is<List>() && value.is<List>()) {
    List out = existing->as<List>();
    out.insert(out.end(), value.as<List>().begin(), value.as<List>().end());
    return out;
  }
  auto merged = combine_sets(
      *existing, value, [](const auto& x, const auto& y) { return set_union(x, y); });
  if (!merged) mismatch(lists);
  return std::move(*merged);
}

size_t nesting_depth(const AttributeValue& v) {
  size_t deepest = 0;
  if (v.is<List>()) {
    for (const AttributeValue& e : v.as<List>())
      deepest = std::max(deepest, nesting_depth(e));
  } else if (v.is<Map>()) {
    for (const auto& [k, e] : v.as<Map>()) deepest = std::max(deepest, nesting_depth(e));
  } else {
    return 0;
  }
  return deepest + 1;
}

class Applier {
 public:
  // A null `old_item` is an item that does not exist yet: it starts as its key.
  Applier(const Map* old_item, const Map& key, bool from_attribute_updates)
      : old_(old_item ? *old_item : key),
        item_exists_(old_item != nullptr),
        legacy_(from_attribute_updates),
        result_{old_, {}} {}

  UpdateResult run(const UpdateExpression& u) {
    std::vector<AttributeValue> values;
    values.reserve(u.set.size());
    for (const auto& s : u.set) values.push_back(value_of(s.value, old_));
    // DynamoDB applies the updates of one list by ascending index, so
    // several SETs past its end append in the order of their indexes. The
    // paths are independent, so no other order is observable.
    std::vector<size_t> order(u.set.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return u.set[a].path.elements < u.set[b].path.elements;
    });
    for (size_t i : order) set(u.set[i].path, std::move(values[i]));

    // Removing a[3] before a[1] keeps the indexes of the original list valid.
    std::vector<const Path*> removes;
    for (const Path& p : u.remove) removes.push_back(&p);
    std::sort(removes.begin(), removes.end(),
              [](const Path* a, const Path* b) { return b->elements < a->elements; });
    for (const Path* p : removes) remove(*p);

    for (const auto& a : u.add) add(a.path, a.value.value);
    for (const auto& d : u.del) del(d.path, d.value.value);

    for (const Path& p : result_.updated_paths) {
      auto it = result_.item.find(p.top());
      if (it != result_.item.end() && nesting_depth(it->second) > kMaxNestingDepth) {
        throw ApiError::validation(
            "Nesting Levels have exceeded supported limits: Attributes in the item have "
            "nested levels beyond supported limit");
      }
    }
    return std::move(result_);
  }

 private:
  void set(const Path& path, AttributeValue value) {
    std::optional<Parent> parent = parent_of(result_.item, path);
    if (!parent) invalid_path();
    if (parent->map != nullptr) {
      (*parent->map)[std::get<std::string>(path.elements.back())] = std::move(value);
    } else {
      List& list = *parent->list;
      const uint32_t index = std::get<uint32_t>(path.elements.back());
      if (index < list.size()) {
        list[index] = std::move(value);
      } else {
        list.push_back(std::move(value));
      }
    }
    result_.updated_paths.push_back(path);
  }

  // REMOVE and DELETE under a missing attribute are invalid paths, except
  // that DynamoDB ignores them when the whole item does not exist.
  std::optional<Parent> removal_parent(const Path& path) {
    std::optional<Parent> parent = parent_of(result_.item, path);
    if (!parent && item_exists_) invalid_path();
    return parent;
  }

  void remove(const Path& path) {
    result_.updated_paths.push_back(path);
    std::optional<Parent> parent = removal_parent(path);
    if (parent) erase_child(*parent, path.elements.back());
  }

  void add(const Path& path, const AttributeValue& value) {
    std::optional<Parent> parent = parent_of(result_.item, path);
    if (!parent) invalid_path();
    AttributeValue* existing = child(*parent, path.elements.back());
    AttributeValue sum = added(existing, value, legacy_);
    if (existing != nullptr) {
      *existing = std::move(sum);
      result_.updated_paths.push_back(path);
    } else {
      set(path, std::move(sum));
    }
  }

  void del(const Path& path, const AttributeValue& value) {
    result_.updated_paths.push_back(path);
    std::optional<Parent> parent = removal_parent(path);
    if (!parent) return;
    AttributeValue* existing = child(*parent, path.elements.back());
    if (existing == nullptr) return;
    auto rest = combine_sets(*existing, value, [](const auto& x, const auto& y) {
      return set_difference(x, y);
    });
    if (!rest) mismatch(legacy_);
    if (is_empty_set(*rest)) {
      erase_child(*parent, path.elements.back());
    } else {
      *existing = std::move(*rest);
    }
  }

  const Map& old_;
  const bool item_exists_;
  const bool legacy_;  // UpdateExpression::from_attribute_updates
  UpdateResult result_;
};

}  // namespace

void check_key_attributes_untouched(const UpdateExpression& update,
                                    const std::vector<std::string>& key_names) {
  auto check = [&](const Path& p) {
    if (std::find(key_names.begin(), key_names.end(), p.top()) != key_names.end()) {
      throw ApiError::validation(
          "One or more parameter values were invalid: Cannot update attribute " +
          p.top() + ". This attribute is part of the key");
    }
  };
  for (const auto& s : update.set) check(s.path);
  for (const Path& p : update.remove) check(p);
  for (const auto& a : update.add) check(a.path);
  for (const auto& d : update.del) check(d.path);
}

UpdateResult apply_update(const UpdateExpression& update, const model::Item* old_item,
                          const model::Item& key) {
  return Applier(old_item, key, update.from_attribute_updates).run(update);
}

}  // namespace jormun::expr
