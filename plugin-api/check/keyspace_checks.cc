// Opening instances and the keyspace lifecycle, across reopen.
#include "kit.h"

namespace jormun::check {
namespace {

// The longest keyspace name engine.h promises an engine takes.
constexpr size_t kLongestKeyspaceName = 1024;

// Opens `dir` through the raw table; returns the status and the message.
std::pair<jormun_status, std::string> raw_open(const Kit& kit, const std::string& dir,
                                               const Options& options) {
  std::vector<jormun_option> raw;
  for (const auto& [k, v] : options) raw.push_back({k.c_str(), v.c_str()});
  char text[512] = "";
  jormun_error err{text, sizeof text};
  jormun_instance* instance = nullptr;
  jormun_status s = kit.api().open(dir.c_str(), raw.data(), raw.size(), &instance, &err);
  if (s == JORMUN_OK) kit.api().close(instance);
  return {s, text};
}

void open_missing_dir(Kit& kit) {
  auto [status, message] =
      raw_open(kit, kit.unused_path("missing").string(), kit.options());
  expect(status != JORMUN_OK && status != JORMUN_NOT_FOUND,
         "open on a missing directory gave status " + std::to_string(status));
  expect(!message.empty(), "open on a missing directory left no message");
}

void open_unknown_option(Kit& kit) {
  Options options = kit.options();
  options.emplace_back("jormun_check_no_such_option", "1");
  auto [status, message] = raw_open(kit, kit.fresh_dir("option").string(), options);
  expect_eq(status, JORMUN_INVALID_ARGUMENT, "status of open with an unknown option");
  expect(message.find("jormun_check_no_such_option") != std::string::npos,
         "the message does not name the unknown key: '" + message + "'");
}

// check_options (ABI 1.1, optional) must agree with open: the kit's own
// options pass both, and an unknown key is refused by name.
void check_options_agrees_with_open(Kit& kit) {
  const jormun_engine_api& api = kit.api();
  if (!JORMUN_HAS_MEMBER(&api, jormun_engine_api, check_options) ||
      api.check_options == nullptr)
    return;  // not provided: the host opens a throwaway instance instead
  auto check = [&](const Options& options) {
    std::vector<jormun_option> raw;
    for (const auto& [k, v] : options) raw.push_back({k.c_str(), v.c_str()});
    char text[512] = "";
    jormun_error err{text, sizeof text};
    jormun_status s = api.check_options(raw.data(), raw.size(), &err);
    return std::pair<jormun_status, std::string>{s, text};
  };
  expect_eq(check(kit.options()).first, JORMUN_OK,
            "check_options of the options the kit opens instances with");
  Options bad = kit.options();
  bad.emplace_back("jormun_check_no_such_option", "1");
  auto [status, message] = check(bad);
  expect_eq(status, JORMUN_INVALID_ARGUMENT, "check_options with an unknown option");
  expect(message.find("jormun_check_no_such_option") != std::string::npos,
         "check_options' message does not name the unknown key: '" + message + "'");
  expect_eq(raw_open(kit, kit.fresh_dir("checked").string(), bad).first,
            JORMUN_INVALID_ARGUMENT, "open of what check_options refused");
}

void keyspace_lifecycle(Kit& kit) {
  auto dir = kit.fresh_dir("keyspaces");
  // Names the host may use (up to "index:" + a 255-character index name),
  // bytes a file-based engine must not trip on, and the longest name the
  // contract promises.
  const std::string names[] = {"base",
                               "gsi:ByDate",
                               "with space/slash\"quote",
                               "\xC3\xA9t\xC3\xA9",
                               std::string(200, 'n'),
                               "index:" + std::string(255, 'i'),
                               std::string(kLongestKeyspaceName, 'L')};
  {
    auto instance = kit.open(dir);
    expect(!instance->keyspace("base", false), "open(create=0) of an absent keyspace");
    for (const auto& name : names) {
      host::Keyspace ks = keyspace(*instance, name);
      expect(instance->keyspace(name, false)->handle == ks.handle,
             "opening '" + printable(name) + "' twice gave two handles");
      host::WriteBatch batch;
      batch.put(ks, "key", "value of " + name);
      instance->write(batch, false);
    }
    host::Keyspace doomed = keyspace(*instance, "doomed");
    host::WriteBatch batch;
    batch.put(doomed, "key", "gone");
    instance->write(batch, false);
    instance->drop(doomed);
    expect(!instance->keyspace("doomed", false), "a dropped keyspace still opens");
    host::Keyspace again = keyspace(*instance, "doomed");
    std::string value;
    expect(!instance->get(again, "key", &value),
           "a re-created keyspace still holds the dropped one's entries");
    instance->drop(again);
  }
  auto instance = kit.open(dir);
  for (const auto& name : names) {
    auto ks = instance->keyspace(name, false);
    expect(ks.has_value(), "keyspace '" + printable(name) + "' lost on reopen");
    std::string value;
    expect(instance->get(*ks, "key", &value),
           "entry of '" + printable(name) + "' lost on reopen");
    expect_eq(value, "value of " + name, "value after reopen");
  }
  expect(!instance->keyspace("doomed", false), "a dropped keyspace is back after reopen");
}

void keyspaces_are_separate(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("separate"));
  host::Keyspace a = keyspace(*instance, "a");
  host::Keyspace b = keyspace(*instance, "b");
  host::WriteBatch batch;
  batch.put(a, "k", "in a");
  batch.put(b, "k", "in b");
  batch.put(a, "only-a", "x");
  instance->write(batch, false);
  std::string value;
  expect(instance->get(a, "k", &value) && value == "in a", "get k in a");
  expect(instance->get(b, "k", &value) && value == "in b", "get k in b");
  expect(!instance->get(b, "only-a", &value), "a's key visible in b");
  expect_eq(collect(*instance, b).size(), size_t{1}, "entries iterated in b");
}

}  // namespace

void add_keyspace_checks(Checks& checks) {
  checks.push_back({"open: missing directory gives an error status", open_missing_dir});
  checks.push_back({"check_options, where provided, agrees with open",
                    check_options_agrees_with_open});
  checks.push_back({"open: unknown option gives INVALID_ARGUMENT naming the key",
                    open_unknown_option});
  checks.push_back({"keyspaces: create, open-absent, drop, re-create, persist on reopen",
                    keyspace_lifecycle});
  checks.push_back(
      {"keyspaces: same key in two keyspaces stays separate", keyspaces_are_separate});
}

}  // namespace jormun::check
