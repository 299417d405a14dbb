// jormun/engine.hpp -- header-only C++ host side of the engine ABI.
//
// Loads a plugin (dlopen + validation of its function table) and wraps its
// handles in RAII types. Host code calls these wrappers, never the raw
// function pointers. Failures are thrown as jormun::host::EngineError, which
// carries the engine's status code and message.
//
// Thread-safety follows engine.h: Library and Instance are safe to share
// across threads; an Iterator belongs to one thread at a time.
#ifndef JORMUN_ENGINE_HPP
#define JORMUN_ENGINE_HPP

#include <dlfcn.h>
#include <jormun/engine.h>

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jormun::host {

class EngineError : public std::runtime_error {
 public:
  EngineError(jormun_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  jormun_status status() const { return status_; }

 private:
  jormun_status status_;
};

inline jormun_bytes bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view view(jormun_bytes b) {
  return {reinterpret_cast<const char*>(b.data), b.size};
}

// A message buffer for one call, and the check that throws on failure.
struct ErrorBuffer {
  char text[512] = {0};
  jormun_error err{text, sizeof text};
  jormun_error* get() { return &err; }
  // Throws unless `s` is OK or (when allowed) NOT_FOUND; returns s == OK.
  bool check(jormun_status s, const char* call, bool not_found_ok = false) {
    if (s == JORMUN_OK) return true;
    if (s == JORMUN_NOT_FOUND && not_found_ok) return false;
    std::string msg = std::string(call) + ": ";
    msg += text[0] ? text : "engine returned status " + std::to_string(s);
    throw EngineError(s, msg);
  }
};

// Where a host callback delivers what the engine hands out during a call. The
// callback runs inside the engine's frames, which an exception must never
// cross (a C plugin cannot unwind): run() keeps what the delivery throws
// (a failed allocation) and rethrow() raises it once the call has returned.
template <typename T>
struct Delivery {
  explicit Delivery(T* to) : out(to) {}
  T* out;
  std::exception_ptr error;
  template <typename F>
  void run(F&& deliver) noexcept {
    if (error) return;
    try {
      deliver(out);
    } catch (...) {
      error = std::current_exception();
    }
  }
  void rethrow() const {
    if (error) std::rethrow_exception(error);
  }
};

// A loaded plugin. Validates the table on load and refuses a bad plugin with
// a message that says why (missing callback, capability without its
// functions, wrong major); dlopen failures carry dlerror() verbatim.
class Library {
 public:
  static std::shared_ptr<Library> load(const std::string& path) {
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) throw std::runtime_error(::dlerror());
    std::shared_ptr<Library> lib(new Library(handle));
    void* sym = ::dlsym(handle, JORMUN_ENTRY_SYMBOL);
    if (sym == nullptr)
      throw std::runtime_error(path + ": no symbol " JORMUN_ENTRY_SYMBOL);
    auto entry = reinterpret_cast<jormun_entry_fn>(sym);
    const jormun_engine_api* api = entry(JORMUN_ABI_MAJOR);
    if (api == nullptr)
      throw std::runtime_error(path + ": plugin refused engine ABI major " +
                               std::to_string(JORMUN_ABI_MAJOR));
    if (std::string problem = validate(api); !problem.empty())
      throw std::runtime_error(path + ": " + problem);
    lib->api_ = api;
    return lib;
  }

  // Empty when `api` is usable by this host; otherwise what is wrong.
  static std::string validate(const jormun_engine_api* api) {
    if (api->abi_major != JORMUN_ABI_MAJOR)
      return "plugin speaks engine ABI major " + std::to_string(api->abi_major) +
             ", host speaks " + std::to_string(JORMUN_ABI_MAJOR);
    if (!JORMUN_HAS_MEMBER(api, jormun_engine_api, stats))
      return "function table too small (struct_size " + std::to_string(api->struct_size) +
             ")";
    if (api->name == nullptr || api->version == nullptr)
      return "plugin has no name or version";
    struct Required {
      const char* name;
      bool present;
    };
    const Required required[] = {
        {"open", api->open != nullptr},
        {"close", api->close != nullptr},
        {"keyspace_open", api->keyspace_open != nullptr},
        {"keyspace_drop", api->keyspace_drop != nullptr},
        {"get", api->get != nullptr},
        {"write", api->write != nullptr},
        {"iter_create", api->iter_create != nullptr},
        {"iter_next", api->iter_next != nullptr},
        {"iter_destroy", api->iter_destroy != nullptr},
        {"stats", api->stats != nullptr},
    };
    for (const auto& r : required)
      if (!r.present) return std::string("missing callback ") + r.name;
    if ((api->capabilities & JORMUN_CAP_SNAPSHOTS) &&
        (api->snapshot_acquire == nullptr || api->snapshot_release == nullptr))
      return "capability SNAPSHOTS without snapshot_acquire/snapshot_release";
    if ((api->capabilities & JORMUN_CAP_CHECKPOINT) && api->checkpoint == nullptr)
      return "capability CHECKPOINT without checkpoint";
    if ((api->capabilities & JORMUN_CAP_SYNC) &&
        (!JORMUN_HAS_MEMBER(api, jormun_engine_api, sync) || api->sync == nullptr))
      return "capability SYNC without sync";
    if ((api->capabilities & JORMUN_CAP_PRECONDITIONS) &&
        (!JORMUN_HAS_MEMBER(api, jormun_engine_api, write_checked) ||
         api->write_checked == nullptr))
      return "capability PRECONDITIONS without write_checked";
    if ((api->capabilities & JORMUN_CAP_JOINT_WRITES) &&
        (!JORMUN_HAS_MEMBER(api, jormun_engine_api, write_joint) ||
         api->write_joint == nullptr))
      return "capability JOINT_WRITES without write_joint";
    return {};
  }

  ~Library() {
    if (handle_ != nullptr) ::dlclose(handle_);
  }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  const jormun_engine_api& api() const { return *api_; }
  std::string_view name() const { return api_->name; }
  std::string_view version() const { return api_->version; }
  bool has(uint64_t capability) const {
    return (api_->capabilities & capability) == capability;
  }

  // True when the plugin takes host services at open (ABI 1.3).
  bool opens_with_host() const {
    return JORMUN_HAS_MEMBER(api_, jormun_engine_api, open_with_host) &&
           api_->open_with_host != nullptr;
  }
  // True when the plugin has a `control` call (ABI 1.3); without it every
  // command is unsupported.
  bool has_control() const {
    return JORMUN_HAS_MEMBER(api_, jormun_engine_api, control) && api_->control != nullptr;
  }

  // True when the plugin checks options without opening an instance (ABI
  // 1.1 check_options, which older plugins lack).
  bool checks_options() const {
    return JORMUN_HAS_MEMBER(api_, jormun_engine_api, check_options) &&
           api_->check_options != nullptr;
  }
  // Throws EngineError for options the engine refuses.
  // REQUIRES: checks_options().
  void check_options(
      const std::vector<std::pair<std::string, std::string>>& options) const {
    std::vector<jormun_option> opts;
    opts.reserve(options.size());
    for (const auto& [k, v] : options) opts.push_back({k.c_str(), v.c_str()});
    ErrorBuffer eb;
    eb.check(api_->check_options(opts.data(), opts.size(), eb.get()), "check_options");
  }

 private:
  explicit Library(void* handle) : handle_(handle) {}
  void* handle_;
  const jormun_engine_api* api_ = nullptr;
};

// A keyspace handle; owned by its Instance, cheap to copy.
struct Keyspace {
  jormun_keyspace* handle = nullptr;
};

class Instance;

// A pinned read view. Must not outlive its Instance.
class Snapshot {
 public:
  Snapshot(Snapshot&& o) noexcept : api_(o.api_), inst_(o.inst_), snap_(o.snap_) {
    o.snap_ = nullptr;
  }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot() {
    if (snap_ != nullptr) api_->snapshot_release(inst_, snap_);
  }
  const jormun_snapshot* get() const { return snap_; }

 private:
  friend class Instance;
  Snapshot(const jormun_engine_api* api, jormun_instance* inst, jormun_snapshot* s)
      : api_(api), inst_(inst), snap_(s) {}
  const jormun_engine_api* api_;
  jormun_instance* inst_;
  jormun_snapshot* snap_;
};

// A range cursor. Must not outlive its Instance or keyspace.
class Iterator {
 public:
  Iterator(Iterator&& o) noexcept : api_(o.api_), it_(o.it_) { o.it_ = nullptr; }
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  ~Iterator() {
    if (it_ != nullptr) api_->iter_destroy(it_);
  }
  // False at the end. key/value stay valid until the next call.
  bool next(std::string_view* key, std::string_view* value) {
    jormun_bytes k{}, v{};
    ErrorBuffer eb;
    if (!eb.check(api_->iter_next(it_, &k, &v, eb.get()), "iter_next", true))
      return false;
    *key = view(k);
    *value = view(v);
    return true;
  }

 private:
  friend class Instance;
  Iterator(const jormun_engine_api* api, jormun_iterator* it) : api_(api), it_(it) {}
  const jormun_engine_api* api_;
  jormun_iterator* it_;
};

// Bounds of an iteration; empty optionals mean unbounded.
struct Bound {
  std::string key;
  bool inclusive = true;
};
struct RangeSpec {
  std::optional<Bound> lower;
  std::optional<Bound> upper;
  bool reverse = false;
  const Snapshot* snapshot = nullptr;
};

// A batch of operations that owns copies of its keys and values until
// written. Build it, then pass it to Instance::write. It may also carry
// preconditions (expect): the state each key had when the host read it,
// which an engine with JORMUN_CAP_PRECONDITIONS checks as it applies the
// batch.
class WriteBatch {
 public:
  // The batch applies only if `key` still holds `value` (std::nullopt:
  // is still absent).
  void expect(Keyspace ks, std::string key, std::optional<std::string> value) {
    expects_.push_back({ks, std::move(key), std::move(value)});
  }
  bool has_preconditions() const { return !expects_.empty(); }
  // Keeps the operations only (a host writing the batch where nothing can
  // check its preconditions).
  void drop_preconditions() { expects_.clear(); }
  void put(Keyspace ks, std::string key, std::string value) {
    ops_.push_back({JORMUN_OP_PUT, ks, std::move(key), std::move(value)});
  }
  void del(Keyspace ks, std::string key) {
    ops_.push_back({JORMUN_OP_DELETE, ks, std::move(key), {}});
  }
  // Moves every operation of `other` to the end of this batch.
  // Its preconditions, too.
  void append(WriteBatch&& other) {
    move_to_end(other.ops_, ops_);
    move_to_end(other.expects_, expects_);
  }
  // No operations (preconditions alone write nothing).
  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }
  void clear() {
    ops_.clear();
    expects_.clear();
  }
  // Calls fn(bool put, Keyspace, const std::string& key, const std::string&
  // value) for each operation in order (a host logging a batch it must be
  // able to write again).
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const auto& op : ops_) fn(op.kind == JORMUN_OP_PUT, op.ks, op.key, op.value);
  }

 private:
  friend class Instance;
  struct Op {
    uint32_t kind;
    Keyspace ks;
    std::string key;
    std::string value;
  };
  struct Expect {
    Keyspace ks;
    std::string key;
    std::optional<std::string> value;
  };
  template <typename T>
  static void move_to_end(std::vector<T>& from, std::vector<T>& to) {
    if (to.empty()) {
      to = std::move(from);
    } else {
      to.reserve(to.size() + from.size());
      for (auto& x : from) to.push_back(std::move(x));
    }
    from.clear();
  }
  std::vector<Op> ops_;
  std::vector<Expect> expects_;
};

// An open engine instance. Keeps its Library loaded.
class Instance {
 public:
  // `host` (may be null) is offered to a plugin that takes host services
  // and must outlive the instance; an older plugin is opened without it.
  static std::unique_ptr<Instance> open(
      std::shared_ptr<Library> lib, const std::string& data_dir,
      const std::vector<std::pair<std::string, std::string>>& options,
      const jormun_host_services* host = nullptr) {
    std::vector<jormun_option> opts = to_c(options);
    jormun_instance* inst = nullptr;
    ErrorBuffer eb;
    jormun_status s =
        lib->opens_with_host()
            ? lib->api().open_with_host(data_dir.c_str(), opts.data(), opts.size(), host,
                                        &inst, eb.get())
            : lib->api().open(data_dir.c_str(), opts.data(), opts.size(), &inst, eb.get());
    eb.check(s, "open");
    return std::unique_ptr<Instance>(new Instance(std::move(lib), inst));
  }
  ~Instance() { api().close(inst_); }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const Library& library() const { return *lib_; }

  // Opens or creates a keyspace; std::nullopt when absent and !create.
  std::optional<Keyspace> keyspace(std::string_view name, bool create) {
    jormun_keyspace* ks = nullptr;
    ErrorBuffer eb;
    if (!eb.check(api().keyspace_open(inst_, bytes(name), create ? 1 : 0, &ks, eb.get()),
                  "keyspace_open", true))
      return std::nullopt;
    return Keyspace{ks};
  }
  void drop(Keyspace ks) {
    ErrorBuffer eb;
    eb.check(api().keyspace_drop(inst_, ks.handle, eb.get()), "keyspace_drop");
  }

  // Point read into *out; false when absent.
  bool get(Keyspace ks, std::string_view key, std::string* out,
           const Snapshot* snap = nullptr) {
    ErrorBuffer eb;
    Delivery<std::string> to(out);
    auto fn = [](void* ctx, const uint8_t* data, size_t size) {
      static_cast<Delivery<std::string>*>(ctx)->run(
          [&](std::string* s) { s->assign(reinterpret_cast<const char*>(data), size); });
    };
    bool found = eb.check(api().get(inst_, ks.handle, snap ? snap->get() : nullptr,
                                    bytes(key), fn, &to, eb.get()),
                          "get", true);
    to.rethrow();
    return found;
  }

  // Applies `batch` atomically. A batch with preconditions needs
  // JORMUN_CAP_PRECONDITIONS (else EngineError JORMUN_NOT_SUPPORTED) and is
  // EngineError JORMUN_CONFLICT, applied not at all, when one no longer
  // holds.
  void write(const WriteBatch& batch, bool sync) {
    const CBatch c(batch);
    const uint32_t flags = sync ? JORMUN_WRITE_SYNC : 0u;
    ErrorBuffer eb;
    if (!batch.has_preconditions()) {
      eb.check(api().write(inst_, c.ops.data(), c.ops.size(), flags, eb.get()), "write");
      return;
    }
    if (!lib_->has(JORMUN_CAP_PRECONDITIONS))
      throw EngineError(JORMUN_NOT_SUPPORTED, "write: preconditions not supported by " +
                                                  std::string(lib_->name()));
    eb.check(api().write_checked(inst_, c.ops.data(), c.ops.size(), c.pre.data(),
                                 c.pre.size(), flags, eb.get()),
             "write");
  }

  // One instance's batch in a joint write.
  struct JointPart {
    Instance* instance;
    const WriteBatch* batch;
  };
  // Applies every part's batch to its instance, preconditions checked, as
  // one atomic unit (ABI 1.4 `write_joint`) and returns true. Returns
  // false, having applied nothing, when the instances cannot be written
  // together: not all of one plugin, a plugin without
  // JORMUN_CAP_JOINT_WRITES, or the engine answered JORMUN_NOT_SUPPORTED.
  // EngineError JORMUN_CONFLICT, nothing applied, when a precondition no
  // longer holds; any other EngineError as for write().
  // REQUIRES: `parts` not empty, each instance in one part only.
  static bool write_joint(const std::vector<JointPart>& parts, bool sync) {
    const std::shared_ptr<Library>& lib = parts.front().instance->lib_;
    for (const auto& part : parts)
      if (part.instance->lib_ != lib) return false;
    if (!lib->has(JORMUN_CAP_JOINT_WRITES)) return false;
    std::vector<CBatch> batches;
    batches.reserve(parts.size());
    std::vector<jormun_joint_part> c;
    for (const auto& part : parts) {
      const CBatch& b = batches.emplace_back(*part.batch);
      c.push_back({part.instance->inst_, b.ops.data(), b.ops.size(), b.pre.data(),
                   b.pre.size()});
    }
    ErrorBuffer eb;
    const jormun_status s =
        lib->api().write_joint(c.data(), c.size(), sync ? JORMUN_WRITE_SYNC : 0u, eb.get());
    if (s == JORMUN_NOT_SUPPORTED) return false;
    eb.check(s, "write_joint");
    return true;
  }

  // Runs an engine-specific administrative command (ABI 1.3 `control`) and
  // returns its answer. An unknown command, and any command of a plugin
  // without `control`, is EngineError JORMUN_NOT_SUPPORTED.
  std::vector<std::pair<std::string, std::string>> control(
      const std::string& command,
      const std::vector<std::pair<std::string, std::string>>& args = {}) {
    if (!lib_->has_control())
      throw EngineError(JORMUN_NOT_SUPPORTED, "control: unknown control command: " +
                                                  command + " (" +
                                                  std::string(lib_->name()) +
                                                  " has no control call)");
    std::vector<jormun_option> opts = to_c(args);
    return collect_pairs("control", [&](jormun_stat_fn fn, void* ctx, jormun_error* err) {
      return api().control(inst_, command.c_str(), opts.data(), opts.size(), fn, ctx, err);
    });
  }

  Iterator iterate(Keyspace ks, const RangeSpec& range) {
    jormun_iter_options o{};
    o.struct_size = sizeof o;
    o.reverse = range.reverse ? 1 : 0;
    if (range.lower) {
      o.lower_kind =
          range.lower->inclusive ? JORMUN_BOUND_INCLUSIVE : JORMUN_BOUND_EXCLUSIVE;
      o.lower = bytes(range.lower->key);
    }
    if (range.upper) {
      o.upper_kind =
          range.upper->inclusive ? JORMUN_BOUND_INCLUSIVE : JORMUN_BOUND_EXCLUSIVE;
      o.upper = bytes(range.upper->key);
    }
    o.snapshot = range.snapshot ? range.snapshot->get() : nullptr;
    jormun_iterator* it = nullptr;
    ErrorBuffer eb;
    eb.check(api().iter_create(inst_, ks.handle, &o, &it, eb.get()), "iter_create");
    return Iterator(&api(), it);
  }

  // A snapshot, or std::nullopt when the engine lacks JORMUN_CAP_SNAPSHOTS.
  std::optional<Snapshot> snapshot() {
    if (!lib_->has(JORMUN_CAP_SNAPSHOTS)) return std::nullopt;
    jormun_snapshot* s = nullptr;
    ErrorBuffer eb;
    eb.check(api().snapshot_acquire(inst_, &s, eb.get()), "snapshot_acquire");
    return Snapshot(&api(), inst_, s);
  }

  void checkpoint(const std::string& target_dir) {
    if (!lib_->has(JORMUN_CAP_CHECKPOINT))
      throw EngineError(JORMUN_NOT_SUPPORTED,
                        "checkpoint: not supported by " + std::string(lib_->name()));
    ErrorBuffer eb;
    eb.check(api().checkpoint(inst_, target_dir.c_str(), eb.get()), "checkpoint");
  }

  // Makes every write that returned before the call durable; false, doing
  // nothing, when the engine lacks JORMUN_CAP_SYNC.
  bool sync() {
    if (!lib_->has(JORMUN_CAP_SYNC)) return false;
    ErrorBuffer eb;
    eb.check(api().sync(inst_, eb.get()), "sync");
    return true;
  }

  std::vector<std::pair<std::string, std::string>> stats() {
    return collect_pairs("stats", [&](jormun_stat_fn fn, void* ctx, jormun_error* err) {
      return api().stats(inst_, fn, ctx, err);
    });
  }

 private:
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  // A batch as the C calls take it; borrows the batch's bytes.
  struct CBatch {
    explicit CBatch(const WriteBatch& batch) {
      ops.reserve(batch.ops_.size());
      for (const auto& op : batch.ops_)
        ops.push_back({op.kind, 0, op.ks.handle, bytes(op.key), bytes(op.value)});
      pre.reserve(batch.expects_.size());
      for (const auto& e : batch.expects_)
        pre.push_back({e.value ? uint32_t{JORMUN_EXPECT_VALUE} : uint32_t{JORMUN_EXPECT_ABSENT},
                       0, e.ks.handle, bytes(e.key),
                       e.value ? bytes(*e.value) : jormun_bytes{}});
    }
    std::vector<jormun_write_op> ops;
    std::vector<jormun_precondition> pre;
  };
  static std::vector<jormun_option> to_c(const Pairs& options) {
    std::vector<jormun_option> opts;
    opts.reserve(options.size());
    for (const auto& [k, v] : options) opts.push_back({k.c_str(), v.c_str()});
    return opts;
  }
  // The name/value pairs `call(fn, ctx, err)` delivers through fn.
  template <typename Call>
  static Pairs collect_pairs(const char* name, Call&& call) {
    Pairs out;
    Delivery<Pairs> to(&out);
    auto fn = [](void* ctx, const char* n, const char* v) {
      static_cast<Delivery<Pairs>*>(ctx)->run([&](Pairs* pairs) { pairs->emplace_back(n, v); });
    };
    ErrorBuffer eb;
    eb.check(call(fn, &to, eb.get()), name);
    to.rethrow();
    return out;
  }

  Instance(std::shared_ptr<Library> lib, jormun_instance* inst)
      : lib_(std::move(lib)), inst_(inst) {}
  const jormun_engine_api& api() const { return lib_->api(); }
  std::shared_ptr<Library> lib_;
  jormun_instance* inst_;
};

}  // namespace jormun::host

#endif  // JORMUN_ENGINE_HPP
