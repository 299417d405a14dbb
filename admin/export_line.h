// One line of DynamoDB's export format: {"Item": {...}}, the item in
// DynamoDB JSON ({"pk": {"S": "a"}, "n": {"N": "1"}, ...}), as DynamoDB's
// export to S3 writes it and its import from S3 reads it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "admin/table_info.h"

namespace jormun::admin {

// A line that is not an item of the table; the message says why.
class BadLine : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True for a line of only spaces and tabs, which carries no item.
bool is_blank_line(std::string_view line);

// Parses `line` into `doc` and returns its item, checked as DynamoDB checks
// an item in a request (the attribute values, with DynamoDB's messages)
// and against the table's key schema (key attributes present, of their
// declared type). Throws BadLine.
const rapidjson::Value& parse_export_line(std::string_view line, const TableInfo& table,
                                          rapidjson::Document& doc);

// The item's primary key as compact JSON, {"pk":...,"sk":...} in key schema
// order: the same text for the same key, so it can be compared and hashed.
// REQUIRES: the item holds its key attributes.
std::string key_text(const rapidjson::Value& item, const TableInfo& table);

// Appends {"Item":<item>} and '\n' to `out`.
void append_export_line(const rapidjson::Value& item, std::string& out);

}  // namespace jormun::admin
