// Snapshot reads (JORMUN_CAP_SNAPSHOTS) and checkpoints
// (JORMUN_CAP_CHECKPOINT).
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
  checks.push_back({"checkpoint: copy opens with the same data; existing target fails",
                    checkpoint, JORMUN_CAP_CHECKPOINT});
}

}  // namespace jormun::check
