// A read replica's `replication.forward_writes`: a request only the primary
// can answer is sent on to it as it came (its headers, signature and body)
// and the primary's answer is returned as it came (docs/replication.md).
#pragma once

#include <string>

#include "api/service.h"

namespace jormun::api {

// Sends `call` with `body` (its body as received, before any decoding) to
// the primary at `primary_url` (over https trusting the CAs of `ca_file`,
// or the system's when empty) and fills `reply` with the answer's status
// and body. Each thread keeps one keep-alive connection. Throws
// std::runtime_error when the primary cannot be reached (a 500 then).
void forward_to_primary(const std::string& primary_url, const std::string& ca_file,
                        const Call& call, const std::string& body, Reply& reply);

}  // namespace jormun::api
