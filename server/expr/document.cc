#include "expr/document.h"

namespace jormun::expr {

const model::AttributeValue* find_path(const model::Item& item, const Path& path) {
  auto top = item.find(path.top());
  if (top == item.end()) return nullptr;
  const model::AttributeValue* v = &top->second;
  for (size_t i = 1; i < path.elements.size(); ++i) {
    const PathElement& e = path.elements[i];
    if (const auto* name = std::get_if<std::string>(&e)) {
      if (!v->is<model::Map>()) return nullptr;
      const model::Map& m = v->as<model::Map>();
      auto it = m.find(*name);
      if (it == m.end()) return nullptr;
      v = &it->second;
    } else {
      if (!v->is<model::List>()) return nullptr;
      const model::List& l = v->as<model::List>();
      const uint32_t index = std::get<uint32_t>(e);
      if (index >= l.size()) return nullptr;
      v = &l[index];
    }
  }
  return v;
}

}  // namespace jormun::expr
