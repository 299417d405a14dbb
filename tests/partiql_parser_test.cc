#include <gtest/gtest.h>

#include "common/api_error.h"
#include "partiql/lexer.h"
#include "partiql/parser.h"

namespace jormun::partiql {
namespace {

using Kind = Expr::Kind;

std::string error_of(std::string_view statement) {
  try {
    parse(statement);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "ValidationException");
    return e.message();
  }
  return "(parsed)";
}

TEST(PartiqlLexer, StringsAndNamesUndoTheirDoubledQuotes) {
  auto t = tokenize(R"(SELECT "a""b" FROM 'it''s' -- a comment
  <<1.5e-3>> != ?)");
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[1].type, Token::Type::kQuoted);
  EXPECT_EQ(t[1].text, "a\"b");
  EXPECT_EQ(t[3].type, Token::Type::kString);
  EXPECT_EQ(t[3].text, "it's");
  EXPECT_TRUE(t[4].is_punct("<<"));
  EXPECT_EQ(t[5].type, Token::Type::kNumber);
  EXPECT_EQ(t[5].text, "1.5e-3");
  EXPECT_TRUE(t[6].is_punct(">>"));
  EXPECT_TRUE(t[7].is_punct("!="));
  EXPECT_EQ(t[8].type, Token::Type::kParameter);
  EXPECT_EQ(t[9].type, Token::Type::kEof);
}

TEST(PartiqlLexer, AnUnterminatedStringIsInvalid) {
  auto t = tokenize("'abc");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].type, Token::Type::kInvalid);
}

TEST(PartiqlParser, SelectWithIndexProjectionAndOrder) {
  Statement s = parse(R"(select a.b[2].c, "x y" from "T"."I" where pk = ? order by sk desc)");
  EXPECT_EQ(s.kind, Statement::Kind::kSelect);
  EXPECT_EQ(s.table, "T");
  EXPECT_EQ(s.index, "I");
  ASSERT_EQ(s.projection.size(), 2u);
  ASSERT_EQ(s.projection[0].size(), 4u);
  EXPECT_EQ(s.projection[0][2].index, 2u);
  EXPECT_EQ(s.projection[1][0].name, "x y");
  EXPECT_TRUE(s.descending);
  EXPECT_EQ(s.parameters, 1u);
}

TEST(PartiqlParser, AndBindsTighterThanOrAndNotTighterThanAnd) {
  Statement s = parse("SELECT * FROM t WHERE a = 1 OR NOT b = 2 AND c = 3");
  ASSERT_TRUE(s.where);
  ASSERT_EQ(s.where->kind, Kind::kOr);
  ASSERT_EQ(s.where->args.size(), 2u);
  EXPECT_EQ(s.where->args[0].kind, Kind::kCompare);
  const Expr& right = s.where->args[1];
  ASSERT_EQ(right.kind, Kind::kAnd);
  EXPECT_EQ(right.args[0].kind, Kind::kNot);
  EXPECT_EQ(right.args[1].kind, Kind::kCompare);
}

TEST(PartiqlParser, PredicatesAndFunctions) {
  Statement s = parse(
      "SELECT * FROM t WHERE a BETWEEN 1 AND 2 AND b NOT IN [1, 2] AND c IS NOT MISSING "
      "AND BEGINS_WITH(d, 'x') AND size(e) > 3 AND f != 'g'");
  ASSERT_EQ(s.where->kind, Kind::kAnd);
  const auto& a = s.where->args;
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0].kind, Kind::kBetween);
  EXPECT_EQ(a[1].kind, Kind::kNot);
  EXPECT_EQ(a[1].args[0].kind, Kind::kIn);
  EXPECT_EQ(a[1].args[0].args.size(), 3u);
  EXPECT_EQ(a[2].kind, Kind::kIs);
  EXPECT_EQ(a[2].op, "NOT MISSING");
  EXPECT_EQ(a[3].kind, Kind::kCall);
  EXPECT_EQ(a[3].op, "begins_with");
  EXPECT_EQ(a[4].args[0].kind, Kind::kCall);
  EXPECT_EQ(a[5].op, "<>");
}

TEST(PartiqlParser, InsertLiterals) {
  Statement s = parse(
      "INSERT INTO t VALUE {'s': 'it''s', 'n': -12.5, 'b': TRUE, 'z': null, 'l': [1, [2]], "
      "'m': {'k': <<'a', 'b'>>}, 'p': ?, 'gone': MISSING}");
  EXPECT_EQ(s.kind, Statement::Kind::kInsert);
  const Value& v = s.item;
  ASSERT_EQ(v.kind, Value::Kind::kMap);
  ASSERT_EQ(v.keys.size(), 8u);
  EXPECT_EQ(v.items[0].text, "it's");
  EXPECT_EQ(v.items[1].kind, Value::Kind::kNumber);
  EXPECT_EQ(v.items[1].text, "-12.5");
  EXPECT_TRUE(v.items[2].boolean);
  EXPECT_EQ(v.items[3].kind, Value::Kind::kNull);
  EXPECT_EQ(v.items[4].items[1].kind, Value::Kind::kList);
  EXPECT_EQ(v.items[5].items[0].kind, Value::Kind::kSet);
  EXPECT_EQ(v.items[6].kind, Value::Kind::kParameter);
  EXPECT_EQ(v.items[7].kind, Value::Kind::kMissing);
  EXPECT_EQ(s.parameters, 1u);
}

TEST(PartiqlParser, UpdateWithSeveralClausesAndReturning) {
  Statement s = parse(
      "UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c SET d = -2 WHERE pk = ? "
      "RETURNING MODIFIED OLD *");
  EXPECT_EQ(s.kind, Statement::Kind::kUpdate);
  ASSERT_EQ(s.set.size(), 3u);
  EXPECT_EQ(s.set[0].value.kind, Kind::kArithmetic);
  EXPECT_EQ(s.set[1].value.kind, Kind::kCall);
  EXPECT_EQ(s.set[2].value.value.text, "-2");
  ASSERT_EQ(s.remove.size(), 1u);
  EXPECT_EQ(s.returning, Statement::Returning::kUpdatedOld);
}

TEST(PartiqlParser, DeleteAndExists) {
  Statement d = parse("DELETE FROM \"t\" WHERE pk = 'a' RETURNING ALL OLD *;");
  EXPECT_EQ(d.kind, Statement::Kind::kDelete);
  EXPECT_EQ(d.returning, Statement::Returning::kAllOld);
  Statement e = parse("EXISTS(SELECT * FROM t WHERE pk = 'a' AND v > 1)");
  EXPECT_EQ(e.kind, Statement::Kind::kExists);
}

TEST(PartiqlParser, SyntaxErrors) {
  const std::string prefix(kMalformed);
  EXPECT_EQ(error_of("MERGE INTO t"), prefix + "Expected data manipulation");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE"), prefix + "Unexpected end of statement");
  EXPECT_EQ(error_of("SELECT * FROM t x"), prefix + "Unexpected token 'x' at position 17");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 'x"),
            prefix + "Invalid token at position 27: 'x");
  EXPECT_EQ(error_of("UPDATE t WHERE pk = 1"), prefix + "Unexpected token 'WHERE' at position 10");
  EXPECT_EQ(error_of("INSERT INTO t VALUE {a: 1}"),
            prefix + "Unexpected token 'a' at position 22");
  EXPECT_EQ(error_of("SELECT a[99999999999] FROM t"),
            prefix + "Unexpected token '99999999999' at position 10");
}

TEST(PartiqlParser, DepthIsBounded) {
  std::string deep = "SELECT * FROM t WHERE " + std::string(500, '(') + "a = 1" +
                     std::string(500, ')');
  EXPECT_EQ(error_of(deep), std::string(kMalformed) + "Statement nests too deeply");
  std::string nots = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 500; ++i) nots += "NOT ";
  EXPECT_EQ(error_of(nots + "a = 1"), std::string(kMalformed) + "Statement nests too deeply");
  std::string lists = "INSERT INTO t VALUE {'a': " + std::string(500, '[') + std::string(500, ']');
  EXPECT_EQ(error_of(lists + "}"), std::string(kMalformed) + "Statement nests too deeply");
}

}  // namespace
}  // namespace jormun::partiql
