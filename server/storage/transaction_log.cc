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

}  // namespace

TransactionLog::TransactionLog(const std::string& data_dir, Sweep sweep,
                               uint64_t rotate_bytes)
    : path_((std::filesystem::path(data_dir) / "transactions.log").string()),
      sweep_(std::move(sweep)),
      rotate_bytes_(rotate_bytes),
      next_id_(first_id()) {
  const bool existed = std::filesystem::exists(path_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) io_error("open", path_);
  if (!existed) {
    // The new file's name must be durable before an intent in it counts.
    int dir = ::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) io_error("open directory", data_dir);
    int rc = ::fsync(dir);
    ::close(dir);
    if (rc != 0) io_error("fsync directory", data_dir);
  }
  struct stat st;
  if (::fstat(fd_, &st) != 0) io_error("stat", path_);
  size_ = static_cast<uint64_t>(st.st_size);
}

TransactionLog::~TransactionLog() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<TransactionLog::Intent> TransactionLog::unfinished() const {
  std::string bytes;
  bytes.resize(size_);
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::pread(fd_, bytes.data() + got, bytes.size() - got, got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io_error("read", path_);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  bytes.resize(got);

  std::map<uint64_t, Intent> open;  // by id, which is log order
  std::string_view rest(bytes);
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
    if (kind == kDone) {
      open.erase(id);
      continue;
    }
    if (kind != kIntent) throw std::runtime_error("transaction log: unknown record kind");
    Intent& intent = open[id];
    intent.id = id;
    for (uint64_t parts = r.num(4); parts > 0; --parts) {
      Part part;
      part.table = r.str();
      part.table_id = r.str();
      for (uint64_t ops = r.num(4); ops > 0; --ops) {
        Part::Op op;
        op.put = r.num(1) != 0;
        op.keyspace = r.str();
        op.key = r.str();
        op.value = r.str();
        part.ops.push_back(std::move(op));
      }
      intent.parts.push_back(std::move(part));
    }
  }
  std::vector<Intent> out;
  for (auto& [id, intent] : open) out.push_back(std::move(intent));
  return out;
}

void TransactionLog::reset() {
  std::lock_guard lock(mu_);
  if (::ftruncate(fd_, 0) != 0) io_error("truncate", path_);
  if (::fdatasync(fd_) != 0) io_error("fdatasync", path_);
  size_ = 0;
}

void TransactionLog::append_locked(const std::string& record) {
  write_all(fd_, record, path_);
  size_ += record.size();
}

uint64_t TransactionLog::begin(std::vector<Part> parts) {
  uint64_t id;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    ++in_flight_;
  }
  std::string payload;
  payload.push_back(static_cast<char>(kIntent));
  put_u64(id, &payload);
  put_u32(static_cast<uint32_t>(parts.size()), &payload);
  for (const auto& part : parts) {
    put_str(part.table, &payload);
    put_str(part.table_id, &payload);
    put_u32(static_cast<uint32_t>(part.ops.size()), &payload);
    for (const auto& op : part.ops) {
      payload.push_back(op.put ? 1 : 0);
      put_str(op.keyspace, &payload);
      put_str(op.key, &payload);
      put_str(op.value, &payload);
    }
  }
  std::string record = frame(payload);
  try {
    syncs_.submit(record, [&](std::vector<std::string*>& group) {
      {
        std::lock_guard lock(mu_);
        for (const std::string* r : group) append_locked(*r);
      }
      if (::fdatasync(fd_) != 0) io_error("fdatasync", path_);
    });
  } catch (...) {
    // The intent may be in the file and become durable with a later sync,
    // though no batch of it was written: a done record after it keeps
    // recovery from writing them (if even that fails, the file is lost to
    // writes and nothing after this intent will be durable either).
    end(id);
    throw;
  }
  return id;
}

void TransactionLog::end(uint64_t id) noexcept {
  std::string payload;
  payload.push_back(static_cast<char>(kDone));
  put_u64(id, &payload);
  std::lock_guard lock(mu_);
  --in_flight_;
  try {
    append_locked(frame(payload));
  } catch (const std::exception& e) {
    // Without its done record the intent is finished again at start-up,
    // which finds every marker and writes nothing.
    log::error(e.what());
  }
  if (in_flight_ == 0 && size_ > rotate_bytes_) {
    // Every intent in the log is done and its batches synced: none is
    // needed any more, and nor are the markers of their transactions.
    if (::ftruncate(fd_, 0) == 0 && ::fdatasync(fd_) == 0) {
      size_ = 0;
      sweep_up_to_ = next_id_ - 1;
    }
  }
}

void TransactionLog::sweep_if_emptied() noexcept {
  uint64_t up_to;
  {
    std::lock_guard lock(mu_);
    up_to = std::exchange(sweep_up_to_, 0);
  }
  if (!up_to) return;
  try {
    sweep_(up_to);
  } catch (const std::exception& e) {
    // Markers left behind are harmless (no intent names them) and swept at
    // the next start-up.
    log::error(std::string("sweeping transaction markers: ") + e.what());
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
