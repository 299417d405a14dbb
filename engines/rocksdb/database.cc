#include "database.h"

#include <filesystem>
#include <vector>

#include "column_family_name.h"
#include "logger.h"
#include "status.h"

namespace jormun::rocks {
namespace {

// Another process (or instance) holding the LOCK file is the transient case
// JORMUN_BUSY names; RocksDB reports it as a plain IOError.
void check_open(const rocksdb::Status& s, const std::string& data_dir) {
  if (s.IsIOError() && s.ToString().find("/LOCK") != std::string::npos)
    throw plugin::Error(JORMUN_BUSY,
                        "rocksdb: '" + data_dir + "' is in use: " + s.ToString());
  check(s, "open '" + data_dir + "'");
}

}  // namespace

std::shared_ptr<Database> Database::open(const std::string& data_dir,
                                         const DbOptions& options,
                                         const plugin::Host& host, bool read_only) {
  std::vector<std::string> names{rocksdb::kDefaultColumnFamilyName};
  if (std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT"))
    check(rocksdb::DB::ListColumnFamilies(options.db, data_dir, &names),
          "list column families of '" + data_dir + "'");
  // A read-only database's memtables hold what its WAL had and never grow:
  // no memtable bloom filter, whose allocation and zeroing (write_buffer_mb
  // x 0.02 per keyspace, 1.3 MB each by default) was a fifth of the CPU of
  // a read-only reopen.
  rocksdb::ColumnFamilyOptions family = options.column_family;
  if (read_only) family.memtable_prefix_bloom_size_ratio = 0;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) {
    if (name != rocksdb::kDefaultColumnFamilyName && !keyspace_for(name))
      throw plugin::Error(JORMUN_CORRUPTION, "rocksdb: column family '" + name +
                                                 "' in '" + data_dir +
                                                 "' is not a jormun keyspace");
    descriptors.emplace_back(name, family);
  }

  std::shared_ptr<Database> out(new Database(read_only));
  if (read_only)
    check_open(rocksdb::Env::Default()->LockFile(data_dir + "/LOCK", &out->lock_),
               data_dir);
  rocksdb::DBOptions db_options = options.db;
  db_options.info_log = std::make_shared<HostLogger>(data_dir, host);
  db_options.listeners.push_back(
      std::make_shared<BackgroundErrorReporter>(data_dir, host));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  check_open(
      read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, data_dir, descriptors, &handles, &db)
          : rocksdb::DB::Open(db_options, data_dir, descriptors, &handles, &db),
      data_dir);
  out->db_.reset(db);
  for (size_t i = 0; i < handles.size(); ++i) {
    if (names[i] == rocksdb::kDefaultColumnFamilyName)
      out->default_family_ = handles[i];
    else
      out->families.emplace(*keyspace_for(names[i]), handles[i]);
  }
  return out;
}

bool Database::opens_read_only(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(fs::path(data_dir) / "CURRENT", ec)) return false;
  for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
    if (entry.path().extension() != ".log") continue;
    const uintmax_t size = entry.file_size(ec);
    if (ec || size > 0) return false;
  }
  return !ec;
}

Database::~Database() {
  if (db_) {
    // Makes unsynced writes durable too: "flushed as far as the engine can".
    if (!read_only_) db_->SyncWAL();
    for (auto& [name, handle] : families) db_->DestroyColumnFamilyHandle(handle);
    if (default_family_ != nullptr) db_->DestroyColumnFamilyHandle(default_family_);
    db_->Close();
  }
  release_lock();
}

void Database::release_lock() {
  if (lock_ == nullptr) return;
  rocksdb::Env::Default()->UnlockFile(lock_);
  lock_ = nullptr;
}

}  // namespace jormun::rocks
