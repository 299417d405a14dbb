"""UpdateItem: every clause, every ReturnValues, DynamoDB's errors."""
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError

from conftest import error_of

KEY = {"pk": {"S": "u"}}


def update(ddb, table, expr, values=None, names=None, **kw):
    args = dict(TableName=table, Key=KEY, UpdateExpression=expr, **kw)
    if values:
        args["ExpressionAttributeValues"] = values
    if names:
        args["ExpressionAttributeNames"] = names
    return ddb.update_item(**args)


def get(ddb, table):
    return ddb.get_item(TableName=table, Key=KEY, ConsistentRead=True).get("Item")


def test_creates_missing_item(ddb, hash_table):
    out = update(ddb, hash_table, "SET a = :v", {":v": {"S": "x"}}, ReturnValues="ALL_NEW")
    assert out["Attributes"] == {**KEY, "a": {"S": "x"}}
    assert get(ddb, hash_table) == {**KEY, "a": {"S": "x"}}


def test_update_without_expression_creates_key_only_item(ddb, hash_table):
    ddb.update_item(TableName=hash_table, Key=KEY)
    assert get(ddb, hash_table) == KEY


def test_set_arithmetic_if_not_exists_list_append(ddb, hash_table):
    update(ddb, hash_table, "SET n = :a, l = :l", {":a": {"N": "10"}, ":l": {"L": [{"N": "1"}]}})
    update(ddb, hash_table,
           "SET n = n + :one, m = if_not_exists(m, :zero) - :one, l = list_append(l, :l2)",
           {":one": {"N": "1"}, ":zero": {"N": "0"}, ":l2": {"L": [{"N": "2"}]}})
    item = get(ddb, hash_table)
    assert item["n"] == {"N": "11"}
    assert item["m"] == {"N": "-1"}
    assert item["l"] == {"L": [{"N": "1"}, {"N": "2"}]}


def test_exact_38_digit_arithmetic(ddb, hash_table):
    update(ddb, hash_table, "SET n = :a", {":a": {"N": "9999999999999999999999999999999999999"}})
    update(ddb, hash_table, "SET n = n + :b", {":b": {"N": "0.1"}})
    assert get(ddb, hash_table)["n"] == {"N": "9999999999999999999999999999999999999.1"}


@pytest.mark.parametrize("start,expr,operand,message", [
    ("9.9999999999999999999999999999999999999E+125", "SET n = n + :b",
     "9.9999999999999999999999999999999999999E+125",
     "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("1.5E-130", "SET n = n - :b", "1.4E-130",
     "Number underflow. Attempting to store a number with magnitude smaller than supported "
     "range"),
], ids=["overflow", "underflow"])
def test_out_of_range_arithmetic_is_rejected(ddb, hash_table, start, expr, operand, message):
    update(ddb, hash_table, "SET n = :a", {":a": {"N": start}})
    with pytest.raises(ClientError) as e:
        update(ddb, hash_table, expr, {":b": {"N": operand}})
    assert error_of(e) == ("ValidationException", message)
    assert Decimal(get(ddb, hash_table)["n"]["N"]) == Decimal(start)


def test_remove_add_delete(ddb, hash_table):
    update(ddb, hash_table, "SET a = :a, l = :l, s = :s, c = :c",
           {":a": {"S": "x"}, ":l": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}]},
            ":s": {"SS": ["p", "q", "r"]}, ":c": {"N": "5"}})
    update(ddb, hash_table, "REMOVE a, l[1] ADD c :two, s :t, fresh :two",
           {":two": {"N": "2"}, ":t": {"SS": ["z"]}})
    update(ddb, hash_table, "DELETE s :d", {":d": {"SS": ["p", "q"]}})
    item = get(ddb, hash_table)
    assert "a" not in item
    assert item["l"] == {"L": [{"S": "0"}, {"S": "2"}]}
    assert item["c"] == {"N": "7"}
    assert item["fresh"] == {"N": "2"}
    assert sorted(item["s"]["SS"]) == ["r", "z"]


def test_delete_emptying_a_set_removes_it(ddb, hash_table):
    update(ddb, hash_table, "SET s = :s", {":s": {"NS": ["1"]}})
    update(ddb, hash_table, "DELETE s :s", {":s": {"NS": ["1"]}})
    assert "s" not in get(ddb, hash_table)


def test_nested_paths(ddb, hash_table):
    update(ddb, hash_table, "SET m = :m", {":m": {"M": {"a": {"L": [{"M": {"b": {"N": "1"}}}]}}}})
    update(ddb, hash_table, "SET m.a[0].b = :v, m.#n = :w", {":v": {"N": "2"}, ":w": {"S": "y"}},
           names={"#n": "new key"})
    assert get(ddb, hash_table)["m"] == {"M": {"a": {"L": [{"M": {"b": {"N": "2"}}}]},
                                               "new key": {"S": "y"}}}


@pytest.mark.parametrize("rv,expected", [
    ("NONE", None),
    ("ALL_OLD", {**KEY, "a": {"N": "1"}, "b": {"N": "1"}}),
    ("UPDATED_OLD", {"a": {"N": "1"}}),
    ("ALL_NEW", {**KEY, "a": {"N": "2"}, "b": {"N": "1"}, "c": {"N": "3"}}),
    ("UPDATED_NEW", {"a": {"N": "2"}, "c": {"N": "3"}}),
])
def test_return_values(ddb, hash_table, rv, expected):
    update(ddb, hash_table, "SET a = :one, b = :one", {":one": {"N": "1"}})
    out = update(ddb, hash_table, "SET a = :two, c = :three",
                 {":two": {"N": "2"}, ":three": {"N": "3"}}, ReturnValues=rv)
    assert out.get("Attributes") == expected


def test_add_and_delete_of_one_path_overlap(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        update(ddb, hash_table, "ADD s :t DELETE s :t", {":t": {"SS": ["z"]}})
    assert error_of(e) == ("ValidationException",
                           "Invalid UpdateExpression: Two document paths overlap with each other; "
                           "must remove or rewrite one of these paths; path one: [s], path two: [s]")


@pytest.mark.parametrize("expr,values,names,message", [
    ("SET pk = :v", {":v": {"S": "x"}}, None,
     "One or more parameter values were invalid: Cannot update attribute pk. "
     "This attribute is part of the key"),
    ("SET a = :v", {":v": {"S": "x"}, ":unused": {"S": "y"}}, None,
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"),
    ("SET a = :missing", {":v": {"S": "x"}}, None,
     "Invalid UpdateExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :missing"),
    ("SET a = :v, a.b = :v", {":v": {"S": "x"}}, None,
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a, b]"),
    ("SET a = :v SET b = :v", {":v": {"S": "x"}}, None,
     'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'),
    ("SET #s = :v", {":v": {"S": "x"}}, {"#s": "status", "#x": "y"},
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"),
    ("SET status = :v", {":v": {"S": "x"}}, None,
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    ("ADD a :v", {":v": {"S": "x"}}, None,
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
     "operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("DELETE a :v", {":v": {"M": {}}}, None,
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
     "DELETE, operand type: MAP, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
])
def test_update_errors(ddb, hash_table, expr, values, names, message):
    with pytest.raises(ClientError) as e:
        update(ddb, hash_table, expr, values, names)
    assert error_of(e) == ("ValidationException", message)
    assert get(ddb, hash_table) is None


def test_wrong_operand_type_at_runtime(ddb, hash_table):
    update(ddb, hash_table, "SET a = :s", {":s": {"S": "text"}})
    with pytest.raises(ClientError) as e:
        update(ddb, hash_table, "SET a = a + :one", {":one": {"N": "1"}})
    assert error_of(e) == ("ValidationException",
                           "An operand in the update expression has an incorrect data type")
    assert get(ddb, hash_table)["a"] == {"S": "text"}


def test_syntax_error_names_the_token(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        update(ddb, hash_table, "SET a = = :v", {":v": {"S": "x"}})
    assert error_of(e) == ("ValidationException",
                           'Invalid UpdateExpression: Syntax error; token: "=", near: "= = :v"')


@pytest.mark.parametrize("expr,values", [
    ("REMOVE a, b.c", None),
    ("DELETE s :s", {":s": {"SS": ["x"]}}),
    ("REMOVE a DELETE s :s", {":s": {"SS": ["x"]}}),
])
def test_removing_from_a_missing_item_creates_nothing(ddb, hash_table, expr, values):
    for rv in ("NONE", "ALL_NEW", "UPDATED_NEW", "ALL_OLD"):
        out = update(ddb, hash_table, expr, values, ReturnValues=rv)
        assert "Attributes" not in out
    assert get(ddb, hash_table) is None


def test_remove_with_a_set_creates_the_item(ddb, hash_table):
    out = update(ddb, hash_table, "REMOVE a SET b = :v", {":v": {"N": "1"}},
                 ReturnValues="ALL_NEW")
    assert out["Attributes"] == {**KEY, "b": {"N": "1"}}


def test_set_past_the_end_appends_in_index_order(ddb, hash_table):
    update(ddb, hash_table, "SET a = :l", {":l": {"L": [{"S": "a0"}]}})
    out = update(ddb, hash_table, "SET a[84] = :v1, a[37] = :v2, a[17] = :v3, a[50] = :v4",
                 {":v1": {"S": "a1"}, ":v2": {"S": "a2"}, ":v3": {"S": "a3"}, ":v4": {"S": "a4"}},
                 ReturnValues="UPDATED_NEW")
    # The appended elements are not at the indexes written, so UPDATED_NEW,
    # which shows what the paths as written address, shows nothing.
    assert "Attributes" not in out
    assert get(ddb, hash_table)["a"] == {"L": [{"S": "a0"}, {"S": "a3"}, {"S": "a2"},
                                                {"S": "a4"}, {"S": "a1"}]}


def test_updated_old_and_new_of_nested_paths(ddb, hash_table):
    update(ddb, hash_table, "SET a = :a, d = :d",
           {":a": {"M": {"b": {"S": "dog"}, "c": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}}},
            ":d": {"S": "cat"}})

    def attributes(expr, rv, values=None):
        return update(ddb, hash_table, expr, values, ReturnValues=rv).get("Attributes")

    assert attributes("SET a.c[1] = :v, a.b = :w", "UPDATED_OLD",
                      {":v": {"N": "7"}, ":w": {"S": "yo"}}) == \
        {"a": {"M": {"b": {"S": "dog"}, "c": {"L": [{"N": "2"}]}}}}
    assert attributes("SET a.c[1] = :v", "UPDATED_NEW", {":v": {"N": "4"}}) == \
        {"a": {"M": {"c": {"L": [{"N": "4"}]}}}}
    # REMOVE of a list element names the element that moved into its place,
    # in UPDATED_NEW as in DynamoDB; a missing one names nothing.
    assert attributes("REMOVE a.c[1], a.c[9]", "UPDATED_OLD") == \
        {"a": {"M": {"c": {"L": [{"N": "4"}]}}}}
    assert get(ddb, hash_table)["a"]["M"]["c"] == {"L": [{"N": "1"}, {"N": "3"}]}
    assert attributes("REMOVE a.c[0]", "UPDATED_NEW") == {"a": {"M": {"c": {"L": [{"N": "3"}]}}}}
    # A new sub-attribute has no old value.
    assert attributes("SET a.x = :v", "UPDATED_OLD", {":v": {"N": "8"}}) is None
    # if_not_exists that keeps the value still updates it.
    assert attributes("SET d = if_not_exists(d, :v), e = if_not_exists(e, :v)", "UPDATED_NEW",
                      {":v": {"S": "new"}}) == {"d": {"S": "cat"}, "e": {"S": "new"}}
    assert attributes("SET d = if_not_exists(d, :v), e = if_not_exists(e, :v)", "UPDATED_OLD",
                      {":v": {"S": "newer"}}) == {"d": {"S": "cat"}, "e": {"S": "new"}}


def deep_path(levels):
    return "a" + ".b" * (levels - 1)


@pytest.mark.parametrize("expr,values,message", [
    ("SET a = size(b)", None,
     "Invalid UpdateExpression: The function is not allowed in an update expression; "
     "function: size"),
    ("SET a = list_append(list_append(a, :l), :l)", {":l": {"L": []}},
     "Invalid UpdateExpression: The function is not allowed to be used this way in an "
     "expression; function: list_append"),
    ("SET a = if_not_exists(a, list_append(a, :l))", {":l": {"L": []}},
     "Invalid UpdateExpression: The function is not allowed to be used this way in an "
     "expression; function: list_append"),
    ("SET " + deep_path(33) + " = :v", {":v": {"N": "1"}},
     "Invalid UpdateExpression: The document path has too many nesting levels; "
     "nesting levels: 33"),
    ("SET " + ",".join(f"a{i}=b+:v" for i in range(301)), {":v": {"N": "1"}},
     "Invalid UpdateExpression: The expression contains too many operators; operator count: 301"),
    ("SET a = :v, x = :" + "y" * 4090, {":v": {"N": "1"}},
     "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; "
     "expression size: 4107"),
    ("SET # = :v", {":v": {"N": "1"}},
     'Invalid UpdateExpression: Syntax error; token: "#", near: "SET # ="'),
    ("SET a = :v", {":v": {"SS": []}},
     "ExpressionAttributeValues contains invalid value: One or more parameter values were "
     "invalid: An string set  may not be empty for key :v"),
], ids=["size", "nested-list_append", "list_append-in-if_not_exists", "depth-33",
        "301-operators", "4107-bytes", "lone-#", "empty-set"])
def test_update_expression_limits_and_misplaced_functions(ddb, hash_table, expr, values, message):
    with pytest.raises(ClientError) as e:
        update(ddb, hash_table, expr, values)
    assert error_of(e) == ("ValidationException", message)
    assert get(ddb, hash_table) is None


def test_nested_if_not_exists_and_list_append_of_it(ddb, hash_table):
    values = {":e": {"L": []}, ":l": {"L": [{"N": "1"}]}, ":z": {"N": "0"}, ":one": {"N": "1"}}
    update(ddb, hash_table,
           "SET l = list_append(if_not_exists(l, :e), :l), n = if_not_exists(n, :z) + :one",
           values)
    assert get(ddb, hash_table) == {**KEY, "l": {"L": [{"N": "1"}]}, "n": {"N": "1"}}

