// The key codec on pairs of arbitrary key values of one type (S, N or B):
// byte order of the encodings must be DynamoDB's order of the values, plain
// and self-delimiting alike; a self-delimiting encoding is never a proper
// prefix of another; and base and index keys sort within a partition as
// their parts do. Numbers come from arbitrary text through Decimal::parse,
// which must refuse bad text with an ApiError.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/api_error.h"
#include "expr/value_compare.h"
#include "fuzz_check.h"
#include "model/key_codec.h"

using namespace jormun;
using model::AttributeValue;

namespace {

std::optional<AttributeValue> key_value(uint8_t type, FuzzedDataProvider& in) {
  std::string bytes = in.ConsumeRandomLengthString(64);
  switch (type % 3) {
    case 0:
      return AttributeValue(std::move(bytes));
    case 1:
      return AttributeValue(model::Binary{std::move(bytes)});
    default:
      try {
        return AttributeValue(model::Decimal::parse(bytes));
      } catch (const ApiError&) {
        return std::nullopt;
      }
  }
}

std::string encode(const AttributeValue& v, bool self_delimiting) {
  std::string out;
  model::append_key_value(v, self_delimiting, &out);
  return out;
}

int sign(int x) { return (x > 0) - (x < 0); }

int byte_order(const std::string& a, const std::string& b) { return sign(a.compare(b)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const uint8_t type = in.ConsumeIntegral<uint8_t>();
  const std::optional<AttributeValue> a = key_value(type, in), b = key_value(type, in);
  if (!a || !b) return 0;
  const int order = sign(*expr::compare_ordered(*a, *b));
  const std::string plain_a = encode(*a, false), plain_b = encode(*b, false);
  const std::string delimited_a = encode(*a, true), delimited_b = encode(*b, true);
  fuzz::check(byte_order(plain_a, plain_b) == order, "plain encodings out of order");
  fuzz::check(byte_order(delimited_a, delimited_b) == order,
              "self-delimiting encodings out of order");
  fuzz::check(order == 0 || !delimited_b.starts_with(delimited_a),
              "a self-delimiting encoding is a prefix of another's");
  fuzz::check(model::partition_hash(*a) == model::partition_hash(*a),
              "partition_hash is not a function");
  if (order == 0) {
    fuzz::check(model::partition_hash(*a) == model::partition_hash(*b),
                "equal values hash apart");
  }
  // Within one partition, items sort by sort key, and index entries by
  // index sort key; distinct items have distinct index keys.
  const AttributeValue pk("p");
  fuzz::check(byte_order(model::base_key(pk, &*a), model::base_key(pk, &*b)) == order,
              "base keys out of sort-key order");
  fuzz::check(byte_order(model::index_key(pk, &*a, pk, &*b),
                         model::index_key(pk, &*b, pk, &*a)) == order,
              "index keys out of index-sort-key order");
  fuzz::check((model::index_key(pk, &*a, *a, nullptr) ==
               model::index_key(pk, &*a, *b, nullptr)) == (order == 0),
              "two items share an index key, or one item has two");
  return 0;
}
