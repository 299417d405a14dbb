// What every operation gets: the tables and the configuration.
#pragma once

#include <rapidjson/document.h>

#include "config/config.h"
#include "model/attribute_json.h"
#include "replication/follower.h"
#include "storage/catalog.h"
#include "storage/replication_identity.h"

namespace jormun::ops {

struct ReplicationSource;  // ops/replication_source.h

struct Context {
  storage::Catalog& catalog;
  const config::Config& config;
  // "host:port" of the plain listener as bound (DescribeEndpoints); set by
  // main once the server has bound it, before any request is served.
  const std::string* endpoint = nullptr;
  // This server's replication id and role record (docs/replication.md).
  storage::ReplicationIdentity* replication = nullptr;
  // A primary's snapshots and followers (null without replication.log).
  ReplicationSource* replication_source = nullptr;
  // Set on a read replica (replication.follow): what it follows, and how
  // far (docs/replication.md); null on a primary.
  replication::Follower* follower = nullptr;
};

// An operation reads its request and writes its JSON answer (one object) to
// `out`; a client error is thrown as ApiError.
using Operation = void (*)(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out);

// Where a request names the tables whose items it writes. Any such write may
// be durable (it is when one of those tables is), and a durable one waits
// for a disk flush (ops/durability.h).
enum class ItemWrites {
  kNone,          // writes no items: reads, table operations
  kTableName,     // the table in TableName
  kRequestItems,  // each table named in RequestItems
  kTransactItems, // each table an action of TransactItems names
  // PartiQL: each table a write statement's text names (Statement,
  // Statements or TransactStatements); a transaction's, as kTransactItems
  kStatements,
};

// The API an operation belongs to; both are served on the same port, told
// apart by X-Amz-Target's prefix (target_prefix).
enum class Api {
  kDynamoDB,  // DynamoDB_20120810.<name>
  kStreams,   // DynamoDBStreams_20120810.<name>
};
std::string_view target_prefix(Api api);

// What a read replica (docs/replication.md) does with an operation while
// it follows its primary.
enum class OnReplica {
  kServe,        // served from the copies; refused when it asks ConsistentRead
  kPrimary,      // a write or a table change: refused, or forwarded to the primary
  kByStatement,  // PartiQL: kPrimary when a statement writes, else kServe
};

// What dispatch, the durable-write hand-off and a read replica know of an
// operation.
struct OperationSpec {
  std::string_view name;  // as in X-Amz-Target, after the API's prefix
  Operation run;
  ItemWrites writes;
  OnReplica on_replica = OnReplica::kServe;
  Api api = Api::kDynamoDB;
};

// The operation a whole X-Amz-Target ("DynamoDB_20120810.PutItem") names,
// or null.
const OperationSpec* find_operation(std::string_view target);

}  // namespace jormun::ops
