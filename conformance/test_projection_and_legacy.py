"""GetItem projections, and the legacy parameters old SDK code still sends."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of

KEY = {"pk": {"S": "p"}}
ITEM = {**KEY, "a": {"S": "x"}, "b": {"N": "1"},
        "m": {"M": {"x": {"N": "1"}, "y": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}]}}}}


@pytest.fixture
def stored(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item=ITEM)
    return hash_table


def test_projection_of_nested_paths(ddb, stored):
    got = ddb.get_item(TableName=stored, Key=KEY, ProjectionExpression="a, m.y[1], #x",
                       ExpressionAttributeNames={"#x": "missing"})["Item"]
    assert got == {"a": {"S": "x"}, "m": {"M": {"y": {"L": [{"S": "1"}]}}}}


def test_attributes_to_get(ddb, stored):
    got = ddb.get_item(TableName=stored, Key=KEY, AttributesToGet=["b", "pk"])["Item"]
    assert got == {"b": {"N": "1"}, **KEY}


def test_mixing_legacy_and_expression_parameters(ddb, stored):
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=stored, Key=KEY, AttributesToGet=["a"], ProjectionExpression="b")
    assert error_of(e) == ("ValidationException",
                           "Can not use both expression and non-expression parameters in the same "
                           "request: Non-expression parameters: {AttributesToGet} Expression "
                           "parameters: {ProjectionExpression}")


def test_expected_value_and_exists(ddb, stored):
    ddb.put_item(TableName=stored, Item={**ITEM, "b": {"N": "2"}},
                 Expected={"b": {"Value": {"N": "1"}}, "zz": {"Exists": False}})
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=stored, Item=ITEM, Expected={"b": {"Value": {"N": "1"}}})
    assert error_of(e)[0] == "ConditionalCheckFailedException"
    with pytest.raises(ClientError) as e:
        ddb.delete_item(TableName=stored, Key=KEY, ConditionalOperator="OR",
                        Expected={"b": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "5"}]},
                                  "a": {"ComparisonOperator": "NULL"}})
    assert error_of(e)[0] == "ConditionalCheckFailedException"


def test_attribute_updates(ddb, stored):
    ddb.update_item(TableName=stored, Key=KEY, AttributeUpdates={
        "a": {"Action": "PUT", "Value": {"S": "new"}},
        "b": {"Action": "ADD", "Value": {"N": "10"}},
        "m": {"Action": "DELETE"},
        "s": {"Action": "ADD", "Value": {"SS": ["q"]}},
    })
    got = ddb.get_item(TableName=stored, Key=KEY)["Item"]
    assert got == {**KEY, "a": {"S": "new"}, "b": {"N": "11"}, "s": {"SS": ["q"]}}


def test_attribute_updates_without_value(ddb, stored):
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=stored, Key=KEY, AttributeUpdates={"a": {"Action": "PUT"}})
    assert error_of(e) == ("ValidationException", "One or more parameter values were invalid: "
                           "Only DELETE action is allowed when no attribute value is specified")


def test_attribute_updates_that_only_delete_create_no_item(ddb, hash_table):
    key = {"pk": {"S": "absent"}}
    out = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW",
                          AttributeUpdates={"a": {"Action": "DELETE"},
                                            "s": {"Action": "DELETE", "Value": {"SS": ["x"]}}})
    assert "Attributes" not in out
    assert "Item" not in ddb.get_item(TableName=hash_table, Key=key)
    out = ddb.update_item(TableName=hash_table, Key=key, AttributeUpdates={},
                          ReturnValues="ALL_NEW")
    assert out["Attributes"] == key
