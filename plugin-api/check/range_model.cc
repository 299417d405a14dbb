#include "range_model.h"

#include <algorithm>

namespace jormun::check {

bool in_range(const std::string& key, const host::RangeSpec& range) {
  if (range.lower &&
      (range.lower->inclusive ? key < range.lower->key : key <= range.lower->key))
    return false;
  if (range.upper &&
      (range.upper->inclusive ? key > range.upper->key : key >= range.upper->key))
    return false;
  return true;
}

Entries expected(const Model& model, const host::RangeSpec& range) {
  Entries out;
  for (const auto& [k, v] : model)
    if (in_range(k, range)) out.emplace_back(k, v);
  if (range.reverse) std::reverse(out.begin(), out.end());
  return out;
}

std::string describe(const host::RangeSpec& range) {
  auto side = [](const std::optional<host::Bound>& b) {
    if (!b) return std::string("none");
    return std::string(b->inclusive ? "inclusive '" : "exclusive '") + printable(b->key) +
           "'";
  };
  return "lower " + side(range.lower) + ", upper " + side(range.upper) +
         (range.reverse ? ", reverse" : ", forward");
}

void expect_range(host::Instance& instance, host::Keyspace ks, const Model& model,
                  const host::RangeSpec& range) {
  Entries got = collect(instance, ks, range);
  Entries want = expected(model, range);
  if (got == want) return;
  size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  std::string at = i < got.size() ? "'" + printable(got[i].first) + "'" : "the end";
  std::string should = i < want.size() ? "'" + printable(want[i].first) + "'" : "the end";
  throw CheckFailed(describe(range) + ": entry " + std::to_string(i) + " is " + at +
                    ", expected " + should + " (" + std::to_string(got.size()) +
                    " entries, expected " + std::to_string(want.size()) + ")");
}

}  // namespace jormun::check
