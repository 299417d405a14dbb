// ABI 1.3: batches checked against preconditions (JORMUN_CAP_PRECONDITIONS),
// and `control`'s answer to a command no engine knows.
#include <vector>

#include "kit.h"

namespace jormun::check {
namespace {

void expect_state(host::Instance& instance, host::Keyspace ks, const std::string& key,
                  const std::optional<std::string>& want, const std::string& when) {
  std::optional<std::string> got = value_of(instance, ks, key);
  expect(got.has_value() == want.has_value(),
         when + ": key " + printable(key) + (want ? " is missing" : " should be absent"));
  if (want) expect_eq(*got, *want, when + ": value of " + printable(key));
}

void applies_when_held(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("pre-hold"));
  host::Keyspace a = keyspace(*instance, "a");
  host::Keyspace b = keyspace(*instance, "b");
  host::WriteBatch first;
  first.put(a, "k", "v1");
  instance->write(first, false);

  host::WriteBatch batch;
  batch.expect(a, "k", "v1");
  batch.expect(b, "never-written", std::nullopt);
  batch.put(a, "k", "v2");
  batch.put(b, "other", "x");
  jormun_status s = status_of([&] { instance->write(batch, false); });
  expect_eq(s, JORMUN_OK, "a batch whose preconditions hold");
  expect_state(*instance, a, "k", "v2", "after the checked batch");
  expect_state(*instance, b, "other", "x", "after the checked batch");

  // A precondition on a key the batch does not write, and a synced batch.
  host::WriteBatch read_only;
  read_only.expect(b, "other", "x");
  read_only.put(a, "k", "v3");
  s = status_of([&] { instance->write(read_only, true); });
  expect_eq(s, JORMUN_OK, "a synced batch depending on a key it does not write");
  expect_state(*instance, a, "k", "v3", "after the dependent batch");
}

void conflicts_when_changed(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("pre-conflict"));
  host::Keyspace a = keyspace(*instance, "a");
  host::WriteBatch first;
  first.put(a, "k", "v1");
  first.put(a, "bystander", "before");
  instance->write(first, false);

  struct Case {
    const char* what;
    std::optional<std::string> expected;
  };
  // A changed value, a prefix of it, and a key that exists expected absent.
  const Case cases[] = {{"the value changed", "v0"},
                        {"the expected value is a prefix of the stored one", "v"},
                        {"the key is present, expected absent", std::nullopt}};
  for (const auto& c : cases) {
    host::WriteBatch batch;
    batch.expect(a, "k", c.expected);
    batch.put(a, "k", "overwritten");
    batch.put(a, "bystander", "after");
    batch.del(a, "k");
    jormun_status s = status_of([&] { instance->write(batch, false); });
    expect_eq(s, JORMUN_CONFLICT, std::string("status when ") + c.what);
    expect_state(*instance, a, "k", "v1", std::string("after a conflict: ") + c.what);
    expect_state(*instance, a, "bystander", "before",
                 std::string("after a conflict: ") + c.what);
  }

  // A key expected with a value but absent.
  host::WriteBatch batch;
  batch.expect(a, "absent", "anything");
  batch.put(a, "absent", "made");
  expect_eq(status_of([&] { instance->write(batch, false); }), JORMUN_CONFLICT,
            "status when a key expected present is absent");
  expect_state(*instance, a, "absent", std::nullopt, "after that conflict");
}

void absent_precondition(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("pre-absent"));
  host::Keyspace a = keyspace(*instance, "a");
  host::WriteBatch create;
  create.expect(a, "new", std::nullopt);
  create.put(a, "new", "first");
  expect_eq(status_of([&] { instance->write(create, false); }), JORMUN_OK,
            "creating a key expected absent");
  // The same batch again: the key is there now.
  host::WriteBatch again;
  again.expect(a, "new", std::nullopt);
  again.put(a, "new", "second");
  expect_eq(status_of([&] { instance->write(again, false); }), JORMUN_CONFLICT,
            "creating it a second time");
  expect_state(*instance, a, "new", "first", "after the second create");
  // Deleted, it is absent again.
  host::WriteBatch remove;
  remove.expect(a, "new", "first");
  remove.del(a, "new");
  expect_eq(status_of([&] { instance->write(remove, false); }), JORMUN_OK,
            "deleting it at the value read");
  host::WriteBatch recreate;
  recreate.expect(a, "new", std::nullopt);
  recreate.put(a, "new", "third");
  expect_eq(status_of([&] { instance->write(recreate, false); }), JORMUN_OK,
            "creating it again after the delete");
  expect_state(*instance, a, "new", "third", "after the re-create");
}

void refuses_bad_precondition(Kit& kit) {
  auto dir = kit.fresh_dir("pre-bad");
  jormun_instance* raw = nullptr;
  const jormun_engine_api& api = kit.api();
  std::vector<jormun_option> opts;
  for (const auto& [k, v] : kit.options()) opts.push_back({k.c_str(), v.c_str()});
  char text[256] = {0};
  jormun_error err{text, sizeof text};
  expect_eq(api.open(dir.c_str(), opts.data(), opts.size(), &raw, &err), JORMUN_OK, "open");
  jormun_keyspace* ks = nullptr;
  jormun_bytes name{reinterpret_cast<const uint8_t*>("a"), 1};
  jormun_status s = api.keyspace_open(raw, name, 1, &ks, &err);
  jormun_bytes key{reinterpret_cast<const uint8_t*>("k"), 1};
  jormun_write_op put{JORMUN_OP_PUT, 0, ks, key, key};
  jormun_precondition bad_kind{7, 0, ks, key, {}};
  jormun_precondition empty_key{JORMUN_EXPECT_ABSENT, 0, ks, {}, {}};
  jormun_status kind_status =
      s == JORMUN_OK ? api.write_checked(raw, &put, 1, &bad_kind, 1, 0, &err) : s;
  jormun_status key_status =
      s == JORMUN_OK ? api.write_checked(raw, &put, 1, &empty_key, 1, 0, &err) : s;
  bool written = false;
  if (s == JORMUN_OK) {
    auto fn = [](void* ctx, const uint8_t*, size_t) { *static_cast<bool*>(ctx) = true; };
    api.get(raw, ks, nullptr, key, fn, &written, &err);
  }
  api.close(raw);
  expect_eq(s, JORMUN_OK, "keyspace_open");
  expect_eq(kind_status, JORMUN_INVALID_ARGUMENT, "a precondition of unknown kind");
  expect_eq(key_status, JORMUN_INVALID_ARGUMENT, "a precondition with an empty key");
  expect(!written, "a batch with a bad precondition wrote its put");
}

// Threads add to one counter by read, compute, checked write, and read
// again on a conflict: the total is exact only if check and write are one
// step.
void concurrent_increments(Kit& kit) {
  constexpr int kThreads = 4;
  constexpr int kAdds = 50;
  auto instance = kit.open(kit.fresh_dir("pre-race"));
  host::Keyspace a = keyspace(*instance, "a");
  const std::string key = sharded_key(3, "counter");
  const int conflicts = until_applied(kThreads, kAdds, [&] {
    std::optional<std::string> seen = value_of(*instance, a, key);
    const long next = (seen ? std::stol(*seen) : 0) + 1;
    host::WriteBatch batch;
    batch.expect(a, key, seen);
    batch.put(a, key, std::to_string(next));
    return status_of([&] { instance->write(batch, false); });
  });
  expect_state(*instance, a, key, std::to_string(kThreads * kAdds),
               "after " + std::to_string(conflicts) + " conflicts");
}

void control_unknown_command(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("control"));
  jormun_status s = status_of([&] { instance->control("jormun-kit-no-such-command"); });
  expect_eq(s, JORMUN_NOT_SUPPORTED, "control of an unknown command");
  // The instance is still fine.
  host::Keyspace a = keyspace(*instance, "a");
  host::WriteBatch batch;
  batch.put(a, "k", "v");
  instance->write(batch, false);
  expect_state(*instance, a, "k", "v", "after the unknown command");
}

}  // namespace

void add_precondition_checks(Checks& checks) {
  checks.push_back({"preconditions: a batch applies when they hold", applies_when_held,
                    JORMUN_CAP_PRECONDITIONS});
  checks.push_back({"preconditions: a changed or present key is a conflict, nothing applied",
                    conflicts_when_changed, JORMUN_CAP_PRECONDITIONS});
  checks.push_back({"preconditions: absent keys, created, deleted, created again",
                    absent_precondition, JORMUN_CAP_PRECONDITIONS});
  checks.push_back({"preconditions: a bad kind or empty key is refused, nothing applied",
                    refuses_bad_precondition, JORMUN_CAP_PRECONDITIONS});
  checks.push_back({"preconditions: 4 threads x 50 checked increments give exactly 200",
                    concurrent_increments, JORMUN_CAP_PRECONDITIONS});
  checks.push_back({"control: an unknown command is NOT_SUPPORTED and harmless",
                    control_unknown_command});
}

}  // namespace jormun::check
