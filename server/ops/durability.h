// Which requests wait for a disk flush before they can be answered.
#pragma once

#include <rapidjson/document.h>

#include "ops/context.h"

namespace jormun::ops {

// True when `request`, a call of `op`, writes items of a table whose writes
// wait for a shared commit (storage::Table::writes_wait_for_group: a durable
// table, or one on an engine that commits one writer at a time), or is a
// transaction over several tables (whose writes are all synced), or writes
// on a synchronous primary (which waits for a follower). Such a call
// spends most of its time waiting for the disk, so the caller runs it on a
// commit thread rather than on a connection's I/O thread, where concurrent
// ones can share a commit. Malformed requests answer false: they fail
// validation without writing anything.
bool waits_for_disk(Context& ctx, const OperationSpec& op, const rapidjson::Value& request);

// True when a PartiQL request (ExecuteStatement, BatchExecuteStatement,
// ExecuteTransaction) holds a statement that writes (not SELECT or EXISTS),
// judged from its text; statements that do not parse count as reads (the
// operation refuses them).
bool statements_write(const rapidjson::Value& request);

}  // namespace jormun::ops
