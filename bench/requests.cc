#include "requests.h"

#include <charconv>

namespace jormun::bench {

std::string_view target_of(Operation op) {
  switch (op) {
    case Operation::CreateTable:
      return "DynamoDB_20120810.CreateTable";
    case Operation::DeleteTable:
      return "DynamoDB_20120810.DeleteTable";
    case Operation::DescribeTable:
      return "DynamoDB_20120810.DescribeTable";
    case Operation::ListTables:
      return "DynamoDB_20120810.ListTables";
    case Operation::PutItem:
      return "DynamoDB_20120810.PutItem";
    case Operation::GetItem:
      return "DynamoDB_20120810.GetItem";
    case Operation::UpdateItem:
      return "DynamoDB_20120810.UpdateItem";
    case Operation::Query:
      return "DynamoDB_20120810.Query";
    case Operation::Scan:
      return "DynamoDB_20120810.Scan";
    case Operation::BatchGetItem:
      return "DynamoDB_20120810.BatchGetItem";
    case Operation::BatchWriteItem:
      return "DynamoDB_20120810.BatchWriteItem";
    case Operation::TransactWriteItems:
      return "DynamoDB_20120810.TransactWriteItems";
    case Operation::TransactGetItems:
      return "DynamoDB_20120810.TransactGetItems";
    case Operation::ExecuteStatement:
      return "DynamoDB_20120810.ExecuteStatement";
  }
  return "";
}

namespace {
// Writes a string through the writer without a temporary std::string.
void put(auto& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void put_number(auto& w, uint64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  w.String(digits, static_cast<rapidjson::SizeType>(end - digits));
}
}  // namespace

RequestBuilder::RequestBuilder(const ItemSet& items) : items_(items), w_(out_) {}

void RequestBuilder::start() {
  out_.text.clear();
  w_.Reset(out_);
}

void RequestBuilder::string_attribute(std::string_view name, std::string_view value) {
  put(w_, name);
  w_.StartObject();
  put(w_, "S");
  put(w_, value);
  w_.EndObject();
}

void RequestBuilder::key_members(TableShape shape, uint64_t index) {
  string_attribute("pk", ItemSet::partition_key(shape, index));
  if (shape == TableShape::ranged) {
    put(w_, "sk");
    w_.StartObject();
    put(w_, "N");
    put_number(w_, index % kItemsPerPartition);
    w_.EndObject();
  }
}

void RequestBuilder::key(TableShape shape, uint64_t index) {
  w_.StartObject();
  key_members(shape, index);
  w_.EndObject();
}

void RequestBuilder::item(TableShape shape, uint64_t index) {
  w_.StartObject();
  key_members(shape, index);
  scratch_.clear();
  items_.append_payload(index, scratch_);
  string_attribute("v", scratch_);
  if (items_.expires_at) {
    put(w_, "expires");
    w_.StartObject();
    put(w_, "N");
    put_number(w_, *items_.expires_at);
    w_.EndObject();
  }
  w_.EndObject();
}

void RequestBuilder::create_table(std::string_view table, TableShape shape) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  put(w_, "BillingMode");
  put(w_, "PAY_PER_REQUEST");
  put(w_, "KeySchema");
  w_.StartArray();
  w_.StartObject();
  put(w_, "AttributeName"), put(w_, "pk"), put(w_, "KeyType"), put(w_, "HASH");
  w_.EndObject();
  if (shape == TableShape::ranged) {
    w_.StartObject();
    put(w_, "AttributeName"), put(w_, "sk"), put(w_, "KeyType"), put(w_, "RANGE");
    w_.EndObject();
  }
  w_.EndArray();
  put(w_, "AttributeDefinitions");
  w_.StartArray();
  w_.StartObject();
  put(w_, "AttributeName"), put(w_, "pk"), put(w_, "AttributeType"), put(w_, "S");
  w_.EndObject();
  if (shape == TableShape::ranged) {
    w_.StartObject();
    put(w_, "AttributeName"), put(w_, "sk"), put(w_, "AttributeType"), put(w_, "N");
    w_.EndObject();
  }
  w_.EndArray();
  w_.EndObject();
}

void RequestBuilder::table_only(std::string_view table) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  w_.EndObject();
}

void RequestBuilder::list_tables() {
  start();
  w_.StartObject();
  w_.EndObject();
}

void RequestBuilder::get_item(std::string_view table, TableShape shape, uint64_t index) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  put(w_, "Key");
  key(shape, index);
  w_.EndObject();
}

void RequestBuilder::select_key(std::string_view table, uint64_t index) {
  start();
  w_.StartObject();
  put(w_, "Statement");
  scratch_ = "SELECT * FROM \"";
  scratch_ += table;
  scratch_ += "\" WHERE pk = ? AND sk = ?";
  put(w_, scratch_);
  put(w_, "Parameters");
  w_.StartArray();
  w_.StartObject();
  put(w_, "S");
  put(w_, ItemSet::partition_key(TableShape::ranged, index));
  w_.EndObject();
  w_.StartObject();
  put(w_, "N");
  put_number(w_, index % kItemsPerPartition);
  w_.EndObject();
  w_.EndArray();
  w_.EndObject();
}

void RequestBuilder::put_item(std::string_view table, TableShape shape, uint64_t index) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  put(w_, "Item");
  item(shape, index);
  w_.EndObject();
}

void RequestBuilder::add_to_counter(std::string_view table, uint64_t index) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  put(w_, "Key");
  key(TableShape::kv, index);
  put(w_, "UpdateExpression");
  put(w_, "ADD n :one");
  put(w_, "ExpressionAttributeValues");
  w_.StartObject();
  put(w_, ":one");
  w_.StartObject();
  put(w_, "N");
  put(w_, "1");
  w_.EndObject();
  w_.EndObject();
  put(w_, "ReturnValues");
  put(w_, "UPDATED_NEW");
  w_.EndObject();
}

void RequestBuilder::set_field(std::string_view table, uint64_t index,
                               std::string_view value) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  put(w_, "Key");
  key(TableShape::kv, index);
  put(w_, "UpdateExpression");
  put(w_, "SET u = :u");
  put(w_, "ExpressionAttributeValues");
  w_.StartObject();
  string_attribute(":u", value);
  w_.EndObject();
  w_.EndObject();
}

void RequestBuilder::query(std::string_view table, uint64_t partition,
                           std::optional<std::pair<uint64_t, uint64_t>> sort_range) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  put(w_, "KeyConditionExpression");
  put(w_, sort_range ? "pk = :p AND sk BETWEEN :a AND :b" : "pk = :p");
  put(w_, "ExpressionAttributeValues");
  w_.StartObject();
  string_attribute(
      ":p", ItemSet::partition_key(TableShape::ranged, partition * kItemsPerPartition));
  if (sort_range) {
    for (auto [name, n] :
         {std::pair{":a", sort_range->first}, std::pair{":b", sort_range->second}}) {
      put(w_, name);
      w_.StartObject();
      put(w_, "N");
      put_number(w_, n);
      w_.EndObject();
    }
  }
  w_.EndObject();
  w_.EndObject();
}

void RequestBuilder::scan(std::string_view table, unsigned limit,
                          std::string_view start_key_json) {
  start();
  w_.StartObject();
  put(w_, "TableName");
  put(w_, table);
  put(w_, "Limit");
  w_.Uint(limit);
  if (!start_key_json.empty()) {
    put(w_, "ExclusiveStartKey");
    w_.RawValue(start_key_json.data(), start_key_json.size(), rapidjson::kObjectType);
  }
  w_.EndObject();
}

void RequestBuilder::batch_write(std::string_view table, TableShape shape,
                                 std::span<const uint64_t> indexes) {
  start();
  w_.StartObject();
  put(w_, "RequestItems");
  w_.StartObject();
  put(w_, table);
  w_.StartArray();
  for (uint64_t index : indexes) {
    w_.StartObject();
    put(w_, "PutRequest");
    w_.StartObject();
    put(w_, "Item");
    item(shape, index);
    w_.EndObject();
    w_.EndObject();
  }
  w_.EndArray();
  w_.EndObject();
  w_.EndObject();
}

void RequestBuilder::batch_write_unprocessed(std::string_view unprocessed_json) {
  start();
  w_.StartObject();
  put(w_, "RequestItems");
  w_.RawValue(unprocessed_json.data(), unprocessed_json.size(), rapidjson::kObjectType);
  w_.EndObject();
}

void RequestBuilder::batch_get(std::string_view table,
                               std::span<const uint64_t> indexes) {
  start();
  w_.StartObject();
  put(w_, "RequestItems");
  w_.StartObject();
  put(w_, table);
  w_.StartObject();
  put(w_, "Keys");
  w_.StartArray();
  for (uint64_t index : indexes) key(TableShape::kv, index);
  w_.EndArray();
  w_.EndObject();
  w_.EndObject();
  w_.EndObject();
}

void RequestBuilder::transact_items(const char* action, bool whole_items,
                                    std::span<const std::string> tables,
                                    std::span<const uint64_t> indexes) {
  start();
  w_.StartObject();
  put(w_, "TransactItems");
  w_.StartArray();
  for (size_t i = 0; i < indexes.size(); ++i) {
    w_.StartObject();
    put(w_, action);
    w_.StartObject();
    put(w_, "TableName");
    put(w_, tables[i % tables.size()]);
    if (whole_items) {
      put(w_, "Item");
      item(TableShape::kv, indexes[i]);
    } else {
      put(w_, "Key");
      key(TableShape::kv, indexes[i]);
    }
    w_.EndObject();
    w_.EndObject();
  }
  w_.EndArray();
  w_.EndObject();
}

void RequestBuilder::transact_put(std::span<const std::string> tables,
                                  std::span<const uint64_t> indexes) {
  transact_items("Put", true, tables, indexes);
}

void RequestBuilder::transact_get(std::span<const std::string> tables,
                                  std::span<const uint64_t> indexes) {
  transact_items("Get", false, tables, indexes);
}

}  // namespace jormun::bench
