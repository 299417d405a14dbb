// DynamoDB JSON request bodies for the operations the benchmark sends.
#pragma once

#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "items.h"

namespace jormun::bench {

enum class Operation {
  CreateTable,
  DeleteTable,
  DescribeTable,
  ListTables,
  PutItem,
  GetItem,
  UpdateItem,
  Query,
  Scan,
  BatchGetItem,
  BatchWriteItem,
  TransactWriteItems,
  TransactGetItems,
  ExecuteStatement,
};
// "DynamoDB_20120810.<Operation>", the X-Amz-Target header value.
std::string_view target_of(Operation op);

// Writes one request body at a time into body(), reusing its memory: a
// connection owns one, so building a request allocates nothing once warm.
class RequestBuilder {
 public:
  explicit RequestBuilder(const ItemSet& items);
  RequestBuilder(const RequestBuilder&) = delete;
  RequestBuilder& operator=(const RequestBuilder&) = delete;

  // The body of the last request built.
  const std::string& body() const { return out_.text; }

  void create_table(std::string_view table, TableShape shape);
  void table_only(std::string_view table);  // DeleteTable, DescribeTable
  void list_tables();
  void get_item(std::string_view table, TableShape shape, uint64_t index);
  // ExecuteStatement of `SELECT * FROM "<table>" WHERE pk = ? AND sk = ?`
  // with ranged item `index`'s key as the Parameters: GetItem's read in
  // PartiQL, one statement text for every key.
  void select_key(std::string_view table, uint64_t index);
  void put_item(std::string_view table, TableShape shape, uint64_t index);
  // ADD n :1 on a kv item, asking for the new value back so it can be checked.
  void add_to_counter(std::string_view table, uint64_t index);
  // SET u = <value> on a kv item: YCSB's field update.
  void set_field(std::string_view table, uint64_t index, std::string_view value);
  // All items of ranged partition `partition`, or those with sk in
  // [first, last] when `sort_range` is given.
  void query(std::string_view table, uint64_t partition,
             std::optional<std::pair<uint64_t, uint64_t>> sort_range);
  // One page; `start_key_json` is a LastEvaluatedKey as JSON text, or empty.
  void scan(std::string_view table, unsigned limit, std::string_view start_key_json);
  void batch_write(std::string_view table, TableShape shape,
                   std::span<const uint64_t> indexes);
  // Resends what a BatchWriteItem answer left in UnprocessedItems (JSON text).
  void batch_write_unprocessed(std::string_view unprocessed_json);
  void batch_get(std::string_view table, std::span<const uint64_t> indexes);
  // One Put of kv item indexes[i] into tables[i % tables.size()] per index:
  // a transaction over one table, or spread over several in turn.
  void transact_put(std::span<const std::string> tables,
                    std::span<const uint64_t> indexes);
  // One Get per index, with the tables taken in turn as transact_put does.
  void transact_get(std::span<const std::string> tables,
                    std::span<const uint64_t> indexes);

 private:
  // The RapidJSON output stream: appends to a std::string.
  struct StringOut {
    using Ch = char;
    std::string text;
    void Put(char c) { text.push_back(c); }
    void Flush() {}
  };
  using Writer = rapidjson::Writer<StringOut>;

  void start();
  void key_members(TableShape shape, uint64_t index);
  void key(TableShape shape, uint64_t index);
  void item(TableShape shape, uint64_t index);
  void string_attribute(std::string_view name, std::string_view value);
  // TransactItems of one `action` per index on the tables in turn, each with
  // the whole Item or only its Key.
  void transact_items(const char* action, bool whole_items,
                      std::span<const std::string> tables, std::span<const uint64_t> indexes);

  const ItemSet& items_;
  StringOut out_;
  Writer w_;
  std::string scratch_;
};

}  // namespace jormun::bench
