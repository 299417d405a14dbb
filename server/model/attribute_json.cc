#include "model/attribute_json.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/api_error.h"
#include "model/base64.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "model/item_visitor.h"
#include "model/nesting.h"

namespace jormun::model {
namespace {

using rapidjson::Value;

// Parsing runs in two passes because DynamoDB's does: its deserializer
// rejects JSON of the wrong shape (SerializationException, in Coral's words)
// before any value is validated (ValidationException). The texts are those
// dynalite reproduces from DynamoDB.

constexpr char kNumberClass[] =
    "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
constexpr char kInvalid[] = "One or more parameter values were invalid: ";
constexpr char kEmpty[] =
    "Supplied AttributeValue is empty, must contain exactly one of the supported "
    "datatypes";
constexpr char kMultiple[] =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly "
    "one of the supported datatypes";

[[noreturn]] void fail_serialization(std::string message) {
  throw ApiError::serialization(std::move(message));
}
[[noreturn]] void fail_validation(std::string message) {
  throw ApiError::validation(std::move(message));
}

std::string_view text_of(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Coral's complaint about an array or object where a scalar was expected.
void reject_container(const Value& v) {
  if (v.IsArray()) fail_serialization("Start of list found where not expected");
  if (v.IsObject())
    fail_serialization("Start of structure or map found where not expected.");
}

void check_string(const Value& v) {
  if (v.IsNull() || v.IsString()) return;
  reject_container(v);
  if (v.IsBool())
    fail_serialization("class java.lang.Boolean can not be converted to an String");
  fail_serialization(std::string(kNumberClass) + " can not be converted to an String");
}

// Decodes a checked blob; nullopt for JSON null.
std::optional<std::string> read_blob(const Value& v) {
  if (v.IsNull()) return std::nullopt;
  if (!v.IsString()) {
    reject_container(v);
    if (v.IsBool())
      fail_serialization("class java.lang.Boolean can not be converted to a Blob");
    fail_serialization(std::string(kNumberClass) + " can not be converted to a Blob");
  }
  std::string error;
  auto bytes = base64_decode(text_of(v), &error);
  if (!bytes) {
    fail_serialization("'" + std::string(text_of(v)) +
                       "' can not be converted to a Blob: " + error);
  }
  return bytes;
}

// Coral also reads the strings true/1/yes and false/0/no, in any case, as
// booleans. nullopt for JSON null.
std::optional<bool> read_boolean(const Value& v) {
  if (v.IsNull()) return std::nullopt;
  if (v.IsBool()) return v.GetBool();
  reject_container(v);
  if (v.IsNumber()) {
    fail_serialization(std::string(kNumberClass) + " can not be converted to an Boolean");
  }
  std::string upper(text_of(v));
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (upper == "TRUE" || upper == "1" || upper == "YES") return true;
  if (upper == "FALSE" || upper == "0" || upper == "NO") return false;
  fail_serialization("'" + upper + "' can not be converted to an Boolean");
}

template <typename CheckMember>
void check_list(const Value& v, CheckMember check_member) {
  if (v.IsNull()) return;
  if (v.IsObject())
    fail_serialization("Start of structure or map found where not expected.");
  if (!v.IsArray()) fail_serialization("Expected list or null");
  for (const Value& member : v.GetArray()) check_member(member);
}

template <typename CheckMember>
void check_map(const Value& v, CheckMember check_member) {
  if (v.IsNull()) return;
  if (v.IsArray()) fail_serialization("Start of list found where not expected");
  if (!v.IsObject()) fail_serialization("Expected map or null");
  for (const auto& member : v.GetObject()) check_member(member.value);
}

// Pass one: the shape of an AttributeValue structure at nesting `level` (a
// top-level attribute's value is level 1). Unknown members are ignored, as
// DynamoDB's deserializer ignores them. A value past DynamoDB's nesting
// limit is refused here, before anything deeper is looked at, which also
// bounds the recursion of both passes whatever the client sends.
void check_structure(const Value& v, int level) {
  if (v.IsNull()) return;
  if (level > kMaxNestingLevels) fail_validation(kNestingTooDeep);
  if (v.IsArray()) fail_serialization("Start of list found where not expected");
  if (!v.IsObject()) fail_serialization("Expected null");
  for (const auto& member : v.GetObject()) {
    auto type = type_from_name(text_of(member.name));
    if (!type) continue;
    const Value& value = member.value;
    switch (*type) {
      case Type::S:
      case Type::N:
        check_string(value);
        break;
      case Type::B:
        read_blob(value);
        break;
      case Type::BOOL:
      case Type::NULL_:
        read_boolean(value);
        break;
      case Type::SS:
      case Type::NS:
        check_list(value, check_string);
        break;
      case Type::BS:
        check_list(value, read_blob);
        break;
      case Type::L:
        check_list(value, [level](const Value& m) { check_structure(m, level + 1); });
        break;
      case Type::M:
        check_map(value, [level](const Value& m) { check_structure(m, level + 1); });
        break;
    }
  }
}

// "[a, b, a]": how DynamoDB quotes a rejected set.
std::string list_text(const Value& array) {
  std::string out = "[";
  for (const Value& member : array.GetArray()) {
    if (out.size() > 1) out += ", ";
    out += member.IsNull() ? std::string_view("null") : text_of(member);
  }
  return out + "]";
}

AttributeValue convert(const Value& v);

// Pass two: one member of a checked structure, with DynamoDB's validation.
// Its recursion is as deep as pass one allowed.
AttributeValue convert_typed(Type type, const Value& v) {
  switch (type) {
    case Type::S:
      return std::string(text_of(v));
    case Type::N:
      return Decimal::parse(text_of(v));
    case Type::B:
      return Binary{*read_blob(v)};
    case Type::BOOL:
      return *read_boolean(v);
    case Type::NULL_:
      if (!*read_boolean(v)) {
        fail_validation(std::string(kInvalid) +
                        "Null attribute value types must have the value of true");
      }
      return Null{};
    case Type::SS: {
      if (v.Empty())
        fail_validation(std::string(kInvalid) + "An string set  may not be empty");
      StringSet set;
      for (const Value& member : v.GetArray()) {
        if (member.IsNull()) {
          fail_validation(std::string(kInvalid) +
                          "An string set may not have a null string as a member");
        }
        set.items.emplace_back(text_of(member));
      }
      canonicalize(&set);
      if (set.items.size() != v.Size()) {
        fail_validation(std::string(kInvalid) + "Input collection " + list_text(v) +
                        " contains duplicates.");
      }
      return set;
    }
    case Type::NS: {
      if (v.Empty())
        fail_validation(std::string(kInvalid) + "An number set  may not be empty");
      NumberSet set;
      for (const Value& member : v.GetArray()) {
        set.items.push_back(Decimal::parse(member.IsNull() ? "" : text_of(member)));
      }
      canonicalize(&set);
      if (set.items.size() != v.Size())
        fail_validation("Input collection contains duplicates");
      return set;
    }
    case Type::BS: {
      if (v.Empty())
        fail_validation(std::string(kInvalid) + "Binary sets should not be empty");
      BinarySet set;
      for (const Value& member : v.GetArray()) {
        auto bytes = read_blob(member);
        if (!bytes) {
          fail_validation(std::string(kInvalid) +
                          "Binary sets may not contain null or empty values");
        }
        set.items.push_back(std::move(*bytes));
      }
      canonicalize(&set);
      if (set.items.size() != v.Size()) {
        // Sic: DynamoDB's text has no space before "of".
        fail_validation(std::string(kInvalid) + "Input collection " + list_text(v) +
                        "of type BS contains duplicates.");
      }
      return set;
    }
    case Type::L: {
      List list;
      list.reserve(v.Size());
      for (const Value& member : v.GetArray()) list.push_back(convert(member));
      return list;
    }
    case Type::M: {
      Map map;
      for (const auto& member : v.GetObject()) {
        map.insert_or_assign(std::string(text_of(member.name)), convert(member.value));
      }
      return map;
    }
  }
  throw std::logic_error("attribute_json: unhandled Type");
}

// Each datatype present is validated before the count of datatypes is, so
// {"S":"a","N":"x"} reports the bad number.
AttributeValue convert(const Value& v) {
  std::optional<AttributeValue> result;
  int types = 0;
  if (v.IsObject()) {
    for (const auto& member : v.GetObject()) {
      auto type = type_from_name(text_of(member.name));
      if (!type || member.value.IsNull()) continue;
      ++types;
      AttributeValue value = convert_typed(*type, member.value);
      if (!result) result = std::move(value);
    }
  }
  if (types == 0) fail_validation(kEmpty);
  if (types > 1) fail_validation(kMultiple);
  return std::move(*result);
}

void write_string(std::string_view s, JsonWriter& w) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

AttributeValue parse_attribute_value(const rapidjson::Value& json) {
  check_structure(json, 1);
  return convert(json);
}

Item parse_item(const rapidjson::Value& json) {
  check_map(json, [](const Value& v) { check_structure(v, 1); });
  Item item;
  if (json.IsNull()) return item;
  for (const auto& member : json.GetObject()) {
    item.insert_or_assign(std::string(text_of(member.name)), convert(member.value));
  }
  return item;
}

namespace {

// Writes the events of an item or a value as DynamoDB JSON: every value
// wrapped in its type ({"S": ...}), set members and map entries inside.
class JsonValueWriter final : public ItemVisitor {
 public:
  // `nested`: the first map is an M value, not the item itself.
  JsonValueWriter(JsonWriter& w, bool nested) : w_(w), depth_(nested ? 1 : 0) {}

  void begin_map(size_t) override {
    if (depth_++ > 0) open("M");
    w_.StartObject();
  }
  void name(std::string_view name) override {
    w_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  }
  void end_map() override {
    w_.EndObject();
    if (--depth_ > 0) w_.EndObject();
  }
  void begin_list(size_t) override {
    ++depth_;
    open("L");
    w_.StartArray();
  }
  void end_list() override {
    --depth_;
    w_.EndArray();
    w_.EndObject();
  }
  void begin_set(Type type, size_t) override {
    open(type_name(type));
    w_.StartArray();
    in_set_ = true;
  }
  void end_set() override {
    in_set_ = false;
    w_.EndArray();
    w_.EndObject();
  }
  void string(std::string_view s) override { scalar("S", s); }
  void number(const Decimal& n) override { scalar("N", n.to_string()); }
  void binary(std::string_view bytes) override { scalar("B", base64_encode(bytes)); }
  void boolean(bool b) override {
    open("BOOL");
    w_.Bool(b);
    w_.EndObject();
  }
  void null() override {
    open("NULL");
    w_.Bool(true);
    w_.EndObject();
  }

 private:
  void open(const char* type) {
    w_.StartObject();
    w_.Key(type);
  }
  // A set member is bare text; any other scalar is wrapped.
  void scalar(const char* type, std::string_view text) {
    if (in_set_) return write_string(text, w_);
    open(type);
    write_string(text, w_);
    w_.EndObject();
  }

  JsonWriter& w_;
  int depth_;
  bool in_set_ = false;
};

}  // namespace

void write_attribute_value(const AttributeValue& v, JsonWriter& w) {
  JsonValueWriter out(w, true);
  visit_value(v, out);
}

void write_item(const Item& item, JsonWriter& w) {
  JsonValueWriter out(w, false);
  visit_item(item, out);
}

void write_stored_item(std::string_view stored, JsonWriter& w) {
  JsonValueWriter out(w, false);
  decode_item(stored, out);
}

size_t write_stored_item_sized(std::string_view stored, JsonWriter& w) {
  JsonValueWriter out(w, false);
  return stored_item_size(stored, out);
}

}  // namespace jormun::model
