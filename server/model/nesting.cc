#include "model/nesting.h"

namespace jormun::model {
namespace {

// True when `v`, found at `level`, is or holds a value past kMaxNestingLevels.
bool too_deep(const AttributeValue& v, int level) {
  if (level > kMaxNestingLevels) return true;
  if (v.is<List>()) {
    for (const auto& element : v.as<List>())
      if (too_deep(element, level + 1)) return true;
  } else if (v.is<Map>()) {
    for (const auto& [name, member] : v.as<Map>())
      if (too_deep(member, level + 1)) return true;
  }
  return false;
}

}  // namespace

bool exceeds_nesting_limit(const Item& item) {
  for (const auto& [name, value] : item)
    if (too_deep(value, 1)) return true;
  return false;
}

}  // namespace jormun::model
