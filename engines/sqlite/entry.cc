// entry.cc -- the plugin's one exported symbol.
#include <sqlite3.h>

#include <jormun/plugin.hpp>

#include "options.h"
#include "sqlite_engine.h"

namespace jormun::sqlite {
namespace {

std::unique_ptr<plugin::Instance> open_instance(const std::string& data_dir,
                                                const plugin::Options& options) {
  EngineOptions parsed = parse_options(options);
  // Connections are used from many threads (one at a time each), which a
  // single-threaded build of the library cannot do.
  if (sqlite3_threadsafe() == 0)
    throw plugin::Error(JORMUN_NOT_SUPPORTED,
                        "sqlite: the SQLite library was built without thread support");
  return std::make_unique<SqliteEngine>(data_dir, parsed);
}

[[maybe_unused]] void check_options(const plugin::Options& options) {
  (void)parse_options(options);
}

}  // namespace
}  // namespace jormun::sqlite

// Snapshots are left out: the files commit independently, so no read view
// spans them consistently.
#ifndef JORMUN_SQLITE_WITHOUT_CHECK_OPTIONS
JORMUN_DEFINE_ENGINE("sqlite", "0.1.0",
                     JORMUN_CAP_CHECKPOINT | JORMUN_CAP_CONCURRENT_SYNC | JORMUN_CAP_SYNC,
                     &jormun::sqlite::open_instance, &jormun::sqlite::check_options)
#else
// The engine as an ABI 1.0 plugin presents itself, for the tests that a
// host goes on loading older minors: abi_minor 0, a table that ends at
// `stats`, none of the capabilities later minors added. The members past
// its struct_size answer JORMUN_INTERNAL: a host that called one would have
// read what a real 1.0 plugin does not have.
namespace {
template <typename... Args>
jormun_status past_the_end(Args...) {
  return JORMUN_INTERNAL;
}
}  // namespace

extern "C" JORMUN_EXPORT const jormun_engine_api* jormun_engine_entry(
    uint32_t host_abi_major) {
  static const jormun_engine_api api = [] {
    jormun_engine_api a =
        jormun::plugin::detail::Table<&jormun::sqlite::open_instance>::make(
            "sqlite", "0.1.0", JORMUN_CAP_CHECKPOINT);
    a.struct_size = offsetof(jormun_engine_api, check_options);
    a.abi_minor = 0;
    a.check_options = &past_the_end<const jormun_option*, size_t, jormun_error*>;
    a.sync = &past_the_end<jormun_instance*, jormun_error*>;
    a.open_with_host =
        &past_the_end<const char*, const jormun_option*, size_t,
                      const jormun_host_services*, jormun_instance**, jormun_error*>;
    a.control = &past_the_end<jormun_instance*, const char*, const jormun_option*, size_t,
                              jormun_stat_fn, void*, jormun_error*>;
    a.write_checked =
        &past_the_end<jormun_instance*, const jormun_write_op*, size_t,
                      const jormun_precondition*, size_t, uint32_t, jormun_error*>;
    return a;
  }();
  return host_abi_major == JORMUN_ABI_MAJOR ? &api : nullptr;
}
#endif
