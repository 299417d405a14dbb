"""TransactGetItems: answers in request order, an empty entry for a missing
item, projections, ConsumedCapacity and DynamoDB's refusals.
docs/transactions.md gives the source of every text."""
import re

import pytest
from botocore.exceptions import ClientError

from transact import DUPLICATE, NOT_FOUND, cancellation_reasons, get, put, refused


def k(name):
    return {"pk": {"S": name}}


def validation(ddb, items, **kwargs):
    code, message, status = refused(ddb.transact_get_items, TransactItems=items, **kwargs)
    assert (code, status) == ("ValidationException", 400), (code, message)
    return message


def test_answers_in_request_order_with_an_empty_entry_for_a_missing_item(ddb, hash_table,
                                                                          range_table):
    ddb.put_item(TableName=hash_table, Item={**k("a"), "v": {"N": "1"}})
    ddb.put_item(TableName=hash_table, Item={**k("b"), "v": {"N": "2"}})
    rkey = {"pk": {"S": "r"}, "sk": {"N": "7"}}
    ddb.put_item(TableName=range_table, Item={**rkey, "w": {"S": "x"}})
    out = ddb.transact_get_items(TransactItems=[
        get(hash_table, k("b")),
        get(range_table, rkey),
        get(hash_table, k("missing")),
        get(hash_table, k("a")),
        get(range_table, {"pk": {"S": "r"}, "sk": {"N": "8"}}),
    ])
    assert out["Responses"] == [
        {"Item": {**k("b"), "v": {"N": "2"}}},
        {"Item": {**rkey, "w": {"S": "x"}}},
        {},
        {"Item": {**k("a"), "v": {"N": "1"}}},
        {},
    ]
    assert "ConsumedCapacity" not in out


def test_projection_with_attribute_names(ddb, hash_table):
    for key in ("p", "q"):
        ddb.put_item(TableName=hash_table, Item={
            **k(key), "name": {"S": "n"}, "size": {"N": "3"}, "other": {"S": "o"},
            "m": {"M": {"kids": {"L": [{"N": "1"}, {"N": "2"}]}, "x": {"S": "y"}}}})
    # Two items: one transaction may not name an item twice.
    out = ddb.transact_get_items(TransactItems=[
        get(hash_table, k("p"), ProjectionExpression="#n, #s, m.kids[1]",
            ExpressionAttributeNames={"#n": "name", "#s": "size"}),
        get(hash_table, k("q"), ProjectionExpression="pk"),
    ])
    assert out["Responses"] == [
        {"Item": {"name": {"S": "n"}, "size": {"N": "3"},
                  "m": {"M": {"kids": {"L": [{"N": "2"}]}}}}},
        {"Item": {**k("q")}},
    ]


def test_a_hundred_gets(ddb, hash_table):
    ddb.transact_write_items(TransactItems=[put(hash_table, {**k(f"i{i}")}) for i in range(0, 100, 3)])
    out = ddb.transact_get_items(TransactItems=[get(hash_table, k(f"i{i}")) for i in range(100)])
    assert out["Responses"] == [{"Item": k(f"i{i}")} if i % 3 == 0 else {} for i in range(100)]


def test_consumed_capacity(ddb, hash_table, range_table):
    ddb.put_item(TableName=hash_table, Item={**k("a")})
    ddb.put_item(TableName=hash_table, Item={**k("big"), "v": {"S": "x" * 5000}})
    items = [get(hash_table, k("a")), get(hash_table, k("missing")),
             get(range_table, {"pk": {"S": "r"}, "sk": {"N": "1"}}), get(hash_table, k("big"))]
    # 2 read units per 4 KB and item, a missing item included: 2 + 2 + 4.
    out = ddb.transact_get_items(TransactItems=items, ReturnConsumedCapacity="TOTAL")
    assert {c["TableName"]: c for c in out["ConsumedCapacity"]} == {
        hash_table: {"TableName": hash_table, "CapacityUnits": 8.0, "ReadCapacityUnits": 8.0},
        range_table: {"TableName": range_table, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}}
    out = ddb.transact_get_items(TransactItems=items, ReturnConsumedCapacity="INDEXES")
    assert {c["TableName"]: c for c in out["ConsumedCapacity"]} == {
        hash_table: {"TableName": hash_table, "CapacityUnits": 8.0, "ReadCapacityUnits": 8.0,
                     "Table": {"CapacityUnits": 8.0, "ReadCapacityUnits": 8.0}},
        range_table: {"TableName": range_table, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0,
                      "Table": {"CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}}}


def test_empty_request(ddb):
    assert validation(ddb, []) in (
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1",
        "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1")


def test_more_than_100_gets(ddb, hash_table):
    message = validation(ddb, [get(hash_table, k(f"i{i}")) for i in range(101)])
    assert re.match(r"^1 validation error detected: (?:Value '\[.+\]' at 'transactItems'|"
                    r"Value at 'TransactItems') failed to satisfy constraint: "
                    r"Member must have length less than or equal to 100$", message, re.S), message


def test_missing_table(ddb, hash_table):
    code, message, status = refused(ddb.transact_get_items, TransactItems=[
        get(hash_table, k("a")), get("no_such_table_txn", k("a"))])
    assert (code, message, status) == ("ResourceNotFoundException", NOT_FOUND, 400)


def test_same_item_twice(ddb, hash_table):
    assert validation(ddb, [get(hash_table, k("a")), get(hash_table, k("a"))]) == DUPLICATE


def test_projection_errors(ddb, hash_table):
    assert validation(ddb, [get(hash_table, k("a"), ProjectionExpression="!!!")]) == (
        'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"')
    assert validation(ddb, [get(hash_table, k("a"), ProjectionExpression="#n")]) == (
        "Invalid ProjectionExpression: An expression attribute name used in the document "
        "path is not defined; attribute name: #n")
    assert validation(ddb, [get(hash_table, k("a"), ProjectionExpression="v",
                                ExpressionAttributeNames={"#x": "x"})]) == (
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}")


@pytest.mark.parametrize("key", [{}, {"pk": {"N": "1"}}], ids=["empty", "wrong-type"])
def test_key_not_matching_the_schema_is_a_validation_reason(ddb, hash_table, key):
    ddb.put_item(TableName=hash_table, Item={**k("a")})
    # The empty key is confirmed; the wrong type is assumed to answer alike.
    with pytest.raises(ClientError) as e:
        ddb.transact_get_items(TransactItems=[get(hash_table, k("a")), get(hash_table, key)])
    reasons = cancellation_reasons(e)
    assert [r["Code"] for r in reasons] == ["None", "ValidationError"]
