// jormun/plugin.hpp -- header-only adaptor for engine authors.
//
// Write an engine as a C++ class deriving from jormun::plugin::Instance (and
// Iterator, Keyspace, Snapshot), then emit the C entry point with one macro:
//
//   JORMUN_DEFINE_ENGINE("myengine", "1.0", JORMUN_CAP_SNAPSHOTS, &MyOpen)
//   JORMUN_DEFINE_ENGINE("myengine", "1.0", 0, &MyOpen, &MyCheckOptions)
//
// where MyOpen has the signature of jormun::plugin::OpenFn (or of
// OpenWithHostFn, to keep the host's services: logging, background errors)
// and the optional MyCheckOptions that of jormun::plugin::CheckOptionsFn (it
// becomes the table's check_options). The adaptor turns
// every C call into a virtual call, and is the exception firewall: a
// jormun::plugin::Error becomes its status and message, std::bad_alloc becomes
// JORMUN_NO_MEMORY, any other exception JORMUN_INTERNAL. Nothing escapes.
//
// The three engines in this repository use this adaptor exactly as a third
// party would.
#ifndef JORMUN_PLUGIN_HPP
#define JORMUN_PLUGIN_HPP

#include <jormun/engine.h>

#include <charconv>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace jormun::plugin {

// Throw this from engine code to return `status` with `message`.
class Error : public std::exception {
 public:
  Error(jormun_status status, std::string message)
      : status_(status), message_(std::move(message)) {}
  jormun_status status() const { return status_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  jormun_status status_;
  std::string message_;
};

inline std::string_view view(jormun_bytes b) {
  return {reinterpret_cast<const char*>(b.data), b.size};
}

// Engine options as the host passed them, in order.
using Options = std::vector<std::pair<std::string, std::string>>;

// The whole of `text` as a decimal integer in [min, max], or nothing: what a
// numeric engine option accepts (a space, a suffix or an out-of-range value
// is refused; a sign only where `Int` is signed, as std::from_chars reads).
template <typename Int>
std::optional<Int> parse_decimal(std::string_view text, Int min, Int max) {
  Int n = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || ptr != end || n < min || n > max)
    return std::nullopt;
  return n;
}

// The host's services (jormun_host_services) as an engine keeps them: a
// cheap, copyable view that does nothing where the host offered nothing (no
// table, an older host, a NULL callback). Valid until the instance it was
// opened with is closed; callable from any thread.
class Host {
 public:
  Host() = default;
  explicit Host(const jormun_host_services* services) : services_(services) {}
  // Whether log() reaches the host; an engine may write its lines elsewhere
  // (stderr) when not.
  bool offers_log() const {
    return services_ != nullptr && JORMUN_HAS_MEMBER(services_, jormun_host_services, log) &&
           services_->log != nullptr;
  }
  void log(uint32_t level, const std::string& message) const {
    if (offers_log()) services_->log(services_->ctx, level, message.c_str());
  }
  void background_error(jormun_status status, const std::string& message) const {
    if (services_ != nullptr &&
        JORMUN_HAS_MEMBER(services_, jormun_host_services, background_error) &&
        services_->background_error != nullptr)
      services_->background_error(services_->ctx, status, message.c_str());
  }

 private:
  const jormun_host_services* services_ = nullptr;
};

// Base classes for the engine's handle types. The adaptor casts the opaque C
// handles to these and back; engines derive from them.
class Keyspace {
 public:
  virtual ~Keyspace() = default;
};

class Snapshot {
 public:
  virtual ~Snapshot() = default;
};

class Iterator {
 public:
  virtual ~Iterator() = default;
  // Moves to the next entry; returns false when none is left. On true, *key
  // and *value must stay valid until the next call or destruction.
  virtual bool next(jormun_bytes* key, jormun_bytes* value) = 0;
};

// Bounds and direction of an iterator, copied out of jormun_iter_options.
struct Range {
  uint32_t lower_kind = JORMUN_BOUND_NONE;
  uint32_t upper_kind = JORMUN_BOUND_NONE;
  std::string_view lower;
  std::string_view upper;
  bool reverse = false;
  const Snapshot* snapshot = nullptr;
};

class Instance {
 public:
  virtual ~Instance() = default;
  // Returns nullptr when absent and !create. The instance owns the result.
  virtual Keyspace* keyspace_open(std::string_view name, bool create) = 0;
  virtual void keyspace_drop(Keyspace* keyspace) = 0;
  // Returns false when absent; otherwise calls fn(ctx, value) once.
  virtual bool get(Keyspace* keyspace, const Snapshot* snapshot, std::string_view key,
                   jormun_value_fn fn, void* ctx) = 0;
  virtual void write(const jormun_write_op* ops, size_t count, bool sync) = 0;
  virtual std::unique_ptr<Iterator> iterate(Keyspace* keyspace, const Range& range) = 0;
  virtual Snapshot* snapshot_acquire() {
    throw Error(JORMUN_NOT_SUPPORTED, "snapshots are not supported");
  }
  virtual void snapshot_release(Snapshot* snapshot) { delete snapshot; }
  virtual void checkpoint(const std::string& target_dir) {
    (void)target_dir;
    throw Error(JORMUN_NOT_SUPPORTED, "checkpoints are not supported");
  }
  virtual void stats(jormun_stat_fn fn, void* ctx) {
    (void)fn;
    (void)ctx;
  }
  // JORMUN_CAP_SYNC (engine.h says what an engine with it promises).
  virtual void sync() { throw Error(JORMUN_NOT_SUPPORTED, "sync is not supported"); }
  // JORMUN_CAP_PRECONDITIONS: write() if every precondition still holds,
  // checked and applied atomically; else throw Error(JORMUN_CONFLICT, ...)
  // having applied nothing. The adaptor has checked the kinds and keys.
  virtual void write_checked(const jormun_write_op* ops, size_t count,
                             const jormun_precondition* preconditions,
                             size_t precondition_count, bool sync) {
    (void)ops, (void)count, (void)preconditions, (void)precondition_count, (void)sync;
    throw Error(JORMUN_NOT_SUPPORTED, "preconditions are not supported");
  }
  // JORMUN_CAP_JOINT_WRITES: write_checked of every part at once, as one
  // atomic unit, called on the first part's instance (this one). Every
  // part's instance was opened by this engine (cast it with part_instance);
  // the adaptor has checked the parts, their operations and preconditions.
  // Throw Error(JORMUN_NOT_SUPPORTED, ...) having applied nothing when these
  // instances cannot be written together.
  virtual void write_joint(const jormun_joint_part* parts, size_t count, bool sync) {
    (void)parts, (void)count, (void)sync;
    throw Error(JORMUN_NOT_SUPPORTED, "joint writes are not supported");
  }
  // The engine's own object behind a part's instance.
  static Instance* part_instance(const jormun_joint_part& part) {
    return reinterpret_cast<Instance*>(part.instance);
  }
  // Runs an administrative command, answering through fn(ctx, name, value).
  // Call unknown_command for a command the engine does not know.
  virtual void control(const std::string& command, const Options& args,
                       jormun_stat_fn fn, void* ctx) {
    (void)args, (void)fn, (void)ctx;
    unknown_command(command);
  }
  [[noreturn]] static void unknown_command(const std::string& command) {
    throw Error(JORMUN_NOT_SUPPORTED, "unknown control command: " + command);
  }
};

using OpenFn = std::unique_ptr<Instance> (*)(const std::string& data_dir,
                                             const Options& options);
// An open function that keeps the host's services (an instance opened
// through the 1.0 `open` gets an empty Host).
using OpenWithHostFn = std::unique_ptr<Instance> (*)(const std::string& data_dir,
                                                     const Options& options,
                                                     const Host& host);
// Throws Error(JORMUN_INVALID_ARGUMENT, ...) for options `open` would refuse.
using CheckOptionsFn = void (*)(const Options& options);

namespace detail {

inline void set_error(jormun_error* err, const char* text) {
  if (err == nullptr || err->message == nullptr || err->capacity == 0) return;
  size_t n = std::strlen(text);
  if (n >= err->capacity) n = err->capacity - 1;
  std::memcpy(err->message, text, n);
  err->message[n] = '\0';
}

// Runs `body` (returning a jormun_status) behind the exception firewall.
template <typename Body>
jormun_status guarded(jormun_error* err, Body&& body) noexcept {
  try {
    return body();
  } catch (const Error& e) {
    set_error(err, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    set_error(err, "out of memory");
    return JORMUN_NO_MEMORY;
  } catch (const std::exception& e) {
    set_error(err, e.what());
    return JORMUN_INTERNAL;
  } catch (...) {
    set_error(err, "unknown exception in engine");
    return JORMUN_INTERNAL;
  }
}

inline Instance* as(jormun_instance* p) { return reinterpret_cast<Instance*>(p); }
inline Keyspace* as(jormun_keyspace* p) { return reinterpret_cast<Keyspace*>(p); }
inline const Snapshot* as(const jormun_snapshot* p) {
  return reinterpret_cast<const Snapshot*>(p);
}

inline Options to_options(const jormun_option* options, size_t count, const char* call) {
  Options opts;
  for (size_t i = 0; i < count; ++i) {
    if (options[i].key == nullptr || options[i].value == nullptr)
      throw Error(JORMUN_INVALID_ARGUMENT, std::string(call) + ": null option");
    opts.emplace_back(options[i].key, options[i].value);
  }
  return opts;
}

// The C table for an engine whose open function is `Open`, an OpenFn or an
// OpenWithHostFn (and whose option check is `Check`, if any). One static
// table per engine; every member is a captureless lambda.
template <auto Open, CheckOptionsFn Check = nullptr>
struct Table {
  static_assert(std::is_same_v<decltype(Open), OpenFn> ||
                    std::is_same_v<decltype(Open), OpenWithHostFn>,
                "the open function must be an OpenFn or an OpenWithHostFn");
  static std::unique_ptr<Instance> call_open(const std::string& dir, const Options& options,
                                             const Host& host) {
    if constexpr (std::is_same_v<decltype(Open), OpenWithHostFn>)
      return Open(dir, options, host);
    else {
      (void)host;
      return Open(dir, options);
    }
  }
  static jormun_status check_options(const jormun_option* options, size_t count,
                                     jormun_error* err) {
    return guarded(err, [&] {
      Check(to_options(options, count, "check_options"));
      return JORMUN_OK;
    });
  }
  static jormun_status open_with_host(const char* dir, const jormun_option* options,
                                      size_t count, const jormun_host_services* host,
                                      jormun_instance** out, jormun_error* err) {
    return guarded(err, [&] {
      if (dir == nullptr || out == nullptr)
        throw Error(JORMUN_INVALID_ARGUMENT, "open: null argument");
      *out = reinterpret_cast<jormun_instance*>(
          call_open(dir, to_options(options, count, "open"), Host(host)).release());
      return JORMUN_OK;
    });
  }
  static jormun_status open(const char* dir, const jormun_option* options, size_t count,
                            jormun_instance** out, jormun_error* err) {
    return open_with_host(dir, options, count, nullptr, out, err);
  }
  static void close(jormun_instance* instance) {
    guarded(nullptr, [&] {
      delete as(instance);
      return JORMUN_OK;
    });
  }
  static jormun_status keyspace_open(jormun_instance* instance, jormun_bytes name,
                                     uint32_t create, jormun_keyspace** out,
                                     jormun_error* err) {
    return guarded(err, [&] {
      if (name.size == 0)
        throw Error(JORMUN_INVALID_ARGUMENT, "keyspace name must not be empty");
      Keyspace* ks = as(instance)->keyspace_open(view(name), create != 0);
      if (ks == nullptr) return JORMUN_NOT_FOUND;
      *out = reinterpret_cast<jormun_keyspace*>(ks);
      return JORMUN_OK;
    });
  }
  static jormun_status keyspace_drop(jormun_instance* instance, jormun_keyspace* keyspace,
                                     jormun_error* err) {
    return guarded(err, [&] {
      as(instance)->keyspace_drop(as(keyspace));
      return JORMUN_OK;
    });
  }
  static jormun_status get(jormun_instance* instance, jormun_keyspace* keyspace,
                           const jormun_snapshot* snapshot, jormun_bytes key,
                           jormun_value_fn fn, void* ctx, jormun_error* err) {
    return guarded(err, [&] {
      if (key.size == 0) throw Error(JORMUN_INVALID_ARGUMENT, "get: empty key");
      return as(instance)->get(as(keyspace), as(snapshot), view(key), fn, ctx)
                 ? JORMUN_OK
                 : JORMUN_NOT_FOUND;
    });
  }
  static void check_ops(const jormun_write_op* ops, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      if (ops[i].keyspace == nullptr ||
          (ops[i].kind != JORMUN_OP_PUT && ops[i].kind != JORMUN_OP_DELETE))
        throw Error(JORMUN_INVALID_ARGUMENT, "write: bad operation in batch");
      if (ops[i].key.size == 0)
        throw Error(JORMUN_INVALID_ARGUMENT, "write: empty key in batch");
    }
  }
  static jormun_status write(jormun_instance* instance, const jormun_write_op* ops,
                             size_t count, uint32_t flags, jormun_error* err) {
    return guarded(err, [&] {
      check_ops(ops, count);
      as(instance)->write(ops, count, (flags & JORMUN_WRITE_SYNC) != 0);
      return JORMUN_OK;
    });
  }
  static void check_preconditions(const jormun_precondition* pre, size_t pre_count) {
    for (size_t i = 0; i < pre_count; ++i) {
      if (pre[i].keyspace == nullptr ||
          (pre[i].kind != JORMUN_EXPECT_ABSENT && pre[i].kind != JORMUN_EXPECT_VALUE))
        throw Error(JORMUN_INVALID_ARGUMENT, "write_checked: bad precondition");
      if (pre[i].key.size == 0)
        throw Error(JORMUN_INVALID_ARGUMENT, "write_checked: empty precondition key");
    }
  }
  static jormun_status write_checked(jormun_instance* instance, const jormun_write_op* ops,
                                     size_t count, const jormun_precondition* pre,
                                     size_t pre_count, uint32_t flags, jormun_error* err) {
    return guarded(err, [&] {
      check_ops(ops, count);
      check_preconditions(pre, pre_count);
      const bool sync = (flags & JORMUN_WRITE_SYNC) != 0;
      if (pre_count == 0)
        as(instance)->write(ops, count, sync);
      else
        as(instance)->write_checked(ops, count, pre, pre_count, sync);
      return JORMUN_OK;
    });
  }
  static jormun_status write_joint(const jormun_joint_part* parts, size_t count,
                                   uint32_t flags, jormun_error* err) {
    return guarded(err, [&] {
      if (parts == nullptr || count == 0)
        throw Error(JORMUN_INVALID_ARGUMENT, "write_joint: no parts");
      for (size_t i = 0; i < count; ++i) {
        if (parts[i].instance == nullptr)
          throw Error(JORMUN_INVALID_ARGUMENT, "write_joint: null instance");
        for (size_t j = 0; j < i; ++j)
          if (parts[j].instance == parts[i].instance)
            throw Error(JORMUN_INVALID_ARGUMENT, "write_joint: an instance in two parts");
        check_ops(parts[i].ops, parts[i].count);
        check_preconditions(parts[i].preconditions, parts[i].precondition_count);
      }
      as(parts[0].instance)->write_joint(parts, count, (flags & JORMUN_WRITE_SYNC) != 0);
      return JORMUN_OK;
    });
  }
  static jormun_status control(jormun_instance* instance, const char* command,
                               const jormun_option* args, size_t arg_count,
                               jormun_stat_fn fn, void* ctx, jormun_error* err) {
    return guarded(err, [&] {
      if (command == nullptr || fn == nullptr)
        throw Error(JORMUN_INVALID_ARGUMENT, "control: null argument");
      as(instance)->control(command, to_options(args, arg_count, "control"), fn, ctx);
      return JORMUN_OK;
    });
  }
  static jormun_status iter_create(jormun_instance* instance, jormun_keyspace* keyspace,
                                   const jormun_iter_options* options,
                                   jormun_iterator** out, jormun_error* err) {
    return guarded(err, [&] {
      if (options == nullptr ||
          !JORMUN_HAS_MEMBER(options, jormun_iter_options, snapshot))
        throw Error(JORMUN_INVALID_ARGUMENT, "iter_create: bad options");
      for (uint32_t kind : {options->lower_kind, options->upper_kind})
        if (kind > JORMUN_BOUND_EXCLUSIVE)
          throw Error(JORMUN_INVALID_ARGUMENT, "iter_create: bad bound kind");
      Range range;
      range.lower_kind = options->lower_kind;
      range.upper_kind = options->upper_kind;
      range.lower = view(options->lower);
      range.upper = view(options->upper);
      range.reverse = options->reverse != 0;
      range.snapshot = as(options->snapshot);
      *out = reinterpret_cast<jormun_iterator*>(
          as(instance)->iterate(as(keyspace), range).release());
      return JORMUN_OK;
    });
  }
  static jormun_status iter_next(jormun_iterator* iterator, jormun_bytes* key,
                                 jormun_bytes* value, jormun_error* err) {
    return guarded(err, [&] {
      return reinterpret_cast<Iterator*>(iterator)->next(key, value) ? JORMUN_OK
                                                                     : JORMUN_NOT_FOUND;
    });
  }
  static void iter_destroy(jormun_iterator* iterator) {
    guarded(nullptr, [&] {
      delete reinterpret_cast<Iterator*>(iterator);
      return JORMUN_OK;
    });
  }
  static jormun_status snapshot_acquire(jormun_instance* instance, jormun_snapshot** out,
                                        jormun_error* err) {
    return guarded(err, [&] {
      *out = reinterpret_cast<jormun_snapshot*>(as(instance)->snapshot_acquire());
      return JORMUN_OK;
    });
  }
  static void snapshot_release(jormun_instance* instance, jormun_snapshot* snapshot) {
    guarded(nullptr, [&] {
      as(instance)->snapshot_release(reinterpret_cast<Snapshot*>(snapshot));
      return JORMUN_OK;
    });
  }
  static jormun_status checkpoint(jormun_instance* instance, const char* dir,
                                  jormun_error* err) {
    return guarded(err, [&] {
      if (dir == nullptr) throw Error(JORMUN_INVALID_ARGUMENT, "checkpoint: null dir");
      as(instance)->checkpoint(dir);
      return JORMUN_OK;
    });
  }
  static jormun_status stats(jormun_instance* instance, jormun_stat_fn fn, void* ctx,
                             jormun_error* err) {
    return guarded(err, [&] {
      as(instance)->stats(fn, ctx);
      return JORMUN_OK;
    });
  }

  static jormun_status sync(jormun_instance* instance, jormun_error* err) {
    return guarded(err, [&] {
      as(instance)->sync();
      return JORMUN_OK;
    });
  }

  static jormun_engine_api make(const char* name, const char* version,
                                uint64_t capabilities) {
    jormun_engine_api api{};
    api.struct_size = sizeof(jormun_engine_api);
    api.abi_major = JORMUN_ABI_MAJOR;
    api.abi_minor = JORMUN_ABI_MINOR;
    api.name = name;
    api.version = version;
    api.capabilities = capabilities;
    api.open = &open;
    api.close = &close;
    api.keyspace_open = &keyspace_open;
    api.keyspace_drop = &keyspace_drop;
    api.get = &get;
    api.write = &write;
    api.iter_create = &iter_create;
    api.iter_next = &iter_next;
    api.iter_destroy = &iter_destroy;
    if (capabilities & JORMUN_CAP_SNAPSHOTS) {
      api.snapshot_acquire = &snapshot_acquire;
      api.snapshot_release = &snapshot_release;
    }
    if (capabilities & JORMUN_CAP_CHECKPOINT) api.checkpoint = &checkpoint;
    api.stats = &stats;
    if constexpr (Check != nullptr) api.check_options = &check_options;
    if (capabilities & JORMUN_CAP_SYNC) api.sync = &sync;
    api.open_with_host = &open_with_host;
    api.control = &control;
    if (capabilities & JORMUN_CAP_PRECONDITIONS) api.write_checked = &write_checked;
    if (capabilities & JORMUN_CAP_JOINT_WRITES) api.write_joint = &write_joint;
    return api;
  }
};

}  // namespace detail
}  // namespace jormun::plugin

// Emits the plugin's one exported symbol. Use once per plugin, at namespace
// scope. `open_fn` is a function pointer of type jormun::plugin::OpenFn or
// jormun::plugin::OpenWithHostFn; an
// optional last argument, of type jormun::plugin::CheckOptionsFn, provides
// check_options.
#define JORMUN_DEFINE_ENGINE(name, version, capabilities, open_fn, ...)            \
  extern "C" JORMUN_EXPORT const jormun_engine_api* jormun_engine_entry(           \
      uint32_t host_abi_major) {                                                   \
    static const jormun_engine_api api =                                           \
        ::jormun::plugin::detail::Table<open_fn __VA_OPT__(, ) __VA_ARGS__>::make( \
            name, version, capabilities);                                          \
    return host_abi_major == JORMUN_ABI_MAJOR ? &api : nullptr;                    \
  }

#endif  // JORMUN_PLUGIN_HPP
