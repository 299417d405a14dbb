// The DynamoDB JSON protocol over any transport: checks a request in the
// order DynamoDB does (method and content type, JSON, target, signature
// header, then the operation's own validation), runs the operation and
// renders the answer or the error. Knows nothing of sockets.
#pragma once

#include <string>
#include <string_view>

#include "ops/context.h"

namespace jormun::api {

// One request as the transport hands it over.
struct Call {
  std::string_view method;
  std::string_view content_type;
  std::string_view target;         // X-Amz-Target
  std::string_view authorization;  // Authorization
  bool has_date = false;           // X-Amz-Date or Date present
  std::string* body = nullptr;     // parsed in place, so it is modified
};

struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
};

class Service {
 public:
  explicit Service(ops::Context ctx) : ctx_(ctx) {}
  // Never throws: client errors become 4xx bodies, anything else a logged 500.
  void handle(const Call& call, Reply& reply) noexcept;

 private:
  void dispatch(const Call& call, Reply& reply);
  ops::Context ctx_;
};

}  // namespace jormun::api
