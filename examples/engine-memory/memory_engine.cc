// jormun_memory.so: the smallest honest JormunDB engine, as documentation.
//
// Every keyspace is a std::map in memory. Durability comes from one
// append-only log file in the instance's directory, `memory.log`: each
// `write` (and each keyspace created or dropped) appends one record, and
// `open` replays the log up to the first torn record. That is enough for
// every promise of engine.h: a batch is one record, so it is all there or
// not there after a crash; a record is in the page cache when `write`
// returns, so it survives a crash of the process; JORMUN_WRITE_SYNC adds an
// fdatasync, so it survives a crash of the machine.
//
// Snapshots (JORMUN_CAP_SNAPSHOTS) and iterators share the maps they read:
// a keyspace's map sits behind a shared_ptr, and a write copies the map
// first when anyone else still holds it (copy on write). A snapshot is the
// set of every keyspace's map at one moment.
//
// What a real engine adds: a log that does not grow forever (rewrite it as
// a snapshot of the maps when it gets large), data larger than memory, and
// reads that do not wait for writes.
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <jormun/plugin.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace {

namespace jp = jormun::plugin;

// Keys compare as unsigned bytes: std::string's ordering does exactly that.
// std::less<> lets the map look up string_views without a copy.
using Map = std::map<std::string, std::string, std::less<>>;

struct MemoryKeyspace : jp::Keyspace {
  const void* owner;  // the instance, to refuse another instance's handles
  uint64_t id;        // as written in the log
  std::shared_ptr<Map> map = std::make_shared<Map>();
  MemoryKeyspace(const void* o, uint64_t i) : owner(o), id(i) {}
};

struct MemorySnapshot : jp::Snapshot {
  const void* owner;
  std::map<uint64_t, std::shared_ptr<const Map>> maps;  // by keyspace id
  explicit MemorySnapshot(const void* o) : owner(o) {}
};

// ---- The log: the 8 bytes of kMagic (its last byte is the format
// version), then records of [u32 payload size][u64 checksum][payload]; a
// payload is a sequence of operations, each a kind byte and a keyspace id,
// then a name (kCreate), a key (kDelete) or a key and a value (kPut). Sizes
// and ids in the machine's byte order: the log is not meant to move.

constexpr std::string_view kMagic{"JMEMLOG\x01", 8};
// Stored in the log: never change these values.
enum : uint8_t { kPut = 'P', kDelete = 'X', kCreate = 'C', kDrop = 'D' };

void put_u32(std::string& out, uint32_t v) { out.append(reinterpret_cast<char*>(&v), 4); }
void put_u64(std::string& out, uint64_t v) { out.append(reinterpret_cast<char*>(&v), 8); }
void put_bytes(std::string& out, std::string_view b) {
  put_u32(out, static_cast<uint32_t>(b.size()));
  out.append(b);
}

// FNV-1a: enough to tell a torn or garbled record from a whole one.
uint64_t checksum(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Reads a payload back; every read fails (returns false) past the end.
struct Reader {
  std::string_view rest;
  template <typename T>
  bool fixed(T* v) {
    if (rest.size() < sizeof(T)) return false;
    std::memcpy(v, rest.data(), sizeof(T));
    rest.remove_prefix(sizeof(T));
    return true;
  }
  bool bytes(std::string* out) {
    uint32_t n;
    if (!fixed(&n) || rest.size() < n) return false;
    out->assign(rest.substr(0, n));
    rest.remove_prefix(n);
    return true;
  }
};

[[noreturn]] void fail_errno(const std::string& what) {
  int e = errno;
  throw jp::Error(e == ENOSPC ? JORMUN_NO_SPACE : JORMUN_IO_ERROR,
                  "memory: " + what + ": " + std::strerror(e));
}

class MemoryIterator : public jp::Iterator {
 public:
  MemoryIterator(std::shared_ptr<const Map> map, const jp::Range& r)
      : map_(std::move(map)),
        lower_kind_(r.lower_kind),
        upper_kind_(r.upper_kind),
        lower_(r.lower),  // copies: the range is borrowed for the call only
        upper_(r.upper),
        reverse_(r.reverse) {
    // Start at the first (last) key inside the bound where the walk begins;
    // next() checks the other bound, so crossed bounds give nothing.
    if (!reverse_) {
      pos_ = lower_kind_ == JORMUN_BOUND_NONE        ? map_->begin()
             : lower_kind_ == JORMUN_BOUND_INCLUSIVE ? map_->lower_bound(lower_)
                                                     : map_->upper_bound(lower_);
    } else {
      pos_ = upper_kind_ == JORMUN_BOUND_NONE        ? map_->end()
             : upper_kind_ == JORMUN_BOUND_INCLUSIVE ? map_->upper_bound(upper_)
                                                     : map_->lower_bound(upper_);
    }
  }

  bool next(jormun_bytes* key, jormun_bytes* value) override {
    if (done_) return false;
    if (!reverse_) {
      if (pos_ == map_->end() || !below_upper(pos_->first)) return finish();
    } else {
      if (pos_ == map_->begin()) return finish();
      --pos_;
      if (!above_lower(pos_->first)) return finish();
    }
    const auto& [k, v] = *pos_;
    if (!reverse_) ++pos_;
    // Valid until the next call: map_ keeps the entry alive.
    *key = {reinterpret_cast<const uint8_t*>(k.data()), k.size()};
    *value = {reinterpret_cast<const uint8_t*>(v.data()), v.size()};
    return true;
  }

 private:
  bool finish() { return done_ = true, false; }
  bool below_upper(const std::string& k) const {
    return upper_kind_ == JORMUN_BOUND_NONE ||
           (upper_kind_ == JORMUN_BOUND_INCLUSIVE ? k <= upper_ : k < upper_);
  }
  bool above_lower(const std::string& k) const {
    return lower_kind_ == JORMUN_BOUND_NONE ||
           (lower_kind_ == JORMUN_BOUND_INCLUSIVE ? k >= lower_ : k > lower_);
  }

  std::shared_ptr<const Map> map_;  // never changes while shared (copy on write)
  uint32_t lower_kind_, upper_kind_;
  std::string lower_, upper_;
  bool reverse_;
  Map::const_iterator pos_;
  bool done_ = false;
};

class MemoryInstance : public jp::Instance {
 public:
  explicit MemoryInstance(const std::string& dir) {
    const std::string path = dir + "/memory.log";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail_errno("cannot open " + path);
    try {
      // A new log's name must be durable too, before any synced write is.
      if (replay()) sync_dir(dir);
    } catch (...) {
      ::close(fd_);
      throw;
    }
  }

  ~MemoryInstance() override {
    ::fdatasync(fd_);  // close makes unsynced writes durable as far as it can
    ::close(fd_);
  }

  jp::Keyspace* keyspace_open(std::string_view name, bool create) override {
    std::unique_lock lock(mutex_);
    if (auto it = keyspaces_.find(name); it != keyspaces_.end()) return it->second.get();
    if (!create) return nullptr;  // the adaptor answers NOT_FOUND
    std::string record;
    record.push_back(kCreate);
    put_u64(record, next_id_);
    put_bytes(record, name);
    append(record, true);
    return add_keyspace(std::string(name), next_id_);
  }

  void keyspace_drop(jp::Keyspace* keyspace) override {
    std::unique_lock lock(mutex_);
    MemoryKeyspace* ks = own(keyspace);
    std::string record;
    record.push_back(kDrop);
    put_u64(record, ks->id);
    append(record, true);
    std::erase_if(keyspaces_, [&](const auto& e) { return e.second.get() == ks; });
  }

  bool get(jp::Keyspace* keyspace, const jp::Snapshot* snapshot, std::string_view key,
           jormun_value_fn fn, void* ctx) override {
    std::shared_ptr<const Map> map = read_view(keyspace, snapshot);
    auto it = map->find(key);
    if (it == map->end()) return false;
    fn(ctx, reinterpret_cast<const uint8_t*>(it->second.data()), it->second.size());
    return true;
  }

  void write(const jormun_write_op* ops, size_t count, bool sync) override {
    std::unique_lock lock(mutex_);
    // Everything is checked and logged before anything is applied: a refused
    // or failed batch leaves no trace.
    std::string record;
    for (size_t i = 0; i < count; ++i) {
      MemoryKeyspace* ks = own(reinterpret_cast<jp::Keyspace*>(ops[i].keyspace));
      record.push_back(ops[i].kind == JORMUN_OP_PUT ? kPut : kDelete);
      put_u64(record, ks->id);
      put_bytes(record, jp::view(ops[i].key));
      if (ops[i].kind == JORMUN_OP_PUT) put_bytes(record, jp::view(ops[i].value));
    }
    if (count == 0) return;
    append(record, sync);
    for (size_t i = 0; i < count; ++i) {
      auto* ks = static_cast<MemoryKeyspace*>(reinterpret_cast<jp::Keyspace*>(ops[i].keyspace));
      apply(ks, ops[i].kind == JORMUN_OP_PUT, jp::view(ops[i].key), jp::view(ops[i].value));
    }
  }

  std::unique_ptr<jp::Iterator> iterate(jp::Keyspace* keyspace, const jp::Range& r) override {
    return std::make_unique<MemoryIterator>(read_view(keyspace, r.snapshot), r);
  }

  jp::Snapshot* snapshot_acquire() override {
    std::shared_lock lock(mutex_);
    auto snapshot = std::make_unique<MemorySnapshot>(this);
    for (const auto& [name, ks] : keyspaces_) snapshot->maps[ks->id] = ks->map;
    return snapshot.release();
  }

  void snapshot_release(jp::Snapshot* snapshot) override { delete snapshot; }

  void stats(jormun_stat_fn fn, void* ctx) override {
    std::string size = std::to_string(::lseek(fd_, 0, SEEK_END));
    fn(ctx, "approximate_size_bytes", size.c_str());
  }

 private:
  // Another instance's handle is the caller's mistake, not a crash.
  MemoryKeyspace* own(jp::Keyspace* keyspace) const {
    auto* ks = static_cast<MemoryKeyspace*>(keyspace);
    if (ks == nullptr || ks->owner != this)
      throw jp::Error(JORMUN_INVALID_ARGUMENT, "memory: keyspace of another instance");
    return ks;
  }

  // The map a read sees: the keyspace's now, or at the snapshot (empty for a
  // keyspace created after it).
  std::shared_ptr<const Map> read_view(jp::Keyspace* keyspace, const jp::Snapshot* snapshot) {
    std::shared_lock lock(mutex_);
    MemoryKeyspace* ks = own(keyspace);
    if (snapshot == nullptr) return ks->map;
    auto* snap = static_cast<const MemorySnapshot*>(snapshot);
    if (snap->owner != this)
      throw jp::Error(JORMUN_INVALID_ARGUMENT, "memory: snapshot of another instance");
    auto it = snap->maps.find(ks->id);
    return it != snap->maps.end() ? it->second : std::make_shared<const Map>();
  }

  // REQUIRES: mutex_ held exclusively (or the constructor running).
  void apply(MemoryKeyspace* ks, bool put, std::string_view key, std::string_view value) {
    // Copy on write: an iterator or a snapshot still reads this map.
    if (ks->map.use_count() > 1) ks->map = std::make_shared<Map>(*ks->map);
    if (put)
      ks->map->insert_or_assign(std::string(key), std::string(value));
    else if (auto it = ks->map->find(key); it != ks->map->end())
      ks->map->erase(it);
  }

  MemoryKeyspace* add_keyspace(std::string name, uint64_t id) {
    auto& slot = keyspaces_[std::move(name)];
    slot = std::make_unique<MemoryKeyspace>(this, id);
    next_id_ = std::max(next_id_, id + 1);
    return slot.get();
  }

  // Appends one record; on failure the log is cut back to where it was, so
  // the next record does not follow a torn one.
  void append(const std::string& payload, bool sync) {
    std::string record;
    put_u32(record, static_cast<uint32_t>(payload.size()));
    put_u64(record, checksum(payload));
    record += payload;
    append_raw(record, sync);
  }

  void append_raw(std::string_view record, bool sync) {
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    size_t done = 0;
    while (done < record.size()) {
      ssize_t n = ::pwrite(fd_, record.data() + done, record.size() - done, end + done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int e = errno;
        (void)::ftruncate(fd_, end);
        errno = e;
        fail_errno("cannot append to the log");
      }
      done += static_cast<size_t>(n);
    }
    if (sync && ::fdatasync(fd_) != 0) fail_errno("cannot sync the log");
  }

  static void sync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      int e = errno;
      if (fd >= 0) ::close(fd);
      errno = e;
      fail_errno("cannot sync " + dir);
    }
    ::close(fd);
  }

  // Rebuilds the maps from the log; a torn last record (a crash while it
  // was written) is cut off. Returns true when it started a new log.
  bool replay() {
    std::string log;
    char buf[1 << 16];
    for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_errno("cannot read the log");
      log.append(buf, static_cast<size_t>(n));
    }
    if (log.size() < kMagic.size()) {  // new, or torn while it was created
      if (::ftruncate(fd_, 0) != 0) fail_errno("cannot start the log");
      append_raw(kMagic, true);
      return true;
    }
    if (std::string_view(log).substr(0, kMagic.size()) != kMagic)
      throw jp::Error(JORMUN_CORRUPTION, "memory: memory.log is not a log of this format");
    std::map<uint64_t, MemoryKeyspace*> by_id;
    Reader records{std::string_view(log).substr(kMagic.size())};
    size_t good = kMagic.size();
    for (;;) {
      uint32_t size;
      uint64_t sum;
      if (!records.fixed(&size) || !records.fixed(&sum) || records.rest.size() < size) break;
      std::string_view payload = records.rest.substr(0, size);
      if (checksum(payload) != sum) break;
      records.rest.remove_prefix(size);
      good = log.size() - records.rest.size();
      Reader r{payload};
      for (uint8_t kind; r.fixed(&kind);) {
        uint64_t id = 0;
        std::string name, key, value;
        if (!r.fixed(&id)) throw jp::Error(JORMUN_CORRUPTION, "memory: bad log record");
        if (kind == kCreate && r.bytes(&name)) {
          by_id[id] = add_keyspace(std::move(name), id);
        } else if (kind == kDrop && by_id.count(id)) {
          std::erase_if(keyspaces_, [&](const auto& e) { return e.second->id == id; });
          by_id.erase(id);
        } else if ((kind == kPut || kind == kDelete) && by_id.count(id) && r.bytes(&key) &&
                   (kind == kDelete || r.bytes(&value))) {
          apply(by_id[id], kind == kPut, key, value);
        } else {
          throw jp::Error(JORMUN_CORRUPTION, "memory: bad log record");
        }
      }
    }
    if (good < log.size() && ::ftruncate(fd_, static_cast<off_t>(good)) != 0)
      fail_errno("cannot cut the torn end of the log");
    return false;
  }

  int fd_ = -1;
  // Writers take it exclusively, readers shared (only to pick up a map).
  std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<MemoryKeyspace>, std::less<>> keyspaces_;
  uint64_t next_id_ = 1;
};

// The engine takes no options: any key is a mistake worth stopping for.
void check_memory_options(const jp::Options& options) {
  for (const auto& [key, value] : options)
    throw jp::Error(JORMUN_INVALID_ARGUMENT, "memory: unknown option '" + key + "'");
}

std::unique_ptr<jp::Instance> open_memory(const std::string& data_dir,
                                          const jp::Options& options) {
  check_memory_options(options);
  return std::make_unique<MemoryInstance>(data_dir);
}

}  // namespace

JORMUN_DEFINE_ENGINE("memory", "0.1", JORMUN_CAP_SNAPSHOTS, &open_memory,
                     &check_memory_options)
