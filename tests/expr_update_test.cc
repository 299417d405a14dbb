#include <gtest/gtest.h>

#include "expr/expressions.h"
#include "expr/parser.h"
#include "expr/projection.h"
#include "expr/update_applier.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::error_of;
using test_util::item;
using test_util::to_json;
using test_util::values;

UpdateExpression prepared(std::string_view update, std::string_view vals_json) {
  AttributeValues vals = values(vals_json);
  RequestExpressions in;
  in.update = update;
  if (!vals.empty()) in.values = &vals;
  return *prepare_expressions(in).update;
}

// The new item, as JSON, after applying `update` to `before`.
std::string apply(std::string_view before, std::string_view update,
                  std::string_view vals_json = "{}") {
  const model::Item old = item(before);
  return to_json(apply_update(prepared(update, vals_json), &old, {}).item);
}

std::string apply_error(std::string_view before, std::string_view update,
                        std::string_view vals_json = "{}") {
  const model::Item old = item(before);
  return error_of([&] { apply_update(prepared(update, vals_json), &old, {}); });
}

TEST(UpdateApplier, SetTopLevelAndNested) {
  EXPECT_EQ(apply(R"({})", "SET a = :v", R"({":v":{"S":"x"}})"), R"({"a":{"S":"x"}})");
  EXPECT_EQ(apply(R"({"m":{"M":{"x":{"N":"1"}}}})", "SET m.y = :v, m.x = :w",
                  R"({":v":{"S":"y"},":w":{"N":"2"}})"),
            R"({"m":{"M":{"x":{"N":"2"},"y":{"S":"y"}}}})");
  EXPECT_EQ(apply(R"({"l":{"L":[{"N":"1"},{"N":"2"}]}})", "SET l[0] = :v",
                  R"({":v":{"N":"9"}})"),
            R"({"l":{"L":[{"N":"9"},{"N":"2"}]}})");
}

// The appended element is not at the index written, and the updated path
// stays as written, so UPDATED_NEW shows nothing for it (as in DynamoDB).
TEST(UpdateApplier, SetPastTheEndAppends) {
  const model::Item old = item(R"({"l":{"L":[{"N":"1"}]}})");
  UpdateResult r =
      apply_update(prepared("SET l[7] = :v", R"({":v":{"N":"3"}})"), &old, {});
  EXPECT_EQ(to_json(r.item), R"({"l":{"L":[{"N":"1"},{"N":"3"}]}})");
  ASSERT_EQ(r.updated_paths.size(), 1u);
  EXPECT_EQ(path_to_string(r.updated_paths[0]), "[l, [7]]");
  EXPECT_EQ(to_json(project(r.item, r.updated_paths)), "{}");
}

TEST(UpdateApplier, AppendsPastTheEndInIndexOrder) {
  EXPECT_EQ(
      apply(R"({"a":{"L":[{"S":"a0"}]}})",
            "SET a[84] = :v1, a[37] = :v2, a[17] = :v3, a[50] = :v4",
            R"({":v1":{"S":"a1"},":v2":{"S":"a2"},":v3":{"S":"a3"},":v4":{"S":"a4"}})"),
      R"({"a":{"L":[{"S":"a0"},{"S":"a3"},{"S":"a2"},{"S":"a4"},{"S":"a1"}]}})");
  // In-range writes and appends mix; the other list is independent.
  EXPECT_EQ(apply(R"({"a":{"L":[{"N":"0"},{"N":"1"}]},"b":{"L":[]}})",
                  "SET b[9] = :x, a[5] = :x, a[0] = :y, a[3] = :y, b[2] = :y",
                  R"({":x":{"S":"x"},":y":{"S":"y"}})"),
            R"({"a":{"L":[{"S":"y"},{"N":"1"},{"S":"y"},{"S":"x"}]},)"
            R"("b":{"L":[{"S":"y"},{"S":"x"}]}})");
}

TEST(UpdateApplier, ValuesComeFromTheOldItem) {
  EXPECT_EQ(apply(R"({"a":{"N":"1"},"b":{"N":"2"}})", "SET a = b, b = a"),
            R"({"a":{"N":"2"},"b":{"N":"1"}})");
}

TEST(UpdateApplier, Arithmetic) {
  EXPECT_EQ(apply(R"({"n":{"N":"10"}})", "SET n = n + :d", R"({":d":{"N":"0.5"}})"),
            R"({"n":{"N":"10.5"}})");
  EXPECT_EQ(apply(R"({"n":{"N":"10"}})", "SET n = :d - n", R"({":d":{"N":"3"}})"),
            R"({"n":{"N":"-7"}})");
  EXPECT_EQ(apply_error(R"({"n":{"S":"10"}})", "SET n = n + :d", R"({":d":{"N":"1"}})"),
            "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(
      apply_error(R"({})", "SET n = n + :d", R"({":d":{"N":"1"}})"),
      "The provided expression refers to an attribute that does not exist in the item");
  EXPECT_NE(apply_error(R"({"n":{"N":"9.9999999999999999999999999999999999999E+125"}})",
                        "SET n = n + n"),
            "");
}

TEST(UpdateApplier, IfNotExistsAndListAppend) {
  const char* v = R"({":z":{"N":"0"},":l":{"L":[{"S":"c"}]}})";
  EXPECT_EQ(apply(R"({})", "SET n = if_not_exists(n, :z), l = list_append(:l, :l)", v),
            R"({"l":{"L":[{"S":"c"},{"S":"c"}]},"n":{"N":"0"}})");
  EXPECT_EQ(apply(R"({"n":{"N":"5"},"l":{"L":[{"S":"a"}]}})",
                  "SET n = if_not_exists(n, :z), l = list_append(l, :l)", v),
            R"({"l":{"L":[{"S":"a"},{"S":"c"}]},"n":{"N":"5"}})");
  EXPECT_EQ(apply_error(R"({"l":{"S":"a"}})", "SET l = list_append(l, :l)",
                        R"({":l":{"L":[]}})"),
            "An operand in the update expression has an incorrect data type");
}

TEST(UpdateApplier, InvalidDocumentPaths) {
  const char* v = R"({":v":{"N":"1"}})";
  const char* invalid =
      "The document path provided in the update expression is invalid for update";
  EXPECT_EQ(apply_error(R"({})", "SET m.x = :v", v), invalid);
  EXPECT_EQ(apply_error(R"({"m":{"S":"s"}})", "SET m.x = :v", v), invalid);
  EXPECT_EQ(apply_error(R"({"m":{"M":{}}})", "SET m[0] = :v", v), invalid);
  EXPECT_EQ(apply_error(R"({"l":{"L":[]}})", "SET l.x = :v", v), invalid);
  EXPECT_EQ(apply_error(R"({"l":{"L":[]}})", "SET l[0].x = :v", v), invalid);
}

TEST(UpdateApplier, Remove) {
  EXPECT_EQ(apply(R"({"a":{"N":"1"},"b":{"N":"2"}})", "REMOVE a, c"),
            R"({"b":{"N":"2"}})");
  EXPECT_EQ(apply(R"({"l":{"L":[{"N":"0"},{"N":"1"},{"N":"2"},{"N":"3"}]}})",
                  "REMOVE l[1], l[3], l[9]"),
            R"({"l":{"L":[{"N":"0"},{"N":"2"}]}})");
  EXPECT_EQ(apply(R"({"m":{"M":{"x":{"N":"1"},"y":{"N":"2"}}}})", "REMOVE m.x, m.z"),
            R"({"m":{"M":{"y":{"N":"2"}}}})");
}

TEST(UpdateApplier, RemoveUnderAMissingAttribute) {
  const char* invalid =
      "The document path provided in the update expression is invalid for update";
  EXPECT_EQ(apply_error(R"({"k":{"S":"v"}})", "REMOVE q.r"), invalid);
  EXPECT_EQ(apply_error(R"({"k":{"S":"v"}})", "REMOVE q[0]"), invalid);
  EXPECT_EQ(apply_error(R"({"a":{"S":"hello"}})", "REMOVE a[0]"), invalid);
  EXPECT_EQ(apply_error(R"({"b":{"L":[{"S":"hi"}]}})", "REMOVE b.c"), invalid);
  // ... which DynamoDB ignores when the item does not exist.
  const model::Item key = item(R"({"pk":{"S":"k"}})");
  UpdateResult r = apply_update(prepared("REMOVE x.y, z[0]", "{}"), nullptr, key);
  EXPECT_EQ(to_json(r.item), R"({"pk":{"S":"k"}})");
}

TEST(UpdateApplier, NewItemStartsAsItsKey) {
  const model::Item key = item(R"({"pk":{"S":"k"}})");
  EXPECT_EQ(to_json(apply_update(prepared("SET dup = pk", "{}"), nullptr, key).item),
            R"({"dup":{"S":"k"},"pk":{"S":"k"}})");
  EXPECT_EQ(
      error_of([&] { apply_update(prepared("SET c = b", "{}"), nullptr, key); }),
      "The provided expression refers to an attribute that does not exist in the item");
  EXPECT_EQ(error_of([&] { apply_update(prepared("SET b.a = pk", "{}"), nullptr, key); }),
            "The document path provided in the update expression is invalid for update");
}

TEST(UpdateApplier, AddNumbersAndSets) {
  EXPECT_EQ(apply(R"({"n":{"N":"1"}})", "ADD n :d, c :d", R"({":d":{"N":"2"}})"),
            R"({"c":{"N":"2"},"n":{"N":"3"}})");
  EXPECT_EQ(apply(R"({"s":{"SS":["b","c"]}})", "ADD s :s", R"({":s":{"SS":["a","c"]}})"),
            R"({"s":{"SS":["a","b","c"]}})");
  EXPECT_EQ(apply_error(R"({"s":{"SS":["b"]}})", "ADD s :s", R"({":s":{"NS":["1"]}})"),
            "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(apply_error(R"({"s":{"S":"b"}})", "ADD s :n", R"({":n":{"N":"1"}})"),
            "An operand in the update expression has an incorrect data type");
}

TEST(UpdateApplier, AddAndDeleteOnNestedPaths) {
  EXPECT_EQ(apply(R"({"a":{"M":{"d":{"L":[{"S":"e"},{"SS":["g"]}]}}}})",
                  "ADD a.d[1] :s, a.n :n", R"({":s":{"SS":["l"]},":n":{"N":"1"}})"),
            R"({"a":{"M":{"d":{"L":[{"S":"e"},{"SS":["g","l"]}]},"n":{"N":"1"}}}})");
  EXPECT_EQ(apply(R"({"a":{"M":{"s":{"NS":["1"]}}}})", "DELETE a.s :s",
                  R"({":s":{"NS":["1"]}})"),
            R"({"a":{"M":{}}})");
  EXPECT_EQ(apply_error(R"({})", "ADD a.n :n", R"({":n":{"N":"1"}})"),
            "The document path provided in the update expression is invalid for update");
}

TEST(UpdateApplier, DeleteFromSets) {
  EXPECT_EQ(
      apply(R"({"s":{"NS":["1","2","3"]}})", "DELETE s :s", R"({":s":{"NS":["2","9"]}})"),
      R"({"s":{"NS":["1","3"]}})");
  // An emptied set is removed, and deleting from nothing does nothing.
  EXPECT_EQ(apply(R"({"s":{"SS":["a"]},"k":{"S":"v"}})", "DELETE s :s, t :s",
                  R"({":s":{"SS":["a"]}})"),
            R"({"k":{"S":"v"}})");
  EXPECT_EQ(
      apply_error(R"({"s":{"SS":["a"]}})", "DELETE s :s", R"({":s":{"BS":["AA=="]}})"),
      "An operand in the update expression has an incorrect data type");
}

TEST(UpdateApplier, UpdatedPathsForReturnValues) {
  const model::Item old = item(R"({"a":{"M":{}},"c":{"N":"1"}})");
  UpdateResult r = apply_update(
      prepared("SET a.b = :v REMOVE c ADD d :n", R"({":v":{"S":"x"},":n":{"N":"1"}})"),
      &old, {});
  ASSERT_EQ(r.updated_paths.size(), 3u);
  EXPECT_EQ(path_to_string(r.updated_paths[0]), "[a, b]");
  EXPECT_EQ(path_to_string(r.updated_paths[1]), "[c]");
  EXPECT_EQ(path_to_string(r.updated_paths[2]), "[d]");
}

// UPDATED_OLD and UPDATED_NEW, as project() of the old and new item on the
// updated paths, for nested paths, list removals and if_not_exists.
TEST(UpdateApplier, UpdatedValuesOfNestedPaths) {
  const model::Item old =
      item(R"({"a":{"M":{"b":{"S":"dog"},"c":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]}}}})");
  auto updated = [&](std::string_view expr, std::string_view vals) {
    UpdateResult r = apply_update(prepared(expr, vals), &old, {});
    return to_json(project(old, r.updated_paths)) + " " +
           to_json(project(r.item, r.updated_paths));
  };
  EXPECT_EQ(updated("SET a.c[1] = :v, a.b = :w", R"({":v":{"N":"7"},":w":{"S":"cat"}})"),
            R"({"a":{"M":{"b":{"S":"dog"},"c":{"L":[{"N":"2"}]}}}} )"
            R"({"a":{"M":{"b":{"S":"cat"},"c":{"L":[{"N":"7"}]}}}})");
  // REMOVE a.c[1] names the element that moved into its place; a.c[5]
  // names nothing.
  EXPECT_EQ(updated("REMOVE a.c[1], a.c[5]", "{}"),
            R"({"a":{"M":{"c":{"L":[{"N":"2"}]}}}} {"a":{"M":{"c":{"L":[{"N":"3"}]}}}})");
  // A new sub-attribute has no old value.
  EXPECT_EQ(updated("SET a.x = :v", R"({":v":{"N":"8"}})"),
            R"({} {"a":{"M":{"x":{"N":"8"}}}})");
  // if_not_exists keeps the value, which is still an update.
  EXPECT_EQ(updated("SET a.b = if_not_exists(a.b, :v)", R"({":v":{"S":"new"}})"),
            R"({"a":{"M":{"b":{"S":"dog"}}}} {"a":{"M":{"b":{"S":"dog"}}}})");
}

// An update as AttributeUpdates gives it (ops/attribute_updates.cc): plain
// paths and values, not checked like an UpdateExpression's.
UpdateExpression from_attribute_updates(std::string_view update,
                                        std::string_view vals_json) {
  UpdateExpression u = parse_update(update);
  u.from_attribute_updates = true;
  const AttributeValues vals = values(vals_json);
  for (auto& a : u.add) a.value.value = vals.at(a.value.value_name);
  for (auto& d : u.del) d.value.value = vals.at(d.value.value_name);
  return u;
}

// AttributeUpdates' ADD also appends lists, and an ADD or DELETE that does
// not suit the attribute is a type mismatch.
TEST(UpdateApplier, AttributeUpdatesAddAndDelete) {
  auto apply_legacy = [](std::string_view before, std::string_view update,
                         std::string_view vals) {
    const model::Item old = item(before);
    return to_json(apply_update(from_attribute_updates(update, vals), &old, {}).item);
  };
  auto legacy_error = [](std::string_view before, std::string_view update,
                         std::string_view vals) {
    const model::Item old = item(before);
    return error_of(
        [&] { apply_update(from_attribute_updates(update, vals), &old, {}); });
  };
  EXPECT_EQ(apply_legacy(R"({"l":{"L":[{"N":"1"}]}})", "ADD l :l, m :l",
                         R"({":l":{"L":[{"S":"x"}]}})"),
            R"({"l":{"L":[{"N":"1"},{"S":"x"}]},"m":{"L":[{"S":"x"}]}})");
  const char* mismatch = "Type mismatch for attribute to update";
  EXPECT_EQ(legacy_error(R"({"s":{"SS":["a"]}})", "ADD s :n", R"({":n":{"NS":["1"]}})"),
            mismatch);
  EXPECT_EQ(legacy_error(R"({"s":{"NS":["1"]}})", "ADD s :n", R"({":n":{"N":"1"}})"),
            mismatch);
  EXPECT_EQ(legacy_error(R"({"s":{"N":"1"}})", "DELETE s :n", R"({":n":{"NS":["1"]}})"),
            mismatch);
  EXPECT_EQ(legacy_error(R"({"s":{"S":"x"}})", "ADD s :l", R"({":l":{"L":[]}})"),
            mismatch);
  // The same ADD as an UpdateExpression keeps its own message.
  EXPECT_EQ(apply_error(R"({"s":{"NS":["1"]}})", "ADD s :n", R"({":n":{"N":"1"}})"),
            "An operand in the update expression has an incorrect data type");
}

TEST(UpdateApplier, KeyAttributesCannotBeUpdated) {
  UpdateExpression u = prepared("SET a = :v REMOVE sk", R"({":v":{"S":"x"}})");
  EXPECT_EQ(error_of([&] {
              check_key_attributes_untouched(u, {"pk", "sk"});
            }),
            "One or more parameter values were invalid: Cannot update attribute sk. This "
            "attribute is part of the key");
  EXPECT_EQ(error_of([&] { check_key_attributes_untouched(u, {"pk"}); }), "");
}

TEST(UpdateApplier, NestingDepthLimit) {
  // 31 maps around a string: 32 levels, the deepest value DynamoDB takes
  // (model/nesting.h). Set two levels down it is too deep.
  std::string deep = R"({"S":"x"})";
  for (int i = 0; i < 31; ++i) deep = R"({"M":{"m":)" + deep + "}}";
  std::string vals = R"({":v":)" + deep + "}";
  EXPECT_EQ(apply_error(R"({})", "SET a = :v", vals), "");
  EXPECT_EQ(apply_error(R"({"a":{"M":{"b":{"M":{}}}}})", "SET a.b.c = :v", vals),
            "Nesting Levels have exceeded supported limits: Attributes in the item have "
            "nested levels beyond supported limit");
}

}  // namespace
}  // namespace jormun::expr
