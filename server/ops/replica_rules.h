// Which requests a read replica (docs/replication.md) cannot serve from
// its copies: writes, table changes and strongly consistent reads, which
// only the primary can answer.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "ops/context.h"

namespace jormun::ops {

// True when `request`, a call of `op`, must go to the primary
// (OperationSpec::on_replica, and ConsistentRead: true at the top or in any
// table of RequestItems).
bool replica_refuses(const OperationSpec& op, const rapidjson::Value& request);

// The ValidationException a replica of `primary_url` answers such a request
// with. Our text: DynamoDB has no read replica of this kind.
std::string replica_refusal(const std::string& primary_url);

}  // namespace jormun::ops
