#include "storage/stream_record.h"

#include <stdexcept>

#include "model/item_codec.h"
#include "model/item_size.h"

namespace jormun::storage {
namespace {

constexpr uint8_t kRecordFormatVersion = 1;
constexpr uint8_t kByService = 1;
constexpr uint8_t kGrouped = 2;
constexpr uint8_t kInTransaction = 4;
constexpr uint8_t kWithParts = 8;
constexpr size_t kSequenceDigits = 21;

void put_u64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>(v >> shift));
}

uint64_t get_u64(std::string_view bytes, size_t at) {
  if (bytes.size() < at + 8) throw std::runtime_error("stream record: truncated");
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
  return v;
}

// An optional item: its length (8 bytes; all ones when absent), then its
// encoding.
constexpr uint64_t kAbsent = ~uint64_t{0};

void put_item(std::string* out, const model::Item* item) {
  if (!item) {
    put_u64(out, kAbsent);
    return;
  }
  std::string encoded = model::encode_item(*item);
  put_u64(out, encoded.size());
  out->append(encoded);
}

std::optional<model::Item> get_item(std::string_view bytes, size_t* at) {
  uint64_t size = get_u64(bytes, *at);
  *at += 8;
  if (size == kAbsent) return std::nullopt;
  if (bytes.size() - *at < size) throw std::runtime_error("stream record: truncated");
  model::Item item = model::decode_item(bytes.substr(*at, size));
  *at += size;
  return item;
}

model::Item key_of(const TableSchema& schema, const model::Item& item) {
  model::Item keys;
  auto copy = [&](const std::string& name) {
    auto it = item.find(name);
    if (it != item.end()) keys.emplace(it->first, it->second);
  };
  copy(schema.partition_key.name);
  if (schema.sort_key) copy(schema.sort_key->name);
  return keys;
}

}  // namespace

std::optional<StreamRecord> make_stream_record(const TableSchema& schema,
                                               StreamSchema::View view,
                                               const model::Item* old,
                                               const model::Item* item, bool by_service,
                                               int64_t time_ms) {
  if (!old && !item) return std::nullopt;
  if (old && item && *old == *item) return std::nullopt;
  StreamRecord r;
  r.event = !old    ? StreamRecord::Event::kInsert
            : !item ? StreamRecord::Event::kRemove
                    : StreamRecord::Event::kModify;
  r.by_service = by_service;
  r.time_ms = time_ms;
  r.keys = key_of(schema, item ? *item : *old);
  const bool keep_old = view == StreamSchema::View::kOldImage ||
                        view == StreamSchema::View::kNewAndOldImages;
  const bool keep_new = view == StreamSchema::View::kNewImage ||
                        view == StreamSchema::View::kNewAndOldImages;
  if (keep_old && old) r.old_image = *old;
  if (keep_new && item) r.new_image = *item;
  return r;
}

std::string encode_stream_record(const StreamRecord& r) {
  std::string out;
  out.push_back(static_cast<char>(kRecordFormatVersion));
  out.push_back(static_cast<char>(r.event));
  out.push_back(static_cast<char>((r.by_service ? kByService : 0) | (r.group ? kGrouped : 0) |
                                  (r.transaction ? kInTransaction : 0) |
                                  (r.transaction && !r.transaction->parts.empty()
                                       ? kWithParts
                                       : 0)));
  put_u64(&out, static_cast<uint64_t>(r.time_ms));
  put_item(&out, &r.keys);
  put_item(&out, r.old_image ? &*r.old_image : nullptr);
  put_item(&out, r.new_image ? &*r.new_image : nullptr);
  if (r.group) {
    put_u64(&out, r.group->first);
    put_u64(&out, r.group->size);
  }
  if (r.transaction) {
    put_u64(&out, r.transaction->id);
    put_u64(&out, r.transaction->tables);
    if (!r.transaction->parts.empty()) {
      put_u64(&out, r.transaction->parts.size());
      for (const auto& part : r.transaction->parts) {
        put_u64(&out, part.table_id.size());
        out.append(part.table_id);
        put_u64(&out, part.first);
      }
    }
  }
  return out;
}

StreamRecord decode_stream_record(std::string_view bytes) {
  if (bytes.size() < 3 || static_cast<uint8_t>(bytes[0]) != kRecordFormatVersion)
    throw std::runtime_error("stream record: unknown format");
  StreamRecord r;
  const auto event = static_cast<uint8_t>(bytes[1]);
  if (event < 1 || event > 3) throw std::runtime_error("stream record: unknown event");
  r.event = static_cast<StreamRecord::Event>(event);
  const auto flags = static_cast<uint8_t>(bytes[2]);
  r.by_service = (flags & kByService) != 0;
  r.time_ms = static_cast<int64_t>(get_u64(bytes, 3));
  size_t at = 11;
  auto keys = get_item(bytes, &at);
  if (!keys) throw std::runtime_error("stream record: no keys");
  r.keys = std::move(*keys);
  r.old_image = get_item(bytes, &at);
  r.new_image = get_item(bytes, &at);
  if (flags & kGrouped) {
    r.group = StreamRecord::Group{get_u64(bytes, at), get_u64(bytes, at + 8)};
    at += 16;
  }
  if (flags & kInTransaction) {
    r.transaction = StreamRecord::Transaction{get_u64(bytes, at), get_u64(bytes, at + 8), {}};
    at += 16;
    if (flags & kWithParts) {
      const uint64_t count = get_u64(bytes, at);
      at += 8;
      // Each part takes 16 bytes at least: a count past that is not ours.
      if (count > (bytes.size() - at) / 16) throw std::runtime_error("stream record: truncated");
      for (uint64_t i = 0; i < count; ++i) {
        const uint64_t size = get_u64(bytes, at);
        at += 8;
        if (bytes.size() - at < size) throw std::runtime_error("stream record: truncated");
        StreamRecord::Transaction::Part part{std::string(bytes.substr(at, size)), 0};
        at += size;
        part.first = get_u64(bytes, at);
        at += 8;
        r.transaction->parts.push_back(std::move(part));
      }
    }
  }
  if (at != bytes.size()) throw std::runtime_error("stream record: trailing bytes");
  return r;
}

std::string stream_record_key(uint64_t stream, uint64_t sequence) {
  std::string key;
  put_u64(&key, stream);
  put_u64(&key, sequence);
  return key;
}

uint64_t stream_of_key(std::string_view key) { return get_u64(key, 0); }
uint64_t sequence_of_key(std::string_view key) { return get_u64(key, 8); }

std::string format_sequence(uint64_t sequence) {
  std::string digits = std::to_string(sequence);
  return std::string(kSequenceDigits - digits.size(), '0') + digits;
}

std::optional<uint64_t> parse_sequence(std::string_view text) {
  if (text.empty() || text.size() > kSequenceDigits) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (~uint64_t{0} - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  return v;
}

uint64_t stream_record_size(const StreamRecord& r) {
  uint64_t size = model::item_size(r.keys);
  if (r.old_image) size += model::item_size(*r.old_image);
  if (r.new_image) size += model::item_size(*r.new_image);
  return size;
}

}  // namespace jormun::storage
