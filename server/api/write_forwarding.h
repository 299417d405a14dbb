// A read replica's `replication.forward_writes`: a request only the primary
// can answer is sent on to it as it came (its headers, signature and body)
// and the primary's answer is returned as it came (docs/replication.md).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api/service.h"

namespace jormun::api {

// A request to send on, copied out of its Call so that it can be sent after
// the transport's buffers are gone (from a commit thread).
struct ForwardedRequest {
  std::string target;  // the request target ("/" when it had none)
  std::vector<std::pair<std::string, std::string>> headers;  // this hop's left out
  std::string body;                                          // as received
};

// `call` with `body`, its body as received (before any decoding).
ForwardedRequest forwarded_request(const Call& call, std::string body);

// Sends `request` to the primary at `primary_url` (over https trusting the
// CAs of `ca_file`, or the system's when empty) and fills `reply` with the
// answer's status and body. Each thread keeps one keep-alive connection.
// Throws std::runtime_error when the primary cannot be reached (a 500 then).
void forward_to_primary(const std::string& primary_url, const std::string& ca_file,
                        const ForwardedRequest& request, Reply& reply);

}  // namespace jormun::api
