// Snapshot reads (JORMUN_CAP_SNAPSHOTS) and checkpoints
// (JORMUN_CAP_CHECKPOINT).
#include <algorithm>

#include "kit.h"

namespace jormun::check {
namespace {

void snapshot_reads(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("snapshot"));
  host::Keyspace ks = keyspace(*instance, "snap");
  host::WriteBatch before;
  before.put(ks, "changed", "old");
  before.put(ks, "deleted", "here");
  instance->write(before, false);
  Entries old_state = collect(*instance, ks);

  auto snapshot = instance->snapshot();
  expect(snapshot.has_value(), "no snapshot despite JORMUN_CAP_SNAPSHOTS");
  host::WriteBatch after;
  after.put(ks, "changed", "new");
  after.del(ks, "deleted");
  after.put(ks, "added", "later");
  instance->write(after, false);

  std::string value;
  expect(instance->get(ks, "changed", &value, &*snapshot) && value == "old",
         "get at the snapshot saw a later overwrite");
  expect(instance->get(ks, "deleted", &value, &*snapshot),
         "get at the snapshot saw a later delete");
  expect(!instance->get(ks, "added", &value, &*snapshot),
         "get at the snapshot saw a later put");
  for (bool reverse : {false, true}) {
    Entries seen = collect(*instance, ks, whole(reverse, &*snapshot));
    Entries want = old_state;
    if (reverse) std::reverse(want.begin(), want.end());
    expect(seen == want, "an iterator at the snapshot saw later writes");
  }
  expect(instance->get(ks, "changed", &value) && value == "new",
         "a read without the snapshot missed the latest write");
}

// An iterator at a snapshot reads exactly the snapshot's state through
// writes that change its range and then grow the engine's storage. While the
// snapshot is held, growing writes may answer NO_SPACE (LMDB cannot remap its
// map under a snapshot), nothing else; once it is released they succeed.
void snapshot_through_growth(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("snapshot-growth"));
  host::Keyspace ks = keyspace(*instance, "snap");
  host::WriteBatch before;
  for (int i = 100; i < 150; ++i) before.put(ks, "k" + std::to_string(i), "old");
  instance->write(before, false);
  Entries old_state = collect(*instance, ks);

  auto snapshot = instance->snapshot();
  expect(snapshot.has_value(), "no snapshot despite JORMUN_CAP_SNAPSHOTS");
  for (bool reverse : {false, true}) {
    host::Iterator it = instance->iterate(ks, whole(reverse, &*snapshot));
    Entries seen;
    std::string_view k, v;
    expect(it.next(&k, &v), "an iterator at the snapshot is empty");
    seen.emplace_back(k, v);
    host::WriteBatch change;
    for (int i = 100; i < 150; i += 2) change.put(ks, "k" + std::to_string(i), "new");
    for (int i = 101; i < 150; i += 4) change.del(ks, "k" + std::to_string(i));
    for (int i = 200; i < 230; ++i) change.put(ks, "k" + std::to_string(i), "added");
    instance->write(change, false);
    jormun_status s = fill_storage(*instance, reverse ? "held-reverse" : "held");
    expect(s == JORMUN_OK || s == JORMUN_NO_SPACE,
           "a write while a snapshot is held gave status " + std::to_string(s));
    while (it.next(&k, &v)) seen.emplace_back(k, v);
    Entries want = old_state;
    if (reverse) std::reverse(want.begin(), want.end());
    expect(seen == want, "an iterator at the snapshot saw later writes or growth");
  }
  std::string value;
  expect(instance->get(ks, "k100", &value, &*snapshot) && value == "old",
         "get at the snapshot saw a later write");
  snapshot.reset();
  expect_eq(fill_storage(*instance, "released"), JORMUN_OK,
            "status of a growing write after the snapshot was released");
}

void checkpoint(Kit& kit) {
  auto instance = kit.open(kit.fresh_dir("checkpoint-source"));
  host::Keyspace a = keyspace(*instance, "a");
  host::Keyspace b = keyspace(*instance, "b");
  host::WriteBatch batch;
  for (int i = 0; i < 100; ++i) {
    batch.put(a, "a" + std::to_string(i), std::string(i * 10, 'a'));
    batch.put(b, "b" + std::to_string(i), std::to_string(i));
  }
  instance->write(batch, false);
  Entries a_state = collect(*instance, a), b_state = collect(*instance, b);

  auto target = kit.unused_path("checkpoint");
  instance->checkpoint(target.string());
  host::WriteBatch later;
  later.put(a, "after-checkpoint", "x");
  instance->write(later, false);

  auto copy = kit.open(target);
  auto ca = copy->keyspace("a", false), cb = copy->keyspace("b", false);
  expect(ca && cb, "the checkpoint lacks a keyspace");
  expect(collect(*copy, *ca) == a_state, "keyspace a differs in the checkpoint");
  expect(collect(*copy, *cb) == b_state, "keyspace b differs in the checkpoint");

  auto existing = kit.fresh_dir("checkpoint-existing");
  jormun_status s = status_of([&] { instance->checkpoint(existing.string()); });
  expect(s != JORMUN_OK && s != JORMUN_NOT_FOUND,
         "checkpoint into an existing directory gave status " + std::to_string(s));
}

}  // namespace

void add_snapshot_checks(Checks& checks) {
  checks.push_back({"snapshot: get and iterators at a snapshot ignore later writes",
                    snapshot_reads, JORMUN_CAP_SNAPSHOTS});
  checks.push_back(
      {"snapshot: iterators at a snapshot keep its state through writes and growth",
       snapshot_through_growth, JORMUN_CAP_SNAPSHOTS});
  checks.push_back({"checkpoint: copy opens with the same data; existing target fails",
                    checkpoint, JORMUN_CAP_CHECKPOINT});
}

}  // namespace jormun::check
