// DynamoDB's limit on how deeply attribute values nest.
//
// A top-level attribute's value is level 1 and each list element or map
// member one level deeper, so {"L":[{"S":"x"}]} has two levels. DynamoDB
// keeps 32 levels and refuses a value with a 33rd, wherever the value comes
// from: an Item, a Key, ExpressionAttributeValues or the result of an update.
#pragma once

#include "model/attribute_value.h"

namespace jormun::model {

inline constexpr int kMaxNestingLevels = 32;

// DynamoDB's ValidationException text for a value nested too deeply.
inline constexpr char kNestingTooDeep[] =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested "
    "levels beyond supported limit";

// True when a value of `item` has more than kMaxNestingLevels levels. Walks
// no deeper than one level past the limit, so it is safe on any input.
bool exceeds_nesting_limit(const Item& item);

}  // namespace jormun::model
