// GET /console: the console page, and the two facts it needs before its
// first request, the region to sign for and whether it must sign. All else
// it reads through the DynamoDB API and GET /metrics, as any client would,
// so it sees no more than a client with the same key.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace jormun::console {

struct Answer {
  int status = 200;
  std::string_view content_type;  // a literal
  std::string body;
  // Header lines for every answer (console/page_policy.h), static text.
  std::string_view headers;
};

// `target`: the request's path and query, "/console" or under it.
//   /console              the page (text/html)
//   /console/server.json  {"region": ..., "authMode": "none" or "sigv4"}
//   anything else         404
Answer answer(std::string_view target, const config::Config& config);

}  // namespace jormun::console
