#include "model/attribute_value.h"

namespace jormun::model {

const char* type_name(Type t) {
  static const char* const kNames[] = {"S",  "N",  "B",  "BOOL", "NULL",
                                       "SS", "NS", "BS", "L",    "M"};
  return kNames[static_cast<size_t>(t)];
}

}  // namespace jormun::model
