#include "storage/transaction_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <utility>

#include "common/api_error.h"
#include "common/log.h"
#include "storage/full_disk.h"

namespace jormun::storage {
namespace {

// Record kinds. DO NOT CHANGE: on disk.
constexpr uint8_t kIntent = 1;
constexpr uint8_t kDone = 2;
constexpr uint8_t kAbandoned = 3;  // its intent's sync failed: never to be written

// A record: payload length (u32 LE), CRC-32 of the payload (u32 LE), payload.
constexpr size_t kHeader = 8;

void put_u32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void put_u64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void put_str(std::string_view s, std::string* out) {
  put_u32(static_cast<uint32_t>(s.size()), out);
  out->append(s);
}

// A bounds-checked reader of one payload; a short read means a torn record.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint64_t num(int bytes) {
    need(bytes);
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<uint8_t>(in_[i])} << (8 * i);
    in_.remove_prefix(bytes);
    return v;
  }
  std::string str() {
    size_t n = num(4);
    need(n);
    std::string out(in_.substr(0, n));
    in_.remove_prefix(n);
    return out;
  }

 private:
  void need(size_t n) {
    if (in_.size() < n) throw std::runtime_error("transaction log: record too short");
  }
  std::string_view in_;
};

std::string frame(const std::string& payload) {
  std::string out;
  out.reserve(kHeader + payload.size());
  put_u32(static_cast<uint32_t>(payload.size()), &out);
  put_u32(static_cast<uint32_t>(
              ::crc32(0, reinterpret_cast<const Bytef*>(payload.data()), payload.size())),
          &out);
  out += payload;
  return out;
}

// A full disk is the ApiError every refused write gets (storage/full_disk.h).
[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  if (errno == ENOSPC) throw ApiError::internal(std::string(kDiskFullMessage));
  throw std::runtime_error("transaction log " + path + ": " + what + ": " +
                           std::strerror(errno));
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io_error("write", path);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// Transaction ids grow across restarts too (they start from the clock), so
// a marker left by an earlier run never matches a later intent.
uint64_t first_id() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// Makes the names in `dir` durable (a file created, renamed or deleted).
void sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) io_error("open directory", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) io_error("fsync directory", dir);
}

// The whole of the file at `path`; empty when it does not exist.
std::string read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return {};
  if (fd < 0) io_error("open", path);
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      io_error("read", path);
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

// Adds the intents of one file's records to `intents` and takes the
// abandoned ones out, up to the first torn or corrupt record.
void read_intents(std::string_view rest, std::map<uint64_t, TransactionLog::Intent>* intents) {
  while (rest.size() >= kHeader) {
    Reader header(rest.substr(0, kHeader));
    const size_t length = header.num(4);
    const uint32_t crc = static_cast<uint32_t>(header.num(4));
    if (rest.size() - kHeader < length) break;  // torn: its sync never returned
    std::string_view payload = rest.substr(kHeader, length);
    if (::crc32(0, reinterpret_cast<const Bytef*>(payload.data()), payload.size()) != crc)
      break;
    rest.remove_prefix(kHeader + length);
    Reader r(payload);
    const auto kind = static_cast<uint8_t>(r.num(1));
    const uint64_t id = r.num(8);
    if (kind == kDone) continue;
    if (kind == kAbandoned) {
      intents->erase(id);
      continue;
    }
    if (kind != kIntent) throw std::runtime_error("transaction log: unknown record kind");
    TransactionLog::Intent& intent = (*intents)[id];
    intent.id = id;
    for (uint64_t parts = r.num(4); parts > 0; --parts) {
      TransactionLog::Part part;
      part.table = r.str();
      part.table_id = r.str();
      for (uint64_t ops = r.num(4); ops > 0; --ops) {
        TransactionLog::Part::Op op;
        op.put = r.num(1) != 0;
        op.keyspace = r.str();
        op.key = r.str();
        op.value = r.str();
        part.ops.push_back(std::move(op));
      }
      intent.parts.push_back(std::move(part));
    }
  }
}

}  // namespace

TransactionLog::TransactionLog(const std::string& data_dir, SyncTables sync_tables,
                               Sweep sweep, uint64_t rotate_bytes)
    : dir_(data_dir),
      path_((std::filesystem::path(data_dir) / "transactions.log").string()),
      sealed_path_(path_ + ".1"),
      sync_tables_(std::move(sync_tables)),
      sweep_(std::move(sweep)),
      rotate_bytes_(rotate_bytes),
      next_id_(first_id()) {
  open_current();
}

TransactionLog::~TransactionLog() {
  if (fd_ >= 0) ::close(fd_);
  if (sealed_fd_ >= 0) ::close(sealed_fd_);
}

void TransactionLog::open_current() {
  const bool existed = std::filesystem::exists(path_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) io_error("open", path_);
  // The new file's name (and a seal's rename) must be durable before an
  // intent in it counts.
  if (!existed) sync_dir(dir_);
  struct stat st;
  if (::fstat(fd_, &st) != 0) io_error("stat", path_);
  size_ = static_cast<uint64_t>(st.st_size);
}

std::vector<TransactionLog::Intent> TransactionLog::intents() const {
  std::map<uint64_t, Intent> by_id;  // id order is log order
  read_intents(read_file(sealed_path_), &by_id);
  read_intents(read_file(path_), &by_id);
  std::vector<Intent> out;
  for (auto& [id, intent] : by_id) out.push_back(std::move(intent));
  return out;
}

void TransactionLog::reset() {
  std::lock_guard lock(mu_);
  if (::ftruncate(fd_, 0) != 0) io_error("truncate", path_);
  if (::fdatasync(fd_) != 0) io_error("fdatasync", path_);
  if (::unlink(sealed_path_.c_str()) == 0)
    sync_dir(dir_);
  else if (errno != ENOENT)
    io_error("unlink", sealed_path_);
  size_ = 0;
  tables_.clear();
}

void TransactionLog::append_locked(const std::string& record) {
  write_all(fd_, record, path_);
  size_ += record.size();
}

uint64_t TransactionLog::begin(std::vector<Part> parts) {
  Pending intent{{}, &parts};
  put_u32(static_cast<uint32_t>(parts.size()), &intent.body);
  for (const auto& part : parts) {
    put_str(part.table, &intent.body);
    put_str(part.table_id, &intent.body);
    put_u32(static_cast<uint32_t>(part.ops.size()), &intent.body);
    for (const auto& op : part.ops) {
      intent.body.push_back(op.put ? 1 : 0);
      put_str(op.keyspace, &intent.body);
      put_str(op.key, &intent.body);
      put_str(op.value, &intent.body);
    }
  }
  try {
    syncs_.submit(intent, [&](std::vector<Pending*>& group) {
      int fd;
      {
        std::lock_guard lock(mu_);
        // Ids are given in log order, under the lock a seal takes: every
        // transaction of a sealed file has an id up to its sealed_up_to_.
        for (Pending* p : group) {
          p->id = next_id_++;
          std::string payload;
          payload.push_back(static_cast<char>(kIntent));
          put_u64(p->id, &payload);
          payload += p->body;
          append_locked(frame(payload));
          in_flight_.insert(p->id);
          for (const auto& part : *p->parts) tables_.insert(part.table);
        }
        // A seal may come before the sync: the sealed file keeps its
        // descriptor open until it is retired, which waits for this group.
        fd = fd_;
      }
      if (::fdatasync(fd) != 0) io_error("fdatasync", path_);
    });
  } catch (...) {
    // The intent may be in the file and become durable with a later sync,
    // though no batch of it was written: the abandon record after it keeps
    // recovery from writing them (if even that fails, the file is lost to
    // writes and nothing after this intent will be durable either). An
    // intent given no id was not appended.
    if (intent.id != 0) finish(intent.id, kAbandoned);
    throw;
  }
  return intent.id;
}

void TransactionLog::end(uint64_t id) noexcept { finish(id, kDone); }

void TransactionLog::finish(uint64_t id, uint8_t kind) noexcept {
  std::string payload;
  payload.push_back(static_cast<char>(kind));
  put_u64(id, &payload);
  std::lock_guard lock(mu_);
  in_flight_.erase(id);
  try {
    append_locked(frame(payload));
  } catch (const std::exception& e) {
    // Without its done record an intent is recovered as any other; without
    // its abandon record, see begin().
    log::error(e.what());
  }
  if (size_ > rotate_bytes_ && sealed_up_to_ == 0) seal_locked();
}

void TransactionLog::seal_locked() {
  if (::rename(path_.c_str(), sealed_path_.c_str()) != 0) {
    log::error("transaction log: cannot seal " + path_ + ": " + std::strerror(errno));
    return;
  }
  const int sealed = fd_;
  try {
    open_current();
  } catch (const std::exception& e) {
    // Appends go on to the sealed file, under its old name again if it can
    // have it (start-up reads both names anyway).
    log::error(e.what());
    ::rename(sealed_path_.c_str(), path_.c_str());
    fd_ = sealed;
    return;
  }
  sealed_fd_ = sealed;
  sealed_up_to_ = next_id_ - 1;
  sealed_tables_ = std::exchange(tables_, {});
}

void TransactionLog::retire_sealed() noexcept {
  uint64_t up_to;
  std::set<std::string> tables;
  {
    std::lock_guard lock(mu_);
    if (sealed_up_to_ == 0 || retiring_) return;
    // The sealed file's transactions still writing their batches (or
    // waiting for their intent's sync) are retired with it by a later call.
    if (!in_flight_.empty() && *in_flight_.begin() <= sealed_up_to_) return;
    retiring_ = true;
    up_to = sealed_up_to_;
    tables = sealed_tables_;
  }
  bool retired = false;
  try {
    // The batches of the sealed file's transactions may not be durable yet:
    // the file is their only copy until they are.
    sync_tables_(tables);
    if (::unlink(sealed_path_.c_str()) != 0 && errno != ENOENT) io_error("unlink", sealed_path_);
    sync_dir(dir_);
    retired = true;
    sweep_(up_to, tables);
  } catch (const std::exception& e) {
    // Not retired: tried again at the next call. Retired but not swept:
    // markers left behind are harmless (no intent names them) and swept at
    // the next start-up.
    log::error(std::string("retiring the sealed transaction log: ") + e.what());
  }
  std::lock_guard lock(mu_);
  retiring_ = false;
  if (retired) {
    ::close(std::exchange(sealed_fd_, -1));
    sealed_up_to_ = 0;
    sealed_tables_.clear();
  }
}

std::string TransactionLog::marker_name(uint64_t id) {
  std::string name;
  for (int i = 7; i >= 0; --i) name.push_back(static_cast<char>(id >> (8 * i)));
  return name;
}

uint64_t TransactionLog::marker_id(std::string_view name) {
  uint64_t id = 0;
  for (char c : name) id = id << 8 | static_cast<uint8_t>(c);
  return id;
}

}  // namespace jormun::storage
