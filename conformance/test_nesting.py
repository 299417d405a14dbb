"""DynamoDB's 32-level nesting limit for attribute values, and requests far
deeper than that, which must be refused without harming the server."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_of
from raw_http import call

TOO_DEEP = ("Nesting Levels have exceeded supported limits: Attributes in the item have "
            "nested levels beyond supported limit")


def nested(levels):
    """A value of `levels` levels (a top-level attribute's value is level 1):
    maps and lists, alternating, around a string."""
    v = {"S": "leaf"}
    for i in range(1, levels):
        v = {"L": [v]} if i % 2 else {"M": {"k": v}}
    return v


def refused(call_it):
    with pytest.raises(ClientError) as e:
        call_it()
    assert error_of(e) == ("ValidationException", TOO_DEEP)


def test_an_item_keeps_32_levels_and_33_are_refused(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "ok"}, "v": nested(32)})
    got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "ok"}})["Item"]
    assert got["v"] == nested(32)
    refused(lambda: ddb.put_item(TableName=hash_table,
                                 Item={"pk": {"S": "deep"}, "v": nested(33)}))
    refused(lambda: ddb.batch_write_item(RequestItems={hash_table: [
        {"PutRequest": {"Item": {"pk": {"S": "deep"}, "v": nested(33)}}}]}))
    assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "deep"}})
    # The table stays whole: nothing too deep for its codec got in.
    assert ddb.scan(TableName=hash_table)["Count"] == 1
    assert ddb.describe_table(TableName=hash_table)["Table"]["TableStatus"] == "ACTIVE"


def test_keys_and_expression_values_are_held_to_the_limit(ddb, hash_table):
    refused(lambda: ddb.get_item(TableName=hash_table, Key={"pk": nested(33)}))
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "a"}})
    condition = {"ConditionExpression": "v = :deep",
                 "ExpressionAttributeValues": {":deep": nested(32)}}
    with pytest.raises(ClientError) as e:  # accepted, so the condition runs and fails
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": "a"}}, **condition)
    assert error_of(e)[0] == "ConditionalCheckFailedException"
    condition["ExpressionAttributeValues"][":deep"] = nested(33)
    refused(lambda: ddb.put_item(TableName=hash_table, Item={"pk": {"S": "a"}}, **condition))


def test_an_update_may_not_nest_a_value_past_the_limit(ddb, hash_table):
    key = {"pk": {"S": "u"}}
    ddb.put_item(TableName=hash_table, Item={**key, "a": {"M": {}}})
    # :v alone is within the limit; under a (level 1) its leaf is at 32.
    ddb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET a.b = :v",
                    ExpressionAttributeValues={":v": nested(31)})
    # One level more is within the limit for :v but not inside the item.
    refused(lambda: ddb.update_item(TableName=hash_table, Key=key,
                                    UpdateExpression="SET a.c = :v",
                                    ExpressionAttributeValues={":v": nested(32)}))
    item = ddb.get_item(TableName=hash_table, Key=key)["Item"]
    assert item["a"] == {"M": {"b": nested(31)}}


def test_a_request_nested_100000_levels_deep_is_refused_and_the_server_lives(
        server, hash_table):
    levels = 100000
    value = '{"L":[' * levels + "]}" * levels
    body = ('{"TableName":"%s","Item":{"pk":{"S":"x"},"v":%s}}' % (hash_table, value))
    assert len(body) > 800000
    status, _, answer = call(server, "PutItem", body.encode(), raw=True)
    assert status == 400
    assert json.loads(answer)["message"] == TOO_DEEP
    # So deep in a member no operation reads, the request is simply served.
    junk = '{"TableName":"%s","Junk":%s}' % (hash_table, "[" * levels + "]" * levels)
    status, _, answer = call(server, "DescribeTable", junk.encode(), raw=True)
    assert status == 200
    # And cut off in the middle it is malformed JSON.
    status, _, answer = call(server, "PutItem", body[: len(body) // 2].encode(), raw=True)
    assert status == 400
    assert json.loads(answer)["__type"] == "com.amazon.coral.service#SerializationException"
    status, _, _ = call(server, "ListTables", {})
    assert status == 200
