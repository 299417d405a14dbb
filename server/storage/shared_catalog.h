// The catalog of a cluster (config `cluster:`): several jormundb front ends
// over one database keep their tables' schemas in a keyspace of the
// cluster's engine, reached through the engine ABI like any table, instead
// of each in its own catalog.json.
//
// Layout of the keyspace "catalog" of the instance kInstanceId:
//   "v"          the catalog's version, decimal; absent means 0;
//   "t/<name>"   one table's schema as catalog_file.h writes it;
//   "b/<table id>/<index>"  the lease on that index's backfill
//                (storage/backfill_lease.h);
//   "f/<front end id>"  a front end's presence (storage/cluster_presence.h);
//   "n/<table id>"  the table's item counts (storage/cluster_counts.h).
// Every change bumps "v" in the same atomic batch and carries the version
// it started from as an engine-checked precondition (ABI 1.3
// JORMUN_CAP_PRECONDITIONS), so changes made through different front ends
// serialise: of two made from the same version, one applies and the other
// is a conflict its front end retries on the newer catalog (this is what
// makes two concurrent CreateTable of one name give one winner).
//
// Thread-safe (the engine instance is).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <jormun/engine.hpp>

#include "storage/table_schema.h"

namespace jormun::storage {

// A change to the shared catalog lost the race to another front end's
// (SharedCatalog::commit returned false); the change is made again on the
// newer catalog.
class CatalogConflict : public std::runtime_error {
 public:
  CatalogConflict() : std::runtime_error("the cluster's catalog changed meanwhile") {}
};

class SharedCatalog {
 public:
  // DO NOT CHANGE: every front end of a cluster must find the catalog
  // under this engine instance id.
  static constexpr const char* kInstanceId = "c1a57e4ca7a10900";

  // The catalog as of one version.
  struct State {
    uint64_t version = 0;
    std::map<std::string, TableSchema, std::less<>> tables;  // by name
  };

  // Opens the catalog on the engine `lib` with the engine's `options` (the
  // instance id is added), in `dir` (a folder of the front end's own that
  // the engine may use; the postgres engine keeps nothing there). Throws
  // host::EngineError when the engine cannot be opened or lacks
  // preconditions.
  SharedCatalog(std::shared_ptr<host::Library> lib, const std::string& dir,
                std::vector<std::pair<std::string, std::string>> options,
                const jormun_host_services* services);

  // The current version (one point read).
  uint64_t version();
  // Every table as of one version: the version is read before and after
  // the scan, and the scan repeated until they agree (a change bumps it in
  // the same transaction as its tables). Throws host::EngineError, and
  // DataDirError for a schema that does not parse.
  State read();

  // Applies the change from version `from`: `put` tables written (whole
  // schemas, by name), `removed` names deleted, the version set to from+1.
  // Returns false, changing nothing, when the catalog is no longer at
  // `from` (another front end changed it first).
  bool commit(uint64_t from, const std::vector<TableSchema>& put,
              const std::vector<std::string>& removed);

  // A row beside the schemas (a lease): its value, or nullopt when absent.
  std::optional<std::string> row(const std::string& key);
  // Every row whose key starts with `prefix` (not "t/"), by key.
  std::map<std::string, std::string> rows(const std::string& prefix);
  // Sets row `key` to `value` (nullopt deletes it), durably, when it still
  // holds `expected` (nullopt: absent); false, changing nothing, when it
  // does not. The version is not bumped: no schema changed.
  bool swap_row(const std::string& key, const std::optional<std::string>& expected,
                const std::optional<std::string>& value);
  // Deletes row `key` whatever it holds, trying again up to `attempts`
  // times while another front end changes it; false when it kept changing.
  // Throws host::EngineError.
  bool remove_row(const std::string& key, int attempts);

 private:
  // Writes `batch` durably; false when one of its preconditions failed.
  bool write_checked(const host::WriteBatch& batch);

  std::unique_ptr<host::Instance> instance_;
  host::Keyspace ks_;
};

}  // namespace jormun::storage
