// A model of an ordered keyspace, std::map with byte-order keys, and what a
// range over it must yield: the reference the order checks compare engines
// against.
#ifndef JORMUN_CHECK_RANGE_MODEL_H
#define JORMUN_CHECK_RANGE_MODEL_H

#include <map>
#include <string>

#include "kit.h"

namespace jormun::check {

// std::string compares as unsigned bytes, as the ABI orders keys.
using Model = std::map<std::string, std::string>;

bool in_range(const std::string& key, const host::RangeSpec& range);

// The entries of `model` within `range`, in its direction.
Entries expected(const Model& model, const host::RangeSpec& range);

// "lower inclusive 'a', upper none, reverse", for failure messages.
std::string describe(const host::RangeSpec& range);

// Fails the check, naming the first differing entry, unless iterating
// `range` over `ks` yields exactly expected(model, range).
void expect_range(host::Instance& instance, host::Keyspace ks, const Model& model,
                  const host::RangeSpec& range);

}  // namespace jormun::check

#endif
