// Long keys, as the host writes them: up to about 7.2 KB, one 8-byte hash
// prefix shared by a whole partition and long stretches shared after it, so
// that an engine with a key-size limit of its own (LMDB's 511 bytes) must
// keep order and bounds across whatever it does about it.
#include <random>

#include "range_model.h"

namespace jormun::check {
namespace {

using namespace std::string_view_literals;

// Keys that share ever longer prefixes of one long random stem, cut at
// lengths around common engine limits (LMDB's 480/511, a 4 KB page) and
// extended by bytes that sort before, between and after, plus random keys
// of 1 to 7.5 KB and a few short ones.
std::vector<std::string> long_keys(std::mt19937_64& rng) {
  static constexpr unsigned char kBytes[] = {0x00, 0x01, 'a', 0x7F, 0x80, 0xFF};
  auto random_bytes = [&](size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(kBytes[rng() % std::size(kBytes)]);
    return s;
  };
  const std::string stem = sharded_key(3, random_bytes(7600));
  std::vector<std::string> keys;
  for (size_t cut :
       {8,   9,   100,  470,  478,  479,  480,  481,  482,  500,  510,  511,
        512, 513, 1000, 1024, 2000, 3000, 3300, 4095, 4096, 4097, 7200, 7500}) {
    for (std::string_view tail : {""sv, "\0"sv, "a"sv, "\xff"sv, "\xff\xff"sv, "a\0z"sv})
      keys.push_back(stem.substr(0, cut) + std::string(tail));
  }
  for (int i = 0; i < 40; ++i)
    keys.push_back(sharded_key(i % 8, random_bytes(1000 + rng() % 6500)));
  for (int i = 0; i < 10; ++i) keys.push_back(sharded_key(3, random_bytes(rng() % 20)));
  return keys;
}

void write_all(host::Instance& instance, host::Keyspace ks, Model& model,
               const std::vector<std::string>& keys) {
  for (size_t i = 0; i < keys.size(); i += 25) {
    host::WriteBatch batch;
    for (size_t j = i; j < keys.size() && j < i + 25; ++j) {
      std::string value = "v" + std::to_string(j) + "/" + std::to_string(keys[j].size());
      batch.put(ks, keys[j], value);
      model[keys[j]] = value;
    }
    instance.write(batch, false);
  }
}

void expect_points(host::Instance& instance, host::Keyspace ks, const Model& model,
                   const std::vector<std::string>& keys) {
  for (const auto& k : keys) {
    std::string value;
    bool found = instance.get(ks, k, &value);
    auto it = model.find(k);
    expect(found == (it != model.end()), "get of a " + std::to_string(k.size()) +
                                             "-byte key " +
                                             (found ? "found a deleted key" : "lost it"));
    if (found)
      expect_eq(value, it->second,
                "value of a " + std::to_string(k.size()) + "-byte key");
  }
}

void long_key_order(Kit& kit) {
  std::mt19937_64 rng(23);
  auto dir = kit.fresh_dir("long-keys");
  std::vector<std::string> keys = long_keys(rng);
  Model model;
  {
    auto instance = kit.open(dir);
    host::Keyspace ks = keyspace(*instance, "long");
    write_all(*instance, ks, model, keys);
    // Delete every third and overwrite every fifth, so that whatever an
    // engine groups long keys into shrinks, vanishes and changes.
    host::WriteBatch changes;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i % 3 == 0) {
        changes.del(ks, keys[i]);
        model.erase(keys[i]);
      } else if (i % 5 == 0) {
        changes.put(ks, keys[i], "overwritten");
        model[keys[i]] = "overwritten";
      }
    }
    instance->write(changes, false);
    expect_points(*instance, ks, model, keys);
  }
  auto instance = kit.open(dir);
  host::Keyspace ks = keyspace(*instance, "long");
  expect_points(*instance, ks, model, keys);
  expect_range(*instance, ks, model, {});
  expect_range(*instance, ks, model, whole(true));

  // Bounds: stored, deleted and never-written keys (cuts and extensions of
  // stored ones), so that they fall inside and between groups of long keys.
  std::vector<std::string> bounds = keys;
  for (size_t i = 0; i < keys.size(); i += 4) {
    bounds.push_back(keys[i] + '\0');
    bounds.push_back(keys[i].substr(0, keys[i].size() / 2 + 1));
  }
  bounds.push_back(std::string());
  for (int round = 0; round < 300; ++round) {
    host::RangeSpec range;
    range.reverse = round % 2 == 1;
    std::string lo = bounds[rng() % bounds.size()];
    std::string hi = round % 9 == 0 ? lo : bounds[rng() % bounds.size()];
    if (round % 4 != 0 && hi < lo) std::swap(lo, hi);  // a quarter may cross
    if (round % 7 != 0) range.lower = host::Bound{lo, rng() % 2 == 0};
    if (round % 5 != 0) range.upper = host::Bound{hi, rng() % 2 == 0};
    expect_range(*instance, ks, model, range);
  }
}

}  // namespace

void add_long_key_checks(Checks& checks) {
  checks.push_back(
      {"long keys: keys of up to 7.5 KB sharing long prefixes keep point reads, "
       "order and bounds, also after reopen",
       long_key_order});
}

}  // namespace jormun::check
