// What the catalog records about a table: its DynamoDB description and the
// engine it lives on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/attribute_value.h"

namespace jormun::storage {

struct KeyAttribute {
  std::string name;
  model::Type type;  // S, N or B
};

// A global or local secondary index. Its entries live in the keyspace
// "index:<name>" of the table's engine instance (see storage::Table).
struct IndexSchema {
  // Which attributes an entry carries besides the keys. The catalog stores
  // the names, not the numbers.
  enum class Projection { kAll, kKeysOnly, kInclude };
  // Life cycle: a GSI added by UpdateTable is kCreating (Backfilling) until
  // every base item has its entry; a deleted one is kDeleting until its
  // keyspace is dropped. Indexes given to CreateTable start kActive.
  enum class State { kActive, kCreating, kDeleting };

  std::string name;
  bool global = false;  // GSI; otherwise LSI
  KeyAttribute partition_key;
  std::optional<KeyAttribute> sort_key;
  // A GSI's multi-attribute key: its HASH attributes after partition_key
  // and its RANGE attributes after sort_key, in KeySchema order (up to three
  // more of each); empty for a one-attribute key.
  std::vector<KeyAttribute> more_partition_keys;
  std::vector<KeyAttribute> more_sort_keys;
  Projection projection = Projection::kAll;
  std::vector<std::string> non_key_attributes;  // kInclude only, as given
  int64_t read_capacity = 0;                    // GSI under PROVISIONED only
  int64_t write_capacity = 0;
  State state = State::kActive;

  // Every HASH attribute in KeySchema order; every RANGE attribute (none
  // without a sort key).
  std::vector<const KeyAttribute*> partition_keys() const;
  std::vector<const KeyAttribute*> sort_keys() const;
  // Whether `name` is one of the index's key attributes.
  bool has_key(std::string_view name) const;

  // Reads may use the index only when it is complete. DynamoDB refuses the
  // others with kNotQueryableMessage + name (a ValidationException).
  bool queryable() const { return state == State::kActive; }
  static constexpr std::string_view kNotQueryableMessage =
      "Cannot read from backfilling global secondary index: ";
};

// A resource tag (TagResource, CreateTable's Tags), as given.
struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

// One stream of a table (DynamoDB Streams). Enabling a table's stream adds
// one; disabling it closes it (`enabled` false), and it stays readable. Its
// records live in the table's "streams" keyspace under its `number`
// (storage/stream_record.h).
struct StreamSchema {
  // What a record carries besides the keys. The catalog stores the names.
  enum class View { kKeysOnly, kNewImage, kOldImage, kNewAndOldImages };
  uint64_t number = 0;  // 1, 2, ... in the order the table's streams began
  std::string label;    // creation time, "2026-10-08T23:07:31.275" (UTC, ms)
  View view = View::kKeysOnly;
  bool enabled = true;
};

// Where a table made by RestoreTableFromBackup came from: DynamoDB's
// RestoreSummary. The server stores the ARNs as the request named them.
struct RestoreSummary {
  std::string source_backup_arn;
  std::string source_table_arn;
  double restore_time = 0;  // seconds since the epoch, when the restore began
  // True while the table is being built (never in the catalog on disk: a
  // table is listed there once its restore has finished).
  bool in_progress = false;
};

// Point-in-time recovery (UpdateContinuousBackups). While enabled, every
// write also adds a record to the table's change log (storage/change_log.h)
// and the table is checkpointed periodically, so it can be restored as it
// was at any second of the last `recovery_days` since `enabled_ms`.
struct PitrSettings {
  bool enabled = false;
  int64_t recovery_days = 35;  // RecoveryPeriodInDays, 1..35
  int64_t enabled_ms = 0;      // when it was last enabled, on the server clock
};

struct TableSchema {
  std::string name;
  std::string id;            // a UUID, as DynamoDB's TableId
  // A deleted table kept while its streams stay readable (Catalog::drop):
  // when it was deleted, ms on the server clock; 0 for a live table.
  int64_t deleted_ms = 0;
  double creation_time = 0;  // seconds since the epoch
  KeyAttribute partition_key;
  std::optional<KeyAttribute> sort_key;
  // AttributeDefinitions as given (order kept for DescribeTable).
  std::vector<KeyAttribute> attribute_definitions;
  std::string billing_mode = "PROVISIONED";  // or PAY_PER_REQUEST
  int64_t read_capacity = 0;
  int64_t write_capacity = 0;
  // The engine the table was created on; kept even if the config changes.
  std::string engine;
  std::string plugin;
  std::vector<std::pair<std::string, std::string>> engine_options;
  // Every write is synced before its answer (config::EngineConfig::durable).
  bool durable = false;
  // Secondary indexes, LSIs and GSIs in the order they were defined.
  std::vector<IndexSchema> indexes;
  // Time to Live: the attribute holding each item's expiry time (a Number of
  // epoch seconds); empty while TTL is disabled.
  std::string ttl_attribute;
  // When UpdateTimeToLive last changed it (clock::now_ms()); 0: never. The
  // next change waits config::TtlConfig::change_cooldown_seconds from it.
  int64_t ttl_changed_ms = 0;
  // Tags in the order first given; a key appears once (TagResource upserts).
  std::vector<Tag> tags;
  // DeleteTable refuses the table while set.
  bool deletion_protection = false;
  // STANDARD or STANDARD_INFREQUENT_ACCESS once a client chose one; empty
  // until then (DynamoDB then describes no TableClassSummary), with the time
  // of the last change.
  std::string table_class;
  double table_class_time = 0;
  // The KMS key ARN the client asked to encrypt with; empty for DynamoDB's
  // default (an AWS owned key, which DynamoDB does not describe). Recorded
  // only: the engines' files are not encrypted by the server.
  std::string sse_kms_key_arn;
  // OnDemandThroughput (0: not set; -1: no limit) and WarmThroughput (0:
  // the default) as given. Recorded and described, not enforced.
  int64_t max_read_request_units = 0;
  int64_t max_write_request_units = 0;
  int64_t warm_read_units = 0;
  int64_t warm_write_units = 0;
  // Every stream the table has had, oldest first; the last is the current
  // one when enabled.
  std::vector<StreamSchema> streams;
  PitrSettings pitr;
  // Set on a table made by RestoreTableFromBackup or RestoreTableToPointInTime.
  std::optional<RestoreSummary> restore;
  // The folder under tables/ holding the table's files: empty for its name;
  // "<name>@<hex>" once an engine migration (storage/catalog_migrate.h) has
  // moved it. '@' is never in a table name, so the two cannot collide.
  std::string folder;
  // Folders under tables/ of the engines migrations moved the table off,
  // oldest first, kept until dropped (Catalog::drop_old_copies).
  std::vector<std::string> old_copies;
  // Set while an engine migration copies the table, never in the catalog on
  // disk: its writes then add change log records (change_log_enabled), and
  // none of them is trimmed.
  bool migrating = false;

  // The name of the table's folder under tables/.
  const std::string& folder_name() const { return folder.empty() ? name : folder; }

  // The enabled stream records are written to, or null.
  const StreamSchema* enabled_stream() const {
    return !streams.empty() && streams.back().enabled ? &streams.back() : nullptr;
  }

  // Drops the AttributeDefinitions no key of the table or of an index uses
  // (DynamoDB keeps exactly the used ones, e.g. after an index is deleted).
  void prune_attribute_definitions();
};

}  // namespace jormun::storage
