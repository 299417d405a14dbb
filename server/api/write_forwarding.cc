#include "api/write_forwarding.h"

#include <boost/beast/core/string.hpp>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "client/client.h"

namespace jormun::api {
namespace {

// Headers of this hop, not of the request: the connection's own, the
// length (set again for the body sent), and Accept-Encoding, so the
// primary's answer comes uncompressed (a Reply carries no coding header).
bool hop_header(std::string_view name) {
  for (std::string_view h :
       {"connection", "keep-alive", "transfer-encoding", "content-length",
        "accept-encoding", "te", "upgrade", "proxy-connection"})
    if (boost::beast::iequals(name, h)) return true;
  return false;
}

}  // namespace

ForwardedRequest forwarded_request(const Call& call, std::string body) {
  ForwardedRequest request{.target = call.request_target.empty()
                                         ? std::string("/")
                                         : std::string(call.request_target),
                           .headers = {},
                           .body = std::move(body)};
  if (call.for_each_header)
    call.for_each_header([&](std::string_view name, std::string_view value) {
      if (!hop_header(name)) request.headers.emplace_back(name, value);
    });
  return request;
}

void forward_to_primary(const std::string& primary_url, const std::string& ca_file,
                        const ForwardedRequest& request, Reply& reply) {
  thread_local std::unique_ptr<client::Client> connection;
  thread_local std::string connected_to;
  if (!connection || connected_to != primary_url) {
    client::Endpoint e = client::parse_endpoint(primary_url, "replication.follow");
    e.ca_file = ca_file;
    connection = std::make_unique<client::Client>(e);
    connected_to = primary_url;
  }
  client::Client::Answer answer =
      connection->forward(request.target, request.headers, request.body);
  reply.status = answer.status;
  reply.body = std::move(answer.body);
}

}  // namespace jormun::api
