#include "expr/projection.h"

#include <map>

namespace jormun::expr {
namespace {

using model::AttributeValue;

// The selected part of one value: the whole of it, or some map keys, or some
// list elements keyed by their original index.
struct Selection {
  const AttributeValue* whole = nullptr;
  std::map<std::string, Selection, std::less<>> keys;
  std::map<uint32_t, Selection> elements;
};

AttributeValue build(const AttributeValue& source, const Selection& s) {
  if (s.whole != nullptr) return *s.whole;
  if (source.is<model::List>()) {
    const model::List& from = source.as<model::List>();
    model::List out;
    for (const auto& [index, sub] : s.elements) out.push_back(build(from[index], sub));
    return out;
  }
  const model::Map& from = source.as<model::Map>();
  model::Map out;
  for (const auto& [key, sub] : s.keys)
    out.emplace(key, build(from.find(key)->second, sub));
  return out;
}

// Marks `path` in `top` if it exists in `item`; leaves `top` unchanged if not.
void select(const model::Item& item, const Path& path,
            std::map<std::string, Selection, std::less<>>& top) {
  auto it = item.find(path.top());
  if (it == item.end()) return;
  const AttributeValue* v = &it->second;
  // Verify the whole path first so a missing tail leaves no empty containers.
  for (size_t i = 1; i < path.elements.size(); ++i) {
    const PathElement& e = path.elements[i];
    if (const auto* name = std::get_if<std::string>(&e)) {
      if (!v->is<model::Map>()) return;
      auto child = v->as<model::Map>().find(*name);
      if (child == v->as<model::Map>().end()) return;
      v = &child->second;
    } else {
      const uint32_t index = std::get<uint32_t>(e);
      if (!v->is<model::List>() || index >= v->as<model::List>().size()) return;
      v = &v->as<model::List>()[index];
    }
  }
  Selection* s = &top[path.top()];
  for (size_t i = 1; i < path.elements.size(); ++i) {
    const PathElement& e = path.elements[i];
    if (const auto* name = std::get_if<std::string>(&e)) {
      s = &s->keys[*name];
    } else {
      s = &s->elements[std::get<uint32_t>(e)];
    }
  }
  s->whole = v;
}

}  // namespace

model::Item project(const model::Item& item, const std::vector<Path>& paths) {
  std::map<std::string, Selection, std::less<>> top;
  for (const Path& p : paths) select(item, p, top);
  model::Item out;
  for (const auto& [name, s] : top) out.emplace(name, build(item.find(name)->second, s));
  return out;
}

}  // namespace jormun::expr
