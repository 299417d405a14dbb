#include "model/attribute_value.h"

#include <algorithm>

namespace jormun::model {

const char* type_name(Type t) {
  static const char* const kNames[] = {"S",  "N",  "B",  "BOOL", "NULL",
                                       "SS", "NS", "BS", "L",    "M"};
  return kNames[static_cast<size_t>(t)];
}

namespace {

// std::string's operator< compares through char_traits<char>, which orders
// as unsigned char: DynamoDB's byte order for strings and binaries.
template <typename T>
void sort_unique(std::vector<T>* items) {
  std::sort(items->begin(), items->end());
  items->erase(std::unique(items->begin(), items->end()), items->end());
}

}  // namespace

void canonicalize(StringSet* set) { sort_unique(&set->items); }
void canonicalize(BinarySet* set) { sort_unique(&set->items); }
void canonicalize(NumberSet* set) { sort_unique(&set->items); }

}  // namespace jormun::model
