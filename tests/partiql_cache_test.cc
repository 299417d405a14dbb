#include <gtest/gtest.h>

#include "common/api_error.h"
#include "common/text_cache.h"
#include "partiql/parser.h"

namespace jormun::partiql {
namespace {

TEST(PartiqlStatementCache, TheSameTextIsParsedOnce) {
  common::TextCache cache(8);
  const std::string text = R"(SELECT * FROM "t" WHERE pk = ? AND sk = ?)";
  auto a = parse_cached(text, cache);
  auto b = parse_cached(std::string(text), cache);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->parameters, 2u);
  EXPECT_EQ(a->table, "t");
  // The text is the key: a statement that differs only in case is another
  // entry, though it parses to an equal tree.
  auto c = parse_cached(R"(select * from "t" where pk = ? and sk = ?)", cache);
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(PartiqlStatementCache, SyntaxErrorsAreThrownEveryTimeAndNotCached) {
  common::TextCache cache(8);
  for (int i = 0; i < 2; ++i)
    EXPECT_THROW(parse_cached(R"(SELECT * FROM "t" WHERE)", cache), ApiError);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PartiqlStatementCache, KeepsTheMostRecentlyUsedWithinItsCapacity) {
  common::TextCache cache(2);
  auto a = parse_cached(R"(SELECT * FROM "a")", cache);
  parse_cached(R"(SELECT * FROM "b")", cache);
  parse_cached(R"(SELECT * FROM "a")", cache);  // "a" is now the most recent
  parse_cached(R"(SELECT * FROM "c")", cache);  // drops "b"
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(parse_cached(R"(SELECT * FROM "a")", cache).get(), a.get());
}

TEST(PartiqlStatementCache, TheSharedCacheServesTheOperations) {
  const std::string text = R"(DELETE FROM "shared_cache_test" WHERE pk = ?)";
  EXPECT_EQ(parse_cached(text).get(), parse_cached(text).get());
  EXPECT_EQ(statement_table(text), "shared_cache_test");
}

}  // namespace
}  // namespace jormun::partiql
