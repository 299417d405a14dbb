#include "answer_checks.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <string_view>

namespace jormun::bench {

namespace {
const rapidjson::Value* typed_attribute(const rapidjson::Value& item, const char* name,
                                        const char* type) {
  if (!item.IsObject()) return nullptr;
  auto attribute = item.FindMember(name);
  if (attribute == item.MemberEnd() || !attribute->value.IsObject()) return nullptr;
  auto value = attribute->value.FindMember(type);
  if (value == attribute->value.MemberEnd() || !value->value.IsString()) return nullptr;
  return &value->value;
}

std::string_view view(const rapidjson::Value& s) {
  return {s.GetString(), s.GetStringLength()};
}
}  // namespace

const rapidjson::Value* string_attribute(const rapidjson::Value& item, const char* name) {
  return typed_attribute(item, name, "S");
}

bool item_is(const rapidjson::Value& item, TableShape shape, uint64_t index,
             const ItemSet& items, std::string& problem) {
  const auto* pk = string_attribute(item, "pk");
  if (!pk || view(*pk) != ItemSet::partition_key(shape, index)) {
    problem = "item " + std::to_string(index) + ": missing or different pk";
    return false;
  }
  if (shape == TableShape::ranged) {
    const auto* sk = typed_attribute(item, "sk", "N");
    uint64_t n = 0;
    if (!sk ||
        std::from_chars(sk->GetString(), sk->GetString() + sk->GetStringLength(), n).ec !=
            std::errc() ||
        n != index % kItemsPerPartition) {
      problem = "item " + std::to_string(index) + ": missing or different sk";
      return false;
    }
  }
  const auto* v = string_attribute(item, "v");
  if (!v || !items.payload_matches(index, view(*v))) {
    problem = "item " + std::to_string(index) + ": payload differs from what was written";
    return false;
  }
  return true;
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace jormun::bench
