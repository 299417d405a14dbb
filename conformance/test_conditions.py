"""ConditionExpression on PutItem, UpdateItem, DeleteItem."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_of
from raw_http import call

KEY = {"pk": {"S": "c"}}


def put(ddb, table, item, **kw):
    return ddb.put_item(TableName=table, Item={**KEY, **item}, **kw)


def failed(excinfo):
    return error_of(excinfo) == ("ConditionalCheckFailedException", "The conditional request failed")


def test_put_if_not_exists(ddb, hash_table):
    put(ddb, hash_table, {"v": {"N": "1"}}, ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(ClientError) as e:
        put(ddb, hash_table, {"v": {"N": "2"}}, ConditionExpression="attribute_not_exists(pk)")
    assert failed(e)
    got = ddb.get_item(TableName=hash_table, Key=KEY)["Item"]
    assert got["v"] == {"N": "1"}


def test_failed_condition_returns_old_item_when_asked(server, ddb, hash_table):
    # Raw protocol: the Debian boto3 predates ReturnValuesOnConditionCheckFailure.
    put(ddb, hash_table, {"v": {"N": "1"}})
    status, _, body = call(server, "PutItem", {
        "TableName": hash_table, "Item": {**KEY, "v": {"N": "2"}},
        "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": {"N": "2"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert status == 400
    doc = json.loads(body)
    assert doc["__type"] == "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
    assert doc["message"] == "The conditional request failed"
    assert doc["Item"] == {**KEY, "v": {"N": "1"}}


@pytest.mark.parametrize("condition,values,holds", [
    ("n > :a", {":a": {"N": "5"}}, True),
    ("n BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"N": "10"}}, True),
    ("n IN (:a, :b)", {":a": {"N": "1"}, ":b": {"N": "2"}}, False),
    ("begins_with(s, :p)", {":p": {"S": "hel"}}, True),
    ("contains(tags, :t)", {":t": {"S": "red"}}, True),
    ("size(s) = :five", {":five": {"N": "5"}}, True),
    ("attribute_type(n, :t)", {":t": {"S": "N"}}, True),
    ("NOT attribute_exists(absent_attr) AND (n < :a OR s = :s)",
     {":a": {"N": "1"}, ":s": {"S": "hello"}}, True),
    ("n = :s", {":s": {"S": "7"}}, False),  # different types compare unequal
    ("m.kids[1] = :v", {":v": {"N": "2"}}, True),
])
def test_condition_semantics(ddb, hash_table, condition, values, holds):
    put(ddb, hash_table, {"n": {"N": "7"}, "s": {"S": "hello"}, "tags": {"SS": ["red", "blue"]},
                          "m": {"M": {"kids": {"L": [{"N": "1"}, {"N": "2"}]}}}})
    kw = dict(TableName=hash_table, Key=KEY, UpdateExpression="SET touched = :touched",
              ConditionExpression=condition,
              ExpressionAttributeValues={**values, ":touched": {"BOOL": True}})
    if holds:
        ddb.update_item(**kw)
        assert ddb.get_item(TableName=hash_table, Key=KEY)["Item"]["touched"] == {"BOOL": True}
    else:
        with pytest.raises(ClientError) as e:
            ddb.update_item(**kw)
        assert failed(e)
        assert "touched" not in ddb.get_item(TableName=hash_table, Key=KEY)["Item"]


def test_conditional_delete(ddb, hash_table):
    put(ddb, hash_table, {"v": {"N": "1"}})
    with pytest.raises(ClientError) as e:
        ddb.delete_item(TableName=hash_table, Key=KEY, ConditionExpression="v = :x",
                        ExpressionAttributeValues={":x": {"N": "9"}})
    assert failed(e)
    ddb.delete_item(TableName=hash_table, Key=KEY, ConditionExpression="v = :x",
                    ExpressionAttributeValues={":x": {"N": "1"}})
    assert "Item" not in ddb.get_item(TableName=hash_table, Key=KEY)


def test_condition_on_missing_item(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.delete_item(TableName=hash_table, Key=KEY, ConditionExpression="attribute_exists(pk)")
    assert failed(e)


def test_condition_syntax_error(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        put(ddb, hash_table, {}, ConditionExpression="v = ")
    code, message = error_of(e)
    assert code == "ValidationException"
    assert message.startswith("Invalid ConditionExpression: Syntax error; token: ")


def test_names_only_with_expressions(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        put(ddb, hash_table, {}, ExpressionAttributeNames={"#a": "a"})
    assert error_of(e) == ("ValidationException",
                           "ExpressionAttributeNames can only be specified when using expressions")


@pytest.mark.parametrize("target,extra", [
    ("UpdateItem", {"UpdateExpression": "SET v = :two"}),
    ("DeleteItem", {}),
])
def test_failed_condition_returns_old_item_on_update_and_delete(server, ddb, hash_table, target,
                                                                extra):
    put(ddb, hash_table, {"v": {"N": "1"}})
    request = {"TableName": hash_table, "Key": KEY, "ConditionExpression": "v = :two",
               "ExpressionAttributeValues": {":two": {"N": "2"}}, **extra}
    status, _, body = call(server, target, {**request,
                                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert status == 400
    doc = json.loads(body)
    assert doc["__type"] == "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
    assert doc["Item"] == {**KEY, "v": {"N": "1"}}
    # NONE, the default, leaves the item out.
    status, _, body = call(server, target, {**request,
                                            "ReturnValuesOnConditionCheckFailure": "NONE"})
    assert status == 400 and "Item" not in json.loads(body)
    # A condition failing on a missing item has no item to return.
    ddb.delete_item(TableName=hash_table, Key=KEY)
    status, _, body = call(server, target, {**request,
                                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert status == 400
    doc = json.loads(body)
    assert doc["message"] == "The conditional request failed"
    assert "Item" not in doc
    assert "Item" not in ddb.get_item(TableName=hash_table, Key=KEY)


@pytest.mark.parametrize("condition,message", [
    ("if_not_exists(v, :v) = :v",
     "The function is not allowed in a condition expression; function: if_not_exists"),
    ("size(v)", "The function is not allowed to be used this way in an expression; function: size"),
    ("a" + ".b" * 32 + " = :v",
     "The document path has too many nesting levels; nesting levels: 33"),
    (" OR ".join(["v < :v"] * 151),
     "The expression contains too many operators; operator count: 301"),
], ids=["update-function", "bare-size", "depth-33", "301-operators"])
def test_condition_expression_errors(ddb, hash_table, condition, message):
    with pytest.raises(ClientError) as e:
        put(ddb, hash_table, {}, ConditionExpression=condition,
            ExpressionAttributeValues={":v": {"N": "1"}})
    assert error_of(e) == ("ValidationException", "Invalid ConditionExpression: " + message)


def test_projection_path_depth(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=hash_table, Key=KEY, ProjectionExpression="a" + "[0]" * 32)
    assert error_of(e) == ("ValidationException", "Invalid ProjectionExpression: The document "
                           "path has too many nesting levels; nesting levels: 33")
    ddb.get_item(TableName=hash_table, Key=KEY, ProjectionExpression="a" + "[0]" * 31)
