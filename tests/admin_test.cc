// The pure parts of jormun-admin: export lines, export files (plain and
// gzip), index entries, progress text, endpoints.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "client/client.h"
#include "client/connection.h"
#include "admin/export_file.h"
#include "admin/export_line.h"
#include "admin/index_entry.h"
#include "admin/json_text.h"
#include "admin/progress.h"
#include "admin/table_info.h"

namespace jormun::admin {
namespace {

TableInfo table_with_keys() {
  rapidjson::Document d;
  d.Parse(R"({"TableName":"t",
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
                            {"AttributeName":"sk","AttributeType":"N"},
                            {"AttributeName":"g","AttributeType":"S"}],
    "GlobalSecondaryIndexes":[{"IndexName":"byG",
      "KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
      "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x"]}}]})");
  return table_info_from_json(d);
}

std::string bad_line_message(const std::string& line) {
  rapidjson::Document doc;
  try {
    parse_export_line(line, table_with_keys(), doc);
  } catch (const BadLine& e) {
    return e.what();
  }
  return "";
}

TEST(AdminExportLine, ReadsDynamoDbExportLines) {
  rapidjson::Document doc;
  const auto& item = parse_export_line(
      R"({"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"l":{"L":[{"BOOL":true}]}}}}})",
      table_with_keys(), doc);
  EXPECT_EQ(key_text(item, table_with_keys()), R"({"pk":{"S":"a"},"sk":{"N":"1"}})");
  std::string out;
  append_export_line(item, out);
  EXPECT_EQ(out,
            R"({"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"l":{"L":[{"BOOL":true}]}}}}})"
            "\n");
}

TEST(AdminExportLine, SaysWhatIsWrongWithABadLine) {
  EXPECT_EQ(bad_line_message("{\"Item\":"), "not JSON: Invalid value. at column 9");
  EXPECT_EQ(bad_line_message("[1]"), "expected {\"Item\": {...}}, got another JSON value");
  EXPECT_EQ(bad_line_message(R"({"pk":{"S":"a"}})"),
            "expected {\"Item\": {...}}: no \"Item\" object");
  EXPECT_EQ(bad_line_message(R"({"Item":{"pk":{"S":"a"}}})"),
            "the item has no key attribute 'sk'");
  EXPECT_EQ(bad_line_message(R"({"Item":{"pk":{"N":"1"},"sk":{"N":"1"}}})"),
            "key attribute 'pk' must be of type S");
  EXPECT_EQ(bad_line_message(R"({"Item":{"pk":{"S":""},"sk":{"N":"1"}}})"),
            "key attribute 'pk' is an empty S");
  // Attribute values are checked as DynamoDB checks them, with its words.
  EXPECT_NE(bad_line_message(R"({"Item":{"pk":{"S":"a"},"sk":{"N":"x1"}}})"), "");
  EXPECT_NE(bad_line_message(R"({"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"s":{"SS":[]}}})"), "");
  EXPECT_TRUE(is_blank_line(" \t"));
  EXPECT_FALSE(is_blank_line(" {}"));
}

TEST(AdminIndexEntry, ProjectsAnItemOrLeavesItOut) {
  const TableInfo table = table_with_keys();
  const IndexInfo& index = table.indexes.at(0);
  rapidjson::Document item;
  item.Parse(R"({"pk":{"S":"a"},"sk":{"N":"1"},"g":{"S":"x"},"x":{"N":"2"},"y":{"N":"3"}})");
  auto entry = expected_entry(item, table, index, item.GetAllocator());
  ASSERT_TRUE(entry);
  rapidjson::Document want;
  want.Parse(R"({"pk":{"S":"a"},"sk":{"N":"1"},"g":{"S":"x"},"x":{"N":"2"}})");
  EXPECT_EQ(*entry, want) << json_text(*entry);
  for (const char* outside :
       {R"({"pk":{"S":"a"},"sk":{"N":"1"}})", R"({"pk":{"S":"a"},"sk":{"N":"1"},"g":{"N":"1"}})",
        R"({"pk":{"S":"a"},"sk":{"N":"1"},"g":{"S":""}})"}) {
    rapidjson::Document other;
    other.Parse(outside);
    EXPECT_FALSE(expected_entry(other, table, index, other.GetAllocator())) << outside;
  }
}

class AdminExportFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jormun-admin-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::vector<std::string> read_all(const std::string& path) {
    LineReader reader(path);
    std::vector<std::string> lines;
    std::string line;
    while (reader.next(line)) lines.push_back(line);
    EXPECT_EQ(reader.position(), reader.size());
    return lines;
  }
  std::filesystem::path dir_;
};

TEST_F(AdminExportFile, GzipRoundTrip) {
  const std::string path = dir_ / "items.json.gz";
  {
    LineWriter out(path);
    out.write("{\"Item\":{}}\n");
    out.write(std::string(200000, 'x') + "\n");  // longer than a read chunk
    out.close();
  }
  std::ifstream raw(path, std::ios::binary);
  EXPECT_EQ(raw.get(), 0x1f);  // gzip's magic bytes
  EXPECT_EQ(raw.get(), 0x8b);
  const auto lines = read_all(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "{\"Item\":{}}");
  EXPECT_EQ(lines[1].size(), 200000u);
}

TEST_F(AdminExportFile, PlainFilesWithCrLfAndNoFinalNewline) {
  const std::string path = dir_ / "items.json";
  std::ofstream(path) << "a\r\nb\n\nc";
  EXPECT_EQ(read_all(path), (std::vector<std::string>{"a", "b", "", "c"}));
  {
    LineWriter out(path);
    out.write("x\n");
    out.close();
  }
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "x\n");  // not compressed: the name does not end in .gz
}

TEST_F(AdminExportFile, ATruncatedGzipFileIsAnError) {
  const std::string path = dir_ / "cut.json.gz";
  {
    LineWriter out(path);
    for (int i = 0; i < 1000; ++i) out.write("{\"Item\":{\"pk\":{\"S\":\"" + std::to_string(i) + "\"}}}\n");
    out.close();
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  EXPECT_THROW(read_all(path), std::runtime_error);
  EXPECT_THROW(LineReader(dir_ / "missing.json"), std::runtime_error);
}

TEST(AdminProgress, FormatsRateEtaAndBar) {
  EXPECT_EQ(format_duration(5.25), "5.2 s");
  EXPECT_EQ(format_duration(125), "2m05s");
  EXPECT_EQ(format_duration(3720), "1h02m");
  ProgressFigures f{500, 0.25, 2.0};
  EXPECT_EQ(format_line("export t", f, "items"), "export t: 500 items, 25%, 250 items/s, ETA 6.0 s");
  EXPECT_EQ(format_line("export t", ProgressFigures{5, std::nullopt, 2.0}, "items"),
            "export t: 5 items, 2.5 items/s");
  const std::string bar = format_bar(f, "items", 80);
  // The bar takes the columns the figures leave: 38 of 80, a quarter full.
  EXPECT_EQ(bar, "[" + std::string(9, '#') + std::string(29, '.') +
                     "]  25%  500 items  250 items/s  ETA 6.0 s");
  EXPECT_LE(format_bar(f, "items", 30).size(), 30u);
}

TEST(ClientEndpoint, ParsesHttpUrls) {
  using client::parse_endpoint;
  client::Endpoint e = parse_endpoint("http://127.0.0.1:8002");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, "8002");
  EXPECT_EQ(e.host_header, "127.0.0.1:8002");
  e = parse_endpoint("http://[::1]:9/");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.host_header, "[::1]:9");
  EXPECT_EQ(parse_endpoint("http://db").port, "80");
  EXPECT_FALSE(e.tls);
  e = parse_endpoint("https://db.example:8443/");
  EXPECT_TRUE(e.tls);
  EXPECT_EQ(e.host, "db.example");
  EXPECT_EQ(e.host_header, "db.example:8443");
  EXPECT_EQ(parse_endpoint("https://db").port, "443");
  for (const char* bad : {"ftp://db", "db:8002", "http://db:x", "https://db/path", "http://:1"})
    EXPECT_THROW(parse_endpoint(bad), std::invalid_argument) << bad;
  try {
    parse_endpoint("db:1", "replication.follow");
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "replication.follow: expected http://HOST[:PORT] or https://HOST[:PORT], got "
                 "'db:1'");
  }
}

TEST(ClientTls, ACaFileThatIsNoCertificateIsRefused) {
  EXPECT_NO_THROW(client::make_tls_client_context(""));  // the system's store
  try {
    client::make_tls_client_context("/dev/null");
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("cannot load CA certificates from /dev/null: "))
        << e.what();
  }
}

}  // namespace
}  // namespace jormun::admin
