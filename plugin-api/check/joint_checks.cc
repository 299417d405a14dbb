// ABI 1.4: batches of several instances written as one (write_joint,
// JORMUN_CAP_JOINT_WRITES).
#include <vector>

#include "kit.h"

namespace jormun::check {
namespace {

using Joint = std::vector<host::Instance::JointPart>;

// write_joint's status; a joint write the engine declines for these
// instances fails the check (the kit opens them alike, side by side).
jormun_status joint_status(const Joint& parts) {
  bool written = false;
  const jormun_status s =
      status_of([&] { written = host::Instance::write_joint(parts, false); });
  if (s == JORMUN_OK && !written)
    throw CheckFailed("the engine declined a joint write over two of its instances");
  return s;
}

// Two instances opened as the host opens two tables, a keyspace each.
struct Pair {
  Pair(Kit& kit, const std::string& name)
      : a(kit.open(kit.fresh_dir(name + "-a"))),
        b(kit.open(kit.fresh_dir(name + "-b"))),
        ka(keyspace(*a, "items")),
        kb(keyspace(*b, "items")) {}
  std::unique_ptr<host::Instance> a, b;
  host::Keyspace ka, kb;
};

void applies_every_part(Kit& kit) {
  Pair p(kit, "joint-apply");
  host::WriteBatch seed;
  seed.put(p.ka, "x", "1");
  p.a->write(seed, false);

  host::WriteBatch in_a, in_b;
  in_a.expect(p.ka, "x", "1");
  in_a.put(p.ka, "x", "2");
  in_a.del(p.ka, "x-old");
  in_b.expect(p.kb, "y", std::nullopt);
  in_b.put(p.kb, "y", "made");
  expect_eq(joint_status({{p.a.get(), &in_a}, {p.b.get(), &in_b}}), JORMUN_OK,
            "a joint write whose preconditions hold");
  expect(value_of(*p.a, p.ka, "x") == "2", "the first instance's part is not applied");
  expect(value_of(*p.b, p.kb, "y") == "made", "the second instance's part is not applied");

  // A part with a precondition only (a read-only dependency) and a synced
  // write.
  host::WriteBatch depends, writes;
  depends.expect(p.ka, "x", "2");
  writes.put(p.kb, "y", "again");
  expect_eq(status_of([&] {
              host::Instance::write_joint({{p.a.get(), &depends}, {p.b.get(), &writes}},
                                          true);
            }),
            JORMUN_OK, "a synced joint write depending on a key of the other instance");
  expect(value_of(*p.b, p.kb, "y") == "again", "the dependent part is not applied");
}

void conflict_applies_nothing(Kit& kit) {
  Pair p(kit, "joint-conflict");
  host::WriteBatch seed_a, seed_b;
  seed_a.put(p.ka, "x", "a1");
  seed_b.put(p.kb, "y", "b1");
  p.a->write(seed_a, false);
  p.b->write(seed_b, false);
  // The first part holds, the second does not: neither is applied, in
  // either order of the parts.
  for (bool failing_last : {true, false}) {
    host::WriteBatch holds, fails;
    holds.expect(p.ka, "x", "a1");
    holds.put(p.ka, "x", "a2");
    holds.put(p.ka, "new", "v");
    fails.expect(p.kb, "y", "b0");
    fails.put(p.kb, "y", "b2");
    const Joint parts = failing_last ? Joint{{p.a.get(), &holds}, {p.b.get(), &fails}}
                                     : Joint{{p.b.get(), &fails}, {p.a.get(), &holds}};
    const std::string when = failing_last ? " (failing part last)" : " (failing part first)";
    expect_eq(joint_status(parts), JORMUN_CONFLICT, "a joint write with a stale part" + when);
    expect(value_of(*p.a, p.ka, "x") == "a1", "the holding part was applied" + when);
    expect(!value_of(*p.a, p.ka, "new"), "the holding part's put was applied" + when);
    expect(value_of(*p.b, p.kb, "y") == "b1", "the failing part was applied" + when);
  }
}

void refuses_bad_parts(Kit& kit) {
  Pair p(kit, "joint-bad");
  host::WriteBatch one, two;
  one.put(p.ka, "k", "1");
  two.put(p.ka, "k2", "2");
  expect_eq(status_of([&] {
              host::Instance::write_joint({{p.a.get(), &one}, {p.a.get(), &two}}, false);
            }),
            JORMUN_INVALID_ARGUMENT, "one instance in two parts");
  char text[128] = {0};
  jormun_error err{text, sizeof text};
  expect_eq(kit.api().write_joint(nullptr, 0, 0, &err), JORMUN_INVALID_ARGUMENT,
            "no parts");
  expect(!value_of(*p.a, p.ka, "k") && !value_of(*p.a, p.ka, "k2"),
         "a refused joint write applied a part");
}

// Threads move one unit from a counter in one instance to a counter in the
// other by read, compute, joint checked write, and read again on a
// conflict: the counters are exact only if the joint write is one step.
void concurrent_transfers(Kit& kit) {
  constexpr int kThreads = 4;
  constexpr int kMoves = 25;
  Pair p(kit, "joint-race");
  const std::string key = sharded_key(5, "counter");
  const int conflicts = until_applied(kThreads, kMoves, [&] {
    std::optional<std::string> in_a = value_of(*p.a, p.ka, key);
    std::optional<std::string> in_b = value_of(*p.b, p.kb, key);
    host::WriteBatch wa, wb;
    wa.expect(p.ka, key, in_a);
    wa.put(p.ka, key, std::to_string((in_a ? std::stol(*in_a) : 0) - 1));
    wb.expect(p.kb, key, in_b);
    wb.put(p.kb, key, std::to_string((in_b ? std::stol(*in_b) : 0) + 1));
    return joint_status({{p.a.get(), &wa}, {p.b.get(), &wb}});
  });
  const std::string n = std::to_string(kThreads * kMoves);
  const std::string after = " after " + std::to_string(conflicts) + " conflicts";
  expect(value_of(*p.a, p.ka, key) == "-" + n, "the first counter is not -" + n + after);
  expect(value_of(*p.b, p.kb, key) == n, "the second counter is not " + n + after);
}

}  // namespace

void add_joint_checks(Checks& checks) {
  checks.push_back({"joint writes: parts of two instances apply together",
                    applies_every_part, JORMUN_CAP_JOINT_WRITES});
  checks.push_back({"joint writes: a stale part is a conflict, no part applied",
                    conflict_applies_nothing, JORMUN_CAP_JOINT_WRITES});
  checks.push_back({"joint writes: no parts, or an instance twice, is refused",
                    refuses_bad_parts, JORMUN_CAP_JOINT_WRITES});
  checks.push_back({"joint writes: 4 threads x 25 moves between two instances stay exact",
                    concurrent_transfers, JORMUN_CAP_JOINT_WRITES});
}

}  // namespace jormun::check
