// Blocking DynamoDB calls for setting a run up: tables and probes.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "items.h"
#include "requests.h"

namespace jormun::bench {

struct Answer {
  unsigned status = 0;
  std::string body;
};

// Sends one call on a new connection and waits for the answer. Throws
// boost::system::system_error when the network fails.
Answer call(const boost::asio::ip::tcp::endpoint& server, Operation op,
            const std::string& body);

// Creates `table` unless it exists, then waits until it is ACTIVE. False,
// with the reason in `problem`, if that fails.
bool ensure_table(const boost::asio::ip::tcp::endpoint& server, const std::string& table,
                  TableShape shape, std::string& problem);

// Deletes `table`; one that does not exist counts as deleted.
bool drop_table(const boost::asio::ip::tcp::endpoint& server, const std::string& table,
                std::string& problem);

}  // namespace jormun::bench
