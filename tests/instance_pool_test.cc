// Tables that open lazily and close when idle (storage/instance_pool.h).
#include "storage/instance_pool.h"

#include <gtest/gtest.h>

#include "rocksdb_table_util.h"

namespace jormun::storage {
namespace {

std::shared_ptr<Table> lazy_table(const std::string& name, const std::filesystem::path& dir,
                                  InstancePool* pool, int* opens) {
  std::filesystem::create_directories(dir);
  auto library = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so");
  return std::make_shared<Table>(
      test::pk_schema(name, false), library,
      [library, dir, opens] {
        ++*opens;
        return host::Instance::open(library, dir.string(), {});
      },
      pool);
}

model::Item item(const std::string& pk, const std::string& v) {
  model::Item i;
  i["pk"] = model::AttributeValue(pk);
  i["v"] = model::AttributeValue(v);
  return i;
}

TEST(InstancePool, BudgetLeavesRoomForConnections) {
  EXPECT_EQ(InstancePool::budget_for_limit(256, 0), 192u);
  EXPECT_EQ(InstancePool::budget_for_limit(1u << 20, 0), 768u);
  EXPECT_EQ(InstancePool::budget_for_limit(1u << 20, 4000), 3000u);
  EXPECT_EQ(InstancePool::budget_for_limit(40, 0), 16u);
}

TEST(InstancePool, IdleTablesCloseAndReopenOnUseKeepingTheirData) {
  auto dir = test::fresh_test_dir("pool");
  InstancePool pool(1, 0);
  int opens_a = 0, opens_b = 0;
  auto a = lazy_table("a", dir / "a", &pool, &opens_a);
  auto b = lazy_table("b", dir / "b", &pool, &opens_b);
  EXPECT_FALSE(a->is_open());  // lazily: nothing opened yet
  {
    WriteSet set;
    set.stage(*a, test::pk_key("x"), test::put_mutation(item("x", "1")));
    set.commit();
  }
  EXPECT_TRUE(a->is_open());
  {
    WriteSet set;
    set.stage(*b, test::pk_key("y"), test::put_mutation(item("y", "2")));
    set.commit();
  }
  // One table at a time: using b closed a.
  EXPECT_FALSE(a->is_open());
  EXPECT_EQ(pool.open_tables(), 1u);
  auto got = a->get(test::pk_key("x"));
  ASSERT_TRUE(got);
  EXPECT_EQ(opens_a, 2);
  EXPECT_FALSE(b->is_open());
  EXPECT_TRUE(b->get(test::pk_key("y")).has_value());
  // A lease keeps a table open whatever else is used.
  Table::Lease hold = a->lease();
  EXPECT_TRUE(b->get(test::pk_key("y")).has_value());
  EXPECT_TRUE(a->is_open());
  EXPECT_FALSE(a->close_if_idle());
}

// The descriptors are listed only now and then (instance_pool.cc): the
// estimates in between must still keep the process inside its budget.
TEST(InstancePool, ManyTablesUsedInTurnStayInsideTheFileBudget) {
  auto dir = test::fresh_test_dir("pool-files");
  const size_t budget = InstancePool::open_descriptors() + 40;
  InstancePool pool(0, budget);
  std::vector<std::shared_ptr<Table>> tables;
  std::vector<int> opens(20);
  for (size_t i = 0; i < opens.size(); ++i)
    tables.push_back(lazy_table("t" + std::to_string(i), dir / std::to_string(i), &pool,
                                &opens[i]));
  size_t most = 0;
  for (int round = 0; round < 2; ++round)
    for (size_t i = 0; i < tables.size(); ++i) {
      const std::string key = "k" + std::to_string(round);
      WriteSet set;
      set.stage(*tables[i], test::pk_key(key), test::put_mutation(item(key, "v")));
      set.commit();
      most = std::max(most, InstancePool::open_descriptors());
    }
  EXPECT_LE(most, budget);
  EXPECT_LT(pool.open_tables(), tables.size());  // some had to close
  for (const auto& t : tables) EXPECT_TRUE(t->get(test::pk_key("k0")).has_value());
}

}  // namespace
}  // namespace jormun::storage
