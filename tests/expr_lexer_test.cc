#include <gtest/gtest.h>

#include "expr/lexer.h"
#include "expr/reserved_words.h"

namespace jormun::expr {
namespace {

TEST(Lexer, TokenTypesAndOffsets) {
  const std::vector<Token> t = tokenize("a.b[12] <> #n AND :v_1>=x");
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[0].type, Token::Type::kIdentifier);
  EXPECT_TRUE(t[1].is_punct("."));
  EXPECT_EQ(t[4].type, Token::Type::kNumber);
  EXPECT_EQ(t[4].text, "12");
  EXPECT_TRUE(t[6].is_punct("<>"));
  EXPECT_EQ(t[7].type, Token::Type::kName);
  EXPECT_EQ(t[7].text, "#n");
  EXPECT_TRUE(t[8].is_keyword("AND"));
  EXPECT_EQ(t[9].type, Token::Type::kValue);
  EXPECT_EQ(t[9].text, ":v_1");
  EXPECT_TRUE(t[10].is_punct(">="));
  EXPECT_EQ(t[12].type, Token::Type::kEof);
  EXPECT_EQ(t[12].text, "<EOF>");
  EXPECT_EQ(t[12].begin, 25u);
}

TEST(Lexer, UnknownCharactersBecomeSingleInvalidTokens) {
  const std::vector<Token> t = tokenize("_a \xC3\xA9 $");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].type, Token::Type::kInvalid);
  EXPECT_EQ(t[0].text, "_");
  EXPECT_EQ(t[1].text, "a");
  EXPECT_EQ(t[2].type, Token::Type::kInvalid);
  EXPECT_EQ(t[2].text, "\xC3\xA9");
  EXPECT_EQ(t[3].text, "$");
}

TEST(Lexer, ALoneSigilIsNoPlaceholder) {
  const std::vector<Token> t = tokenize("# = :");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].type, Token::Type::kInvalid);
  EXPECT_EQ(t[0].text, "#");
  EXPECT_EQ(t[2].type, Token::Type::kInvalid);
  EXPECT_EQ(t[2].text, ":");
  EXPECT_EQ(tokenize("#_")[0].type, Token::Type::kName);
  EXPECT_EQ(tokenize(":1")[0].type, Token::Type::kValue);
}

TEST(ReservedWords, CaseInsensitiveAndComplete) {
  EXPECT_TRUE(is_reserved_word("status"));
  EXPECT_TRUE(is_reserved_word("StAtUs"));
  EXPECT_TRUE(is_reserved_word("ABORT"));
  EXPECT_TRUE(is_reserved_word("zone"));
  EXPECT_TRUE(is_reserved_word("flattern"));
  EXPECT_FALSE(is_reserved_word("statuses"));
  EXPECT_FALSE(is_reserved_word("begins_with"));
  EXPECT_FALSE(is_reserved_word(""));
}

}  // namespace
}  // namespace jormun::expr
