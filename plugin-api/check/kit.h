// The engine test kit's shared machinery: the context every check gets, the
// failure type, and the helpers checks assert with.
#ifndef JORMUN_CHECK_KIT_H
#define JORMUN_CHECK_KIT_H

#include <filesystem>
#include <functional>
#include <jormun/engine.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jormun::check {

using Options = std::vector<std::pair<std::string, std::string>>;

// What every check works with. Checks never share directories.
class Kit {
 public:
  Kit(std::string plugin_path, std::shared_ptr<host::Library> library,
      std::filesystem::path scratch, Options options);

  const std::string& plugin_path() const { return plugin_path_; }
  const jormun_engine_api& api() const { return library_->api(); }
  const Options& options() const { return options_; }
  bool has(uint64_t capability) const { return library_->has(capability); }

  // A new, empty, existing directory under the scratch directory.
  std::filesystem::path fresh_dir(std::string_view name);
  // A path under the scratch directory that does not exist.
  std::filesystem::path unused_path(std::string_view name);
  // Opens an instance in `dir` with the options given on the command line.
  std::unique_ptr<host::Instance> open(const std::filesystem::path& dir) const;

 private:
  std::string plugin_path_;
  std::shared_ptr<host::Library> library_;
  std::filesystem::path scratch_;
  Options options_;
  int counter_ = 0;
};

// Thrown by the expect helpers; the check is reported as FAIL with what().
class CheckFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Key and value bytes made readable for failure messages: printable ASCII
// as is, everything else as \xNN, long strings shortened.
std::string printable(std::string_view bytes);

void expect(bool condition, const std::string& what);

template <typename A, typename B>
void expect_eq(const A& actual, const B& expected, const std::string& what) {
  if (actual == expected) return;
  if constexpr (std::is_convertible_v<A, std::string_view>)
    throw CheckFailed(what + ": got '" + printable(actual) + "', expected '" +
                      printable(expected) + "'");
  else
    throw CheckFailed(what + ": got " + std::to_string(actual) + ", expected " +
                      std::to_string(expected));
}

// Runs `body` and returns the status of the host::EngineError it throws, or
// JORMUN_OK when it throws none.
jormun_status status_of(const std::function<void()>& body);

// Runs `attempt` `rounds` times on each of `threads` threads at once, each
// round again after JORMUN_CONFLICT until it answers JORMUN_OK: writers
// racing with optimistic concurrency. Fails the check on any other status
// or exception; returns the conflicts met.
int until_applied(int threads, int rounds, const std::function<jormun_status()>& attempt);

// The value of `key`, or nullopt when absent.
std::optional<std::string> value_of(host::Instance& instance, host::Keyspace ks,
                                    const std::string& key);

// The whole content of a range as (key, value) pairs, in iteration order.
using Entries = std::vector<std::pair<std::string, std::string>>;
Entries collect(host::Instance& instance, host::Keyspace keyspace,
                const host::RangeSpec& range = {});

// The whole keyspace in one direction, optionally at a snapshot.
host::RangeSpec whole(bool reverse, const host::Snapshot* snapshot = nullptr);

// Adds one "key=value" command-line option to `options`; false when the
// text has no '=' or no key.
bool parse_option(const char* text, Options& options);

// A keyspace that must exist or be created; fails the check otherwise.
host::Keyspace keyspace(host::Instance& instance, std::string_view name);

// Writes about 2 MB under keys starting with `tag` into keyspace "filler":
// enough to make an engine that sizes its storage as it goes (LMDB's map at
// map_size_mb=1) grow under the iterators and snapshots that are open.
// Stops at the first failing write and returns its status; JORMUN_OK when
// every write went through.
jormun_status fill_storage(host::Instance& instance, std::string_view tag);

// A key whose 8-byte prefix (the host's partition hash) has `slot` (0..7) in
// its top three bits, so that keys of different slots lie in different
// eighths of the hash space (and so in different shards of an engine that
// shards on the prefix), followed by `rest`.
std::string sharded_key(int slot, std::string_view rest);

// A named check, and the list the check files append theirs to.
struct Check {
  std::string name;
  std::function<void(Kit&)> run;
  // A JORMUN_CAP_* bit the check needs; 0 for none. Skipped without it.
  uint64_t needs = 0;
};
using Checks = std::vector<Check>;

void add_version_checks(Checks& checks);
void add_export_checks(Checks& checks);
void add_keyspace_checks(Checks& checks);
void add_point_checks(Checks& checks);
void add_order_checks(Checks& checks);
void add_long_key_checks(Checks& checks);
void add_batch_checks(Checks& checks);
void add_crash_checks(Checks& checks);
void add_snapshot_checks(Checks& checks);
void add_concurrency_checks(Checks& checks);
void add_error_checks(Checks& checks);
void add_precondition_checks(Checks& checks);
void add_joint_checks(Checks& checks);

}  // namespace jormun::check

#endif
