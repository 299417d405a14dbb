// Request ids in DynamoDB's x-amzn-RequestId format.
#pragma once

#include <string>

namespace jormun::http {

// A fresh random id: 52 characters from "0-9A-V" (base32hex), the shape of
// DynamoDB's ids such as "Q688NK1IGVHT27G4MNKSO2P5ENVV4KQNSO5AEMVJF66Q9ASUAAJG".
// Drawn from a per-thread generator seeded with 256 bits from the OS, so ids
// do not repeat in practice. Thread-safe.
std::string new_request_id();

}  // namespace jormun::http
