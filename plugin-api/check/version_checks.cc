// Version negotiation and the shape of the function table.
#include <dlfcn.h>

#include "kit.h"

namespace jormun::check {
namespace {

// The plugin's entry point, from a second dlopen of the same file (the
// loader shares the already loaded copy).
class Entry {
 public:
  explicit Entry(const std::string& path)
      : handle_(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (handle_ == nullptr) throw CheckFailed(std::string("dlopen: ") + ::dlerror());
    fn_ = reinterpret_cast<jormun_entry_fn>(::dlsym(handle_, JORMUN_ENTRY_SYMBOL));
    if (fn_ == nullptr) {
      ::dlclose(handle_);
      throw CheckFailed("no symbol " JORMUN_ENTRY_SYMBOL);
    }
  }
  ~Entry() { ::dlclose(handle_); }
  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;
  const jormun_engine_api* operator()(uint32_t major) const { return fn_(major); }

 private:
  void* handle_;
  jormun_entry_fn fn_ = nullptr;
};

void refuses_other_majors(Kit& kit) {
  Entry entry(kit.plugin_path());
  for (uint32_t major : {0u, 2u, 0xFFFFFFFFu})
    expect(entry(major) == nullptr,
           "the entry point returned a table for ABI major " + std::to_string(major));
}

void table_for_major_1(Kit& kit) {
  Entry entry(kit.plugin_path());
  const jormun_engine_api* api = entry(JORMUN_ABI_MAJOR);
  expect(api != nullptr, "the entry point refused ABI major 1");
  expect(entry(JORMUN_ABI_MAJOR) == api,
         "the table is not static: two calls, two tables");
  std::string problem = host::Library::validate(api);
  expect(problem.empty(), "Library::validate refused the table: " + problem);
  expect_eq(api->abi_major, uint32_t{JORMUN_ABI_MAJOR}, "abi_major");
  expect_eq(api->reserved, uint32_t{0}, "reserved");
  expect(api->struct_size % alignof(jormun_engine_api) == 0,
         "struct_size " + std::to_string(api->struct_size) + " is not a struct size");
  expect(
      api->abi_minor > JORMUN_ABI_MINOR || api->struct_size <= sizeof(jormun_engine_api),
      "struct_size larger than ABI minor " + std::to_string(api->abi_minor) + " defines");
  expect(api->name[0] != '\0' && api->version[0] != '\0', "empty name or version");
}

}  // namespace

void add_version_checks(Checks& checks) {
  checks.push_back(
      {"version: entry point refuses ABI majors 0, 2 and 2^32-1", refuses_other_majors});
  checks.push_back({"version: valid static table for ABI major 1", table_for_major_1});
}

}  // namespace jormun::check
