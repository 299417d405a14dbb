#include "storage/key_range.h"

#include "model/key_codec.h"

namespace jormun::storage {
namespace {

using Op = SortKeyRange::Op;

host::Bound inclusive(std::string key) { return {std::move(key), true}; }
host::Bound exclusive(std::string key) { return {std::move(key), false}; }

// prefix + the sort key value in the form the key layout stores it.
std::string with_value(const std::string& prefix, const model::AttributeValue& v,
                       bool delimited) {
  std::string k = prefix;
  model::append_key_value(v, delimited, &k);
  return k;
}

// Every key whose encoded part starts with `start`: [start, successor(start)).
void whole_prefix(host::RangeSpec& r, const std::string& start) {
  r.lower = inclusive(start);
  if (auto next = prefix_successor(start)) r.upper = exclusive(*next);
}

}  // namespace

std::optional<std::string> prefix_successor(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xFF)
    prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
  return prefix;
}

host::RangeSpec query_range(const model::AttributeValue& partition_value,
                            const std::optional<SortKeyRange>& sort, bool delimited) {
  return query_range(KeyRange{partition_value, sort, {}, {}}, delimited);
}

std::string partition_prefix(const KeyRange& key) {
  std::vector<const model::AttributeValue*> values{&key.partition_value};
  for (const auto& v : key.more_partition_values) values.push_back(&v);
  return model::partition_prefix(model::KeyTuple(values));
}

host::RangeSpec query_range(const KeyRange& key, bool delimited) {
  // The RANGE attributes pinned with = extend the prefix the way the index
  // key stores them, so the last condition applies within it.
  std::string p = partition_prefix(key);
  for (const auto& v : key.sort_prefix) model::append_key_value(v, true, &p);
  const std::optional<SortKeyRange>& sort = key.sort;
  host::RangeSpec r;
  whole_prefix(r, p);
  if (!sort) return r;
  const auto& v = sort->values;
  // With a delimited sort key, "key == v" is a whole prefix (base key parts
  // follow), so <= and > use the successor of that prefix.
  auto at = [&](const model::AttributeValue& x) { return with_value(p, x, delimited); };
  auto upper_le = [&](const model::AttributeValue& x) {
    if (!delimited) return inclusive(at(x));
    auto next = prefix_successor(at(x));
    return next ? exclusive(*next) : *r.upper;
  };
  auto lower_gt = [&](const model::AttributeValue& x) {
    if (!delimited) return exclusive(at(x));
    auto next = prefix_successor(at(x));
    return next ? inclusive(*next) : exclusive(at(x));
  };
  switch (sort->op) {
    case Op::kEq:
      if (delimited) {
        whole_prefix(r, at(v[0]));
      } else {
        r.lower = inclusive(at(v[0]));
        r.upper = inclusive(at(v[0]));
      }
      break;
    case Op::kLt:
      r.upper = exclusive(at(v[0]));
      break;
    case Op::kLe:
      r.upper = upper_le(v[0]);
      break;
    case Op::kGt:
      r.lower = lower_gt(v[0]);
      break;
    case Op::kGe:
      r.lower = inclusive(at(v[0]));
      break;
    case Op::kBetween:
      r.lower = inclusive(at(v[0]));
      r.upper = upper_le(v[1]);
      break;
    case Op::kBeginsWith: {
      // The plain encoding of S and B is the bytes themselves, and the
      // delimited one escapes byte by byte before a two-byte terminator, so
      // "starts with s" is a prefix range on either form minus the terminator.
      std::string start = with_value(p, v[0], delimited);
      if (delimited) start.resize(start.size() - 2);
      whole_prefix(r, start);
      break;
    }
  }
  return r;
}

bool contains(const host::RangeSpec& r, std::string_view key) {
  if (r.lower && (key < r.lower->key || (key == r.lower->key && !r.lower->inclusive)))
    return false;
  if (r.upper && (key > r.upper->key || (key == r.upper->key && !r.upper->inclusive)))
    return false;
  return true;
}

void start_after(host::RangeSpec& r, const std::string& key) {
  std::optional<host::Bound>& bound = r.reverse ? r.upper : r.lower;
  // The bound already excludes everything up to `key` when it lies beyond it
  // (or at it, excluding it); then it stays.
  if (bound && (r.reverse ? bound->key < key : bound->key > key)) return;
  if (bound && bound->key == key && !bound->inclusive) return;
  bound = exclusive(key);
}

host::RangeSpec segment_range(uint64_t segment, uint64_t total) {
  auto boundary = [&](uint64_t s) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(s) << 64) / total);
  };
  host::RangeSpec r;
  if (segment > 0) {
    std::string lo;
    model::append_hash(boundary(segment), &lo);
    r.lower = inclusive(lo);
  }
  if (segment + 1 < total) {
    std::string hi;
    model::append_hash(boundary(segment + 1), &hi);
    r.upper = exclusive(hi);
  }
  return r;
}

}  // namespace jormun::storage
