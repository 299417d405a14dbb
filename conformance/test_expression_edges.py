"""The expression edge cases issue 16 names: NOT's precedence and attribute_type
on a missing path in UpdateItem conditions, exact decimal arithmetic in SET,
list-index projections, and which attribute names an expression may spell
out. Expected values are DynamoDB's: the arithmetic results as AWS returned
them in getmoto/moto#10092, the syntax errors as quoted from DynamoDB in
aws/aws-sdk-js#1691 and airbytehq/airbyte#22508."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of

KEY = {"pk": {"S": "e"}}
FAILED = ("ConditionalCheckFailedException", "The conditional request failed")


def put(ddb, table, **attrs):
    ddb.put_item(TableName=table, Item={**KEY, **attrs})


def touch(ddb, table, condition, values=None):
    kw = dict(TableName=table, Key=KEY, UpdateExpression="SET touched = :t",
              ConditionExpression=condition,
              ExpressionAttributeValues={":t": {"BOOL": True}, **(values or {})})
    ddb.update_item(**kw)


@pytest.mark.parametrize("condition,holds", [
    # NOT binds tighter than AND and OR: (NOT n = 1) OR s = 'x' holds,
    # NOT (n = 1 OR s = 'x') would not.
    ("NOT n = :one OR s = :x", True),
    ("NOT n = :one AND s = :x", False),
    ("NOT (n = :one AND s = :x)", False),
    ("s = :x AND NOT n = :two", True),
])
def test_not_binds_tighter_than_and_and_or(ddb, hash_table, condition, holds):
    put(ddb, hash_table, n={"N": "1"}, s={"S": "x"})
    values = {k: v for k, v in {":one": {"N": "1"}, ":two": {"N": "2"},
                                ":x": {"S": "x"}}.items() if k in condition}
    if holds:
        touch(ddb, hash_table, condition, values)
        assert "touched" in ddb.get_item(TableName=hash_table, Key=KEY)["Item"]
    else:
        with pytest.raises(ClientError) as e:
            touch(ddb, hash_table, condition, values)
        assert error_of(e) == FAILED


@pytest.mark.parametrize("path", ["absent", "m.absent", "l[5]", "s.deep"])
def test_attribute_type_of_a_missing_path_is_false(ddb, hash_table, path):
    put(ddb, hash_table, s={"S": "x"}, m={"M": {}}, l={"L": [{"N": "1"}]})
    with pytest.raises(ClientError) as e:
        touch(ddb, hash_table, f"attribute_type({path}, :type)", {":type": {"S": "S"}})
    assert error_of(e) == FAILED
    touch(ddb, hash_table, f"NOT attribute_type({path}, :type)", {":type": {"S": "S"}})


@pytest.mark.parametrize("start,delta,result", [
    ("0.3", "0.1", "0.2"),
    ("100000000000000000000.00000001", "1", "99999999999999999999.00000001"),
    ("-0.5", "0.5", "-1"),
    ("1E+2", "0.001", "99.999"),
])
def test_set_arithmetic_is_exact_decimal(ddb, hash_table, start, delta, result):
    put(ddb, hash_table, v={"N": start})
    out = ddb.update_item(TableName=hash_table, Key=KEY, UpdateExpression="SET v = v - :d",
                          ExpressionAttributeValues={":d": {"N": delta}},
                          ReturnValues="UPDATED_NEW")
    assert out["Attributes"] == {"v": {"N": result}}


def test_list_index_projections_keep_the_elements_in_list_order(ddb, hash_table):
    put(ddb, hash_table, l={"L": [{"N": "0"}, {"M": {"q": {"S": "z"}, "r": {"S": "y"}}},
                                  {"S": "two"}]})
    got = ddb.get_item(TableName=hash_table, Key=KEY,
                       ProjectionExpression="l[2], l[1].q, l[7]")["Item"]
    # Out-of-range indexes add nothing; the ones found come back in the
    # list's order, compacted, whatever order the projection named them in.
    assert got == {"l": {"L": [{"M": {"q": {"S": "z"}}}, {"S": "two"}]}}


def test_any_name_is_stored_but_expressions_spell_out_only_plain_ones(ddb, hash_table):
    odd = {"a-b": {"S": "dash"}, "_u": {"S": "under"}, "a.b": {"S": "dot"},
           "ünï": {"S": "utf8"}, "1st": {"S": "digit"}}
    put(ddb, hash_table, **odd)
    names = {f"#n{i}": name for i, name in enumerate(odd)}
    got = ddb.get_item(TableName=hash_table, Key=KEY, ProjectionExpression=", ".join(names),
                       ExpressionAttributeNames=names)["Item"]
    assert got == odd
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=hash_table, Key=KEY, ProjectionExpression="a-b")
    assert error_of(e) == ("ValidationException",
                           'Invalid ProjectionExpression: Syntax error; token: "-", near: "a-b"')
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key=KEY, UpdateExpression="set _u = :v",
                        ExpressionAttributeValues={":v": {"S": "x"}})
    assert error_of(e) == ("ValidationException",
                           'Invalid UpdateExpression: Syntax error; token: "_", near: "set _u"')
    # A dot in an unescaped name is a path separator: a.b is b inside a.
    got = ddb.get_item(TableName=hash_table, Key=KEY, ProjectionExpression="a.b")
    assert "Item" in got and got["Item"] == {}
