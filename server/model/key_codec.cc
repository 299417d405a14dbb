#include "model/key_codec.h"

#include <stdexcept>

namespace jormun::model {
namespace {

// Leading bytes of an encoded number. DO NOT CHANGE: on disk.
constexpr uint8_t kNegative = 0x01;
constexpr uint8_t kZero = 0x02;
constexpr uint8_t kPositive = 0x03;

void append_number(const Decimal& d, std::string* out) {
  if (d.is_zero()) {
    out->push_back(static_cast<char>(kZero));
    return;
  }
  out->push_back(static_cast<char>(d.negative() ? kNegative : kPositive));
  size_t start = out->size();
  out->push_back(static_cast<char>(d.exponent() - Decimal::kMinExponent));
  const std::string& digits = d.digits();
  for (size_t i = 0; i < digits.size(); i += 2) {
    int high = digits[i] - '0';
    int low = i + 1 < digits.size() ? digits[i + 1] - '0' : 0;
    out->push_back(static_cast<char>(1 + 10 * high + low));
  }
  out->push_back('\0');
  if (d.negative()) {
    for (size_t i = start; i < out->size(); ++i)
      (*out)[i] = static_cast<char>(~(*out)[i]);
  }
}

void append_bytes(std::string_view bytes, bool self_delimiting, std::string* out) {
  if (!self_delimiting) {
    out->append(bytes);
    return;
  }
  for (char c : bytes) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xFF');
  }
  out->append("\x00\x01", 2);
}

[[noreturn]] void reject_non_key(const AttributeValue& v) {
  throw std::invalid_argument(std::string("not a key type: ") + type_name(v.type()));
}

char type_byte(const AttributeValue& v) {
  switch (v.type()) {
    case Type::S:
      return 'S';
    case Type::N:
      return 'N';
    case Type::B:
      return 'B';
    default:
      reject_non_key(v);
  }
}

constexpr uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;

// FNV-1a 64 of `bytes`, continuing from `h` (the offset basis to start).
uint64_t fnv1a64(std::string_view bytes, uint64_t h = kFnvOffsetBasis) {
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

// MurmurHash3's 64-bit finalizer.
uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

// The partition hash of key values with type bytes `types` whose encoding
// is `encoded`: FNV-1a over both, mixed.
uint64_t hash_of_encoded(std::string_view types, std::string_view encoded) {
  return fmix64(fnv1a64(encoded, fnv1a64(types)));
}

// `h` as 8 bytes big-endian at `at`.
void store_hash(uint64_t h, char* at) {
  for (int i = 0; i < 8; ++i) at[i] = static_cast<char>((h >> (56 - 8 * i)) & 0xFF);
}

// len(t) | t, the length as 2 bytes big-endian: one value plain, several
// each self-delimiting, so that the tuple is one unambiguous string.
void append_length_prefixed(KeyTuple t, std::string* out) {
  const size_t at = out->size();
  out->append(2, '\0');  // the length, once known
  for (const AttributeValue* v : t) append_key_value(*v, t.size() > 1, out);
  const size_t n = out->size() - at - 2;
  if (n > 0xFFFF) throw std::invalid_argument("key value longer than 65535 bytes");
  (*out)[at] = static_cast<char>(n >> 8);
  (*out)[at + 1] = static_cast<char>(n & 0xFF);
}

}  // namespace

size_t key_value_bytes(const AttributeValue& v) {
  if (v.is<std::string>()) return v.as<std::string>().size();
  if (v.is<Binary>()) return v.as<Binary>().bytes.size();
  return 0;
}

void append_key_value(const AttributeValue& v, bool self_delimiting, std::string* out) {
  switch (v.type()) {
    case Type::S:
      append_bytes(v.as<std::string>(), self_delimiting, out);
      return;
    case Type::B:
      append_bytes(v.as<Binary>().bytes, self_delimiting, out);
      return;
    case Type::N:
      append_number(v.as<Decimal>(), out);
      return;
    default:
      reject_non_key(v);
  }
}

uint64_t partition_hash(const AttributeValue& pk) {
  std::string encoded;
  append_key_value(pk, false, &encoded);
  const char type = type_byte(pk);
  return hash_of_encoded({&type, 1}, encoded);
}

void append_hash(uint64_t h, std::string* out) {
  out->append(8, '\0');
  store_hash(h, out->data() + out->size() - 8);
}

std::string partition_prefix(const AttributeValue& pk) {
  const AttributeValue* one[] = {&pk};
  return partition_prefix(KeyTuple(one));
}

std::string partition_prefix(KeyTuple pk) {
  // The hash goes in front once the encoding it covers is known, so the key
  // is built in place.
  std::string out(8, '\0');
  append_length_prefixed(pk, &out);
  std::string types;
  for (const AttributeValue* v : pk) types.push_back(type_byte(*v));
  store_hash(hash_of_encoded(types, std::string_view(out).substr(8 + 2)), out.data());
  return out;
}

std::string base_key(const AttributeValue& pk, const AttributeValue* sk) {
  std::string out = partition_prefix(pk);
  if (sk != nullptr) append_key_value(*sk, false, &out);
  return out;
}

std::string index_key(const AttributeValue& ipk, const AttributeValue* isk,
                      const AttributeValue& pk, const AttributeValue* sk) {
  const AttributeValue* ipks[] = {&ipk};
  return index_key(KeyTuple(ipks), isk ? KeyTuple(&isk, 1) : KeyTuple(), pk, sk);
}

std::string index_key(KeyTuple ipk, KeyTuple isk, const AttributeValue& pk,
                      const AttributeValue* sk) {
  std::string out = partition_prefix(ipk);
  for (const AttributeValue* v : isk) append_key_value(*v, true, &out);
  const AttributeValue* pks[] = {&pk};
  append_length_prefixed(pks, &out);
  if (sk != nullptr) append_key_value(*sk, false, &out);
  return out;
}

}  // namespace jormun::model
