#include "admin/index_entry.h"

#include <string>

namespace jormun::admin {
namespace {

constexpr size_t kMaxPartitionKeyBytes = 2048;
constexpr size_t kMaxSortKeyBytes = 1024;

// Bytes a base64 text decodes to.
size_t decoded_size(const rapidjson::Value& text) {
  size_t n = text.GetStringLength();
  const char* s = text.GetString();
  size_t padding = 0;
  while (n > 0 && padding < 2 && s[n - 1 - padding] == '=') ++padding;
  return n / 4 * 3 - padding;
}

bool usable_key(const rapidjson::Value& item, const KeyPart& part, size_t max_bytes) {
  auto m = item.FindMember(part.name.c_str());
  if (m == item.MemberEnd() || !m->value.IsObject() || m->value.MemberCount() != 1)
    return false;
  auto typed = m->value.FindMember(part.type.c_str());
  if (typed == m->value.MemberEnd() || !typed->value.IsString()) return false;
  if (part.type == "N") return true;
  const size_t bytes =
      part.type == "B" ? decoded_size(typed->value) : typed->value.GetStringLength();
  return bytes > 0 && bytes <= max_bytes;
}

void copy_attribute(const rapidjson::Value& item, const std::string& name,
                    rapidjson::Value& out, rapidjson::Document::AllocatorType& allocator) {
  auto m = item.FindMember(name.c_str());
  if (m == item.MemberEnd() || out.HasMember(name.c_str())) return;
  out.AddMember(rapidjson::Value(name.c_str(), allocator),
                rapidjson::Value(m->value, allocator), allocator);
}

}  // namespace

std::optional<rapidjson::Value> expected_entry(const rapidjson::Value& item,
                                               const TableInfo& table, const IndexInfo& index,
                                               rapidjson::Document::AllocatorType& allocator) {
  if (!usable_key(item, index.hash, kMaxPartitionKeyBytes)) return std::nullopt;
  if (index.range && !usable_key(item, *index.range, kMaxSortKeyBytes)) return std::nullopt;
  if (index.projection == "ALL") return rapidjson::Value(item, allocator);
  rapidjson::Value entry(rapidjson::kObjectType);
  copy_attribute(item, table.hash.name, entry, allocator);
  if (table.range) copy_attribute(item, table.range->name, entry, allocator);
  copy_attribute(item, index.hash.name, entry, allocator);
  if (index.range) copy_attribute(item, index.range->name, entry, allocator);
  if (index.projection == "INCLUDE")
    for (const auto& name : index.non_key_attributes) copy_attribute(item, name, entry, allocator);
  return entry;
}

}  // namespace jormun::admin
