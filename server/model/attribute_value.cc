#include "model/attribute_value.h"

#include <algorithm>
#include <iterator>

namespace jormun::model {
namespace {

// Indexed by Type.
constexpr const char* kTypeNames[] = {"S",  "N",  "B",  "BOOL", "NULL",
                                      "SS", "NS", "BS", "L",    "M"};

// std::string's operator< compares through char_traits<char>, which orders
// as unsigned char: DynamoDB's byte order for strings and binaries.
template <typename T>
void sort_unique(std::vector<T>* items) {
  std::sort(items->begin(), items->end());
  items->erase(std::unique(items->begin(), items->end()), items->end());
}

}  // namespace

const char* type_name(Type t) { return kTypeNames[static_cast<size_t>(t)]; }

std::optional<Type> type_from_name(std::string_view name) {
  for (size_t i = 0; i < std::size(kTypeNames); ++i) {
    if (name == kTypeNames[i]) return static_cast<Type>(i);
  }
  return std::nullopt;
}

void canonicalize(StringSet* set) { sort_unique(&set->items); }
void canonicalize(BinarySet* set) { sort_unique(&set->items); }
void canonicalize(NumberSet* set) { sort_unique(&set->items); }

}  // namespace jormun::model
