// Error paths through the raw C table: bad arguments come back as statuses
// with messages, and the caller's message buffer is respected.
#include <cstring>

#include "kit.h"

namespace jormun::check {
namespace {

jormun_bytes raw_bytes(const char* s) {
  return {reinterpret_cast<const uint8_t*>(s), std::strlen(s)};
}

// A message buffer with a guard zone after its stated capacity.
struct Buffer {
  explicit Buffer(size_t capacity) : err{text, capacity} {
    std::memset(text, '#', sizeof text);
  }
  bool guard_intact() const {
    for (size_t i = err.capacity; i < sizeof text; ++i)
      if (text[i] != '#') return false;
    return true;
  }
  char text[600];
  jormun_error err;
};

// An instance opened through the raw table.
class RawInstance {
 public:
  RawInstance(Kit& kit, const char* name) : api_(kit.api()) {
    std::vector<jormun_option> options;
    for (const auto& [k, v] : kit.options()) options.push_back({k.c_str(), v.c_str()});
    Buffer b(512);
    std::string dir = kit.fresh_dir(name).string();
    jormun_status s =
        api_.open(dir.c_str(), options.data(), options.size(), &instance_, &b.err);
    expect(s == JORMUN_OK, std::string("open: ") + b.text);
  }
  ~RawInstance() { api_.close(instance_); }
  RawInstance(const RawInstance&) = delete;
  RawInstance& operator=(const RawInstance&) = delete;

  jormun_instance* get() const { return instance_; }
  jormun_keyspace* keyspace(const char* name) {
    jormun_keyspace* ks = nullptr;
    Buffer b(512);
    expect(api_.keyspace_open(instance_, raw_bytes(name), 1, &ks, &b.err) == JORMUN_OK,
           std::string("keyspace_open: ") + b.text);
    return ks;
  }
  bool has(jormun_keyspace* ks, const char* key) {
    auto ignore = [](void*, const uint8_t*, size_t) {};
    jormun_status s =
        api_.get(instance_, ks, nullptr, raw_bytes(key), ignore, nullptr, nullptr);
    expect(s == JORMUN_OK || s == JORMUN_NOT_FOUND, "get failed");
    return s == JORMUN_OK;
  }

 private:
  const jormun_engine_api& api_;
  jormun_instance* instance_ = nullptr;
};

void expect_invalid(jormun_status s, const Buffer& b, const std::string& call) {
  expect(s == JORMUN_INVALID_ARGUMENT,
         call + " gave status " + std::to_string(s) + ", expected INVALID_ARGUMENT");
  expect(b.text[0] != '\0' && b.text[0] != '#', call + " left no message");
}

jormun_iter_options whole_range() {
  jormun_iter_options o{};
  o.struct_size = sizeof o;
  return o;
}

void bad_arguments(Kit& kit) {
  const jormun_engine_api& api = kit.api();
  RawInstance inst(kit, "bad-args");
  jormun_keyspace* ks = inst.keyspace("ks");
  {
    Buffer b(512);
    jormun_keyspace* out = nullptr;
    expect_invalid(api.keyspace_open(inst.get(), {nullptr, 0}, 1, &out, &b.err), b,
                   "keyspace_open with an empty name");
  }
  for (uint32_t kind : {0u, 3u, 99u}) {
    jormun_write_op ops[2] = {{JORMUN_OP_PUT, 0, ks, raw_bytes("valid"), raw_bytes("v")},
                              {kind, 0, ks, raw_bytes("bad"), raw_bytes("v")}};
    Buffer b(512);
    expect_invalid(api.write(inst.get(), ops, 2, 0, &b.err), b,
                   "write with operation kind " + std::to_string(kind));
    expect(!inst.has(ks, "valid"), "a refused batch was partly applied");
  }
  {
    jormun_write_op op{JORMUN_OP_PUT, 0, nullptr, raw_bytes("k"), raw_bytes("v")};
    Buffer b(512);
    expect_invalid(api.write(inst.get(), &op, 1, 0, &b.err), b,
                   "write with a NULL keyspace");
  }
  jormun_iter_options small = whole_range();
  small.struct_size = 4;
  jormun_iter_options bad_lower = whole_range();
  bad_lower.lower_kind = 3;
  jormun_iter_options bad_upper = whole_range();
  bad_upper.upper_kind = 7;
  const std::pair<const jormun_iter_options*, const char*> cases[] = {
      {nullptr, "iter_create with NULL options"},
      {&small, "iter_create with struct_size 4"},
      {&bad_lower, "iter_create with lower bound kind 3"},
      {&bad_upper, "iter_create with upper bound kind 7"}};
  for (const auto& [options, what] : cases) {
    Buffer b(512);
    jormun_iterator* it = nullptr;
    jormun_status s = api.iter_create(inst.get(), ks, options, &it, &b.err);
    if (s == JORMUN_OK) api.iter_destroy(it);
    expect_invalid(s, b, what);
  }
  api.iter_destroy(nullptr);
}

void foreign_handles(Kit& kit) {
  const jormun_engine_api& api = kit.api();
  RawInstance one(kit, "foreign-one");
  RawInstance two(kit, "foreign-two");
  jormun_keyspace* theirs = two.keyspace("ks");
  one.keyspace("ks");
  {
    jormun_write_op op{JORMUN_OP_PUT, 0, theirs, raw_bytes("k"), raw_bytes("v")};
    Buffer b(512);
    expect_invalid(api.write(one.get(), &op, 1, 0, &b.err), b,
                   "write with another instance's keyspace");
    expect(!two.has(theirs, "k"), "a write through the wrong instance landed");
  }
  {
    Buffer b(512);
    auto ignore = [](void*, const uint8_t*, size_t) {};
    expect_invalid(
        api.get(one.get(), theirs, nullptr, raw_bytes("k"), ignore, nullptr, &b.err), b,
        "get with another instance's keyspace");
  }
  {
    Buffer b(512);
    jormun_iter_options o = whole_range();
    jormun_iterator* it = nullptr;
    jormun_status s = api.iter_create(one.get(), theirs, &o, &it, &b.err);
    if (s == JORMUN_OK) api.iter_destroy(it);
    expect_invalid(s, b, "iter_create with another instance's keyspace");
  }
}

void message_buffers(Kit& kit) {
  const jormun_engine_api& api = kit.api();
  RawInstance inst(kit, "buffers");
  jormun_keyspace* out = nullptr;
  expect(api.keyspace_open(inst.get(), {nullptr, 0}, 1, &out, nullptr) ==
             JORMUN_INVALID_ARGUMENT,
         "a failing call with a NULL error buffer");
  for (size_t capacity : {size_t{1}, size_t{8}, size_t{512}}) {
    Buffer b(capacity);
    api.keyspace_open(inst.get(), {nullptr, 0}, 1, &out, &b.err);
    expect(b.guard_intact(), "the engine wrote past a " + std::to_string(capacity) +
                                 "-byte message buffer");
    expect(std::memchr(b.text, '\0', capacity) != nullptr,
           "the message in a " + std::to_string(capacity) +
               "-byte buffer is not NUL-terminated");
  }
  Buffer zero(0);
  zero.err.message = nullptr;
  api.keyspace_open(inst.get(), {nullptr, 0}, 1, &out, &zero.err);
}

}  // namespace

void add_error_checks(Checks& checks) {
  checks.push_back(
      {"errors: bad arguments give INVALID_ARGUMENT with a message, "
       "refused batches apply nothing",
       bad_arguments});
  checks.push_back(
      {"errors: keyspace handles of another instance are refused", foreign_handles});
  checks.push_back(
      {"errors: NULL, tiny and exact message buffers are respected", message_buffers});
}

}  // namespace jormun::check
