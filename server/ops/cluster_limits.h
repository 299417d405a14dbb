// What a cluster (config `cluster:`, several front ends over one database)
// cannot do yet: features whose state is still local to one front end
// (streams' sequence numbers and shards, backups and point-in-time
// checkpoints on local disk, and a write over several tables whose engine
// cannot write them as one, the transaction log being local too). README's
// Known gaps lists them.
#pragma once

#include <string_view>

#include "ops/context.h"

namespace jormun::ops {

// Throws ValidationException naming `feature` when the server is one of a
// cluster's front ends; nothing otherwise. The text is our own
// (docs/validation-messages.md): DynamoDB has no such case.
void refuse_in_cluster(const Context& ctx, std::string_view feature);

}  // namespace jormun::ops
