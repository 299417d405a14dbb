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


def cond(value):
    return {"ComparisonOperator": "EQ", "AttributeValueList": [value]}


@pytest.mark.parametrize("entry,message", [
    ({}, "Value must be provided when Exists is null for Attribute: a"),
    ({"Exists": True}, "Value must be provided when Exists is true for Attribute: a"),
    ({"AttributeValueList": [{"S": "x"}]},
     "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
    ({"ComparisonOperator": "EQ"},
     "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a"),
    ({"ComparisonOperator": "EQ", "Value": {"S": "x"}, "AttributeValueList": [{"S": "x"}]},
     "Value and AttributeValueList cannot be used together for Attribute: a"),
    ({"ComparisonOperator": "NULL", "Exists": False},
     "Exists and ComparisonOperator cannot be used together for Attribute: a"),
    ({"Exists": False, "Value": {"S": "x"}},
     "Value cannot be used when Exists is false for Attribute: a"),
])
def test_expected_validation(ddb, stored, entry, message):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=stored, Item=ITEM, Expected={"a": entry})
    assert error_of(e) == ("ValidationException",
                           "One or more parameter values were invalid: " + message)


def test_expected_comparison_operator_takes_value(ddb, stored):
    ddb.put_item(TableName=stored, Item={**ITEM, "b": {"N": "3"}},
                 Expected={"b": {"ComparisonOperator": "LT", "Value": {"N": "2"}},
                           "zz": {"ComparisonOperator": "NULL"}})
    assert ddb.get_item(TableName=stored, Key=KEY)["Item"]["b"] == {"N": "3"}


WITHOUT = "ConditionalOperator cannot be used without Filter or Expected"
ONE = "ConditionalOperator can only be used when Filter or Expected has two or more elements"


@pytest.mark.parametrize("op,kw,message", [
    ("put_item", dict(Item=ITEM), WITHOUT),
    ("put_item", dict(Item=ITEM, Expected={"a": cond({"S": "x"})}), ONE),
    ("delete_item", dict(Key=KEY), WITHOUT),
    ("update_item", dict(Key=KEY, AttributeUpdates={"a": {"Value": {"S": "y"}}}), WITHOUT),
    ("update_item", dict(Key=KEY, Expected={"a": cond({"S": "x"})}), ONE),
    ("scan", dict(), WITHOUT),
    ("scan", dict(ScanFilter={}), WITHOUT),
    ("scan", dict(ScanFilter={"a": cond({"S": "x"})}), ONE),
    ("query", dict(KeyConditions={"pk": cond({"S": "p"})}), WITHOUT),
    ("query", dict(), WITHOUT),
    ("query", dict(KeyConditions={"pk": cond({"S": "p"})}, QueryFilter={"a": cond({"S": "x"})}),
     ONE),
])
def test_conditional_operator_needs_two_conditions(ddb, stored, op, kw, message):
    with pytest.raises(ClientError) as e:
        getattr(ddb, op)(TableName=stored, ConditionalOperator="OR", **kw)
    assert error_of(e) == ("ValidationException", message)
    assert ddb.get_item(TableName=stored, Key=KEY)["Item"] == ITEM


def test_conditional_operator_with_two_conditions(ddb, stored):
    out = ddb.scan(TableName=stored, ConditionalOperator="OR",
                   ScanFilter={"a": cond({"S": "nope"}), "b": cond({"N": "1"})})
    assert out["Items"] == [ITEM]


def mixing(non_expression, expression):
    return ("Can not use both expression and non-expression parameters in the same request: "
            f"Non-expression parameters: {{{non_expression}}} "
            f"Expression parameters: {{{expression}}}")


VALUES = {":v": {"S": "x"}, ":p": {"S": "p"}}


@pytest.mark.parametrize("op,kw,non_expression,expression", [
    ("update_item",
     dict(Key=KEY, AttributeUpdates={"a": {"Value": {"S": "v"}}}, Expected={"a": cond({"S": "x"})},
          ConditionalOperator="AND", UpdateExpression="SET a = :v",
          ConditionExpression="a = :v", ExpressionAttributeValues=VALUES),
     "AttributeUpdates, Expected, ConditionalOperator", "UpdateExpression, ConditionExpression"),
    ("put_item",
     dict(Item=ITEM, Expected={"a": cond({"S": "x"})}, ConditionalOperator="AND",
          ConditionExpression="attribute_exists(pk)"),
     "Expected, ConditionalOperator", "ConditionExpression"),
    ("scan",
     dict(AttributesToGet=["a"], ScanFilter={"a": cond({"S": "x"})}, ConditionalOperator="AND",
          FilterExpression="a = :v", ProjectionExpression="b",
          ExpressionAttributeValues={":v": {"S": "x"}}),
     "AttributesToGet, ScanFilter, ConditionalOperator", "ProjectionExpression, FilterExpression"),
    ("query",
     dict(KeyConditions={"pk": cond({"S": "p"})}, QueryFilter={"a": cond({"S": "x"})},
          ConditionalOperator="AND", KeyConditionExpression="pk = :p",
          FilterExpression="a = :v", ProjectionExpression="b", ExpressionAttributeValues=VALUES),
     "QueryFilter, ConditionalOperator, KeyConditions",
     "ProjectionExpression, FilterExpression, KeyConditionExpression"),
    ("query",
     dict(AttributesToGet=["a"], KeyConditionExpression="pk = :p",
          ExpressionAttributeValues={":p": {"S": "p"}}),
     "AttributesToGet", "KeyConditionExpression"),
])
def test_mixing_names_parameters_in_dynamodb_order(ddb, stored, op, kw, non_expression,
                                                   expression):
    with pytest.raises(ClientError) as e:
        getattr(ddb, op)(TableName=stored, **kw)
    assert error_of(e) == ("ValidationException", mixing(non_expression, expression))


def test_key_conditions_combine_with_filter_and_projection_expressions(ddb, stored):
    out = ddb.query(TableName=stored, KeyConditions={"pk": cond({"S": "p"})},
                    FilterExpression="a = :v", ProjectionExpression="a, b",
                    ExpressionAttributeValues={":v": {"S": "x"}})
    assert out["Items"] == [{"a": {"S": "x"}, "b": {"N": "1"}}]
    out = ddb.query(TableName=stored, KeyConditions={"pk": cond({"S": "p"})},
                    FilterExpression="a = :v", ExpressionAttributeValues={":v": {"S": "nope"}})
    assert out["Items"] == []


def test_empty_attributes_to_get(ddb, stored):
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=stored, Key=KEY, AttributesToGet=[])
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value '[]' at 'attributesToGet' failed "
                           "to satisfy constraint: Member must have length greater than or "
                           "equal to 1")


def test_attribute_updates_add_appends_lists(ddb, stored):
    ddb.update_item(TableName=stored, Key=KEY, AttributeUpdates={
        "m": {"Action": "DELETE"},
        "l": {"Action": "PUT", "Value": {"L": [{"N": "1"}]}}})
    ddb.update_item(TableName=stored, Key=KEY, AttributeUpdates={
        "l": {"Action": "ADD", "Value": {"L": [{"N": "2"}, {"S": "x"}]}},
        "fresh": {"Action": "ADD", "Value": {"L": [{"N": "7"}]}}})
    got = ddb.get_item(TableName=stored, Key=KEY)["Item"]
    assert got["l"] == {"L": [{"N": "1"}, {"N": "2"}, {"S": "x"}]}
    assert got["fresh"] == {"L": [{"N": "7"}]}


@pytest.mark.parametrize("update,message", [
    ({"a": {"Action": "ADD", "Value": {"S": "y"}}},
     "One or more parameter values were invalid: ADD action is not supported for the type S"),
    ({"a": {"Action": "ADD", "Value": {"M": {}}}},
     "One or more parameter values were invalid: ADD action is not supported for the type M"),
    ({"a": {"Action": "DELETE", "Value": {"S": "x"}}},
     "One or more parameter values were invalid: DELETE action with value is not supported "
     "for the type S"),
    ({"a": {"Action": "DELETE", "Value": {"L": []}}},
     "One or more parameter values were invalid: DELETE action with value is not supported "
     "for the type L"),
    ({"b": {"Action": "ADD", "Value": {"NS": ["1"]}}}, "Type mismatch for attribute to update"),
    ({"b": {"Action": "DELETE", "Value": {"NS": ["1"]}}}, "Type mismatch for attribute to update"),
    ({"a": {"Action": "ADD", "Value": {"L": [{"S": "y"}]}}},
     "Type mismatch for attribute to update"),
])
def test_attribute_updates_errors(ddb, stored, update, message):
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=stored, Key=KEY, AttributeUpdates=update)
    assert error_of(e) == ("ValidationException", message)
    assert ddb.get_item(TableName=stored, Key=KEY)["Item"] == ITEM


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
