"""PartiQL through ExecuteStatement: each statement kind, literals and
parameters, Query-or-Scan planning, paging, conditions and DynamoDB's
errors. docs/partiql.md gives the source of every text, and says which
texts are not confirmed against DynamoDB."""
import json

import pytest
from botocore.exceptions import ClientError

import raw_http
from conftest import error_of

MALFORMED = "Statement wasn't well formed, can't be processed: "
KEY_EQUALITY = "Where clause does not contain a mandatory equality on all key attributes"


def run(ddb, statement, *params, **kwargs):
    if params:
        kwargs["Parameters"] = list(params)
    return ddb.execute_statement(Statement=statement, **kwargs)


def refused(ddb, statement, *params, **kwargs):
    with pytest.raises(ClientError) as e:
        run(ddb, statement, *params, **kwargs)
    return error_of(e)


def test_insert_then_select_by_key(ddb, hash_table):
    out = run(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'a', 'n': 1, 'ok': true}}")
    assert out["Items"] == []
    out = run(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = 'a'")
    assert out["Items"] == [{"pk": {"S": "a"}, "n": {"N": "1"}, "ok": {"BOOL": True}}]
    assert "NextToken" not in out


def test_select_by_full_key_reads_one_item(ddb, range_table):
    """The WHERE is exactly the key: at most one item, no NextToken, the
    capacity of one read (a GetItem's, which equals a one-item Query's)."""
    ddb.put_item(TableName=range_table, Item={"pk": {"S": "k"}, "sk": {"N": "1"},
                                              "v": {"S": "x"}, "w": {"N": "2"}})
    ddb.put_item(TableName=range_table, Item={"pk": {"S": "k"}, "sk": {"N": "2"}})
    statement = f"SELECT v, sk FROM \"{range_table}\" WHERE sk = ? AND pk = ?"
    out = run(ddb, statement, {"N": "1"}, {"S": "k"}, ReturnConsumedCapacity="TOTAL")
    assert out["Items"] == [{"v": {"S": "x"}, "sk": {"N": "1"}}]
    assert "NextToken" not in out
    assert out["ConsumedCapacity"] == {"TableName": range_table, "CapacityUnits": 0.5}
    out = run(ddb, statement, {"N": "3"}, {"S": "k"}, ConsistentRead=True,
              ReturnConsumedCapacity="TOTAL")
    assert out["Items"] == []
    assert out["ConsumedCapacity"] == {"TableName": range_table, "CapacityUnits": 1.0}
    # With Limit the statement pages as a Query does.
    out = run(ddb, f"SELECT * FROM \"{range_table}\" WHERE pk = 'k' AND sk = 2", Limit=5)
    assert out["Items"] == [{"pk": {"S": "k"}, "sk": {"N": "2"}}]


def test_literals_of_every_kind(ddb, hash_table):
    run(ddb, f"""insert into "{hash_table}" value {{
        'pk': 'it''s', 'num': -1.5e3, 'nul': NULL, 'f': false,
        'l': [1, 'two', [3]], 'm': {{'k': {{'deep': 'v'}}}},
        'ss': <<'x', 'y'>>, 'ns': <<1, 2>>, 'gone': MISSING}}""")
    item = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "it's"}})["Item"]
    assert float(item.pop("num")["N"]) == -1500
    assert item == {
        "pk": {"S": "it's"}, "nul": {"NULL": True},
        "f": {"BOOL": False},
        "l": {"L": [{"N": "1"}, {"S": "two"}, {"L": [{"N": "3"}]}]},
        "m": {"M": {"k": {"M": {"deep": {"S": "v"}}}}},
        "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2"]},
    }


def test_parameters_of_every_type(ddb, hash_table):
    values = [{"S": "p"}, {"N": "5"}, {"B": b"\x01\x02"}, {"BOOL": True}, {"NULL": True},
              {"L": [{"S": "x"}]}, {"M": {"a": {"N": "1"}}}, {"SS": ["s"]}, {"NS": ["1"]},
              {"BS": [b"\x03"]}]
    names = ["pk", "n", "b", "t", "z", "l", "m", "ss", "ns", "bs"]
    body = ", ".join(f"'{n}': ?" for n in names)
    run(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{{body}}}", *values)
    out = run(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = ?", {"S": "p"})
    assert out["Items"] == [dict(zip(names, values))]


def test_parameter_count_must_match(ddb, hash_table):
    assert refused(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = ?") == (
        "ValidationException", "Number of parameters in request and statement don't match.")
    assert refused(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = 'a'", {"S": "a"}) == (
        "ValidationException", "Number of parameters in request and statement don't match.")


def test_insert_of_an_existing_item_is_a_duplicate(ddb, hash_table):
    run(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'd', 'v': 1}}")
    assert refused(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'd', 'v': 2}}") == (
        "DuplicateItemException", "Duplicate primary key exists in table")
    item = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "d"}})["Item"]
    assert item["v"] == {"N": "1"}


def test_select_queries_a_partition_with_sort_key_conditions(ddb, range_table):
    for sk in range(6):
        ddb.put_item(TableName=range_table,
                     Item={"pk": {"S": "a"}, "sk": {"N": str(sk)}, "odd": {"BOOL": sk % 2 == 1}})
    ddb.put_item(TableName=range_table, Item={"pk": {"S": "b"}, "sk": {"N": "1"}})
    out = run(ddb, f"SELECT sk FROM \"{range_table}\" WHERE pk = 'a' AND sk BETWEEN 1 AND 4 "
                   "AND odd = true", ReturnConsumedCapacity="TOTAL")
    assert out["Items"] == [{"sk": {"N": "1"}}, {"sk": {"N": "3"}}]
    out = run(ddb, f"SELECT sk FROM \"{range_table}\" WHERE pk = 'a' AND sk >= 4 "
                   "ORDER BY sk DESC")
    assert out["Items"] == [{"sk": {"N": "5"}}, {"sk": {"N": "4"}}]


def test_select_without_the_partition_key_scans(ddb, range_table):
    for pk in "abc":
        ddb.put_item(TableName=range_table,
                     Item={"pk": {"S": pk}, "sk": {"N": "1"}, "tag": {"S": "t" + pk}})
    out = run(ddb, f"SELECT pk FROM \"{range_table}\" WHERE begins_with(tag, 't') "
                   "AND tag <> 'tb'")
    assert sorted(i["pk"]["S"] for i in out["Items"]) == ["a", "c"]
    out = run(ddb, f"SELECT * FROM \"{range_table}\" WHERE pk IN ['a', 'b'] OR sk > 5")
    assert sorted(i["pk"]["S"] for i in out["Items"]) == ["a", "b"]
    out = run(ddb, f"SELECT * FROM \"{range_table}\"")
    assert len(out["Items"]) == 3


def test_partition_key_in_runs_a_query_per_value(ddb, range_table):
    for pk in "abc":
        for sk in range(3):
            ddb.put_item(TableName=range_table, Item={"pk": {"S": pk}, "sk": {"N": str(sk)}})
    statement = (f"SELECT pk, sk FROM \"{range_table}\" WHERE pk IN ['c', 'a', 'zz'] "
                 "AND sk < 2")
    out = run(ddb, statement, ReturnConsumedCapacity="TOTAL")
    # The values' partitions in turn, each in sort key order.
    assert [(i["pk"]["S"], i["sk"]["N"]) for i in out["Items"]] == [
        ("c", "0"), ("c", "1"), ("a", "0"), ("a", "1")]
    assert out["ConsumedCapacity"]["TableName"] == range_table
    assert out["ConsumedCapacity"]["CapacityUnits"] == 1.5  # three Queries
    seen, token = [], None
    for _ in range(10):
        kwargs = {"Limit": 1, **({"NextToken": token} if token else {})}
        page = run(ddb, statement, **kwargs)
        seen += [(i["pk"]["S"], i["sk"]["N"]) for i in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [("c", "0"), ("c", "1"), ("a", "0"), ("a", "1")]


def test_where_operators_and_functions(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={
        "pk": {"S": "w"}, "n": {"N": "3"}, "s": {"S": "hello"}, "l": {"L": [{"N": "1"}]},
        "m": {"M": {"x": {"L": [{"S": "deep"}]}}}, "z": {"NULL": True}})

    def matches(where):
        out = run(ddb, f"SELECT pk FROM \"{hash_table}\" WHERE pk = 'w' AND ({where})")
        return len(out["Items"]) == 1

    assert matches("n > 2 AND n <= 3")
    assert matches("NOT n = 4")
    assert matches("n IN (1, 2, 3)")
    assert not matches("n NOT IN (1, 2, 3)")
    assert matches("contains(s, 'ell')")
    assert matches("attribute_type(n, 'N')")
    assert matches("size(s) = 5")
    assert matches("m.x[0] = 'deep'")
    assert matches("q IS MISSING AND n IS NOT MISSING")
    assert matches("z IS NULL AND n IS NOT NULL")
    assert matches("n = 1 OR n = 3")
    assert not matches("n = 1 OR n = 2")


def test_paging_with_limit_and_next_token(ddb, range_table):
    for sk in range(5):
        ddb.put_item(TableName=range_table, Item={"pk": {"S": "p"}, "sk": {"N": str(sk)}})
    seen, token = [], None
    statement = f"SELECT sk FROM \"{range_table}\" WHERE pk = 'p'"
    for _ in range(10):
        kwargs = {"Limit": 2}
        if token:
            kwargs["NextToken"] = token
        out = run(ddb, statement, **kwargs)
        seen += [int(i["sk"]["N"]) for i in out["Items"]]
        token = out.get("NextToken")
        if not token:
            break
    assert seen == [0, 1, 2, 3, 4]


def test_update_returning_forms(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={
        "pk": {"S": "u"}, "n": {"N": "1"}, "gone": {"S": "x"}, "l": {"L": []},
        "s": {"SS": ["a", "c"]}, "keep": {"S": "k"}})
    out = run(ddb, f"UPDATE \"{hash_table}\" SET n = n + 2, l = list_append(l, [1]) "
                   "SET s = set_add(s, <<'b'>>) REMOVE gone WHERE pk = 'u' "
                   "RETURNING MODIFIED NEW *")
    assert out["Items"] == [{"n": {"N": "3"}, "l": {"L": [{"N": "1"}]},
                             "s": {"SS": ["a", "b", "c"]}}]
    out = run(ddb, f"UPDATE \"{hash_table}\" SET s = set_delete(s, <<'a'>>) WHERE pk = 'u' "
                   "RETURNING MODIFIED OLD *")
    assert out["Items"] == [{"s": {"SS": ["a", "b", "c"]}}]
    out = run(ddb, f"UPDATE \"{hash_table}\" SET n = 10 WHERE pk = 'u' RETURNING ALL OLD *")
    assert out["Items"][0]["n"] == {"N": "3"} and out["Items"][0]["keep"] == {"S": "k"}
    out = run(ddb, f"UPDATE \"{hash_table}\" SET n = 11 WHERE pk = 'u'")
    assert out["Items"] == []


def test_update_needs_an_existing_item_and_its_condition(ddb, server, hash_table):
    assert refused(ddb, f"UPDATE \"{hash_table}\" SET n = 1 WHERE pk = 'none'") == (
        "ConditionalCheckFailedException", "The conditional request failed")
    assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "none"}})
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "c"}, "n": {"N": "1"}})
    # This botocore predates ReturnValuesOnConditionCheckFailure in
    # ExecuteStatement, so the request goes raw.
    status, _, body = raw_http.call(server, "ExecuteStatement", {
        "Statement": f"UPDATE \"{hash_table}\" SET n = 2 WHERE pk = 'c' AND n = 5",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    answer = json.loads(body)
    assert status == 400
    assert answer["__type"].endswith("#ConditionalCheckFailedException")
    assert answer["Item"] == {"pk": {"S": "c"}, "n": {"N": "1"}}
    run(ddb, f"UPDATE \"{hash_table}\" SET n = 2 WHERE pk = 'c' AND n = 1")
    item = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "c"}})["Item"]
    assert item["n"] == {"N": "2"}


def test_writes_need_the_full_key(ddb, range_table):
    for statement in (f"UPDATE \"{range_table}\" SET v = 1 WHERE pk = 'a'",
                      f"DELETE FROM \"{range_table}\" WHERE pk = 'a'",
                      f"DELETE FROM \"{range_table}\" WHERE pk = 'a' OR sk = 1",
                      f"DELETE FROM \"{range_table}\" WHERE pk = 'a' AND sk > 1"):
        assert refused(ddb, statement) == ("ValidationException", KEY_EQUALITY), statement


def test_delete_with_condition_and_returning(ddb, range_table):
    key = {"pk": {"S": "d"}, "sk": {"N": "1"}}
    ddb.put_item(TableName=range_table, Item={**key, "v": {"S": "x"}})
    assert refused(ddb, f"DELETE FROM \"{range_table}\" WHERE pk = 'd' AND sk = 1 AND v = 'y'"
                   )[0] == "ConditionalCheckFailedException"
    out = run(ddb, f"DELETE FROM \"{range_table}\" WHERE sk = ? AND pk = ? RETURNING ALL OLD *",
              {"N": "1"}, {"S": "d"})
    assert out["Items"] == [{**key, "v": {"S": "x"}}]
    assert "Item" not in ddb.get_item(TableName=range_table, Key=key)
    out = run(ddb, f"DELETE FROM \"{range_table}\" WHERE pk = 'd' AND sk = 1")
    assert out["Items"] == []


def test_select_from_an_index(ddb, table_name):
    ddb.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "byg",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")
    try:
        for pk, g in (("1", "x"), ("2", "y"), ("3", "x")):
            ddb.put_item(TableName=table_name, Item={"pk": {"S": pk}, "g": {"S": g}})
        out = run(ddb, f"SELECT pk FROM \"{table_name}\".\"byg\" WHERE g = 'x'")
        assert sorted(i["pk"]["S"] for i in out["Items"]) == ["1", "3"]
    finally:
        ddb.delete_table(TableName=table_name)


def test_syntax_errors(ddb, hash_table):
    assert refused(ddb, "CREATE TABLE t") == (
        "ValidationException", MALFORMED + "Expected data manipulation")
    for statement in (f"SELECT * FROM \"{hash_table}\" WHERE",
                      f"SELECT * FROM \"{hash_table}\" WHERE pk = 'unterminated",
                      f"SELECT * \"{hash_table}\"",
                      f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'a'",
                      "SELECT * FROM t WHERE " + "(" * 200 + "a = 1" + ")" * 200):
        code, message = refused(ddb, statement)
        assert code == "ValidationException" and message.startswith(MALFORMED), statement


def test_statement_length_limit(ddb, hash_table):
    long = f"SELECT * FROM \"{hash_table}\" WHERE pk = '{'x' * 8200}'"
    code, message = refused(ddb, long)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 8192" in message


def test_unknown_table(ddb):
    assert refused(ddb, "SELECT * FROM \"no_such_table\" WHERE pk = 'a'") == (
        "ResourceNotFoundException", "Requested resource not found")
