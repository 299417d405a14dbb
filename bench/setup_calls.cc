#include "setup_calls.h"

#include <rapidjson/document.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <thread>

#include "request_head.h"

namespace jormun::bench {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {
// CreateTable may leave a table CREATING for a while on other servers.
constexpr auto kActiveTimeout = std::chrono::seconds(60);
constexpr auto kPollPause = std::chrono::milliseconds(50);

bool answer_says(const Answer& answer, std::string_view error_type) {
  return answer.body.find(error_type) != std::string::npos;
}

std::string describe(const Answer& answer) {
  return "HTTP " + std::to_string(answer.status) + ": " + answer.body;
}
}  // namespace

Answer call(const tcp::endpoint& server, Operation op, const std::string& body) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(server);
  std::string head;
  append_request_head(head,
                      server.address().to_string() + ':' + std::to_string(server.port()),
                      target_of(op), body.size());
  asio::write(socket,
              std::array<asio::const_buffer, 2>{asio::buffer(head), asio::buffer(body)});
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return {response.result_int(), std::move(response.body())};
}

bool ensure_table(const tcp::endpoint& server, const std::string& table, TableShape shape,
                  std::string& problem) {
  ItemSet no_items(0, 0);  // table calls carry no items
  RequestBuilder request(no_items);
  request.create_table(table, shape);
  const Answer created = call(server, Operation::CreateTable, request.body());
  if (created.status != 200 && !answer_says(created, "ResourceInUseException")) {
    problem = "CreateTable " + table + ": " + describe(created);
    return false;
  }
  request.table_only(table);
  const auto give_up = std::chrono::steady_clock::now() + kActiveTimeout;
  while (std::chrono::steady_clock::now() < give_up) {
    const Answer described = call(server, Operation::DescribeTable, request.body());
    rapidjson::Document doc;
    doc.Parse(described.body.c_str());
    if (described.status == 200 && !doc.HasParseError() && doc.IsObject() &&
        doc.HasMember("Table") && doc["Table"].IsObject()) {
      const auto& t = doc["Table"];
      if (t.HasMember("TableStatus") && t["TableStatus"].IsString() &&
          std::string_view(t["TableStatus"].GetString()) == "ACTIVE")
        return true;
    } else if (described.status != 200) {
      problem = "DescribeTable " + table + ": " + describe(described);
      return false;
    }
    std::this_thread::sleep_for(kPollPause);
  }
  problem = "table " + table + " did not become ACTIVE";
  return false;
}

bool drop_table(const tcp::endpoint& server, const std::string& table,
                std::string& problem) {
  ItemSet no_items(0, 0);
  RequestBuilder request(no_items);
  request.table_only(table);
  const Answer answer = call(server, Operation::DeleteTable, request.body());
  if (answer.status == 200 || answer_says(answer, "ResourceNotFoundException"))
    return true;
  problem = "DeleteTable " + table + ": " + describe(answer);
  return false;
}

}  // namespace jormun::bench
