// Point reads and writes: get/put/delete, odd keys, empty and large values,
// and stats.
#include <charconv>
#include <random>

#include "kit.h"

namespace jormun::check {
namespace {

void put(host::Instance& instance, host::Keyspace ks, const std::string& key,
         const std::string& value) {
  host::WriteBatch batch;
  batch.put(ks, key, value);
  instance.write(batch, false);
}

void del(host::Instance& instance, host::Keyspace ks, const std::string& key) {
  host::WriteBatch batch;
  batch.del(ks, key);
  instance.write(batch, false);
}

void get_put_delete(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("point"));
  host::Keyspace ks = keyspace(*instance, "point");
  std::string value;
  expect(!instance->get(ks, "k", &value), "get of an absent key found something");
  put(*instance, ks, "k", "v1");
  expect(instance->get(ks, "k", &value), "get after put found nothing");
  expect_eq(value, "v1", "value after put");
  put(*instance, ks, "k", "v2");
  expect(instance->get(ks, "k", &value) && value == "v2", "overwrite lost");
  del(*instance, ks, "k");
  expect(!instance->get(ks, "k", &value), "get after delete found something");
  del(*instance, ks, "never-written");
  put(*instance, ks, "empty", "");
  value = "stale";
  expect(instance->get(ks, "empty", &value), "an empty value reads as absent");
  expect_eq(value, "", "empty value");
  Entries entries = collect(*instance, ks);
  expect(entries.size() == 1 && entries[0].first == "empty" && entries[0].second.empty(),
         "iteration over an empty value");
}

// engine.h: a key is never empty (every key the host writes starts with 8
// hash bytes), and an engine refuses one rather than store it; empty
// iterator bounds are fine.
void empty_keys(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("empty-key"));
  host::Keyspace ks = keyspace(*instance, "empty-key");
  host::WriteBatch with_empty;
  with_empty.put(ks, "valid", "v");
  with_empty.put(ks, "", "v");
  expect_eq(status_of([&] { instance->write(with_empty, false); }),
            JORMUN_INVALID_ARGUMENT, "status of a batch putting an empty key");
  std::string value;
  expect(!instance->get(ks, "valid", &value),
         "a batch refused for its empty key was partly applied");
  host::WriteBatch delete_empty;
  delete_empty.del(ks, "");
  expect_eq(status_of([&] { instance->write(delete_empty, false); }),
            JORMUN_INVALID_ARGUMENT, "status of a batch deleting an empty key");
  expect_eq(status_of([&] { instance->get(ks, "", &value); }), JORMUN_INVALID_ARGUMENT,
            "status of get of an empty key");
  put(*instance, ks, "k", "v");
  host::RangeSpec from_empty{host::Bound{"", true}, std::nullopt};
  host::RangeSpec below_empty{std::nullopt, host::Bound{"", false}};
  expect(collect(*instance, ks, from_empty).size() == 1,
         "a range from an inclusive empty lower bound missed a key");
  expect(collect(*instance, ks, below_empty).empty(),
         "a range below an exclusive empty upper bound is not empty");
}

void binary_keys(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("binary"));
  host::Keyspace ks = keyspace(*instance, "binary");
  using namespace std::string_literals;
  const std::string keys[] = {"\0"s,
                              "\0\0"s,
                              "\xFF"s,
                              "\xFF\xFF"s,
                              "a"s,
                              "a\0"s,
                              "a\0b"s,
                              "a\xFF"s,
                              "\0\xFF\0\xFF\0\xFF\0\xFF tail"s,
                              std::string(8, '\0') + "x"};
  for (size_t i = 0; i < std::size(keys); ++i)
    put(*instance, ks, keys[i], "value " + std::to_string(i));
  for (size_t i = 0; i < std::size(keys); ++i) {
    std::string value;
    expect(instance->get(ks, keys[i], &value), "lost key " + printable(keys[i]));
    expect_eq(value, "value " + std::to_string(i), "value of " + printable(keys[i]));
  }
  expect_eq(collect(*instance, ks).size(), std::size(keys), "distinct keys iterated");
}

void large_values(Kit& kit) {
  auto dir = kit.fresh_dir("large");
  std::mt19937_64 rng(42);
  std::vector<std::string> values;
  for (size_t mb : {1, 4, 9}) {
    std::string v(mb << 20, '\0');
    for (auto& c : v) c = static_cast<char>(rng());
    values.push_back(std::move(v));
  }
  {
    auto instance = kit.open(dir);
    host::Keyspace ks = keyspace(*instance, "large");
    for (size_t i = 0; i < values.size(); ++i)
      put(*instance, ks, "large" + std::to_string(i), values[i]);
  }
  auto instance = kit.open(dir);
  host::Keyspace ks = keyspace(*instance, "large");
  for (size_t i = 0; i < values.size(); ++i) {
    std::string value;
    expect(instance->get(ks, "large" + std::to_string(i), &value),
           "large value lost after reopen");
    expect(value == values[i],
           "a " + std::to_string(values[i].size()) + "-byte value came back different");
  }
  Entries entries = collect(*instance, ks);
  expect(entries.size() == values.size() && entries.back().second == values.back(),
         "iteration over large values");
}

void empty_batch(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("empty-batch"));
  // The wrapper passes an empty vector's data(), NULL, with count 0.
  instance->write(host::WriteBatch{}, false);
  instance->write(host::WriteBatch{}, true);
  host::Keyspace ks = keyspace(*instance, "empty-batch");
  expect(collect(*instance, ks).empty(), "an empty batch wrote something");
}

void stats(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("stats"));
  host::Keyspace ks = keyspace(*instance, "stats");
  put(*instance, ks, "key", std::string(100000, 'x'));
  for (const auto& [name, value] : instance->stats()) {
    expect(!name.empty(), "a statistic without a name");
    if (name != "approximate_size_bytes") continue;
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    expect(ec == std::errc() && end == value.data() + value.size(),
           "approximate_size_bytes is not an integer: '" + value + "'");
  }
}

}  // namespace

void add_point_checks(Checks& checks) {
  checks.push_back(
      {"point: get/put/overwrite/delete, delete absent, empty value", get_put_delete});
  checks.push_back({"point: keys with 0x00 and 0xFF bytes", binary_keys});
  checks.push_back(
      {"point: an empty key is refused (INVALID_ARGUMENT, batch not applied); "
       "empty bounds work",
       empty_keys});
  checks.push_back({"point: 1, 4 and 9 MB values survive reopen", large_values});
  checks.push_back({"point: empty batch is OK, synced or not", empty_batch});
  checks.push_back({"stats: names non-empty, approximate_size_bytes numeric", stats});
}

}  // namespace jormun::check
