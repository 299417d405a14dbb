// Key order, iterator bounds and direction, and iterators that outlive
// writes.
#include <random>

#include "range_model.h"

namespace jormun::check {
namespace {

// Short keys over bytes that break signed or C-string comparisons.
std::string random_key(std::mt19937_64& rng) {
  static constexpr unsigned char kBytes[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 'a'};
  std::string key(1 + rng() % 5, '\0');
  for (auto& c : key) c = static_cast<char>(kBytes[rng() % std::size(kBytes)]);
  return key;
}

// Random keys, some with all their prefixes, written to `ks`.
Model fill(host::Instance& instance, host::Keyspace ks, std::mt19937_64& rng) {
  Model model;
  for (int i = 0; i < 400; ++i) {
    std::string key = random_key(rng);
    model[key] = "v" + std::to_string(i);
    if (i % 8 == 0)
      for (size_t n = 1; n < key.size(); ++n) model[key.substr(0, n)] = "p" + key;
  }
  host::WriteBatch batch;
  for (const auto& [k, v] : model) batch.put(ks, k, v);
  instance.write(batch, false);
  return model;
}

void byte_order(Kit& kit) {
  std::mt19937_64 rng(7);
  auto instance = kit.open(kit.fresh_dir("order"));
  host::Keyspace ks = keyspace(*instance, "order");
  Model model = fill(*instance, ks, rng);
  expect_range(*instance, ks, model, {});
  expect_range(*instance, ks, model, whole(true));
  host::Keyspace empty = keyspace(*instance, "empty");
  expect(collect(*instance, empty).empty(), "an empty keyspace iterated entries");
  expect(collect(*instance, empty, whole(true)).empty(),
         "an empty keyspace iterated entries in reverse");
}

void bounds(Kit& kit) {
  std::mt19937_64 rng(11);
  auto instance = kit.open(kit.fresh_dir("bounds"));
  host::Keyspace ks = keyspace(*instance, "bounds");
  Model model = fill(*instance, ks, rng);
  std::vector<std::string> existing;
  for (const auto& [k, v] : model) existing.push_back(k);
  // Bound keys: present keys, absent keys and the empty key.
  auto bound_key = [&] {
    switch (rng() % 4) {
      case 0:
        return existing[rng() % existing.size()];
      case 1:
        return std::string();
      default:
        return random_key(rng);
    }
  };
  const std::optional<bool> kinds[] = {std::nullopt, true, false};
  for (const auto& lower_kind : kinds) {
    for (const auto& upper_kind : kinds) {
      for (bool reverse : {false, true}) {
        for (int i = 0; i < 25; ++i) {
          host::RangeSpec range;
          range.reverse = reverse;
          std::string lo = bound_key();
          // Every fifth range has equal bounds, the rest random ones.
          std::string hi = i % 5 == 0 ? lo : bound_key();
          if (lower_kind) range.lower = host::Bound{lo, *lower_kind};
          if (upper_kind) range.upper = host::Bound{hi, *upper_kind};
          expect_range(*instance, ks, model, range);
        }
      }
    }
  }
}

void next_after_end(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("after-end"));
  host::Keyspace ks = keyspace(*instance, "after-end");
  host::WriteBatch batch;
  batch.put(ks, "a", "1");
  batch.put(ks, "b", "2");
  instance->write(batch, false);
  for (bool reverse : {false, true}) {
    host::Iterator it = instance->iterate(ks, whole(reverse));
    std::string_view key, value;
    int n = 0;
    while (it.next(&key, &value)) ++n;
    expect_eq(n, 2, "entries before the end");
    for (int i = 0; i < 3; ++i)
      expect(!it.next(&key, &value), "iter_next after the end gave an entry");
  }
}

// An iterator made before a burst of writes (and storage growth) keeps
// walking as engine.h promises of an iterator without a snapshot: in order,
// within its bounds, every key present before and after the burst (and so
// all the time) once, no key absent before and after, each value an old or
// a new one. The entry it last returned stays readable across calls on the
// instance.
void iterate_while_writing(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("iter-write"));
  host::Keyspace ks = keyspace(*instance, "iter-write");
  auto key = [](int i) {
    std::string k = std::to_string(i);
    return "w" + std::string(3 - k.size(), '0') + k;
  };
  Model before;
  host::WriteBatch batch;
  for (int i = 0; i < 100; i += 2) {
    before[key(i)] = "old";
    batch.put(ks, key(i), "old");
  }
  instance->write(batch, false);
  Model after = before;
  for (bool reverse : {false, true}) {
    host::RangeSpec range{host::Bound{key(20), true}, host::Bound{key(80), false},
                          reverse};
    host::Iterator it = instance->iterate(ks, range);
    Entries seen;
    std::string_view k, v;
    expect(it.next(&k, &v), "the range is empty (" + describe(range) + ")");
    const std::string first_key(k), first_value(v);
    seen.emplace_back(k, v);
    host::WriteBatch burst;
    for (int i = 1; i < 100; i += 2) {
      burst.put(ks, key(i), reverse ? "new2" : "new");
      after[key(i)] = reverse ? "new2" : "new";
    }
    for (int i = 40; i < 60; ++i) {
      burst.del(ks, key(i));
      after.erase(key(i));
    }
    instance->write(burst, false);
    expect_eq(fill_storage(*instance, reverse ? "reverse" : "forward"), JORMUN_OK,
              "status of the writes that grow the storage");
    std::string read;
    instance->get(ks, first_key, &read);
    // Calls on the instance must not move the bytes the iterator handed out.
    expect(k == first_key && v == first_value,
           "the entry iter_next returned changed before the next call on the iterator");
    while (it.next(&k, &v)) seen.emplace_back(k, v);
    Model walked;
    for (size_t i = 0; i < seen.size(); ++i) {
      const std::string& sk = seen[i].first;
      expect(in_range(sk, range), "key " + printable(sk) + " outside " + describe(range));
      if (i > 0)
        expect(reverse ? sk < seen[i - 1].first : sk > seen[i - 1].first,
               "keys out of order or repeated: " + printable(seen[i - 1].first) +
                   " then " + printable(sk));
      auto b = before.find(sk), a = after.find(sk);
      expect((b != before.end() && b->second == seen[i].second) ||
                 (a != after.end() && a->second == seen[i].second),
             "entry " + printable(sk) + " matches neither the old nor the new state");
      walked.insert(seen[i]);
    }
    for (const auto& [bk, bv] : expected(before, range)) {
      bool throughout = after.count(bk) != 0;
      expect(!throughout || walked.count(bk) != 0,
             "key " + printable(bk) + ", present all the time, was not returned (" +
                 describe(range) + ")");
    }
    before = after;
  }
}

}  // namespace

void add_order_checks(Checks& checks) {
  checks.push_back(
      {"order: random binary keys and prefixes iterate in byte order, "
       "both directions",
       byte_order});
  checks.push_back(
      {"order: bounds none/inclusive/exclusive on both sides, both "
       "directions, empty ranges",
       bounds});
  checks.push_back(
      {"order: iter_next after the end keeps returning NOT_FOUND", next_after_end});
  checks.push_back(
      {"order: iterator created before writes and growth walks in order, bounded, "
       "keeps keys present throughout, its entry stable",
       iterate_while_writing});
}

}  // namespace jormun::check
