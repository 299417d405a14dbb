"""PutItem, GetItem, DeleteItem: every attribute type round trip and the
validation DynamoDB applies."""
import decimal

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import error_of

EVERY_TYPE = {
    "pk": {"S": "every-type"},
    "s": {"S": "héllo wörld ☃"},
    "empty_s": {"S": ""},
    "n": {"N": "123.45"},
    "neg": {"N": "-0.000001"},
    "big": {"N": "99999999999999999999999999999999999999"},
    "b": {"B": b"\x00\x01\xffbinary"},
    "t": {"BOOL": True},
    "f": {"BOOL": False},
    "null": {"NULL": True},
    "ss": {"SS": ["b", "a", "c"]},
    "ns": {"NS": ["3", "1.5", "-2"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
    "l": {"L": [{"S": "x"}, {"N": "1"}, {"L": []}, {"M": {}}]},
    "m": {"M": {"inner": {"M": {"deep": {"SS": ["z"]}}}, "k": {"NULL": True}}},
}


def normalised(item):
    """Sets compare as sets: DynamoDB does not promise their order."""
    out = {}
    for k, v in item.items():
        (t, x), = v.items()
        if t in ("SS", "BS"):
            out[k] = {t: sorted(x)}
        elif t == "NS":
            out[k] = {t: sorted(x, key=decimal.Decimal)}
        elif t == "M":
            out[k] = {t: normalised(x)}
        else:
            out[k] = v
    return out


def test_every_type_round_trips(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item=EVERY_TYPE)
    got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "every-type"}})["Item"]
    assert normalised(got) == normalised(EVERY_TYPE)


def test_resource_api_round_trip(server, hash_table):
    table = boto3.resource("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                           aws_access_key_id="t", aws_secret_access_key="t").Table(hash_table)
    item = {"pk": "res", "n": decimal.Decimal("1.5"), "l": [1, "two", {"three": True}],
            "s": {"a", "b"}}
    table.put_item(Item=item)
    assert table.get_item(Key={"pk": "res"})["Item"] == item


@pytest.mark.parametrize("given,canonical", [
    ("00012.3400", "12.34"), ("1e3", "1000"), ("-0", "0"), ("0.0", "0"), (".5", "0.5"),
    ("1E-130", "0." + "0" * 129 + "1"), ("-1.0e2", "-100"),
])
def test_numbers_come_back_canonical(ddb, hash_table, given, canonical):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "n"}, "n": {"N": given}})
    got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "n"}})["Item"]
    assert got["n"] == {"N": canonical}


def test_numeric_sort_key(ddb, range_table):
    ddb.put_item(TableName=range_table, Item={"pk": {"S": "p"}, "sk": {"N": "1.50"}, "v": {"S": "x"}})
    got = ddb.get_item(TableName=range_table, Key={"pk": {"S": "p"}, "sk": {"N": "1.5"}})
    assert got["Item"]["v"] == {"S": "x"}


def test_missing_item_gives_empty_answer(ddb, hash_table):
    assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "nope"}})


def test_put_replaces_and_returns_all_old(ddb, hash_table):
    key = {"pk": {"S": "r"}}
    first = ddb.put_item(TableName=hash_table, Item={**key, "v": {"N": "1"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in first
    second = ddb.put_item(TableName=hash_table, Item={**key, "w": {"N": "2"}}, ReturnValues="ALL_OLD")
    assert second["Attributes"] == {**key, "v": {"N": "1"}}
    assert ddb.get_item(TableName=hash_table, Key=key)["Item"] == {**key, "w": {"N": "2"}}


def test_delete_returns_all_old(ddb, hash_table):
    key = {"pk": {"S": "d"}}
    ddb.put_item(TableName=hash_table, Item={**key, "v": {"S": "x"}})
    out = ddb.delete_item(TableName=hash_table, Key=key, ReturnValues="ALL_OLD")
    assert out["Attributes"] == {**key, "v": {"S": "x"}}
    assert "Item" not in ddb.get_item(TableName=hash_table, Key=key)
    assert "Attributes" not in ddb.delete_item(TableName=hash_table, Key=key,
                                               ReturnValues="ALL_OLD")


def test_consumed_capacity(ddb, hash_table):
    out = ddb.put_item(TableName=hash_table, Item={"pk": {"S": "c"}}, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": hash_table, "CapacityUnits": 1.0}
    out = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "c"}}, ReturnConsumedCapacity="TOTAL",
                       ConsistentRead=True)
    assert out["ConsumedCapacity"] == {"TableName": hash_table, "CapacityUnits": 1.0}


def expect_validation(call, message, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    assert error_of(e) == ("ValidationException", message)


def test_put_validation(ddb, hash_table):
    put = ddb.put_item
    expect_validation(put, "One or more parameter values were invalid: Missing the key pk in the item",
                      TableName=hash_table, Item={"x": {"S": "1"}})
    expect_validation(put, "One or more parameter values were invalid: Type mismatch for key pk "
                      "expected: S actual: N", TableName=hash_table, Item={"pk": {"N": "1"}})
    expect_validation(put, "One or more parameter values are not valid. The AttributeValue for a "
                      "key attribute cannot contain an empty string value. Key: pk",
                      TableName=hash_table, Item={"pk": {"S": ""}})
    expect_validation(put, "One or more parameter values were invalid: Size of hashkey has exceeded "
                      "the maximum size limit of2048 bytes", TableName=hash_table,
                      Item={"pk": {"S": "x" * 2049}})
    expect_validation(put, "ReturnValues can only be ALL_OLD or NONE", TableName=hash_table,
                      Item={"pk": {"S": "a"}}, ReturnValues="ALL_NEW")


def test_item_size_limit(ddb, hash_table):
    # 400 KB counts attribute names and values: this item is just over.
    big = "x" * (400 * 1024 - 2 - 1 - 1 + 1)
    expect_validation(ddb.put_item, "Item size has exceeded the maximum allowed size",
                      TableName=hash_table, Item={"pk": {"S": "a"}, "v": {"S": big}})
    ok = "x" * (400 * 1024 - 2 - 1 - 1)
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "a"}, "v": {"S": ok}})
    assert len(ddb.get_item(TableName=hash_table, Key={"pk": {"S": "a"}})["Item"]["v"]["S"]) == len(ok)


def test_key_must_match_schema(ddb, range_table):
    for key in ({"pk": {"S": "a"}},
                {"pk": {"S": "a"}, "sk": {"S": "1"}},
                {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}}):
        expect_validation(ddb.get_item, "The provided key element does not match the schema",
                          TableName=range_table, Key=key)


def test_bad_numbers_rejected(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": "a"}, "n": {"N": "1" * 39}})
    assert error_of(e) == ("ValidationException",
                           "Attempting to store more than 38 significant digits in a Number")
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": "a"}, "n": {"N": "1E126"}})
    assert error_of(e) == ("ValidationException",
                           "Number overflow. Attempting to store a number with magnitude larger "
                           "than supported range")


def test_missing_table(ddb, table_name):
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=table_name, Key={"pk": {"S": "a"}})
    assert error_of(e) == ("ResourceNotFoundException", "Requested resource not found")


def test_empty_set_rejected_and_nothing_written(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": "es"}, "s": {"SS": []}})
    code, message = error_of(e)
    assert code == "ValidationException"
    assert "may not be empty" in message
    assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "es"}})


LONG_NAME_ERROR = ("ValidationException",
                   "Attribute name is too large, must be less than 65536 bytes")


def test_attribute_names_up_to_65535_bytes(ddb, hash_table):
    longest = "n" * 65535
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "long"}, longest: {"N": "1"}})
    got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "long"}})["Item"]
    assert got[longest] == {"N": "1"}

    too_long = "n" * 65536
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": "x"}, too_long: {"N": "1"}})
    assert error_of(e) == LONG_NAME_ERROR
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key={"pk": {"S": "x"}},
                        AttributeUpdates={too_long: {"Value": {"N": "1"}, "Action": "PUT"}})
    assert error_of(e) == LONG_NAME_ERROR
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key={"pk": {"S": "x"}},
                        UpdateExpression="SET #n = :v",
                        ExpressionAttributeNames={"#n": too_long},
                        ExpressionAttributeValues={":v": {"N": "1"}})
    assert error_of(e) == LONG_NAME_ERROR
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={hash_table: [
            {"PutRequest": {"Item": {"pk": {"S": "y"}}}},
            {"PutRequest": {"Item": {"pk": {"S": "x"}, too_long: {"N": "1"}}}}]})
    assert error_of(e) == LONG_NAME_ERROR
    # Nothing was written, not even the batch's valid put.
    for pk in ("x", "y"):
        assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": pk}})


def test_control_characters_come_back_escaped(ddb, hash_table):
    value = "a" * 40 + "\x1a\x1b\x1f" * 8 + "b" * 20
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "ctl"}, "v": {"S": value}})
    # botocore's JSON parser refuses a raw control character in a string.
    item = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "ctl"}})["Item"]
    assert item["v"]["S"] == value
